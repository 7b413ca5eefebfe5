import { describe, expect, it } from 'vitest';
import { previousMonth, toEntries } from './grid';

describe('manual-entry grid', () => {
  it('sends only filled cells, as whole numbers, and remembers the input of each entry', () => {
    const rows = [{ leika_key: 'A' }, { leika_key: 'B' }];
    const result = toEntries(rows, { A: { paper: '12', counter: '', email: ' 0 ' }, B: { phone: '3' } });
    expect(result.entries).toEqual([
      { leika_key: 'A', channel: 'paper', count: 12 },
      { leika_key: 'A', channel: 'email', count: 0 },
      { leika_key: 'B', channel: 'phone', count: 3 },
    ]);
    expect(result.cells).toEqual(['manual-A-paper', 'manual-A-email', 'manual-B-phone']);
    expect(result.invalid).toEqual([]);
  });

  it('refuses negative, decimal and other text before sending', () => {
    const result = toEntries([{ leika_key: 'A' }], { A: { paper: '-1', counter: '2,5', email: 'zwölf' } });
    expect(result.entries).toEqual([]);
    expect(result.invalid).toEqual(['manual-A-paper', 'manual-A-counter', 'manual-A-email']);
  });

  it('offers the previous month, across the turn of the year', () => {
    expect(previousMonth(new Date(Date.UTC(2026, 0, 15)))).toBe('2025-12');
    expect(previousMonth(new Date(Date.UTC(2026, 11, 2)))).toBe('2026-11');
  });
});
