import { explainExitCode } from '../../status/exit-codes.js';
import { citeHits, citeState, plural } from '../cite.js';
import type { Analyzer } from '../finding.js';
import { heldSinceDeaths, stopsAsked } from '../service-state.js';
import { said } from '../text.js';


/**
 * A container that keeps dying and coming back (or gave up): a symptom, outranked by any analyzer that says why.
 * It stands as the cause when nothing deeper is found; then the crash lines (panic, traceback, segfault) are its evidence.
 */
export const crashLoop: Analyzer = {
  name: 'crash-loop',
  causes: ['crash_loop'],
  analyze(service, ctx) {
    const evidence: string[] = [];
    let dies = 0;
    let restarts = 0;
    let lastExit: number | undefined;
    let crashedOnce = false;
    let loops = false;
    for (const c of service.containers) {
      const died = service.events.filter((e) => e.containerId === c.id && e.action === 'die');
      dies += died.length;
      restarts = Math.max(restarts, c.restartCount);
      // running again for longer than its recent runs lasted (and at least HELD_MS): it stopped looping — what it
      // went through (a dependency that was down then) is history, and a restart of a running process cures nothing
      const held = heldSinceDeaths(c, died.map((e) => e.at), ctx.now);
      const looping = !held && (c.state === 'restarting' || c.restartCount >= 2 || died.length >= 3);
      // one crash: exited with an error that nobody asked for (a stop or kill through the engine)
      const asked = stopsAsked(service, c).length > 0;
      const crashed = c.state === 'exited' && c.exitCode !== 0 && c.exitCode !== 143 && !asked && !c.error;
      if (!looping && !crashed) continue;
      crashedOnce ||= !looping;
      loops ||= looping;
      lastExit = c.exitCode;
      evidence.push(citeState(ctx, c));
      if (died.length) evidence.push(ctx.evidence.add('event', c.name, `${plural(died.length, 'die event')} in the last ${Math.round(ctx.signals.windowSeconds / 60)} min, exit codes ${[...new Set(died.map((e) => e.exitCode))].join(', ')}`));
    }
    if (!evidence.length) return [];
    // one crash (a replica that loops makes it a loop)
    const single = crashedOnce && !loops;
    for (const hits of ctx.digests.get(service.name)?.hits.values() ?? []) if (hits.matches[0]?.pattern.cause === 'crash_loop') evidence.push(citeHits(ctx, hits));
    const meaning = lastExit !== undefined ? explainExitCode(lastExit) : undefined;
    // a segfault or an abort is its own root; anything else is the symptom of something the logs should say. One
    // crash is not a loop: for what needs the service it is down (dependency_down says so), not looping
    const selfCaused = lastExit === 139 || lastExit === 134;
    return [
      {
        cause: 'crash_loop',
        culprit: service.name,
        observedOn: service.name,
        confidence: selfCaused ? 0.75 : single ? 0.5 : 0.6,
        root: selfCaused && !single,
        ...(single ? {} : { looping: true }),
        summary: single
          ? said(
              `${service.name} crashed${lastExit !== undefined ? `: exit ${lastExit}${meaning ? ` (${meaning})` : ''}` : ''}, and nothing restarted it`,
              `${service.name}이(가) 비정상 종료되었고${lastExit !== undefined ? ` (종료 코드 ${lastExit})` : ''} 다시 시작되지 않았습니다`,
            )
          : said(
              `${service.name} keeps crashing: ${restarts || dies} restarts${lastExit !== undefined ? `, last exit ${lastExit}${meaning ? ` (${meaning})` : ''}` : ''}`,
              `${service.name}이(가) 계속 재시작됩니다: ${restarts || dies}회${lastExit !== undefined ? `, 마지막 종료 코드 ${lastExit}` : ''}`,
            ),
        evidence,
        suggestions: [
          said(`read the last lines before each exit: bcon logs ${service.name} --since 30m`, `매 종료 직전 로그를 확인하세요: bcon logs ${service.name} --since 30m`),
          said(`stop the restarts while you fix it (restart: "no") so the error stays readable`, `고치는 동안 재시작을 멈추세요 (restart: "no") — 오류를 읽기 쉽게 합니다`),
        ],
      },
    ];
  },
};
