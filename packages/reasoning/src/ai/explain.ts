import { z } from 'zod';
import { evidenceSubjects } from '../diagnose/cite.js';
import type { Diagnosis } from '../diagnose/diagnose.js';
import { DependencyGraph } from '../diagnose/graph.js';
import { CAUSE_CODES } from '../diagnose/log-patterns.js';
import type { DiagnosisReport, Hypothesis } from '../diagnose/schema.js';
import type { DiagnosisSignals } from '../diagnose/signals.js';
import { redactText } from '../redact/text.js';
import { FENCE_RULE, dataJson, fence } from './fence.js';
import type { LlmGateway } from './gateway.js';
import type { Redactor } from './redactor.js';

/** What the model must answer for `bcon diagnose --ai`. */
export const AiDiagnosisAnswerSchema = z.object({
  hypotheses: z
    .array(
      z.object({
        cause: z.string(),
        culprit: z.string(),
        confidence: z.number().min(0).max(1),
        summary: z.string().max(600),
        evidence: z.array(z.string()),
        suggestions: z.array(z.string().max(400)).max(6).default([]),
      }),
    )
    .max(8),
  explanation: z.string().max(3000),
});

export const AI_DIAGNOSIS_JSON_SCHEMA: Record<string, unknown> = {
  type: 'object',
  additionalProperties: false,
  required: ['hypotheses', 'explanation'],
  properties: {
    hypotheses: {
      type: 'array',
      maxItems: 8,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['cause', 'culprit', 'confidence', 'summary', 'evidence', 'suggestions'],
        properties: {
          cause: { type: 'string', enum: [...CAUSE_CODES] },
          culprit: { type: 'string' },
          confidence: { type: 'number', minimum: 0, maximum: 1 },
          summary: { type: 'string' },
          evidence: { type: 'array', items: { type: 'string' } },
          suggestions: { type: 'array', items: { type: 'string' } },
        },
      },
    },
    explanation: { type: 'string' },
  },
};

const SYSTEM = `You are the explanation step of bcon, a troubleshooting tool for Docker Compose stacks.
You receive the facts bcon collected (evidence with ids) and the hypotheses its deterministic analyzers ranked.
Re-rank, merge or drop those hypotheses and explain the most likely root cause in plain words.
Rules:
- Cite evidence only by the ids given (e1, e2, ...). Every hypothesis must cite at least one id, and only evidence
  about its culprit (or about a service that depends on the culprit).
- cause must be one of: ${CAUSE_CODES.join(', ')}.
- culprit must be one of the services listed under "services".
- ${FENCE_RULE.replace(/\n/g, '\n  ')}
- Answer with one JSON object: {"hypotheses":[{"cause","culprit","confidence","summary","evidence","suggestions"}],"explanation"}.`;

/** A name as the digest writes it: bare when it is a plain name (letters, digits, `_.-`), else as JSON. */
const nameOf = (name: string): string => (/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name) ? name : dataJson(name));

/**
 * The compact digest sent to the model: hypotheses, evidence, symptoms and error templates — never raw log dumps.
 * All of it sits inside the one data fence, every untrusted value JSON-encoded on its line (fence.ts), so no text
 * read from a container can close the fence or forge a line (an evidence line, a hypothesis). `redact` masks each
 * untrusted string before it is encoded (the gateway redacts the whole request once more).
 */
export function diagnosisDigest(d: Diagnosis, redact: (text: string) => string = (t) => t): string {
  const r = d.report;
  const lines: string[] = [];
  lines.push(`target: ${r.target === null ? '(every service that is not OK)' : nameOf(r.target)}`);
  lines.push(`complaint: ${r.complaint === null ? '(none)' : dataJson(redact(r.complaint))}`);
  lines.push(`services: ${dataJson(r.checked)}`);
  lines.push('symptoms:');
  for (const s of r.symptoms) lines.push(`- ${dataJson({ service: s.service, text: redact(s.text) })}`);
  lines.push('evidence:');
  for (const e of r.evidence) lines.push(`- ${e.id} [${e.kind}] ${dataJson({ source: e.source, text: redact(e.text) })}`);
  lines.push('error log templates (count, template, one sample):');
  for (const [service, templates] of Object.entries(d.errorTemplates)) {
    for (const t of templates) lines.push(`- ${dataJson({ service, count: t.count, template: redact(t.template).slice(0, 200), sample: redact(t.sample).slice(0, 200) })}`);
  }
  lines.push('hypotheses of the deterministic analyzers (best first):');
  for (const h of r.hypotheses) lines.push(`- ${dataJson({ cause: h.cause, culprit: h.culprit, confidence: h.confidence, evidence: h.evidence, summary: redact(h.summary) })}`);
  return fence(lines);
}

/**
 * Seed the redactor with every container and service of the diagnosis — env values of secret names, URL
 * passwords in any value, secrets in commands, entrypoints, healthchecks, labels and probe output — and learn
 * from every log line read, before anything is sent: a secret is masked wherever it shows up in the request.
 */
export function seedRedactor(redactor: Redactor, d: Diagnosis): Redactor {
  const services = d.signals?.services ?? [];
  redactor.keep([...d.report.checked, ...services.flatMap((s) => [s.name, s.project])]);
  for (const s of services) {
    for (const c of s.containers) redactor.seedContainer(c);
    if (s.spec) redactor.seedService(s.spec);
  }
  for (const s of services) for (const lines of Object.values(s.logs)) redactor.learn(lines.map((l) => l.text).join('\n'));
  return redactor;
}

