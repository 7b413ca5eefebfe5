// /benachrichtigungen: the feed (newest first), "nur ungelesene", paging, mark one or all read.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Alert, CheckboxField, PageHeading, Pagination, QueryState } from '@/components';
import { problemMessage } from '@/lib/api';
import { formatDateTime } from '@/lib/format';
import { useI18n, useT } from '@/lib/i18n';
import { routes } from '@/lib/routes';
import { notificationsApi, type Notification } from './api';
import { kindLabel } from './labels';
import { notificationKeys } from './queries';

const LIMIT = 20;

/** Only paths inside the SPA are followed ("/projekte/…"), never another origin. */
export function safeLink(link: string): string | null {
  return link.startsWith('/') && !link.startsWith('//') ? link : null;
}

function pageFrom(params: URLSearchParams): number {
  const page = Number(params.get('page') ?? '1');
  return Number.isInteger(page) && page > 0 ? page : 1;
}

export function NotificationsPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const unread = params.get('ungelesen') === 'true';
  const page = pageFrom(params);
  const queryClient = useQueryClient();

  const setFilter = (next: { unread?: boolean; page?: number }) => {
    const search = new URLSearchParams();
    if (next.unread ?? unread) search.set('ungelesen', 'true');
    const p = next.page ?? 1;
    if (p > 1) search.set('page', String(p));
    setParams(search);
  };

  const feed = useQuery({
    queryKey: notificationKeys.feed(unread, page),
    queryFn: () => notificationsApi.feed({ ...(unread ? { unread: true } : {}), page, limit: LIMIT }),
    placeholderData: keepPreviousData,
  });

  const readAll = useMutation({
    mutationFn: notificationsApi.markAllRead,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
  });

  return (
    <div className="kern-stack-lg">
      <PageHeading>{t('notifications.title')}</PageHeading>
      <p className="kern-body">{t('notifications.intro')}</p>
      <div className="kern-btn-wrapper dn-actions">
        <button
          type="button"
          className="kern-btn kern-btn--secondary"
          disabled={readAll.isPending}
          onClick={() => readAll.mutate()}
        >
          <span className="kern-icon kern-icon--check" aria-hidden="true" />
          <span className="kern-label">{t('notifications.markAllRead')}</span>
        </button>
        <Link to={routes.notificationSettings} className="kern-btn kern-btn--tertiary">
          <span className="kern-icon kern-icon--edit" aria-hidden="true" />
          <span className="kern-label">{t('notifications.settingsLink')}</span>
        </Link>
      </div>
      {readAll.isSuccess ? <Alert variant="success" title={t('notifications.allRead')} /> : null}
      {readAll.isError ? <Alert variant="danger" title={problemMessage(t, readAll.error)} /> : null}
      <form className="dn-filters" aria-label={t('notifications.filter')} onSubmit={(e) => e.preventDefault()}>
        <CheckboxField
          label={t('notifications.onlyUnread')}
          name="ungelesen"
          checked={unread}
          onChange={(e) => setFilter({ unread: e.target.checked })}
        />
      </form>
      <QueryState
        query={feed}
        isEmpty={(d) => d.items.length === 0}
        empty={<p className="kern-body">{unread ? t('notifications.emptyUnread') : t('notifications.empty')}</p>}
      >
        {(data) => (
          <section className="kern-stack" aria-labelledby="notification-results">
            <h2 className="kern-heading-medium" id="notification-results" aria-live="polite">
              {t(data.total === 1 ? 'notifications.results.one' : 'notifications.results', { total: data.total })}
            </h2>
            <ul className="dn-notifications">
              {data.items.map((n) => (
                <li key={n.id}>
                  <NotificationItem notification={n} />
                </li>
              ))}
            </ul>
            <Pagination
              page={data.page}
              limit={data.limit}
              total={data.total}
              onPageChange={(p) => setFilter({ page: p })}
            />
          </section>
        )}
      </QueryState>
    </div>
  );
}

function NotificationItem({ notification: n }: { notification: Notification }) {
  const t = useT();
  const { locale } = useI18n();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const target = safeLink(n.link);

  const open = async () => {
    if (!n.read) {
      try {
        await notificationsApi.markRead(n.id);
      } catch {
        // Opening the target matters more than the read mark; the feed shows the truth later.
      }
      await queryClient.invalidateQueries({ queryKey: notificationKeys.all });
    }
    if (target) await navigate(target);
  };

  return (
    <article className={`dn-notification${n.read ? '' : ' dn-notification--unread'}`}>
      <div className="dn-notification__meta">
        {n.read ? null : (
          // Screen readers hear "Ungelesen:" in the link itself.
          <span className="kern-badge kern-badge--info" aria-hidden="true">
            <span className="kern-label kern-label--small">{t('notifications.unread')}</span>
          </span>
        )}
        <span className="kern-body kern-body--small">{kindLabel(t, n.kind)}</span>
        <span className="kern-body kern-body--small">
          <time dateTime={n.created_at}>{formatDateTime(n.created_at, locale)}</time>
        </span>
      </div>
      <h3 className="kern-heading-small dn-notification__title">
        <a
          href={target ?? '#'}
          className="kern-link"
          onClick={(e) => {
            if (target && (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0)) {
              // A new tab or window: let the browser open it, still mark the item read.
              if (!n.read) void notificationsApi.markRead(n.id).catch(() => undefined);
              return;
            }
            e.preventDefault();
            void open();
          }}
        >
          {n.read ? null : <span className="kern-sr-only">{t('notifications.unread')}: </span>}
          {n.title}
        </a>
      </h3>
      {n.body ? <p className="kern-body dn-pre-line">{n.body}</p> : null}
    </article>
  );
}
