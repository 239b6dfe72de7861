import { citeHits, citeState } from '../cite.js';
import type { Analyzer, AnalyzerContext, Finding } from '../finding.js';
import { clamp } from '../finding.js';
import type { PatternHits } from '../log-digest.js';
import type { CauseCode, LogMatch } from '../log-patterns.js';
import { configuredAccounts } from '../configured-accounts.js';
import { replyOwner } from '../reply-owner.js';
import type { ServiceSignals } from '../signals.js';
import type { Said } from '../text.js';
import { writtenLevel } from '../log-level.js';

/** The most a cause stated only on lines the software wrote as informational may claim: a lead, below 0.5. */
const INFORMATIONAL_CAP = 0.4;
/** The most a server's reply quoted by its client may claim of that server: it says what failed, not why. */
const RELAYED_CAP = 0.4;

export interface PatternCauseSpec {
  name: string;
  cause: CauseCode;
  /** the summary, from the strongest match */
  summary: (service: string, match: LogMatch) => Said;
  suggestions: (service: string, match: LogMatch) => Said[];
  /** extra evidence and confidence from engine facts (e.g. an engine error, a tmpfs size) */
  corroborate?: (service: ServiceSignals, ctx: AnalyzerContext, match: LogMatch) => { evidence: string[]; boost: number };
  /** a lead at most when these lines say so (the software warned and carried on): a cause-specific reading */
  leadOnly?: (hits: readonly PatternHits[]) => boolean;
}

/**
 * An analyzer for a cause that software states in its logs (ENOSPC, EADDRINUSE, EACCES, EMFILE, a missing
 * variable): the strongest pattern sets the confidence; a container that failed with it, or more lines, raise it.
 */
export function patternCause(spec: PatternCauseSpec): Analyzer {
  return {
    name: spec.name,
    causes: [spec.cause],
    analyze(service, ctx): Finding[] {
      const digest = ctx.digests.get(service.name);
      if (!digest) return [];
      // a path that counts only where the container bind-mounts a host path: only the lines naming such a path
      const bound = new Set(service.containers.flatMap((c) => c.mounts.filter((x) => x.type === 'bind').map((x) => x.target)));
      const stated = [...digest.hits.values()].filter((h) => h.matches[0]?.pattern.cause === spec.cause).flatMap((h) => (h.matches[0]?.pattern.mounted ? mountedOnly(h, bound) : [h]));
      // a server's reply its client quotes (Redis's `MISCONF … unable to persist to disk`) is the server's trouble,
      // not the client's: a lead on that server (the reply does not say which — a full disk, a directory it may not
      // write, a fork short of memory: the server's own lines and facts say), nothing on the client
      const owners = new Map(stated.map((h) => [h, h.matches[0]?.pattern.replyOf ? replyOwner(service, h.matches[0].pattern, ctx) : undefined]));
      const found = stated.filter((h) => !owners.get(h));
      const relayed = relayedTo(spec, service, ctx, stated.filter((h) => owners.get(h)), owners);
      if (!found.length) return relayed;
      // what the software wrote as informational (`info: can not modify … (read-only file system?)`) is a passing
      // fact it coped with: a lead at most, unless it also said so louder
      const loud = found.filter((h) => h.count > h.informational);
      const all = loud.length ? loud : found;
      all.sort((a, b) => (b.matches[0]?.pattern.weight ?? 0) - (a.matches[0]?.pattern.weight ?? 0) || b.count - a.count);
      const best = all[0] as (typeof all)[number];
      const match = best.matches[best.matches.length - 1] as LogMatch;
      const evidence = all.slice(0, 3).map((h) => citeHits(ctx, h));
      // a container that stopped or restarts with it is the error that matters, not a passing line
      const failing = service.containers.filter((c) => c.state !== 'running' || c.restartCount > 0 || c.exitCode !== 0);
      for (const c of failing.slice(0, 2)) evidence.push(citeState(ctx, c));
      const extra = spec.corroborate?.(service, ctx, match) ?? { evidence: [], boost: 0 };
      evidence.push(...extra.evidence);
      const weight = match.pattern.weight;
      const claimed = clamp(0.45 + 0.4 * weight + (failing.length ? 0.1 : 0) + (best.count >= 3 ? 0.03 : 0) + extra.boost);
      // a path of any name said once by a container that runs well (a script's `grep: /etc/app: Is a directory`) is
      // a lead: only a container that failed with it makes it the fault
      // a server refusing a name no service here is configured with (`role "root"` from a shell or a probe inside the
      // container) was asked by a stray client, not by the stack: a lead at most
      const accounts = configuredAccounts(ctx.signals.services);
      const asked = all.some(
        (h) =>
          h.matches.every((m) => !m.target?.user && !m.target?.database) ||
          h.matches.some((m) => (m.target?.user !== undefined && accounts.users.has(m.target.user)) || (m.target?.database !== undefined && accounts.databases.has(m.target.database))),
      );
      // a warning the software did not carry on past (the last lines of a container that then died) is no lead: its fault
      const lead = spec.leadOnly?.(all) === true && !diedOn(all, service);
      const confidence = loud.length && asked && (!match.pattern.mounted || failing.length > 0) && !lead ? claimed : Math.min(claimed, INFORMATIONAL_CAP);
      return [
        ...relayed,
        {
          cause: spec.cause,
          culprit: service.name,
          observedOn: service.name,
          confidence,
          root: true,
          summary: spec.summary(service.name, match),
          evidence,
          suggestions: spec.suggestions(service.name, match),
        },
      ];
    },
  };
}

