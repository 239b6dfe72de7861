import { citeState } from '../cite.js';
import type { Analyzer } from '../finding.js';
import { said } from '../text.js';

/** A container the committed compose files do not declare: started by hand, or left from a removed service. */
export const untrackedContainer: Analyzer = {
  name: 'untracked-container',
  causes: ['untracked_container'],
  analyze(service, ctx) {
    if (!service.untracked || !ctx.signals.desiredSource) return [];
    const c = service.containers[0];
    if (!c) return [];
    return [
      {
        cause: 'untracked_container',
        culprit: service.name,
        observedOn: service.name,
        confidence: 0.7,
        root: true,
        summary: said(
          `${service.name} is not declared in the committed compose files (${ctx.signals.desiredSource})${c.compose ? `: project ${c.compose.project} has no service ${c.compose.service}` : ''}`,
          `${service.name}은(는) 커밋된 compose 파일(${ctx.signals.desiredSource})에 선언되지 않은 컨테이너입니다`,
        ),
        evidence: [citeState(ctx, c), ctx.evidence.add('drift', c.name, `not declared in ${ctx.signals.desiredSource}; image ${c.image}, created ${c.createdAt}`)],
        suggestions: [
          said(`declare it in the compose file if it belongs to the stack, or remove it (docker rm -f ${c.name}) if it is left over`, `스택의 일부라면 compose 파일에 선언하고, 남은 것이라면 제거하세요 (docker rm -f ${c.name})`),
        ],
      },
    ];
  },
};
