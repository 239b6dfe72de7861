import { said } from '../text.js';
import { patternCause } from './from-patterns.js';

/** A server that cannot bind its port (EADDRINUSE): another process or service holds it. */
export const portConflict = patternCause({
  name: 'port-conflict',
  cause: 'port_conflict',
  summary: (svc, m) => said(`${svc} cannot listen: ${m.description}`, `${svc}이(가) 포트를 열 수 없습니다: ${m.description}`),
  suggestions: (svc, m) => [
    said(
      `give ${svc} a free port${m.target?.port ? ` (${m.target.port} is taken)` : ''}, or stop what holds it (ss -ltnp on the host)`,
      `${svc}에 비어 있는 포트를 지정하거나${m.target?.port ? ` (${m.target.port} 사용 중)` : ''} 그 포트를 쓰는 프로세스를 멈추세요 (호스트에서 ss -ltnp)`,
    ),
  ],
  corroborate: (service, ctx, m) => {
    const port = m.target?.port;
    const evidence: string[] = [];
    if (port !== undefined) {
      // who else says it listens there: another service of the stack
      for (const other of ctx.signals.services) {
        if (other.name === service.name) continue;
        const owner = ctx.graph.addressOwner(service.name, '127.0.0.1', port);
        if (owner === other.name && other.containers.some((c) => c.state === 'running')) evidence.push(ctx.evidence.add('dependency', other.name, `${other.name} is running and listens on port ${port}`));
      }
    }
    for (const c of service.containers) if (c.error && /address already in use|port is already allocated/i.test(c.error)) evidence.push(ctx.evidence.add('state', c.name, `engine error: ${c.error}`));
    return { evidence, boost: evidence.length ? 0.05 : 0 };
  },
});
