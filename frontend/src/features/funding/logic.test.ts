import { describe, expect, it } from 'vitest';
import { makeT } from '@/lib/i18n';
import { boardColumns, deadlineText, deadlinesByMonth, formatRate, programmeStatusLabel, shareSumText, sumShares, webcalUrl } from './logic';
import type { FundingCall } from './types';

const t = makeT('de');
const nb = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('share sums', () => {
  it('tells what is missing, too much or that it matches', () => {
    expect(nb(shareSumText(t, 'de', [150_000_000, 67_500_000, 75_000_000], 300_000_000))).toBe(
      'Summe der Anteile: 2.925.000,00 € – es fehlen 75.000,00 €',
    );
    expect(nb(shareSumText(t, 'de', [150_000_000, 80_000_000, 75_000_000], 300_000_000))).toBe(
      'Summe der Anteile: 3.050.000,00 € – 50.000,00 € zu viel',
    );
    expect(nb(shareSumText(t, 'de', [150_000_000, 75_000_000, 75_000_000], 300_000_000))).toBe(
      'Summe der Anteile: 3.000.000,00 € – entspricht den Gesamtkosten',
    );
  });

  it('ignores empty shares and flags invalid ones', () => {
    expect(sumShares([100, null, 1])).toBe(101);
    expect(sumShares([100, Number.NaN])).toBeNull();
    expect(shareSumText(t, 'de', [Number.NaN], 100)).toBe('Mindestens ein Anteil ist kein gültiger Betrag.');
    expect(nb(shareSumText(t, 'de', [5_000_000_000], null))).toBe('Summe der Anteile: 50.000.000,00 €');
  });
});

describe('board', () => {
  it('puts every application into the column of its status, in life-cycle order', () => {
    const columns = boardColumns([
      { status: 'submitted' as const, title: 'B' },
      { status: 'idea' as const, title: 'Z' },
      { status: 'idea' as const, title: 'Ä' },
      { status: 'withdrawn' as const, title: 'W' },
    ]);
    expect(columns.map((c) => c.status)).toEqual(['idea', 'preparing', 'submitted', 'approved', 'rejected', 'withdrawn']);
    expect(columns[0]?.items.map((a) => a.title)).toEqual(['Ä', 'Z']);
    expect(columns[1]?.items).toEqual([]);
    expect(columns[2]?.items.map((a) => a.title)).toEqual(['B']);
    expect(columns[5]?.items.map((a) => a.title)).toEqual(['W']);
  });
});

describe('deadlines and rates', () => {
  const call = (deadline_date: string, days_left: number, deadline_time: string | null = null): FundingCall => ({
    id: deadline_date,
    title: `Aufruf ${deadline_date}`,
    deadline_date,
    deadline_time,
    days_left,
  });

  it('shows the deadline with time and days left', () => {
    expect(deadlineText(t, 'de', call('2027-01-15', 21, '12:00:00'))).toBe('Frist 15.01.2027, 12:00 Uhr – noch 21 Tage');
    expect(deadlineText(t, 'de', call('2027-01-15', 1))).toBe('Frist 15.01.2027 – noch 1 Tag');
    expect(deadlineText(t, 'de', call('2027-01-15', 0))).toBe('Frist 15.01.2027 – heute');
  });

  it('formats basis points as a percentage', () => {
    expect(nb(formatRate(6500, 'de'))).toBe('65 %');
    expect(nb(formatRate(6550, 'de'))).toBe('65,5 %');
    expect(formatRate(null, 'de')).toBe('–');
  });

  it('groups upcoming deadlines by month and skips past ones', () => {
    const groups = deadlinesByMonth([
      { name: 'A', calls: [call('2027-02-01', 40), call('2026-01-01', -300)] },
      { name: 'B', calls: [call('2027-01-15', 21, '12:00:00'), call('2027-01-31', 37)] },
    ]);
    expect(groups.map((g) => g.month)).toEqual(['2027-01', '2027-02']);
    expect(groups[0]?.entries.map((e) => e.programme.name)).toEqual(['B', 'B']);
    expect(groups[1]?.entries.map((e) => e.call.deadline_date)).toEqual(['2027-02-01']);
  });

  it('offers a webcal:// variant of the feed address', () => {
    expect(webcalUrl('https://dn.example/api/v1/calendar/abc.ics')).toBe('webcal://dn.example/api/v1/calendar/abc.ics');
  });
});

describe('programme status', () => {
  it('reads the same on the programme page and in the editor', () => {
    expect(programmeStatusLabel(t, 'upcoming')).toBe('Angekündigt');
    expect(programmeStatusLabel(t, 'open')).toBe('Offen');
    expect(programmeStatusLabel(makeT('en'), 'upcoming')).toBe('Announced');
    expect(programmeStatusLabel(t, 'archived')).toBe('archived');
  });
});
