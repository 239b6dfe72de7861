import { describe, expect, it } from 'vitest';
import { ViewRedactor, mapStrings } from './redaction.js';

describe('mapStrings', () => {
  it('maps every string value, deep, and keeps keys, numbers, booleans and null', () => {
    const v = { a: 'x', b: [1, 'y', { c: 'z', d: null, e: true }], API_TOKEN: 2 };
    expect(mapStrings(v, (s) => s.toUpperCase())).toEqual({ a: 'X', b: [1, 'Y', { c: 'Z', d: null, e: true }], API_TOKEN: 2 });
  });
});

describe('ViewRedactor', () => {
  it('masks what the CLI masks, and a learned secret wherever it appears again', () => {
    const r = new ViewRedactor(() => []);
    r.learn('connecting with password=Sup3rS3cretValue42');
    const out = r.value({ line: 'retrying: Sup3rS3cretValue42 rejected', url: 'postgres://app:hunter2pass@db:5432/app', n: 3 });
    expect(JSON.stringify(out)).not.toContain('Sup3rS3cretValue42');
    expect(JSON.stringify(out)).not.toContain('hunter2pass');
    expect(out.n).toBe(3);
    expect(out.line).toMatch(/^retrying: \[REDACTED[^\]]*\] rejected$/);
  });
});
