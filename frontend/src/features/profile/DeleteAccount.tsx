// Delete the own account: confirmation checkbox and password, then sign out.
import { useMutation } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useNavigate } from 'react-router';
import { Alert, TextField } from '@/components';
import { api, ApiError, call, problemMessage } from '@/lib/api';
import { useAuth } from '@/lib/auth';
import { useT } from '@/lib/i18n';
import { routes, type FlashState } from '@/lib/routes';

export function DeleteAccount() {
  const t = useT();
  const { clearSession } = useAuth();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [confirmed, setConfirmed] = useState(false);
  const [password, setPassword] = useState('');
  const [local, setLocal] = useState<Record<string, string>>({});

  const remove = useMutation({
    mutationFn: () => call(() => api.DELETE('/api/v1/me', { body: { password } })),
    onSuccess: async () => {
      const state: FlashState = { flash: 'accountDeleted' };
      await navigate(routes.signIn, { state, replace: true });
      clearSession();
    },
  });
  const err = remove.error;
  const server = err instanceof ApiError ? err.fieldErrors : {};
  const fields = { ...server, ...local };
  let general: string | null = null;
  if (err instanceof ApiError && (err.kind === 'forbidden' || err.kind === 'unauthorized') && !server.password) {
    general = t('profile.wrongPassword');
  } else if (err && Object.keys(server).length === 0) general = problemMessage(t, err);

  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    const errors: Record<string, string> = {};
    if (!confirmed) errors.confirm = t('profile.deleteConfirmMissing');
    if (!password) errors.password = t('validation.required');
    setLocal(errors);
    if (Object.keys(errors).length === 0) remove.mutate();
  };

  return (
    <section className="kern-stack" aria-labelledby="profile-delete">
      <h2 className="kern-heading-medium" id="profile-delete">
        {t('profile.delete')}
      </h2>
      <p className="kern-body">{t('profile.deleteIntro')}</p>
      {!open ? (
        <div className="kern-btn-wrapper">
          <button type="button" className="kern-btn kern-btn--secondary" onClick={() => setOpen(true)}>
            <span className="kern-icon kern-icon--delete" aria-hidden="true" />
            <span className="kern-label">{t('profile.deleteStart')}</span>
          </button>
        </div>
      ) : (
        <form className="kern-stack" noValidate onSubmit={submit}>
          <Alert variant="warning" title={t('profile.deleteWarning')} />
          {general ? <Alert variant="danger" title={general} /> : null}
          <div className={`kern-form-check${fields.confirm ? ' kern-form-check--error' : ''}`}>
            <input
              className="kern-form-check__checkbox"
              type="checkbox"
              id="delete-confirm"
              checked={confirmed}
              aria-invalid={fields.confirm ? true : undefined}
              aria-describedby={fields.confirm ? 'delete-confirm-error' : undefined}
              onChange={(e) => setConfirmed(e.target.checked)}
            />
            <label className="kern-label" htmlFor="delete-confirm">
              {t('profile.deleteConfirm')}
            </label>
            {fields.confirm ? (
              <p className="kern-error" id="delete-confirm-error">
                <span className="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
                <span className="kern-body">{fields.confirm}</span>
              </p>
            ) : null}
          </div>
          <TextField
            label={t('field.password')}
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            error={fields.password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <div className="kern-btn-wrapper">
            <button type="submit" className="kern-btn kern-btn--primary" disabled={remove.isPending}>
              <span className="kern-label">{t('profile.deleteSubmit')}</span>
            </button>
            <button type="button" className="kern-btn kern-btn--tertiary" onClick={() => setOpen(false)}>
              <span className="kern-label">{t('action.cancel')}</span>
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
