import { z } from 'zod';
import type { Action, ActionType, Guardrails, ProposalOption, ServiceFacts } from '@bcon/decision';
import { ACTION_TYPES, ActionSchema, SWARM_ACTION_TYPES, assessRisk, describeAction, precondition, stricterTier } from '@bcon/decision';
import type { CauseCode, Diagnosis, DiagnosisReport } from '@bcon/reasoning';
import type { ContainerFacts } from '@bcon/sensor';

/** An option the model suggested: typed, validated, risk-scored and tiered by bcon, with the evidence it cites. */
export type ModelOption = ProposalOption & { source: 'model'; evidence: string[] };

/** A suggestion of the model that bcon did not take, and why (the suggestion redacted, cut to a printable length). */
export interface ModelRefusal {
  reason: string;
  suggestion: string;
}

export interface ModelSuggestions {
  options: ModelOption[];
  refused: ModelRefusal[];
  /** what a person should know: the model's suggestions that a rule option already covers, a model that failed */
  notes: string[];
}

/**
 * The actions a model may suggest: the catalog's remedies. A deploy is a change someone makes on purpose, never a
 * remedy a model picks from a diagnosis; so is a change of a swarm service (docs/swarm.md).
 */
export const MODEL_ACTION_TYPES: readonly ActionType[] = ACTION_TYPES.filter((t) => t !== 'service.deploy' && !SWARM_ACTION_TYPES.includes(t));

/** One suggestion as the model must write it; the action is checked against the catalog's schema afterwards. */
export const ModelSuggestionSchema = z
  .object({
    action: z.record(z.string(), z.unknown()),
    cause: z.string().max(64).optional(),
    evidence: z.array(z.string().max(16)).max(20),
    why: z.string().max(600).optional(),
  })
  .strict();

/** The model's whole answer: suggestions are vetted one by one (one bad suggestion does not sink the others). */
export const ModelAnswerSchema = z.object({ suggestions: z.array(z.unknown()).max(8) });

const MODEL_ANSWER_JSON_SCHEMA: Record<string, unknown> = {
  type: 'object',
  additionalProperties: false,
  required: ['suggestions'],
  properties: {
    suggestions: {
      type: 'array',
      maxItems: 8,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['action', 'evidence'],
        properties: {
          action: { type: 'object', required: ['type'], properties: { type: { type: 'string', enum: [...MODEL_ACTION_TYPES] } } },
          cause: { type: 'string' },
          evidence: { type: 'array', items: { type: 'string' } },
          why: { type: 'string' },
        },
      },
    },
  },
};

const SYSTEM = `You are the remedy step of bcon, an ops tool for Docker Compose stacks. bcon diagnosed a service and its
rules already proposed options. Suggest other remedies, or none. Rules:
- Only these typed actions exist (bcon fills in the current values itself: previous limits, replica counts, images):
  container.restart{container}, container.stop{container}, container.start{container},
  container.unpause{container} (a paused container only),
  service.set_memory{service,containers,memoryBytes}, service.set_cpus{service,containers,cpus},
  service.scale{service,to}, service.recreate{service,container}, service.set_env{service,container,name,value},
  service.unset_env{service,container,name}, service.rollback_image{service,container,image} (the committed image only),
  container.remove_untracked{container} (an untracked container only).
- Act only on the services and containers listed under "may_act_on"; never on any other.
- Every suggestion cites the evidence ids (e1, e2, ...) it rests on, only ids that exist, and names the cause code
  it answers (one of the diagnosis's cause codes).
- Do not repeat the options bcon's rules made ("rule_options").
- You do not decide risk or approval: bcon does.
- Answer with one JSON object: {"suggestions":[{"action":{"type":...},"cause":"...","evidence":["e1"],"why":"..."}]}.`;

/** A canonical key of an action: the same action whatever the order of its fields. */
function actionKey(a: Record<string, unknown>): string {
  return JSON.stringify(Object.keys(a).sort().map((k) => [k, a[k]]));
}

const isCause = (codes: readonly string[], c: string | undefined): c is CauseCode => c !== undefined && codes.includes(c);

