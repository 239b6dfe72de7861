// @bcon/store — one SQLite file (better-sqlite3 + drizzle, WAL, migrations checked in). A leaf: imports no bcon package.
export type { Store, StoreDb } from './open.js';
export { bconHome, openStore } from './open.js';
export { StoreError } from './errors.js';
export type { CpuSampleRow } from './samples.js';
export { SAMPLE_RETENTION_MS, latestSamples, recordSamples } from './samples.js';
export { driftReports, metricSamples } from './schema.js';
export type { DriftRecord } from './drift-history.js';
export { latestDriftReport, listDriftHistory, recordDriftReport } from './drift-history.js';
