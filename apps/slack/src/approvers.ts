import { z } from 'zod';

/** bcon.yaml `approvers: { alice: { slack: U0123 } }`: who a Slack user is, as an approver bcon knows. */
export const ApproversSchema = z.record(
  z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/i, { error: 'an approver name is a letter then letters, digits, - or _ (at most 32)' }),
  z.object({ slack: z.string().regex(/^[UW][A-Z0-9]{2,}$/, { error: 'expected a Slack user id such as U0123ABCD' }).optional() }, { error: 'expected { slack: U… }' }).loose(),
  { error: 'expected approvers: { NAME: { slack: U… } }' },
);

export type Approvers = z.infer<typeof ApproversSchema>;

/** The approver a Slack user id maps to, by bcon.yaml; undefined for anyone else. */
export function approverOf(approvers: Approvers, slackUser: string): string | undefined {
  for (const [name, a] of Object.entries(approvers)) if (a.slack === slackUser) return name;
  return undefined;
}

/** bcon.yaml's approvers around `repo` (none without a bcon.yaml); a bad section is a clear error naming the file. */
export async function readApprovers(repo: string): Promise<Approvers> {
  const { readRepositoryConfig } = await import('@bcon/ops/repository-config');
  const found = await readRepositoryConfig(repo);
  const raw = (found?.config as { approvers?: unknown } | undefined)?.approvers;
  if (raw === undefined || raw === null) return {};
  const parsed = ApproversSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`bcon.yaml approvers: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`);
  // one Slack user is one approver: two names for one id would let one person count twice
  const seen = new Map<string, string>();
  for (const [name, a] of Object.entries(parsed.data)) {
    if (!a.slack) continue;
    const other = seen.get(a.slack);
    if (other) throw new Error(`bcon.yaml approvers: ${other} and ${name} have the same Slack user ${a.slack}; one person is one approver`);
    seen.set(a.slack, name);
  }
  return parsed.data;
}
