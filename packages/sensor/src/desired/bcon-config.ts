import { homedir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { DesiredStateError } from './errors.js';
import type { DesiredSource } from './source.js';
import { parseYamlText, readDesiredText } from './yaml-file.js';

/** One stack in the repository: where its compose files are and which profiles are on. */
export const ProjectConfigSchema = z
  .object({
    name: z.string().min(1).optional(),
    path: z.string().default('.'),
    files: z.array(z.string().min(1)).optional(),
    profiles: z.array(z.string()).optional(),
    /** where the project runs: one host of `hosts:`, or several; without it, on every host */
    host: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
  })
  .strict();

/**
 * One host: its engine address (`ssh://deploy@203.0.113.5`, `unix:///var/run/docker.sock`), or that and the SSH key
 * file to offer it (`{ address: ssh://…, key: ~/.ssh/deploy_ed25519 }`; relative paths are from the repository root).
 */
export const HostConfigSchema = z.union([
  z.string().min(1),
  z
    .object({
      address: z.string().min(1),
      key: z.string().min(1).optional(),
    })
    .strict(),
], { error: 'expected an engine address (ssh://user@host[:port], unix:///path) or { address, key }' });
export type HostConfig = z.infer<typeof HostConfigSchema>;

/**
 * `bcon.yaml` at the repository root. Only `projects` is read by drift today; the other sections (hosts, llm,
 * budgets, guardrails, notifications) belong to later levels and are accepted as they are.
 */
export const BconConfigSchema = z
  .object({
    projects: z.array(ProjectConfigSchema).optional(),
    hosts: z.record(z.string(), HostConfigSchema).optional(),
    llm: z.unknown().optional(),
    budgets: z.unknown().optional(),
    guardrails: z.unknown().optional(),
    notifications: z.unknown().optional(),
    // Level 3: read by @bcon/ops' reconciler policy (its own schemas), accepted here as they are
    reconcile: z.unknown().optional(),
    recovery: z.unknown().optional(),
    notify: z.unknown().optional(),
    approvers: z.unknown().optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    // a project placed on a host names one of hosts:
    const known = Object.keys(config.hosts ?? {});
    (config.projects ?? []).forEach((p, i) => {
      for (const h of p.host === undefined ? [] : ([] as string[]).concat(p.host)) {
        if (!known.includes(h)) {
          ctx.addIssue({ code: 'custom', path: ['projects', i, 'host'], message: `no host named "${h}" in hosts: (${known.join(', ') || 'none declared'})` });
        }
      }
    });
  });

export type ProjectConfig = z.infer<typeof ProjectConfigSchema>;
/** Host name → engine address. */
export function hostAddresses(config: Pick<BconConfig, 'hosts'> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(config?.hosts ?? {}).map(([name, h]) => [name, typeof h === 'string' ? h : h.address]));
}

/** Host name → the key file bcon.yaml gives it (`~/` is the home directory, a relative path is from `root`). */
export function hostKeyFiles(config: Pick<BconConfig, 'hosts'> | undefined, root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, h] of Object.entries(config?.hosts ?? {})) {
    if (typeof h === 'string' || !h.key) continue;
    out[name] = h.key.startsWith('~/') ? path.join(homedir(), h.key.slice(2)) : path.resolve(root, h.key);
  }
  return out;
}

/** The hosts a project is placed on; undefined: every host. */
export function projectHosts(p: ProjectConfig): string[] | undefined {
  return p.host === undefined ? undefined : ([] as string[]).concat(p.host);
}
export type BconConfig = z.infer<typeof BconConfigSchema>;

import { BCON_CONFIG_FILE } from './config-file.js';

export { BCON_CONFIG_FILE };

/** Validate the text of bcon.yaml (the size and alias limits of compose files apply: yaml-file.ts). */
export function parseBconConfig(text: string): BconConfig {
  const raw = parseYamlText(text, BCON_CONFIG_FILE, 'config');
  const parsed = BconConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || '(top level)';
    throw new DesiredStateError(`${BCON_CONFIG_FILE}: ${where}: ${issue?.message ?? 'invalid'}`, 'config_invalid', BCON_CONFIG_FILE, where);
  }
  return parsed.data;
}

/** Read and validate bcon.yaml at the ref; undefined when the repository has none. */
export async function readBconConfig(source: DesiredSource): Promise<BconConfig | undefined> {
  const text = await readDesiredText(source, BCON_CONFIG_FILE);
  return text === undefined ? undefined : parseBconConfig(text);
}
