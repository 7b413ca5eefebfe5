// Frame for pages without a session: sign-in, invitation, password reset.
import { Link, Outlet } from 'react-router';
import { useAuth } from '@/lib/auth';
import { useT } from '@/lib/i18n';
import { routes } from '@/lib/routes';
import { LanguageSwitch } from './LanguageSwitch';
import { SkipLink } from './SkipLink';

export function PublicLayout({ wide = false }: { wide?: boolean }) {
  const t = useT();
  const { status } = useAuth();
  return (
    <>
      <SkipLink />
      <header className="dn-header">
        <div className="kern-container dn-header__inner">
          <p className="dn-brand">{t('app.name')}</p>
          <div className="dn-user">
            {status === 'authenticated' ? (
              <Link className="kern-link" to={routes.home}>
                {t('layout.backToApp')}
              </Link>
            ) : null}
            <Link className="kern-link" to={routes.publicProjects}>
              {t('nav.publicProjects')}
            </Link>
            <LanguageSwitch />
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} className={`kern-container dn-main${wide ? '' : ' dn-main--narrow'}`}>
        <Outlet />
      </main>
      <footer className="dn-footer">
        <div className="kern-container">
          <p className="kern-body kern-body--small">{t('app.footer')}</p>
        </div>
      </footer>
    </>
  );
}
