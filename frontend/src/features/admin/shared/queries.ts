// Reference lists the admin pages share: districts and the towns of a district.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, call } from '@/lib/api';

export function useDistricts(enabled = true) {
  return useQuery({
    queryKey: ['districts'],
    queryFn: () => call(() => api.GET('/api/v1/districts', { params: { query: { limit: 100 } } })),
    enabled,
  });
}

export function useAllMunicipalities(districtId: string | undefined) {
  return useQuery({
    queryKey: ['municipalities', 'all', districtId ?? null],
    queryFn: () =>
      call(() =>
        api.GET('/api/v1/municipalities', {
          params: { query: { ...(districtId ? { district_id: districtId } : {}), limit: 100 } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}
