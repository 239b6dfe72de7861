import ansis from 'ansis';
import { describe, expect, it } from 'vitest';
import { NOW, container, snapshot } from '../__fixtures__/facts.js';
import { buildStatusReport } from '../status/build.js';
import { renderStatusText } from './status-text.js';

describe('renderStatusText', () => {
  it('shows the engine, a tally and one row per service with its reason', () => {
    const report = buildStatusReport(
      snapshot([container({ service: 'web' }), container({ service: 'db', state: 'exited', exitCode: 137, oomKilled: true })]),
      { now: NOW },
    );
    const text = ansis.strip(renderStatusText(report));
    expect(text).toContain('Docker 20.10.24 at unix:///var/run/docker.sock (API 1.41, 2 CPUs, 8 GiB)');
    expect(text).toContain('2 services in 1 project, 2 containers (1 running): 1 ok, 0 degraded, 1 down');
    expect(text).toMatch(/^ {2}db\s+down\s+0\/1\s+exited \(137, OOM\)\s+-\s+0\s+-\s+-\s+exited \(137, OOM killed\)$/m);
    expect(text).toMatch(/^ {2}web\s+ok\s+1\/1\s+running\s+1h\s+0/m);
  });

  it('says so when the engine has no containers', () => {
    expect(renderStatusText(buildStatusReport(snapshot([]), { now: NOW }))).toContain('No containers on this engine.');
  });
});
