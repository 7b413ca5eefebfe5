import { describe, expect, it } from 'vitest';
import { centsToEuroInput, centsToSpreadsheetEuro, formatEuro, formatEuroCompact, parseEuroToCents } from './money';

describe('euro amounts', () => {
  it('parses German input into integer cents', () => {
    expect(parseEuroToCents('1.234,56')).toBe(123456);
    expect(parseEuroToCents('1234,5')).toBe(123450);
    expect(parseEuroToCents('1234')).toBe(123400);
    expect(parseEuroToCents('1.000.000')).toBe(100000000);
    expect(parseEuroToCents(' 12 500,00 € ')).toBe(1250000);
    expect(parseEuroToCents('0,01')).toBe(1);
    expect(parseEuroToCents('1234.56')).toBe(123456);
  });

  it('parses large funding amounts exactly', () => {
    expect(parseEuroToCents('50.000.000,00')).toBe(5_000_000_000);
    expect(parseEuroToCents('2.925.000,00')).toBe(292_500_000);
    expect(parseEuroToCents('999.999.999,99')).toBe(99_999_999_999);
    expect(centsToEuroInput(5_000_000_000)).toBe('50.000.000,00');
  });

  it('never produces floating point cents', () => {
    expect(parseEuroToCents('0,29')).toBe(29);
    expect(parseEuroToCents('1.234,57')).toBe(123457);
    expect(Number.isInteger(parseEuroToCents('19.999,99'))).toBe(true);
  });

  it('treats empty as no budget and rejects nonsense', () => {
    expect(parseEuroToCents('')).toBeNull();
    expect(parseEuroToCents('   ')).toBeNull();
    expect(parseEuroToCents('abc')).toBeNaN();
    expect(parseEuroToCents('1,234,56')).toBeNaN();
    expect(parseEuroToCents('12,345')).toBeNaN();
    expect(parseEuroToCents('-5')).toBeNaN();
    expect(parseEuroToCents('1.23.4')).toBeNaN();
  });

  it('formats cents back for the input and for display', () => {
    expect(centsToEuroInput(123456)).toBe('1.234,56');
    expect(centsToEuroInput(null)).toBe('');
    expect(parseEuroToCents(centsToEuroInput(9876543))).toBe(9876543);
    expect(formatEuro(123456).replace(/\s/g, ' ')).toBe('1.234,56 €');
    expect(formatEuro(null)).toBe('–');
  });

  it('writes spreadsheet cells with a decimal comma and no grouping', () => {
    expect(centsToSpreadsheetEuro(123_456_789)).toBe('1234567,89');
    expect(centsToSpreadsheetEuro(5)).toBe('0,05');
    expect(centsToSpreadsheetEuro(0)).toBe('0,00');
    expect(centsToSpreadsheetEuro(-1_050)).toBe('-10,50');
  });

  it('shortens amounts for chart axes', () => {
    expect(formatEuroCompact(120_000_000, 'de').replace(/[\u00a0\u202f]/g, ' ')).toBe('1,2 Mio. €');
    expect(formatEuroCompact(120_000_000, 'en')).toMatch(/^€1\.2m$/i);
    // One axis, one style: four digits are grouped like five ("4.500 €" beside "13.500 €").
    const axis = [450_000, 1_350_000].map((c) => formatEuroCompact(c, 'de').replace(/[\u00a0\u202f]/g, ' '));
    expect(axis).toEqual(['4.500 €', '13.500 €']);
  });
});
