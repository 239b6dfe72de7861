import { z } from 'zod';
import { CAUSE_CODES } from './log-patterns.js';

/** The JSON of `bcon diagnose --json` (contract in the architecture document; documented in docs/diagnose.md). */
export const EvidenceSchema = z.object({
  id: z.string().regex(/^e\d+$/),
  kind: z.enum(['state', 'event', 'stats', 'log', 'health', 'drift', 'config', 'change', 'baseline', 'dependency']),
  source: z.string(),
  text: z.string(),
});

export const HypothesisSchema = z.object({
  cause: z.enum(CAUSE_CODES),
  culprit: z.string(),
  confidence: z.number().min(0).max(1),
  summary: z.string(),
  evidence: z.array(z.string()),
  suggestions: z.array(z.string()),
});

export const DiagnosisReportSchema = z.object({
  target: z.string().nullable(),
  complaint: z.string().nullable(),
  hypotheses: z.array(HypothesisSchema),
  evidence: z.array(EvidenceSchema),
  durationMs: z.number(),
  /** what is visibly wrong, before any cause: the target's state, latency, errors */
  symptoms: z.array(z.object({ service: z.string(), text: z.string(), evidence: z.array(z.string()) })),
  /** the services whose signals were read (the target and its dependency closure, or every service not OK) */
  checked: z.array(z.string()),
  /** what could not be read or was cut (a bounded log window, no desired state) */
  notices: z.array(z.string()),
});

export type DiagnosisReport = z.infer<typeof DiagnosisReportSchema>;
export type Hypothesis = z.infer<typeof HypothesisSchema>;
