import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { TextReader } from '../engine/host-files.js';
import type { CpuCounters } from './stats.js';

/**
 * Reading a local container's cgroup files directly, as cAdvisor does. The engine's stats endpoint answers
 * from a collector that ticks once a second (dockerd 20.10+: up to 1 s per request even with one-shot), so on
 * the engine's own host bcon reads the same counters from cgroupfs instead: no waiting, the same figures.
 * Only file reads; used only when the process's cgroup file names the container's id (so a pid from another
 * namespace or a VM-hosted engine falls back to the engine's API). Every function takes the reader of the
 * engine's host: this machine's files by default, an SSH host's through HostFiles.
 */
export interface CgroupSample {
  counters: CpuCounters;
  memoryUsageBytes: number;
  memoryLimitBytes: number;
  throttledPeriods: number;
  periods: number;
  throttledTimeNs: number;
  pids: number | undefined;
}

export interface CgroupPaths {
  version: 1 | 2;
  cpu: string;
  memory: string;
  pids: string | undefined;
  /** cgroup v1: the `cpu` controller's directory (cpu.stat, throttling), apart from cpuacct when mounted apart */
  cpuController?: string | undefined;
}

const ROOT = '/sys/fs/cgroup';
const NS_PER_TICK = 1e9 / 100; // /proc/stat counts in USER_HZ (100 on Linux)

async function readLocal(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

async function firstExisting(candidates: string[], probe: string, readText: TextReader): Promise<string | undefined> {
  // every candidate is asked at once (one round trip for a remote host), the first that exists wins
  const found = await Promise.all(candidates.map((dir) => readText(path.join(dir, probe))));
  const i = found.findIndex((t) => t !== undefined);
  return i >= 0 ? candidates[i] : undefined;
}

/** Find the cgroup directories of a container from /proc/<pid>/cgroup; undefined when they cannot be trusted. */
export async function cgroupPathsOf(containerId: string, pid: number, root = ROOT, readText: TextReader = readLocal): Promise<CgroupPaths | undefined> {
  if (!pid || pid <= 0) return undefined;
  const text = await readText(`/proc/${pid}/cgroup`);
  if (!text || !text.includes(containerId)) return undefined;
  const byController = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\d+:([^:]*):(.*)$/.exec(line.trim());
    if (!m) continue;
    const [, controllers = '', cgPath = ''] = m;
    for (const c of controllers.split(',')) byController.set(c, cgPath);
  }
  const v1Memory = byController.get('memory');
  const v1Cpu = byController.get('cpuacct') ?? byController.get('cpu');
  if (v1Memory && v1Cpu) {
    const memory = await firstExisting([path.join(root, 'memory', v1Memory)], 'memory.usage_in_bytes', readText);
    const cpu = await firstExisting(
      [path.join(root, 'cpuacct', v1Cpu), path.join(root, 'cpu,cpuacct', v1Cpu), path.join(root, 'cpu', v1Cpu)],
      'cpuacct.usage',
      readText,
    );
    const pidsPath = byController.get('pids');
    const pids = pidsPath ? await firstExisting([path.join(root, 'pids', pidsPath)], 'pids.current', readText) : undefined;
    // throttling counters live with the cpu controller, which may be mounted apart from cpuacct
    const v1CpuOnly = byController.get('cpu') ?? v1Cpu;
    const cpuController = await firstExisting([path.join(root, 'cpu', v1CpuOnly), path.join(root, 'cpu,cpuacct', v1CpuOnly), cpu ?? ''], 'cpu.stat', readText);
    if (memory && cpu) return { version: 1, cpu, memory, pids, cpuController };
    return undefined;
  }
  const unified = byController.get('');
  if (unified && unified.includes(containerId)) {
    const dir = await firstExisting([path.join(root, unified), path.join(root, 'unified', unified)], 'cpu.stat', readText);
    if (dir && (await readText(path.join(dir, 'memory.current'))) !== undefined) return { version: 2, cpu: dir, memory: dir, pids: dir };
  }
  return undefined;
}

