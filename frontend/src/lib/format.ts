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
