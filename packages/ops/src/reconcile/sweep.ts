/**
 * The sweep's bookkeeping, one host at a time. Every `reconcile.sweep` a pass judges every service of a host, the
 * quiet ones too (their containers look fine), on the logs since the last sweep. A fault found on a quiet service is
 * reported only when the sweep before found the same cause on it (it persists: not what a start went through, not a
 * blip). What a sweep reported is listed by the passes in between; a service that turns wrong meanwhile is the
 * ordinary passes' business. Pure functions: the pass gives the clock, the stored record and what it found.
 */

/** What is kept of a host's last sweep (BCON_HOME/reconciler-state.json, `sweeps[host]`). */
export interface SweepRecord {
  /** when its logs were read: the next sweep reads from there */
  at: string;
  /** the desired state's commit it was made at */
  commit?: string | null;
  /** what it found on the quiet services, `project/service|cause` */
  claims?: string[];
  /** what it reported (found by the sweep before too) */
  reports: unknown[];
  /** what it found on the quiet services, whole (a fault read from an onset is carried to the next sweep from it) */
  found?: unknown[];
  /** claim → the onset a finding was read from (errors that took over or jumped, a latency that rose): what the next sweep checks */
  marks?: Record<string, unknown>;
}

/** The part of a report the sweep looks at. */
export interface SweepReport {
  /** `project/service` */
  service: string;
  culprit: string;
  cause: string;
  /** found on a service read only because of the sweep */
  swept?: boolean;
  evidence?: string[];
}

export interface SweepPlan {
  /** this pass sweeps the host */
  due: boolean;
  /** the sweep before (undefined when there was none, or long ago: the host was away, the reconciler stopped) */
  last: SweepRecord | undefined;
  /** a due sweep reads the quiet services' logs since then (epoch ms) */
  since: number | undefined;
}

/** Whether a pass at `now` sweeps a host, and from when. `sweepMs` 0 is the sweep off. */
export function planSweep(record: SweepRecord | undefined, now: number, sweepMs: number): SweepPlan {
  if (sweepMs <= 0) return { due: false, last: undefined, since: undefined };
  const at = record ? Date.parse(record.at) : Number.NaN;
  const due = !(now - at < sweepMs);
  // a sweep older than two intervals is no "sweep before"
  const last = record && now - at <= 2 * sweepMs ? record : undefined;
  return { due, last, since: due && last ? at : undefined };
}

const claimOf = (r: SweepReport) => `${r.service}|${r.cause}`;
const serviceOfClaim = (c: string) => c.slice(0, c.lastIndexOf('|'));

/**
 * The services (`project/service`) a sweep found something on: the next sweep reads these on their logs since it (a
 * finding must persist to be reported). The others it found nothing on are read over the whole window again, as at a
 * first sighting: a fault that began shortly before a sweep, too young to be told then, has its onset before it.
 */
export function claimedServices(last: SweepRecord | undefined): Set<string> {
  return new Set((last?.claims ?? []).map(serviceOfClaim));
}

/**
 * After a sweep: the swept reports that stand (the same cause in the sweep before; or a service already reported that
 * the sweep before found something on: its leading cause may change), the ordinary reports untouched, and the record
 * to keep.
 *
 * A fault read from an onset (errors that took a service's output over or jumped after clean lines, a latency that
 * rose) cannot be found again in the logs since the sweep before: they begin after the onset. Such a finding of the
 * sweep before (it has a mark: its onset) is carried instead when the logs since still show it (`persisting`), on a
 * service still quiet and with nothing else found on it now; carried, it counts as found again (and is reported).
 */
export function afterSweep<R extends SweepReport>(input: {
  reports: readonly R[];
  last: SweepRecord | undefined;
  /** is this service reported already (told to people, kept in the state)? */
  alreadyReported: (service: string) => boolean;
  collectedAt: string;
  commit: string | null;
  /** the services read only because of this sweep (culprit names) */
  quiet?: ReadonlySet<string>;
  /** the mark of a report found now (the onset it was read from), if it has one */
  markOf?: (r: R) => unknown;
  /** does a marked finding of the sweep before still hold in this sweep's logs? the words that say so */
  persisting?: (r: R, mark: unknown) => string | undefined;
}): { reports: R[]; record: SweepRecord } {
  const before = new Set(input.last?.claims ?? []);
  const beforeServices = new Set([...before].map(serviceOfClaim));
  const marks = input.last?.marks ?? {};
  const seen = input.reports.filter((r) => r.swept);
  const named = new Set(input.reports.map((r) => r.culprit));
  const carried: Array<{ found: R; report: R }> = [];
  for (const r of (input.last?.found ?? []) as R[]) {
    const mark = marks[claimOf(r)];
    if (!mark || !before.has(claimOf(r)) || named.has(r.culprit) || !input.quiet?.has(r.culprit)) continue;
    const still = input.persisting?.(r, mark);
    if (still) carried.push({ found: r, report: { ...r, evidence: [...(r.evidence ?? []), `still so in the logs since the last sweep: ${still}`] } });
  }
  const reports = [...input.reports.filter((r) => !r.swept || before.has(claimOf(r)) || (input.alreadyReported(r.service) && beforeServices.has(r.service))), ...carried.map((c) => c.report)];
  const found = [...seen, ...carried.map((c) => c.found)];
  const newMarks: Record<string, unknown> = {};
  for (const r of seen) {
    const m = input.markOf?.(r);
    if (m) newMarks[claimOf(r)] = m;
  }
  for (const c of carried) newMarks[claimOf(c.found)] = marks[claimOf(c.found)];
  return {
    reports,
    record: { at: input.collectedAt, commit: input.commit, claims: found.map(claimOf), reports: reports.filter((r) => r.swept), found, ...(Object.keys(newMarks).length ? { marks: newMarks } : {}) },
  };
}

/**
 * A pass between sweeps: what the last sweep reported is listed while the commit is the same, the service has a
 * container here, and no ordinary judgment of this pass names it (one that did is dropped for good: the next sweep
 * decides again). `record` is what to keep (unchanged when nothing was dropped).
 */
export function betweenSweeps<R extends SweepReport>(input: {
  stored: SweepRecord;
  commit: string | null;
  /** services this pass judged itself (reports and candidates) */
  named: ReadonlySet<string>;
  /** services with a container on the host */
  present: ReadonlySet<string>;
}): { listed: R[]; record: SweepRecord } {
  const all = input.stored.reports as R[];
  const listed = all.filter((r) => input.stored.commit === input.commit && !input.named.has(r.culprit) && input.present.has(r.culprit));
  return { listed, record: listed.length === all.length ? input.stored : { ...input.stored, reports: listed } };
}
