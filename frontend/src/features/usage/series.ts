// A service's monthly figures as chart points: online against all other channels, and the
// online share in percent. Masked or missing values are gaps, never zeros.
import type { SeriesPoint } from './types';

export interface ChartPoint {
  month: string;
  online: number | null;
  other: number | null;
  /** Online share in percent (0..100), null without one. */
  share: number | null;
}

const known = (value: number | null | undefined, masked: boolean): number | null =>
  masked || value === null || value === undefined ? null : value;

export function chartPoints(points: readonly SeriesPoint[]): ChartPoint[] {
  return points.map((p) => {
    const online = known(p.online, p.online_masked);
    const total = known(p.total, p.total_masked);
    const other = total !== null && (online !== null || p.online === null || p.online === undefined) ? total - (online ?? 0) : null;
    const share = p.online_share === null || p.online_share === undefined ? null : Math.round(p.online_share * 1000) / 10;
    return { month: p.month, online, other: p.online_masked ? null : other, share };
  });
}

/** Sum of the known totals and online counts over the period, and the share of the two. */
export function periodShare(points: readonly SeriesPoint[]): { online: number; total: number; share: number | null } {
  let online = 0;
  let total = 0;
  for (const p of points) {
    if (p.total_masked || p.online_masked || p.total === null || p.total === undefined) continue;
    total += p.total;
    online += p.online ?? 0;
  }
  return { online, total, share: total > 0 ? online / total : null };
}