function keyValues(text: string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of (text ?? '').split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (k && v !== undefined && /^\d+$/.test(v)) out[k] = Number(v);
  }
  return out;
}

/** Host CPU time in ns and the number of CPUs, from /proc/stat (the way dockerd computes system_cpu_usage). */
export async function systemCpu(readText: TextReader = readLocal): Promise<{ systemUsage: number; onlineCpus: number } | undefined> {
  const text = await readText('/proc/stat');
  if (!text) return undefined;
  let systemUsage = 0;
  let onlineCpus = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('cpu ')) {
      const fields = line.trim().split(/\s+/).slice(1, 8).map(Number);
      systemUsage = fields.reduce((a, b) => a + b, 0) * NS_PER_TICK;
    } else if (/^cpu\d+ /.test(line)) onlineCpus++;
  }
  return { systemUsage, onlineCpus: onlineCpus || 1 };
}

/** One sample of a container's cgroup counters. */
export async function readCgroupSample(
  containerId: string,
  paths: CgroupPaths,
  system: { systemUsage: number; onlineCpus: number },
  readText: TextReader = readLocal,
): Promise<CgroupSample | undefined> {
  const at = Date.now();
  if (paths.version === 1) {
    const [usage, memUsage, memStat, memLimit, cpuStat, pids] = await Promise.all([
      readText(path.join(paths.cpu, 'cpuacct.usage')),
      readText(path.join(paths.memory, 'memory.usage_in_bytes')),
      readText(path.join(paths.memory, 'memory.stat')),
      readText(path.join(paths.memory, 'memory.limit_in_bytes')),
      readText(path.join(paths.cpuController ?? paths.cpu, 'cpu.stat')),
      paths.pids ? readText(path.join(paths.pids, 'pids.current')) : Promise.resolve(undefined),
    ]);
    if (usage === undefined || memUsage === undefined) return undefined;
    const stat = keyValues(memStat);
    const throttle = keyValues(cpuStat);
    const mem = Number(memUsage.trim());
    const inactive = stat['total_inactive_file'] ?? 0;
    return {
      counters: { containerId, at, totalUsage: Number(usage.trim()), ...system },
      memoryUsageBytes: inactive < mem ? mem - inactive : mem,
      memoryLimitBytes: Number(memLimit?.trim() ?? 0),
      throttledPeriods: throttle['nr_throttled'] ?? 0,
      periods: throttle['nr_periods'] ?? 0,
      throttledTimeNs: throttle['throttled_time'] ?? 0,
      pids: pids !== undefined ? Number(pids.trim()) : undefined,
    };
  }
  const [cpuStat, memCurrent, memStat, memMax, pids] = await Promise.all([
    readText(path.join(paths.cpu, 'cpu.stat')),
    readText(path.join(paths.memory, 'memory.current')),
    readText(path.join(paths.memory, 'memory.stat')),
    readText(path.join(paths.memory, 'memory.max')),
    readText(path.join(paths.memory, 'pids.current')),
  ]);
  if (cpuStat === undefined || memCurrent === undefined) return undefined;
  const cpu = keyValues(cpuStat);
  const stat = keyValues(memStat);
  const mem = Number(memCurrent.trim());
  const inactive = stat['inactive_file'] ?? 0;
  const max = memMax?.trim();
  return {
    counters: { containerId, at, totalUsage: (cpu['usage_usec'] ?? 0) * 1000, ...system },
    memoryUsageBytes: inactive < mem ? mem - inactive : mem,
    memoryLimitBytes: max && /^\d+$/.test(max) ? Number(max) : 0,
    throttledPeriods: cpu['nr_throttled'] ?? 0,
    periods: cpu['nr_periods'] ?? 0,
    throttledTimeNs: (cpu['throttled_usec'] ?? 0) * 1000,
    pids: pids !== undefined ? Number(pids.trim()) : undefined,
  };
}
