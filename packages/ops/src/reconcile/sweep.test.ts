import { describe, expect, it } from 'vitest';
import type { SweepRecord, SweepReport } from './sweep.js';
import { afterSweep, betweenSweeps, claimedServices, planSweep } from './sweep.js';

const MIN = 60_000;
const T0 = Date.parse('2026-12-03T08:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

const typo: SweepReport = { service: 'shop/payments', culprit: 'payments', cause: 'dns_failure', swept: true };
const refusals: SweepReport = { service: 'shop/booting', culprit: 'booting', cause: 'connection_refused', swept: true };
const ordinary: SweepReport = { service: 'shop/api', culprit: 'api', cause: 'port_conflict' };

describe('planSweep (a fake clock)', () => {
  it('sweeps a host never swept, from nothing', () => {
    expect(planSweep(undefined, T0, 5 * MIN)).toEqual({ due: true, last: undefined, since: undefined });
  });

  it('is not due before the interval, due at it, and reads from the last sweep', () => {
    const record: SweepRecord = { at: iso(T0), commit: 'c1', claims: [], reports: [] };
    expect(planSweep(record, T0 + 5 * MIN - 1, 5 * MIN).due).toBe(false);
    expect(planSweep(record, T0 + 5 * MIN, 5 * MIN)).toEqual({ due: true, last: record, since: T0 });
  });

  it('a sweep more than two intervals ago is no "sweep before" (the host was away, the reconciler stopped)', () => {
    const record: SweepRecord = { at: iso(T0), claims: ['shop/payments|dns_failure'], reports: [] };
    expect(planSweep(record, T0 + 10 * MIN, 5 * MIN).last).toBe(record);
    expect(planSweep(record, T0 + 10 * MIN + 1, 5 * MIN)).toEqual({ due: true, last: undefined, since: undefined });
  });

  it('the sweep off is never due; an unreadable stamp is a sweep now', () => {
    expect(planSweep({ at: iso(T0), reports: [] }, T0 + 60 * MIN, 0).due).toBe(false);
    expect(planSweep({ at: 'not a date', reports: [] }, T0, 5 * MIN)).toEqual({ due: true, last: undefined, since: undefined });
  });
});

describe('afterSweep: a fault on a quiet service is reported when two sweeps in a row find it', () => {
  const first = afterSweep({ reports: [typo, refusals, ordinary], last: undefined, alreadyReported: () => false, collectedAt: iso(T0), commit: 'c1' });

  it('the first sighting reports nothing of the quiet services, keeps the ordinary report, and claims both', () => {
    expect(first.reports).toEqual([ordinary]);
    expect(first.record).toEqual({ at: iso(T0), commit: 'c1', claims: ['shop/payments|dns_failure', 'shop/booting|connection_refused'], reports: [], found: [typo, refusals] });
  });

  it('the second reports what persists only (the start-up refusals are gone from the logs since the first)', () => {
    const second = afterSweep({ reports: [typo], last: first.record, alreadyReported: () => false, collectedAt: iso(T0 + 5 * MIN), commit: 'c1' });
    expect(second.reports).toEqual([typo]);
    expect(second.record.claims).toEqual(['shop/payments|dns_failure']);
    expect(second.record.reports).toEqual([typo]);
  });

  it('another cause on the same service is a first sighting, unless the service is reported already', () => {
    const other = { ...typo, cause: 'dependency_slow' };
    const last: SweepRecord = { at: iso(T0), claims: ['shop/payments|dns_failure'], reports: [] };
    expect(afterSweep({ reports: [other], last, alreadyReported: () => false, collectedAt: iso(T0 + 5 * MIN), commit: 'c1' }).reports).toEqual([]);
    expect(afterSweep({ reports: [other], last, alreadyReported: (s) => s === 'shop/payments', collectedAt: iso(T0 + 5 * MIN), commit: 'c1' }).reports).toEqual([other]);
    // reported already, but the sweep before found nothing on it: a first sighting again
    expect(afterSweep({ reports: [other], last: { ...last, claims: [] }, alreadyReported: () => true, collectedAt: iso(T0 + 5 * MIN), commit: 'c1' }).reports).toEqual([]);
  });
});

describe('claimedServices: which quiet services the next sweep reads only since the last one', () => {
  it('those the last sweep found something on; the others (and all, with no sweep before) get the whole window', () => {
    const first = afterSweep({ reports: [refusals], last: undefined, alreadyReported: () => false, collectedAt: iso(T0), commit: 'c1' });
    expect([...claimedServices(first.record)]).toEqual(['shop/booting']);
    expect(claimedServices(undefined).size).toBe(0);
    expect(claimedServices({ at: iso(T0), reports: [] }).size).toBe(0);
  });

  it('a fault too young for the first sweep: found by the second (whole window), reported by the third (since it)', () => {
    const first = afterSweep({ reports: [], last: undefined, alreadyReported: () => false, collectedAt: iso(T0), commit: 'c1' });
    expect(claimedServices(first.record).has('shop/payments')).toBe(false);
    const second = afterSweep({ reports: [typo], last: first.record, alreadyReported: () => false, collectedAt: iso(T0 + 5 * MIN), commit: 'c1' });
    expect(second.reports).toEqual([]);
    expect(claimedServices(second.record).has('shop/payments')).toBe(true);
    const third = afterSweep({ reports: [typo], last: second.record, alreadyReported: () => false, collectedAt: iso(T0 + 10 * MIN), commit: 'c1' });
    expect(third.reports).toEqual([typo]);
  });
});

describe('afterSweep: an error onset found by the sweep before is carried while the logs since still show it', () => {
  const onset = { service: 'shop/billing', culprit: 'billing', cause: 'log_error_spike', swept: true, evidence: ['since 08:00:03: 40 of 44 lines are errors'] };
  const TEMPLATE = 'charge failed status=<*> error=<*>';
  const first = afterSweep({ reports: [onset], last: undefined, alreadyReported: () => false, collectedAt: iso(T0), commit: 'c1', quiet: new Set(['billing']), markOf: (r) => (r.cause === 'log_error_spike' ? TEMPLATE : undefined) });

  it('the first sweep marks the onset with its template and reports nothing', () => {
    expect(first.reports).toEqual([]);
    expect(first.record.marks).toEqual({ 'shop/billing|log_error_spike': TEMPLATE });
  });

  it('the second, finding no onset in the logs since (they begin after it), carries it when they still show it', () => {
    const asked: string[] = [];
    const second = afterSweep({ reports: [], last: first.record, alreadyReported: () => false, collectedAt: iso(T0 + 5 * MIN), commit: 'c1', quiet: new Set(['billing']), persisting: (_r, mark) => (asked.push(String(mark)), '21 lines of it') });
    expect(asked).toEqual([TEMPLATE]);
    expect(second.reports).toEqual([{ ...onset, evidence: [...onset.evidence, 'still so in the logs since the last sweep: 21 lines of it'] }]);
    // found again, without the added line (a third sweep adds its own), and still marked
    expect(second.record).toMatchObject({ claims: ['shop/billing|log_error_spike'], found: [onset], marks: { 'shop/billing|log_error_spike': TEMPLATE } });
  });

  it('not carried when the logs since do not show it, when something else is found on it, or when it is no longer quiet', () => {
    const base = { alreadyReported: () => false, collectedAt: iso(T0 + 5 * MIN), commit: 'c1' as const, last: first.record };
    expect(afterSweep({ ...base, reports: [], quiet: new Set(['billing']), persisting: () => undefined })).toMatchObject({ reports: [], record: { claims: [], found: [] } });
    const other = { ...onset, cause: 'dns_failure', evidence: [] };
    expect(afterSweep({ ...base, reports: [other], quiet: new Set(['billing']), persisting: () => 'yes' }).reports).toEqual([]);
    expect(afterSweep({ ...base, reports: [], quiet: new Set(), persisting: () => 'yes' }).reports).toEqual([]);
    // an unmarked finding (not an onset) is never carried
    expect(afterSweep({ ...base, last: { ...first.record, marks: {} }, reports: [], quiet: new Set(['billing']), persisting: () => 'yes' }).reports).toEqual([]);
  });
});

describe('betweenSweeps: what the last sweep reported is listed while it may still hold', () => {
  const stored: SweepRecord = { at: iso(T0), commit: 'c1', claims: ['shop/payments|dns_failure'], reports: [typo] };
  const present = new Set(['payments', 'api']);

  it('listed at the same commit while the service has a container and no ordinary judgment names it', () => {
    const r = betweenSweeps({ stored, commit: 'c1', named: new Set(), present });
    expect(r.listed).toEqual([typo]);
    expect(r.record).toBe(stored);
  });

  it('dropped for good at another commit, when its container is gone, or once the pass judges the service itself', () => {
    for (const r of [
      betweenSweeps({ stored, commit: 'c2', named: new Set(), present }),
      betweenSweeps({ stored, commit: 'c1', named: new Set(), present: new Set(['api']) }),
      betweenSweeps({ stored, commit: 'c1', named: new Set(['payments']), present }),
    ]) {
      expect(r.listed).toEqual([]);
      expect(r.record.reports).toEqual([]);
      expect(r.record.claims).toEqual(stored.claims);
    }
  });
});
