import { keyValueList } from '@bcon/sensor';
import { citeState } from '../cite.js';
import type { Analyzer } from '../finding.js';
import { said } from '../text.js';
import { escapeRegExp } from '../../regexp-escape.js';

/** A line saying a file is not there, in the filesystem's words. */
const ABSENT = /\bno such file or directory\b|\bENOENT\b|\bfile does not exist\b/i;
/** A file's absolute path as a whole value: two segments or more, or a name with an extension (`/secrets/JWT_SECRET`, `/tls.key`); not `/api`. */
const PATH = /^\/[\w.@+-]+(?:\/[\w.@+-]+)+$|^\/[\w@+-]+\.[\w]{1,8}$/;
/** Settings that name a route or a URL's part, not a file. */
const NOT_A_FILE = /(?:URL|URI|BASE|PREFIX|ROUTE|ENDPOINT|PATH_INFO|HEALTH)/i;
/** How many of each container's last lines are read. */
const LINES = 500;

/** The files a service's settings point it at: absolute paths as environment values or as a flag's value in its command. */
function configuredPaths(service: Parameters<Analyzer['analyze']>[0]): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of service.containers) {
    for (const [k, v] of Object.entries(keyValueList(c.config.env))) if (v && PATH.test(v) && !NOT_A_FILE.test(k)) out.set(v, k);
    const argv = [...(c.config.entrypoint ?? []), ...(c.config.cmd ?? [])];
    argv.forEach((a, i) => {
      const flag = /^--?[\w.-]+=(\/\S+)$/.exec(a);
      if (flag?.[1] && PATH.test(flag[1])) out.set(flag[1], a.split('=')[0] as string);
      else if (PATH.test(a) && /^--?[\w.-]+$/.test(argv[i - 1] ?? '')) out.set(a, argv[i - 1] as string);
    });
  }
  return out;
}

/**
 * missing_config from a service's own settings: a file its environment or command points it at (a secret's
 * `*_FILE`, a certificate, `--config /etc/app.yml`) that its logs say is not there. A claim when a container of it is
 * down or restarting; a lead when it runs on. Read from the settings, not from a phrase: the line must name
 * that very path.
 */
export const configuredFile: Analyzer = {
  name: 'configured-file',
  causes: ['missing_config'],
  analyze(service, ctx) {
    const paths = configuredPaths(service);
    if (!paths.size) return [];
    for (const [container, lines] of Object.entries(service.logs)) {
      for (const line of lines.slice(-LINES)) {
        if (!ABSENT.test(line.text)) continue;
        const path = [...paths.keys()].find((p) => line.text.includes(p) && !new RegExp(`${escapeRegExp(p)}[\\w/.-]`).test(line.text));
        if (!path) continue;
        const setting = paths.get(path) as string;
        // it died of it: a container of it down or restarting now (a restart long ago says nothing of this line)
        const troubled = service.containers.some((c) => c.state !== 'running');
        const mount = service.containers.flatMap((c) => c.mounts).find((m) => path.startsWith(`${m.target.replace(/\/$/, '')}/`));
        const evidence = [ctx.evidence.add('log', container, line.text.slice(0, 300)), ctx.evidence.add('config', container, `${setting} points ${service.name} at ${path}${mount ? `, on the ${mount.type}${mount.name ? ` ${mount.name}` : ''} mounted at ${mount.target}` : ''}`)];
        for (const c of service.containers.filter((x) => x.state !== 'running' || x.restartCount > 0).slice(0, 1)) evidence.push(citeState(ctx, c));
        return [
          {
            cause: 'missing_config',
            culprit: service.name,
            observedOn: service.name,
            confidence: troubled ? 0.85 : 0.4,
            root: true,
            summary: said(`${service.name} is missing ${path}, which ${setting} points it at`, `${service.name}에 ${setting}이(가) 가리키는 ${path}이(가) 없습니다`),
            evidence,
            suggestions: [
              said(
                `put the file at ${path}${mount ? ` (${mount.name ? `volume ${mount.name}` : mount.source}, mounted at ${mount.target}: restore it or create it there)` : ''}, or point ${setting} at where it is; then start ${service.name}`,
                `${path}에 파일을 두거나${mount ? ` (${mount.target}에 마운트된 ${mount.name ?? mount.source})` : ''} ${setting}이(가) 실제 위치를 가리키게 한 뒤 ${service.name}을(를) 시작하세요`,
              ),
            ],
          },
        ];
      }
    }
    return [];
  },
};
