// Query hooks and small helpers shared by the project pages.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, call } from '@/lib/api';
import { projectsApi } from './api';

export const projectKeys = {
  all: ['projects'] as const,
  detail: (id: string) => ['projects', 'detail', id] as const,
  part: (id: string, part: string) => ['projects', 'detail', id, part] as const,
};

export function useTopics() {
  return useQuery({ queryKey: ['topics'], queryFn: projectsApi.topics, staleTime: 60 * 60 * 1000 });
}

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

/** `value`, but only after it stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

export function saveBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
