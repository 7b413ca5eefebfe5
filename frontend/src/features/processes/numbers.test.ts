import { describe, expect, it } from 'vitest';
import { formatFte, fteInput, parseCount, parseDecimal, parseFte, parsePercent, parseWeight } from './numbers';

describe('number inputs', () => {
  it('reads decimals with a German comma or a dot', () => {
    expect(parseDecimal('1,5')).toBe(1.5);
    expect(parseDecimal(' 2.25 ')).toBe(2.25);
    expect(parseDecimal('1,2,3')).toBeNull();
    expect(parseDecimal('')).toBeNull();
    expect(parseDecimal('abc')).toBeNull();
  });

  it('reads whole counts, with German thousands dots', () => {
    expect(parseCount('1200')).toBe(1200);
    expect(parseCount('1.200')).toBe(1200);
    expect(parseCount('12.000.000')).toBe(12_000_000);
    expect(parseCount('1.2')).toBeNull();
    expect(parseCount('-3')).toBeNull();
    expect(parseCount('1,5')).toBeNull();
  });

  it('accepts ranking weights from 0 to 3 with at most two decimals', () => {
    expect(parseWeight('1')).toBe(1);
    expect(parseWeight('0')).toBe(0);
    expect(parseWeight('1,5')).toBe(1.5);
    expect(parseWeight('3')).toBe(3);
    expect(parseWeight('0,25')).toBe(0.25);
    expect(parseWeight('3,01')).toBeNull();
    expect(parseWeight('-1')).toBeNull();
    expect(parseWeight('1,234')).toBeNull();
    expect(parseWeight('')).toBeNull();
  });

  it('turns full-time equivalents into hundredths and back', () => {
    expect(parseFte('1,5')).toBe(150);
    expect(parseFte('0.75')).toBe(75);
    expect(parseFte('2')).toBe(200);
    expect(parseFte('1,555')).toBeNull();
    expect(parseFte('-1')).toBeNull();
    expect(formatFte(150, 'de')).toBe('1,5');
    expect(formatFte(150, 'en')).toBe('1.5');
    expect(fteInput(75)).toBe('0,75');
  });

  it('reads an online share as a whole percentage, empty as "not entered"', () => {
    expect(parsePercent('')).toBeNull();
    expect(parsePercent('40')).toBe(40);
    expect(parsePercent('100')).toBe(100);
    expect(parsePercent('101')).toBe('invalid');
    expect(parsePercent('12,5')).toBe('invalid');
  });
});
