// Query keys and hooks shared by the process register's pages.
import { useQuery } from '@tanstack/react-query';
import { api, call } from '@/lib/api';
import { processesApi } from './api';

export const processKeys = {
  all: ['processes'] as const,
  list: (search: string) => ['processes', 'list', search] as const,
  process: (id: string) => ['processes', 'process', id] as const,
  part: (id: string, part: string, ...rest: (string | number)[]) => ['processes', 'process', id, part, ...rest] as const,
};

export function useProcess(id: string) {
  return useQuery({ queryKey: processKeys.process(id), queryFn: () => processesApi.get(id) });
}

export function useModels(id: string) {
  return useQuery({ queryKey: processKeys.part(id, 'models'), queryFn: () => processesApi.models(id) });
}

export function useThemenfelder() {
  return useQuery({
    queryKey: ['ozg', 'themenfelder'],
    queryFn: () => call(() => api.GET('/api/v1/ozg/themenfelder')),
    staleTime: 60 * 60 * 1000,
  });
}

/** The towns of the viewer's district (every district for an operator without one). */
export function useTowns(districtId?: string) {
  return useQuery({
    queryKey: ['municipalities', 'all', districtId ?? null],
    queryFn: () =>
      call(() => api.GET('/api/v1/municipalities', { params: { query: { limit: 100, ...(districtId ? { district_id: districtId } : {}) } } })),
    staleTime: 10 * 60 * 1000,
  });
}

export function useEfaSolutions() {
  return useQuery({
    queryKey: ['efa', 'solutions', 'picker'],
    queryFn: () => call(() => api.GET('/api/v1/efa/solutions', { params: { query: { limit: 100 } } })),
    staleTime: 10 * 60 * 1000,
  });
}
