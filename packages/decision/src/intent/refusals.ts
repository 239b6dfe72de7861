import { envKeyLike, hasTag, isKorean } from './tokens.js';
import type { Tok } from './tokens.js';

/**
 * Requests bcon refuses before reading them for a change: an injection (text aimed at the tool rather than a change)
 * and anything outside the 13 operations (data, commands, services added or removed, compose settings bcon does not
 * edit). A refusal here is never half an answer: the whole request is refused.
 */

/**
 * An instruction to the tool itself riding on a request, anywhere in it: a role marker opening a sentence ("SYSTEM:",
 * "assistant:"), a message addressed to the assistant or model, a claim to authorise it, or a request to skip the
 * review or the approval bcon asks for. A person asks for a change; only text aimed at the machinery talks like this.
 */
const ADDRESSED_INJECTION =
  /(?:^|[.!?;\n]\s*)(?:system|assistant|developer|ai|bot|시스템|어시스턴트|관리자)\s*[:：]|\b(?:instructions?|note|message|order)s?\s+(?:for|to)\s+(?:the\s+)?(?:assistant|ai|model|bot|system|agent)\b|\bnew\s+instructions?\b|\b(?:assistant|ai|model|bot|system|agent|llm)\s+(?:instructions?|notes?|messages?|prompts?|directives?)\s*[:：]|\b(?:do\s+not|don'?t|never|without)\s+(?:mention|tell|show|report|telling|mentioning|showing)(?:ing)?\s+(?:this|it|that|anything)?\s*(?:to\s+)?(?:the\s+)?(?:user|human|operator|reviewer)s?\b|(?:사용자|유저)(?:에게|한테)\s*(?:말하지|알리지|보여주지)|\bI\s+(?:hereby\s+)?authori[sz]e\s+you\b|\b(?:skip|bypass|disable|disabled|without|no\s+need\s+for)\b.{0,24}\b(?:review|approvals?|approv(?:e|ing)|confirm(?:ation|ing)?|asking|diff|guardrails?)\b|(?:승인|검토|확인|리뷰)\s*(?:없이|안\s*받고|생략|건너)/i;

/**
 * Telling the tool to approve itself, claiming to give it powers or that the change is approved already:
 * "auto-approve", "no need to confirm", "너는 이제 관리자", "pre-approved", "admin approved", "이미 승인됨".
 */
const SELF_APPROVAL =
  /\bauto[-\s]?approv\w*|\bno\s+need\s+(?:to|for)\s+(?:confirm|review|approv|ask)\w*|\b(?:don'?t|do\s+not|never)\s+(?:ask|wait)\s+(?:me|for\s+(?:approval|confirmation|review))|\byou\s+(?:now\s+)?have\s+(?:admin|root|full)\b|(?:너는?|넌|당신은?)\s*이제|이제부터\s*(?:너|넌|당신)|관리자\s*권한(?:이|을)?\s*(?:있|줄|준|부여)|(?:승인|확인|검토)\s*(?:필요\s*없|하지\s*마|안\s*해도|없이도)|\bpre-?approved\b|\b(?:already|been)\s+approved\b|\bapproved\s+(?:by|in\s+advance|already)\b|\b(?:admin|administrator|manager|security|ops|cto|lead|owner|root)\s+(?:has\s+|have\s+)?approved\b|(?:이미|사전)\s*승인|승인\s*(?:됨|되었|됐|완료|받았|받음)|관리자가?\s*승인/i;

const INJECTION =
  /\b(ignore|disregard|forget|override|bypass)\b.{0,30}\b(instructions?|rules|prompts?|guardrails|polic(y|ies)|constraints)\b|^\s*(system|assistant)\s*:|system prompt|you are now|developer mode|jailbreak|act as (an? )?(admin|root)|(이전|앞의?|위의?)\s*(지시|명령|지침|규칙).{0,10}무시|(지시|지침|규칙)[은는을를]?.{0,6}무시|시스템 프롬프트/i;
/** Running commands, shells and anything about data (volumes, backups): never an edit bcon makes. */
const OUT_OF_SCOPE_ALWAYS = /^\s*(?:(?:please|pls|can\s+you|could\s+you)\s+)?(?:show|list|print|tail|display|fetch|grep)\b(?:\s+\S+){0,5}\s+logs?\b|\bnew\s+services?\b|\bservices?\s+(?:called|named)\b|\b(?:create|add)\s+(?:a|an)\s+(?:\S+\s+)?service\b|새\s*서비스|서비스\s*(?:새로|생성|만들)|\bexec\b|\bmigrat(?:e|es|ions?)\b|\brun\s+(?:a\s+|the\s+|some\s+)?(?:migrations?|scripts?|commands?|jobs?|tasks?|quer(?:y|ies)|sql|seeds?)\b|\brm\s+-|\brotat(?:e|es|ed|ing)\b|\brenew(?:s|ed|ing)?\b|\b(?:bounce|reboot|power[\s-]?cycle)\s+(?:the\s+)?@service\b|재부팅|\bssh\b|\bsudo\b|\bshell\b|\bvolumes?\b|\bbackups?\b|\brestore\b|볼륨|백업|복원|들어가서|쉘|셸|명령(?:어)?(?:을|를)?\s*(?:실행|돌려)|스크립트(?:를|을)?\s*(?:실행|돌려)/i;
/** Commands by name (outside a healthcheck, where a command is the check). */
const OUT_OF_SCOPE_COMMANDS = /\b(?:run|execute|exec)\b.*\b(?:shell|command|script|bash|sh)\b|\b(?:run|execute|exec)\s+@service\s+-|\b(?:npm|yarn|pnpm|pip|python|bash|sh|psql|mysql|redis-cli|curl|wget|kubectl|apt-get)\s+\S+/i;
/** Deleting: in scope only when what is removed is a setting bcon edits (an env variable, a port, a dependency, replicas). */
const DESTRUCTIVE = /\b(?:delete|drop|wipe|destroy|format|prune|truncate|purge|erase|flush(?:all|db)?)\b|삭제|지워|지우|없애|날려|초기화|비워|비우/i;
const OUT_OF_SCOPE_MESSAGE = 'bcon can scale, set limits, env, image, ports, restart policy, healthcheck and dependencies; deleting data or running commands is out of scope';

/**
 * Tokens of chat templates, anywhere: a request never carries them, a text written to steer a model does
 * (`<|im_start|>`, `<|system|>`, `<s>`, `[INST]`, `<<SYS>>`, `### System:`, `<system>`).
 */
const CHAT_TEMPLATE = /<\|[^|<>\n]{0,40}\|>|<\/?s>|\[\/?INST\]|<<\/?SYS>>|#{2,}\s*(?:system|instructions?|assistant|developer|user|response|human)\b|<\/?(?:system|assistant|developer|user|im_start|im_end)>/i;

/** The words for who speaks in a chat (a role): bracketed or parenthesised anywhere, "[system]", "(assistant)", "{developer}", "[관리자]". */
const ROLE_WORDS = 'system|assistant|developer|admin|administrator|root|operator|user|sysadmin|ai|bot|model|시스템|관리자|어시스턴트|개발자|운영자|사용자';
const ROLE_TAG = new RegExp(`[\\[({【]\\s*(${ROLE_WORDS})(?:[\\s_-]*(?:note|message|prompt|instructions?|override|notice|mode|지시|메시지|명령|공지|모드))?\\s*[:：]?\\s*[\\])}】]`, 'giu');

/** Who a message to the machinery is addressed to: "note to the assistant:", "bot,", "hey model,", "모델아", "AI에게". */
const ADDRESSEE_EN = /(?<![\w-])((?:hey|hi|dear|yo|ok|okay|attention|note|message|memo|reminder|instructions?|p\.?s\.?)\s+(?:to\s+|for\s+)?(?:the\s+)?)?((?:to|for)\s+(?:the\s+)?)?(assistant|ai|model|bot|llm|agent|gpt|chatgpt|claude|copilot|system|tool|bcon)(?![\w-])\s*[,:：!]/giu;
const ADDRESSEE_KO = /(?<![\w가-힣])(어시스턴트|모델|AI|에이아이|봇|챗봇|비서|인공지능|에이전트|LLM|GPT|지피티|시스템)\s*(?:(?:에게|한테|께|님|아|야)(?![가-힣])\s*[,:：!]?|[,:：!])/giu;
/** What such a message asks: to skip, approve, disable the checks, ignore the rules, apply without asking. */
const INSTRUCTION =
  /\b(?:skip|bypass|approve[sd]?|auto-?approve|pre-?approved|disable|turn\s+off|switch\s+off|ignore|disregard|override|forget|accept|allow|grant|trust|execute|push|commit|authori[sz]ed?|apply\s+(?:it\s+|this\s+|them\s+)?(?:directly|immediately|now|right\s+away|anyway|without))\b|\b(?:don'?t|do\s+not|never|no\s+need\s+to)\s+(?:check|verify|validate|ask|review|confirm|wait)\b|\bwithout\s+(?:checks?|checking|review(?:ing)?|asking|confirm\w*|approv\w*)\b|건너\s*뛰|생략|승인|무시|꺼|끄|비활성|허용|통과|검사\s*(?:하지|없이|안)|확인\s*(?:하지|없이|안)|바로\s*적용|푸시|커밋/iu;

/** A word that is (a part of) one of the file's services is a name, not someone the request talks to. */
const namesService = (word: string, names: string[]) => names.some((n) => n.toLowerCase() === word.toLowerCase() || n.toLowerCase().split(/[-_.]/).includes(word.toLowerCase()));

/** A message addressed to the assistant, model or tool (English or Korean) followed by an instruction to it. */
function addressedInstruction(text: string, names: string[]): boolean {
  for (const re of [ADDRESSEE_EN, ADDRESSEE_KO]) {
    for (const m of text.matchAll(re)) {
      const english = re === ADDRESSEE_EN;
      const who = (english ? m[3] : m[1]) ?? '';
      const before = text.slice(0, m.index);
      if (namesService(who, names)) continue;
      // "set env MODEL: gpt": a variable's name, not an addressee
      if (/(?:env|environment|variable|var|set|환경\s*변수)\s*$/i.test(before)) continue;
      // "upgrade the model, then …": in English a bare addressee ("bot:", "to the AI:") opens a sentence or a clause
      if (english && !m[1] && !/(?:^|[.!?;,:\n\u2014\u2013-]|\b(?:and|then|also|btw|so))\s*$/i.test(before)) continue;
      if (INSTRUCTION.test(text.slice((m.index ?? 0) + m[0].length, (m.index ?? 0) + m[0].length + 120))) return true;
    }
  }
  return false;
}

/** A role tag in brackets anywhere ("[system]", "(assistant)", "[관리자]"), unless the word is a service's whole name. */
function roleTag(text: string, names: string[]): boolean {
  return [...text.matchAll(ROLE_TAG)].some((m) => !names.some((n) => n.toLowerCase() === (m[1] ?? '').toLowerCase()));
}

/**
 * The request talks to the tool instead of asking for a change: chat-template tokens, a role tag, a message to the
 * assistant or model with an instruction, or the instructions and self-approvals above. Such a request is refused
 * whole, even when it also carries a valid change. `names` are the file's services (a service called "bot" is a name).
 */
export function isInjection(text: string, names: string[] = []): boolean {
  return INJECTION.test(text) || ADDRESSED_INJECTION.test(text) || SELF_APPROVAL.test(text) || CHAT_TEMPLATE.test(text) || roleTag(text, names) || addressedInstruction(text, names);
}

/**
 * Tokens as plain text, values masked: what the out-of-scope patterns read. A word that names one of the file's
 * services is that service (a service called `backup` or `mysql` is not data or a command).
 */
function maskedText(c: Tok[]): string {
  return c.map((t) => (t.val && t.val.k !== 'num' ? '#' : t.svc ? '@service' : t.raw)).join(' ');
}

/**
 * Why a clause is outside what bcon edits, or undefined: running commands, data (volumes, backups), removing a
 * service, or a compose setting that is none of the 13 operations (dns, networks, labels, entrypoint, user, build,
 * logging…; the command a service runs, outside a healthcheck). A value next to such a word is that setting's, never
 * an environment variable or a count: the whole request is refused rather than half done.
 */
export function outOfScope(c: Tok[], anyHc: boolean, prev?: Tok[]): string | undefined {
  const text = maskedText(c);
  const hc = c.some((t) => t.tags.has('hc'));
  if (OUT_OF_SCOPE_ALWAYS.test(text) || (!hc && OUT_OF_SCOPE_COMMANDS.test(text))) return OUT_OF_SCOPE_MESSAGE;
  // "의존성 db 추가, cache 제거": removing a service right after a dependency clause is about the dependency
  if (prev?.some((t) => hasTag(t, 'dep', 'depweak')) && !c.some((t) => t.tags.has('foreign'))) return undefined;
  // "api DNS 8.8.8.8", "add label team=shop", "api 네트워크를 backend로": a setting bcon does not edit ("DNS" is an
  // environment variable only where the clause says so: "set env DNS to …")
  const envCue = c.some((t) => t.tags.has('env'));
  // (a word that is the value of a variable, "set ROLE to user", "MODE를 build로", is the variable's)
  const envValue = (i: number) => (hasTag(c[i - 1], 'to') && !!c[i - 2] && envKeyLike(c[i - 2] as Tok)) || (!!c[i - 1] && envKeyLike(c[i - 1] as Tok) && /^(로|으로)$/.test(c[i]?.tail ?? ''));
  const foreign = c.find((t, i) => t.tags.has('foreign') && !(envCue && /^[A-Z][A-Z0-9_]*$/.test(t.raw)) && !envValue(i));
  const command = !anyHc && c.find((t) => t.tags.has('htest') && /^(command|cmd|명령어|명령|커맨드)$/.test(t.w));
  const what = foreign ?? (command || undefined);
  if (what) return `"${what.raw}" is a compose setting bcon does not edit; it can scale, set memory/CPU limits, env, image, ports, restart policy, healthcheck and dependencies`;
  // "remove the worker (service)": taking a service out of the file
  const onlyServices = c.every((t) => t.svc || hasTag(t, 'filler', 'remove', 'pron', 'sep', 'every') || (isKorean(t) && !t.tags.size));
  if (onlyServices && c.some((t) => t.svc) && c.some((t) => t.tags.has('remove') && !t.tags.has('neg'))) return OUT_OF_SCOPE_MESSAGE;
  if (!DESTRUCTIVE.test(text)) return undefined;
  // removing a setting bcon edits is in scope
  const setting = c.some((t) => envKeyLike(t) || t.val?.k === 'env' || t.val?.k === 'port' || hasTag(t, 'env', 'port', 'dep', 'depweak', 'replicas', 'container', 'hc', 'restart', 'padd', 'prm'));
  return setting ? undefined : OUT_OF_SCOPE_MESSAGE;
}
