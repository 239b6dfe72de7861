import { useEffect, useState } from 'preact/hooks';
import { get } from '../api';
import { time } from '../format';
import { useWords } from '../i18n';
import type { AuditEntry } from '../types';

interface AuditData {
  verify: { ok: boolean; entries: number; firstBad?: { seq: number; problem: string }; anchorProblem?: string; missing?: { count: number } };
  entries: AuditEntry[];
}

export function AuditView(props: { version: number }) {
  const w = useWords();
  const [d, setD] = useState<AuditData | undefined>();
  useEffect(() => {
    void get<AuditData>('/api/audit').then(setD);
  }, [props.version]);
  if (!d) return <div class="empty">…</div>;
  return (
    <div class="audit">
      <div class={`verify ${d.verify.ok ? 'good' : 'bad'}`} data-ok={String(d.verify.ok)}>
        <b>{d.verify.ok ? `✓ ${w.intact}` : `✗ ${w.broken}`}</b> · {d.verify.entries} {w.entries}
        {d.verify.ok ? ` · ${w.verified}` : ''}
        {d.verify.firstBad ? ` · #${d.verify.firstBad.seq}: ${d.verify.firstBad.problem}` : ''}
        {d.verify.anchorProblem ? ` · ${d.verify.anchorProblem}` : ''}
      </div>
      <section class="panel">
        <table class="table">
          <thead>
            <tr>
              <th>#</th>
              <th>{w.when}</th>
              <th>{w.actor}</th>
              <th>{w.action}</th>
              <th>{w.target}</th>
              <th>{w.approval}</th>
              <th>{w.outcome}</th>
              <th>{w.channel}</th>
            </tr>
          </thead>
          <tbody>
            {d.entries.map((e) => (
              <tr key={e.seq} data-seq={e.seq} data-action={e.action} data-channel={String(e.context['channel'] ?? '')}>
                <td class="num muted">{e.seq}</td>
                <td class="small">{time(e.timestamp)}</td>
                <td>{e.actor}</td>
                <td>
                  <span class="tag">{e.action}</span>
                </td>
                <td>{e.target}</td>
                <td>{e.approval}</td>
                <td class="small">{e.result}</td>
                <td>{e.context['channel'] ? <span class="tag">{String(e.context['channel'])}</span> : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