/**
 * The request `diagnose --ai` sends (before the gateway's own pass over it): the redactor seeded with the
 * diagnosis, every string of the digest learned first, then each masked — a secret seen late is masked everywhere.
 */
export function diagnosisRequest(redactor: Redactor, d: Diagnosis): { system: string; user: string } {
  seedRedactor(redactor, d);
  diagnosisDigest(d, (t) => {
    redactor.learn(t);
    return t;
  });
  return { system: SYSTEM, user: diagnosisDigest(d, (t) => redactor.redact(t)) };
}

export interface AiSection {
  model: string;
  explanation: string;
  /** hypotheses of the model that were refused, and why */
  rejected: Array<{ cause: string; culprit: string; reason: string }>;
  promptTokens: number;
  completionTokens: number;
  cached: boolean;
}

/**
 * Check the model's hypotheses against the facts: known cause codes, known services, evidence ids that exist and
 * are about the culprit (its own containers, a service that depends on it, or what the analyzers cited for it),
 * and `untracked_container` only for a container that is untracked. Without the signals, the untracked ones are
 * those the analyzers named, and evidence is placed by service name only.
 */
export function validateAiHypotheses(
  report: DiagnosisReport,
  answer: z.infer<typeof AiDiagnosisAnswerSchema>,
  signals?: Pick<DiagnosisSignals, 'services'>,
): { accepted: Hypothesis[]; rejected: AiSection['rejected'] } {
  const ids = new Set(report.evidence.map((e) => e.id));
  const services = new Set([...report.checked, ...report.hypotheses.map((h) => h.culprit)]);
  const graph = signals ? new DependencyGraph(signals.services) : undefined;
  const subjects = evidenceSubjects(report.evidence, services, graph);
  const untracked = new Set([...(signals?.services ?? []).filter((s) => s.untracked).map((s) => s.name), ...report.hypotheses.filter((h) => h.cause === 'untracked_container').map((h) => h.culprit)]);
  const citedFor = (culprit: string, id: string) => report.hypotheses.some((h) => h.culprit === culprit && h.evidence.includes(id));
  // evidence about another service than the culprit: refused unless that service depends on the culprit
  const elsewhere = (culprit: string, id: string): string | undefined => {
    const subject = subjects.get(id);
    if (subject === undefined || subject === culprit || citedFor(culprit, id) || graph?.closure(subject).has(culprit)) return undefined;
    return subject;
  };
  const accepted: Hypothesis[] = [];
  const rejected: AiSection['rejected'] = [];
  for (const h of answer.hypotheses) {
    const missing = h.evidence.find((id) => !ids.has(id));
    const foreign = h.evidence.find((id) => elsewhere(h.culprit, id) !== undefined);
    const reason = !(CAUSE_CODES as readonly string[]).includes(h.cause)
      ? `cause "${h.cause}" is not a cause code`
      : !services.has(h.culprit)
        ? `culprit "${h.culprit}" is not a service that was checked`
        : h.evidence.length === 0
          ? 'it cites no evidence'
          : missing !== undefined
            ? `it cites evidence "${missing}", which does not exist`
            : foreign !== undefined
              ? `it cites evidence "${foreign}", which is about ${elsewhere(h.culprit, foreign)}, not ${h.culprit}`
              : h.cause === 'untracked_container' && !untracked.has(h.culprit)
                ? `"${h.culprit}" is not an untracked container`
                : undefined;
    if (reason) rejected.push({ cause: h.cause, culprit: h.culprit, reason });
    else accepted.push({ ...h, cause: h.cause as Hypothesis['cause'], summary: redactText(h.summary), suggestions: h.suggestions.map(redactText) });
  }
  return { accepted, rejected };
}

/**
 * `bcon diagnose --ai`: the model re-ranks and explains; its hypotheses are kept only when they cite evidence ids
 * that exist, name a cause code and a checked service. The deterministic hypotheses it did not repeat follow
 * (they are never dropped). When nothing the model said survives, the deterministic result stands unchanged.
 */
export async function explainDiagnosis(gateway: LlmGateway, d: Diagnosis): Promise<DiagnosisReport & { ai: AiSection }> {
  const res = await gateway.structured({
    task: 'troubleshooting',
    ...diagnosisRequest(gateway.redactor, d),
    schema: AiDiagnosisAnswerSchema,
    schemaName: 'bcon_diagnosis',
    jsonSchema: AI_DIAGNOSIS_JSON_SCHEMA,
  });
  const { accepted, rejected } = validateAiHypotheses(d.report, res.value, d.signals);
  const key = (h: Hypothesis) => `${h.cause}/${h.culprit}`;
  const seen = new Set(accepted.map(key));
  const hypotheses = accepted.length
    ? [...accepted.sort((a, b) => b.confidence - a.confidence), ...d.report.hypotheses.filter((h) => !seen.has(key(h)))]
    : d.report.hypotheses;
  return {
    ...d.report,
    hypotheses,
    ai: {
      model: gateway.settings.model,
      explanation: accepted.length ? redactText(res.value.explanation) : '',
      rejected,
      promptTokens: res.promptTokens,
      completionTokens: res.completionTokens,
      cached: res.cached,
    },
  };
}
