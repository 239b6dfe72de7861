import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, post } from '../api';
import { useWords } from '../i18n';
import type { DiagnosisReport, Evidence, Proposal } from '../types';

export function DiagnoseView(props: { service: string | undefined; host: string | undefined; services: string[] }) {
  const w = useWords();
  const [complaint, setComplaint] = useState('');
  const [report, setReport] = useState<DiagnosisReport | undefined>();
  const [busy, setBusy] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();

  const run = async (c = complaint) => {
    if (!props.service) return;
    setBusy(w.reading);
    setError(undefined);
    try {
      const q = new URLSearchParams({ service: props.service, ...(c ? { complaint: c } : {}), ...(props.host ? { host: props.host } : {}) });
      setReport((await get<{ report: DiagnosisReport }>(`/api/diagnose?${q}`)).report);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(undefined);
    }
  };
  useEffect(() => {
    setReport(undefined);
    void run('');
  }, [props.service, props.host]);

  const propose = async () => {
    if (!props.service) return;
    setBusy(w.proposing);
    setError(undefined);
    try {
      const r = await post<{ proposal: Proposal }>('/api/propose', { service: props.service, ...(complaint ? { complaint } : {}), ...(props.host ? { host: props.host } : {}) });
      location.hash = `#/proposals/${r.proposal.id}`;
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(undefined);
    }
  };

  if (!props.service) {
    return (
      <div class="panel">
        <p>{w.pickService}</p>
        <div class="chips">
          {props.services.map((s) => (
            <a class="chip" href={`#/diagnose/${encodeURIComponent(s)}`} key={s}>
              {s}
            </a>
          ))}
        </div>
      </div>
    );
  }
  const byId = new Map((report?.evidence ?? []).map((e) => [e.id, e]));
  return (
    <div class="diagnose" data-target={props.service}>
      <form
        class="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <h2 class="title">{props.service}</h2>
        <input class="grow" value={complaint} placeholder={w.complaint} onInput={(e) => setComplaint((e.target as HTMLInputElement).value)} />
        <button type="submit" disabled={!!busy}>
          {w.run}
        </button>
        <button type="button" class="primary" id="propose" disabled={!!busy || !report} onClick={() => void propose()}>
          {w.propose}
        </button>
      </form>
      {busy ? <div class="busy">{busy}</div> : null}
      {error ? <p class="error">{error}</p> : null}
      {report ? (
        <div class="columns">
          <div class="col-main">
            <section class="panel">
              <h3>{w.hypotheses}</h3>
              {report.hypotheses.length === 0 ? <p class="muted">{w.noHypotheses}</p> : null}
              {report.hypotheses.map((h, i) => (
                <article class={`hypothesis ${i === 0 ? 'first' : ''}`} key={`${h.cause}/${h.culprit}`} data-cause={h.cause} data-culprit={h.culprit}>
                  <div class="hyp-head">
                    <span class="cause">{h.cause}</span>
                    <span class="culprit">{h.culprit}</span>
                    <span class="conf">
                      <span class="conf-bar">
                        <span style={{ width: `${Math.round(h.confidence * 100)}%` }} />
                      </span>
                      {Math.round(h.confidence * 100)}% {w.confidence}
                    </span>
                  </div>
                  <p class="summary-text">{h.summary}</p>
                  {h.suggestions.length ? (
                    <ul class="suggestions">
                      {h.suggestions.map((s) => (
                        <li key={s}>{s}</li>
                      ))}
                    </ul>
                  ) : null}
                  <details class="evidence" open={i === 0}>
                    <summary>
                      {w.evidence} ({h.evidence.length})
                    </summary>
                    <ul>
                      {h.evidence.map((id) => {
                        const e = byId.get(id) as Evidence | undefined;
                        return e ? (
                          <li key={id} data-evidence={id}>
                            <span class="ev-kind">{e.kind}</span> <span class="muted">{e.source}</span>
                            <div class="ev-text">{e.text}</div>
                          </li>
                        ) : null;
                      })}
                    </ul>
                  </details>
                </article>
              ))}
            </section>
          </div>
          <div class="col-side">
            <section class="panel">
              <h3>{w.symptoms}</h3>
              <ul class="plain">
                {report.symptoms.map((s) => (
                  <li key={s.text}>
                    <b>{s.service}</b> {s.text}
                  </li>
                ))}
              </ul>
            </section>
            {report.notices.length ? (
              <section class="panel">
                <h3>{w.notices}</h3>
                <ul class="plain muted">
                  {report.notices.map((n) => (
                    <li key={n}>{n}</li>
                  ))}
                </ul>
              </section>
            ) : null}
            <p class="muted small">
              {report.checked.join(', ')} · {Math.round(report.durationMs)} ms
            </p>
          </div>
        </div>
      ) : null}
    </div>
  );
}
