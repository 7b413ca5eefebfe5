// Query hooks and small helpers shared by the EfA pages.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { efaApi } from './api';

export const efaKeys = {
  all: ['efa'] as const,
  solution: (id: string) => ['efa', 'solution', id] as const,
};

export function useSolution(id: string) {
  return useQuery({ queryKey: efaKeys.solution(id), queryFn: () => efaApi.get(id) });
}

export function useThemenfelder() {
  return useQuery({ queryKey: ['ozg', 'themenfelder'], queryFn: efaApi.themenfelder, staleTime: 60 * 60 * 1000 });
}

export function useTowns() {
  return useQuery({
    queryKey: ['municipalities', 'all', null],
    queryFn: efaApi.towns,
    placeholderData: keepPreviousData,
    staleTime: 10 * 60 * 1000,
  });
}

