// Response and resolution times in words, e.g. "2 Std. 5 Min." or "1 Tag 3 Std.".
import type { TFunction } from '@/lib/i18n';

export function formatMinutes(t: TFunction, minutes: number): string {
  const total = Math.max(0, Math.round(minutes));
  if (total < 1) return t('support.duration.lessThanMinute');
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const mins = total % 60;
  const parts: string[] = [];
  if (days) parts.push(t(days === 1 ? 'support.duration.day' : 'support.duration.days', { n: days }));
  if (hours) parts.push(t('support.duration.hours', { n: hours }));
  // Minutes matter only while the time is under a day.
  if (mins && !days) parts.push(t('support.duration.minutes', { n: mins }));
  return parts.join(' ');
}
