// The online share and counts as text and colour: heat-map buckets with readable text on
// each colour, "< 5" where the server masked a small count, month labels.
import { formatMaskedCount } from '@/lib/format';
import type { Locale, MessageKey, TFunction } from '@/lib/i18n';

export interface Bucket {
  /** Lower bound of the online share (0..1), inclusive. */
  from: number;
  /** Upper bound, exclusive (the last bucket includes 1). */
  to: number;
  background: string;
  text: string;
}

/**
 * Five steps of one hue (light = little online, dark = much online), so the order reads without
 * telling colours apart; the text on each step has a contrast of at least 4.5:1 (tested).
 */
export const buckets: Bucket[] = [
  { from: 0, to: 0.2, background: '#F3F7FB', text: '#1B1B1B' },
  { from: 0.2, to: 0.4, background: '#C6DBEF', text: '#1B1B1B' },
  { from: 0.4, to: 0.6, background: '#7FB0D8', text: '#1B1B1B' },
  { from: 0.6, to: 0.8, background: '#2C6AA8', text: '#FFFFFF' },
  { from: 0.8, to: 1, background: '#0B3C6F', text: '#FFFFFF' },
];

/** Cells without a share (no cases, or the total is masked). */
export const noShare: Bucket = { from: Number.NaN, to: Number.NaN, background: '#FFFFFF', text: '#1B1B1B' };

/** The bucket of an online share; `noShare` for null or anything outside 0..1. */
export function shareBucket(share: number | null | undefined): Bucket {
  if (share === null || share === undefined || !Number.isFinite(share) || share < 0 || share > 1) return noShare;
  return buckets.find((b) => share >= b.from && share < b.to) ?? (buckets[buckets.length - 1] ?? noShare);
}

function numberFormat(locale: Locale, digits = 0): Intl.NumberFormat {
  return new Intl.NumberFormat(locale === 'de' ? 'de-DE' : 'en-GB', { maximumFractionDigits: digits });
}

/** "67 %" for 0.67; "–" without a share. */
export function formatShare(share: number | null | undefined, locale: Locale, digits = 0): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '–';
  return `${numberFormat(locale, digits).format(share * 100)} %`;
}

/** The text of a count: "< 5" where the server masked it (the number is not in the answer), "–" for none. */
export function formatCount(value: number | null | undefined, masked: boolean | undefined, locale: Locale): string {
  return formatMaskedCount(value, masked, locale);
}

/** The legend's label of a bucket, e.g. "20 bis unter 40 %". */
export function bucketLabel(t: TFunction, bucket: Bucket, locale: Locale): string {
  const pct = (v: number) => numberFormat(locale).format(v * 100);
  return bucket.to >= 1
    ? t('usage.legend.last', { from: pct(bucket.from) })
    : t('usage.legend.range', { from: pct(bucket.from), to: pct(bucket.to) });
}

/** "März 2025" for "2025-03" (Europe/Berlin has no effect on a month). */
export function formatMonth(month: string, locale: Locale, style: 'long' | 'short' = 'long'): string {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match) return month;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1));
  return new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', { month: style, year: 'numeric', timeZone: 'UTC' }).format(date);
}

/** WCAG relative luminance of "#RRGGBB". */
function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** WCAG contrast ratio of two "#RRGGBB" colours (1..21). */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

export const channelLabel: Record<string, MessageKey> = {
  online: 'usage.channel.online',
  paper: 'usage.channel.paper',
  counter: 'usage.channel.counter',
  email: 'usage.channel.email',
  phone: 'usage.channel.phone',
};