const servingOrder = (cs: readonly ContainerFacts[]) => [...cs].sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));

/**
 * Put in what bcon knows better than the model (the values an undo needs, the current replica count and project),
 * or refuse what no fact backs. Returns the action to parse, or the reason it is refused.
 */
function withFacts(raw: Record<string, unknown>, service: string, facts: ServiceFacts): Record<string, unknown> | string {
  const cs = servingOrder(facts.containers.filter((c) => !c.compose?.oneoff));
  const first = cs[0];
  const a = { ...raw };
  switch (raw['type']) {
    case 'service.set_memory':
      a['containers'] ??= cs.map((c) => c.name);
      a['previousBytes'] = first?.limits.memoryBytes ?? null;
      return a;
    case 'service.set_cpus':
      a['containers'] ??= cs.map((c) => c.name);
      a['previousCpus'] = first?.limits.nanoCpus ? first.limits.nanoCpus / 1e9 : null;
      return a;
    case 'service.scale':
      a['from'] = cs.length;
      if (first?.compose?.project) a['project'] = first.compose.project;
      else delete a['project'];
      return a;
    case 'service.rollback_image': {
      const current = facts.containers.find((c) => c.name === raw['container'])?.image ?? first?.image ?? '';
      if (!facts.committedImage) return `${service}: no committed image is known, so there is nothing to roll back to`;
      if (raw['image'] !== facts.committedImage) return `${service} may be rolled back to its committed image (${facts.committedImage}) only, not ${JSON.stringify(raw['image'])}`;
      a['currentImage'] = current;
      return a;
    }
    case 'container.remove_untracked':
      return facts.untracked === true ? a : `${service} is not an untracked container: bcon proposes no removal of it`;
    case 'service.set_env':
      return typeof raw['value'] === 'string' && /\[REDACTED|\*\*\*/.test(raw['value']) ? 'the value is a redaction mask, not a value' : a;
    default:
      return a;
  }
}

/** The service an action is about: its `service`, else the service of its `container`. Undefined when neither is known. */
function serviceOf(raw: Record<string, unknown>, containerService: ReadonlyMap<string, string>): { service?: string; unknownContainer?: string; mixed?: string[] } {
  const names = [raw['container'], ...(Array.isArray(raw['containers']) ? raw['containers'] : [])].filter((n): n is string => typeof n === 'string');
  const owners = new Set<string>();
  for (const n of names) {
    const owner = containerService.get(n);
    if (owner === undefined) return { unknownContainer: n };
    owners.add(owner);
  }
  const declared = typeof raw['service'] === 'string' ? raw['service'] : undefined;
  if (declared !== undefined) owners.add(declared);
  return owners.size === 1 ? { service: [...owners][0] as string } : owners.size > 1 ? { mixed: [...owners].sort() } : {};
}

export interface VetInput {
  suggestions: readonly unknown[];
  report: Pick<DiagnosisReport, 'evidence' | 'hypotheses'>;
  services: Record<string, ServiceFacts>;
  /** the services the model may act on: the diagnosed service and the culprits bcon's own hypotheses name */
  allowed: readonly string[];
  ruleOptions: readonly ProposalOption[];
  guardrails?: Guardrails;
  causeCodes: readonly string[];
  /** masks secrets in what is kept of the model's words (a refused suggestion, its reason) */
  redact: (text: string) => string;
}

/**
 * Check each suggestion of the model against the catalog and the facts: a valid catalog action (zod), about a
 * container of a service it may act on, citing evidence ids the diagnosis has, its precondition holding. What
 * passes is risk-scored and tiered by bcon's rules (the model's words never set either), at least `explicit`: a
 * model's suggestion runs only when a person approves it. A suggestion equal to a rule option is left out (noted).
 */
export function vetSuggestions(input: VetInput): ModelSuggestions {
  const options: ModelOption[] = [];
  const refused: ModelRefusal[] = [];
  const notes: string[] = [];
  const evidenceIds = new Set(input.report.evidence.map((e) => e.id));
  const containerService = new Map<string, string>();
  for (const [name, facts] of Object.entries(input.services)) for (const c of facts.containers) containerService.set(c.name, name);
  const all = Object.values(input.services).flatMap((s) => s.containers);
  const ruleKeys = new Map(input.ruleOptions.map((o) => [actionKey({ ...o.params, type: o.action }), o.n]));
  const seen = new Set<string>();
  const shown = (s: unknown) => {
    const text = input.redact(JSON.stringify(s) ?? String(s));
    return text.length > 400 ? `${text.slice(0, 399)}…` : text;
  };
  for (const s of input.suggestions) {
    const refuse = (reason: string) => refused.push({ reason: input.redact(reason), suggestion: shown(s) });
    const parsed = ModelSuggestionSchema.safeParse(s);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      refuse(`not a suggestion bcon can read (${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'})`);
      continue;
    }
    const { action: raw, evidence, cause, why } = parsed.data;
    const type = raw['type'];
    if (typeof type !== 'string' || !(MODEL_ACTION_TYPES as readonly string[]).includes(type)) {
      refuse(`${JSON.stringify(type ?? null)} is not a catalog action a model may suggest (${MODEL_ACTION_TYPES.join(', ')})`);
      continue;
    }
    const { service, unknownContainer, mixed } = serviceOf(raw, containerService);
    if (unknownContainer !== undefined) {
      refuse(`container ${JSON.stringify(unknownContainer)} is not a container of the services this proposal may act on (${input.allowed.join(', ')})`);
      continue;
    }
    if (mixed) {
      refuse(`it names containers and services of ${mixed.join(' and ')}: an option acts on one service`);
      continue;
    }
    if (service === undefined) {
      refuse(`${type} names no service or container`);
      continue;
    }
    const facts = input.services[service];
    if (!input.allowed.includes(service) || !facts) {
      refuse(`${service} is not a service this proposal may act on (${input.allowed.join(', ')})`);
      continue;
    }
    if (!evidence.length) {
      refuse('it cites no evidence');
      continue;
    }
    const missing = evidence.find((id) => !evidenceIds.has(id));
    if (missing !== undefined) {
      refuse(`it cites evidence ${JSON.stringify(missing)}, which the diagnosis does not have`);
      continue;
    }
    const filled = withFacts(raw, service, facts);
    if (typeof filled === 'string') {
      refuse(filled);
      continue;
    }
    const checked = ActionSchema.safeParse(filled);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      refuse(`not a valid ${type} action (${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'})`);
      continue;
    }
    const action = checked.data as Action;
    const failed = precondition(action, all);
    if (failed) {
      refuse(failed);
      continue;
    }
    const key = actionKey(action as unknown as Record<string, unknown>);
    const rule = ruleKeys.get(key);
    if (rule !== undefined) {
      notes.push(`the model also suggested option ${rule} (${describeAction(action)})`);
      continue;
    }
    if (seen.has(key)) continue;
    seen.add(key);
    const hypothesis = input.report.hypotheses.find((h) => h.culprit === service) ?? input.report.hypotheses[0];
    const answers: CauseCode | undefined = isCause(input.causeCodes, cause) ? cause : hypothesis?.cause;
    if (answers === undefined) {
      refuse(`it names no cause code (${JSON.stringify(cause ?? null)}) and the diagnosis has no hypothesis`);
      continue;
    }
    const touched = 'container' in action ? facts.containers.filter((c) => c.name === action.container) : facts.containers;
    const r = assessRisk(action, { containers: touched, replicas: facts.containers.filter((c) => !c.compose?.oneoff).length, ...(input.guardrails ? { guardrails: input.guardrails } : {}) });
    const tier = stricterTier(r.tier, 'explicit');
    const { type: _t, ...params } = action;
    options.push({
      n: 0,
      action: action.type,
      params: params as ProposalOption['params'],
      summary: describeAction(action),
      risk: r.risk,
      tier,
      reasons: [
        `suggested by the model for ${answers} of ${service}, citing ${evidence.join(', ')}${why ? `: ${input.redact(why).replace(/\s+/g, ' ').slice(0, 200)}` : ''}`,
        ...r.reasons,
        ...(tier !== r.tier ? ['a model\'s suggestion needs a person\'s approval (at least explicit)'] : []),
      ],
      cause: answers,
      culprit: service,
      source: 'model',
      evidence,
    });
  }
  return { options, refused, notes };
}

