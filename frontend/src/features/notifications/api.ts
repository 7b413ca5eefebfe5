// Every call of the notifications feature, typed by the generated OpenAPI schema.
import { api, call, ifMatch, type Schemas } from '@/lib/api';

export type Notification = Schemas['Notification'];
export type NotificationSettings = Schemas['NotificationSettings'];
export type NotificationKind = Schemas['Kind'];
export type DeliveryMode = Schemas['Mode'];
export type DigestFrequency = Schemas['Frequency'];
export type DigestSchedule = Schemas['DigestSchedule'];

export const notificationsApi = {
  feed: (query: { unread?: boolean; page: number; limit: number }) =>
    call(() => api.GET('/api/v1/notifications', { params: { query } })),
  unreadCount: () => call(() => api.GET('/api/v1/notifications/unread-count')),
  markRead: (id: string) => call(() => api.POST('/api/v1/notifications/{id}/read', { params: { path: { id } } })),
  markAllRead: () => call(() => api.POST('/api/v1/notifications/read-all')),
  settings: () => call(() => api.GET('/api/v1/me/notification-settings')),
  saveSettings: (version: number, body: NotificationSettings) =>
    call(() =>
      api.PUT('/api/v1/me/notification-settings', {
        params: { header: { 'If-Match': ifMatch(version) } },
        body,
      }),
    ),
  digestPreview: () => call(() => api.GET('/api/v1/me/digest/preview')),
};
