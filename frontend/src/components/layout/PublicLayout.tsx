// Frame for pages without a session: landing page, sign-in, invitation, password reset,
// the public showcase and the legal pages.
import type { ReactNode } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { useAuth } from '@/lib/auth';
import { useT } from '@/lib/i18n';
import { routes } from '@/lib/routes';
import { LanguageSwitch } from './LanguageSwitch';
import { SiteFooter } from './SiteFooter';
import { SkipLink } from './SkipLink';

/** `children` instead of the route's outlet (the start page picks its frame itself). */
export function PublicLayout({ wide = false, children }: { wide?: boolean; children?: ReactNode }) {
  const t = useT();
  const { status } = useAuth();
  const { pathname } = useLocation();
  return (
    <>
      <SkipLink />
      <header className="dn-header">
        <div className="kern-container dn-header__inner">
          <Link className="dn-brand" to={routes.home}>
            {t('app.name')}
          </Link>
          <div className="dn-user">
            {status === 'authenticated' ? (
              <Link className="kern-link" to={routes.home}>
                {t('layout.backToApp')}
              </Link>
            ) : null}
            {pathname !== routes.publicProjects ? (
              <Link className="kern-link" to={routes.publicProjects}>
                {t('nav.publicProjects')}
              </Link>
            ) : null}
            {status === 'anonymous' && pathname !== routes.signIn ? (
              <Link className="kern-link" to={routes.signIn}>
                {t('layout.signIn')}
              </Link>
            ) : null}
            <LanguageSwitch />
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} className={`kern-container dn-main${wide ? '' : ' dn-main--narrow'}`}>
        {children ?? <Outlet />}
      </main>
      <SiteFooter />
    </>
  );
}
