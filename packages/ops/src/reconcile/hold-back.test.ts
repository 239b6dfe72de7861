import type { ProposalOption } from '@bcon/decision';
import { describe, expect, it } from 'vitest';
import { holdBackUnanswered } from './hold-back.js';

const option = (culprit: string, cause: string, action = 'container.start'): ProposalOption => ({ n: 1, action: action as ProposalOption['action'], params: { container: `p_${culprit}_1` }, summary: `start p_${culprit}_1`, risk: 'medium', tier: 'autonomous', reasons: [], cause: cause as ProposalOption['cause'], culprit });
const run = (hypotheses: Array<{ cause: string; culprit: string; confidence: number }>, options: ProposalOption[], stopped: string[] = [], passing: string[] = [], portFree: string[] = [], refusedAt: Record<string, string> = {}) => {
  const byCulprit = new Map<string, ProposalOption>();
  for (const o of options) if (!byCulprit.has(o.culprit)) byCulprit.set(o.culprit, o);
  const held = holdBackUnanswered(hypotheses, options, byCulprit, new Set(stopped), new Set(passing), new Set(portFree), new Map(Object.entries(refusedAt)));
  return { held, kept: [...byCulprit.keys()] };
};

describe('holdBackUnanswered', () => {
  it('holds a restart for errors in the logs of a service whose every container runs and passes its healthcheck; without one, it stands', () => {
    const spike = [{ cause: 'log_error_spike', culprit: 'mysql', confidence: 0.6 }];
    const healthy = run(spike, [option('mysql', 'log_error_spike', 'container.restart')], [], ['mysql']);
    expect(healthy.kept).toEqual([]);
    expect(healthy.held.get('mysql')).toMatch(/passes its own healthcheck: reported, not restarted/);
    expect(run(spike, [option('mysql', 'log_error_spike', 'container.restart')]).kept).toEqual(['mysql']);
    // an unhealthy one's restart answers its failing check, not only the lines
    expect(run([{ cause: 'healthcheck_failing', culprit: 'mysql', confidence: 0.8 }], [option('mysql', 'healthcheck_failing', 'container.restart')], [], ['mysql']).kept).toEqual(['mysql']);
  });

  it('holds a restart that answers only a weaker crash loop when the leading hypothesis has no catalog action', () => {
    const { held, kept } = run([{ cause: 'bad_command', culprit: 'api', confidence: 0.85 }, { cause: 'crash_loop', culprit: 'api', confidence: 0.35 }], [option('api', 'crash_loop')]);
    expect(kept).toEqual([]);
    expect(held.get('api')).toMatch(/answers only crash_loop \(35%\); the leading hypothesis, bad_command \(85%\)/);
  });
  it('keeps the option when it answers the leading hypothesis, or one as strong', () => {
    expect(run([{ cause: 'oom_killed', culprit: 'db', confidence: 0.9 }, { cause: 'log_error_spike', culprit: 'db', confidence: 0.5 }], [option('db', 'oom_killed')]).kept).toEqual(['db']);
    expect(run([{ cause: 'crash_loop', culprit: 'db', confidence: 0.6 }, { cause: 'dns_failure', culprit: 'db', confidence: 0.6 }], [option('db', 'crash_loop')]).kept).toEqual(['db']);
  });
  it('keeps a restart when the leading hypothesis is a network one a restart may clear (the other end is back)', () => {
    const r = run([{ cause: 'connection_refused', culprit: 'notifier', confidence: 0.67 }, { cause: 'crash_loop', culprit: 'notifier', confidence: 0.42 }], [option('notifier', 'crash_loop')]);
    expect(r.kept).toEqual(['notifier']);
    expect(r.held.size).toBe(0);
    // …not when no running service of the stack listens where it is refused (its own setting names a port nothing serves)
    const odoo = [{ cause: 'connection_refused', culprit: 'odoo', confidence: 0.85 }, { cause: 'healthcheck_failing', culprit: 'odoo', confidence: 0.6 }];
    const nowhere = run(odoo, [option('odoo', 'healthcheck_failing', 'container.restart')], [], [], [], { odoo: '127.0.0.1:27878' });
    expect(nowhere.kept).toEqual([]);
    expect(nowhere.held.get('odoo')).toMatch(/connection_refused \(85%\), is at 127\.0\.0\.1:27878, where no service of the stack listens: started or restarted, it is refused there again/);
  });
  it('keeps the option when another option of the service answers the leading hypothesis', () => {
    const r = run([{ cause: 'oom_killed', culprit: 'db', confidence: 0.9 }, { cause: 'crash_loop', culprit: 'db', confidence: 0.4 }], [option('db', 'crash_loop'), option('db', 'oom_killed', 'service.set_memory')]);
    expect(r.kept).toEqual(['db']);
  });
  it('keeps repairs toward the committed state (a new commit may be the fix), and ignores hypotheses under 30 %', () => {
    expect(run([{ cause: 'bad_command', culprit: 'web', confidence: 0.9 }, { cause: 'image_drift', culprit: 'web', confidence: 0.6 }], [option('web', 'image_drift', 'service.rollback_image')]).kept).toEqual(['web']);
    expect(run([{ cause: 'dns_failure', culprit: 'web', confidence: 0.25 }, { cause: 'stopped_service', culprit: 'web', confidence: 0.2 }], [option('web', 'stopped_service')]).kept).toEqual(['web']);
  });
  it('only the service concerned is held', () => {
    const r = run([{ cause: 'missing_config', culprit: 'a', confidence: 0.95 }, { cause: 'crash_loop', culprit: 'a', confidence: 0.4 }, { cause: 'stopped_service', culprit: 'b', confidence: 0.9 }], [option('a', 'crash_loop'), option('b', 'stopped_service')]);
    expect(r.kept).toEqual(['b']);
    expect([...r.held.keys()]).toEqual(['a']);
  });
  it('a full disk passes: a container that gave up on it (exited) gets its one start; one the engine keeps restarting does not', () => {
    const hyps = [{ cause: 'disk_full', culprit: 'flows', confidence: 0.94 }, { cause: 'crash_loop', culprit: 'flows', confidence: 0.42 }];
    expect(run(hyps, [option('flows', 'crash_loop')], ['p_flows_1']).kept).toEqual(['flows']);
    expect(run(hyps, [option('flows', 'crash_loop')]).kept).toEqual([]);
    // a restart of a running one is not that
    expect(run(hyps, [option('flows', 'crash_loop', 'container.restart')], ['p_flows_1']).kept).toEqual([]);
    // nor any other cause no restart fixes
    expect(run([{ cause: 'missing_config', culprit: 'flows', confidence: 0.94 }, { cause: 'crash_loop', culprit: 'flows', confidence: 0.42 }], [option('flows', 'crash_loop')], ['p_flows_1']).kept).toEqual([]);
  });

  it('a taken port passes: a container that gave up on it gets its one start when no running service is known to hold its port', () => {
    const hyps = [{ cause: 'port_conflict', culprit: 'navidrome', confidence: 0.94 }, { cause: 'crash_loop', culprit: 'navidrome', confidence: 0.42 }];
    expect(run(hyps, [option('navidrome', 'crash_loop')], ['p_navidrome_1'], [], ['navidrome']).kept).toEqual(['navidrome']);
    // a running service holds it (or bcon cannot tell where it listens): reported, not started
    expect(run(hyps, [option('navidrome', 'crash_loop')], ['p_navidrome_1']).kept).toEqual([]);
    // one the engine keeps restarting re-tries by itself
    expect(run(hyps, [option('navidrome', 'crash_loop')], [], [], ['navidrome']).kept).toEqual([]);
  });

  it('holds a restart that answers only log errors when the service also shows a cause no restart fixes, even as a lead', () => {
    const r = run([{ cause: 'log_error_spike', culprit: 'grafana', confidence: 0.7 }, { cause: 'dns_failure', culprit: 'grafana', confidence: 0.4 }], [option('grafana', 'log_error_spike', 'container.restart')]);
    expect(r.kept).toEqual([]);
    expect(r.held.get('grafana')).toMatch(/also shows dns_failure \(40%\), which no restart fixes/);
    expect(run([{ cause: 'log_error_spike', culprit: 'grafana', confidence: 0.7 }], [option('grafana', 'log_error_spike', 'container.restart')]).kept).toEqual(['grafana']);
  });

  it('never restarts a service said to be down while every container of it runs and passes its healthcheck', () => {
    const down = [{ cause: 'dependency_down', culprit: 'homeassistant', confidence: 0.92 }];
    const r = run(down, [option('homeassistant', 'dependency_down', 'container.restart')], [], ['homeassistant']);
    expect(r.kept).toEqual([]);
    expect(r.held.get('homeassistant')).toMatch(/passes its own healthcheck: reported, not restarted/);
    // not passing (unhealthy, or no check): the restart stands; a start of a stopped one is no restart
    expect(run(down, [option('homeassistant', 'dependency_down', 'container.restart')]).kept).toEqual(['homeassistant']);
    expect(run(down, [option('homeassistant', 'dependency_down')], ['p_homeassistant_1'], ['homeassistant']).kept).toEqual(['homeassistant']);
  });

  it('restarts a full tmpfs of its own only when the service does not pass its own healthcheck', () => {
    const full = [{ cause: 'disk_full', culprit: 'firefly', confidence: 0.85 }];
    const healthy = run(full, [option('firefly', 'disk_full', 'container.restart')], [], ['firefly']);
    expect(healthy.kept).toEqual([]);
    expect(healthy.held.get('firefly')).toMatch(/a full tmpfs of its own.*passes its own healthcheck: reported, not restarted/);
    expect(run(full, [option('firefly', 'disk_full', 'container.restart')]).kept).toEqual(['firefly']);
  });
});
