// /anmelden: a button per identity provider („Anmelden mit …“) and, where enabled, email and
// password; /anmelden/notzugang always shows the form (break-glass accounts).
import { useMutation } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { Link, useLocation } from 'react-router';
import { Alert, PageHeading, TextField } from '@/components';
import { ApiError, problemMessage } from '@/lib/api';
import { useAuth, useAuthMethods } from '@/lib/auth';
import { useT } from '@/lib/i18n';
import { routes, type FlashState } from '@/lib/routes';
import { FlashMessage } from './FlashMessage';
import { SsoRefusal } from './SsoRefusal';

export function SignInPage({ emergency = false }: { emergency?: boolean }) {
  const t = useT();
  const methods = useAuthMethods();
  const search = new URLSearchParams(useLocation().search);
  const refused = search.get('sso_fehler');
  const ziel = search.get('ziel') ?? undefined;
  const providers = methods.data?.providers ?? [];
  // The form stays until the server says there is none (LOCAL_LOGIN=false); the break-glass
  // page always has it.
  const showForm = emergency || methods.data?.local !== false;
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
      {refused ? <SsoRefusal attempt={refused} /> : null}
      {providers.length > 0 && !emergency ? (
        <div className="kern-stack">
          {providers.map((p) => (
            <a key={p.id} className="kern-btn kern-btn--primary" href={routes.ssoStart(p.id, ziel)}>
              <span className="kern-label">{t('signIn.withProvider', { label: p.label })}</span>
            </a>
          ))}
        </div>
      ) : null}
      {showForm ? (
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
      ) : null}
      {showForm ? (
        <p className="kern-body">
          <Link className="kern-link" to={routes.forgotPassword}>
            {t('signIn.forgotPassword')}
          </Link>
        </p>
      ) : null}
    </div>
  );
}
