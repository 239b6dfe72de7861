import { CAUSE_TOPICS } from './complaint.js';
import type { ComplaintTopic } from './complaint.js';
import type { AnalyzerContext, Finding } from './finding.js';
import { clamp } from './finding.js';
import { isUnavailable } from './service-state.js';

const DEPENDENCY = new Set(['dependency_down', 'dependency_slow']);
/** Causes a caller states in the words of a service it needs when it passes that service's failure on (an errno text). */
const RELAYED_CAUSES = new Set(['disk_full', 'permission_denied', 'too_many_open_files']);
/** The most a finding beside the target may claim: under the 0.5 that makes a claim. */
const BESIDE_CAP = 0.45;

/**
 * Ranking (documented in docs/diagnose.md):
 * 1. each finding starts at its analyzer's confidence (engine facts ≈ 0.85–0.95, a stated log cause 0.6–0.9,
 *    heuristics 0.45–0.7);
 * 2. the chain is followed to its root: a dependency finding whose culprit itself blames something deeper is
 *    multiplied by 0.6; a dependency's own root cause (it was OOM-killed, its disk is full) is lifted just above
 *    the "dependency down" it explains; a caller's connection_refused stands below the "dependency down" of a
 *    service it needs that cannot answer; the same root cause stated by a service and by one it needs is lifted on
 *    the one it needs (the caller relays it) (all after the complaint's boost, which cannot undo them);
 * 3. symptoms (a crash loop, an error spike) on a service that has a root finding are multiplied by 0.7;
 * 4. a finding about a dependency that nothing on the target's side connects to is multiplied by 0.85 (not when
 *    the target shows only symptoms, with no root of its own: then what it needs is where to look);
 * 5. a cause that speaks to the complaint's topic gets +0.06;
 * 6. duplicates (same cause and culprit) merge, keeping the highest confidence and all evidence.
 * Last, on the final figures: what a service read only because it is not OK beside the target (`signals.beside`)
 * says is dropped when a finding on the target's side reaches 0.5, and otherwise kept under 0.45 (a lead, not a claim);
 * what it says of the target or of what the target needs goes whenever the target's side has any finding.
 */
