// Loading, error and empty states shared by every data page.
import type { ReactNode } from 'react';
import { problemMessage } from '@/lib/api';
import { useT } from '@/lib/i18n';
import { Alert } from './Alert';

export function Loading({ label }: { label?: string }) {
  const t = useT();
  return (
    <div className="dn-loading" role="status">
      <span className="kern-loader kern-loader--visible" aria-hidden="true" />
      <span className="kern-body">{label ?? t('state.loading')}</span>
    </div>
  );
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const t = useT();
  return (
    <Alert variant="danger" title={t('state.error')}>
      <p className="kern-body">{problemMessage(t, error)}</p>
      {onRetry ? (
        <button type="button" className="kern-btn kern-btn--secondary" onClick={onRetry}>
          <span className="kern-label">{t('state.retry')}</span>
        </button>
      ) : null}
    </Alert>
  );
}

/** The page's own words for "nothing here" if it has them, else the generic ones (never both). */
export function EmptyState({ children }: { children?: ReactNode }) {
  const t = useT();
  if (!children) return <Alert variant="info" title={t('state.empty')} />;
  return (
    <div className="kern-alert kern-alert--info dn-empty" role="status">
      <div className="kern-alert__header">
        <span className="kern-icon kern-icon--info" aria-hidden="true" />
        <div className="dn-empty__text">{children}</div>
      </div>
    </div>
  );
}

interface QueryStateProps<T> {
  query: { isPending: boolean; isError: boolean; error: unknown; data: T | undefined; refetch: () => unknown };
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}

export function QueryState<T>({ query, isEmpty, empty, children }: QueryStateProps<T>) {
  if (query.isPending) return <Loading />;
  if (query.isError || query.data === undefined) {
    return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  }
  if (isEmpty?.(query.data)) return <EmptyState>{empty}</EmptyState>;
  return <>{children(query.data)}</>;
}
