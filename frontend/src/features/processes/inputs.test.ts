import { describe, expect, it } from 'vitest';
import { makeT } from '@/lib/i18n';
import { parseProfile, parseRankingInput } from './inputs';

const t = makeT('de');

describe('profile form', () => {
  const typed = {
    municipality_id: 'm-brakel',
    year: '2025',
    annual_cases: '1.200',
    minutes_per_case: '25',
    staff_fte: '1,5',
    online_share_percent: '',
  };

  it('builds the API body (FTE in hundredths, empty share = from the usage monitor)', () => {
    expect(parseProfile(t, typed)).toEqual({
      errors: {},
      year: 2025,
      body: { annual_cases: 1200, minutes_per_case: 25, staff_fte_hundredths: 150, online_share_percent: null },
    });
    expect(parseProfile(t, { ...typed, staff_fte: '', online_share_percent: '30' }).body).toEqual({
      annual_cases: 1200,
      minutes_per_case: 25,
      staff_fte_hundredths: 0,
      online_share_percent: 30,
    });
  });

  it('names every wrong field in German and sends nothing', () => {
    const out = parseProfile(t, { municipality_id: '', year: '1999', annual_cases: 'viele', minutes_per_case: '-1', staff_fte: '1,555', online_share_percent: '120' });
    expect(out.body).toBeNull();
    expect(out.errors).toEqual({
      municipality_id: 'Bitte füllen Sie dieses Feld aus.',
      year: 'Bitte ein Jahr zwischen 2000 und 2100 angeben.',
      annual_cases: 'Bitte eine ganze Zahl ab 0 angeben.',
      minutes_per_case: 'Bitte eine ganze Zahl ab 0 angeben.',
      staff_fte_hundredths: 'Bitte eine Zahl wie 1,5 angeben (höchstens zwei Nachkommastellen).',
      online_share_percent: 'Bitte eine ganze Zahl von 0 bis 100 angeben oder das Feld leer lassen.',
    });
  });
});

describe('ranking weights', () => {
  it('reads the three weights and an optional year', () => {
    expect(parseRankingInput(t, { weight_cases: '2', weight_minutes: '1,5', weight_offline: '0', year: '' })).toEqual({
      weights: { weight_cases: 2, weight_minutes: 1.5, weight_offline: 0 },
      year: null,
      errors: {},
    });
    expect(parseRankingInput(t, { weight_cases: '1', weight_minutes: '1', weight_offline: '1', year: '2025' }).year).toBe(2025);
  });

  it('refuses weights outside 0 to 3 with a German message and keeps the old ranking', () => {
    const out = parseRankingInput(t, { weight_cases: '4', weight_minutes: 'x', weight_offline: '1', year: '20' });
    expect(out.weights).toBeNull();
    expect(out.errors).toEqual({
      weight_cases: 'Bitte eine Zahl von 0 bis 3 angeben (z. B. 1,5).',
      weight_minutes: 'Bitte eine Zahl von 0 bis 3 angeben (z. B. 1,5).',
      year: 'Bitte ein Jahr zwischen 2000 und 2100 angeben.',
    });
  });
});
