// /anmelden/verknuepfen?versuch=…: an account with the provider's (verified) email exists here;
// its password, given once, links the two. Then signed in as after any provider sign-in.
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { Alert, PageHeading, TextField } from '@/components';
import { api, ApiError, call, problemMessage } from '@/lib/api';
import { useT } from '@/lib/i18n';
import { routes } from '@/lib/routes';

export function SsoLinkPage() {
  const t = useT();
  const navigate = useNavigate();
  const attempt = new URLSearchParams(useLocation().search).get('versuch') ?? '';
  const [password, setPassword] = useState('');
  const info = useQuery({
    queryKey: ['sso-attempt', attempt],
    queryFn: () => call(() => api.GET('/api/v1/auth/oidc/attempts/{id}', { params: { path: { id: attempt } } })),
    enabled: attempt !== '',
    retry: false,
  });
  const link = useMutation({
    mutationFn: () => call(() => api.POST('/api/v1/auth/oidc/link', { body: { attempt, password } })),
    onSuccess: () => void navigate(`${routes.signInDone}?ziel=%2F`, { replace: true }),
  });
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    if (password) link.mutate();
  };
  const err = link.error;
  let alert: string | null = null;
  if (err instanceof ApiError && err.kind === 'unauthorized') alert = t('signIn.wrongPassword');
  else if (err instanceof ApiError && err.kind === 'not-found') alert = t('signIn.linkExpired');
  else if (err) alert = problemMessage(t, err);
  const pending = info.data?.status === 'link_pending';

  return (
    <div className="kern-stack-lg">
      <PageHeading>{t('signIn.linkTitle')}</PageHeading>
      {info.isError || (info.data && !pending) ? <Alert variant="danger" title={t('signIn.linkExpired')} /> : null}
      {pending ? (
        <>
          <p className="kern-body">
            {t('signIn.linkIntro', { provider: info.data?.provider_label ?? '', email: info.data?.link_email ?? '' })}
          </p>
          {alert ? <Alert variant="danger" title={alert} /> : null}
          <form className="kern-stack" noValidate onSubmit={submit} aria-label={t('signIn.linkTitle')}>
            <TextField
              label={t('field.password')}
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
            <div className="kern-btn-wrapper">
              <button type="submit" className="kern-btn kern-btn--primary" disabled={link.isPending}>
                <span className="kern-label">{t('signIn.linkSubmit')}</span>
              </button>
            </div>
          </form>
        </>
      ) : null}
    </div>
  );
}
