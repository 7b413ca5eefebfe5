// The list's filter state <-> the URL query string <-> the API query.
import type { paths } from '@/lib/api/schema';
import { statuses, visibilities, type ProjectStatus, type Visibility } from './types';

/** The query of GET /projects (export.csv takes the same). */
export type ProjectApiQuery = NonNullable<paths['/api/v1/projects']['get']['parameters']['query']>;
export type ProjectSort = NonNullable<ProjectApiQuery['sort']>;
export const sorts: ProjectSort[] = ['relevance', 'updated', 'title'];

export interface ProjectFilters {
  q: string;
  municipality_id: string;
  status: ProjectStatus | '';
  topic: string;
  visibility: Visibility | '';
  mine: boolean;
  sort: ProjectSort;
  page: number;
}

export const defaultFilters: ProjectFilters = {
  q: '',
  municipality_id: '',
  status: '',
  topic: '',
  visibility: '',
  mine: false,
  sort: 'relevance',
  page: 1,
};

function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | '' {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : '';
}

/** Reads the filters from `?q=…&status=…`; unknown or broken values fall back to the defaults. */
export function filtersFromSearch(params: URLSearchParams): ProjectFilters {
  const page = Number(params.get('page'));
  return {
    q: params.get('q')?.trim() ?? '',
    municipality_id: params.get('municipality_id') ?? '',
    status: oneOf(params.get('status'), statuses),
    topic: params.get('topic') ?? '',
    visibility: oneOf(params.get('visibility'), visibilities),
    mine: params.get('mine') === 'true',
    sort: oneOf(params.get('sort'), sorts) || 'relevance',
    page: Number.isInteger(page) && page > 1 ? page : 1,
  };
}

/** Writes only what differs from the defaults, in a stable order. */
export function filtersToSearch(filters: ProjectFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.q.trim()) params.set('q', filters.q.trim());
  if (filters.municipality_id) params.set('municipality_id', filters.municipality_id);
  if (filters.status) params.set('status', filters.status);
  if (filters.topic) params.set('topic', filters.topic);
  if (filters.visibility) params.set('visibility', filters.visibility);
  if (filters.mine) params.set('mine', 'true');
  if (filters.sort !== 'relevance') params.set('sort', filters.sort);
  if (filters.page > 1) params.set('page', String(filters.page));
  return params;
}

/** The query for GET /projects (and export.csv, without paging). */
export function filtersToApiQuery(filters: ProjectFilters, paging?: { limit: number }): ProjectApiQuery {
  const query: ProjectApiQuery = {};
  if (filters.q) query.q = filters.q;
  if (filters.municipality_id) query.municipality_id = filters.municipality_id;
  if (filters.status) query.status = filters.status;
  if (filters.topic) query.topic = filters.topic;
  if (filters.visibility) query.visibility = filters.visibility;
  if (filters.mine) query.mine = true;
  // Without a search text there is nothing to rank by: newest changes first.
  query.sort = filters.sort === 'relevance' && !filters.q ? 'updated' : filters.sort;
  if (paging) {
    query.page = filters.page;
    query.limit = paging.limit;
  }
  return query;
}
