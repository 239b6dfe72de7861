// zod schemas of reasoning's public JSON contracts, apart from the main entry so that commands that only
// render do not load zod at start-up.
export { ContainerStatusSchema, ServiceStatusSchema, StatusReportSchema, VerdictSchema } from './status/schema.js';
export { DriftDifferenceSchema, DriftOutputSchema, DriftReportSchema } from './drift/schema.js';
export { DiagnosisReportSchema, EvidenceSchema, HypothesisSchema } from './diagnose/schema.js';
export { CAUSE_CODES } from './diagnose/log-patterns.js';
