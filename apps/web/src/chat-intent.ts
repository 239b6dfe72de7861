/** What a chat question asks, when no model is configured: one of the read-only views, parsed offline. */
export interface ChatIntent {
  kind: 'status' | 'diagnose' | 'drift' | 'logs' | 'help';
  /** the service named in the question, if any (one of the known ones) */
  service?: string;
  /** the question itself, as the complaint a diagnosis is steered by */
  complaint?: string;
}

const DRIFT = /\bdrift(ed|s)?\b|\bout of sync\b|\bdiffer(s|ent)?\b|\bcommitted\b|드리프트|달라|차이|동기화/i;
const LOGS = /\blogs?\b|\berrors? (say|messages?)\b|로그/i;
const WHY = /\bwhy\b|\bslow\b|\bdown\b|\bwrong\b|\bbroken\b|\bfail(s|ing|ed)?\b|\bcrash(es|ing)?\b|\brestart(s|ing)?\b|\berrors?\b|\bunhealthy\b|\bdiagnos[ie]s?\b|\bissue\b|\bproblem\b|왜|느려|느린|안 ?돼|죽|재시작|에러|오류|문제|장애/i;
const STATUS = /\bstatus\b|\bhealth(y)?\b|\bok\b|\bup\b|\brunning\b|\boverview\b|\beverything\b|상태|괜찮|정상|살아/i;

/** Find a known service named in the text: the longest name that appears as a word (Korean particles may follow it). */
function namedService(text: string, services: readonly string[]): string | undefined {
  const lower = text.toLowerCase();
  const hits = services.filter((s) => {
    const at = lower.indexOf(s.toLowerCase());
    if (at < 0) return false;
    const before = at === 0 ? ' ' : (lower[at - 1] as string);
    const after = lower[at + s.length] ?? ' ';
    return !/[a-z0-9_-]/.test(before) && !/[a-z0-9_-]/.test(after);
  });
  return hits.sort((a, b) => b.length - a.length)[0];
}

/**
 * "why is api slow?" → diagnose api; "what drifted?" → drift; "logs of worker" → logs worker; "is everything ok?" →
 * status; English and Korean. A question about trouble that names no service diagnoses every service not OK.
 */
export function parseChatQuestion(question: string, services: readonly string[]): ChatIntent {
  const q = question.trim();
  const service = namedService(q, services);
  const named = service ? { service } : {};
  if (DRIFT.test(q)) return { kind: 'drift' };
  if (LOGS.test(q) && service) return { kind: 'logs', service };
  if (WHY.test(q)) return { kind: 'diagnose', ...named, complaint: q };
  if (service) return { kind: 'diagnose', service, complaint: q };
  if (STATUS.test(q)) return { kind: 'status' };
  return { kind: 'help' };
}
