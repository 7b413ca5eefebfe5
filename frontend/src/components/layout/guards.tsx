// Route guards: wait for the session, send anonymous users to sign-in, hide pages a role may not use.
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import type { Me } from '@/lib/api';
import { useAuth } from '@/lib/auth';
import { useT } from '@/lib/i18n';
import { routes } from '@/lib/routes';
import { Alert } from '../Alert';
import { PageHeading } from '../PageHeading';
import { Loading } from '../QueryState';

export function RequireAuth({ children }: { children: ReactNode }) {
  const { status } = useAuth();
  const location = useLocation();
  if (status === 'restoring') return <Loading />;
  if (status === 'anonymous') {
    return <Navigate to={routes.signIn} replace state={{ from: location.pathname + location.search }} />;
  }
  return <>{children}</>;
}

/** Pages for signed-out users only (sign-in): a restored session goes to the start page. */
export function RequireAnonymous({ children }: { children: ReactNode }) {
  const { status } = useAuth();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from;
  if (status === 'restoring') return <Loading />;
  if (status === 'authenticated') return <Navigate to={from ?? routes.home} replace />;
  return <>{children}</>;
}

export function RequireRole({ allowed, children }: { allowed: (me: Me) => boolean; children: ReactNode }) {
  const { me } = useAuth();
  const t = useT();
  if (!me || !allowed(me)) {
    return (
      <>
        <PageHeading>{t('forbidden.title')}</PageHeading>
        <Alert variant="warning" title={t('forbidden.text')} />
      </>
    );
  }
  return <>{children}</>;
}
