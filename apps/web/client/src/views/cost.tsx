import { useEffect, useState } from 'preact/hooks';
import { get } from '../api';
import { useWords } from '../i18n';

interface Totals {
  calls: number;
  cacheHits: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
}
interface CostReport {
  today: Totals;
  week: Totals;
  month: Totals;
  byTask: Array<Totals & { task: string; share: number }>;
  byModel: Array<{ model: string; provider: string; calls: number; costUsd: number }>;
}

const usd = (n: number) => `$${n < 1 ? n.toFixed(4) : n.toFixed(2)}`;

export function CostView() {
  const w = useWords();
  const [r, setR] = useState<CostReport | undefined>();
  useEffect(() => {
    void get<CostReport>('/api/cost').then(setR);
  }, []);
  if (!r) return <div class="empty">…</div>;
  return (
    <div class="cost">
      <div class="cards3">
        {(
          [
            [w.today, r.today],
            [w.week, r.week],
            [w.month, r.month],
          ] as const
        ).map(([label, t]) => (
          <div class="panel stat" key={label}>
            <div class="muted">{label}</div>
            <div class="big">{usd(t.costUsd)}</div>
            <div class="muted small">
              {t.calls} {w.calls} · {(t.promptTokens + t.completionTokens).toLocaleString()} {w.tokens}
            </div>
          </div>
        ))}
      </div>
      <section class="panel">
        <h3>{w.byTask}</h3>
        {r.byTask.length === 0 ? <p class="muted">{w.noCalls}</p> : null}
        {r.byTask.map((t) => (
          <div class="bar-row" key={t.task}>
            <span class="bar-label">{t.task}</span>
            <span class="bar">
              <span style={{ width: `${Math.max(1, t.share * 100)}%` }} />
            </span>
            <span class="num">{usd(t.costUsd)}</span>
          </div>
        ))}
      </section>
    </div>
  );
}
