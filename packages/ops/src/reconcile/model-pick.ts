import { z } from 'zod';
import type { ProposalOption } from '@bcon/decision';
import type { Diagnosis } from '@bcon/reasoning';

/** The options the rules produced for one service, best first (the rules' pick is the first). */
export interface Choice {
  culprit: string;
  options: ProposalOption[];
}

/** What the model picked for a service, validated: one of the rules' options, with its reason (redacted, cut). */
export interface ModelPick {
  n: number;
  why: string;
}

export const PickAnswerSchema = z.object({
  picks: z.array(z.object({ culprit: z.string().max(200), n: z.number().int().min(1).max(50), why: z.string().max(2000) })).max(20),
});

const PICK_JSON_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['picks'],
  properties: {
    picks: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, required: ['culprit', 'n', 'why'], properties: { culprit: { type: 'string' }, n: { type: 'integer' }, why: { type: 'string' } } },
    },
  },
};

const SYSTEM = `You help an automatic reconciler choose how to repair services. For each service in "choices", bcon's rules
have produced numbered options (typed actions with a risk and a tier); the rules would take the first. Pick the
option that best fits the diagnosis and its evidence, and say why in one sentence that cites evidence ids. You may
only pick one of the listed option numbers of that service; you cannot add actions or change them. Answer JSON:
{"picks":[{"culprit":"<service>","n":<option number>,"why":"<one sentence>"}]}.`;

/**
 * Let a configured model pick among the options the rules produced, where a service has more than one. Validated
 * like every model answer: a pick must name a listed service and one of its option numbers, else it is dropped and
 * the rules' first option stands (said in `notes`); its reason is redacted and cut. No model, or a failing one: no
 * picks, and the rules decide. The tier is never the model's: the policy decides on the picked option's own tier.
 */
export async function pickWithModel(repo: string, diagnosis: Diagnosis, choices: readonly Choice[]): Promise<{ picks: Map<string, ModelPick>; notes: Array<{ culprit?: string; text: string }> }> {
  const picks = new Map<string, ModelPick>();
  const notes: Array<{ culprit?: string; text: string }> = [];
  const open = choices.filter((c) => c.options.length > 1);
  if (!open.length) return { picks, notes };
  const { openAi } = await import('../ai-session.js');
  const session = await openAi(repo);
  if (!session) return { picks, notes };
  try {
    const ai = await import('@bcon/reasoning/ai');
    const { redactText } = await import('@bcon/reasoning/redact');
    const redactor = session.gateway.redactor;
    const redact = (t: string) => redactText(redactor.redact(t));
    const digest = ai.diagnosisRequest(redactor, diagnosis).user;
    const listed = open.map((c) => ({ culprit: c.culprit, options: c.options.map((o) => ({ n: o.n, action: o.action, summary: o.summary, tier: o.tier, risk: o.risk })) }));
    const user = `${digest}\n${ai.fence([`choices: ${ai.dataJson(listed)}`])}`;
    let answer: z.infer<typeof PickAnswerSchema>;
    try {
      answer = (await session.gateway.structured({ task: 'proposal', system: `${SYSTEM}\n${ai.FENCE_RULE}`, user, schema: PickAnswerSchema, schemaName: 'bcon_pick', jsonSchema: PICK_JSON_SCHEMA })).value;
    } catch (err) {
      notes.push({ text: `the model did not pick (${redact((err as Error).message).slice(0, 200)}): the rules decided` });
      return { picks, notes };
    }
    for (const p of answer.picks) {
      const choice = open.find((c) => c.culprit === p.culprit);
      if (!choice) {
        notes.push({ text: `the model named a service with no choice to make (${redact(p.culprit).slice(0, 80)}): ignored` });
        continue;
      }
      if (!choice.options.some((o) => o.n === p.n)) {
        notes.push({ culprit: choice.culprit, text: `the model picked option ${p.n}, which the rules did not offer: the rules' first option stands` });
        continue;
      }
      if (picks.has(choice.culprit)) continue;
      // the reason is untrusted text: redacted, printable, one line, cut
      // eslint-disable-next-line no-control-regex -- control characters are what is removed
      const why = redact(p.why).replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, 300);
      picks.set(choice.culprit, { n: p.n, why });
    }
    return { picks, notes };
  } finally {
    session.close();
  }
}
