// Frame for pages without a session: sign-in, invitation, password reset.
import { Outlet } from 'react-router';
import { useT } from '@/lib/i18n';
import { LanguageSwitch } from './LanguageSwitch';
import { SkipLink } from './SkipLink';

export function PublicLayout() {
  const t = useT();
  return (
    <>
      <SkipLink />
      <header className="dn-header">
        <div className="kern-container dn-header__inner">
          <p className="dn-brand">{t('app.name')}</p>
          <LanguageSwitch />
        </div>
      </header>
      <main id="main" tabIndex={-1} className="kern-container dn-main dn-main--narrow">
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
