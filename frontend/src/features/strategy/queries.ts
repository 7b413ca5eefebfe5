// Query hooks of the strategy pages.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { strategyApi } from './api';
import type { StrategyKind } from './types';

export const strategyKeys = {
  all: ['strategy'] as const,
  of: (kind: StrategyKind, ownerId: string) => ['strategy', kind, ownerId] as const,
};

export function useStrategy(kind: StrategyKind, ownerId: string) {
  return useQuery({ queryKey: strategyKeys.of(kind, ownerId), queryFn: () => strategyApi.get(kind, ownerId), enabled: !!ownerId });
}

export function useDistrictUsers(districtId: string | undefined, enabled: boolean) {
  return useQuery({
    queryKey: ['users', 'strategy-owners', districtId ?? null],
    queryFn: () => strategyApi.users(districtId),
    enabled,
    staleTime: 5 * 60 * 1000,
  });
}

export function useTowns() {
  return useQuery({
    queryKey: ['municipalities', 'all', null],
    queryFn: strategyApi.towns,
    placeholderData: keepPreviousData,
    staleTime: 10 * 60 * 1000,
  });
}

