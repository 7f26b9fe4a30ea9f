import { describe, expect, it } from 'vitest';
import { fmt, median, p95, quantile, ratio, summarize } from '@bench/lib/stats';

describe('bench stats', () => {
  it('interpolates quantiles between ranks', () => {
    expect(median([1, 2, 3, 4])).toBe(2.5);
    expect(median([5, 1, 3])).toBe(3);
    expect(quantile([0, 10], 0.25)).toBe(2.5);
    expect(p95(Array.from({ length: 21 }, (_, i) => i))).toBe(19);
  });

  it('summarizes spread and handles empty samples', () => {
    const s = summarize([10, 12, 14, 16, 18]);
    expect(s).toMatchObject({ n: 5, median: 14, min: 10, max: 18, mean: 14, iqr: 4 });
    expect(s.cv).toBeCloseTo(Math.sqrt(10) / 14, 6);
    expect(Number.isNaN(summarize([]).median)).toBe(true);
  });

  it('refuses a ratio to a missing or zero floor', () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(Number.isNaN(ratio(3, 0))).toBe(true);
    expect(Number.isNaN(ratio(Number.NaN, 2))).toBe(true);
  });

  it('formats for tables', () => {
    expect(fmt(1234.6)).toBe('1,235');
    expect(fmt(0.123456)).toBe('0.123');
    expect(fmt(Number.NaN)).toBe('n/a');
  });
});
