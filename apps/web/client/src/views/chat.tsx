import { useRef, useState } from 'preact/hooks';
import { postStream } from '../api';
import { useLang, useWords } from '../i18n';

interface Message {
  from: 'you' | 'bcon';
  text: string;
  steps: string[];
  view?: string;
  mode?: string;
  failed?: boolean;
  done?: boolean;
}

export function ChatPanel() {
  const w = useWords();
  const lang = useLang();
  const [messages, setMessages] = useState<Message[]>([]);
  const [q, setQ] = useState('');
  const [busy, setBusy] = useState(false);
  const list = useRef<HTMLDivElement>(null);

  const update = (f: (m: Message) => Message) =>
    setMessages((all) => {
      const copy = [...all];
      const last = copy.at(-1);
      if (last) copy[copy.length - 1] = f(last);
      return copy;
    });

  const ask = async () => {
    const question = q.trim();
    if (!question || busy) return;
    setQ('');
    setBusy(true);
    setMessages((m) => [...m, { from: 'you', text: question, steps: [] }, { from: 'bcon', text: '', steps: [] }]);
    try {
      await postStream('/api/chat', { question, lang }, (event, data) => {
        const d = data as Record<string, unknown>;
        if (event === 'mode') update((m) => ({ ...m, mode: d['mode'] === 'model' ? `model ${String(d['model'])}` : `offline · ${String((d['intent'] as { kind: string }).kind)}` }));
        if (event === 'step') update((m) => ({ ...m, steps: [...m.steps, String(d['tool'])] }));
        if (event === 'answer') update((m) => ({ ...m, text: String(d['text']), view: d['view'] as string | undefined, done: true }));
        if (event === 'failed') update((m) => ({ ...m, text: String(d['message']), failed: true, done: true }));
        requestAnimationFrame(() => list.current?.scrollTo({ top: list.current.scrollHeight }));
      });
    } catch (e) {
      update((m) => ({ ...m, text: (e as Error).message, failed: true, done: true }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <aside class="chat">
      <h2>{w.chat}</h2>
      <div class="messages" ref={list}>
        {messages.length === 0 ? <p class="muted small">{w.chatHello}</p> : null}
        {messages.map((m, i) => (
          <div class={`msg ${m.from} ${m.failed ? 'failed' : ''}`} key={i} data-done={String(!!m.done)}>
            {m.mode ? <div class="muted tiny">{m.mode}</div> : null}
            {m.steps.length ? (
              <div class="muted tiny">
                {w.reads}: {m.steps.join(', ')}
              </div>
            ) : null}
            {m.from === 'bcon' && !m.done ? <div class="muted">{w.thinking}</div> : <div class="msg-text">{m.text}</div>}
            {m.view ? (
              <a class="tiny" href={`#/${m.view}`}>
                {w.open} →
              </a>
            ) : null}
          </div>
        ))}
      </div>
      <form
        class="ask"
        onSubmit={(e) => {
          e.preventDefault();
          void ask();
        }}
      >
        <input value={q} placeholder={w.ask} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
        <button class="primary" disabled={busy}>
          {w.send}
        </button>
      </form>
    </aside>
  );
}
