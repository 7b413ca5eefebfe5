import type { ProcessListQuery } from './api';

// The register's list filters, kept in the URL (?q=&themenfeld=&kommune=&seite=).
export interface ProcessFilters {
  q: string;
  themenfeld: string;
  town: string;
  page: number;
}

export function filtersFromSearch(params: URLSearchParams): ProcessFilters {
  const page = Number(params.get('seite') ?? '1');
  return {
    q: params.get('q') ?? '',
    themenfeld: params.get('themenfeld') ?? '',
    town: params.get('kommune') ?? '',
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

export function filtersToSearch(f: ProcessFilters): URLSearchParams {
  const p = new URLSearchParams();
  if (f.q) p.set('q', f.q);
  if (f.themenfeld) p.set('themenfeld', f.themenfeld);
  if (f.town) p.set('kommune', f.town);
  if (f.page > 1) p.set('seite', String(f.page));
  return p;
}


export function filtersToApiQuery(f: ProcessFilters, limit: number): ProcessListQuery {
  const themenfeld = Number(f.themenfeld);
  return {
    ...(f.q.trim() ? { q: f.q.trim() } : {}),
    ...(f.themenfeld && Number.isInteger(themenfeld) ? { themenfeld } : {}),
    ...(f.town ? { town: f.town } : {}),
    page: f.page,
    limit,
  };
}
