import type { ContainerFacts } from '@bcon/sensor';
import type { ServiceSignals } from './signals.js';

/** Variables every container carries, set by the image or the engine: no sign of what a container was made to do. */
const GENERIC = /^(?:PATH|HOME|HOSTNAME|TERM|LANG|LANGUAGE|LC_\w+|TZ|SHLVL|PWD|USER|container|GPG_KEY|\w+_VERSION|\w+_SHA256|\w+_DOWNLOAD_URL)$/;
/** A value that names where a program connects: a URL, or host:port. */
const ADDRESS = /^[a-z][\w+.-]*:\/\/\S+|^(?:[a-z][\w.-]*|\d{1,3}(?:\.\d{1,3}){3}):\d{2,5}(?:\/\S*)?$/i;

const live = (s: ServiceSignals): ContainerFacts[] => s.containers.filter((c) => c.state === 'running' || c.state === 'restarting');
const repository = (image: string) => image.replace(/@sha256:\w+$/, '').replace(/:[\w.-]+$/, '');

/** A container's own settings: `NAME=value` pairs of its environment, generic ones left out. */
function settings(c: ContainerFacts): Map<string, string> {
  const out = new Map<string, string>();
  for (const pair of c.config.env) {
    const i = pair.indexOf('=');
    const name = i < 0 ? pair : pair.slice(0, i);
    if (!GENERIC.test(name)) out.set(name, i < 0 ? '' : pair.slice(i + 1));
  }
  return out;
}

/** The addresses a container is told to connect to (the values of its settings that are URLs or host:port). */
export function addressesOf(s: ServiceSignals): Set<string> {
  return new Set(live(s).flatMap((c) => [...settings(c).values()].filter((v) => ADDRESS.test(v))));
}

/**
 * The declared service a container outside the committed files is a second copy of: the same image repository, none
 * of that service's own settings set otherwise, and at least two of them and half of them (one an address) set to the
 * same value (a setting the copy lacks is one its older build did not have yet) — an old
 * `docker run` of a scheduler or a consumer left running beside its compose service, doing its work twice (every
 * scheduled job sent twice, every queue read by a copy that runs older code). Of one declared service only: settings
 * shared by several (an env file every service reads) do not say which one it copies. Names only, never the values:
 * they may be secrets.
 */
export function twinOf(untracked: ServiceSignals, services: readonly ServiceSignals[]): { service: string; settings: string[] } | undefined {
  const mine = live(untracked).map((c) => ({ c, env: settings(c) }));
  if (!mine.length) return undefined;
  const twins: Array<{ service: string; settings: string[] }> = [];
  for (const s of services) {
    if (s === untracked || s.untracked) continue;
    const declared = Object.keys(s.spec?.environment ?? {});
    for (const theirs of live(s)) {
      const all = settings(theirs);
      // the service's own settings: those its files declare (not its image's ENV), else all it runs with
      const names = (declared.length ? declared.filter((n) => all.has(n)) : [...all.keys()]).sort();
      if (names.length < 2) continue;
      const same = mine.flatMap(({ c, env }) => {
        if (repository(c.image) !== repository(theirs.image)) return [];
        // none set otherwise (another broker, another interval: another deployment), most set alike, an address among
        // them; a setting the copy lacks is an older build's (one made before the setting was added)
        if (names.some((n) => env.has(n) && env.get(n) !== all.get(n))) return [];
        const alike = names.filter((n) => env.get(n) === all.get(n));
        // a setting missing only from another build (another tag or image): the same image lacking one is a one-off
        // or a debug shell on the service's image, not a copy of it
        if (alike.length < names.length && c.image === theirs.image && c.imageId === theirs.imageId) return [];
        return alike.length >= 2 && alike.length * 2 >= names.length && alike.some((n) => ADDRESS.test(all.get(n) ?? '')) ? [alike] : [];
      });
      if (same[0]) {
        twins.push({ service: s.name, settings: same[0] });
        break;
      }
    }
  }
  // a copy of one service only: settings several services share (a common env file) say nothing of which it copies
  return twins.length === 1 ? twins[0] : undefined;
}
