// One user; deactivate / reactivate with If-Match.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, call, ifMatch, problemMessage, type Schemas } from '@/lib/api';
import { useProviderLabel } from '@/lib/auth';
import { useT } from '@/lib/i18n';

interface Props {
  user: Schemas['User'];
  townName: string | undefined;
  manage: boolean;
  showActions: boolean;
}

export function UserRow({ user, townName, manage, showActions }: Props) {
  const t = useT();
  const queryClient = useQueryClient();
  const toggle = useMutation({
    mutationFn: () =>
      call(() =>
        api.PATCH('/api/v1/users/{id}', {
          params: { path: { id: user.id }, header: { 'If-Match': ifMatch(user.version) } },
          body: { active: !user.active },
        }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['users'] }),
  });
  const managedBy = useProviderLabel(user.managed_by?.provider);
  const errorId = `user-${user.id}-error`;
  const actionLabel = user.active ? t('users.deactivate') : t('users.reactivate');
  return (
    <tr className="kern-table__row">
      <td className="kern-table__cell">
        {user.name}
        {managedBy ? (
          <>
            <br />
            <small className="kern-body kern-body--small">{t('users.managedBy', { provider: managedBy })}</small>
          </>
        ) : null}
      </td>
      <td className="kern-table__cell">{user.email}</td>
      <td className="kern-table__cell">{t(`role.${user.role}`)}</td>
      <td className="kern-table__cell">{townName ?? '–'}</td>
      <td className="kern-table__cell">
        <span className={`kern-badge ${user.active ? 'kern-badge--success' : 'kern-badge--warning'}`}>
          <span className="kern-label kern-label--small">{user.active ? t('users.active') : t('users.inactive')}</span>
        </span>
      </td>
      {showActions ? (
        <td className="kern-table__cell kern-table__cell--action">
          {manage ? (
            <>
              <button
                type="button"
                className="kern-btn kern-btn--secondary kern-btn--x-small"
                disabled={toggle.isPending}
                aria-describedby={toggle.isError ? errorId : undefined}
                aria-label={t('action.forItem', { action: actionLabel, item: user.name })}
                onClick={() => toggle.mutate()}
              >
                <span className="kern-label">{actionLabel}</span>
              </button>
              {toggle.isError ? (
                <p className="kern-error" id={errorId} role="alert">
                  <span className="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
                  <span className="kern-body">{problemMessage(t, toggle.error)}</span>
                </p>
              ) : null}
            </>
          ) : null}
        </td>
      ) : null}
    </tr>
  );
}
