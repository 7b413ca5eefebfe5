// The outbox filter (state and page) <-> the URL query string; "failed" is the default
// because that is the state an admin has to act on.
export const outboxStatuses = ['failed', 'pending', 'sent', 'unconfirmed'] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];

export const DEFAULT_STATUS: OutboxStatus = 'failed';

export interface OutboxFilters {
  status: OutboxStatus;
  page: number;
}

function isStatus(value: string | null): value is OutboxStatus {
  return value !== null && (outboxStatuses as readonly string[]).includes(value);
}

export function filtersFromSearch(params: URLSearchParams): OutboxFilters {
  const status = params.get('status');
  const page = Number(params.get('page'));
  return {
    status: isStatus(status) ? status : DEFAULT_STATUS,
    page: Number.isInteger(page) && page > 1 ? page : 1,
  };
}

export function filtersToSearch(f: OutboxFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (f.status !== DEFAULT_STATUS) params.set('status', f.status);
  if (f.page > 1) params.set('page', String(f.page));
  return params;
}
