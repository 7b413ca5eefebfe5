import { describe, expect, it } from 'vitest';
import { changeTown, concernsTown } from './townScope';

// a1 led by Brakel; a2 led by Höxter with Brakel as partner; a3 Höxter alone.
const applications = [
  { id: 'a1', lead_municipality_id: 'brakel', shares: [{ municipality_id: 'brakel' }] },
  { id: 'a2', lead_municipality_id: 'hoexter', shares: [{ municipality_id: 'hoexter' }, { municipality_id: 'brakel' }] },
  { id: 'a3', lead_municipality_id: 'hoexter', shares: [] },
];

const values = { municipality_id: 'brakel', project_id: 'p-brakel', application_id: 'a2', title: 'Hilfe' };

describe('the town scope of a support request', () => {
  it('knows the applications the town leads or takes a share in, none without a town', () => {
    const of = (town: string) => applications.filter((a) => concernsTown(a, town)).map((a) => a.id);
    expect(of('brakel')).toEqual(['a1', 'a2']);
    expect(of('hoexter')).toEqual(['a2', 'a3']);
    expect(of('nieheim')).toEqual([]);
    expect(of('')).toEqual([]);
  });

  it('drops the project and an application that does not concern the new town', () => {
    expect(changeTown(values, 'hoexter', applications)).toEqual({ ...values, municipality_id: 'hoexter', project_id: '', application_id: 'a2' });
    expect(changeTown({ ...values, application_id: 'a1' }, 'hoexter', applications)).toEqual({
      ...values,
      municipality_id: 'hoexter',
      project_id: '',
      application_id: '',
    });
    expect(changeTown(values, '', applications)).toEqual({ ...values, municipality_id: '', project_id: '', application_id: '' });
    // An application the caller cannot see is dropped; while the list loads, the choice stays.
    expect(changeTown({ ...values, application_id: 'fremd' }, 'hoexter', applications).application_id).toBe('');
    expect(changeTown(values, 'hoexter', undefined).application_id).toBe('a2');
  });

  it('leaves the values alone when the town stays', () => {
    expect(changeTown(values, 'brakel', applications)).toBe(values);
  });
});
