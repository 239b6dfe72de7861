/**
 * Override merge of compose files (Compose Specification, "Merge and override"): mappings merge recursively;
 * `command`, `entrypoint` and `healthcheck.test` are replaced; sequences of unique values are concatenated
 * without duplicates; `environment`, `labels`, `extra_hosts`, `sysctls` merge by key (list or map syntax);
 * `volumes`, `secrets`, `configs` merge by container path / target, `ports` by their full definition.
 */
import { keyValueList } from '../../util/key-value.js';

type Json = unknown;
type Obj = Record<string, Json>;

const isObj = (v: Json): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const REPLACED = new Set(['command', 'entrypoint', 'test']);
const KEYED_MAPS = new Set(['environment', 'labels', 'extra_hosts', 'sysctls', 'annotations', 'args']);
const BY_TARGET = new Set(['volumes', 'secrets', 'configs', 'devices', 'tmpfs']);

/**
 * `KEY=VALUE` lists and maps alike as a map (null for a bare `KEY`). `separators` are tried in order: extra_hosts
 * passes `=:` so that both `HOST=IP` and `HOST:IP` split at the host name.
 */
export function toMap(value: Json, separators = '='): Record<string, string | null> {
  if (isObj(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v === null || v === undefined ? null : String(v)]));
  }
  return Array.isArray(value) ? keyValueList(value.map(String), separators) : {};
}

function targetOf(key: string, item: Json): string {
  if (isObj(item)) return String(item['target'] ?? item['source'] ?? JSON.stringify(item));
  const text = String(item);
  // tmpfs PATH[:OPTIONS]; short volume syntax [SOURCE:]TARGET[:MODE]; a device HOST:CONTAINER; a secret by name
  const parts = text.split(':');
  if (key === 'tmpfs') return parts[0] as string;
  if (parts.length >= 2) return parts[1] as string;
  return text;
}

function mergeSequence(key: string, base: Json[], override: Json[], charge?: (entries: number) => void): Json[] {
  if (BY_TARGET.has(key)) {
    const byTarget = new Map<string, Json>();
    for (const item of [...base, ...override]) byTarget.set(targetOf(key, item), item);
    return [...byTarget.values()];
  }
  const seen = new Set<string>();
  const out: Json[] = [];
  for (const item of [...base, ...override]) {
    const k = JSON.stringify(item);
    // the comparison's work too: about a value per 32 characters of the item
    if (typeof item === 'object' && item !== null) charge?.(k.length >> 5);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(item);
    }
  }
  return out;
}

/**
 * Merge `override` over `base`. `charge`, when given, is told how many entries each step makes (a new mapping's
 * or sequence's entries), so that a caller can bound the work (NodeBudget).
 */
export function mergeValues(key: string, base: Json, override: Json, charge?: (entries: number) => void): Json {
  if (override === undefined) return base;
  if (base === undefined || REPLACED.has(key)) return override;
  if (KEYED_MAPS.has(key) && (isObj(base) || Array.isArray(base)) && (isObj(override) || Array.isArray(override))) {
    const sep = key === 'extra_hosts' ? '=:' : '=';
    charge?.(entriesOf(base) + entriesOf(override));
    return { ...toMap(base, sep), ...toMap(override, sep) };
  }
  if (isObj(base) && isObj(override)) {
    const out: Obj = { ...base };
    charge?.(entriesOf(base) + entriesOf(override));
    for (const [k, v] of Object.entries(override)) out[k] = mergeValues(k, base[k], v, charge);
    return out;
  }
  if (Array.isArray(base) && Array.isArray(override)) {
    charge?.(base.length + override.length);
    return mergeSequence(key, base, override, charge);
  }
  return override;
}

const entriesOf = (v: Json): number => (Array.isArray(v) ? v.length : isObj(v) ? Object.keys(v).length : 1);

/** Merge a whole compose document over another. */
export function mergeCompose(base: Obj, override: Obj, charge?: (entries: number) => void): Obj {
  return mergeValues('', base, override, charge) as Obj;
}
