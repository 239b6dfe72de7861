// The reconciler's use-cases (Level 3): one pass, the pause switch, and the policy it decides by.
export type { PassDecision, PassHost, PassOptions, PassResult } from './pass.js';
export { RECONCILER_ACTOR, reconcileOnce } from './pass.js';
export { pauseHosts, resumeHosts } from './pause.js';
export type { ReconcilerState } from './state-file.js';
export { readReconcilerState, reconcilerStatePath } from './state-file.js';
export type { Notification } from './notify.js';
export { notificationText, notifyAll } from './notify.js';
export * from './policy/index.js';
