import type { ContainerFacts } from '@bcon/sensor';
import { describe, expect, it } from 'vitest';
import { keptStarts, startUndecided, unheldStart } from './held-start.js';

describe('unheldStart', () => {
  const T = Date.parse('2026-12-07T10:00:00Z');
  // the record is written once the verify is done (3 s after the start)
  const started = { key: 'h|p/search|container.start|{}', commit: 'abc', at: new Date(T + 3000).toISOString(), containers: ['p_search_1'] };
  const facts = (over: Partial<ContainerFacts>): ContainerFacts => ({ name: 'p_search_1', state: 'exited', startedAt: new Date(T).toISOString(), finishedAt: new Date(T + 4000).toISOString(), oomKilled: true, exitCode: 137, ...over }) as ContainerFacts;

  it('down again after a short run: the start did not hold, and says how', () => {
    const f = unheldStart(started, [facts({})]);
    expect(f).toMatchObject({ failed: { key: started.key, commit: 'abc', at: started.at }, oomKilled: true });
    expect(f?.failed.why).toMatch(/verified running, then p_search_1 died again 4 s after that start \(OOM-killed\)/);
    expect(unheldStart(started, [facts({ oomKilled: false, exitCode: 1 })])).toMatchObject({ oomKilled: false, failed: { why: expect.stringMatching(/\(exit code 1\)/) } });
  });

  it('held: still running, a run that lasted, or nothing to tell by', () => {
    expect(unheldStart(started, [facts({ state: 'running' })])).toBeUndefined();
    // ran 40 s (longer than a short run) before it died: another failure, judged afresh
    expect(unheldStart(started, [facts({ finishedAt: new Date(T + 41_000).toISOString() })])).toBeUndefined();
    expect(unheldStart(started, [facts({ name: 'other' })])).toBeUndefined();
    expect(unheldStart(started, [facts({ finishedAt: undefined })])).toBeUndefined();
    // a later start (by hand, 50 min on) that died soon: not the pass's start
    expect(unheldStart(started, [facts({ startedAt: new Date(T + 50 * 60_000).toISOString(), finishedAt: new Date(T + 50 * 60_000 + 5000).toISOString() })])).toBeUndefined();
    // a finish before the start (the engine's zero time of a container never finished)
    expect(unheldStart(started, [facts({ finishedAt: '0001-01-01T00:00:00Z' })])).toBeUndefined();
  });

  it('undecided while it may die yet: running for less than a short run since the start', () => {
    const at = Date.parse(started.at);
    expect(startUndecided(started, [facts({ state: 'running' })], at + 2000)).toBe(true);
    expect(startUndecided(started, [facts({ state: 'restarting' })], at + 2000)).toBe(false);
    // ran longer than a short run: it held; down: judged now; another container: nothing to wait for
    expect(startUndecided(started, [facts({ state: 'running' })], at + 31_000)).toBe(false);
    // restarted by the engine since, 5 s into its new run: it may die yet
    expect(startUndecided(started, [facts({ state: 'running', startedAt: new Date(at + 40_000).toISOString() })], at + 45_000)).toBe(true);
    expect(startUndecided(started, [facts({})], at + 2000)).toBe(false);
    expect(startUndecided(started, [facts({ name: 'other', state: 'running' })], at + 2000)).toBe(false);
  });

  it('a container its engine restarts: judged by its last run, also one the engine started after the pass', () => {
    expect(unheldStart(started, [facts({ state: 'restarting' })])).toMatchObject({ oomKilled: true });
    const later = facts({ state: 'restarting', startedAt: new Date(T + 4 * 60_000).toISOString(), finishedAt: new Date(T + 4 * 60_000 + 3000).toISOString() });
    expect(unheldStart(started, [later])).toMatchObject({ oomKilled: true });
    // exited (no policy restarts it): a later start is someone else's
    expect(unheldStart(started, [{ ...later, state: 'exited' }])).toBeUndefined();
    // a run 20 min on: the start held, this is another failure
    const much = facts({ state: 'restarting', startedAt: new Date(T + 20 * 60_000).toISOString(), finishedAt: new Date(T + 20 * 60_000 + 3000).toISOString() });
    expect(unheldStart(started, [much])).toBeUndefined();
  });

  it('records are kept an hour', () => {
    expect(keptStarts([started], T + 59 * 60_000)).toHaveLength(1);
    expect(keptStarts([started], T + 64 * 60_000)).toHaveLength(0);
  });
});
