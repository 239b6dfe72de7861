import { useEffect, useState } from 'preact/hooks';
import { get } from '../api';
import { useWords } from '../i18n';
import type { DriftReport } from '../types';

function Value(props: { v: Record<string, unknown> }) {
  const entries = Object.entries(props.v);
  return (
    <div class="kv">
      {entries.map(([k, v]) => (
        <div key={k}>
          <span class="muted">{k}</span> <code>{typeof v === 'string' ? v : JSON.stringify(v)}</code>
        </div>
      ))}
    </div>
  );
}

export function DriftView() {
  const w = useWords();
  const [data, setData] = useState<{ hosts: Array<{ name: string; report?: DriftReport; error?: { code: string; message: string } }> } | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    get<typeof data>('/api/drift').then(setData, (e: Error) => setError(e.message));
  }, []);
  if (error) return <p class="error">{error}</p>;
  if (!data) return <div class="empty">{w.reading}</div>;
  return (
    <div class="drift">
      {data.hosts.map((h) => (
        <section class="panel" key={h.name} data-host={h.name}>
          <header class="prop-head">
            <h3>{h.name}</h3>
            {h.report ? <span class={`badge ${h.report.status === 'IN_SYNC' ? 'v-ok' : 'v-degraded'}`}>{h.report.status === 'IN_SYNC' ? w.inSync : w.drifted}</span> : null}
            {h.report ? <span class="muted small">{h.report.source} · {h.report.projects.join(', ')}</span> : null}
          </header>
          {h.error ? <p class="notice">{h.error.code === 'not_a_repository' || /git/i.test(h.error.message) ? `${w.noRepo} (${h.error.message})` : h.error.message}</p> : null}
          {h.report && h.report.differences.length ? (
            <table class="table">
              <thead>
                <tr>
                  <th>{w.services}</th>
                  <th>{w.field}</th>
                  <th>{w.expected}</th>
                  <th>{w.actual}</th>
                </tr>
              </thead>
              <tbody>
                {h.report.differences.map((d, i) => (
                  <tr key={i} data-field={d.field}>
                    <td>
                      <b>{d.service}</b> <span class="muted">{d.project}</span>
                      {d.container ? <div class="muted small">{d.container}</div> : null}
                    </td>
                    <td>
                      <span class="tag">{d.field}</span>
                    </td>
                    <td class="exp">
                      <Value v={d.expected} />
                    </td>
                    <td class="act">
                      <Value v={d.actual} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {h.report?.untracked.length ? (
            <>
              <h4>{w.untracked}</h4>
              <ul class="plain">
                {h.report.untracked.map((u) => (
                  <li key={u.container}>
                    <b>{u.container}</b> <span class="muted">{u.recommendation}</span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {h.report?.orphans.length ? (
            <>
              <h4>{w.orphans}</h4>
              <ul class="plain">
                {h.report.orphans.map((u) => (
                  <li key={u.container}>
                    <b>{u.container}</b> <span class="muted">{u.recommendation}</span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      ))}
    </div>
  );
}
