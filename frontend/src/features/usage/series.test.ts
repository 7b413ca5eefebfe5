import { describe, expect, it } from 'vitest';
import { chartPoints, periodShare } from './series';
import type { SeriesPoint } from './types';

const point = (month: string, p: Partial<SeriesPoint>): SeriesPoint => ({
  month,
  online: null,
  online_masked: false,
  paper: null,
  paper_masked: false,
  counter: null,
  counter_masked: false,
  email: null,
  email_masked: false,
  phone: null,
  phone_masked: false,
  total: null,
  total_masked: false,
  online_share: null,
  ...p,
});

describe('service series as chart points', () => {
  it('splits online from the other channels and gives the share in percent', () => {
    expect(chartPoints([point('2025-01', { online: 30, paper: 10, total: 40, online_share: 0.75 })])).toEqual([
      { month: '2025-01', online: 30, other: 10, share: 75 },
    ]);
  });

  it('keeps a missing month as a gap, not as zero', () => {
    expect(chartPoints([point('2025-02', {})])).toEqual([{ month: '2025-02', online: null, other: null, share: null }]);
  });

  it('treats no online cases as 0 online and a masked count as a gap', () => {
    expect(chartPoints([point('2025-03', { online: 0, paper: 9, total: 9, online_share: 0 })])[0]).toEqual({ month: '2025-03', online: 0, other: 9, share: 0 });
    expect(chartPoints([point('2025-04', { online: null, online_masked: true, paper: 20, total: 23, online_share: 0.13 })])[0]).toEqual({
      month: '2025-04',
      online: null,
      other: null,
      share: 13,
    });
  });

  it('sums the period over known months only', () => {
    const points = [
      point('2025-01', { online: 30, total: 40 }),
      point('2025-02', {}),
      point('2025-03', { online: 0, paper: 10, total: 10 }),
      point('2025-04', { total: null, total_masked: true }),
    ];
    expect(periodShare(points)).toEqual({ online: 30, total: 50, share: 0.6 });
    expect(periodShare([point('2025-02', {})]).share).toBeNull();
  });
});
