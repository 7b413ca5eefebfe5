// Labels for kinds, modes, weekdays and hours (hours are Europe/Berlin, shown as "18:00 Uhr").
import type { Locale, MessageKey, TFunction } from '@/lib/i18n';
import type { DeliveryMode, DigestFrequency, NotificationKind } from './api';

export const kinds: NotificationKind[] = [
  'mentions',
  'assignments',
  'followed_projects',
  'new_projects_district',
  'new_projects_network',
  'efa_adoptions',
  'funding_deadlines',
  'support_requests',
];

export const modes: DeliveryMode[] = ['immediate', 'digest', 'off'];
export const frequencies: DigestFrequency[] = ['daily', 'weekly'];
/** 1 = Monday … 7 = Sunday, as the API counts. */
export const weekdays = [1, 2, 3, 4, 5, 6, 7] as const;
export const hours = Array.from({ length: 24 }, (_, h) => h);

export const kindLabel = (t: TFunction, kind: NotificationKind) => t(`notifications.kind.${kind}` as MessageKey);
export const kindHint = (t: TFunction, kind: NotificationKind) => t(`notifications.kind.${kind}.hint` as MessageKey);
export const modeLabel = (t: TFunction, mode: DeliveryMode) => t(`notifications.mode.${mode}` as MessageKey);
export const frequencyLabel = (t: TFunction, f: DigestFrequency) => t(`notifications.frequency.${f}` as MessageKey);

export function weekdayLabel(t: TFunction, weekday: number): string {
  const day = weekday >= 1 && weekday <= 7 ? weekday : 1;
  return t(`notifications.weekday.${day}` as MessageKey);
}

/** 18 → "18:00 Uhr" (de) / "18:00" (en); 7 → "07:00 Uhr". */
export function hourLabel(t: TFunction, hour: number): string {
  return t('notifications.hour', { time: `${String(hour).padStart(2, '0')}:00` });
}

/** "Montag, 18:00 Uhr" style summary of the schedule. */
export function scheduleSummary(
  t: TFunction,
  schedule: { frequency: DigestFrequency; weekday: number; hour: number; enabled: boolean },
): string {
  if (!schedule.enabled) return t('notifications.digest.summary.off');
  if (schedule.frequency === 'daily') return t('notifications.digest.summary.daily', { time: hourLabel(t, schedule.hour) });
  return t('notifications.digest.summary.weekly', {
    day: weekdayLabel(t, schedule.weekday),
    time: hourLabel(t, schedule.hour),
  });
}

export function localeTag(locale: Locale): string {
  return locale === 'de' ? 'de-DE' : 'en-GB';
}
