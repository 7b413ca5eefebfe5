// One town in the table, renamable in place (PATCH with If-Match).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { Alert, TextField } from '@/components';
import { api, ApiError, call, ifMatch, problemMessage, type Schemas } from '@/lib/api';
import { useT } from '@/lib/i18n';

export function TownRow({ town }: { town: Schemas['Municipality'] }) {
  const t = useT();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(town.name);

  const rename = useMutation({
    mutationFn: () =>
      call(() =>
        api.PATCH('/api/v1/municipalities/{id}', {
          params: { path: { id: town.id }, header: { 'If-Match': ifMatch(town.version) } },
          body: { name: name.trim() },
        }),
      ),
    onSuccess: async () => {
      setEditing(false);
      await queryClient.invalidateQueries({ queryKey: ['municipalities'] });
    },
    onError: async (error) => {
      if (error instanceof ApiError && error.kind === 'precondition-failed') {
        await queryClient.invalidateQueries({ queryKey: ['municipalities'] });
      }
    },
  });
  const err = rename.error;
  const fields = err instanceof ApiError ? err.fieldErrors : {};
  const general =
    err instanceof ApiError && err.kind === 'precondition-failed'
      ? t('problem.precondition-failed')
      : err && !fields.name
        ? problemMessage(t, err)
        : null;

  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    rename.mutate();
  };

  return (
    <tr className="kern-table__row">
      <td className="kern-table__cell">
        {editing ? (
          <form className="kern-stack-sm" noValidate onSubmit={submit}>
            {general ? <Alert variant="danger" title={general} /> : null}
            <TextField
              label={t('towns.newName', { name: town.name })}
              value={name}
              error={fields.name}
              onChange={(e) => setName(e.target.value)}
            />
            <div className="kern-btn-wrapper">
              <button type="submit" className="kern-btn kern-btn--primary kern-btn--x-small" disabled={rename.isPending}>
                <span className="kern-label">{t('action.save')}</span>
              </button>
              <button
                type="button"
                className="kern-btn kern-btn--tertiary kern-btn--x-small"
                onClick={() => {
                  setEditing(false);
                  setName(town.name);
                  rename.reset();
                }}
              >
                <span className="kern-label">{t('action.cancel')}</span>
              </button>
            </div>
          </form>
        ) : (
          town.name
        )}
      </td>
      <td className="kern-table__cell">{town.ags}</td>
      <td className="kern-table__cell">{t(`kind.${town.kind}`)}</td>
      <td className="kern-table__cell kern-table__cell--action">
        {!editing ? (
          <button
            type="button"
            className="kern-btn kern-btn--tertiary kern-btn--x-small"
            aria-label={t('action.forItem', { action: t('action.rename'), item: town.name })}
            onClick={() => {
              setName(town.name);
              setEditing(true);
            }}
          >
            <span className="kern-icon kern-icon--edit" aria-hidden="true" />
            <span className="kern-label">{t('action.rename')}</span>
          </button>
        ) : null}
      </td>
    </tr>
  );
}
