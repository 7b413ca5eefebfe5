// The header bell: unread count (polled every 60 s), links to /benachrichtigungen.
import { Link, useLocation } from 'react-router';
import { useT } from '@/lib/i18n';
import { routes } from '@/lib/routes';
import { useUnreadCount } from './queries';

export function NotificationBell() {
  const t = useT();
  const location = useLocation();
  const unread = useUnreadCount();
  const count = unread.data?.unread ?? 0;
  const label =
    count === 0
      ? t('notifications.bell.none')
      : t(count === 1 ? 'notifications.bell.one' : 'notifications.bell.many', { count });
  return (
    <Link
      to={routes.notifications}
      className="kern-link dn-bell"
      aria-label={label}
      aria-current={location.pathname === routes.notifications ? 'page' : undefined}
      data-testid="notification-bell"
    >
      <span className="kern-icon kern-icon--mail" aria-hidden="true" />
      <span className="dn-bell__text" aria-hidden="true">
        {t('notifications.title')}
      </span>
      {count > 0 ? (
        <span className="kern-badge kern-badge--info dn-bell__count" aria-hidden="true">
          <span className="kern-label kern-label--small">{count > 99 ? '99+' : count}</span>
        </span>
      ) : null}
    </Link>
  );
}
