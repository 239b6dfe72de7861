import type { ServiceSignals } from '../signals.js';
import type { Analyzer } from '../finding.js';
import { lineLevel } from '../log-level.js';
import { isTroubled } from '../service-state.js';
import { said } from '../text.js';
import { escapeRegExp } from '../../regexp-escape.js';

/**
 * A line that names a setting is about it only when it says it is empty or absent (or that its check failed: below), that it must be given (Meilisearch's
 * `you must provide a master key … via the MEILI_MASTER_KEY environment variable`), or what the program did instead.
 */
const ABOUT_ABSENCE = /\b(?:empty|blank|not set|unset|not (?:been )?(?:set|configured|provided|defined)|missing|required|mandatory|undefined|no value|fall(?:ing|s)? ?back|defaulting|using (?:the )?default|must (?:be )?(?:provided?|set|specif(?:y|ied)|suppl(?:y|ied)|configured?|defined|given)|(?:please|need to|needs to be) (?:set|provided?|specif(?:y|ied)|suppl(?:y|ied)|defined?))\b/i;
/**
 * A line that names a setting and says the program's check of it failed: the validation libraries' words (class-validator's
 * `property X has failed the following constraints: isNotEmpty`, Joi's `"X" is not allowed to be empty`, zod's
 * `too_small` … `must contain at least`, pydantic's `ensure this value has at least`). Of a setting that is blank, that
 * check is about its being blank.
 */
const FAILED_CHECK = /\b(?:(?:has )?failed (?:the )?(?:validation|following constraints?)|validation (?:failed|error)|is not allowed to be (?:empty|blank)|(?:should|must) not be (?:empty|blank)|cannot be (?:empty|blank)|must (?:contain|have) at least|ensure this value has at least|too_small|too short)\b|\bis(?:NotEmpty|Defined)\b/i;
/** What a program says of an optional feature it turns off without the setting: a choice, not a fault. */
const OPTED_OUT = /\b(?:disabl(?:ed|ing)|skipp(?:ed|ing)|optional|not enabled|turned off)\b/i;
/** Names that are also log level words: a line's level would name them. */
const LEVEL_WORDS = /^(?:DEBUG|INFO|WARN|WARNING|ERROR|TRACE|FATAL|NOTICE|VERBOSE|LOG|LEVEL|LOG_LEVEL)$/i;
/** How many lines of each container's logs are read for a line naming the setting. */
const LINES = 2000;

/**
 * The ways a log line says a setting's name in words: its last two or more words (of `AUTHENTIK_SECRET_KEY`: secret
 * key, authentik secret key), joined by a space, `_`, `-`, `.` or nothing (camelCase), as a pattern; none for a name
 * of fewer than two words.
 */
export function spokenTails(name: string): string[] {
  const parts = name.split(/[_.-]+|(?<=[a-z])(?=[A-Z])/).filter((p) => p.length > 0).map((p) => p.toLowerCase());
  const out: string[] = [];
  for (let from = parts.length - 2; from >= 0; from--) out.push(parts.slice(from).map(escapeRegExp).join('[ _.-]?'));
  return out;
}

/**
 * The settings a service runs with blank that its committed files take whole from a variable with no default
 * (`SMTP_URL: ${SMTP_URL}`): compose left them blank at `up` because the variable was not set (no `.env` on the host,
 * a shell without it) — `The SMTP_URL variable is not set. Defaulting to a blank string.`
 */
export function blankSettings(s: ServiceSignals): Array<{ setting: string; variable: string; container: string }> {
  const from = s.spec?.environmentFrom ?? {};
  const out: Array<{ setting: string; variable: string; container: string }> = [];
  for (const [setting, variable] of Object.entries(from)) {
    const c = s.containers.find((x) => x.config.env.includes(`${setting}=`));
    if (c) out.push({ setting, variable, container: c.name });
  }
  return out;
}

/**
 * missing_config from the engine and the files, not from a phrase: a setting blank in the container that the files
 * leave to a variable. A claim when the service's own logs name it as absent (it noticed, and fell back or failed);
 * a lead otherwise (a pass-through variable left blank on purpose says nothing).
 */
export const blankSetting: Analyzer = {
  name: 'blank-setting',
  causes: ['missing_config'],
  analyze(service, ctx) {
    const blank = blankSettings(service);
    if (!blank.length) return [];
    const first = blank[0] as (typeof blank)[number];
    const words = [...new Set(blank.flatMap((b) => [b.setting, b.variable]))].filter((w) => w !== '' && !LEVEL_WORDS.test(w));
    const names = words.length ? new RegExp(`(?<![\\w$.-])(?:${words.map(escapeRegExp).join('|')})(?![\\w.-])`) : undefined;
    // a claim when the service names it as absent at warning level or above, or shows trouble besides; a line that it
    // turned an optional feature off (`SENTRY_DSN not set, error reporting disabled`) is a choice: a lead
    const troubled = isTroubled(service, ctx);
    // its last two or more words as a program says them (`AUTHENTIK_SECRET_KEY`: `Secret key missing`, `secret_key`,
    // `secretKey`) count only for a service in trouble: common pairs (`api key`, `auth token`) are said of other things
    const spoken = troubled ? [...new Set(words.flatMap(spokenTails))] : [];
    const inWords = spoken.length ? new RegExp(`(?<![\\w$.-])(?:${spoken.join('|')})(?![\\w.-])`, 'i') : undefined;
    const named = (text: string) => names?.test(text) === true || inWords?.test(text) === true;
    let told: { container: string; text: string } | undefined;
    for (const [container, lines] of Object.entries(service.logs)) {
      const line = lines.slice(-LINES).find((l) => named(l.text) && (ABOUT_ABSENCE.test(l.text) || FAILED_CHECK.test(l.text)) && !OPTED_OUT.test(l.text) && (troubled || lineLevel(l.text) !== 'info'));
      if (line) {
        told = { container, text: line.text.slice(0, 300) };
        break;
      }
    }
    const list = blank.map((b) => (b.setting === b.variable ? b.setting : `${b.setting} (from \${${b.variable}})`)).join(', ');
    const evidence = [
      ctx.evidence.add('config', first.container, `${list} ${blank.length > 1 ? 'are' : 'is'} blank in the container; the committed files take ${blank.length > 1 ? 'them' : 'it'} whole from ${blank.map((b) => `\${${b.variable}}`).join(', ')} with no default, which was not set when the container was made`),
    ];
    if (told) evidence.push(ctx.evidence.add('log', told.container, told.text));
    return [
      {
        cause: 'missing_config',
        culprit: service.name,
        observedOn: service.name,
        confidence: told ? 0.6 : 0.3,
        root: true,
        summary: said(
          `${service.name} runs with ${list} blank: the variable was not set when it was made${told ? ', and it says so in its logs' : ''}`,
          `${service.name}이(가) ${list}을(를) 빈 값으로 실행 중입니다: 만들 때 변수가 설정되지 않았습니다${told ? ' (로그에도 나옵니다)' : ''}`,
        ),
        evidence,
        suggestions: [
          said(
            `set ${blank.map((b) => b.variable).join(', ')} where compose reads it on that host (a .env beside the compose file, or the shell that runs up), then recreate ${service.name} (docker compose up -d ${service.name})`,
            `그 호스트에서 compose가 읽는 곳(compose 파일 옆 .env, 또는 up을 실행하는 셸)에 ${blank.map((b) => b.variable).join(', ')}을(를) 설정하고 ${service.name}을(를) 다시 만드세요 (docker compose up -d ${service.name})`,
          ),
        ],
      },
    ];
  },
};
