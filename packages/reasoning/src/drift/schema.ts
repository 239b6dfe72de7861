import { z } from 'zod';

/** The JSON of `bcon drift --json` (documented in docs/drift.md): `{ drift_report: DriftReport }`. */
export const DriftDifferenceSchema = z.object({
  project: z.string(),
  service: z.string(),
  /** replicas | status | image | image_id | command | entrypoint | environment | ports | volumes | memory | memory_reservation | cpus | restart | healthcheck | labels */
  field: z.string(),
  /** the container the difference was seen on, when it is about one container */
  container: z.string().optional(),
  expected: z.record(z.string(), z.unknown()),
  actual: z.record(z.string(), z.unknown()),
});

export const DriftReportSchema = z.object({
  timestamp: z.string(),
  status: z.enum(['IN_SYNC', 'DRIFTED']),
  /** where the desired state was read: `HEAD@3f2a9c1`, `worktree` */
  source: z.string(),
  projects: z.array(z.string()),
  differences: z.array(DriftDifferenceSchema),
  untracked: z.array(z.object({ container: z.string(), project: z.string().optional(), recommendation: z.string() })),
  orphans: z.array(z.object({ container: z.string(), project: z.string(), service: z.string(), recommendation: z.string() })),
});

export const DriftOutputSchema = z.object({ drift_report: DriftReportSchema });

export type DriftDifference = z.infer<typeof DriftDifferenceSchema>;
export type DriftReport = z.infer<typeof DriftReportSchema>;
