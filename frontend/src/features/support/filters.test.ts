import { describe, expect, it } from 'vitest';
import { filtersFromSearch, filtersToApiQuery, filtersToSearch } from './filters';

describe('support queue filters', () => {
  it('round-trips through the URL and ignores broken values', () => {
    const f = filtersFromSearch(new URLSearchParams('status=open&category=funding_application&overdue=true&page=2&assignee_id=u1'));
    expect(f).toEqual({ status: 'open', category: 'funding_application', municipality_id: '', assignee_id: 'u1', overdue: true, page: 2 });
    expect(filtersToSearch(f).toString()).toBe('status=open&category=funding_application&assignee_id=u1&overdue=true&page=2');
    expect(filtersFromSearch(new URLSearchParams('status=kaputt&page=-1')).status).toBe('');
    expect(filtersToApiQuery(f, 20)).toEqual({ page: 2, limit: 20, status: 'open', category: 'funding_application', assignee_id: 'u1', overdue: true });
  });
});
