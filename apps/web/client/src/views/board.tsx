import { Meter, Spark } from '../chart';
import { bytes, percent } from '../format';
import { useWords } from '../i18n';
import type { Board, ServiceLoad, ServiceStatus } from '../types';

export function VerdictBadge(props: { verdict: string }) {
  const w = useWords();
  const label = props.verdict === 'ok' ? w.ok : props.verdict === 'degraded' ? w.degraded : props.verdict === 'down' ? w.down : props.verdict;
  return <span class={`badge v-${props.verdict}`} data-verdict={props.verdict}>{label}</span>;
}

function ServiceCard(props: { host: string; s: ServiceStatus; load: ServiceLoad | undefined }) {
  const w = useWords();
  const { s, load } = props;
  const restarts = s.containers.reduce((a, c) => a + c.restartCount, 0);
  const cpuBase = load?.baseline?.cpuPercent ?? null;
  const memBase = load?.baseline?.memoryBytes ?? null;
  const memMax = load?.limitBytes ?? Math.max(load?.memoryBytes ?? 0, memBase ?? 0) * 1.5;
  return (
    <a class={`card service v-${s.verdict}`} href={`#/diagnose/${encodeURIComponent(s.name)}?host=${encodeURIComponent(props.host)}`} data-service={s.name} data-verdict={s.verdict}>
      <div class="card-head">
        <span class="svc-name">{s.name}</span>
        <VerdictBadge verdict={s.verdict} />
      </div>
      <div class="reason">{s.reason ?? `${s.replicas.running}/${s.replicas.total} ${w.running}`}</div>
      <div class="facts">
        <span>
          {w.replicas} <b>{s.replicas.running}/{s.replicas.total}</b>
        </span>
        <span>
          {w.restarts} <b>{restarts}</b>
        </span>
      </div>
      <div class="loads">
        <div class="load">
          <div class="load-head">
            <span>{w.cpu}</span>
            <b>{percent(load?.cpuPercent)}</b>
            <span class="muted">{cpuBase !== null ? `${w.baseline} ${percent(cpuBase)}` : w.noBaseline}</span>
          </div>
          <Spark values={(load?.history ?? []).map((p) => p.cpuPercent)} baseline={cpuBase} color="#2f6fde" label={`${s.name} CPU`} />
        </div>
        <div class="load">
          <div class="load-head">
            <span>{w.memory}</span>
            <b>{bytes(load?.memoryBytes)}</b>
            <span class="muted">{load?.limitBytes ? `${w.limit} ${bytes(load.limitBytes)}` : memBase !== null ? `${w.baseline} ${bytes(memBase)}` : w.noBaseline}</span>
          </div>
          {memMax > 0 ? <Meter value={load?.memoryBytes ?? null} baseline={memBase} max={memMax} color="#7a4fd6" label={`${s.name} memory`} /> : <div class="meter" />}
        </div>
      </div>
    </a>
  );
}

export function BoardView(props: { board: Board | undefined }) {
  const w = useWords();
  if (!props.board) return <div class="empty">{w.reading}</div>;
  return (
    <div class="board">
      {props.board.hosts.map((h) => (
        <section class="host" key={h.name} data-host={h.name}>
          <header class="host-head">
            <h2>
              {h.name} <span class="muted addr">{h.address}</span>
            </h2>
            {h.report ? (
              <div class="summary">
                <span class="pill v-ok">
                  {h.report.summary.ok} {w.ok}
                </span>
                <span class="pill v-degraded">
                  {h.report.summary.degraded} {w.degraded}
                </span>
                <span class="pill v-down">
                  {h.report.summary.down} {w.down}
                </span>
                <span class="muted">
                  {h.report.summary.running}/{h.report.summary.containers} {w.containers} {w.running} · {h.report.engine.runtime ?? 'Docker'} {h.report.engine.version}
                </span>
              </div>
            ) : (
              <span class="pill v-down">{w.unreachable}</span>
            )}
          </header>
          {h.error ? <p class="error">{h.error.message}</p> : null}
          {h.report?.notices.map((n) => (
            <p class="notice" key={n}>
              {n}
            </p>
          ))}
          {h.report?.projects.map((p) => (
            <div class="project" key={p.name}>
              <h3>
                {p.name} <VerdictBadge verdict={p.verdict} />
              </h3>
              <div class="grid">
                {p.services.map((s) => (
                  <ServiceCard key={s.name} host={h.name} s={s} load={h.load[`${p.name}/${s.name}`]} />
                ))}
              </div>
            </div>
          ))}
          {h.report && h.report.standalone.length > 0 ? (
            <div class="project">
              <h3>{w.standalone}</h3>
              <div class="grid">
                {h.report.standalone.map((s) => (
                  <ServiceCard key={s.name} host={h.name} s={s} load={h.load[`/${s.name}`]} />
                ))}
              </div>
            </div>
          ) : null}
        </section>
      ))}
    </div>
  );
}
