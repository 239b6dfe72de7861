import { citeHits, citeState } from '../cite.js';
import type { Analyzer } from '../finding.js';
import { clamp } from '../finding.js';
import { commandSecrets, refusedCommandLine } from '../command-words.js';
import { stopsAsked } from '../service-state.js';
import { said } from '../text.js';

// what the OCI runtime says when the command cannot run (stored in State.Error)
const RUNTIME = /executable file not found|no such file or directory|exec format error|permission denied|not a directory|is a directory|exec: /i;

/** The container's command cannot be run: exit 126/127, or the runtime failed to exec it. */
export const badCommand: Analyzer = {
  name: 'bad-command',
  causes: ['bad_command'],
  analyze(service, ctx) {
    const evidence: string[] = [];
    let confidence = 0;
    for (const c of service.containers) {
      const runtime = c.error && RUNTIME.test(c.error);
      if (runtime || (c.state !== 'running' && (c.exitCode === 126 || c.exitCode === 127))) {
        confidence = Math.max(confidence, runtime ? 0.93 : 0.85);
        evidence.push(citeState(ctx, c));
        const cmd = [...(c.config.entrypoint ?? []), ...(c.config.cmd ?? [])];
        if (cmd.length) evidence.push(ctx.evidence.add('config', c.name, `command: ${commandSecrets(c).mask(JSON.stringify(cmd), () => '***')} in image ${c.image}`));
      }
    }
    // a run that died by itself, its last lines naming a word of its command: the program refused what it was told
    // to run (an attribute, a module, a flag, a file); not a word that names another service (a host it needs)
    for (const c of service.containers) {
      const died = ((c.state !== 'running' && c.exitCode !== 0 && c.exitCode !== 137 && c.exitCode !== 143) || (c.restartCount > 0 && c.state === 'restarting')) && stopsAsked(service, c).length === 0;
      if (!died) continue;
      const refused = refusedCommandLine(c, service.logs[c.name] ?? []);
      if (!refused || ctx.graph.resolveName(refused.word) !== undefined) continue;
      confidence = Math.max(confidence, 0.8);
      evidence.push(citeState(ctx, c), ctx.evidence.add('log', c.name, `its last run refused "${refused.word}" of its command: ${refused.text}`));
      break;
    }
    // a line saying a command was not found is the cause only where a run died by itself (or loops): a process that
    // ran on past it, or was killed (137, 143), started its command — an entrypoint's missing helper (`sh: locale: not
    // found`) in the logs of a Postgres the host's OOM killer took was read as a command that cannot start (a lead)
    // (a loop caught in a brief run between two deaths counts: restarted, and started moments ago)
    const looping = (c: (typeof service.containers)[number]) => c.restartCount > 0 && (c.state === 'restarting' || (c.state === 'running' && ctx.now - Date.parse(c.startedAt ?? '') < 30_000));
    const diedByItself = service.containers.some((c) => ((c.state !== 'running' && c.exitCode !== 0 && c.exitCode !== 137 && c.exitCode !== 143) || looping(c)) && stopsAsked(service, c).length === 0);
    for (const hits of ctx.digests.get(service.name)?.hits.values() ?? []) {
      const p = hits.matches[0]?.pattern;
      if (p?.cause !== 'bad_command') continue;
      confidence = Math.max(confidence, diedByItself ? clamp(0.5 + 0.35 * p.weight) : Math.min(0.3, clamp(0.5 + 0.35 * p.weight)));
      evidence.push(citeHits(ctx, hits));
    }
    if (!evidence.length) return [];
    const first = service.containers[0];
    // (the command as said: its secrets masked, a flag's password or a token compose put in it)
    const cmd = first ? commandSecrets(first).mask([...(first.config.entrypoint ?? []), ...(first.config.cmd ?? [])].join(' '), () => '***') : '';
    return [
      {
        cause: 'bad_command',
        culprit: service.name,
        observedOn: service.name,
        confidence,
        root: true,
        summary: said(`${service.name} cannot start its command${cmd ? ` (${cmd.slice(0, 80)})` : ''}`, `${service.name}의 실행 명령을 시작할 수 없습니다${cmd ? ` (${cmd.slice(0, 80)})` : ''}`),
        evidence,
        suggestions: [
          said(`check command:/entrypoint: of ${service.name} against what the image holds (path, execute bit, interpreter line)`, `${service.name}의 command:/entrypoint:가 이미지 안의 파일(경로, 실행 권한, 인터프리터 줄)과 맞는지 확인하세요`),
          said(`if the file comes from a build step or a volume, check that it is there (the image: ${first?.image ?? 'its image'})`, `빌드 단계나 볼륨에서 오는 파일이라면 실제로 있는지 확인하세요 (이미지: ${first?.image ?? '해당 이미지'})`),
        ],
      },
    ];
  },
};
