import { useEffect, useState } from 'preact/hooks';
import type { SessionInfo } from './api';
import { liveEvents, openSession } from './api';
import { time } from './format';
import type { Lang } from './i18n';
import { LangContext, WORDS } from './i18n';
import type { Board } from './types';
import { AuditView } from './views/audit';
import { BoardView } from './views/board';
import { ChatPanel } from './views/chat';
import { CostView } from './views/cost';
import { DiagnoseView } from './views/diagnose';
import { DriftView } from './views/drift';
import { LogsView } from './views/logs';
import type { ApprovalLive } from './views/proposals';
import { ProposalsView } from './views/proposals';
import { ReconcilerView } from './views/reconciler';

type View = 'board' | 'diagnose' | 'proposals' | 'drift' | 'logs' | 'cost' | 'audit' | 'reconciler';
const VIEWS: View[] = ['board', 'diagnose', 'proposals', 'drift', 'logs', 'cost', 'audit', 'reconciler'];

function route(hash: string): { view: View; arg?: string; host?: string } {
  const [pathPart, query] = hash.replace(/^#\/?/, '').split('?');
  const [view, arg] = (pathPart ?? '').split('/');
  const host = new URLSearchParams(query ?? '').get('host') ?? undefined;
  return { view: VIEWS.includes(view as View) ? (view as View) : 'board', ...(arg ? { arg: decodeURIComponent(arg) } : {}), ...(host ? { host } : {}) };
}

export function App() {
  const [lang, setLang] = useState<Lang>(() => (localStorage.getItem('bcon.lang') === 'ko' ? 'ko' : 'en'));
  const [r, setR] = useState(() => route(location.hash));
  const [session, setSession] = useState<SessionInfo | undefined>();
  const [board, setBoard] = useState<Board | undefined>();
  const [connected, setConnected] = useState(false);
  const [live, setLive] = useState<Record<string, ApprovalLive>>({});
  const [version, setVersion] = useState(0);
  const w = WORDS[lang];

  useEffect(() => {
    const on = () => setR(route(location.hash));
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
    localStorage.setItem('bcon.lang', lang);
  }, [lang]);
  useEffect(() => {
    void openSession().then(setSession);
    return liveEvents((event, data) => {
      setConnected(true);
      if (event === 'board') setBoard(data as Board);
      if (event === 'approval') {
        const d = data as { id: string; phase: ApprovalLive['phase']; line?: string; ok?: boolean; result?: Record<string, unknown>; message?: string };
        setLive((all) => {
          const prev = d.phase === 'started' ? undefined : all[d.id];
          return { ...all, [d.id]: { phase: d.phase, lines: [...(prev?.lines ?? []), ...(d.line ? [d.line] : [])], ...(d.ok !== undefined ? { ok: d.ok } : {}), ...(d.result ? { result: d.result } : {}), ...(d.message ? { message: d.message } : {}) } };
        });
        if (d.phase !== 'progress' && d.phase !== 'started') setVersion((v) => v + 1);
      }
    });
  }, []);

  const services = [...new Set((board?.hosts ?? []).flatMap((h) => (h.report ? [...h.report.projects.flatMap((p) => p.services), ...h.report.standalone].map((s) => s.name) : [])))].sort();
  const down = (board?.hosts ?? []).reduce((a, h) => a + (h.report?.summary.down ?? 0) + (h.report?.summary.degraded ?? 0), 0);

  return (
    <LangContext.Provider value={lang}>
      <div class="shell">
        <nav class="side">
          <div class="brand">
            <span class="logo">b</span> bcon
          </div>
          {VIEWS.map((v) => (
            <a key={v} href={`#/${v}`} class={`nav ${r.view === v ? 'on' : ''}`} data-view={v}>
              {w[v]}
              {v === 'board' && down > 0 ? <span class="count">{down}</span> : null}
            </a>
          ))}
          <div class="side-foot">
            <div class={`conn ${connected ? 'on' : ''}`}>● {connected ? w.live : w.offline}</div>
            {board ? (
              <div class="muted tiny">
                {w.updated} {time(board.at)}
              </div>
            ) : null}
            <div class="muted tiny">{session?.actor}</div>
            <div class="lang">
              <button class={lang === 'en' ? 'on' : ''} onClick={() => setLang('en')} id="lang-en">
                EN
              </button>
              <button class={lang === 'ko' ? 'on' : ''} onClick={() => setLang('ko')} id="lang-ko">
                한국어
              </button>
            </div>
          </div>
        </nav>
        <main class="main" data-view={r.view}>
          <h1 class="view-title">{w[r.view]}</h1>
          {r.view === 'board' ? <BoardView board={board} /> : null}
          {r.view === 'diagnose' ? <DiagnoseView service={r.arg} host={r.host} services={services} /> : null}
          {r.view === 'proposals' ? <ProposalsView focus={r.arg} live={live} version={version} /> : null}
          {r.view === 'drift' ? <DriftView /> : null}
          {r.view === 'logs' ? <LogsView service={r.arg} services={services} /> : null}
          {r.view === 'cost' ? <CostView /> : null}
          {r.view === 'audit' ? <AuditView version={version} /> : null}
          {r.view === 'reconciler' ? <ReconcilerView /> : null}
        </main>
        <ChatPanel />
      </div>
    </LangContext.Provider>
  );
}
