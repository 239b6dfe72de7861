import type { DriftDifference } from '../../drift/schema.js';
import type { AnalyzerContext } from '../finding.js';

const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** One drift difference as evidence: what the committed files say against what runs. */
export function citeDrift(ctx: AnalyzerContext, d: DriftDifference): string {
  const exp = Object.values(d.expected)[0];
  const act = Object.values(d.actual)[0];
  const where = ctx.signals.desiredSource ? ` (${ctx.signals.desiredSource})` : '';
  return ctx.evidence.add('drift', d.container ?? d.service, `${d.field}: committed${where} ${show(exp)}, running ${show(act)}`);
}
