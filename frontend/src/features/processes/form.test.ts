import { describe, expect, it } from 'vitest';
import { makeT } from '@/lib/i18n';
import { filtersFromSearch, filtersToApiQuery, filtersToSearch } from './filters';
import { checkValues, fromProcess, normaliseList, toBody } from './form';

const t = makeT('de');

describe('process form', () => {
  it('starts a new entry for the own town, visible in the district', () => {
    const v = fromProcess(null, 'm-brakel');
    expect(v.owner_municipality_id).toBe('m-brakel');
    expect(v.visibility).toBe('district');
    expect(fromProcess(null, null).owner_municipality_id).toBe('');
  });

  it('builds the API body: trimmed texts, numbers, null for empty choices, a clean IT list', () => {
    const body = toBody({
      ...fromProcess(null, null),
      name: '  Hundesteuer anmelden ',
      leika_key: '9900 1001 0000 00',
      ozg_id: ' 123 ',
      themenfeld_id: '7',
      it_systems: 'SAP, Lämmkom ,, OK.FIS',
    });
    expect(body).toMatchObject({
      name: 'Hundesteuer anmelden',
      leika_key: '99001001000000',
      ozg_id: 123,
      themenfeld_id: 7,
      owner_municipality_id: null,
      efa_solution_id: null,
      it_systems: 'SAP, Lämmkom, OK.FIS',
    });
    expect(normaliseList(' , ')).toBe('');
    const update = toBody({ ...fromProcess(null, 'm-brakel'), name: 'x' }, true);
    expect('owner_municipality_id' in update).toBe(false);
    expect(toBody({ ...fromProcess(null, 'm-brakel'), name: 'x' }).owner_municipality_id).toBe('m-brakel');
  });

  it('checks the name, the LeiKa key and the OZG-ID before sending', () => {
    expect(checkValues(t, { ...fromProcess(null, null), name: 'x' })).toEqual({});
    expect(checkValues(t, { ...fromProcess(null, null), leika_key: '123', ozg_id: 'abc' })).toEqual({
      name: 'Bitte füllen Sie dieses Feld aus.',
      leika_key: 'Der LeiKa-Schlüssel hat 14 Ziffern.',
      ozg_id: 'Die OZG-ID ist eine Zahl.',
    });
  });
});

describe('list filters', () => {
  it('round-trips through the URL and leaves defaults out', () => {
    const f = { q: 'Hund', themenfeld: '3', town: 'm1', page: 2 };
    expect(filtersFromSearch(filtersToSearch(f))).toEqual(f);
    expect(filtersToSearch({ q: '', themenfeld: '', town: '', page: 1 }).toString()).toBe('');
    expect(filtersFromSearch(new URLSearchParams('seite=-4')).page).toBe(1);
  });

  it('sends only set filters to the API', () => {
    expect(filtersToApiQuery({ q: ' Hund ', themenfeld: '', town: '', page: 1 }, 20)).toEqual({ q: 'Hund', page: 1, limit: 20 });
    expect(filtersToApiQuery({ q: '', themenfeld: '3', town: 'm1', page: 3 }, 20)).toEqual({ themenfeld: 3, town: 'm1', page: 3, limit: 20 });
  });
});
