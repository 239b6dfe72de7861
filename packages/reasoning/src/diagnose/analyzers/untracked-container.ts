import { citeState } from '../cite.js';
import type { Analyzer } from '../finding.js';
import { sharedWritableData } from '../shared-data.js';
import { twinOf } from '../twin-service.js';
import { said } from '../text.js';

/** A container the committed compose files do not declare: started by hand, or left from a removed service. */
export const untrackedContainer: Analyzer = {
  name: 'untracked-container',
  causes: ['untracked_container'],
  analyze(service, ctx) {
    if (!service.untracked || !ctx.signals.desiredSource) return [];
    const c = service.containers[0];
    if (!c) return [];
    // writing the data of a declared service (the same volume or directory): two writers, a fault and not only drift
    const shared = sharedWritableData(service, ctx.signals.services);
    const withWhom = [...new Set(shared.map((x) => x.service))].join(', ');
    // a second copy of a declared service (the same image and settings): its work done twice, a fault and not only drift
    const twin = twinOf(service, ctx.signals.services);
    return [
      {
        cause: 'untracked_container',
        culprit: service.name,
        observedOn: service.name,
        confidence: shared.length || twin ? 0.8 : 0.7,
        root: true,
        summary: said(
          `${service.name} is not declared in the committed compose files (${ctx.signals.desiredSource})${c.compose ? `: project ${c.compose.project} has no service ${c.compose.service}` : ''}${shared.length ? `, and writes the same data as ${withWhom}` : ''}${twin ? `, and runs as a second copy of ${twin.service} (the same image and ${twin.settings.join(', ')}): what ${twin.service} does is done twice` : ''}`,
          `${service.name}은(는) 커밋된 compose 파일(${ctx.signals.desiredSource})에 선언되지 않은 컨테이너입니다${shared.length ? ` (${withWhom}와(과) 같은 데이터에 씁니다)` : ''}${twin ? ` (${twin.service}의 두 번째 사본으로 실행됩니다: 같은 이미지와 ${twin.settings.join(', ')} — ${twin.service}의 일이 두 번 이루어집니다)` : ''}`,
        ),
        evidence: [
          citeState(ctx, c),
          ctx.evidence.add('drift', c.name, `not declared in ${ctx.signals.desiredSource}; image ${c.image}, created ${c.createdAt}`),
          ...shared.slice(0, 3).map((x) => ctx.evidence.add('drift', c.name, `mounts ${x.data} writable, as ${x.service} does`)),
          ...(twin ? [ctx.evidence.add('config', c.name, `the same image repository as ${twin.service}, and its ${twin.settings.join(', ')} set to the same values as ${twin.service}'s`)] : []),
        ],
        suggestions: [
          said(`declare it in the compose file if it belongs to the stack, or remove it (docker rm -f ${c.name}) if it is left over`, `스택의 일부라면 compose 파일에 선언하고, 남은 것이라면 제거하세요 (docker rm -f ${c.name})`),
        ],
      },
    ];
  },
};
