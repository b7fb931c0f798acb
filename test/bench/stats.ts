// Small statistics for the benchmark table: every figure is a median with its min–max.

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** The p-th percentile (nearest rank on the sorted values; the median averages the middle two). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  if (p === 50 && sorted.length % 2 === 0) {
    const mid = sorted.length / 2;
    return ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  }
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function spread(values: readonly number[]): Spread {
  return {
    median: median(values),
    min: values.length === 0 ? Number.NaN : Math.min(...values),
    max: values.length === 0 ? Number.NaN : Math.max(...values),
    n: values.length,
  };
}

/** "123 ms (110–140, n=5)" with the digits asked for. */
export function formatSpread(s: Spread, unit: string, digits = 0): string {
  const f = (v: number) => v.toFixed(digits);
  const u = unit === '×' ? unit : ` ${unit}`;
  return s.n === 1 ? `${f(s.median)}${u}` : `${f(s.median)}${u} (${f(s.min)}–${f(s.max)}, n=${s.n})`;
}
