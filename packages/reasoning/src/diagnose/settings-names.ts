import type { ServiceSignals } from './signals.js';
import { keyValueList } from '@bcon/sensor';
import type { PatternHits } from './log-digest.js';
import { runsOnSince } from './service-state.js';

/**
 * Whether a host name or address is one a service's settings give it: a value of its environment names it (a URL, a
 * host, host:port), a word of its command does (`--upstream=api.internal:8080`; not a script's text), or a service
 * of the stack is called so. A failure to reach a name none of these gives is a call its code makes on its own —
 * an update check, telemetry, a plugin catalog, an integration set up in its own database.
 */
export function namedInSettings(service: Pick<ServiceSignals, 'containers'>, host: string, isService: (name: string) => boolean): boolean {
  const h = host.toLowerCase();
  if (isService(host)) return true;
  for (const c of service.containers) {
    for (const v of Object.values(keyValueList(c.config.env))) if (v && v.toLowerCase().includes(h)) return true;
    for (const a of [...(c.config.entrypoint ?? []), ...(c.config.cmd ?? [])]) if (!/\s/.test(a) && a.toLowerCase().includes(h)) return true;
  }
  return false;
}

/** Whether a service's settings name a port on this machine: a value `:9187…` or `9187` in its environment or command. */
export function portInSettings(service: Pick<ServiceSignals, 'containers'>, port: number): boolean {
  const at = new RegExp(`:${port}(?!\\d)`);
  for (const c of service.containers) {
    for (const v of Object.values(keyValueList(c.config.env))) if (v && (v === String(port) || at.test(v))) return true;
    for (const a of [...(c.config.entrypoint ?? []), ...(c.config.cmd ?? [])]) if (!/\s/.test(a) && (a === String(port) || at.test(a) || a.endsWith(`=${port}`))) return true;
  }
  return false;
}

/**
 * Whether a service has run on, sound, since the first of these failures (service-state's runsOnSince, from the
 * first line's time): what an outside lead (a name or an address none of its settings gives it) needs.
 */
export function ranOnThrough(service: ServiceSignals, hits: readonly PatternHits[]): boolean {
  const since = Math.min(...hits.map((h) => h.first.at ?? Number.POSITIVE_INFINITY));
  return hits.length > 0 && runsOnSince(service, Number.isFinite(since) ? since : undefined);
}
