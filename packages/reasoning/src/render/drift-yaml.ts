import { maskDifference } from '../drift/redact.js';
import type { DriftReport } from '../drift/schema.js';

/**
 * The drift_report format of the architecture document, as YAML (`yaml` is loaded only when asked for). Credentials
 * are masked again (a no-op on a report drift made).
 */
export async function renderDriftYaml(report: DriftReport): Promise<string> {
  const { stringify } = await import('yaml');
  return stringify({ drift_report: { ...report, differences: report.differences.map(maskDifference) } }, { lineWidth: 0 });
}
