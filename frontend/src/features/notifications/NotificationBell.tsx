// The header bell: unread count (polled every 60 s), links to /benachrichtigungen. It is on every
// signed-in page, so it also marks the notifications about the opened object read (readOnOpen).
import { Link, useLocation } from 'react-router';
import { useT } from '@/lib/i18n';
import { routes } from '@/lib/routes';
import { useUnreadCount } from './queries';
import { useMarkReadOnOpen } from './readOnOpen';

export function NotificationBell() {
  const t = useT();
  const location = useLocation();
  const unread = useUnreadCount();
  const count = unread.data?.unread ?? 0;
  useMarkReadOnOpen(location.pathname, unread.data?.unread);
  // The accessible name is the visible text ("Benachrichtigungen", the count) plus words for
  // screen readers only: no aria-label that differs from what is seen (axe label-content-name-mismatch).
  return (
    <Link
      to={routes.notifications}
      className="kern-link dn-bell"
      aria-current={location.pathname === routes.notifications ? 'page' : undefined}
      data-testid="notification-bell"
    >
      <span className="kern-icon kern-icon--mail" aria-hidden="true" />
      <span className="dn-bell__text">{t('notifications.title')}</span>{' '}
      {count > 0 ? (
        <span className="kern-badge kern-badge--info dn-bell__count">
          <span className="kern-label kern-label--small">
            {count > 99 ? '99+' : count}
            <span className="kern-sr-only"> {t('notifications.bell.unread')}</span>
          </span>
        </span>
      ) : (
        <span className="kern-sr-only">{t('notifications.bell.noneUnread')}</span>
      )}
    </Link>
  );
}
