import ansis from 'ansis';
import type { Diagnosis } from '../diagnose/diagnose.js';
import { CLAIM_THRESHOLD } from '../diagnose/diagnose.js';
import type { Lang } from '../diagnose/text.js';
import { printable } from '../status/format.js';

interface AiView {
  model: string;
  explanation: string;
  rejected: Array<{ cause: string; culprit: string; reason: string }>;
}

const HEADINGS: Record<Lang, Record<'symptoms' | 'causes' | 'hints' | 'actions' | 'none' | 'checked' | 'noSymptoms' | 'cause' | 'culprit' | 'notes' | 'took' | 'ai' | 'rejected', string>> = {
  en: {
    symptoms: 'Symptoms',
    causes: 'Likely causes (by confidence)',
    hints: 'Weaker hints',
    actions: 'Suggested actions',
    none: 'No problem found: no analyzer has evidence of a fault.',
    checked: 'Checked',
    noSymptoms: 'nothing visibly wrong',
    cause: 'cause',
    culprit: 'culprit',
    notes: 'Notes',
    took: 'took',
    ai: 'Explanation by the model, checked against the evidence ids',
    rejected: 'model claims refused',
  },
  ko: {
    symptoms: '증상',
    causes: '가능한 원인 (신뢰도 순)',
    hints: '약한 단서',
    actions: '권장 조치',
    none: '문제를 찾지 못했습니다: 어떤 분석기도 장애의 증거를 찾지 못했습니다.',
    checked: '확인한 서비스',
    noSymptoms: '눈에 띄는 이상 없음',
    cause: '원인',
    culprit: '원인 서비스',
    notes: '참고',
    took: '소요',
    ai: '모델의 설명 (증거 ID로 검증됨)',
    rejected: '거부된 모델 주장',
  },
};

/** The human view of a diagnosis: symptoms, likely causes with their evidence, suggested actions. */
export function renderDiagnosisText(d: Diagnosis, lang: Lang = 'en'): string {
  const h = HEADINGS[lang];
  const r = d.report;
  const byId = new Map(r.evidence.map((e) => [e.id, e]));
  const out: string[] = [];
  out.push(ansis.bold(h.symptoms));
  const symptoms = d.localized.symptoms;
  if (!symptoms.length) out.push(`  - ${h.noSymptoms}`);
  for (const s of symptoms.slice(0, 8)) out.push(`  - ${printable(s.text[lang])}`);
  // the analyzers' words in every language; a hypothesis the model wrote keeps its own (English) words
  const local = new Map(d.localized.hypotheses.map((l) => [`${l.cause}/${l.culprit}`, l]));
  const ai = (r as { ai?: AiView }).ai;
  const paired = r.hypotheses.map((x) => ({ x, l: ai ? undefined : local.get(`${x.cause}/${x.culprit}`) }));
  const claims = paired.filter(({ x }) => x.confidence >= CLAIM_THRESHOLD);
  const hints = paired.filter(({ x }) => x.confidence < CLAIM_THRESHOLD);
  out.push('');
  if (!claims.length) out.push(ansis.green(h.none));
  else {
    out.push(ansis.bold(h.causes));
    claims.forEach(({ x, l }, i) => {
      const pct = `[${Math.round(x.confidence * 100)}%]`;
      out.push(`  ${i + 1}. ${ansis.bold(pct)} ${printable(l?.summary[lang] ?? x.summary)}`);
      out.push(`     ${ansis.dim(`${h.cause}: ${x.cause}  ${h.culprit}: ${x.culprit}`)}`);
      for (const id of x.evidence.slice(0, 5)) {
        const e = byId.get(id);
        if (e) out.push(`     - ${ansis.dim(`[${e.id}]`)} ${printable(e.source)}: ${printable(e.text)}`);
      }
    });
    const actions = [...new Set(claims.slice(0, 2).flatMap(({ x, l }) => (l?.suggestions ?? []).map((s) => s[lang]).concat(l ? [] : x.suggestions)))];
    out.push('');
    out.push(ansis.bold(h.actions));
    for (const a of actions.slice(0, 5)) out.push(`  - ${printable(a)}`);
  }
  if (hints.length) {
    out.push('');
    out.push(ansis.dim(h.hints));
    for (const { x, l } of hints.slice(0, 3)) out.push(ansis.dim(`  - [${Math.round(x.confidence * 100)}%] ${printable(l?.summary[lang] ?? x.summary)} (${x.cause})`));
  }
  if (ai?.explanation) {
    out.push('');
    out.push(ansis.bold(`${h.ai} (${ai.model})`));
    for (const line of printable(ai.explanation).split(/(?<=\.)\s+/)) out.push(`  ${line}`);
  }
  if (ai?.rejected.length) out.push(ansis.dim(`  ${h.rejected}: ${ai.rejected.map((x) => `${x.cause}/${x.culprit} (${x.reason})`).join('; ')}`));
  out.push('');
  const notes = r.notices;
  if (notes.length) {
    out.push(ansis.dim(`${h.notes}:`));
    for (const n of notes.slice(0, 5)) out.push(ansis.dim(`  - ${printable(n)}`));
  }
  out.push(ansis.dim(`${h.checked}: ${r.checked.join(', ') || '-'} · ${h.took} ${(r.durationMs / 1000).toFixed(2)} s`));
  return out.join('\n');
}
