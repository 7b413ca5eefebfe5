import { describe, expect, it } from 'vitest';
import { makeT } from '@/lib/i18n';
import { landOf, programmeFit, programmeLaender, programmeOptions } from './programmeChoice';
import type { Programme } from './types';

const t = makeT('de');

function programme(id: string, name: string, level: string, region: string, funder: string, status = 'open'): Programme {
  return {
    id,
    slug: id,
    name,
    level,
    region,
    funder,
    status,
    administering_body: '',
    description: '',
    eligible_applicants: '',
    funding_type: '',
    increased_rate_bp: null,
    increased_rate_condition: '',
    max_amount_cents: null,
    max_amount_note: '',
    min_amount_cents: null,
    rate_bp: null,
    topics: [],
    calls: [],
    version: 1,
    website: null,
  };
}

// The reference programmes' level, region and funder as they come from the import.
const mpsc = programme('mpsc', 'Modellprojekte Smart Cities', 'Bund', 'bundesweit', 'Bundesministerium für Wohnen');
const pakt = programme('pakt', 'DigitalPakt Schule 2019–2024', 'Bund/Land', 'bundesweit; NRW-Anteil 1,054 Mrd. EUR', 'Bund', 'closed');
const efre = programme('efre', 'EFRE/JTF-Programm NRW 2021–2027', 'EU/Land', 'EFRE: ganz NRW; JTF nur Rheinisches Revier', 'Europäische Union');
const bayern = programme('by', 'Förderrichtlinie digitales Rathaus', 'Land', 'Bayern', 'Freistaat Bayern – Bayerisches Staatsministerium für Digitales');
const leader = programme('leader', 'LEADER – LAG Kulturland Kreis Höxter', 'EU/Land (ELER/LEADER)', 'Kreis Höxter', 'EU (LEADER) über Land NRW');

describe('programmes that fit a district', () => {
  it('reads the Land from the district key and from the region or funder', () => {
    expect(landOf('05762')).toBe('05');
    expect(landOf('')).toBeNull();
    expect(landOf(undefined)).toBeNull();
    expect(programmeLaender(bayern)).toEqual(['09']);
    expect(programmeLaender(efre)).toEqual(['05']);
    expect(programmeLaender(leader)).toEqual(['05']);
    expect(programmeLaender(mpsc)).toEqual([]);
    expect(programmeLaender(pakt)).toEqual([]);
    expect(programmeLaender(programme('x', 'x', 'Land', 'Niedersachsen', ''))).toEqual(['03']);
    expect(programmeLaender(programme('x', 'x', 'Land', 'Sachsen-Anhalt', ''))).toEqual(['15']);
  });

  it('marks other Länder and expired programmes for an NRW district', () => {
    expect(programmeFit(bayern, '05')).toEqual({ otherLand: 'Bayern', expired: false });
    expect(programmeFit(pakt, '05')).toEqual({ otherLand: null, expired: true });
    expect(programmeFit(efre, '05')).toEqual({ otherLand: null, expired: false });
    // Without an own Land (an operator without district) nothing is "another Land".
    expect(programmeFit(bayern, null).otherLand).toBeNull();
  });

  it('lists the fitting programmes first and the marked ones after them', () => {
    const options = programmeOptions(t, [pakt, bayern, mpsc, efre, leader], '05');
    expect(options.map((o) => o.label)).toEqual([
      'Modellprojekte Smart Cities',
      'EFRE/JTF-Programm NRW 2021–2027',
      'LEADER – LAG Kulturland Kreis Höxter',
      'Förderrichtlinie digitales Rathaus (anderes Land: Bayern)',
      'DigitalPakt Schule 2019–2024 (abgelaufen)',
    ]);
    expect(programmeOptions(makeT('en'), [bayern], '05')[0]?.label).toBe('Förderrichtlinie digitales Rathaus (other state: Bayern)');
  });
});
