const BINARY: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/**
 * A memory size as Docker reads it (binary units): 512M, 512m, 512MB, 512MiB, 1G, 1GB, 1.5g, 1기가, 512메가,
 * 1 기가바이트; undefined when the text is no size.
 */
export function parseMemory(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(k|m|g|t|b|kb|mb|gb|tb|kib|mib|gib|tib|킬로|메가|기가|테라)(?:바이트)?$/i.exec(text.trim());
  if (!m) return undefined;
  const unit = (m[2] ?? '').toLowerCase();
  const k = { 킬로: 'k', 메가: 'm', 기가: 'g', 테라: 't' }[unit] ?? unit[0] ?? 'b';
  const n = Number(m[1]) * (BINARY[k] ?? 1);
  return Number.isFinite(n) && n > 0 ? Math.round(n) : undefined;
}

/** The compose spelling of a byte count: the largest binary unit that divides it (1073741824 → 1G). */
export function formatMemory(bytes: number): string {
  for (const [u, f] of [['T', 1024 ** 4], ['G', 1024 ** 3], ['M', 1024 ** 2], ['K', 1024]] as const) if (bytes % f === 0) return `${bytes / f}${u}`;
  return String(bytes);
}

/** Korean and English number words a request may use for small counts. */
const WORDS: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  하나: 1, 한: 1, 둘: 2, 두: 2, 셋: 3, 세: 3, 넷: 4, 네: 4, 다섯: 5, 여섯: 6, 일곱: 7, 여덟: 8, 아홉: 9, 열: 10,
};

export function numberWord(word: string): number | undefined {
  if (/^\d+$/.test(word)) return Number(word);
  return WORDS[word.toLowerCase()];
}
