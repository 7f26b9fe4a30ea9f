// Summary statistics for benchmark samples. Pure functions, no I/O, so they are unit-tested directly.

export interface Summary {
  n: number;
  median: number;
  p95: number;
  min: number;
  max: number;
  mean: number;
  /** Interquartile range (p75 - p25): the spread that one noisy run cannot move much. */
  iqr: number;
  /** Coefficient of variation (stddev / mean), 0..; NaN for an empty or all-zero sample. */
  cv: number;
}

/**
 * Quantile with linear interpolation between closest ranks (the "R-7" definition that numpy and
 * spreadsheets use), so p50 of an even-sized sample is the mean of the two middle values.
 */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  if (q <= 0) return Math.min(...values);
  if (q >= 1) return Math.max(...values);
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (pos - lo);
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);
export const p95 = (values: readonly number[]): number => quantile(values, 0.95);

export function summarize(values: readonly number[]): Summary {
  const n = values.length;
  if (n === 0) {
    const nan = Number.NaN;
    return { n, median: nan, p95: nan, min: nan, max: nan, mean: nan, iqr: nan, cv: nan };
  }
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const variance = n > 1 ? values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1) : 0;
  return {
    n,
    median: median(values),
    p95: p95(values),
    min: Math.min(...values),
    max: Math.max(...values),
    mean,
    iqr: quantile(values, 0.75) - quantile(values, 0.25),
    cv: mean === 0 ? Number.NaN : Math.sqrt(variance) / Math.abs(mean),
  };
}

/** value / floor, or NaN when the floor is missing or not positive (a ratio to nothing is no figure). */
export function ratio(value: number, floor: number): number {
  if (!Number.isFinite(value) || !Number.isFinite(floor) || floor <= 0) return Number.NaN;
  return value / floor;
}

/** Rounds for display: 3 significant digits under 100, integers above. */
export function fmt(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(digits)).toString();
}
