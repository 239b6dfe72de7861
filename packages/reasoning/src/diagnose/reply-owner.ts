import type { AnalyzerContext } from './finding.js';
import type { LogPattern } from './log-patterns.js';
import type { ServiceSignals } from './signals.js';

/** What names a server of each software: its service name, its image's repository, or its command's program. */
const SERVERS: Record<NonNullable<LogPattern['replyOf']>, RegExp> = {
  redis: /^(?:redis|valkey|keydb)(?:[-_.\d]|server|$)/,
};

/** The words a service is known by: its name, its image's repository (no registry, no tag) and its program. */
function namesOf(s: ServiceSignals): string[] {
  const out = [s.name];
  const images = [s.spec?.image, ...s.containers.map((c) => c.image)].filter((i): i is string => Boolean(i));
  for (const i of images) out.push(i.replace(/[@:][^/]*$/, '').split('/').pop() ?? '');
  const programs = [s.spec?.entrypoint?.[0], s.spec?.command?.[0], ...s.containers.flatMap((c) => [c.config.entrypoint?.[0], c.config.cmd?.[0]])];
  for (const p of programs) if (p) out.push(p.split('/').pop() ?? '');
  return out.map((n) => n.toLowerCase());
}

/**
 * The service whose reply a line quotes (a pattern with `replyOf`), when the service that logged it is a client of
 * it: the one direct dependency of that service known by the software's name (service name, image or program), else
 * the one such service in its compose project. Undefined when the service is that server itself, or when none or several fit:
 * then the line stays the logging service's own.
 */
export function replyOwner(service: ServiceSignals, pattern: LogPattern, ctx: AnalyzerContext): ServiceSignals | undefined {
  if (!pattern.replyOf) return undefined;
  const re = SERVERS[pattern.replyOf];
  const serves = (s: ServiceSignals) => namesOf(s).some((n) => re.test(n));
  if (serves(service)) return undefined;
  const deps = ctx.graph
    .dependenciesOf(service.name)
    .map((e) => ctx.service(e.to))
    .filter((d): d is ServiceSignals => d !== undefined && d.project === service.project && serves(d));
  const unique = [...new Map(deps.map((d) => [d.name, d])).values()];
  if (unique.length === 1) return unique[0];
  if (unique.length > 1) return undefined;
  // the client's own project only (compose projects are separate apps; a lone container is nobody's)
  const all = ctx.signals.services.filter((s) => s !== service && s.project !== undefined && s.project === service.project && serves(s));
  return all.length === 1 ? all[0] : undefined;
}
