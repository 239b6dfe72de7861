import { redactText } from '../../redact/text.js';
import { citeState } from '../cite.js';
import { allFinished, isDown } from '../service-state.js';
import type { Analyzer } from '../finding.js';
import { said } from '../text.js';

/** The engine's healthcheck fails: the probe's command, its exit codes and what it printed are the evidence. */
export const healthcheckFailing: Analyzer = {
  name: 'healthcheck-failing',
  causes: ['healthcheck_failing'],
  analyze(service, ctx) {
    const evidence: string[] = [];
    let confidence = 0;
    let test = '';
    let running = false;
    for (const c of service.containers) {
      const h = c.health;
      if (h.status !== 'unhealthy' && !(h.status === 'starting' && h.failingStreak >= 2)) continue;
      running ||= c.state === 'running';
      confidence = Math.max(confidence, h.status === 'unhealthy' ? 0.85 : 0.55);
      evidence.push(ctx.evidence.add('health', c.name, `health ${h.status}, ${h.failingStreak} failed probes in a row`));
      // printed in the summary too: a password on the probe's command line (redis-cli -a PW) is masked
      test = redactText((c.config.healthcheck?.test ?? []).filter((t, i) => i > 0 || !/^CMD(-SHELL)?$/.test(t)).join(' '));
      if (test) evidence.push(ctx.evidence.add('config', c.name, `healthcheck: ${test}`));
      const last = h.log[h.log.length - 1];
      if (last) evidence.push(ctx.evidence.add('health', c.name, `last probe exit code ${last.exitCode}${last.output.trim() ? `, output: ${last.output.trim()}` : ', no output'}`));
      if (c.state !== 'running') evidence.push(citeState(ctx, c));
    }
    const events = service.events.filter((e) => e.action.startsWith('health_status') && /unhealthy/.test(e.action));
    if (events.length && evidence.length) evidence.push(ctx.evidence.add('event', service.name, `${events.length} health_status: unhealthy events in the window`));
    if (!evidence.length) return [];
    // a probe that fails because something the service needs is down (not a job that finished) is a symptom of that (dependency-down)
    const needsDown = [...ctx.graph.closure(service.name).keys()].some((n) => {
      const d = ctx.service(n);
      return d !== undefined && isDown(d) && !allFinished(d, ctx);
    });
    if (needsDown) confidence = Math.min(confidence, 0.6);
    // the last health of a container that exited (crashed, was killed): no probe passes once the process is gone,
    // so it is a symptom of the exit, which other analyzers explain
    if (!running) confidence = Math.min(confidence, 0.5);
    return [
      {
        cause: 'healthcheck_failing',
        culprit: service.name,
        observedOn: service.name,
        confidence,
        root: !needsDown && running,
        summary: said(`the healthcheck of ${service.name} fails${test ? ` (${test.slice(0, 100)})` : ''}`, `${service.name}의 헬스체크가 실패합니다${test ? ` (${test.slice(0, 100)})` : ''}`),
        evidence,
        suggestions: [
          said(`run the probe by hand inside the container and compare with what the service serves (path, port, expected status)`, `컨테이너 안에서 헬스체크 명령을 직접 실행해 서비스가 실제로 제공하는 경로·포트·상태 코드와 비교하세요`),
          said(`fix the healthcheck test of ${service.name}, or the endpoint it probes`, `${service.name}의 healthcheck test 또는 검사 대상 엔드포인트를 고치세요`),
        ],
      },
    ];
  },
};
