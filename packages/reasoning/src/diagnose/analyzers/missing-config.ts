import { keyValueList } from '@bcon/sensor';
import { said } from '../text.js';
import { patternCause } from './from-patterns.js';

/** The software says a setting it needs is missing: an unset environment variable, an absent config file. */
export const missingConfig = patternCause({
  name: 'missing-config',
  cause: 'missing_config',
  summary: (svc, m) => said(`${svc} is missing configuration: ${m.description}`, `${svc}에 필요한 설정이 없습니다: ${m.description}`),
  suggestions: (svc, m) => [
    m.target?.variable
      ? said(`set ${m.target.variable} for ${svc} (environment: or env_file: in the compose file), then recreate it`, `compose 파일의 environment: 또는 env_file:에 ${svc}의 ${m.target.variable}을(를) 설정하고 다시 생성하세요`)
      : said(`provide the missing setting or file for ${svc} (environment:, env_file:, or a mounted config file)`, `${svc}에 빠진 설정이나 파일을 제공하세요 (environment:, env_file:, 마운트된 설정 파일)`),
  ],
  corroborate: (service, ctx, m) => {
    const variable = m.target?.variable;
    if (!variable) return { evidence: [], boost: 0 };
    const unset = service.containers.filter((c) => !(variable in keyValueList(c.config.env)));
    if (!unset.length || !service.containers.length) return { evidence: [], boost: 0 };
    const declared = service.spec ? Object.keys(service.spec.environment) : [];
    const text = `${variable} is not in the container's environment${service.spec ? ` (the compose file sets ${declared.length ? declared.join(', ') : 'no variables'})` : ''}`;
    return { evidence: [ctx.evidence.add('config', (unset[0] as (typeof unset)[number]).name, text)], boost: 0.05 };
  },
});
