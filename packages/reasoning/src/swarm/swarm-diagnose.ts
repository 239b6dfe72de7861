import { z } from 'zod';
import type { LogLine, SwarmServiceFacts, SwarmTaskFacts } from '@bcon/sensor';
import { EvidenceBook } from '../diagnose/evidence.js';
import type { Evidence } from '../diagnose/evidence.js';
import { lineLevel } from '../diagnose/log-level.js';
import { CAUSE_CODES, failuresIn } from '../diagnose/log-patterns.js';
import { EvidenceSchema } from '../diagnose/schema.js';
import { oneLine } from '../status/format.js';

/**
 * Causes only a swarm has, beside the compose vocabulary (ARCHITECTURE.md "Cause codes"): the orchestrator refused
 * to start a task (no such image, a bad mount: `task_rejected`), found no node that fits its constraints or
 * reservations (`no_suitable_node`), or an update stopped or was undone (`update_failed`: paused, rolled back).
 */
export const SWARM_CAUSE_CODES = ['task_rejected', 'no_suitable_node', 'update_failed'] as const;

export const SwarmHypothesisSchema = z.object({
  cause: z.enum([...CAUSE_CODES, ...SWARM_CAUSE_CODES]),
  culprit: z.string(),
  confidence: z.number().min(0).max(1),
  summary: z.string(),
  evidence: z.array(z.string()),
  suggestions: z.array(z.string()),
});

export const SwarmDiagnosisSchema = z.object({
  target: z.string(),
  hypotheses: z.array(SwarmHypothesisSchema),
  evidence: z.array(EvidenceSchema),
  symptoms: z.array(z.object({ service: z.string(), text: z.string(), evidence: z.array(z.string()) })),
  notices: z.array(z.string()),
});

export type SwarmHypothesis = z.infer<typeof SwarmHypothesisSchema>;
export type SwarmDiagnosis = z.infer<typeof SwarmDiagnosisSchema>;

const IMAGE_MISSING = /no such image|pull access denied|manifest (?:for .* )?unknown|repository does not exist|not found: manifest|image .* not found|failed to resolve reference/i;
const NO_NODE = /no suitable node/i;
/** swarm's own words when it killed a task whose healthcheck failed */
const UNHEALTHY_KILL = /unhealthy container/i;
const NOT_EXECUTABLE = /executable file not found|no such file or directory|permission denied|exec format error|OCI runtime create failed/i;

/** `task: non-zero exit (3)` → 3 */
function exitOf(t: SwarmTaskFacts): number | undefined {
  if (t.exitCode !== undefined) return t.exitCode;
  const m = /non-zero exit \((\d+)\)/.exec(t.error ?? '');
  return m ? Number(m[1]) : undefined;
}

/** The error text without its ids, so that the same failure of many tasks counts as one. */
const shape = (text: string) => text.replace(/\b[0-9a-z]{25}\b/g, '<task>').replace(/\b[0-9a-f]{12,64}\b/g, '<id>');

/**
 * Why a swarm service is not running as asked, from its tasks (the orchestrator's own states and errors, exit
 * codes), its update state and its logs (the service logs endpoint). Deterministic; every hypothesis cites the task
 * errors or lines it stands on. A healthy service gets no hypothesis at or above 0.5.
 */
