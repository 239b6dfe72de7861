import type { Target } from '@bcon/ops';
import { Redactor } from '@bcon/reasoning/ai';
import type { ContainerFacts } from '@bcon/sensor';
import { EngineClient, collectContainers, endpointFromEnv } from '@bcon/sensor';

/** Deep-map every string of a JSON-like value (keys are kept: they are field names, env names, ids). */
export function mapStrings(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f));
  if (value && typeof value === 'object') {
    if (value instanceof Date) return value;
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, mapStrings(v, f)]));
  }
  return value;
}

/**
 * The redaction every response passes through (JSON, server-sent events): the gateway's Redactor — the rules
 * `redactText` applies for the CLI, plus every secret the containers were created with (env values of secret
 * names, credentials in URLs and commands, healthcheck arguments and probe output), wherever that value appears
 * again (a log line, a hypothesis, a chat answer). Seeded from every target's containers, at most every `ttlMs`.
 */
export class ViewRedactor {
  private readonly redactor = new Redactor();
  private seededAt = 0;
  private seeding: Promise<void> | undefined;

  constructor(
    private readonly targets: () => readonly Target[],
    private readonly ttlMs = 3_000,
  ) {}

  /** Learn the secrets of the targets' containers now (a target that cannot be read is skipped). */
  async seed(force = false): Promise<void> {
    if (!force && Date.now() - this.seededAt < this.ttlMs) return;
    this.seeding ??= (async () => {
      try {
        await Promise.all(
          this.targets().map(async (t) => {
            const client = new EngineClient(endpointFromEnv(t.env), { env: t.env });
            try {
              for (const c of await collectContainers(client, { concurrency: 16 })) this.redactor.seedContainer(c);
            } catch {
              // unreachable: its data is not shown either
            } finally {
              client.close();
            }
          }),
        );
        this.seededAt = Date.now();
      } finally {
        this.seeding = undefined;
      }
    })();
    await this.seeding;
  }

  /** Learn the secrets of containers just read (a diagnosis's), whatever the last seeding saw. */
  seedContainers(containers: Iterable<ContainerFacts>): void {
    for (const c of containers) this.redactor.seedContainer(c);
  }

  /** Learn extra text first (a log window), so its secrets are masked everywhere. */
  learn(text: string): void {
    this.redactor.learn(text);
  }

  text(s: string): string {
    return this.redactor.redact(s);
  }

  value<T>(v: T): T {
    return mapStrings(v, (s) => this.redactor.redact(s)) as T;
  }
}
