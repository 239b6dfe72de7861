import ansis from 'ansis';

/**
 * Left-aligned columns sized to their widest cell (colour codes not counted). Hand-written because oclif's
 * table (@oclif/table) renders through ink/React, which would cost `bcon status` ~0.2 s of start-up.
 */
export function renderTable(rows: string[][], options: { indent?: string; gap?: number } = {}): string {
  const indent = options.indent ?? '';
  const gap = ' '.repeat(options.gap ?? 2);
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, ansis.strip(cell).length)));
  return rows
    .map((row) =>
      (indent + row.map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - ansis.strip(cell).length))).join(gap)).trimEnd(),
    )
    .join('\n');
}
