import type { LaterLogs } from './analyzers/log-error-spike.js';
import { errorsPersist } from './analyzers/log-error-spike.js';
import type { Onset } from './finding.js';
import { risenFrom } from './service-state.js';

/** What later logs of a service measured, for an onset to be checked against (a Diagnosis' measurements and templates). */
export interface LaterReading extends LaterLogs {
  latencyP50Ms: number | undefined;
}

/**
 * Does an onset found in an earlier reading still hold in a later one whose logs begin after it? Errors: the same
 * template still logged with what made it one (errorsPersist). Latency: the median still risen from the usual one
 * measured before the onset (the rule that found it). The words that say so, or undefined.
 */
export function onsetPersists(onset: Onset, later: LaterReading | undefined): string | undefined {
  if (!later) return undefined;
  if (onset.kind === 'errors') return errorsPersist(onset.template, later);
  const now = later.latencyP50Ms;
  if (now === undefined || !risenFrom(now, onset.usualMs)) return undefined;
  return `${onset.service}'s median response time is ${Math.round(now)} ms (usual ${Math.round(onset.usualMs)} ms, before it rose)`;
}
