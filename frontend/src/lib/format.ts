// Dates are stored in UTC and shown in Europe/Berlin.
import type { Locale } from '@/lib/i18n';

export function formatDateTime(value: string | null | undefined, locale: Locale): string {
  if (!value) return '–';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Europe/Berlin',
  }).format(date);
}

/**
 * A count the server may mask (usage figures): "< 5" where it did (the number is not in the
 * answer, so single cases cannot be read off), "–" for no figure.
 */
export function formatMaskedCount(value: number | null | undefined, masked: boolean | undefined, locale: Locale): string {
  if (masked) return '< 5';
  if (value === null || value === undefined) return '–';
  return new Intl.NumberFormat(locale === 'de' ? 'de-DE' : 'en-GB', { maximumFractionDigits: 0 }).format(value);
}

/**
 * A number on a chart axis, grouped the same way at every size: "4.500" beside "13.500" (de-DE),
 * "4,500" (en); at most one decimal.
 */
export function formatAxisNumber(value: number, locale: Locale): string {
  return new Intl.NumberFormat(locale === 'de' ? 'de-DE' : 'en-GB', { maximumFractionDigits: 1, useGrouping: true }).format(value);
}
