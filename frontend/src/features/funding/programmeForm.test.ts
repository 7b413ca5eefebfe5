import { describe, expect, it } from 'vitest';
import { bpToPercentInput, changedBody, formFromProgramme, parsePercentToBp, reapplyEdits } from './programmeForm';
import type { Programme } from './types';

const programme = (patch: Partial<Programme> = {}): Programme => ({
  id: 'pr1',
  slug: 'digitale-kommune',
  name: 'Digitale Kommune',
  funder: 'Land NRW',
  administering_body: 'Bezirksregierung',
  level: 'Land',
  region: 'NRW',
  eligible_applicants: 'Kommunen',
  funding_type: 'Zuschuss',
  rate_bp: 6500,
  increased_rate_bp: null,
  increased_rate_condition: '',
  min_amount_cents: null,
  max_amount_cents: 50_000_000,
  max_amount_note: '',
  description: 'Alt',
  website: 'https://example.org',
  status: 'open',
  version: 3,
  calls: [],
  topics: ['t1'],
  ...patch,
});

describe('percent text ↔ basis points', () => {
  it('converts German percentages exactly', () => {
    expect(parsePercentToBp('65')).toBe(6500);
    expect(parsePercentToBp('62,5')).toBe(6250);
    expect(parsePercentToBp('62.5')).toBe(6250);
    expect(parsePercentToBp(' 12,34 % ')).toBe(1234);
    expect(parsePercentToBp('0,01')).toBe(1);
    expect(parsePercentToBp('57,35')).toBe(5735);
    expect(parsePercentToBp('100')).toBe(10_000);
    expect(parsePercentToBp('0')).toBe(0);
  });

  it('returns null for empty and NaN for invalid input', () => {
    expect(parsePercentToBp('')).toBeNull();
    expect(parsePercentToBp('  ')).toBeNull();
    for (const bad of ['abc', '62,555', '100,01', '101', '-5', '6,5,0', '1.000', ',5', '65,']) {
      expect(parsePercentToBp(bad), bad).toBeNaN();
    }
  });

  it('shows basis points as editor text and round-trips', () => {
    expect(bpToPercentInput(6500)).toBe('65');
    expect(bpToPercentInput(6250)).toBe('62,5');
    expect(bpToPercentInput(1234)).toBe('12,34');
    expect(bpToPercentInput(5)).toBe('0,05');
    expect(bpToPercentInput(null)).toBe('');
    for (let bp = 0; bp <= 10_000; bp += 7) expect(parsePercentToBp(bpToPercentInput(bp))).toBe(bp);
  });
});

describe('the PATCH body', () => {
  const base = formFromProgramme(programme());

  it('holds only the changed fields, converted', () => {
    const { body, problems } = changedBody(base, { ...base, rate: '62,5', max_amount: '600.000', status: 'closed', description: ' Neu ' });
    expect(problems).toEqual({});
    expect(body).toEqual({ rate_bp: 6250, max_amount_cents: 60_000_000, status: 'closed', description: 'Neu' });
  });

  it('treats the same value in another spelling as unchanged', () => {
    expect(changedBody(base, { ...base, rate: '65,00', max_amount: '500000' }).body).toEqual({});
  });

  it('reports invalid, incomplete and unremovable values instead of sending them', () => {
    const { body, problems } = changedBody(base, { ...base, rate: '', increased_rate: '70,123', min_amount: '12,345', name: 'AB', website: 'example.org' });
    expect(body).toEqual({});
    expect(problems).toEqual({ rate: 'cannotClear', increased_rate: 'rateInvalid', min_amount: 'amountInvalid', name: 'nameShort', website: 'websiteInvalid' });
    expect(changedBody(base, { ...base, website: '' }).problems).toEqual({ website: 'cannotClear' });
    expect(changedBody(base, { ...base, increased_rate_condition: 'x', max_amount_note: '' }).body).toEqual({ increased_rate_condition: 'x' });
  });

  it('sends the topics only when the choice changed, order aside', () => {
    expect(changedBody(base, { ...base, topics: ['t1'] }).body).toEqual({});
    expect(changedBody(base, { ...base, topics: ['t2', 't1', 't2'] }).body).toEqual({ topics: ['t2', 't1'] });
    expect(changedBody(base, { ...base, topics: [] }).body).toEqual({ topics: [] });
  });

  it('keeps the user topics after a 412 and reports a conflict only when both changed them', () => {
    const server = formFromProgramme(programme({ version: 4, topics: ['t3'] }));
    const mine = { ...base, topics: ['t1', 't2'] };
    expect(reapplyEdits(base, mine, server)).toEqual({ values: { ...server, topics: ['t1', 't2'] }, conflicts: ['topics'] });
    const untouched = reapplyEdits(base, { ...base, funder: 'Bund' }, server);
    expect(untouched.values.topics).toEqual(['t3']);
    expect(untouched.conflicts).toEqual([]);
  });

  it('puts the user edits on top of the server version after a 412', () => {
    const server = formFromProgramme(programme({ version: 4, name: 'Neuer Name', rate_bp: 7000, description: 'Fremd' }));
    const { values, conflicts } = reapplyEdits(base, { ...base, rate: '62,5', funder: 'Bund' }, server);
    expect(values).toMatchObject({ name: 'Neuer Name', rate: '62,5', funder: 'Bund', description: 'Fremd' });
    expect(conflicts).toEqual(['rate']);
  });
});
