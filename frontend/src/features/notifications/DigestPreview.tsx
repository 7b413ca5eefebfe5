// "Vorschau der nächsten Zusammenfassung": subject and plain-text body (the HTML is never injected).
import { useQuery } from '@tanstack/react-query';
import { QueryState } from '@/components';
import { useT } from '@/lib/i18n';
import { notificationsApi } from './api';
import { notificationKeys } from './queries';

export function DigestPreview() {
  const t = useT();
  const preview = useQuery({ queryKey: notificationKeys.preview, queryFn: notificationsApi.digestPreview });
  return (
    <section className="kern-stack" aria-labelledby="digest-preview" data-testid="digest-preview">
      <h2 className="kern-heading-medium" id="digest-preview">
        {t('notifications.preview.title')}
      </h2>
      <QueryState query={preview}>
        {(p) =>
          p.has_content ? (
            <div className="kern-stack">
              <p className="kern-body">
                {t(p.item_count === 1 ? 'notifications.preview.count.one' : 'notifications.preview.count', {
                  count: p.item_count,
                })}
              </p>
              <dl className="dn-digest-preview">
                <dt className="kern-label">{t('notifications.preview.subject')}</dt>
                <dd className="kern-body">{p.subject ?? '–'}</dd>
                <dt className="kern-label">{t('notifications.preview.body')}</dt>
                <dd>
                  <pre className="dn-digest-preview__text">{p.text ?? ''}</pre>
                </dd>
              </dl>
            </div>
          ) : (
            <p className="kern-body">{t('notifications.preview.empty')}</p>
          )
        }
      </QueryState>
    </section>
  );
}
