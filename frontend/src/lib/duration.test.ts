import { describe, expect, it } from 'vitest';
import { makeT } from '@/lib/i18n';
import { formatMinutes } from './duration';

const de = makeT('de');

describe('durations in words', () => {
  it('writes hours and minutes the German way', () => {
    expect(formatMinutes(de, 125)).toBe('2 Std. 5 Min.');
    expect(formatMinutes(de, 45)).toBe('45 Min.');
    expect(formatMinutes(de, 60)).toBe('1 Std.');
    expect(formatMinutes(de, 0)).toBe('weniger als 1 Min.');
  });

  it('counts days and drops the minutes then', () => {
    expect(formatMinutes(de, 1440 + 185)).toBe('1 Tag 3 Std.');
    expect(formatMinutes(de, 3 * 1440)).toBe('3 Tage');
    expect(formatMinutes(makeT('en'), 125)).toBe('2 h 5 min');
  });

  it('shows the sentence on a request', () => {
    expect(de('support.responseAfter', { duration: formatMinutes(de, 125) })).toBe('Erste Antwort nach 2 Std. 5 Min.');
  });
});
