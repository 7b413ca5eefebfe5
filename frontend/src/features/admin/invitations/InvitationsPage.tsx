// /verwaltung/einladungen: open and past invitations, invite form, revoke.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Pagination, PageHeading, QueryState } from '@/components';
import { api, call, problemMessage, type Schemas } from '@/lib/api';
import { useI18n, type MessageKey } from '@/lib/i18n';
import { formatDateTime } from '@/lib/format';
import { useDistrictScope } from '../shared/DistrictScope';
import { useAllMunicipalities } from '../shared/queries';
import { InviteForm } from './InviteForm';

const LIMIT = 25;

function statusOf(inv: Schemas['Invitation']): MessageKey {
  if (inv.revoked_at) return 'invitations.status.revoked';
  if (inv.accepted_at) return 'invitations.status.accepted';
  if (new Date(inv.expires_at).getTime() < Date.now()) return 'invitations.status.expired';
  return 'invitations.status.open';
}

function RevokeButton({ invitation }: { invitation: Schemas['Invitation'] }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: () => call(() => api.DELETE('/api/v1/invitations/{id}', { params: { path: { id: invitation.id } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['invitations'] }),
  });
  const errorId = `inv-${invitation.id}-error`;
  return (
    <>
      <button
        type="button"
        className="kern-btn kern-btn--secondary kern-btn--x-small"
        disabled={revoke.isPending}
        aria-describedby={revoke.isError ? errorId : undefined}
        aria-label={t('action.forItem', { action: t('invitations.revoke'), item: invitation.email })}
        onClick={() => revoke.mutate()}
      >
        <span className="kern-label">{t('invitations.revoke')}</span>
      </button>
      {revoke.isError ? (
        <p className="kern-error" id={errorId} role="alert">
          <span className="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
          <span className="kern-body">{problemMessage(t, revoke.error)}</span>
        </p>
      ) : null}
    </>
  );
}

export function InvitationsPage() {
  const { t, locale } = useI18n();
  const { districtId, picker } = useDistrictScope();
  const towns = useAllMunicipalities(districtId);
  const townName = new Map((towns.data?.items ?? []).map((m) => [m.id, m.name]));
  const [page, setPage] = useState(1);
  const invitations = useQuery({
    queryKey: ['invitations', page],
    queryFn: () => call(() => api.GET('/api/v1/invitations', { params: { query: { page, limit: LIMIT } } })),
    placeholderData: keepPreviousData,
  });

  return (
    <div className="kern-stack-lg">
      <PageHeading>{t('invitations.title')}</PageHeading>
      {picker}
      <InviteForm districtId={districtId} towns={towns.data?.items ?? []} />
      <QueryState
        query={invitations}
        isEmpty={(d) => d.items.length === 0}
        empty={<p className="kern-body">{t('invitations.empty')}</p>}
      >
        {(data) => (
          <>
            <div className="kern-table-responsive">
              <table className="kern-table kern-table--striped">
                <caption className="kern-title">{t('invitations.caption', { total: data.total })}</caption>
                <thead className="kern-table__header">
                  <tr className="kern-table__row">
                    <th scope="col" className="kern-table__header">{t('field.email')}</th>
                    <th scope="col" className="kern-table__header">{t('field.role')}</th>
                    <th scope="col" className="kern-table__header">{t('field.municipality')}</th>
                    <th scope="col" className="kern-table__header">{t('invitations.created')}</th>
                    <th scope="col" className="kern-table__header">{t('invitations.expires')}</th>
                    <th scope="col" className="kern-table__header">{t('invitations.statusLabel')}</th>
                    <th scope="col" className="kern-table__header kern-table__header--action">{t('table.actions')}</th>
                  </tr>
                </thead>
                <tbody className="kern-table__body">
                  {data.items.map((inv) => {
                    const status = statusOf(inv);
                    return (
                      <tr className="kern-table__row" key={inv.id}>
                        <td className="kern-table__cell">{inv.email}</td>
                        <td className="kern-table__cell">{t(`role.${inv.role}`)}</td>
                        <td className="kern-table__cell">
                          {inv.municipality_id ? (townName.get(inv.municipality_id) ?? '–') : '–'}
                        </td>
                        <td className="kern-table__cell">{formatDateTime(inv.created_at, locale)}</td>
                        <td className="kern-table__cell">{formatDateTime(inv.expires_at, locale)}</td>
                        <td className="kern-table__cell">{t(status)}</td>
                        <td className="kern-table__cell kern-table__cell--action">
                          {status === 'invitations.status.open' ? <RevokeButton invitation={inv} /> : null}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            <Pagination page={data.page} limit={data.limit} total={data.total} onPageChange={setPage} />
          </>
        )}
      </QueryState>
    </div>
  );
}
