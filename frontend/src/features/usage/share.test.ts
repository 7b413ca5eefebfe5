import { describe, expect, it } from 'vitest';
import { makeT } from '@/lib/i18n';
import { bucketLabel, buckets, contrast, formatCount, formatMonth, formatShare, noShare, shareBucket } from './share';

describe('online share buckets', () => {
  it('puts each share into one of five steps, the edges into the upper step', () => {
    expect(shareBucket(0)).toBe(buckets[0]);
    expect(shareBucket(0.1999)).toBe(buckets[0]);
    expect(shareBucket(0.2)).toBe(buckets[1]);
    expect(shareBucket(0.5)).toBe(buckets[2]);
    expect(shareBucket(0.6)).toBe(buckets[3]);
    expect(shareBucket(0.8)).toBe(buckets[4]);
    expect(shareBucket(1)).toBe(buckets[4]);
  });

  it('has no colour without a share (no cases, masked total) or for nonsense', () => {
    expect(shareBucket(null)).toBe(noShare);
    expect(shareBucket(undefined)).toBe(noShare);
    expect(shareBucket(Number.NaN)).toBe(noShare);
    expect(shareBucket(-0.1)).toBe(noShare);
    expect(shareBucket(1.01)).toBe(noShare);
  });

  it('keeps the text on every step readable (WCAG AA 4.5:1) and the steps in order of lightness', () => {
    for (const b of [...buckets, noShare]) expect(contrast(b.text, b.background)).toBeGreaterThanOrEqual(4.5);
    const againstWhite = buckets.map((b) => contrast('#FFFFFF', b.background));
    expect([...againstWhite].sort((a, b) => a - b)).toEqual(againstWhite);
    expect(contrast('#000000', '#FFFFFF')).toBeCloseTo(21, 5);
  });

  it('labels the legend in words', () => {
    const t = makeT('de');
    expect(bucketLabel(t, buckets[0] ?? noShare, 'de')).toBe('0 bis unter 20 % online');
    expect(bucketLabel(t, buckets[4] ?? noShare, 'de')).toBe('80 bis 100 % online');
  });
});

describe('counts and shares as text', () => {
  it('shows "< 5" where the server masked a count, and never a number then', () => {
    expect(formatCount(null, true, 'de')).toBe('< 5');
    expect(formatCount(3, true, 'de')).toBe('< 5');
    expect(formatCount(null, false, 'de')).toBe('–');
    expect(formatCount(0, false, 'de')).toBe('0');
    expect(formatCount(12345, false, 'de')).toBe('12.345');
    expect(formatCount(12345, false, 'en')).toBe('12,345');
  });

  it('formats shares as percent, "–" without one', () => {
    expect(formatShare(0.6667, 'de')).toBe('67 %');
    expect(formatShare(0.6667, 'de', 1)).toBe('66,7 %');
    expect(formatShare(0, 'de')).toBe('0 %');
    expect(formatShare(null, 'de')).toBe('–');
  });

  it('names months', () => {
    expect(formatMonth('2025-03', 'de')).toBe('März 2025');
    expect(formatMonth('2025-12', 'en', 'short')).toBe('Dec 2025');
    expect(formatMonth('kaputt', 'de')).toBe('kaputt');
  });
});