export function rankFindings(findings: readonly Finding[], ctx: AnalyzerContext, topics: ReadonlySet<ComplaintTopic>): Finding[] {
  const target = ctx.signals.target;
  const isAnswerless = (name: string): boolean => {
    const s = ctx.service(name);
    return s !== undefined && isUnavailable(s, ctx);
  };
  let list = findings.filter((f) => f.confidence >= 0.2).map((f) => ({ ...f, evidence: [...f.evidence] }));

  // a service read only because it is not OK beside the target: nothing known ties it to the complaint (see the end)
  const beside = new Set(ctx.signals.beside ?? []);
  // whatever a beside service tells, of itself or of a service it needs (the target included: a caller's refusals of
  // a stopped target), is a lead: the target's own side speaks first
  const aside = (f: Finding) => beside.has(f.observedOn);

  // a stopped dependency of the target is reported from the target's side (dependency_down) — unless it says why it
  // stopped (it gave up on a service it needs, which answers now: its own root, 2b)
  if (target) list = list.filter((f) => !(f.cause === 'stopped_service' && !f.gaveUp && f.culprit !== target && list.some((g) => g.cause === 'dependency_down' && g.culprit === f.culprit)));

  // 2. follow the chain to its root
  for (const f of list) {
    if (!DEPENDENCY.has(f.cause)) continue;
    const deeper = list.some((g) => DEPENDENCY.has(g.cause) && g.observedOn === f.culprit && g.culprit !== f.culprit && g.confidence >= 0.5);
    if (deeper) f.confidence *= 0.6;
  }
  // 3. symptoms explained by a root on the same service — a failing healthcheck too, when another root cause of that
  // service is known (a full disk it cannot write its sessions to): the check says it does not work, not why
  const rooted = new Set(list.filter((f) => f.root && f.cause !== 'healthcheck_failing' && f.confidence >= 0.5).map((f) => f.observedOn));
  const checked = new Set(list.filter((f) => f.root && f.confidence >= 0.5).map((f) => f.observedOn));
  for (const f of list) {
    if (f.cause === 'healthcheck_failing' ? rooted.has(f.observedOn) : !f.root && checked.has(f.observedOn)) f.confidence *= 0.7;
  }

  // 4. findings about a dependency that the target's own findings do not point at — unless all the target shows is
  // a symptom (errors, a crash loop) with no root of its own: then something it needs is where to look
  const onlySymptoms = target !== undefined && list.some((f) => f.observedOn === target && !f.root && f.confidence >= 0.5) && !list.some((f) => f.observedOn === target && f.root && f.confidence >= 0.5);
  if (target && !onlySymptoms) {
    const blamed = new Set(list.filter((f) => DEPENDENCY.has(f.cause)).map((f) => f.culprit));
    for (const f of list) if (f.observedOn !== target && f.culprit !== target && !DEPENDENCY.has(f.cause) && !blamed.has(f.culprit)) f.confidence *= 0.85;
  }

  // 5. the complaint's topic
  for (const f of list) if (CAUSE_TOPICS[f.cause].some((t) => topics.has(t))) f.confidence += 0.06;

  // 2b. (after the complaint, so that it cannot undo it) a dependency's own root cause stands just above the
  // "dependency down" it explains
  // — and, when nothing deeper is known of it, its crash loop: a dependency that keeps dying at every start (its restart
  // policy bringing it back) is not down the way a stopped one is, and what a person reads first is that it crashes
  for (const f of list) {
    if (!DEPENDENCY.has(f.cause)) continue;
    const own = (r: Finding) => r.observedOn === f.culprit && r.culprit === f.culprit && !DEPENDENCY.has(r.cause) && (r.cause !== 'stopped_service' || r.gaveUp === true) && r.confidence >= 0.5;
    const roots = list.filter((r) => own(r) && r.root);
    for (const r of roots.length ? roots : list.filter((x) => own(x) && x.cause === 'crash_loop' && x.looping === true)) {
      if (f.confidence >= 0.98) f.confidence = 0.97;
      r.confidence = Math.max(r.confidence, f.confidence + 0.01);
      r.evidence.push(...f.evidence.filter((id) => !r.evidence.includes(id)));
    }
  }

  // 2e. (also after the complaint) all the target shows is a symptom (errors, a crash loop) with no root of its own,
  // and a service it calls directly has a root finding (its settings drifted from the files, its disk is full): that
  // is where its errors come from, and it stands just above them
  if (target && onlySymptoms) {
    const direct = new Set([...ctx.graph.closure(target).entries()].filter(([, d]) => d === 1).map(([n]) => n));
    const symptom = Math.max(...list.filter((f) => f.observedOn === target && !f.root).map((f) => f.confidence));
    for (const r of list) {
      if (r.root && direct.has(r.culprit) && r.observedOn === r.culprit && !aside(r) && r.confidence >= 0.5 && r.confidence <= symptom) r.confidence = symptom + 0.01;
    }
  }

  // 2d. (also after the complaint) the same root cause stated by a service and by one it needs (a web app quoting
  // its PDF worker's "No space left on device"): the one it needs is where it lies, the caller relays it
  for (const f of list) {
    if (!f.root || !RELAYED_CAUSES.has(f.cause) || f.culprit !== f.observedOn) continue;
    const needs = ctx.graph.closure(f.culprit);
    for (const g of list) {
      if (g !== f && g.cause === f.cause && g.root && g.culprit === g.observedOn && needs.has(g.culprit) && g.confidence >= 0.5) g.confidence = Math.max(g.confidence, f.confidence + 0.01);
    }
  }

  // 2c. (also after the complaint) a caller refused while a service it needs cannot answer: that service is the
  // root, so its "dependency down" (and its own root cause, lifted above that) stand above the caller's refusal
  for (const f of list) {
    if (f.cause !== 'connection_refused') continue;
    const explaining = list.filter((g) => g.cause === 'dependency_down' && g.observedOn === f.observedOn && g.confidence >= 0.5 && isAnswerless(g.culprit));
    if (explaining.length) f.confidence = Math.min(f.confidence, Math.max(...explaining.map((g) => g.confidence)) - 0.05);
  }

  // 6. merge
  const merged = new Map<string, Finding>();
  for (const f of list) {
    const key = `${f.cause}\u0000${f.culprit}`;
    const have = merged.get(key);
    if (!have) merged.set(key, f);
    else {
      // the target's side speaks for a cause both it and a service beside it state (the beside one is a lead only)
      const [hi, lo] = aside(have) !== aside(f) ? (aside(f) ? [have, f] : [f, have]) : have.confidence >= f.confidence ? [have, f] : [f, have];
      merged.set(key, { ...hi, evidence: [...hi.evidence, ...lo.evidence.filter((id) => !hi.evidence.includes(id))] });
    }
  }
  const distance = (name: string): number => (name === target ? 0 : target ? (ctx.graph.closure(target).get(name) ?? 9) : 0);
  // (last, on the final figures) what is beside the target goes when the target's side claims something itself
  let ranked = [...merged.values()];
  if (ranked.some((f) => !aside(f) && f.confidence >= 0.5)) ranked = ranked.filter((f) => !aside(f));
  // what a service beside the target says of the target or of what it needs (a proxy in front waiting on the API
  // asked about) the target's side says better: it goes when that side has anything to say
  const targetSide = target ? new Set([target, ...ctx.graph.closure(target).keys()]) : new Set<string>();
  if (ranked.some((f) => !aside(f))) ranked = ranked.filter((f) => !(aside(f) && targetSide.has(f.culprit)));
  return ranked
    .map((f) => ({ ...f, confidence: Math.round(clamp(aside(f) ? Math.min(f.confidence, BESIDE_CAP) : f.confidence, 0.01) * 100) / 100 }))
    .sort((a, b) => b.confidence - a.confidence || Number(b.root) - Number(a.root) || distance(a.culprit) - distance(b.culprit));
}