/** The services a model may act on: the one diagnosed (by service or container name) and the culprits bcon names. */
export function actionableServices(diagnosis: Pick<Diagnosis, 'report' | 'signals'>, hypotheses: readonly { culprit: string; confidence: number }[]): string[] {
  const services = diagnosis.signals.services;
  const target = diagnosis.report.target;
  const named = target === null ? undefined : services.find((s) => s.name === target || s.containers.some((c) => c.name === target))?.name;
  const culprits = hypotheses.filter((h) => h.confidence >= 0.3).map((h) => h.culprit);
  return [...new Set([...(named ? [named] : []), ...culprits])].filter((n) => services.some((s) => s.name === n));
}

/**
 * Ask the configured model for remedies beyond the rules' options (the same model as `diagnose --ai`, through the
 * gateway and its redaction: the digest of the diagnosis, the services it may act on, the rule options). Undefined
 * when no model is configured; a model that cannot be reached or answers nothing usable gives a note, never a
 * failed proposal.
 */
export async function suggestFromModel(input: { diagnosis: Diagnosis; services: Record<string, ServiceFacts>; ruleOptions: readonly ProposalOption[]; guardrails?: Guardrails; repo: string }): Promise<ModelSuggestions | undefined> {
  const { openAi } = await import('./ai-session.js');
  const session = await openAi(input.repo);
  if (!session) return undefined;
  try {
    const ai = await import('@bcon/reasoning/ai');
    const { redactText } = await import('@bcon/reasoning/redact');
    const { CAUSE_CODES } = await import('@bcon/reasoning/schemas');
    const { diagnosis } = input;
    const allowed = actionableServices(diagnosis, diagnosis.report.hypotheses);
    const redactor = session.gateway.redactor;
    const digest = ai.diagnosisRequest(redactor, diagnosis).user;
    const actOn = Object.fromEntries(
      allowed.map((name) => {
        const f = input.services[name] as ServiceFacts;
        return [
          name,
          {
            containers: servingOrder(f.containers).map((c) => ({ name: c.name, state: c.state, image: c.image, memoryBytes: c.limits.memoryBytes ?? null, cpus: c.limits.nanoCpus ? c.limits.nanoCpus / 1e9 : null })),
            ...(f.declaredReplicas !== undefined ? { declaredReplicas: f.declaredReplicas } : {}),
            ...(f.committedImage ? { committedImage: f.committedImage } : {}),
            ...(f.untracked ? { untracked: true } : {}),
          },
        ];
      }),
    );
    const rules = input.ruleOptions.map((o) => ({ n: o.n, action: { type: o.action, ...o.params } }));
    const user = `${digest}\n${ai.fence([`may_act_on: ${ai.dataJson(actOn)}`, `rule_options: ${ai.dataJson(rules)}`])}`;
    const redact = (t: string) => redactText(redactor.redact(t));
    let answer: z.infer<typeof ModelAnswerSchema>;
    try {
      const res = await session.gateway.structured({ task: 'proposal', system: `${SYSTEM}\n${ai.FENCE_RULE}`, user, schema: ModelAnswerSchema, schemaName: 'bcon_proposal', jsonSchema: MODEL_ANSWER_JSON_SCHEMA });
      answer = res.value;
    } catch (err) {
      return { options: [], refused: [], notes: [`the model's suggestions were not used: ${redact((err as Error).message).slice(0, 300)}`] };
    }
    return vetSuggestions({
      suggestions: answer.suggestions,
      report: diagnosis.report,
      services: input.services,
      allowed,
      ruleOptions: input.ruleOptions,
      ...(input.guardrails ? { guardrails: input.guardrails } : {}),
      causeCodes: CAUSE_CODES,
      redact,
    });
  } finally {
    session.close();
  }
}
