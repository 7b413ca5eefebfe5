// /passwort-zuruecksetzen/:token: sets a new password with the token from the mail.
import { useMutation } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Alert, PageHeading } from '@/components';
import { api, ApiError, call, problemMessage } from '@/lib/api';
import { useT } from '@/lib/i18n';
import { routes, type FlashState } from '@/lib/routes';
import { PasswordFields } from './PasswordFields';

export function ResetPasswordPage() {
  const t = useT();
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [local, setLocal] = useState<Record<string, string>>({});

  const confirm = useMutation({
    mutationFn: () => call(() => api.POST('/api/v1/auth/password-reset/confirm', { body: { token, password } })),
    onSuccess: async () => {
      const state: FlashState = { flash: 'passwordReset' };
      await navigate(routes.signIn, { state });
    },
  });
  const err = confirm.error;
  const server = err instanceof ApiError ? err.fieldErrors : {};
  const fields = { ...server, ...local };
  let general: string | null = null;
  if (err instanceof ApiError && err.kind === 'not-found') general = t('reset.invalidToken');
  else if (err && !server.password) general = problemMessage(t, err);

  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    const next: Record<string, string> = {};
    if (!password) next.password = t('validation.required');
    if (password !== repeat) next.password_repeat = t('validation.passwordMismatch');
    setLocal(next);
    if (Object.keys(next).length === 0) confirm.mutate();
  };

  return (
    <div className="kern-stack-lg">
      <PageHeading>{t('reset.title')}</PageHeading>
      {general ? <Alert variant="danger" title={general} /> : null}
      <form className="kern-stack" noValidate onSubmit={submit}>
        <PasswordFields
          password={password}
          repeat={repeat}
          onPassword={setPassword}
          onRepeat={setRepeat}
          passwordError={fields.password}
          repeatError={fields.password_repeat}
        />
        <div className="kern-btn-wrapper">
          <button type="submit" className="kern-btn kern-btn--primary" disabled={confirm.isPending}>
            <span className="kern-label">{t('reset.submit')}</span>
          </button>
        </div>
      </form>
      <p className="kern-body">
        <Link className="kern-link" to={routes.forgotPassword}>
          {t('reset.requestNew')}
        </Link>
      </p>
    </div>
  );
}
