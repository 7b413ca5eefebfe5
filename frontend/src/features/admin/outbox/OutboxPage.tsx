// /verwaltung/postausgang: the mail outbox by state (admins only); given-up mails can be queued again.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Alert, Pagination, PageHeading, QueryState, SelectField } from '@/components';
import { api, ApiError, call, problemMessage, type Schemas } from '@/lib/api';
import { formatDateTime } from '@/lib/format';
import { useI18n, type MessageKey } from '@/lib/i18n';
import { filtersFromSearch, filtersToSearch, outboxStatuses, type OutboxFilters, type OutboxStatus } from './filters';

const LIMIT = 25;

type Entry = Schemas['OutboxEntry'];

const kindKeys: Partial<Record<string, MessageKey>> = {
  system: 'outbox.kind.system',
  digest: 'outbox.kind.digest',
  instant: 'outbox.kind.instant',
};

/** The two columns that differ by state: when it happened, and what the server or worker said. */
const stateColumns: Record<
  OutboxStatus,
  { when: MessageKey; whenOf: (e: Entry) => string | null | undefined; detail: MessageKey; detailOf: (e: Entry) => string | null | undefined }
> = {
  failed: { when: 'outbox.col.failedAt', whenOf: (e) => e.failed_at, detail: 'outbox.col.lastError', detailOf: (e) => e.last_error },
  pending: { when: 'outbox.col.nextAttempt', whenOf: (e) => e.next_attempt_at, detail: 'outbox.col.lastError', detailOf: (e) => e.last_error },
  // Unconfirmed mails have their own state: "sent" lists only mails with the server's answer.
  sent: { when: 'outbox.col.sentAt', whenOf: (e) => e.sent_at, detail: 'outbox.col.smtpResponse', detailOf: (e) => e.smtp_response },
  unconfirmed: { when: 'outbox.col.sentAt', whenOf: (e) => e.sent_at, detail: 'outbox.col.note', detailOf: (e) => e.last_error },
};

function RetryButton({ entry, onRetried }: { entry: Entry; onRetried: (entry: Entry) => void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const retry = useMutation({
    mutationFn: () =>
      call(() => api.POST('/api/v1/admin/outbox/{id}/retry', { params: { path: { id: entry.id } } })),
    onSuccess: () => onRetried(entry),
    // Also after a 409: the mail has changed state meanwhile, so the list is stale.
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['admin', 'outbox'] }),
  });
  const errorId = `outbox-${entry.id}-error`;
  const error =
    retry.error instanceof ApiError && retry.error.kind === 'conflict' ? t('outbox.retryConflict') : problemMessage(t, retry.error);
  return (
    <>
      <button
        type="button"
        className="kern-btn kern-btn--secondary kern-btn--x-small"
        disabled={retry.isPending}
        aria-describedby={retry.isError ? errorId : undefined}
        aria-label={t('action.forItem', { action: t('outbox.retry'), item: `${entry.to_email} – ${entry.subject}` })}
        onClick={() => retry.mutate()}
      >
        <span className="kern-icon kern-icon--mail" aria-hidden="true" />
        <span className="kern-label">{t('outbox.retry')}</span>
      </button>
      {retry.isError ? (
        <p className="kern-error" id={errorId} role="alert">
          <span className="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
          <span className="kern-body">{error}</span>
        </p>
      ) : null}
    </>
  );
}

