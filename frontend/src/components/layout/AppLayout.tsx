// Frame after sign-in: product name, who is signed in (name · town), navigation by role, logout.
import type { ReactNode } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { can, useAuth, useMe } from '@/lib/auth';
import { useT, type MessageKey } from '@/lib/i18n';
import { routes, type FlashState } from '@/lib/routes';
import { SkipLink } from './SkipLink';

interface NavItem {
  to: string;
  label: MessageKey;
  visible: boolean;
}

/** `headerActions`: extra controls next to the user (the notification bell, passed in by the app shell). */
export function AppLayout({ headerActions }: { headerActions?: ReactNode } = {}) {
  const t = useT();
  const me = useMe();
  const { signOut } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  // "/projekte?mine=true" and "/projekte" share a path: match the query string too.
  const matchesQuery = (to: string) => {
    const [path = '', query = ''] = to.split('?');
    if (location.pathname !== path) return false;
    const have = new URLSearchParams(location.search);
    return [...new URLSearchParams(query)].every(([k, v]) => have.get(k) === v);
  };
  const isCurrent = (to: string) => {
    if (to.includes('?')) return matchesQuery(to);
    if (to === routes.home) return location.pathname === to;
    const under = (path: string) => location.pathname === path || location.pathname.startsWith(`${path}/`);
    const current = under(to);
    // "/efa/matrix" is its own entry: it is not also "/efa".
    const deeper = items.some((i) => i.visible && i.to.length > to.length && !i.to.includes('?') && under(i.to));
    return current && !deeper && !items.some((i) => i.to.includes('?') && i.visible && matchesQuery(i.to));
  };
  const place = me.municipality?.name ?? me.district?.name ?? t(`role.${me.role}`);

  const items: NavItem[] = [
    { to: routes.home, label: 'nav.home', visible: true },
    { to: routes.projects, label: 'nav.projects', visible: true },
    { to: routes.myProjects, label: 'nav.myProjects', visible: can.seeMyTownProjects(me) && !!me.municipality },
    { to: routes.publicProjects, label: 'nav.publicProjects', visible: true },
    { to: routes.efa, label: 'nav.efa', visible: true },
    { to: routes.efaMatrix, label: 'nav.efaMatrix', visible: true },
    { to: routes.efaCoverage, label: 'nav.efaCoverage', visible: true },
    { to: routes.strategy, label: 'nav.strategy', visible: true },
    { to: routes.funding, label: 'nav.funding', visible: true },
    { to: routes.support, label: can.triageSupport(me) ? 'nav.supportDesk' : 'nav.support', visible: true },
    { to: routes.ozg, label: 'nav.ozg', visible: can.browseOzg() },
    { to: routes.towns, label: 'nav.towns', visible: can.manageTowns(me) },
    { to: routes.users, label: 'nav.users', visible: can.viewUsers(me) },
    { to: routes.invitations, label: 'nav.invitations', visible: can.invite(me) },
    { to: routes.audit, label: 'nav.audit', visible: can.viewAudit(me) },
    { to: routes.outbox, label: 'nav.outbox', visible: can.viewOutbox(me) },
    { to: routes.profile, label: 'nav.profile', visible: true },
  ];

  const logout = async () => {
    await signOut();
    const state: FlashState = { flash: 'signedOut' };
    await navigate(routes.signIn, { state });
  };

  return (
    <>
      <SkipLink />
      <header className="dn-header">
        <div className="kern-container dn-header__inner">
          <p className="dn-brand">{t('app.name')}</p>
          <div className="dn-user">
            {headerActions}
            <span className="kern-body" data-testid="current-user">
              <span className="kern-sr-only">{t('layout.signedInAs')} </span>
              {me.name} · {place}
            </span>
            <button type="button" className="kern-btn kern-btn--tertiary kern-btn--x-small" onClick={logout}>
              <span className="kern-icon kern-icon--logout" aria-hidden="true" />
              <span className="kern-label">{t('layout.logout')}</span>
            </button>
          </div>
        </div>
        <nav className="dn-nav" aria-label={t('nav.label')}>
          <ul className="kern-container dn-nav__list">
            {items
              .filter((i) => i.visible)
              .map((i) => (
                <li key={i.to}>
                  <Link to={i.to} className="kern-link dn-nav__link" aria-current={isCurrent(i.to) ? 'page' : undefined}>
                    {t(i.label)}
                  </Link>
                </li>
              ))}
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1} className="kern-container dn-main">
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
