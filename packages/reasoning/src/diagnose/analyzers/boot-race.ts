import { citeHits, citeState, plural } from '../cite.js';
import type { Analyzer } from '../finding.js';
import { lineLevel } from '../log-level.js';
import { failuresIn } from '../log-patterns.js';
import { readyLineAfter } from '../ready-after.js';
import { stopsAsked } from '../service-state.js';
import { said } from '../text.js';

/** The last refusal is why it gave up when it came this close to the exit. */
const GAVE_UP_WITHIN_MS = 60_000;

/**
 * A start-up race (or a restart one): a service that exited with an error and that nothing restarts (it ran once, or
 * its `on-failure:N` policy spent its N retries while the dependency booted), whose last
 * lines before the exit were refusals at the address of a service of the stack that said it was ready after them, and
 * runs: it started before what it needs accepted connections, gave up, and stays down although that is ready now (a
 * chat server that pinged its database while the database ran initdb; a worker whose broker restarted under it). The
 * answer is a start; a crash (the crash-loop
 * analyzer's one-crash symptom) is not what happened. A service that looped, or whose dependency is not ready yet, is
 * not this (crash-loop and dependency-down say so).
 */
export const bootRace: Analyzer = {
  name: 'boot-race',
  causes: ['stopped_service'],
  analyze(service, ctx) {
    const cs = service.containers;
    // exited with an error nobody asked for, and nothing starts it again: it ran once, or its restart policy spent
    // its retries (on-failure:N, all N within the dependency's boot)
    if (!cs.length || !cs.every((c) => c.state === 'exited' && c.exitCode !== 0 && nothingRestarts(c) && !c.error && stopsAsked(service, c).length === 0)) return [];
    const digest = ctx.digests.get(service.name);
    for (const h of digest?.hits.values() ?? []) {
      if (h.matches[0]?.pattern.cause !== 'connection_refused') continue;
      const last = h.last.at ?? NaN;
      // the refusals came last, shortly before each exit: no other error between the last one and the exit (a
      // migration that failed once connected is that failure's, not the race's)
      if (!cs.every((c) => {
        const finished = c.finishedAt ? Date.parse(c.finishedAt) : NaN;
        // (after restarts, every run's: none of the earlier runs died of anything but refusals either)
        return finished >= last && finished - last <= GAVE_UP_WITHIN_MS && !otherErrorAfter(service.logs[c.name] ?? [], c.restartCount > 0 ? Number.NEGATIVE_INFINITY : last);
      })) continue;
      for (const m of h.matches) {
        const port = m.target?.port;
        if (port === undefined) continue;
        const owner = ctx.graph.addressOwner(service.name, m.target?.host, port);
        const dep = owner && owner !== service.name ? ctx.service(owner) : undefined;
        const ready = owner && dep && ctx.graph.listeners(service.name, port).includes(owner) ? readyLineAfter(dep, last, port) : undefined;
        if (!ready) continue;
        const c = cs[0] as (typeof cs)[number];
        const spent = c.restartCount ? ` after ${plural(c.restartCount, 'restart')} (restart: on-failure:${c.restartPolicy.maximumRetryCount})` : '';
        const spentKo = c.restartCount ? ` (재시작 정책 on-failure:${c.restartPolicy.maximumRetryCount}, ${c.restartCount}회 재시작 후)` : '';
        return [
          {
            cause: 'stopped_service',
            culprit: service.name,
            observedOn: service.name,
            confidence: 0.7,
            root: true,
            gaveUp: true,
            summary: said(
              `${service.name} gave up on ${owner}: ${owner} refused it at ${m.target?.host ?? ''}:${port} while not ready (starting, or restarting), and it exited (exit code ${c.exitCode})${spent}; ${owner} has accepted connections since, and nothing starts ${service.name} again`,
              `${service.name}이(가) ${owner}을(를) 기다리다 포기했습니다: ${owner}이(가) 준비되지 않은 동안(시작 또는 재시작 중) ${m.target?.host ?? ''}:${port} 연결을 거부했고 종료되었습니다(종료 코드 ${c.exitCode})${spentKo}; ${owner}은(는) 그 뒤로 연결을 받고 있으며 ${service.name}은(는) 다시 시작되지 않습니다`,
            ),
            evidence: [citeHits(ctx, h), citeState(ctx, c), ctx.evidence.add('log', ready.container, ready.text)],
            suggestions: [
              said(`start ${service.name} now that ${owner} is ready: docker start ${c.name}`, `${owner}이(가) 준비되었으니 ${service.name}을(를) 시작하세요: docker start ${c.name}`),
              said(`so that it does not happen at the next deploy: a restart policy (restart: unless-stopped), or depends_on ${owner} with condition: service_healthy`, `다음 배포 때 반복되지 않게: 재시작 정책(restart: unless-stopped) 또는 depends_on ${owner}의 condition: service_healthy`),
            ],
          },
        ];
      }
    }
    return [];
  },
};

/** No restart is coming: it never restarted, or `on-failure:N` restarted it N times and stops there. */
function nothingRestarts(c: { restartCount: number; restartPolicy: { name: string; maximumRetryCount: number } }): boolean {
  if (c.restartCount === 0) return true;
  const { name, maximumRetryCount } = c.restartPolicy;
  return name === 'on-failure' && maximumRetryCount > 0 && c.restartCount >= maximumRetryCount;
}

/** A line after `at` (every line: -Infinity) that is an error, or states a failure, other than a refused connection. */
function otherErrorAfter(lines: ReadonlyArray<{ timestamp?: string; text: string }>, at: number): boolean {
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i] as (typeof lines)[number];
    const when = l.timestamp ? Date.parse(l.timestamp) : NaN;
    if (!(when > at)) break;
    const failures = failuresIn(l.text);
    if (failures.some((m) => m.pattern.cause === 'connection_refused')) continue;
    if (failures.length || lineLevel(l.text) === 'error') return true;
  }
  return false;
}
