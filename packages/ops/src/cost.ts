import type { LlmCallRow } from '@bcon/store';
import { llmCallsSince, openStore } from '@bcon/store';

export interface PeriodTotals {
  from: string;
  calls: number;
  cacheHits: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
}

export interface CostReport {
  today: PeriodTotals;
  week: PeriodTotals;
  month: PeriodTotals;
  /** this month, by task type, with each one's share of the month's cost */
  byTask: Array<PeriodTotals & { task: string; share: number }>;
  byModel: Array<{ model: string; provider: string; calls: number; costUsd: number }>;
  /** bcon.yaml budgets and how much of each is used */
  budget?: { dailyUsd?: number; monthlyUsd?: number; dailyShare?: number; monthlyShare?: number; level: string };
}

function totals(rows: readonly LlmCallRow[], from: number): PeriodTotals {
  const mine = rows.filter((r) => r.at >= from);
  return {
    from: new Date(from).toISOString(),
    calls: mine.length,
    cacheHits: mine.filter((r) => r.cacheHit).length,
    promptTokens: mine.reduce((a, r) => a + r.promptTokens, 0),
    completionTokens: mine.reduce((a, r) => a + r.completionTokens, 0),
    costUsd: mine.reduce((a, r) => a + r.costUsd, 0),
  };
}

/** The ledger summed over today, this week (from Monday) and this month, in UTC. */
export async function buildCostReport(now: number, budgets?: { daily_usd?: number; monthly_usd?: number }): Promise<CostReport> {
  const d = new Date(now);
  const today = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const week = today - ((d.getUTCDay() + 6) % 7) * 86_400_000;
  const month = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const store = openStore();
  try {
    const rows = llmCallsSince(store, Math.min(week, month)).filter((r) => r.at <= now);
    const monthTotals = totals(rows, month);
    const tasks = [...new Set(rows.filter((r) => r.at >= month).map((r) => r.task))];
    const byTask = tasks
      .map((task) => {
        const t = totals(rows.filter((r) => r.task === task), month);
        return { task, ...t, share: monthTotals.costUsd > 0 ? t.costUsd / monthTotals.costUsd : 0 };
      })
      .sort((a, b) => b.costUsd - a.costUsd || b.calls - a.calls);
    const models = new Map<string, { model: string; provider: string; calls: number; costUsd: number }>();
    for (const r of rows.filter((x) => x.at >= month)) {
      const k = `${r.provider} ${r.model}`;
      const m = models.get(k) ?? { model: r.model, provider: r.provider, calls: 0, costUsd: 0 };
      m.calls++;
      m.costUsd += r.costUsd;
      models.set(k, m);
    }
    const todayTotals = totals(rows, today);
    let budget: CostReport['budget'];
    if (budgets?.daily_usd !== undefined || budgets?.monthly_usd !== undefined) {
      const { budgetStatus } = await import('@bcon/decision');
      const st = budgetStatus(budgets, todayTotals.costUsd, monthTotals.costUsd);
      budget = {
        ...(budgets.daily_usd !== undefined ? { dailyUsd: budgets.daily_usd, dailyShare: budgets.daily_usd ? todayTotals.costUsd / budgets.daily_usd : 0 } : {}),
        ...(budgets.monthly_usd !== undefined ? { monthlyUsd: budgets.monthly_usd, monthlyShare: budgets.monthly_usd ? monthTotals.costUsd / budgets.monthly_usd : 0 } : {}),
        level: st.level,
      };
    }
    return { today: todayTotals, week: totals(rows, week), month: monthTotals, byTask, byModel: [...models.values()], ...(budget ? { budget } : {}) };
  } finally {
    store.close();
  }
}

const usd = (n: number): string => `$${n < 0.01 && n > 0 ? n.toFixed(6) : n.toFixed(2)}`;

export function renderCostText(r: CostReport): string {
  const line = (label: string, t: PeriodTotals) =>
    `  ${label.padEnd(11)} ${usd(t.costUsd).padStart(10)}  ${String(t.calls).padStart(5)} calls (${t.cacheHits} cached)  ${t.promptTokens.toLocaleString('en')} prompt + ${t.completionTokens.toLocaleString('en')} completion tokens`;
  const out = ['Model usage (UTC)', line('today', r.today), line('this week', r.week), line('this month', r.month)];
  if (r.byTask.length) {
    out.push('', 'This month by task');
    for (const t of r.byTask) out.push(`  ${t.task.padEnd(16)} ${usd(t.costUsd).padStart(10)}  ${(t.share * 100).toFixed(1).padStart(5)}%  ${String(t.calls).padStart(5)} calls`);
  }
  if (r.byModel.length) {
    out.push('', 'This month by model');
    for (const m of r.byModel) out.push(`  ${m.model} (${m.provider})  ${usd(m.costUsd)}  ${m.calls} calls`);
  }
  if (r.budget) {
    const bar = (share: number) => `[${'█'.repeat(Math.min(20, Math.round(share * 20)))}${'░'.repeat(Math.max(0, 20 - Math.round(share * 20)))}] ${Math.round(share * 100)}%`;
    out.push('', 'Budget (notify at 50%, only essential tasks at 80%, only a service that is down at 100%)');
    if (r.budget.dailyUsd !== undefined) out.push(`  today       ${usd(r.today.costUsd)} of ${usd(r.budget.dailyUsd)}  ${bar(r.budget.dailyShare ?? 0)}`);
    if (r.budget.monthlyUsd !== undefined) out.push(`  this month  ${usd(r.month.costUsd)} of ${usd(r.budget.monthlyUsd)}  ${bar(r.budget.monthlyShare ?? 0)}`);
    out.push(`  now: ${r.budget.level}`);
  }
  if (!r.month.calls) out.push('', 'No model calls recorded this month (AI is off unless a model is configured).');
  return out.join('\n');
}
