// Pure helpers of the funding pages: share sums, board columns, deadlines and rates.
import type { Locale, TFunction } from '@/lib/i18n';
import { formatEuro } from '@/lib/money';
import { applicationStatuses, type Application, type ApplicationStatus, type FundingCall, type ProgrammeStatus } from './types';

/** The sum of the parsed shares; null when one of them is not a valid amount. */
export function sumShares(shares: (number | null)[]): number | null {
  let sum = 0;
  for (const s of shares) {
    if (s === null) continue;
    if (Number.isNaN(s)) return null;
    sum += s;
  }
  return sum;
}

/** "Summe der Anteile: 2.925.000,00 € – es fehlen 75.000,00 €" (or too much, or it matches). */
export function shareSumText(t: TFunction, locale: Locale, shares: (number | null)[], total: number | null): string {
  const sum = sumShares(shares);
  if (sum === null) return t('funding.shares.invalid');
  const text = t('funding.shares.sum', { sum: formatEuro(sum, locale) });
  if (total === null || Number.isNaN(total)) return text;
  if (sum < total) return `${text} – ${t('funding.shares.missing', { amount: formatEuro(total - sum, locale) })}`;
  if (sum > total) return `${text} – ${t('funding.shares.tooMuch', { amount: formatEuro(sum - total, locale) })}`;
  return `${text} – ${t('funding.shares.matches')}`;
}

const programmeStatusKeys: readonly string[] = ['upcoming', 'open', 'closed'] satisfies ProgrammeStatus[];

/** A programme's status in words, the same on every page; an unknown status is shown as it came. */
export function programmeStatusLabel(t: TFunction, status: string): string {
  return programmeStatusKeys.includes(status) ? t(`funding.programmeStatus.${status as ProgrammeStatus}`) : status;
}

/** The board: one column per status, in life-cycle order, each sorted by title. */
export function boardColumns<T extends Pick<Application, 'status' | 'title'>>(items: T[]): { status: ApplicationStatus; items: T[] }[] {
  return applicationStatuses.map((status) => ({
    status,
    items: items.filter((a) => a.status === status).sort((a, b) => a.title.localeCompare(b.title, 'de')),
  }));
}

const tag = (locale: Locale) => (locale === 'de' ? 'de-DE' : 'en-GB');

/** A calendar date ("2027-01-15") as "15.01.2027". */
export function formatDate(value: string, locale: Locale): string {
  const date = new Date(`${value}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(tag(locale), { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }).format(date);
}

/** "Januar 2027" for a date. */
export function formatMonth(value: string, locale: Locale): string {
  const date = new Date(`${value}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(tag(locale), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
}

/** "Frist 15.01.2027, 12:00 Uhr – noch 21 Tage". */
export function deadlineText(t: TFunction, locale: Locale, call: Pick<FundingCall, 'deadline_date' | 'deadline_time' | 'days_left'>): string {
  const date = formatDate(call.deadline_date, locale);
  const when = call.deadline_time
    ? t('funding.deadline.withTime', { date, time: call.deadline_time.slice(0, 5) })
    : t('funding.deadline.date', { date });
  return `${when} – ${daysLeftText(t, call.days_left)}`;
}

export function daysLeftText(t: TFunction, days: number): string {
  if (days < 0) return t('funding.deadline.passed');
  if (days === 0) return t('funding.deadline.today');
  if (days === 1) return t('funding.deadline.daysLeft.one');
  return t('funding.deadline.daysLeft', { days });
}

/** The next call whose deadline has not passed. */
export function nextCall<C extends Pick<FundingCall, 'deadline_date' | 'days_left'>>(calls: C[]): C | undefined {
  return calls.filter((c) => c.days_left >= 0).sort((a, b) => a.deadline_date.localeCompare(b.deadline_date))[0];
}

/** Basis points as a rate: 6500 → "65 %", 6550 → "65,5 %". */
export function formatRate(bp: number | null | undefined, locale: Locale): string {
  if (bp === null || bp === undefined) return '–';
  const number = new Intl.NumberFormat(tag(locale), { maximumFractionDigits: 2 }).format(bp / 100);
  return `${number}\u00a0%`;
}

/** Upcoming deadlines of all programmes, grouped by month ("2027-01"), soonest first. */
export function deadlinesByMonth<P extends { calls: FundingCall[] }>(programmes: P[]): { month: string; entries: { programme: P; call: FundingCall }[] }[] {
  const entries = programmes
    .flatMap((programme) => programme.calls.filter((c) => c.days_left >= 0).map((call) => ({ programme, call })))
    .sort((a, b) => `${a.call.deadline_date}${a.call.deadline_time ?? ''}`.localeCompare(`${b.call.deadline_date}${b.call.deadline_time ?? ''}`));
  const groups: { month: string; entries: { programme: P; call: FundingCall }[] }[] = [];
  for (const e of entries) {
    const month = e.call.deadline_date.slice(0, 7);
    const last = groups.at(-1);
    if (last?.month === month) last.entries.push(e);
    else groups.push({ month, entries: [e] });
  }
  return groups;
}

/** The ICS address for calendar programs that subscribe via webcal://. */
export function webcalUrl(url: string): string {
  return url.replace(/^https?:\/\//, 'webcal://');
}