export function diagnoseSwarmService(s: SwarmServiceFacts, logs: readonly LogLine[], options: { now?: number } = {}): SwarmDiagnosis {
  const book = new EvidenceBook();
  const hypotheses: SwarmHypothesis[] = [];
  const notices: string[] = [];
  const symptoms: SwarmDiagnosis['symptoms'] = [];
  const now = options.now ?? Date.now();
  // the tasks of the last 15 minutes tell what is happening now; older ones are history
  const recent = s.tasks.filter((t) => !t.timestamp || now - Date.parse(t.timestamp) < 15 * 60_000);
  const stateId = book.add('state', s.name, `${s.running}/${s.desired} tasks running (${s.mode}); image ${s.image}${s.update ? `; update ${s.update.state}${s.update.message ? `: ${s.update.message}` : ''}` : ''}`);
  if (s.running < s.desired) symptoms.push({ service: s.name, text: `${s.running} of ${s.desired} replicas running`, evidence: [stateId] });

  const taskEvidence = (tasks: readonly SwarmTaskFacts[]) => {
    const byShape = new Map<string, SwarmTaskFacts[]>();
    for (const t of tasks) {
      const text = t.error ?? `${t.state}${exitOf(t) !== undefined ? ` (exit ${exitOf(t)})` : ''}`;
      const key = shape(text);
      byShape.set(key, [...(byShape.get(key) ?? []), t]);
    }
    return [...byShape.values()].map((ts) => {
      const t = ts[0] as SwarmTaskFacts;
      const exit = exitOf(t);
      return book.add('event', `${s.name}${t.slot !== undefined ? `.${t.slot}` : ''}`, `task ${t.id.slice(0, 12)} ${t.state}${t.node ? ` on node ${t.node.slice(0, 12)}` : ''}${t.error ? `: "${t.error}"` : ''}${exit !== undefined && !t.error ? ` exit code ${exit}` : ''}${ts.length > 1 ? ` (${ts.length} tasks alike)` : ''}${t.timestamp ? ` at ${t.timestamp}` : ''}`);
    });
  };

  const rejected = recent.filter((t) => t.state === 'rejected' || (t.error && !/non-zero exit/.test(t.error) && t.state !== 'pending' && t.state !== 'shutdown'));
  const pending = recent.filter((t) => t.state === 'pending' && (NO_NODE.test(t.error ?? '') || NO_NODE.test(t.message)));
  // a task swarm stopped itself (an update, a scale-down: state shutdown, whatever its exit code) did not crash;
  // one whose container exited on its own is `failed` — and one swarm killed for failing its healthcheck says so
  const failed = recent.filter((t) => !rejected.includes(t) && t.state === 'failed');
  const unhealthy = failed.filter((t) => UNHEALTHY_KILL.test(t.error ?? ''));
  const crashed = failed.filter((t) => !unhealthy.includes(t));
  // failures of an update swarm paused or rolled back: they ran the update's image, the service may be fine again
  const updateTrouble = Boolean(s.update && /paused$|rollback_completed|rollback_started/.test(s.update.state));
  const ofTheUpdate = updateTrouble && failed.length > 0 && failed.every((t) => !t.image || t.image !== s.image || /paused$/.test(s.update?.state ?? ''));

  if (pending.length) {
    const ev = taskEvidence(pending);
    hypotheses.push({
      cause: 'no_suitable_node',
      culprit: s.name,
      confidence: 0.9,
      summary: `no node can take ${s.name}'s tasks: "${oneLine(pending[0]?.error ?? pending[0]?.message ?? '', 160)}" — its placement constraints or resource reservations fit no node`,
      evidence: [stateId, ...ev],
      suggestions: ['lower the reservations (deploy.resources.reservations) or the constraints (deploy.placement), or add a node that fits', `docker node ls; docker service inspect ${s.name} --format '{{json .Spec.TaskTemplate.Placement}}'`],
    });
  }
  if (rejected.length) {
    const ev = taskEvidence(rejected);
    const first = rejected[0] as SwarmTaskFacts;
    const image = IMAGE_MISSING.test(first.error ?? '');
    const exec = !image && NOT_EXECUTABLE.test(first.error ?? '');
    hypotheses.push({
      cause: exec ? 'bad_command' : 'task_rejected',
      culprit: s.name,
      confidence: rejected.length >= 2 || s.running < s.desired ? 0.9 : 0.6,
      summary: image
        ? `the engine cannot start ${s.name}: its image ${first.image ?? s.image} is not available on the node ("${oneLine(first.error ?? '', 160)}"); ${rejected.length} task${rejected.length === 1 ? ' was' : 's were'} rejected`
        : `the engine rejected ${rejected.length} task${rejected.length === 1 ? '' : 's'} of ${s.name}: "${oneLine(first.error ?? first.state, 160)}"`,
      evidence: [stateId, ...ev],
      suggestions: image
        ? [`push the image to a registry every node can pull from (or load it on each node), or go back to the previous one: bcon rollback ${s.shortName}`, `docker service ps ${s.name} --no-trunc`]
        : [`docker service ps ${s.name} --no-trunc`, `bcon rollback ${s.shortName} (the previous spec) if the last change caused it`],
    });
  }

  // the lines that say why a container stopped: of the service's last lines, those a known pattern reads (a missing
  // variable, a refused connection …) first, then error-level ones; newest last
  const tail = logs.slice(-20);
  const readable = tail.filter((l) => failuresIn(l.text).length > 0);
  const errorLines = [...new Set([...readable, ...tail.filter((l) => lineLevel(l.text) === 'error')])].sort((a, b) => tail.indexOf(a) - tail.indexOf(b)).slice(-3);
  const lastSaid = readable[readable.length - 1] ?? errorLines[errorLines.length - 1];
  const logIds = errorLines.map((l) => book.add('log', s.name, l.text));
  // the cause is the update when its tasks are what failed: the crash or the health kill is how
  const byUpdate = ofTheUpdate ? 0.8 : undefined;
  if (unhealthy.length) {
    const ev = taskEvidence(unhealthy);
    hypotheses.push({
      cause: 'healthcheck_failing',
      culprit: s.name,
      confidence: byUpdate ?? (unhealthy.length >= 2 ? 0.85 : 0.6),
      summary: `swarm killed ${unhealthy.length} task${unhealthy.length === 1 ? '' : 's'} of ${s.name} for failing ${unhealthy.length === 1 ? 'its' : 'their'} healthcheck ("${oneLine(unhealthy[0]?.error ?? '', 120)}")${unhealthy[0]?.image && unhealthy[0].image !== s.image ? ` on ${unhealthy[0].image}` : ''}`,
      evidence: [stateId, ...ev, ...logIds],
      suggestions: [`check the healthcheck of ${unhealthy[0]?.image ?? s.image} against what the app serves`, `bcon swarm logs ${s.shortName}`],
    });
  }
  if (crashed.length) {
    const ev = taskEvidence(crashed);
    const exits = crashed.map(exitOf).filter((e): e is number => e !== undefined);
    const oom = exits.includes(137) && s.memoryBytes !== undefined;
    const badCommand = exits.some((e) => e === 126 || e === 127);
    const matched = errorLines.flatMap((l) => failuresIn(l.text)).sort((a, b) => b.pattern.weight - a.pattern.weight)[0];
    const many = crashed.length >= 2;
    hypotheses.push({
      cause: oom ? 'oom_killed' : badCommand ? 'bad_command' : 'crash_loop',
      culprit: s.name,
      confidence: byUpdate ?? (many ? 0.85 : 0.6),
      summary: `${s.name}'s containers exit soon after they start: ${crashed.length} task${crashed.length === 1 ? '' : 's'} ended with "${oneLine(crashed[0]?.error ?? `exit ${exits[0]}`, 120)}"${exits.length ? ` (exit code${new Set(exits).size > 1 ? 's' : ''} ${[...new Set(exits)].join(', ')})` : ''}${lastSaid ? `; the logs say: "${oneLine(lastSaid.text, 160)}"` : ''}`,
      evidence: [stateId, ...ev, ...logIds],
      suggestions: [`bcon swarm logs ${s.shortName}`, `bcon rollback ${s.shortName} if the last update brought it`, `docker service ps ${s.name} --no-trunc`],
    });
    if (matched && matched.pattern.cause !== 'crash_loop') {
      hypotheses.push({
        cause: matched.pattern.cause,
        culprit: s.name,
        confidence: Math.min(byUpdate ? 0.75 : 0.8, 0.55 + matched.pattern.weight / 4),
        summary: `what the logs say before the exits: ${matched.description}`,
        evidence: [...logIds, ...ev.slice(0, 1)],
        suggestions: [`bcon diagnose on the dependency it names, or check the service's configuration`],
      });
    }
  }
  if (s.update && /paused$|rollback_completed|rollback_started/.test(s.update.state)) {
    const ev = book.add('change', s.name, `update ${s.update.state}${s.update.startedAt ? ` (started ${s.update.startedAt})` : ''}: ${s.update.message}`);
    const paused = /paused$/.test(s.update.state);
    hypotheses.push({
      cause: 'update_failed',
      culprit: s.name,
      // the update is the cause to act on when its own tasks failed (roll back, or fix the image); a rollback long done
      // on a service that runs fine is history
      confidence: ofTheUpdate ? 0.9 : paused ? 0.85 : s.running < s.desired ? 0.6 : 0.4,
      summary: paused
        ? `${s.name}'s last update is ${s.update.state.replace('_', ' ')}: "${oneLine(s.update.message, 160)}" — swarm stopped it part-way (failure_action pause): some tasks may run the new spec, some the old`
        : `${s.name}'s last update ${s.update.state === 'rollback_started' ? 'is being rolled back' : 'was rolled back'} by swarm: "${oneLine(s.update.message, 160)}"${s.previousImage ? ` (the update had asked for ${s.previousImage})` : ''}`,
      evidence: [ev, ...taskEvidence(failed.length ? failed : recent.filter((t) => t.error)).slice(0, 2), ...logIds.slice(-1)],
      suggestions: paused ? [`bcon rollback ${s.shortName}`, `docker service update --rollback ${s.name}`] : [`bcon swarm logs ${s.shortName}`, 'fix the image and deploy again'],
    });
  }
  if (!hypotheses.length && s.running < s.desired) notices.push('tasks are starting or being scheduled: no failed or rejected task yet');
  for (const h of hypotheses) h.evidence = [...new Set(h.evidence)];
  hypotheses.sort((a, b) => b.confidence - a.confidence);
  const cited = new Set([...hypotheses.flatMap((h) => h.evidence), ...symptoms.flatMap((x) => x.evidence)]);
  const evidence: Evidence[] = book.all().filter((e) => cited.has(e.id) || e.id === stateId);
  return { target: s.name, hypotheses, evidence, symptoms, notices };
}

export function renderSwarmDiagnosisText(d: SwarmDiagnosis): string {
  const byId = new Map(d.evidence.map((e) => [e.id, e]));
  const lines = [`${d.target}:`];
  for (const s of d.symptoms) lines.push(`  symptom: ${s.text}`);
  if (!d.hypotheses.some((h) => h.confidence >= 0.5)) lines.push('  nothing wrong found: its tasks run as asked');
  for (const [i, h] of d.hypotheses.entries()) {
    lines.push('', `${i + 1}. ${h.cause} (${Math.round(h.confidence * 100)} %) — ${h.summary}`);
    for (const id of h.evidence) {
      const e = byId.get(id);
      if (e) lines.push(`     [${e.id}] ${e.kind} ${e.source}: ${e.text}`);
    }
    for (const s of h.suggestions) lines.push(`     → ${s}`);
  }
  for (const n of d.notices) lines.push(`note: ${n}`);
  return lines.join('\n');
}
