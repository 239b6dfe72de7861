import type { Target } from '@bcon/ops';
import type { StatusReport } from '@bcon/reasoning';
import type { ServeContext } from './context.js';
import { hostName } from './context.js';

/** CPU and memory of one service now, its stored baseline (medians of earlier samples), and this session's history. */
export interface ServiceLoad {
  cpuPercent: number | null;
  memoryBytes: number | null;
  limitBytes: number | null;
  baseline: { cpuPercent: number | null; memoryBytes: number | null; samples: number } | null;
  history: Array<{ at: number; cpuPercent: number | null; memoryBytes: number | null }>;
}

export interface BoardHost {
  name: string;
  address: string;
  report?: StatusReport;
  error?: { code: string; message: string };
  /** by "project/service" (project empty for a container outside compose) */
  load: Record<string, ServiceLoad>;
}

export interface Board {
  at: string;
  hosts: BoardHost[];
}

const HISTORY = 60;

/**
 * The status board: every target's `bcon status` (the same ops use-case), each service's load against its baseline,
 * refreshed every `intervalMs` while someone watches (and on demand), each refresh sent to the open event streams.
 */
export class BoardKeeper {
  private latest: Board | undefined;
  private running: Promise<Board> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly history = new Map<string, ServiceLoad['history']>();

  constructor(
    private readonly ctx: ServeContext,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    const tick = () => {
      this.timer = setTimeout(() => {
        // nobody watching: no engine reads
        const run = this.ctx.hub.size > 0 ? this.refresh() : Promise.resolve(undefined);
        void run.catch(() => undefined).finally(tick);
      }, this.intervalMs);
      this.timer.unref();
    };
    tick();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
  }

  async current(): Promise<Board> {
    return this.latest ?? this.refresh();
  }

  refresh(): Promise<Board> {
    this.running ??= this.read().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async read(): Promise<Board> {
    const { collectStatus } = await import('@bcon/ops/status');
    const hosts = await Promise.all(
      this.ctx.targets.map(async (t): Promise<BoardHost> => {
        const name = hostName(t);
        try {
          const report = await collectStatus({ stats: true, env: t.env });
          return { name, address: t.address, report, load: await this.loads(t, report) };
        } catch (err) {
          const e = err as Error & { code?: string };
          return { name, address: t.address, error: { code: e.code ?? 'internal', message: e.message }, load: {} };
        }
      }),
    );
    const board: Board = { at: new Date().toISOString(), hosts };
    this.latest = board;
    this.ctx.hub.emit('board', board);
    return board;
  }

  private async loads(t: Target, report: StatusReport): Promise<Record<string, ServiceLoad>> {
    const { openStore, serviceBaseline } = await import('@bcon/store');
    const { endpointFromEnv } = await import('@bcon/sensor');
    const engine = endpointFromEnv(t.env).address;
    const store = openStore();
    const at = Date.now();
    try {
      const out: Record<string, ServiceLoad> = {};
      for (const s of [...report.projects.flatMap((p) => p.services), ...report.standalone]) {
        const running = s.containers.filter((c) => c.state === 'running');
        const cpu = running.some((c) => c.cpuPercent !== null) ? running.reduce((a, c) => a + (c.cpuPercent ?? 0), 0) : null;
        const mem = running.some((c) => c.memory.usageBytes !== null) ? running.reduce((a, c) => a + (c.memory.usageBytes ?? 0), 0) : null;
        const limits = running.map((c) => c.memory.limitBytes);
        const limit = limits.length && limits.every((l) => l !== null) ? limits.reduce((a, l) => a + (l ?? 0), 0) : null;
        const base = s.project !== null ? serviceBaseline(store, engine, s.project, s.name, { now: at }) : undefined;
        const key = `${hostName(t)}\u0000${s.project ?? ''}/${s.name}`;
        const h = this.history.get(key) ?? [];
        h.push({ at, cpuPercent: cpu, memoryBytes: mem });
        if (h.length > HISTORY) h.splice(0, h.length - HISTORY);
        this.history.set(key, h);
        out[`${s.project ?? ''}/${s.name}`] = {
          cpuPercent: cpu,
          memoryBytes: mem,
          limitBytes: limit,
          baseline: base ? { cpuPercent: base.cpuPercent ?? null, memoryBytes: base.memoryBytes ?? null, samples: base.samples } : null,
          history: [...h],
        };
      }
      return out;
    } finally {
      store.close();
    }
  }
}
