import { keyValueList } from '@bcon/sensor';
import { said } from '../text.js';
import { patternCause, warnedOnly } from './from-patterns.js';

/** The software says a setting it needs is missing: an unset environment variable, an absent config file. */
export const missingConfig = patternCause({
  name: 'missing-config',
  cause: 'missing_config',
  summary: (svc, m) => said(`${svc} is missing configuration: ${m.description}`, `${svc}에 필요한 설정이 없습니다: ${m.description}`),
  suggestions: (svc, m) => [
    m.pattern.id === 'config-path-is-directory' || m.pattern.id === 'mounted-path-is-directory'
      ? said(
          `put the file ${svc} mounts${m.target?.path ? ` at ${m.target.path}` : ''} on the host (commit it beside the compose file): where a bind mount's source is missing the engine creates an empty directory — remove that directory, then recreate ${svc}`,
          `${svc}이(가) 마운트하는 파일${m.target?.path ? `(${m.target.path})` : ''}을 호스트에 두세요(compose 파일 옆에 커밋): 바인드 마운트의 원본이 없으면 엔진이 빈 디렉터리를 만듭니다 — 그 디렉터리를 지우고 ${svc}을(를) 다시 생성하세요`,
        )
      : m.target?.variable
      ? said(`set ${m.target.variable} for ${svc} (environment: or env_file: in the compose file), then recreate it`, `compose 파일의 environment: 또는 env_file:에 ${svc}의 ${m.target.variable}을(를) 설정하고 다시 생성하세요`)
      : said(`provide the missing setting or file for ${svc} (environment:, env_file:, or a mounted config file)`, `${svc}에 빠진 설정이나 파일을 제공하세요 (environment:, env_file:, 마운트된 설정 파일)`),
  ],
  // a variable the software warned is not set and carried on without (`no geolocation database configured
  // (MAXMIND_LICENSE_KEY is not set), country data will not be recorded`): an optional feature off, a lead — said as
  // an error or louder, it stands
  leadOnly: (hits) => hits.every((h) => h.matches.every((m) => m.target?.variable !== undefined)) && warnedOnly(hits),
  corroborate: (service, ctx, m) => {
    const variable = m.target?.variable;
    const path = m.target?.path;
    if (!variable && path) {
      // the path it cannot read is where a host path is bind-mounted: the file is missing on the host (an absent bind
      // source is created as an empty directory), not in the image
      const bound = service.containers.flatMap((c) => c.mounts.filter((x) => x.type === 'bind' && x.target === path).map((x) => ({ c, x })))[0];
      if (!bound) return { evidence: [], boost: 0 };
      return { evidence: [ctx.evidence.add('config', bound.c.name, `${path} is bind-mounted from the host path ${bound.x.source}`)], boost: 0.1 };
    }
    if (!variable) return { evidence: [], boost: 0 };
    const unset = service.containers.filter((c) => !(variable in keyValueList(c.config.env)));
    if (!unset.length || !service.containers.length) return { evidence: [], boost: 0 };
    const declared = service.spec ? Object.keys(service.spec.environment) : [];
    const text = `${variable} is not in the container's environment${service.spec ? ` (the compose file sets ${declared.length ? declared.join(', ') : 'no variables'})` : ''}`;
    return { evidence: [ctx.evidence.add('config', (unset[0] as (typeof unset)[number]).name, text)], boost: 0.05 };
  },
});
