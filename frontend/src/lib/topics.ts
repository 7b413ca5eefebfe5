// The shared topic list (GET /topics) used by projects, funding programmes and notification settings.
import { useQuery } from '@tanstack/react-query';
import { api, call, type Schemas } from '@/lib/api';

export type Topic = Schemas['Topic'];

export const topicsKey = ['topics'] as const;

/** Topics change rarely; one request an hour is plenty. */
export function useTopics() {
  return useQuery({
    queryKey: topicsKey,
    queryFn: () => call(() => api.GET('/api/v1/topics')),
    staleTime: 60 * 60 * 1000,
  });
}

/** The names of `ids` in the topic list's order; unknown ids (not loaded yet) are left out. */
export function topicNames(ids: readonly string[], topics: readonly Topic[]): string[] {
  const chosen = new Set(ids);
  return topics.filter((t) => chosen.has(t.id)).map((t) => t.name);
}

/** Adds or removes one topic id, keeping the others in their order. */
export function toggleTopic(ids: readonly string[], id: string, on: boolean): string[] {
  if (on) return ids.includes(id) ? [...ids] : [...ids, id];
  return ids.filter((x) => x !== id);
}
