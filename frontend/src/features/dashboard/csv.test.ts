import { describe, expect, it } from 'vitest';
import { toCsv } from './csv';

describe('chart CSV', () => {
  it('starts with a BOM, separates with semicolons and quotes where needed', () => {
    const csv = toCsv(['Kommune', 'Projekte'], [['Brakel', 3], ['Bad Driburg; Stadt', 2], ['Sag "Hallo"', null]]);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.slice(1)).toBe('Kommune;Projekte\r\nBrakel;3\r\n"Bad Driburg; Stadt";2\r\n"Sag ""Hallo""";\r\n');
  });
  it('guards text that a spreadsheet would run as a formula, but not numbers', () => {
    const csv = toCsv(['Kommune', 'Saldo'], [['=HYPERLINK("http://x")', -3], ['@SUMME', 1], ['Brakel', 0]]);
    expect(csv.slice(1)).toBe(`Kommune;Saldo\r\n"'=HYPERLINK(""http://x"")";-3\r\n'@SUMME;1\r\nBrakel;0\r\n`);
  });
});
