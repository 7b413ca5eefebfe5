import { describe, expect, it } from 'vitest';
import { makeT } from '@/lib/i18n';
import { fundingRows, fundingSummary } from './funding';

const town = (name: string, requested_cents: number, approved_cents: number) => ({ municipality_id: name.toLowerCase(), name, requested_cents, approved_cents });
const nb = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('funding per town', () => {
  it('keeps towns with funding, largest request first, then approval and name', () => {
    const rows = fundingRows([
      town('Brakel', 50_000_00, 0),
      town('Höxter', 0, 0),
      town('Beverungen', 120_000_00, 80_000_00),
      town('Willebadessen', 50_000_00, 0),
      town('Bad Driburg', 50_000_00, 10_000_00),
      town('Nieheim', 0, 5_000_00),
    ]);
    expect(rows.map((r) => r.label)).toEqual(['Beverungen', 'Bad Driburg', 'Brakel', 'Willebadessen', 'Nieheim']);
    expect(rows[0]).toEqual({ label: 'Beverungen', values: { requested: 12_000_000, approved: 8_000_000 } });
  });

  it('has no rows when there are no applications', () => {
    expect(fundingRows([])).toEqual([]);
    expect(fundingRows([town('Höxter', 0, 0)])).toEqual([]);
  });

  it('sums the amounts in words', () => {
    const rows = fundingRows([town('Brakel', 1_234_567_89, 0), town('Beverungen', 100_00, 50_00)]);
    expect(nb(fundingSummary(makeT('de'), 'de', rows))).toBe('Beantragt: 1.234.667,89 €, bewilligt: 50,00 € (Kommunen mit Anträgen: 2).');
    expect(nb(fundingSummary(makeT('en'), 'en', rows))).toBe('Requested: €1,234,667.89, approved: €50.00 (towns with applications: 2).');
  });
});
