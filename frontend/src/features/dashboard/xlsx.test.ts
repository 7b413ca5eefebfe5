import { readSheet } from 'read-excel-file/universal';
import { describe, expect, it } from 'vitest';
import { toXlsx } from './xlsx';

describe('chart XLSX', () => {
  it('keeps names as text (no formula, no guard) and counts as numbers', async () => {
    const blob = await toXlsx(
      ['Kommune', 'Projekte'],
      [
        ['=HYPERLINK("http://x")', 3],
        ['Brakel', 0],
        ['Höxter', null],
      ],
    );
    const rows = await readSheet(await blob.arrayBuffer());
    expect(rows[0]).toEqual(['Kommune', 'Projekte']);
    expect(rows[1]).toEqual(['=HYPERLINK("http://x")', 3]);
    expect(typeof rows[1]?.[1]).toBe('number');
    expect(rows[2]).toEqual(['Brakel', 0]);
    expect(rows[3]?.[0]).toBe('Höxter');
  });
});
