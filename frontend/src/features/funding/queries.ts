// Query hooks of the funding coordination.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { fundingApi, type ProgrammeQuery } from './api';

export const fundingKeys = {
  all: ['funding'] as const,
  programmes: (query: ProgrammeQuery) => ['funding', 'programmes', query] as const,
  programme: (id: string) => ['funding', 'programme', id] as const,
  applications: ['funding', 'applications'] as const,
  application: (id: string) => ['funding', 'application', id] as const,
  documents: (id: string) => ['funding', 'application', id, 'documents'] as const,
  overview: ['funding', 'overview'] as const,
};

export function useProgrammes(query: ProgrammeQuery) {
  return useQuery({ queryKey: fundingKeys.programmes(query), queryFn: () => fundingApi.programmes(query), placeholderData: keepPreviousData });
}

export function useProgramme(id: string) {
  return useQuery({ queryKey: fundingKeys.programme(id), queryFn: () => fundingApi.programme(id) });
}

export function useApplications() {
  return useQuery({ queryKey: fundingKeys.applications, queryFn: () => fundingApi.applications({ limit: 100 }) });
}

export function useApplication(id: string) {
  return useQuery({ queryKey: fundingKeys.application(id), queryFn: () => fundingApi.application(id) });
}

export function useDistrictTowns(districtId: string | undefined) {
  return useQuery({
    queryKey: ['municipalities', 'district', districtId ?? null],
    queryFn: () => fundingApi.towns(districtId),
    staleTime: 10 * 60 * 1000,
  });
}

export function useDistrictUsers(districtId: string | undefined, enabled: boolean) {
  return useQuery({
    queryKey: ['users', 'district', districtId ?? null],
    queryFn: () => fundingApi.users(districtId),
    staleTime: 5 * 60 * 1000,
    enabled,
  });
}

/** Project search for the picker; nothing is asked before two characters. */
export function useProjectSearch(q: string, page: number) {
  return useQuery({
    queryKey: ['projects', 'funding-picker', q, page],
    queryFn: () => fundingApi.projects(q, page),
    enabled: q.length >= 2,
    placeholderData: keepPreviousData,
  });
}
