// The typed inputs of the profile and ranking forms, checked before sending (German messages per field).
import type { TFunction } from '@/lib/i18n';
import { parseCount, parseFte, parsePercent, parseWeight, WEIGHT_MAX, WEIGHT_MIN } from './numbers';
import type { ProfileInput, RankingWeights } from './types';

export interface ProfileValues {
  municipality_id: string;
  year: string;
  annual_cases: string;
  minutes_per_case: string;
  staff_fte: string;
  online_share_percent: string;
}

export const PROFILE_ORDER = ['municipality_id', 'year', 'annual_cases', 'minutes_per_case', 'staff_fte_hundredths', 'online_share_percent'] as const;

/** Checks the typed profile; the API body, or German messages per field. */
export function parseProfile(
  t: TFunction,
  v: ProfileValues,
): { errors: Partial<Record<(typeof PROFILE_ORDER)[number], string>>; body: ProfileInput | null; year: number | null } {
  const errors: Partial<Record<(typeof PROFILE_ORDER)[number], string>> = {};
  const year = parseCount(v.year);
  if (year === null || year < 2000 || year > 2100) errors.year = t('processes.profiles.yearInvalid');
  if (!v.municipality_id) errors.municipality_id = t('validation.required');
  const cases = parseCount(v.annual_cases);
  if (cases === null) errors.annual_cases = t('processes.profiles.countInvalid');
  const minutes = parseCount(v.minutes_per_case);
  if (minutes === null) errors.minutes_per_case = t('processes.profiles.countInvalid');
  const fte = v.staff_fte.trim() ? parseFte(v.staff_fte) : 0;
  if (fte === null) errors.staff_fte_hundredths = t('processes.profiles.fteInvalid');
  const share = parsePercent(v.online_share_percent);
  if (share === 'invalid') errors.online_share_percent = t('processes.profiles.percentInvalid');
  if (Object.keys(errors).length > 0 || cases === null || minutes === null || fte === null || share === 'invalid') {
    return { errors, body: null, year };
  }
  return { errors, year, body: { annual_cases: cases, minutes_per_case: minutes, staff_fte_hundredths: fte, online_share_percent: share } };
}

export const WEIGHTS = ['weight_cases', 'weight_minutes', 'weight_offline'] as const;
export type WeightField = (typeof WEIGHTS)[number];

/** The typed weights and year, checked; German messages per field. */
export function parseRankingInput(
  t: TFunction,
  typed: Record<WeightField | 'year', string>,
): { weights: RankingWeights | null; year: number | null; errors: Partial<Record<WeightField | 'year', string>> } {
  const errors: Partial<Record<WeightField | 'year', string>> = {};
  const parsed = WEIGHTS.map((f) => {
    const w = parseWeight(typed[f]);
    if (w === null) errors[f] = t('processes.candidates.weightInvalid', { min: WEIGHT_MIN, max: WEIGHT_MAX });
    return w;
  });
  let year: number | null = null;
  if (typed.year.trim()) {
    year = parseCount(typed.year);
    if (year === null || year < 2000 || year > 2100) errors.year = t('processes.profiles.yearInvalid');
  }
  const [a, b, c] = parsed;
  if (a == null || b == null || c == null || Object.keys(errors).length > 0) return { weights: null, year, errors };
  return { weights: { weight_cases: a, weight_minutes: b, weight_offline: c }, year, errors };
}
