import { describe, expect, it } from 'vitest';
import { DesiredStateError } from '../errors.js';
import { parseBytes, parseCpus, parseDuration } from './units.js';

const W = 'compose.yaml: services.app.mem_limit';

describe('parseBytes', () => {
  it('reads binary units as Docker does (k, m, g, t = powers of 1024)', () => {
    expect(parseBytes('512m', W)).toBe(512 * 1024 * 1024);
    expect(parseBytes('1g', W)).toBe(1024 ** 3);
    expect(parseBytes('2k', W)).toBe(2048);
    expect(parseBytes('1t', W)).toBe(1024 ** 4);
  });
  it('accepts an optional "b" suffix, any case, and a blank before the unit', () => {
    expect(parseBytes('1.5GB', W)).toBe(1.5 * 1024 ** 3);
    expect(parseBytes('64Mb', W)).toBe(64 * 1024 ** 2);
    expect(parseBytes('10kb', W)).toBe(10 * 1024);
    expect(parseBytes('3 M', W)).toBe(3 * 1024 ** 2);
    expect(parseBytes('100b', W)).toBe(100);
  });
  it('reads a plain number, as a string or a YAML number, as bytes', () => {
    expect(parseBytes('1073741824', W)).toBe(1073741824);
    expect(parseBytes(2048, W)).toBe(2048);
    expect(parseBytes(10.6, W)).toBe(11);
  });
  it('rounds fractional byte counts', () => {
    expect(parseBytes('0.5k', W)).toBe(512);
    expect(parseBytes('1.0001k', W)).toBe(1024);
  });
  it('accepts the "iB" spelling (512MiB, 1GiB) and petabytes, as go-units RAMInBytes does', () => {
    expect(parseBytes('512MiB', W)).toBe(512 * 1024 ** 2);
    expect(parseBytes('1gib', W)).toBe(1024 ** 3);
    expect(parseBytes('1p', W)).toBe(1024 ** 5);
  });
  it('refuses what is not a size, naming where and what was expected', () => {
    expect(() => parseBytes('lots', W)).toThrow(DesiredStateError);
    expect(() => parseBytes('lots', W)).toThrow(`${W}: "lots" is not a size (expected e.g. 512m, 1g, 1GiB, 1073741824)`);
    expect(() => parseBytes('', W)).toThrow(/is not a size/);
    expect(() => parseBytes('-1g', W)).toThrow(/is not a size/);
    expect(() => parseBytes('1x', W)).toThrow(/is not a size/);
    expect(() => parseBytes('1 g b', W)).toThrow(/is not a size/);
  });
  it('throws with the compose_invalid code', () => {
    try {
      parseBytes('nope', W);
      expect.unreachable();
    } catch (err) {
      expect((err as DesiredStateError).code).toBe('compose_invalid');
    }
  });
});

describe('parseDuration', () => {
  const H = 'compose.yaml: services.app.healthcheck.interval';
  it('reads single units in nanoseconds', () => {
    expect(parseDuration('10s', H)).toBe(10e9);
    expect(parseDuration('500ms', H)).toBe(500e6);
    expect(parseDuration('2m', H)).toBe(120e9);
    expect(parseDuration('1h', H)).toBe(3600e9);
    expect(parseDuration('250us', H)).toBe(250e3);
    expect(parseDuration('250µs', H)).toBe(250e3);
    expect(parseDuration('42ns', H)).toBe(42);
  });
  it('adds up combined units (1m30s, 1h2m3s4ms)', () => {
    expect(parseDuration('1m30s', H)).toBe(90e9);
    expect(parseDuration('1h2m3s4ms', H)).toBe(3600e9 + 120e9 + 3e9 + 4e6);
  });
  it('accepts fractions and surrounding blanks', () => {
    expect(parseDuration('1.5s', H)).toBe(1.5e9);
    expect(parseDuration(' 0.5m ', H)).toBe(30e9);
  });
  it('reads a YAML number as seconds', () => {
    expect(parseDuration(30, H)).toBe(30e9);
    expect(parseDuration(0.25, H)).toBe(0.25e9);
  });
  it('refuses a number without a unit, an unknown unit and trailing garbage', () => {
    expect(() => parseDuration('10', H)).toThrow(`${H}: "10" is not a duration (expected e.g. 10s, 1m30s, 500ms)`);
    expect(() => parseDuration('10d', H)).toThrow(/is not a duration/);
    expect(() => parseDuration('10s later', H)).toThrow(/is not a duration/);
    expect(() => parseDuration('s', H)).toThrow(/is not a duration/);
    expect(() => parseDuration('', H)).toThrow(DesiredStateError);
  });
});

describe('parseCpus', () => {
  const C = 'compose.yaml: services.app.cpus';
  it('turns CPUs into nano CPUs, from numbers and numeric strings', () => {
    expect(parseCpus(0.5, C)).toBe(500_000_000);
    expect(parseCpus(2, C)).toBe(2_000_000_000);
    expect(parseCpus('1.5', C)).toBe(1_500_000_000);
    expect(parseCpus('0.25', C)).toBe(250_000_000);
    expect(parseCpus(0, C)).toBe(0);
  });
  it('rounds away floating point noise', () => {
    expect(parseCpus(0.1 + 0.2, C)).toBe(300_000_000);
  });
  it('refuses negative and non-numeric values', () => {
    expect(() => parseCpus(-1, C)).toThrow(`${C}: "-1" is not a number of CPUs (expected e.g. 0.5, 2)`);
    expect(() => parseCpus('two', C)).toThrow(/is not a number of CPUs/);
    expect(() => parseCpus('Infinity', C)).toThrow(DesiredStateError);
  });
});
