export { buildStackDriftReport, compareSwarmService } from './stack-drift.js';
export type { SwarmServiceStatus, SwarmStatusReport, SwarmVerdict } from './swarm-status.js';
export { assessSwarmService, buildSwarmStatus, lastFailedTask, renderSwarmStatusText } from './swarm-status.js';
export type { SwarmDiagnosis, SwarmHypothesis } from './swarm-diagnose.js';
export { SWARM_CAUSE_CODES, SwarmDiagnosisSchema, diagnoseSwarmService, renderSwarmDiagnosisText } from './swarm-diagnose.js';
