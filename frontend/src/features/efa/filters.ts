// The solutions list's filters <-> the URL query string <-> the API query.
import type { SolutionQuery } from './api';
import { solutionStatuses, type SolutionStatus } from './types';

export interface SolutionFilters {
  q: string;
  themenfeld_id: string;
  status: SolutionStatus | '';
  lead_state: string;
  page: number;
}

export function filtersFromSearch(params: URLSearchParams): SolutionFilters {
  const page = Number(params.get('page'));
  const status = params.get('status') ?? '';
  return {
    q: params.get('q')?.trim() ?? '',
    themenfeld_id: /^\d+$/.test(params.get('themenfeld_id') ?? '') ? (params.get('themenfeld_id') ?? '') : '',
    status: (solutionStatuses as string[]).includes(status) ? (status as SolutionStatus) : '',
    lead_state: params.get('lead_state') ?? '',
    page: Number.isInteger(page) && page > 1 ? page : 1,
  };
}

export function filtersToSearch(f: SolutionFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (f.q) params.set('q', f.q);
  if (f.themenfeld_id) params.set('themenfeld_id', f.themenfeld_id);
  if (f.status) params.set('status', f.status);
  if (f.lead_state) params.set('lead_state', f.lead_state);
  if (f.page > 1) params.set('page', String(f.page));
  return params;
}

export function filtersToApiQuery(f: SolutionFilters, limit: number): SolutionQuery {
  const query: SolutionQuery = { page: f.page, limit };
  if (f.q) query.q = f.q;
  if (f.themenfeld_id) query.themenfeld_id = Number(f.themenfeld_id);
  if (f.status) query.status = f.status;
  if (f.lead_state) query.lead_state = f.lead_state;
  return query;
}
