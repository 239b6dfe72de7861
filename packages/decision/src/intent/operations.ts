import { z } from 'zod';

/** The only edits Intent-to-YAML may make (architecture document, "Intent operations"). */
export const IntentOperationSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('set_replicas'), service: z.string(), value: z.number().int().min(0).max(1000) }),
  z.object({ op: z.literal('set_memory_limit'), service: z.string(), bytes: z.number().int().positive() }),
  z.object({ op: z.literal('set_memory_reservation'), service: z.string(), bytes: z.number().int().positive() }),
  z.object({ op: z.literal('set_cpu_limit'), service: z.string(), cpus: z.number().positive().max(1024) }),
  z.object({ op: z.literal('set_env'), service: z.string(), name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), value: z.string() }),
  z.object({ op: z.literal('unset_env'), service: z.string(), name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/) }),
  z.object({ op: z.literal('set_image'), service: z.string(), image: z.string().regex(/^[\w./-]+(:[\w.-]+)?(@sha256:[0-9a-f]{64})?$/) }),
  z.object({ op: z.literal('add_port'), service: z.string(), published: z.number().int().min(1).max(65535), target: z.number().int().min(1).max(65535), protocol: z.enum(['udp', 'sctp']).optional() }),
  z.object({ op: z.literal('remove_port'), service: z.string(), published: z.number().int().min(1).max(65535) }),
  z.object({ op: z.literal('set_restart'), service: z.string(), policy: z.enum(['no', 'always', 'on-failure', 'unless-stopped']) }),
  z.object({ op: z.literal('set_healthcheck'), service: z.string(), interval: z.string().optional(), timeout: z.string().optional(), retries: z.number().int().positive().optional(), test: z.array(z.string()).optional() }),
  z.object({ op: z.literal('add_dependency'), service: z.string(), depends_on: z.string() }),
  z.object({ op: z.literal('remove_dependency'), service: z.string(), depends_on: z.string() }),
]);

export type IntentOperation = z.infer<typeof IntentOperationSchema>;

export const INTENT_ERROR_CODES = ['unknown_service', 'ambiguous', 'contradictory', 'no_change', 'out_of_scope', 'injection'] as const;
export type IntentErrorCode = (typeof INTENT_ERROR_CODES)[number];

export class IntentError extends Error {
  constructor(
    readonly code: IntentErrorCode,
    message: string,
  ) {
    super(message);
  }
}