export function OutboxPage() {
  const { t, locale } = useI18n();
  const [params, setParams] = useSearchParams();
  const filters = filtersFromSearch(params);
  const [retried, setRetried] = useState<Entry | null>(null);
  const noticeRef = useRef<HTMLDivElement>(null);

  // The retried row leaves the list, so focus would fall back to the page: keep it on the message.
  useEffect(() => {
    if (retried) noticeRef.current?.focus();
  }, [retried]);

  const outbox = useQuery({
    queryKey: ['admin', 'outbox', filters.status, filters.page],
    queryFn: () =>
      call(() =>
        api.GET('/api/v1/admin/outbox', {
          params: { query: { status: filters.status, page: filters.page, limit: LIMIT } },
        }),
      ),
    // Keep the rows while paging, but never show one state's rows under another state's columns.
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[2] === filters.status ? previous : undefined),
  });

  // Requeueing the last mail of the last page empties it: go to the page that is now the last.
  const lastPage = outbox.data ? Math.max(1, Math.ceil(outbox.data.total / LIMIT)) : 1;
  const pageGone = outbox.data !== undefined && outbox.data.items.length === 0 && filters.page > lastPage;
  const { status } = filters;
  useEffect(() => {
    if (pageGone) setParams(filtersToSearch({ status, page: lastPage }), { replace: true });
  }, [pageGone, lastPage, status, setParams]);

  const update = (next: OutboxFilters) => {
    setRetried(null);
    setParams(filtersToSearch(next));
  };
  const columns = stateColumns[filters.status];
  const statusLabel = (s: OutboxStatus) => t(`outbox.status.${s}`);
  const kindLabel = (kind: string) => {
    const key = kindKeys[kind];
    return key ? t(key) : kind;
  };

  return (
    <div className="kern-stack-lg">
      <PageHeading>{t('outbox.title')}</PageHeading>
      <p className="kern-body">{t('outbox.intro')}</p>
      <form className="dn-filters" aria-label={t('outbox.filters')} onSubmit={(e) => e.preventDefault()}>
        <SelectField
          label={t('outbox.statusLabel')}
          hint={t(`outbox.status.${filters.status}.hint`)}
          value={filters.status}
          options={outboxStatuses.map((s) => ({ value: s, label: statusLabel(s) }))}
          onChange={(e) => update({ status: e.target.value as OutboxStatus, page: 1 })}
        />
      </form>
      <div ref={noticeRef} tabIndex={-1}>
        {retried ? <Alert variant="success" title={t('outbox.retried', { email: retried.to_email })} /> : null}
      </div>
      <QueryState query={outbox} isEmpty={(d) => d.items.length === 0} empty={<p className="kern-body">{t('outbox.empty')}</p>}>
        {(data) => (
          <>
            <div className="kern-table-responsive">
              <table className="kern-table kern-table--striped">
                <caption className="kern-title">
                  {t('outbox.caption', { status: statusLabel(filters.status), total: data.total })}
                </caption>
                <thead className="kern-table__header">
                  <tr className="kern-table__row">
                    <th scope="col" className="kern-table__header">{t('outbox.col.mail')}</th>
                    <th scope="col" className="kern-table__header">{t('outbox.col.kind')}</th>
                    <th scope="col" className="kern-table__header kern-table__header--numeric">{t('outbox.col.attempts')}</th>
                    <th scope="col" className="kern-table__header">{t('outbox.col.created')}</th>
                    <th scope="col" className="kern-table__header">{t(columns.when)}</th>
                    <th scope="col" className="kern-table__header">{t(columns.detail)}</th>
                    {filters.status === 'failed' ? (
                      <th scope="col" className="kern-table__header kern-table__header--action">{t('table.actions')}</th>
                    ) : null}
                  </tr>
                </thead>
                <tbody className="kern-table__body">
                  {data.items.map((e) => (
                    <tr className="kern-table__row" key={e.id}>
                      {/* Recipient and subject share a cell so that the table fits the page. */}
                      <th scope="row" className="kern-table__cell dn-outbox-mail">
                        {e.to_email}
                        <span className="kern-body kern-body--small">{e.subject}</span>
                      </th>
                      <td className="kern-table__cell">{kindLabel(e.kind)}</td>
                      <td className="kern-table__cell kern-table__cell--numeric">{e.attempts}</td>
                      <td className="kern-table__cell">{formatDateTime(e.created_at, locale)}</td>
                      <td className="kern-table__cell">{formatDateTime(columns.whenOf(e), locale)}</td>
                      <td className="kern-table__cell dn-outbox-detail">{columns.detailOf(e) ?? '–'}</td>
                      {filters.status === 'failed' ? (
                        <td className="kern-table__cell kern-table__cell--action">
                          {/* The server decides by the row's own state, not by the filter. */}
                          {e.failed_at && !e.sent_at ? <RetryButton entry={e} onRetried={setRetried} /> : null}
                        </td>
                      ) : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pagination
              page={data.page}
              limit={data.limit}
              total={data.total}
              onPageChange={(page) => update({ ...filters, page })}
            />
          </>
        )}
      </QueryState>
    </div>
  );
}
