import { describe, expect, it } from 'vitest';
import { makeT } from '@/lib/i18n';
import { adoptionLabel, adoptionLook, canReport, cellText, matrixRows, shortSolutionName } from './status';
import { adoptionStatuses, type AdoptionMatrix } from './types';

const t = makeT('de');

describe('adoption status labels', () => {
  it('names every status in German and gives each its own icon', () => {
    expect(adoptionStatuses.map((s) => adoptionLabel(t, s))).toEqual([
      'Interesse',
      'In Prüfung',
      'Vertragsabschluss',
      'In Einführung',
      'In Betrieb',
      'Abgelehnt',
    ]);
    const icons = new Set(adoptionStatuses.map((s) => adoptionLook[s].icon));
    expect(icons.size).toBe(adoptionStatuses.length);
    expect(adoptionLabel(makeT('en'), 'live')).toBe('Live');
  });

  it('gives the matrix the same words, breakable only at soft hyphens between the parts of a compound', () => {
    for (const locale of ['de', 'en'] as const) {
      const tl = makeT(locale);
      for (const s of adoptionStatuses) {
        const breakable = tl(adoptionLook[s].breakable);
        expect(breakable.replace(/\u00ad/g, ''), `${locale} ${s}`).toBe(tl(adoptionLook[s].label));
      }
    }
    // The longest German word may break ("Vertrags-/abschluss") so the column stays narrow.
    expect(t(adoptionLook.contracting.breakable)).toBe('Vertrags\u00adabschluss');
  });

  it('lets towns report once they roll out or run a solution', () => {
    expect(canReport('rolling_out')).toBe(true);
    expect(canReport('live')).toBe(true);
    expect(canReport('evaluating')).toBe(false);
    expect(canReport(undefined)).toBe(false);
  });
});

describe('matrix rows', () => {
  const matrix: AdoptionMatrix = {
    district_id: 'd1',
    towns: [
      { id: 'brakel', name: 'Brakel', active: 1, live: 1 },
      { id: 'nieheim', name: 'Nieheim', active: 0, live: 0 },
    ],
    solutions: [
      { id: 'ewa', name: 'eWA', active: 1, live: 1 },
      { id: 'wohngeld', name: 'Wohngeld', active: 0, live: 0 },
    ],
    cells: [{ municipality_id: 'brakel', solution_id: 'ewa', adoption_id: 'a1', status: 'live' }],
  };

  it('puts towns in rows and solutions in columns, empty where nothing is adopted', () => {
    const rows = matrixRows(matrix);
    expect(rows.map((r) => r.town.name)).toEqual(['Brakel', 'Nieheim']);
    expect(rows[0]?.cells.map((c) => cellText(t, c))).toEqual(['In Betrieb', '–']);
    expect(rows[1]?.cells.map((c) => cellText(t, c))).toEqual(['–', '–']);
  });
});

describe('short solution names for the matrix header', () => {
  it('drops a parenthesised long form and keeps names without one', () => {
    expect(shortSolutionName('Wohngeld (Online-Wohngeldantrag)')).toBe('Wohngeld');
    expect(shortSolutionName('Gewerbeanmeldung über Wirtschafts-Service-Portal.NRW')).toBe('Gewerbeanmeldung über Wirtschafts-Service-Portal.NRW');
    expect(shortSolutionName('(eWA) Wohnsitz')).toBe('(eWA) Wohnsitz');
  });
});
