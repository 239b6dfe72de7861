import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FINISHED_JOB_RETENTION_MS, finishedJobsSeen, recordFinishedJobs } from './finished-jobs.js';
import { openStore } from './open.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('finished jobs remembered in a real SQLite file', () => {
  it('answers for the same exit on the same engine only, and forgets past retention', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bcon-store-'));
    dirs.push(dir);
    const s = openStore({ home: dir });
    const now = 1_800_000_000_000;
    recordFinishedJobs(s, 'unix:///a', [{ containerId: 'c1', finishedAt: '2026-12-03T10:00:00Z' }], now);
    expect(finishedJobsSeen(s, 'unix:///a', [{ containerId: 'c1', finishedAt: '2026-12-03T10:00:00Z' }, { containerId: 'c2', finishedAt: '2026-12-03T10:00:00Z' }])).toEqual(['c1']);
    // the container ran again and exited later: that exit is judged anew
    expect(finishedJobsSeen(s, 'unix:///a', [{ containerId: 'c1', finishedAt: '2026-12-03T11:00:00Z' }])).toEqual([]);
    expect(finishedJobsSeen(s, 'unix:///b', [{ containerId: 'c1', finishedAt: '2026-12-03T10:00:00Z' }])).toEqual([]);
    // judged again later at the same exit (a pass that still sees it): kept past the first retention
    recordFinishedJobs(s, 'unix:///a', [{ containerId: 'c1', finishedAt: '2026-12-03T10:00:00Z' }], now + FINISHED_JOB_RETENTION_MS / 2);
    recordFinishedJobs(s, 'unix:///a', [], now + FINISHED_JOB_RETENTION_MS + 1);
    expect(finishedJobsSeen(s, 'unix:///a', [{ containerId: 'c1', finishedAt: '2026-12-03T10:00:00Z' }])).toEqual(['c1']);
    // not seen for the retention (the container was removed): forgotten
    recordFinishedJobs(s, 'unix:///a', [], now + FINISHED_JOB_RETENTION_MS * 1.5 + 1);
    expect(finishedJobsSeen(s, 'unix:///a', [{ containerId: 'c1', finishedAt: '2026-12-03T10:00:00Z' }])).toEqual([]);
    s.close();
  });
});
