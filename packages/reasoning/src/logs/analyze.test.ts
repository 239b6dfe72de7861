import { describe, expect, it } from 'vitest';
import { mineTemplates, trendOf } from './analyze.js';

describe('template trends against the earlier half of the input', () => {
  it('marks a template absent from the earlier half as new, and one that tripled as spiking', () => {
    const lines = [
      ...Array.from({ length: 30 }, (_, i) => (i % 10 === 0 ? `ERROR pool exhausted after ${i} ms` : `GET /orders/${i} 200`)),
      ...Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? `ERROR pool exhausted after ${i} ms` : `WARN disk 9${i}% full on /data`)),
    ];
    const r = mineTemplates(lines);
    const by = Object.fromEntries(r.templates.map((t) => [t.template, t]));
    expect(by['ERROR pool exhausted after <*> ms']).toMatchObject({ level: 'error', trend: 'spiking' });
    expect(by['WARN disk <*> full on /data']).toMatchObject({ level: 'warn', trend: 'new' });
    expect(by['GET /orders/<*> <*>']?.trend).toBeUndefined();
  });

  it('says nothing on a short input or a steady template', () => {
    expect(trendOf([1, 2, 3], 10)).toBeUndefined();
    expect(trendOf([1, 5, 9, 13, 17, 21, 25, 29, 33, 37], 40)).toBeUndefined();
  });
});
