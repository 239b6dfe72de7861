// Block Kit answers: a short verdict first, then what backs it. Pure functions of ops results; every payload is
// redacted again where it is sent (slack-out.ts).
import type { Proposal } from '@bcon/decision';
import type { DiagnosisReport, DriftReport, StatusReport } from '@bcon/reasoning';
import { buttonValue, shownFingerprint } from './shown-fingerprint.js';

export type Block = Record<string, unknown>;
export interface SlackMessage {
  /** the notification and fallback text */
  text: string;
  blocks: Block[];
}

const MAX_TEXT = 2900; // a section's text may hold 3000 characters
const clip = (s: string, n = MAX_TEXT) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
/** Untrusted text (logs, labels, names) shown as text: Slack's control characters neutralised, no mentions, no links. */
export const plain = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const section = (text: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text: clip(text) } });
const context = (text: string): Block => ({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(text, 1900) }] });
const header = (text: string): Block => ({ type: 'header', text: { type: 'plain_text', text: clip(text, 150) } });
const ICON: Record<string, string> = { ok: ':large_green_circle:', degraded: ':large_yellow_circle:', down: ':red_circle:' };

function detailsLink(webUrl: string | undefined, query: Record<string, string>): Block[] {
  if (!webUrl) return [];
  const url = new URL(webUrl);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return [{ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'details' }, url: url.toString(), action_id: 'bcon_details' }] }];
}

/** `/bcon status`: one line per host, then each service that is not OK with its reason, then the OK ones named. */
export function statusMessage(hosts: Array<{ name: string | undefined; report?: StatusReport; error?: string }>, webUrl?: string): SlackMessage {
  const blocks: Block[] = [];
  const lines: string[] = [];
  for (const h of hosts) {
    const label = h.name ? `*${plain(h.name)}*: ` : '';
    if (!h.report) {
      lines.push(`${label}unreachable (${plain(h.error ?? 'no answer')})`);
      blocks.push(section(`:black_circle: ${label}unreachable: ${plain(h.error ?? 'no answer')}`));
      continue;
    }
    const { summary } = h.report;
    const verdict = summary.down ? 'down' : summary.degraded ? 'degraded' : 'ok';
    const counts = [summary.down ? `${summary.down} down` : '', summary.degraded ? `${summary.degraded} degraded` : '', `${summary.ok} ok`].filter(Boolean).join(', ');
    lines.push(`${label}${counts}`);
    blocks.push(section(`${ICON[verdict]} ${label}${summary.services} services: ${counts}`));
    const services = [...h.report.projects.flatMap((p) => p.services.map((s) => ({ ...s, project: p.name }))), ...h.report.standalone];
    const bad = services.filter((s) => s.verdict !== 'ok');
    if (bad.length) blocks.push(section(bad.slice(0, 20).map((s) => `${ICON[s.verdict]} *${plain(s.name)}*${s.project ? ` (${plain(s.project)})` : ''} ${s.verdict} — ${plain(s.reason ?? '')} · ${s.replicas.running}/${s.replicas.total} running`).join('\n')));
    const good = services.filter((s) => s.verdict === 'ok');
    if (good.length) blocks.push(context(`ok: ${good.map((s) => plain(s.name)).join(', ')}`));
    if (h.report.notices.length) blocks.push(context(h.report.notices.map(plain).join('\n')));
  }
  return { text: `bcon status: ${lines.join('; ')}`, blocks: [...blocks, ...detailsLink(webUrl, { view: 'status' })].slice(0, 50) };
}

/** `/bcon why SERVICE`: the verdict (top cause), the top three hypotheses with their evidence, the suggestions. */
export function diagnosisMessage(report: DiagnosisReport, webUrl?: string): SlackMessage {
  const target = report.target ?? 'every service not OK';
  const top = report.hypotheses[0];
  const verdict = top ? `*${plain(target)}*: most likely \`${top.cause}\` in *${plain(top.culprit)}* (${Math.round(top.confidence * 100)}%)` : `*${plain(target)}*: no cause found`;
  const blocks: Block[] = [header(`bcon why ${target}${report.complaint ? ` — ${report.complaint}` : ''}`), section(verdict)];
  if (report.symptoms.length) blocks.push(context(`symptoms: ${report.symptoms.slice(0, 4).map((s) => plain(s.text)).join(' · ')}`));
  const evidence = new Map(report.evidence.map((e) => [e.id, e]));
  for (const [i, h] of report.hypotheses.slice(0, 3).entries()) {
    const cited = h.evidence.slice(0, 4).flatMap((id) => {
      const e = evidence.get(id);
      return e ? [`> ${id} [${e.kind}] ${plain(e.source)}: ${plain(clip(e.text, 300))}`] : [];
    });
    const suggest = h.suggestions.slice(0, 2).map((s) => `→ ${plain(s)}`);
    blocks.push(section([`*${i + 1}. ${h.cause}* in *${plain(h.culprit)}* — ${Math.round(h.confidence * 100)}%`, plain(h.summary), ...cited, ...suggest].join('\n')));
  }
  if (report.notices.length) blocks.push(context(report.notices.slice(0, 5).map(plain).join('\n')));
  const text = top ? `${target}: ${top.cause} in ${top.culprit} (${Math.round(top.confidence * 100)}%)` : `${target}: no cause found`;
  return { text, blocks: [...blocks, ...detailsLink(webUrl, { view: 'diagnose', service: target })] };
}

