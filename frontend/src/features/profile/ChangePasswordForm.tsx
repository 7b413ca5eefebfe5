// Change the own password (current one required).
import { useMutation } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { Alert, StatusMessage, TextField } from '@/components';
import { api, ApiError, call, problemMessage } from '@/lib/api';
import { useT } from '@/lib/i18n';

export function ChangePasswordForm() {
  const t = useT();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [local, setLocal] = useState<Record<string, string>>({});

  const change = useMutation({
    mutationFn: () =>
      call(() => api.POST('/api/v1/me/password', { body: { current_password: current, new_password: next } })),
    onSuccess: () => {
      setCurrent('');
      setNext('');
      setRepeat('');
    },
  });
  const err = change.error;
  const server = err instanceof ApiError ? err.fieldErrors : {};
  const fields = { ...server, ...local };
  let general: string | null = null;
  if (err instanceof ApiError && (err.kind === 'forbidden' || err.kind === 'unauthorized') && !server.current_password) {
    general = t('profile.wrongPassword');
  } else if (err && Object.keys(server).length === 0) general = problemMessage(t, err);

  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    const errors: Record<string, string> = {};
    if (!current) errors.current_password = t('validation.required');
    if (!next) errors.new_password = t('validation.required');
    if (next !== repeat) errors.new_password_repeat = t('validation.passwordMismatch');
    setLocal(errors);
    if (Object.keys(errors).length === 0) change.mutate();
  };

  return (
    <section className="kern-stack" aria-labelledby="profile-password">
      <h2 className="kern-heading-medium" id="profile-password">
        {t('profile.password')}
      </h2>
      <StatusMessage message={change.isSuccess ? t('profile.passwordChanged') : null} />
      {general ? <Alert variant="danger" title={general} /> : null}
      <form className="kern-stack" noValidate onSubmit={submit}>
        <TextField
          label={t('field.currentPassword')}
          name="current_password"
          type="password"
          autoComplete="current-password"
          value={current}
          error={fields.current_password}
          onChange={(e) => setCurrent(e.target.value)}
        />
        <TextField
          label={t('field.newPassword')}
          hint={t('field.passwordHint')}
          name="new_password"
          type="password"
          autoComplete="new-password"
          value={next}
          error={fields.new_password}
          onChange={(e) => setNext(e.target.value)}
        />
        <TextField
          label={t('field.passwordRepeat')}
          name="new_password_repeat"
          type="password"
          autoComplete="new-password"
          value={repeat}
          error={fields.new_password_repeat}
          onChange={(e) => setRepeat(e.target.value)}
        />
        <div className="kern-btn-wrapper">
          <button type="submit" className="kern-btn kern-btn--primary" disabled={change.isPending}>
            <span className="kern-label">{t('profile.changePassword')}</span>
          </button>
        </div>
      </form>
    </section>
  );
}
