import { said } from '../text.js';
import { patternCause, warnedOnly } from './from-patterns.js';

/** EACCES / EPERM: the process may not read or write a path (user, mode, or a read-only mount). */
export const permissionDenied = patternCause({
  name: 'permission-denied',
  cause: 'permission_denied',
  summary: (svc, m) => said(`${svc} is refused access: ${m.description}`, `${svc}의 접근이 거부되었습니다: ${m.description}`),
  suggestions: (svc, m) => [
    said(
      `make ${m.target?.path ?? 'the path'} writable for the user ${svc} runs as (user:, chown in the image, or the volume's owner), or mount it read-write`,
      `${svc}이(가) 실행되는 사용자가 ${m.target?.path ?? '해당 경로'}에 쓸 수 있게 하세요 (user:, 이미지의 chown, 볼륨 소유자) 또는 읽기/쓰기로 마운트하세요`,
    ),
  ],
  // a denial the software only warned about and carried on past (MariaDB's `[Warning] io_uring_queue_init() failed with
  // EPERM`, falling back to another I/O method): a lead
  leadOnly: warnedOnly,
  corroborate: (service, ctx, m) => {
    const evidence: string[] = [];
    for (const c of service.containers) {
      const ro = c.mounts.find((mt) => mt.readOnly && m.target?.path?.startsWith(mt.target));
      if (ro) evidence.push(ctx.evidence.add('config', c.name, `${ro.target} is mounted read-only`));
    }
    return { evidence, boost: evidence.length ? 0.05 : 0 };
  },
});
