// /anmelden: sign in with email and password.
import { useMutation } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { Link, useLocation } from 'react-router';
import { Alert, PageHeading, TextField } from '@/components';
import { ApiError, problemMessage } from '@/lib/api';
import { useAuth } from '@/lib/auth';
import { useT } from '@/lib/i18n';
import { routes, type FlashState } from '@/lib/routes';
import { FlashMessage } from './FlashMessage';

export function SignInPage() {
  const t = useT();
  const { signIn } = useAuth();
  const location = useLocation();
  const flash = (location.state as FlashState | null)?.flash;
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState<Record<string, string>>({});

  const mutation = useMutation({ mutationFn: () => signIn(email.trim(), password) });
  const error = mutation.error;
  const serverFields = error instanceof ApiError && error.kind === 'validation' ? error.fieldErrors : {};
  const fields = { ...serverFields, ...missing };

  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    const next: Record<string, string> = {};
    if (!email.trim()) next.email = t('signIn.emailMissing');
    if (!password) next.password = t('signIn.passwordMissing');
    setMissing(next);
    if (Object.keys(next).length === 0) mutation.mutate();
  };

  let alert: string | null = null;
  if (error instanceof ApiError && error.kind === 'unauthorized') alert = t('signIn.wrongCredentials');
  else if (error instanceof ApiError && error.kind === 'too-many-requests') {
    alert = error.retryAfter !== null ? t('signIn.tooManyRetry', { seconds: error.retryAfter }) : t('signIn.tooMany');
  } else if (error && !(error instanceof ApiError && error.kind === 'validation')) {
    alert = problemMessage(t, error);
  }

  return (
    <div className="kern-stack-lg">
      <PageHeading>{t('signIn.title')}</PageHeading>
      {flash && !mutation.isError ? <FlashMessage flash={flash} /> : null}
      {alert ? <Alert variant="danger" title={alert} /> : null}
      <form className="kern-stack" noValidate onSubmit={submit} aria-label={t('signIn.title')}>
        <TextField
          label={t('field.email')}
          name="email"
          type="email"
          autoComplete="username"
          value={email}
          error={fields.email}
          onChange={(e) => setEmail(e.target.value)}
        />
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
          <button type="submit" className="kern-btn kern-btn--primary" disabled={mutation.isPending}>
            <span className="kern-label">{mutation.isPending ? t('signIn.submitting') : t('signIn.submit')}</span>
          </button>
        </div>
      </form>
      <p className="kern-body">
        <Link className="kern-link" to={routes.forgotPassword}>
          {t('signIn.forgotPassword')}
        </Link>
      </p>
    </div>
  );
}
