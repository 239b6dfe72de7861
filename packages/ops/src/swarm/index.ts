export type { ActiveSwarm } from './read.js';
export { isSwarmService, pickService, readSwarmOn } from './read.js';
export { swarmDiagnose, swarmDrift, swarmLogs, swarmStatus } from './read-use-cases.js';
export type { SwarmAction, SwarmChange } from './write-use-cases.js';
export { planSwarmChange, runSwarmProposal, swarmContainers, swarmProposal } from './write-use-cases.js';
