import type { Target, TargetSelection } from '@bcon/ops';
import type { EventHub } from './event-hub.js';
import type { ViewRedactor } from './redaction.js';

/** What every route of `bcon serve` shares. */
export interface ServeContext {
  /** the engines, as bcon.yaml / DOCKER_HOST / the default socket say (resolved once at start) */
  selection: TargetSelection;
  targets: Target[];
  /** the compose repository (bcon.yaml, drift, guardrails): the directory bcon serve started in */
  repo: string;
  /** who approves from this page (the person who ran bcon serve) */
  actor: string;
  redactor: ViewRedactor;
  hub: EventHub;
  /** seconds of events and logs a diagnosis reads */
  windowSeconds: number;
}

/** A target's display name: its bcon.yaml name, else "local" for the only engine. */
export function hostName(t: Target): string {
  return t.name ?? 'local';
}
