/** Small pure helpers of bench:load: the split of connections by the mix, percentiles, formatting. */

/**
 * Splits `total` connections among operations by weight (largest remainder, ties to the larger share),
 * each getting one at least: 50 connections at search 30, person 25, contact 20, orientation 5, inbox 10,
 * dashboard 10 % → 15, 13, 10, 2, 5, 5; 100 → 30, 25, 20, 5, 10, 10; 10 → 3, 2, 2, 1, 1, 1.
 * Throws when `total` is smaller than the number of operations.
 */
export function splitConnections<K extends string>(total: number, weights: Readonly<Record<K, number>>): Record<K, number> {
  const keys = Object.keys(weights) as K[];
  if (total < keys.length) throw new Error(`${total} connections cannot cover ${keys.length} operations (one each at least)`);
  const sum = keys.reduce((s, k) => s + weights[k], 0);
  const exact = keys.map((k) => ({ k, share: (total * weights[k]) / sum }));
  const counts = Object.fromEntries(exact.map(({ k, share }) => [k, Math.max(1, Math.floor(share))])) as Record<K, number>;
  let left = total - keys.reduce((s, k) => s + counts[k], 0);
  // Hand out what is left by largest remainder; take back from the largest shares if the minimum of one overshot.
  const byRemainder = [...exact].sort((a, b) => b.share - Math.floor(b.share) - (a.share - Math.floor(a.share)) || b.share - a.share);
  for (let i = 0; left > 0; i = (i + 1) % byRemainder.length, left--) counts[byRemainder[i].k]++;
  const bySize = [...exact].sort((a, b) => b.share - a.share);
  for (let i = 0; left < 0; i = (i + 1) % bySize.length) {
    if (counts[bySize[i].k] > 1) {
      counts[bySize[i].k]--;
      left++;
    }
  }
  return counts;
}

/** Nearest-rank percentile of an ascending array (as the other benches compute it). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarize(latencies: readonly number[]): LatencySummary {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? Number.NaN };
}

export const fmt = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—');
export const ms = (x: number) => (Number.isFinite(x) ? `${x < 10 ? x.toFixed(1) : Math.round(x).toLocaleString('en-US')} ms` : '—');
export const perSecond = (x: number) => (Number.isFinite(x) ? (x < 100 ? x.toFixed(1) : Math.round(x).toLocaleString('en-US')) : '—');
/** Bytes as MB (10^6 bytes: the unit of the target). */
export const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;

/** A table with a header row, columns right-aligned except the first. */
export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), ...rows.map(line)];
}
