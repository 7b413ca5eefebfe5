// Checks of the experience report form (the server checks again).
import type { MessageKey } from '@/lib/i18n';

export const RATINGS = [1, 2, 3, 4, 5] as const;
export const REPORT_MAX = 5000;

export interface ReportValues {
  body: string;
  /** The chosen rating as the radio value, '' while none is chosen. */
  rating: string;
}

export type ReportErrors = Partial<Record<keyof ReportValues, MessageKey>>;

/** A whole number from 1 to 5, else null. */
export function parseRating(value: string): number | null {
  if (!/^\d$/.test(value.trim())) return null;
  const n = Number(value.trim());
  return n >= 1 && n <= 5 ? n : null;
}

export function validateReport(values: ReportValues): ReportErrors {
  const errors: ReportErrors = {};
  if (!values.body.trim()) errors.body = 'validation.required';
  else if (values.body.length > REPORT_MAX) errors.body = 'efa.report.tooLong';
  if (!values.rating) errors.rating = 'efa.report.ratingMissing';
  else if (parseRating(values.rating) === null) errors.rating = 'efa.report.ratingRange';
  return errors;
}