const show = (v: Record<string, unknown>) => plain(Object.entries(v).map(([k, x]) => `${k}=${typeof x === 'string' ? x : JSON.stringify(x)}`).join(' '));

/** `/bcon drift`: in sync or not, then the field-level differences, untracked containers and orphans. */
export function driftMessage(report: DriftReport, webUrl?: string): SlackMessage {
  const n = report.differences.length + report.untracked.length + report.orphans.length;
  const verdict = report.status === 'IN_SYNC' ? `:large_green_circle: in sync with ${plain(report.source)}` : `:large_yellow_circle: drifted from ${plain(report.source)}: ${n} finding${n === 1 ? '' : 's'}`;
  const blocks: Block[] = [section(verdict)];
  const lines = [
    ...report.differences.map((d) => `• *${plain(d.service)}* (${plain(d.project)}) ${d.field}${d.container ? ` on ${plain(d.container)}` : ''}: expected ${show(d.expected)}, actual ${show(d.actual)}`),
    ...report.untracked.map((u) => `• untracked ${plain(u.container)}: ${plain(u.recommendation)}`),
    ...report.orphans.map((o) => `• orphan ${plain(o.container)} (${plain(o.service)}): ${plain(o.recommendation)}`),
  ];
  if (lines.length) blocks.push(section(lines.slice(0, 25).join('\n') + (lines.length > 25 ? `\n… and ${lines.length - 25} more (bcon drift)` : '')));
  return { text: report.status === 'IN_SYNC' ? 'bcon drift: in sync' : `bcon drift: ${n} findings`, blocks: [...blocks, ...detailsLink(webUrl, { view: 'drift' })] };
}

/** A proposal with one Approve button per option (an intent: one for all) and Reject, each bound to what is shown. */
export function proposalMessage(p: Proposal, shown: Proposal = p): SlackMessage {
  const h = shownFingerprint(p);
  const where = p.host ? ` on ${plain(p.host.name ?? p.host.address)}` : '';
  const blocks: Block[] = [section(`*Proposal ${p.id}* for *${plain(p.target)}*${where} · expires ${p.expiresAt}`)];
  if (!shown.options.length) blocks.push(context('no catalog action answers these causes'));
  for (const o of shown.options) blocks.push(section([`*${o.n}. ${plain(o.summary)}*  risk: ${o.risk} · tier: ${o.tier}${o.tier === 'prohibited' ? ' (two approvers, each with a code)' : ''}`, ...o.reasons.slice(0, 3).map((r) => `– ${plain(r)}`)].join('\n')));
  for (const n of shown.notes.slice(0, 3)) blocks.push(context(`note: ${plain(n)}`));
  const buttons = p.intent
    ? [{ type: 'button', style: 'primary', text: { type: 'plain_text', text: 'Approve all' }, action_id: 'bcon_approve_0', value: buttonValue({ p: p.id, n: 0, h }) }]
    : p.options.slice(0, 4).map((o) => ({ type: 'button', style: 'primary', text: { type: 'plain_text', text: `Approve ${o.n}` }, action_id: `bcon_approve_${o.n}`, value: buttonValue({ p: p.id, n: o.n, h }) }));
  if (p.options.length) blocks.push({ type: 'actions', block_id: `bcon_proposal_${p.id}`, elements: [...buttons, { type: 'button', style: 'danger', text: { type: 'plain_text', text: 'Reject' }, action_id: 'bcon_reject', value: buttonValue({ p: p.id, n: 0, h }) }] });
  return { text: `bcon proposal ${p.id} for ${p.target}: ${p.options.length} option${p.options.length === 1 ? '' : 's'}`, blocks };
}

/** The proposal message once decided: the buttons are gone, the outcome and who decided are in their place. */
export function decidedMessage(p: Proposal, outcome: string, lines: readonly string[] = []): SlackMessage {
  const blocks: Block[] = [section(`*Proposal ${p.id}* for *${plain(p.target)}*: ${plain(outcome)}`)];
  if (lines.length) blocks.push(section(lines.slice(0, 15).map((l) => `• ${plain(l)}`).join('\n')));
  return { text: `bcon proposal ${p.id}: ${outcome}`, blocks };
}

/** One line in a box: refusals, progress, help. */
export function noteMessage(text: string): SlackMessage {
  return { text, blocks: [section(plain(text))] };
}
