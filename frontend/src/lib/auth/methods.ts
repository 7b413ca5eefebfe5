// How one can sign in here (GET /auth/methods): the password form or not, and the identity
// providers with their labels (also used for „verwaltet durch …“).
import { useQuery } from '@tanstack/react-query';
import { api, call } from '@/lib/api';

export function useAuthMethods() {
  return useQuery({
    queryKey: ['auth', 'methods'],
    queryFn: () => call(() => api.GET('/api/v1/auth/methods')),
    staleTime: 5 * 60_000,
  });
}

/** The label of a provider id (the id itself until the methods are loaded). */
export function useProviderLabel(id: string | null | undefined): string | undefined {
  const methods = useAuthMethods();
  if (!id) return undefined;
  return methods.data?.providers.find((p) => p.id === id)?.label ?? id;
}
