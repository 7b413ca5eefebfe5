// Amounts are whole euro cents (projects' budgets, funding); people type German amounts like "1.234,56".

/**
 * Parses a German euro amount into integer cents. Accepts "1.234,56", "1234,5", "1234",
 * "1 234,56" and "1234.56" (a single dot with 1–2 decimals). Returns null for empty input
 * and NaN for anything that is not an amount.
 */
export function parseEuroToCents(input: string): number | null {
  const raw = input.replace(/[\s\u00a0\u202f€]/g, '');
  if (raw === '') return null;
  let normalised: string;
  if (/^\d{1,3}(\.\d{3})+(,\d{1,2})?$/.test(raw) || /^\d+(,\d{1,2})?$/.test(raw)) {
    normalised = raw.replace(/\./g, '').replace(',', '.');
  } else if (/^\d+\.\d{1,2}$/.test(raw)) {
    normalised = raw;
  } else {
    return Number.NaN;
  }
  const [euros = '0', cents = ''] = normalised.split('.');
  const value = Number(euros) * 100 + Number(cents.padEnd(2, '0'));
  return Number.isSafeInteger(value) ? value : Number.NaN;
}

/** Cents as the editor shows them: "1.234,56" (no currency sign). */
export function centsToEuroInput(cents: number | null | undefined): string {
  if (cents === null || cents === undefined) return '';
  return new Intl.NumberFormat('de-DE', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(cents / 100);
}

/** Cents for display: "1.234,56 €" (de-DE) or "€1,234.56" (en). */
export function formatEuro(cents: number | null | undefined, locale: 'de' | 'en' = 'de'): string {
  if (cents === null || cents === undefined) return '–';
  return new Intl.NumberFormat(locale === 'de' ? 'de-DE' : 'en-GB', { style: 'currency', currency: 'EUR' }).format(
    cents / 100,
  );
}

/** Cents for a German spreadsheet cell: "1234,56" (decimal comma, no grouping, no sign of currency). */
export function centsToSpreadsheetEuro(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
}

/** Cents in short form for chart axes: "1,2 Mio. €" (de-DE) or "€1.2m" (en). */
export function formatEuroCompact(cents: number, locale: 'de' | 'en' = 'de'): string {
  return new Intl.NumberFormat(locale === 'de' ? 'de-DE' : 'en-GB', {
    style: 'currency',
    currency: 'EUR',
    notation: 'compact',
    maximumFractionDigits: 1,
    minimumFractionDigits: 0,
    // Compact numbers group only from five digits on by default: "4500 €" next to "13.500 €".
    useGrouping: true,
  }).format(cents / 100);
}
