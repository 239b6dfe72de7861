import { useEffect, useState } from 'preact/hooks';
import { get } from '../api';
import { useWords } from '../i18n';

interface Templates {
  source: string;
  lines: number;
  truncated: string | null;
  templates: Array<{ id: number; template: string; count: number; level: string; trend?: string }>;
}

export function LogsView(props: { service: string | undefined; services: string[] }) {
  const w = useWords();
  const [data, setData] = useState<Templates | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    setData(undefined);
    setError(undefined);
    if (props.service) get<Templates>(`/api/logs?service=${encodeURIComponent(props.service)}`).then(setData, (e: Error) => setError(e.message));
  }, [props.service]);
  const max = Math.max(1, ...(data?.templates ?? []).map((t) => t.count));
  return (
    <div class="logs">
      <div class="chips">
        {props.services.map((s) => (
          <a class={`chip ${s === props.service ? 'on' : ''}`} href={`#/logs/${encodeURIComponent(s)}`} key={s}>
            {s}
          </a>
        ))}
      </div>
      {error ? <p class="error">{error}</p> : null}
      {props.service && !data && !error ? <div class="empty">{w.reading}</div> : null}
      {data ? (
        <section class="panel">
          <p class="muted">
            {data.lines} {w.lines} · {data.templates.length} {w.templates} · {data.source}
            {data.truncated ? ` · ${data.truncated}` : ''}
          </p>
          <table class="table">
            <thead>
              <tr>
                <th>{w.count}</th>
                <th>{w.level}</th>
                <th>{w.trend}</th>
                <th>{w.template}</th>
              </tr>
            </thead>
            <tbody>
              {data.templates.map((t) => (
                <tr key={t.id}>
                  <td class="num">
                    <div class="count-bar" style={{ width: `${Math.max(4, (t.count / max) * 60)}px` }} />
                    {t.count}
                  </td>
                  <td>
                    <span class={`tag lvl-${t.level}`}>{t.level}</span>
                  </td>
                  <td>{t.trend ? <span class={`tag trend-${t.trend}`}>{t.trend}</span> : ''}</td>
                  <td class="mono">{t.template}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </div>
  );
}
