// Query hooks and small helpers shared by the project pages.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, call } from '@/lib/api';
import { projectsApi } from './api';

export const projectKeys = {
  all: ['projects'] as const,
  detail: (id: string) => ['projects', 'detail', id] as const,
  part: (id: string, part: string) => ['projects', 'detail', id, part] as const,
};

// Shared with funding programmes and notification settings, so it lives in src/lib.
export { useTopics } from '@/lib/topics';

export function useProject(id: string) {
  return useQuery({ queryKey: projectKeys.detail(id), queryFn: () => projectsApi.get(id) });
}

export function useTowns() {
  return useQuery({
    queryKey: ['municipalities', 'all', null],
    queryFn: () => call(() => api.GET('/api/v1/municipalities', { params: { query: { limit: 100 } } })),
    placeholderData: keepPreviousData,
    staleTime: 10 * 60 * 1000,
  });
}

export { useDebounced } from '@/lib/useDebounced';

