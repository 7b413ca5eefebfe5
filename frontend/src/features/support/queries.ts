// Query hooks of the support desk.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { supportApi } from './api';

export const supportKeys = {
  all: ['support'] as const,
  detail: (id: string) => ['support', 'request', id] as const,
  attachments: (id: string) => ['support', 'request', id, 'attachments'] as const,
};

export function useRequest(id: string) {
  return useQuery({ queryKey: supportKeys.detail(id), queryFn: () => supportApi.get(id) });
}

export function useCoordinators(districtId: string | undefined, enabled: boolean) {
  return useQuery({
    queryKey: ['users', 'coordinators', districtId ?? null],
    queryFn: () => supportApi.coordinators(districtId),
    enabled,
    staleTime: 5 * 60 * 1000,
  });
}

/**
 * The projects a request may refer to: an officer's own town's, or those of the town the request is
 * opened for (none until one is chosen).
 */
export function useRequestProjects(withTown: boolean, townId: string) {
  return useQuery({
    queryKey: withTown ? ['projects', 'town', townId, 'support'] : ['projects', 'mine', 'support'],
    queryFn: withTown ? () => supportApi.townProjects(townId) : supportApi.myProjects,
    enabled: !withTown || townId !== '',
  });
}

/**
 * The applications the request's town leads or shares in (none until a town is known). Under the
 * funding prefix, so that a change to an application refreshes the choice as well.
 */
export function useApplicationChoices(townId: string) {
  return useQuery({
    queryKey: ['funding', 'applications', 'support-choice', townId],
    queryFn: () => supportApi.applications(townId),
    enabled: townId !== '',
    staleTime: 60 * 1000,
  });
}

export function useTowns(enabled = true) {
  return useQuery({
    queryKey: ['municipalities', 'all', null],
    queryFn: supportApi.towns,
    placeholderData: keepPreviousData,
    staleTime: 10 * 60 * 1000,
    enabled,
  });
}

/** The towns of the caller's district (all towns for admins without one), for the request form. */
export function useDistrictTowns(districtId: string | undefined, enabled: boolean) {
  return useQuery({
    queryKey: ['municipalities', 'district', districtId ?? null],
    queryFn: () => supportApi.districtTowns(districtId),
    staleTime: 10 * 60 * 1000,
    enabled,
  });
}