/**
 * Whether the software wrote every one of these lines as a warning (the first and the last of each template): it
 * stated the fault and carried on past it (a fallback, an optional feature off) — for the causes where that is so.
 */
export function warnedOnly(hits: readonly PatternHits[]): boolean {
  return hits.length > 0 && hits.every((h) => [h.first.text, h.last.text].every((t) => writtenLevel(t) === 'warn'));
}

/**
 * Whether a container died on these lines: one of them is the last line of a container of the service that is down or
 * restarting after an error exit (Syncthing's `WARNING: Failure on home directory: … permission denied`,
 * then exit 1) — the software did not carry on past it.
 */
function diedOn(hits: readonly PatternHits[], service: Pick<ServiceSignals, 'containers' | 'logs'>): boolean {
  return hits.some((h) => {
    const c = service.containers.find((x) => x.name === h.last.container);
    // (an exit of its own: not a clean one, a stop's SIGTERM/SIGKILL (143, 137) nor the kernel's OOM kill)
    if (!c || c.state === 'running' || c.state === 'paused' || c.exitCode === 0 || c.exitCode === 137 || c.exitCode === 143 || c.oomKilled) return false;
    return (service.logs[c.name] ?? []).at(-1)?.text === h.last.text;
  });
}

/** A hit's lines that name a path the container bind-mounts a host path at (none: no hit). */
function mountedOnly(h: PatternHits, bound: ReadonlySet<string>): PatternHits[] {
  const matches = h.matches.filter((m) => bound.has(m.target?.path ?? ''));
  if (!matches.length) return [];
  // every line kept names a mounted path: the count is theirs (the matches kept are the first 50 only)
  return [{ ...h, matches, count: matches.length === h.matches.length ? h.count : matches.length, informational: Math.min(h.informational, matches.length) }];
}

/** The leads a client's quoted replies give on the servers that sent them, one per server. */
function relayedTo(spec: PatternCauseSpec, service: ServiceSignals, ctx: AnalyzerContext, hits: readonly PatternHits[], owners: ReadonlyMap<PatternHits, ServiceSignals | undefined>): Finding[] {
  const byOwner = new Map<ServiceSignals, PatternHits[]>();
  for (const h of hits) {
    const o = owners.get(h);
    if (o) byOwner.set(o, [...(byOwner.get(o) ?? []), h]);
  }
  return [...byOwner].map(([owner, mine]) => {
    const match = mine[0]?.matches.at(-1) as LogMatch;
    const own = spec.summary(owner.name, match);
    return {
      cause: spec.cause,
      culprit: owner.name,
      observedOn: service.name,
      confidence: RELAYED_CAP,
      root: true,
      summary: { en: `${service.name} is told so by ${owner.name}: ${own.en}`, ko: `${service.name}이(가) ${owner.name}의 응답으로 전해 받았습니다: ${own.ko}` },
      evidence: mine.slice(0, 2).map((h) => citeHits(ctx, h)),
      suggestions: spec.suggestions(owner.name, match),
    };
  });
}
