import { stringify } from 'yaml';
import type { DriftReport } from '../drift/schema.js';

/** The drift_report format of the architecture document, as YAML. */
export function renderDriftYaml(report: DriftReport): string {
  return stringify({ drift_report: report }, { lineWidth: 0 });
}
