// Query keys and hooks shared by the bell, the feed and the settings page.
import { useQuery } from '@tanstack/react-query';
import { notificationsApi } from './api';

export const notificationKeys = {
  all: ['notifications'] as const,
  unreadCount: ['notifications', 'unread-count'] as const,
  feed: (unread: boolean, page: number) => ['notifications', 'feed', { unread, page }] as const,
  settings: ['notifications', 'settings'] as const,
  preview: ['notifications', 'digest-preview'] as const,
};

/** Polled every 60 s for the header bell. */
export function useUnreadCount() {
  return useQuery({
    queryKey: notificationKeys.unreadCount,
    queryFn: notificationsApi.unreadCount,
    refetchInterval: 60_000,
  });
}
