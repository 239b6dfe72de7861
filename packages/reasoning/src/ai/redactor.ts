import type { ContainerFacts } from '@bcon/sensor';
import { keyValueList } from '@bcon/sensor';
import type { ServiceSpec } from '@bcon/sensor/desired';
import { SecretBook } from '../redact/book.js';
import { argvSecrets, findSecrets } from '../redact/rules.js';
import { isSecretName } from '../redact/secret-name.js';

export { entropy } from '../redact/rules.js';

/**
 * Masks secrets before text leaves the process, with placeholders that are stable within one request: the same
 * value is always `[REDACTED:DB_PASSWORD]` (named after where it was first seen) or `[REDACTED:#3]`, so a model can
 * still reason about "the same password as DB_PASSWORD" without seeing it. What it masks: the rules of
 * redact/rules.ts (the same table `redactText` prints with `***`), and every value it was seeded with or learned —
 * wherever that value appears, also before the place it was learned from (learn first, then replace).
 */
export class Redactor {
  private readonly book = new SecretBook();
  private readonly byValue = new Map<string, string>();
  private readonly used = new Set<string>();
  private counter = 0;

  /** Names that are never masked as a learned value (services, containers, projects): the model needs them. */
  keep(names: Iterable<string | undefined>): this {
    this.book.keep(names);
    return this;
  }

  /**
   * Seed with environment variables (or labels): the values of secret names (secret-name.ts) become named
   * placeholders, and secrets inside any value (a URL's password, `--password x`) are learned.
   */
  seedEnv(env: Record<string, string | null | undefined>): this {
    for (const [name, value] of Object.entries(env)) {
      if (!value) continue;
      if (isSecretName(name)) {
        this.book.add(value, name);
        // user:password pairs (basic auth, htpasswd lines): the password part on its own too
        const pair = /^[^\s:@/]+:(\S+)$/.exec(value);
        if (pair?.[1]) this.book.add(pair[1], name);
      }
      for (const s of findSecrets(value)) this.book.add(s.value, s.rule === 'url_credentials' ? `${name}_PASSWORD` : (s.label ?? name), s.strong);
    }
    return this;
  }

  /** Seed with an argv (command, entrypoint, healthcheck test): `--password x`, `-a x`, `-px` and what the rules find. */
  seedArgv(argv: readonly string[] | null | undefined): this {
    if (!argv?.length) return this;
    for (const s of argvSecrets(argv)) this.book.add(s.value, s.label);
    this.book.learn(argv.join(' '));
    return this;
  }

  /** Seed with everything a container was created with: env, labels, command, entrypoint, healthcheck, last probes. */
  seedContainer(c: ContainerFacts): this {
    this.keep([c.name, c.id, c.compose?.service, c.compose?.project]);
    this.seedEnv(keyValueList(c.config.env));
    this.seedEnv(c.labels);
    this.seedArgv(c.config.entrypoint);
    this.seedArgv(c.config.cmd);
    this.seedArgv(c.config.healthcheck?.test);
    for (const probe of c.health.log) this.learn(probe.output);
    return this;
  }

  /** Seed with a service as the compose files declare it: environment, labels, command, entrypoint, healthcheck. */
  seedService(spec: ServiceSpec): this {
    this.keep([spec.name, spec.containerName]);
    this.seedEnv(spec.environment);
    this.seedEnv(spec.labels);
    this.seedArgv(spec.entrypoint);
    this.seedArgv(spec.command);
    if (spec.healthcheck && spec.healthcheck !== 'disabled') this.seedArgv(spec.healthcheck.test);
    return this;
  }

  /** Learn the secrets of a text without masking it yet (learn a whole request first, then redact each part). */
  learn(text: string | null | undefined): this {
    if (text) this.book.learn(text);
    return this;
  }

  /** The stable placeholder of a value. */
  placeholder(value: string, label?: string): string {
    let p = this.byValue.get(value);
    if (!p) {
      const name = label ? label.toUpperCase().replace(/[^\p{L}\p{N}_]/gu, '_').replace(/^_+/, '') : '';
      p = name ? `[REDACTED:${name}]` : `[REDACTED:#${++this.counter}]`;
      for (let n = 2; this.used.has(p); n++) p = `[REDACTED:${name}_${n}]`;
      this.byValue.set(value, p);
      this.used.add(p);
    }
    return p;
  }

  redact(text: string): string {
    return this.book.mask(text, (value, label) => this.placeholder(value, label));
  }

  /** An argv with its secret arguments masked whole (however short), the rest redacted as text. */
  redactArgv(argv: readonly string[]): string[] {
    const secret = new Map<number, string | undefined>();
    for (const s of argvSecrets(argv)) {
      this.book.add(s.value, s.label);
      if (s.whole) secret.set(s.index, s.label);
    }
    this.book.learn(argv.join(' '));
    return argv.map((a, i) => (secret.has(i) ? this.placeholder(a, secret.get(i)) : this.redact(a)));
  }

  /**
   * A JSON-like value (a tool result) with every string redacted: all of it is learned first (each string, each
   * list of strings joined, so a key block split over log lines is found; the values of keys that name a secret),
   * then each string is masked, the value of a secret key whole.
   */
  redactDeep<T>(value: T): T {
    const learn = (v: unknown, key?: string): void => {
      if (typeof v === 'string') {
        if (key && isSecretName(key)) this.book.add(v, key);
        this.book.learn(v);
      } else if (Array.isArray(v)) {
        if (v.every((x) => typeof x === 'string')) {
          this.book.learn(v.join('\n'));
          for (const s of argvSecrets(v as string[])) this.book.add(s.value, s.label);
        }
        for (const x of v) learn(x);
      } else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) learn(x, k);
    };
    const mask = (v: unknown, key?: string): unknown => {
      if (typeof v === 'string') return key && isSecretName(key) && v ? this.placeholder(v, key) : this.redact(v);
      if (Array.isArray(v)) return v.every((x) => typeof x === 'string') ? this.redactArgv(v as string[]) : v.map((x) => mask(x));
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mask(x, k)]));
      return v;
    };
    learn(value);
    return mask(value) as T;
  }

  /** How many distinct secrets were masked. */
  get count(): number {
    return this.byValue.size;
  }
}
