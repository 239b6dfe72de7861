import type { TaskType, UsageGate } from '@bcon/reasoning/ai';

/** bcon.yaml `budgets:` — USD limits for model calls. */
export interface Budgets {
  daily_usd?: number;
  monthly_usd?: number;
}

export interface BudgetStatus {
  /** the larger share used of the daily and monthly limits (0 when there is none) */
  share: number;
  spentToday: number;
  spentMonth: number;
  limits: Budgets;
  /** what it means now */
  level: 'ok' | 'notify' | 'restricted' | 'exhausted';
}

/** Tasks that may still run at 80 % (the rest — ask, summaries — waits). */
const ESSENTIAL: ReadonlySet<TaskType> = new Set(['troubleshooting', 'intent', 'proposal']);

export function budgetStatus(limits: Budgets, spentToday: number, spentMonth: number): BudgetStatus {
  const shares = [limits.daily_usd ? spentToday / limits.daily_usd : 0, limits.monthly_usd ? spentMonth / limits.monthly_usd : 0];
  const share = Math.max(...shares);
  const level = share >= 1 ? 'exhausted' : share >= 0.8 ? 'restricted' : share >= 0.5 ? 'notify' : 'ok';
  return { share, spentToday, spentMonth, limits, level };
}

/** A sentence for the person, or undefined under 50 %. */
export function budgetNotice(s: BudgetStatus): string | undefined {
  if (s.level === 'ok') return undefined;
  const pct = `${Math.round(s.share * 100)}%`;
  if (s.level === 'notify') return `AI budget: ${pct} used`;
  if (s.level === 'restricted') return `AI budget: ${pct} used: only troubleshooting, intents and proposals may use the model now`;
  return `AI budget: ${pct} used: the model is only asked to troubleshoot a service that is down`;
}

/**
 * The gateway's usage gate from the budgets: at 50 % it notifies (budgetNotice), at 80 % it refuses non-essential
 * tasks (ask, summaries), at 100 % it allows only troubleshooting of a service that is down (`critical`).
 */
export function budgetGate(status: BudgetStatus, critical: boolean): UsageGate {
  return {
    check: ({ task }) => {
      if (status.level === 'exhausted' && !(task === 'troubleshooting' && critical)) return { allowed: false, reason: `the AI budget is spent (${Math.round(status.share * 100)}%); only troubleshooting of a service that is down may use the model` };
      if (status.level === 'restricted' && !ESSENTIAL.has(task)) return { allowed: false, reason: `the AI budget is at ${Math.round(status.share * 100)}%; ${task} waits until it resets` };
      return { allowed: true };
    },
  };
}
