import { useEffect, useState } from 'preact/hooks';
import { get } from '../api';
import { useWords } from '../i18n';

interface Decision {
  id?: string;
  host?: string;
  service?: string;
  action?: string;
  tier?: string;
  mode?: string;
  reasons?: string[];
  result?: string;
}
interface ReconcilerData {
  present: boolean;
  lastPass?: { commit?: string; startedAt?: string; durationMs?: number; hosts?: Array<{ name: string; status: string }>; decisions?: Decision[] } | null;
}

export function ReconcilerView() {
  const w = useWords();
  const [d, setD] = useState<ReconcilerData | undefined>();
  useEffect(() => {
    void get<ReconcilerData>('/api/reconciler').then(setD);
  }, []);
  if (!d) return <div class="empty">…</div>;
  if (!d.present || !d.lastPass) return <div class="empty">{w.noReconciler}</div>;
  const p = d.lastPass;
  return (
    <section class="panel">
      <h3>
        {w.lastPass} <span class="muted small">{p.startedAt} · {p.commit ?? ''} · {p.durationMs ?? '?'} ms</span>
      </h3>
      <p>
        {(p.hosts ?? []).map((h) => (
          <span class="tag" key={h.name}>
            {h.name}: {h.status}
          </span>
        ))}
      </p>
      <table class="table">
        <thead>
          <tr>
            <th>{w.services}</th>
            <th>{w.action}</th>
            <th>{w.tier}</th>
            <th>{w.mode}</th>
            <th>{w.outcome}</th>
          </tr>
        </thead>
        <tbody>
          {(p.decisions ?? []).map((x, i) => (
            <tr key={x.id ?? i}>
              <td>
                <b>{x.service}</b> <span class="muted">{x.host}</span>
                <div class="muted small">{(x.reasons ?? []).join('; ')}</div>
              </td>
              <td>{x.action}</td>
              <td>
                <span class={`tag tier-${x.tier}`}>{x.tier}</span>
              </td>
              <td>
                <span class="tag">{x.mode}</span>
              </td>
              <td class="small">{x.result}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
