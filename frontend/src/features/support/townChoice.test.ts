import { describe, expect, it } from 'vitest';
import { routes } from '@/lib/routes';
import { choosesTown, chosenTown, townFromSearch, townOptions } from './townChoice';

const towns = [
  { id: 't2', name: 'Zell' },
  { id: 't1', name: 'Aachen' },
  { id: 't3', name: 'Überlingen' },
];

describe('the town of a support request', () => {
  it('is asked only from users without an own town', () => {
    expect(choosesTown({ municipality: null })).toBe(true);
    expect(choosesTown({})).toBe(true);
    expect(choosesTown({ municipality: { id: 't1', ags: '01001000', kind: 'city', name: 'Aachen' } })).toBe(false);
  });

  it('is preselected from ?kommune=', () => {
    expect(townFromSearch(new URLSearchParams('kommune=t1'))).toBe('t1');
    expect(townFromSearch(new URLSearchParams('antrag=a1&kommune=%20t1%20'))).toBe('t1');
    expect(townFromSearch(new URLSearchParams('antrag=a1'))).toBe('');
    expect(townFromSearch(new URLSearchParams('kommune='))).toBe('');
  });

  it('travels in the link from a funding application', () => {
    const search = (path: string) => new URL(path, 'https://example.org').searchParams;
    expect(townFromSearch(search(routes.newSupportRequestFor('a1', 't 1')))).toBe('t 1');
    expect(search(routes.newSupportRequestFor('a1', 't1')).get('antrag')).toBe('a1');
    expect(routes.newSupportRequestFor('a1')).toBe('/unterstuetzung/neu?antrag=a1');
  });

  it('is chosen from options sorted by name', () => {
    expect(townOptions(towns, 'de')).toEqual([
      { value: 't1', label: 'Aachen' },
      { value: 't3', label: 'Überlingen' },
      { value: 't2', label: 'Zell' },
    ]);
    expect(towns.map((t) => t.id)).toEqual(['t2', 't1', 't3']);
  });

  it('keeps the preselection while loading and drops a town that cannot be chosen', () => {
    expect(chosenTown('t1', undefined)).toBe('t1');
    expect(chosenTown('t1', towns)).toBe('t1');
    expect(chosenTown('elsewhere', towns)).toBe('');
    expect(chosenTown('', towns)).toBe('');
    expect(chosenTown('t1', [])).toBe('');
  });
});
