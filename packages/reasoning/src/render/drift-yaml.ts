import type { DriftReport } from '../drift/schema.js';

/** The drift_report format of the architecture document, as YAML (`yaml` is loaded only when asked for). */
export async function renderDriftYaml(report: DriftReport): Promise<string> {
  const { stringify } = await import('yaml');
  return stringify({ drift_report: report }, { lineWidth: 0 });
}
