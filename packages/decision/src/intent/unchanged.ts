import type { IntentOperation } from './operations.js';
import type { ServiceNow } from './parse.js';

/**
 * What the file already says, compared after normalising both sides, one comparison per operation type: durations
 * (60s = 1m = 60000ms), bytes (1024M = 1G, both already bytes), CPUs as numbers (0.5 = "0.5"), environment values as
 * strings, images with or without docker.io/library/ and :latest, restart policy names, healthcheck commands in their
 * exec or shell form. An operation the file already carries out is never emitted; a healthcheck keeps only the
 * fields that differ. The request is `no_change` when nothing is left.
 */

/** A compose duration in nanoseconds ("1m30s", "5000ms", "1.5s", "2h"); undefined when it is none. */
export function durationNs(text: string): number | undefined {
  const s = text.trim().toLowerCase();
  if (!s) return undefined;
  const unit: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  let total = 0;
  let rest = s;
  while (rest) {
    const m = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/.exec(rest);
    if (!m) return undefined;
    total += Number(m[1]) * (unit[m[2] as string] as number);
    rest = rest.slice(m[0].length);
  }
  return Math.round(total);
}

/** An image reference as the engine reads it: docker.io/library/ and index.docker.io/ dropped, :latest when no tag. */
export function normalImage(ref: string): string {
  let r = ref.trim();
  const at = r.indexOf('@');
  const digest = at >= 0 ? r.slice(at) : '';
  if (at >= 0) r = r.slice(0, at);
  r = r.replace(/^(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\//i, '');
  r = r.replace(/^library\//, '');
  const slash = r.lastIndexOf('/');
  const tagged = r.slice(slash + 1).includes(':');
  const name = tagged ? r.slice(0, r.lastIndexOf(':')) : r;
  const tag = tagged ? r.slice(r.lastIndexOf(':') + 1) : digest ? '' : 'latest';
  return `${name.toLowerCase()}${tag ? `:${tag}` : ''}${digest.toLowerCase()}`;
}

/** A restart policy name: "on_failure", "On-Failure", "on-failure:3" → on-failure; "none", "never" → no. */
export function normalRestart(name: string): string {
  const n = name.trim().toLowerCase().replace(/_/g, '-').replace(/:\d+$/, '');
  return n === 'none' || n === 'never' || n === 'false' ? 'no' : n;
}

/** A healthcheck test in its exec form where the shell adds nothing (["CMD-SHELL", "curl -f x"] = ["CMD", "curl", "-f", "x"]). */
export function normalTest(test: string[]): string[] {
  const [kind, ...rest] = test;
  if (kind === 'CMD-SHELL' && rest.length === 1 && !/[|&;<>$`"'\\*?(){}[\]~]/.test(rest[0] as string)) return ['CMD', ...(rest[0] as string).trim().split(/\s+/)];
  if (kind === 'CMD') return ['CMD', ...rest];
  return test;
}

const sameNumber = (a: number | undefined, b: number | undefined) => a !== undefined && b !== undefined && Math.abs(a - b) < 1e-6;

/**
 * The part of an operation the file does not say yet: the operation itself, a healthcheck with only the fields that
 * differ, or nothing when the file already says it all.
 */
export function stillToDo(op: IntentOperation, now: ServiceNow | undefined): IntentOperation | undefined {
  if (!now) return op;
  switch (op.op) {
    case 'set_replicas':
      return now.replicas === op.value ? undefined : op;
    case 'set_memory_limit':
      return now.memoryBytes === op.bytes ? undefined : op;
    case 'set_memory_reservation':
      return now.memoryReservationBytes === op.bytes ? undefined : op;
    case 'set_cpu_limit':
      return sameNumber(now.cpus, op.cpus) ? undefined : op;
    case 'set_env': {
      const had = now.environment[op.name];
      return had !== undefined && had !== null && String(had) === String(op.value) ? undefined : op;
    }
    case 'unset_env':
      return op.name in now.environment ? op : undefined;
    case 'set_image':
      return now.image !== undefined && normalImage(now.image) === normalImage(op.image) ? undefined : op;
    case 'set_restart':
      return now.restart !== undefined && normalRestart(now.restart) === op.policy ? undefined : op;
    case 'add_dependency':
      return now.dependsOn.includes(op.depends_on) ? undefined : op;
    case 'remove_dependency':
      return now.dependsOn.includes(op.depends_on) ? op : undefined;
    case 'add_port': {
      // with the file's mappings known, the same host port to another container port is a change
      if (now.ports) return now.ports.some((p) => p.published === op.published && p.target === op.target && p.protocol === (op.protocol ?? 'tcp')) ? undefined : op;
      return now.published.includes(op.published) ? undefined : op;
    }
    case 'remove_port':
      return now.published.includes(op.published) ? op : undefined;
    case 'set_healthcheck': {
      const hc = now.healthcheck;
      if (!hc) return op;
      const same: Record<string, boolean> = {
        interval: op.interval !== undefined && sameNumber(durationNs(op.interval), hc.intervalNs),
        timeout: op.timeout !== undefined && sameNumber(durationNs(op.timeout), hc.timeoutNs),
        retries: op.retries !== undefined && op.retries === hc.retries,
        test: op.test !== undefined && !!hc.test && JSON.stringify(normalTest(op.test)) === JSON.stringify(normalTest(hc.test)),
      };
      const keep = Object.fromEntries(Object.entries(op).filter(([k]) => !same[k])) as typeof op;
      return Object.keys(keep).length > 2 ? keep : undefined;
    }
  }
}
