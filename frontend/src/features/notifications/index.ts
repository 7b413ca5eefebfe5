// In-app notifications: header bell, feed, delivery settings with digest preview.
export { NotificationBell } from './NotificationBell';
export { NotificationSettingsPage } from './NotificationSettingsPage';
export { NotificationsPage } from './NotificationsPage';
