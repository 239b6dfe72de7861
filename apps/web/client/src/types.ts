// The shapes the server sends (its JSON contracts: bcon status, diagnose, drift, logs, cost, audit, proposals).
export type Verdict = 'ok' | 'degraded' | 'down';

export interface ContainerStatus {
  name: string;
  state: string;
  health: string;
  restartCount: number;
  exitCode: number | null;
  oomKilled: boolean;
  cpuPercent: number | null;
  memory: { usageBytes: number | null; limitBytes: number | null; percent: number | null };
  verdict: string;
  problem: string | null;
  uptimeSeconds: number | null;
}

export interface ServiceStatus {
  name: string;
  project: string | null;
  verdict: Verdict;
  reason: string | null;
  replicas: { running: number; total: number };
  containers: ContainerStatus[];
}

export interface StatusReport {
  collectedAt: string;
  engine: { address: string; version: string; runtime?: string; cpus: number | null; memoryBytes: number | null };
  summary: { projects: number; services: number; containers: number; running: number; ok: number; degraded: number; down: number };
  projects: Array<{ name: string; verdict: Verdict; services: ServiceStatus[] }>;
  standalone: ServiceStatus[];
  notices: string[];
}

export interface ServiceLoad {
  cpuPercent: number | null;
  memoryBytes: number | null;
  limitBytes: number | null;
  baseline: { cpuPercent: number | null; memoryBytes: number | null; samples: number } | null;
  history: Array<{ at: number; cpuPercent: number | null; memoryBytes: number | null }>;
}

export interface Board {
  at: string;
  hosts: Array<{ name: string; address: string; report?: StatusReport; error?: { code: string; message: string }; load: Record<string, ServiceLoad> }>;
}

export interface Evidence {
  id: string;
  kind: string;
  source: string;
  text: string;
}

export interface Hypothesis {
  cause: string;
  culprit: string;
  confidence: number;
  summary: string;
  evidence: string[];
  suggestions: string[];
}

export interface DiagnosisReport {
  target: string | null;
  complaint: string | null;
  hypotheses: Hypothesis[];
  evidence: Evidence[];
  symptoms: Array<{ service: string; text: string; evidence: string[] }>;
  checked: string[];
  notices: string[];
  durationMs: number;
}

export interface ProposalOption {
  n: number;
  action: string;
  params: Record<string, unknown>;
  summary: string;
  risk: string;
  tier: string;
  reasons: string[];
}

export interface Proposal {
  id: string;
  target: string;
  createdAt: string;
  expiresAt: string;
  status: string;
  host?: { name?: string; address: string };
  options: ProposalOption[];
  intent?: { text: string; file: string };
}

export interface DriftReport {
  timestamp: string;
  status: 'IN_SYNC' | 'DRIFTED';
  source: string;
  projects: string[];
  differences: Array<{ project: string; service: string; field: string; container?: string; expected: Record<string, unknown>; actual: Record<string, unknown> }>;
  untracked: Array<{ container: string; project?: string; recommendation: string }>;
  orphans: Array<{ container: string; project: string; service: string; recommendation: string }>;
}

export interface AuditEntry {
  seq: number;
  timestamp: string;
  actor: string;
  action: string;
  target: string;
  approval: string;
  result: string;
  context: Record<string, unknown>;
}
