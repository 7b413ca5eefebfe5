// Parsing of the numbers people type into the profile, ranking and continuity forms (German
// decimal comma allowed), and the formatting of the results.
import type { Locale } from '@/lib/i18n';

/** A decimal number as typed ("1,5", "1.5", " 2 "); null when it is not one. */
export function parseDecimal(input: string): number | null {
  const text = input.trim().replace(/\s/g, '');
  if (!/^-?\d+([.,]\d+)?$/.test(text)) return null;
  return Number(text.replace(',', '.'));
}

/** A whole number ≥ 0 ("1.200" with a German thousands dot is allowed); null otherwise. */
export function parseCount(input: string): number | null {
  const text = input.trim().replace(/\s/g, '');
  if (!/^\d{1,3}(\.\d{3})+$|^\d+$/.test(text)) return null;
  const value = Number(text.replace(/\./g, ''));
  return Number.isSafeInteger(value) ? value : null;
}

export const WEIGHT_MIN = 0;
export const WEIGHT_MAX = 3;

/** A ranking weight between WEIGHT_MIN and WEIGHT_MAX with at most two decimals; null when not. */
export function parseWeight(input: string): number | null {
  const value = parseDecimal(input);
  if (value === null || value < WEIGHT_MIN || value > WEIGHT_MAX) return null;
  const hundredths = Math.round(value * 100);
  if (Math.abs(hundredths - value * 100) > 1e-6) return null;
  return hundredths / 100;
}

/** Staff in full-time equivalents ("1,5") as hundredths (150), as the API stores it. */
export function parseFte(input: string): number | null {
  const value = parseDecimal(input);
  if (value === null || value < 0) return null;
  const hundredths = Math.round(value * 100);
  if (Math.abs(hundredths - value * 100) > 1e-6) return null;
  return hundredths;
}

/** An online share in percent (0–100, whole); `''` means "not entered" (null). */
export function parsePercent(input: string): number | null | 'invalid' {
  if (!input.trim()) return null;
  const value = parseCount(input);
  return value === null || value > 100 ? 'invalid' : value;
}

function nf(locale: Locale, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  return new Intl.NumberFormat(locale === 'de' ? 'de-DE' : 'en-GB', options);
}

export function formatNumber(value: number, locale: Locale, maximumFractionDigits = 0): string {
  return nf(locale, { maximumFractionDigits }).format(value);
}

/** 150 → "1,5" (de), "1.5" (en). */
export function formatFte(hundredths: number, locale: Locale): string {
  return nf(locale, { maximumFractionDigits: 2 }).format(hundredths / 100);
}

/** The value to put back into an input field (German comma). */
export function fteInput(hundredths: number): string {
  return String(hundredths / 100).replace('.', ',');
}
