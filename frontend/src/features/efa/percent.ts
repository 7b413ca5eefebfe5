// Percentages as text, e.g. "42,5 %".
import type { Locale } from '@/lib/i18n';

export function formatPercent(value: number, locale: Locale): string {
  const safe = Number.isFinite(value) ? value : 0;
  return `${new Intl.NumberFormat(locale === 'de' ? 'de-DE' : 'en-GB', { maximumFractionDigits: 1 }).format(safe)} %`;
}
