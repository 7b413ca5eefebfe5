import { describe, expect, it } from 'vitest';
import { makeT } from '@/lib/i18n';
import { hourLabel, hours, kindLabel, kinds, modeLabel, scheduleSummary, weekdayLabel, weekdays } from './labels';

const de = makeT('de');
const en = makeT('en');

describe('notification labels', () => {
  it('shows hours 0–23 as "HH:00 Uhr" in German and "HH:00" in English', () => {
    expect(hours).toHaveLength(24);
    expect(hourLabel(de, 18)).toBe('18:00 Uhr');
    expect(hourLabel(de, 0)).toBe('00:00 Uhr');
    expect(hourLabel(de, 7)).toBe('07:00 Uhr');
    expect(hourLabel(en, 23)).toBe('23:00');
    expect(hours.map((h) => hourLabel(de, h))).toContain('09:00 Uhr');
  });

  it('names weekdays 1 = Montag … 7 = Sonntag', () => {
    expect(weekdays.map((d) => weekdayLabel(de, d))).toEqual([
      'Montag',
      'Dienstag',
      'Mittwoch',
      'Donnerstag',
      'Freitag',
      'Samstag',
      'Sonntag',
    ]);
    expect(weekdayLabel(en, 7)).toBe('Sunday');
  });

  it('has a German label for every kind and mode', () => {
    expect(kinds.map((k) => kindLabel(de, k))).toEqual([
      'Erwähnungen',
      'Zuweisungen',
      'Gefolgte Projekte',
      'Neue Projekte im Kreis',
      'Neue Projekte im Netzwerk',
      'EfA-Nachnutzungen',
      'Förderfristen',
      'Unterstützungsanfragen',
    ]);
    expect(modeLabel(de, 'immediate')).toBe('Sofort per E-Mail');
    expect(modeLabel(de, 'digest')).toBe('In der Zusammenfassung');
    expect(modeLabel(de, 'off')).toBe('Aus');
  });

  it('summarises the schedule', () => {
    expect(scheduleSummary(de, { frequency: 'daily', weekday: 1, hour: 18, enabled: true })).toBe('Täglich um 18:00 Uhr');
    expect(scheduleSummary(de, { frequency: 'weekly', weekday: 5, hour: 8, enabled: true })).toBe(
      'Jeden Freitag um 08:00 Uhr',
    );
    expect(scheduleSummary(de, { frequency: 'weekly', weekday: 5, hour: 8, enabled: false })).toBe(
      'Keine Zusammenfassung',
    );
  });
});
