// /anmelden/fertig: back from the identity provider; the refresh cookie becomes a session,
// then on to `ziel` (only a path of this site: no open redirect).
import { useEffect } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { Alert, PageHeading } from '@/components';
import { refreshSession } from '@/lib/api';
import { useAuth } from '@/lib/auth';
import { useT } from '@/lib/i18n';
import { routes } from '@/lib/routes';

export function safeTarget(ziel: string | null): string {
  if (!ziel || !ziel.startsWith('/') || ziel.startsWith('//') || ziel.includes('\\')) return routes.home;
  return ziel;
}

export function SsoDonePage() {
  const t = useT();
  const { status } = useAuth();
  const navigate = useNavigate();
  const target = safeTarget(new URLSearchParams(useLocation().search).get('ziel'));

  useEffect(() => {
    if (status === 'authenticated') void navigate(target, { replace: true });
    else if (status === 'anonymous') void refreshSession();
  }, [status, target, navigate]);

  return (
    <div className="kern-stack-lg">
      <PageHeading>{t('signIn.title')}</PageHeading>
      {status === 'anonymous' ? (
        <>
          <Alert variant="danger" title={t('signIn.ssoNotFinished')} />
          <p className="kern-body">
            <Link className="kern-link" to={routes.signIn}>
              {t('signIn.again')}
            </Link>
          </p>
        </>
      ) : (
        <p className="kern-body" role="status">
          {t('signIn.ssoFinishing')}
        </p>
      )}
    </div>
  );
}
