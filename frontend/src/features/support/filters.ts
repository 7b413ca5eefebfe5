// The queue's filters <-> the URL query string <-> the API query.
import type { RequestQuery } from './api';
import { categories, supportStatuses, type Category, type SupportStatus } from './types';

export interface QueueFilters {
  status: SupportStatus | '';
  category: Category | '';
  municipality_id: string;
  assignee_id: string;
  overdue: boolean;
  page: number;
}

function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | '' {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : '';
}

export function filtersFromSearch(params: URLSearchParams): QueueFilters {
  const page = Number(params.get('page'));
  return {
    status: oneOf(params.get('status'), supportStatuses),
    category: oneOf(params.get('category'), categories),
    municipality_id: params.get('municipality_id') ?? '',
    assignee_id: params.get('assignee_id') ?? '',
    overdue: params.get('overdue') === 'true',
    page: Number.isInteger(page) && page > 1 ? page : 1,
  };
}

export function filtersToSearch(f: QueueFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (f.status) params.set('status', f.status);
  if (f.category) params.set('category', f.category);
  if (f.municipality_id) params.set('municipality_id', f.municipality_id);
  if (f.assignee_id) params.set('assignee_id', f.assignee_id);
  if (f.overdue) params.set('overdue', 'true');
  if (f.page > 1) params.set('page', String(f.page));
  return params;
}

export function filtersToApiQuery(f: QueueFilters, limit: number): RequestQuery {
  const query: RequestQuery = { page: f.page, limit };
  if (f.status) query.status = f.status;
  if (f.category) query.category = f.category;
  if (f.municipality_id) query.municipality_id = f.municipality_id;
  if (f.assignee_id) query.assignee_id = f.assignee_id;
  if (f.overdue) query.overdue = true;
  return query;
}
