import type { ServiceSignals } from './signals.js';
import { keyValueList } from '@bcon/sensor';
import type { PatternHits } from './log-digest.js';
import { runsOnSince } from './service-state.js';

/**
 * The words a service's settings give it: every value of its environment, and every word of its command and
 * entrypoint that is one word (`--upstream=api.internal:8080`; not a script's text).
 */
function settingWords(service: Pick<ServiceSignals, 'containers'>): { values: string[]; words: string[] } {
  const values: string[] = [];
  const words: string[] = [];
  for (const c of service.containers) {
    for (const v of Object.values(keyValueList(c.config.env))) if (v) values.push(v);
    for (const a of [...(c.config.entrypoint ?? []), ...(c.config.cmd ?? [])]) if (!/\s/.test(a)) words.push(a);
  }
  return { values, words };
}

/**
 * Whether a host name or address is one a service's settings give it: a value of its environment names it (a URL, a
 * host, host:port), a word of its command does, or a service of the stack is called so. A failure to reach a name
 * none of these gives is a call its code makes on its own — an update check, telemetry, a plugin catalog, an
 * integration set up in its own database.
 */
export function namedInSettings(service: Pick<ServiceSignals, 'containers'>, host: string, isService: (name: string) => boolean): boolean {
  if (isService(host)) return true;
  const h = host.toLowerCase();
  const { values, words } = settingWords(service);
  return [...values, ...words].some((w) => w.toLowerCase().includes(h));
}

/** Whether a service's settings name a port on this machine: a value `:9187…` or `9187` in its environment or command. */
export function portInSettings(service: Pick<ServiceSignals, 'containers'>, port: number): boolean {
  const at = new RegExp(`:${port}(?!\\d)`);
  const { values, words } = settingWords(service);
  return values.some((v) => v === String(port) || at.test(v)) || words.some((a) => a === String(port) || at.test(a) || a.endsWith(`=${port}`));
}

/**
 * Whether a service has run on, sound, since the first of these failures (service-state's runsOnSince, from the
 * first line's time): what an outside lead (a name or an address none of its settings gives it) needs.
 */
export function ranOnThrough(service: ServiceSignals, hits: readonly PatternHits[]): boolean {
  const since = Math.min(...hits.map((h) => h.first.at ?? Number.POSITIVE_INFINITY));
  return hits.length > 0 && runsOnSince(service, Number.isFinite(since) ? since : undefined);
}
