// @bcon/reasoning — level 1 judgment over sensor facts. Read-only; no write path exists here.
export type { ContainerStatus, ServiceStatus, StatusReport, Verdict } from './status/schema.js';
export type { ContainerAssessment, ContainerVerdict } from './status/assess.js';
export { STATUS_RULES, assessContainer } from './status/assess.js';
export { buildStatusReport } from './status/build.js';
export { explainExitCode } from './status/exit-codes.js';
export { formatBytes, formatDuration } from './status/format.js';
export { renderStatusText } from './render/status-text.js';
export { renderTable } from './render/table.js';
export type { DriftDifference, DriftReport } from './drift/schema.js';
export { ORPHAN_RECOMMENDATION, UNTRACKED_RECOMMENDATION, buildDriftReport } from './drift/report.js';
export { compareService } from './drift/compare.js';
export { normalizeImageRef } from './drift/image-ref.js';
export { redactEnvValue } from './drift/redact.js';
export { renderDriftText } from './render/drift-text.js';
export { renderDriftYaml } from './render/drift-yaml.js';
export type { DriftItem } from './drift/changes.js';
export { driftChanges, driftItems } from './drift/changes.js';
