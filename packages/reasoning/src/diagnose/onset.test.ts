import { describe, expect, it } from 'vitest';
import { errorsPersist, sameTemplate } from './analyzers/log-error-spike.js';
import { onsetPersists } from './onset.js';

const T = 'charge failed level=<*> ts=<*> caller=<*> order_id=<*> status=<*> error=<*>';

describe('errorsPersist: an error onset found earlier, judged on later logs that begin after it', () => {
  it('holds while the template still takes the output over (half the lines errors, a quarter this template)', () => {
    expect(errorsPersist(T, { templates: [{ template: T, count: 21 }], lines: 42, errors: 21, spanMinutes: 0 })).toMatch(/^21 lines of it in the 42 read since \(50% of them errors\)/);
  });

  it('holds at a spike\'s floor (10 lines a minute) though most lines are fine', () => {
    expect(errorsPersist(T, { templates: [{ template: T, count: 12 }], lines: 400, errors: 12, spanMinutes: 1 })).toMatch(/12 a minute/);
  });

  it('does not hold when the template is gone, rare, or a small share at a low rate', () => {
    expect(errorsPersist(T, { templates: [{ template: 'request served <*>', count: 50 }], lines: 60, errors: 50, spanMinutes: 1 })).toBeUndefined();
    expect(errorsPersist(T, { templates: [{ template: T, count: 5 }], lines: 5, errors: 5, spanMinutes: 0.1 })).toBeUndefined();
    expect(errorsPersist(T, { templates: [{ template: T, count: 8 }], lines: 100, errors: 8, spanMinutes: 5 })).toBeUndefined();
    expect(errorsPersist(T, { templates: [], lines: 0, errors: 0, spanMinutes: 0 })).toBeUndefined();
  });
});

describe('sameTemplate', () => {
  it('is the same kind of line when half the words (wildcards aside) are shared', () => {
    expect(sameTemplate(T, 'charge failed level=<*> ts=<*> caller=<*> order_id=<*> status=<*> error=<*> stacktrace=<*>')).toBe(true);
    expect(sameTemplate('ERROR cache miss for key <*>', 'ERROR connection refused to <*>')).toBe(false);
  });
});

describe('onsetPersists', () => {
  const later = { templates: [{ template: T, count: 21 }], lines: 42, errors: 21, spanMinutes: 0.35, latencyP50Ms: 1800 };

  it('errors: the template still takes the output over', () => {
    expect(onsetPersists({ kind: 'errors', service: 'billing', template: T }, later)).toMatch(/^21 lines of it/);
    expect(onsetPersists({ kind: 'errors', service: 'billing', template: T }, { ...later, templates: [] })).toBeUndefined();
  });

  it('latency: the median still risen from the usual one before the onset (3× and 150 ms more)', () => {
    expect(onsetPersists({ kind: 'latency', service: 'api', usualMs: 40 }, later)).toBe("api's median response time is 1800 ms (usual 40 ms, before it rose)");
    expect(onsetPersists({ kind: 'latency', service: 'api', usualMs: 40 }, { ...later, latencyP50Ms: 110 })).toBeUndefined();
    expect(onsetPersists({ kind: 'latency', service: 'api', usualMs: 40 }, { ...later, latencyP50Ms: undefined })).toBeUndefined();
    expect(onsetPersists({ kind: 'latency', service: 'api', usualMs: 40 }, undefined)).toBeUndefined();
  });
});
