// The district's funding per town as chart rows: requested and approved in integer cents.
import type { Locale, TFunction } from '@/lib/i18n';
import { formatEuro } from '@/lib/money';
import type { FundingNumbers } from './api';
import type { ChartRow } from './ChartCard';

export const fundingSeriesKeys = ['requested', 'approved'] as const;

/**
 * One row per town that has any funding requested or approved, the largest request first
 * (then by approval and name, so the order is stable). Towns without applications are left out.
 */
export function fundingRows(items: readonly FundingNumbers[]): ChartRow[] {
  return items
    .filter((x) => x.requested_cents > 0 || x.approved_cents > 0)
    .sort((a, b) => b.requested_cents - a.requested_cents || b.approved_cents - a.approved_cents || a.name.localeCompare(b.name, 'de'))
    .map((x) => ({ label: x.name, values: { requested: x.requested_cents, approved: x.approved_cents } }));
}

/** "Beantragt: 1.200.000,00 €, bewilligt: 800.000,00 € (3 Kommunen)." */
export function fundingSummary(t: TFunction, locale: Locale, rows: readonly ChartRow[]): string {
  const total = (key: (typeof fundingSeriesKeys)[number]) => rows.reduce((sum, r) => sum + (r.values[key] ?? 0), 0);
  return t('dashboard.fundingText', {
    requested: formatEuro(total('requested'), locale),
    approved: formatEuro(total('approved'), locale),
    towns: rows.length,
  });
}
