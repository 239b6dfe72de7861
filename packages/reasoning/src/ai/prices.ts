/** USD per million tokens. */
export interface Price {
  input: number;
  output: number;
}

export type PriceTable = Record<string, Price>;

/**
 * Defaults for common hosted models (USD per 1M tokens, list prices). A model that is not listed costs 0 when the
 * endpoint is local (Ollama, vLLM, llama.cpp, LM Studio on this machine or a private address), and is priced by
 * the longest listed prefix otherwise (`gpt-4o-mini-2024-07-18` → `gpt-4o-mini`); bcon.yaml `llm.prices` overrides.
 */
export const DEFAULT_PRICES: PriceTable = {
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'o3-mini': { input: 1.1, output: 4.4 },
  'o4-mini': { input: 1.1, output: 4.4 },
};

/** Loopback and private addresses: a model on the user's own hardware. */
export function isLocalEndpoint(baseUrl: string): boolean {
  let host: string;
  try {
    host = new URL(baseUrl).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return false;
  }
  return /^(localhost|127\.\d+\.\d+\.\d+|::1|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(1[6-9]|2\d|3[01])\.\d+\.\d+|host\.docker\.internal)$/i.test(host) || host.endsWith('.local');
}

/** The price of a model at an endpoint: an override, else a default by the longest matching prefix, else 0 locally. */
export function priceOf(model: string, baseUrl: string, overrides: PriceTable = {}): Price {
  const exact = overrides[model] ?? DEFAULT_PRICES[model];
  if (exact) return exact;
  if (isLocalEndpoint(baseUrl)) return { input: 0, output: 0 };
  const table = { ...DEFAULT_PRICES, ...overrides };
  const prefix = Object.keys(table)
    .filter((k) => model.startsWith(k))
    .sort((a, b) => b.length - a.length)[0];
  return prefix ? (table[prefix] as Price) : { input: 0, output: 0 };
}

/** Cost in USD of one call: tokens × price per million. */
export function costOf(price: Price, promptTokens: number, completionTokens: number): number {
  return (promptTokens * price.input + completionTokens * price.output) / 1_000_000;
}
