import { useEffect, useState } from 'preact/hooks';
import { get, post } from '../api';
import { time } from '../format';
import { useWords } from '../i18n';
import type { Proposal, ProposalOption } from '../types';

/** What the live stream said about one proposal's approval. */
export interface ApprovalLive {
  phase: 'started' | 'progress' | 'done' | 'refused' | 'rejected';
  lines: string[];
  ok?: boolean;
  result?: Record<string, unknown>;
  message?: string;
}

function OptionRow(props: { p: Proposal; o: ProposalOption; busy: boolean; onApprove: (o: ProposalOption, approvers?: Array<{ actor: string; code: string }>) => void }) {
  const w = useWords();
  const [a1, setA1] = useState({ actor: '', code: '' });
  const [a2, setA2] = useState({ actor: '', code: '' });
  const pending = props.p.status === 'pending';
  const prohibited = props.o.tier === 'prohibited';
  return (
    <div class={`option tier-${props.o.tier}`} data-option={props.o.n}>
      <div class="opt-head">
        <span class="opt-n">{props.o.n}</span>
        <span class="opt-summary">{props.o.summary}</span>
        <span class={`tag risk-${props.o.risk}`}>
          {w.risk} {props.o.risk}
        </span>
        <span class={`tag tier tier-${props.o.tier}`}>
          {w.tier} {props.o.tier}
        </span>
        {pending && !prohibited && !props.p.intent ? (
          <button class="primary approve" disabled={props.busy} onClick={() => props.onApprove(props.o)}>
            {w.approve}
          </button>
        ) : null}
      </div>
      <ul class="reasons">
        {props.o.reasons.map((r) => (
          <li key={r}>{r}</li>
        ))}
      </ul>
      <code class="muted small">
        {props.o.action} {JSON.stringify(props.o.params)}
      </code>
      {pending && prohibited ? (
        <form
          class="two-person"
          onSubmit={(e) => {
            e.preventDefault();
            props.onApprove(props.o, [a1, a2]);
          }}
        >
          <p class="muted">{w.twoApprovers}</p>
          {[
            [a1, setA1],
            [a2, setA2],
          ].map(([v, set], i) => {
            const val = v as { actor: string; code: string };
            const setter = set as (x: { actor: string; code: string }) => void;
            return (
              <span class="approver" key={i}>
                <input placeholder={`${w.approver} ${i + 1}`} value={val.actor} onInput={(e) => setter({ ...val, actor: (e.target as HTMLInputElement).value })} />
                <input placeholder={w.code} inputMode="numeric" maxLength={6} value={val.code} onInput={(e) => setter({ ...val, code: (e.target as HTMLInputElement).value })} />
              </span>
            );
          })}
          <button class="danger" disabled={props.busy}>
            {w.approve}
          </button>
        </form>
      ) : null}
    </div>
  );
}

export function ProposalsView(props: { focus: string | undefined; live: Record<string, ApprovalLive>; version: number }) {
  const w = useWords();
  const [list, setList] = useState<Proposal[] | undefined>();
  const [busy, setBusy] = useState<string | undefined>();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const load = async () => setList((await get<{ proposals: Proposal[] }>('/api/proposals')).proposals);
  useEffect(() => {
    void load();
  }, [props.version]);

  // an intent runs all of its options at once (no option is named)
  const approve = async (p: Proposal, o: ProposalOption | undefined, approvers?: Array<{ actor: string; code: string }>) => {
    setBusy(p.id);
    setErrors((e) => ({ ...e, [p.id]: '' }));
    try {
      await post(`/api/proposals/${p.id}/approve`, { ...(o ? { option: o.n } : {}), ...(approvers ? { approvers } : {}) });
    } catch (e) {
      setErrors((x) => ({ ...x, [p.id]: (e as Error).message }));
    } finally {
      setBusy(undefined);
      void load();
    }
  };
  const reject = async (p: Proposal) => {
    setBusy(p.id);
    try {
      await post(`/api/proposals/${p.id}/reject`, { reason: 'rejected in the web UI' });
    } catch (e) {
      setErrors((x) => ({ ...x, [p.id]: (e as Error).message }));
    } finally {
      setBusy(undefined);
      void load();
    }
  };

  if (!list) return <div class="empty">…</div>;
  if (!list.length) return <div class="empty">{w.noProposals}</div>;
  const shown = props.focus ? [...list.filter((p) => p.id === props.focus), ...list.filter((p) => p.id !== props.focus)] : list;
  return (
    <div class="proposals">
      {shown.map((p) => {
        const live = props.live[p.id];
        return (
          <section class={`panel proposal ${p.id === props.focus ? 'focus' : ''}`} key={p.id} data-proposal={p.id} data-status={p.status}>
            <header class="prop-head">
              <h3>
                {p.target} <span class="muted">{p.id}</span>
              </h3>
              <span class={`badge st-${p.status}`}>{p.status}</span>
              <span class="muted small">
                {time(p.createdAt)} · {w.expires} {time(p.expiresAt)}
                {p.host?.name ? ` · ${p.host.name}` : ''}
              </span>
              {p.status === 'pending' && p.intent ? (
                <button class="primary approve-intent" disabled={busy === p.id} onClick={() => void approve(p, undefined)}>
                  {w.approve} ({p.options.length})
                </button>
              ) : null}
              {p.status === 'pending' ? (
                <button class="ghost" disabled={busy === p.id} onClick={() => void reject(p)}>
                  {w.reject}
                </button>
              ) : null}
            </header>
            {p.intent ? <p class="muted">“{p.intent.text}” · {p.intent.file}</p> : null}
            {p.options.map((o) => (
              <OptionRow key={o.n} p={p} o={o} busy={busy === p.id} onApprove={(opt, approvers) => void approve(p, opt, approvers)} />
            ))}
            {busy === p.id ? <div class="busy">{w.approving}</div> : null}
            {errors[p.id] && live?.phase !== 'refused' ? <p class="error refused">{errors[p.id]}</p> : null}
            {live ? (
              <div class={`live-result ${live.phase}`} data-phase={live.phase} data-ok={String(live.ok ?? '')}>
                <b>{live.phase === 'done' ? (live.ok ? w.done : w.failed) : live.phase === 'refused' ? w.refused : live.phase === 'rejected' ? w.rejected : w.approving}</b>
                {live.lines.map((l, i) => (
                  <div key={i} class="mono">
                    {l}
                  </div>
                ))}
                {live.message ? <div>{live.message}</div> : null}
                {live.result ? (
                  <div class="mono small result-state">
                    {String(live.result['status'] ?? '')}: {String(live.result['state'] ?? '')}
                    {Array.isArray(live.result['steps']) ? (live.result['steps'] as string[]).map((s) => <div key={s}>– {s}</div>) : null}
                  </div>
                ) : null}
              </div>
            ) : null}
          </section>
        );
      })}
    </div>
  );
}
