import { describe, expect, it } from 'vitest';
import { escapeRegExp } from './regexp-escape.js';

describe('escapeRegExp', () => {
  it('matches the literal text, and nothing its characters would mean as a pattern', () => {
    const text = 'a.b*c+(d)?[e]{f}|g^h$i\\j';
    expect(new RegExp(`^${escapeRegExp(text)}$`).test(text)).toBe(true);
    expect(new RegExp(escapeRegExp('a.b')).test('axb')).toBe(false);
  });
});
