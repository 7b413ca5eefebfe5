import { describe, expect, it } from 'vitest';
import { defaultFilters, filtersFromSearch, filtersToApiQuery, filtersToSearch } from './filters';

describe('project filters in the URL', () => {
  it('reads every filter from the query string', () => {
    const f = filtersFromSearch(
      new URLSearchParams('q=Termin&municipality_id=m1&status=in_progress&topic=t1&visibility=district&mine=true&sort=title&page=3'),
    );
    expect(f).toEqual({
      q: 'Termin',
      municipality_id: 'm1',
      status: 'in_progress',
      topic: 't1',
      visibility: 'district',
      mine: true,
      sort: 'title',
      page: 3,
    });
  });

  it('falls back to the defaults for missing or broken values', () => {
    expect(filtersFromSearch(new URLSearchParams(''))).toEqual(defaultFilters);
    const f = filtersFromSearch(new URLSearchParams('status=done&visibility=secret&sort=random&page=-2&mine=yes'));
    expect(f).toEqual(defaultFilters);
    expect(filtersFromSearch(new URLSearchParams('page=abc')).page).toBe(1);
  });

  it('writes only non-default values and round-trips', () => {
    expect(filtersToSearch(defaultFilters).toString()).toBe('');
    const f = { ...defaultFilters, q: 'Bürgerbüro', mine: true, sort: 'updated' as const, page: 2 };
    const search = filtersToSearch(f);
    expect(search.toString()).toBe('q=B%C3%BCrgerb%C3%BCro&mine=true&sort=updated&page=2');
    expect(filtersFromSearch(search)).toEqual(f);
  });

  it('builds the API query: relevance only with a search text', () => {
    expect(filtersToApiQuery(defaultFilters, { limit: 20 })).toEqual({ sort: 'updated', page: 1, limit: 20 });
    expect(filtersToApiQuery({ ...defaultFilters, q: 'Termin', status: 'live' })).toEqual({
      q: 'Termin',
      status: 'live',
      sort: 'relevance',
    });
  });
});
