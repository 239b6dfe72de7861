import type { Analyzer } from '../finding.js';
import { said } from '../text.js';
import { citeDrift } from './drift-findings.js';

/** A container runs another image than the committed one: another tag, or the same tag rebuilt/retagged. */
export const imageDrift: Analyzer = {
  name: 'image-drift',
  causes: ['image_drift'],
  analyze(service, ctx) {
    const diffs = service.drift.filter((x) => x.field === 'image' || x.field === 'image_id');
    if (!diffs.length) return [];
    const tag = diffs.some((d) => d.field === 'image');
    const recent = service.containers.some((c) => ctx.now - Date.parse(c.createdAt) < ctx.signals.windowSeconds * 1000);
    const evidence = diffs.slice(0, 3).map((d) => citeDrift(ctx, d));
    if (recent) {
      const c = service.containers.find((x) => ctx.now - Date.parse(x.createdAt) < ctx.signals.windowSeconds * 1000);
      if (c) evidence.push(ctx.evidence.add('change', c.name, `container created ${c.createdAt} from ${c.image}`));
    }
    return [
      {
        cause: 'image_drift',
        culprit: service.name,
        observedOn: service.name,
        confidence: (tag ? 0.7 : 0.6) + (recent ? 0.1 : 0),
        root: true,
        summary: tag
          ? said(`${service.name} runs another image than the committed one`, `${service.name}이(가) 커밋된 것과 다른 이미지로 실행 중입니다`)
          : said(`${service.name} runs a different build of its image tag than the engine holds now`, `${service.name}이(가) 현재 태그와 다른 빌드의 이미지로 실행 중입니다`),
        evidence,
        suggestions: [
          said(`redeploy the committed image (docker compose up -d ${service.name}), or commit the image you mean to run`, `커밋된 이미지로 다시 배포하거나 (docker compose up -d ${service.name}), 실행하려는 이미지를 커밋하세요`),
          said(`pin images by digest so a retag cannot change what runs`, `태그가 바뀌어도 실행 이미지가 변하지 않도록 다이제스트로 고정하세요`),
        ],
      },
    ];
  },
};
