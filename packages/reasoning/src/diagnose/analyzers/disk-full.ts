import { formatBytes } from '../../status/format.js';
import { fullTmpfsOf } from '../full-tmpfs.js';
import { said } from '../text.js';
import { patternCause } from './from-patterns.js';

/** No space left on a device (ENOSPC): a full volume, tmpfs or host disk. */
export const diskFull = patternCause({
  name: 'disk-full',
  cause: 'disk_full',
  summary: (svc, m) => said(`${svc} cannot write: ${m.description}`, `${svc}이(가) 디스크에 쓸 수 없습니다: ${m.description}`),
  suggestions: (svc) => [
    said(`free space or enlarge the volume/tmpfs ${svc} writes to (tmpfs size=, the volume's disk, or docker system df on the host)`, `${svc}이(가) 쓰는 볼륨/tmpfs의 공간을 비우거나 늘리세요 (tmpfs size=, 볼륨 디스크, 호스트의 docker system df)`),
    said(`rotate or cap what ${svc} writes (logs, caches, temp files)`, `${svc}이(가) 쓰는 로그·캐시·임시 파일을 정리하거나 상한을 두세요`),
  ],
  corroborate: (service, ctx, m) => {
    // a tmpfs of its own that statfs reads full, and no other of its file systems tight: the engine's host says
    // which file system it is (fullTmpfsOf checks the paths the lines name)
    const evidence: string[] = fullTmpfsOf(service)
      .slice(0, 2)
      .map(({ container, usage }) => ctx.evidence.add('stats', container.name, `tmpfs at ${usage.target} is full: ${formatBytes(usage.usedBytes)} of ${formatBytes(usage.sizeBytes)} used (its own, emptied when the container starts)`));
    if (evidence.length) return { evidence, boost: 0.08 };
    const spec = service.spec;
    for (const v of spec?.volumes ?? []) {
      if (v.type === 'tmpfs' && (!m.target?.path || m.target.path.startsWith(v.target))) evidence.push(ctx.evidence.add('config', service.name, `tmpfs mounted at ${v.target}`));
    }
    for (const c of service.containers) {
      for (const mount of c.mounts) if (mount.type === 'tmpfs') evidence.push(ctx.evidence.add('config', c.name, `tmpfs at ${mount.target}${c.limits.memoryBytes ? ` (memory limit ${formatBytes(c.limits.memoryBytes)})` : ''}`));
    }
    return { evidence: evidence.slice(0, 2), boost: evidence.length ? 0.03 : 0 };
  },
});
