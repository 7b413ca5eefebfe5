// /passwort-vergessen: asks for a reset mail (the server answers 202 whether or not the address exists).
import { useMutation } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { Link } from 'react-router';
import { Alert, PageHeading, TextField } from '@/components';
import { api, ApiError, call, problemMessage } from '@/lib/api';
import { useT } from '@/lib/i18n';
import { routes } from '@/lib/routes';

export function ForgotPasswordPage() {
  const t = useT();
  const [email, setEmail] = useState('');
  const [missing, setMissing] = useState<string | undefined>();
  const request = useMutation({
    mutationFn: () => call(() => api.POST('/api/v1/auth/password-reset', { body: { email: email.trim() } })),
  });
  const server = request.error instanceof ApiError ? request.error.fieldErrors : {};

  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    const m = email.trim() ? undefined : t('validation.required');
    setMissing(m);
    if (!m) request.mutate();
  };

  return (
    <div className="kern-stack-lg">
      <PageHeading>{t('forgot.title')}</PageHeading>
      {request.isSuccess ? (
        <Alert variant="success" title={t('flash.resetRequested')} />
      ) : (
        <>
          <p className="kern-body">{t('forgot.intro')}</p>
          {request.error && !server.email ? <Alert variant="danger" title={problemMessage(t, request.error)} /> : null}
          <form className="kern-stack" noValidate onSubmit={submit}>
            <TextField
              label={t('field.email')}
              name="email"
              type="email"
              autoComplete="email"
              value={email}
              error={missing ?? server.email}
              onChange={(e) => setEmail(e.target.value)}
            />
            <div className="kern-btn-wrapper">
              <button type="submit" className="kern-btn kern-btn--primary" disabled={request.isPending}>
                <span className="kern-label">{t('forgot.submit')}</span>
              </button>
            </div>
          </form>
        </>
      )}
      <p className="kern-body">
        <Link className="kern-link" to={routes.signIn}>
          {t('forgot.back')}
        </Link>
      </p>
    </div>
  );
}
