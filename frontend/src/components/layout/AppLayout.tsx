// Frame after sign-in: product name, who is signed in (name · town, links the profile), logout, and the
// navigation in groups (work, overview, administration menu) behind a menu button on narrow screens.
import { useRef, type ReactNode } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { can, useAuth, useMe } from '@/lib/auth';
import { useT, type MessageKey } from '@/lib/i18n';
import { routes, type FlashState } from '@/lib/routes';
import { useDisclosure } from './disclosure';
import { SiteFooter } from './SiteFooter';
import { SkipLink } from './SkipLink';

/** Work areas, overviews, and administration (its own menu, only for those who may). */
type NavGroup = 'work' | 'overview' | 'admin';

interface NavItem {
  to: string;
  label: MessageKey;
  visible: boolean;
  group: NavGroup;
}

const GROUP_LABELS: Record<Exclude<NavGroup, 'admin'>, MessageKey> = {
  work: 'nav.group.work',
  overview: 'nav.group.overview',
};

/**
 * `headerActions`: extra controls next to the user (the notification bell, passed in by the app shell);
 * `children` instead of the route's outlet (the start page picks its frame itself).
 */
export function AppLayout({ headerActions, children }: { headerActions?: ReactNode; children?: ReactNode } = {}) {
  const t = useT();
  const me = useMe();
  const { signOut } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const menuButton = useRef<HTMLButtonElement>(null);
  const menuPanel = useRef<HTMLElement>(null);
  const menu = useDisclosure(menuButton, menuPanel);
  const adminButton = useRef<HTMLButtonElement>(null);
  const adminPanel = useRef<HTMLUListElement>(null);
  const adminMenu = useDisclosure(adminButton, adminPanel, { outsideCloses: true });
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
    { to: routes.projects, label: 'nav.projects', visible: true, group: 'work' },
    { to: routes.efa, label: 'nav.efa', visible: true, group: 'work' },
    { to: routes.funding, label: 'nav.funding', visible: true, group: 'work' },
    {
      to: routes.support,
      label: can.triageSupport(me) ? 'nav.supportDesk' : 'nav.support',
      visible: true,
      group: 'work',
    },
    { to: routes.strategy, label: 'nav.strategy', visible: true, group: 'work' },
    { to: routes.processes, label: 'nav.processes', visible: true, group: 'work' },
    { to: routes.home, label: 'nav.home', visible: true, group: 'overview' },
    { to: routes.efaMatrix, label: 'nav.efaMatrix', visible: true, group: 'overview' },
    { to: routes.efaCoverage, label: 'nav.efaCoverage', visible: true, group: 'overview' },
    { to: routes.usage, label: 'nav.usage', visible: true, group: 'overview' },
    { to: routes.ozg, label: 'nav.ozg', visible: can.browseOzg(), group: 'overview' },
    { to: routes.publicProjects, label: 'nav.publicProjects', visible: true, group: 'overview' },
    { to: routes.towns, label: 'nav.towns', visible: can.manageTowns(me), group: 'admin' },
    { to: routes.users, label: 'nav.users', visible: can.viewUsers(me), group: 'admin' },
    { to: routes.invitations, label: 'nav.invitations', visible: can.invite(me), group: 'admin' },
    { to: routes.audit, label: 'nav.audit', visible: can.viewAudit(me), group: 'admin' },
    { to: routes.outbox, label: 'nav.outbox', visible: can.viewOutbox(me), group: 'admin' },
    { to: routes.ssoTest, label: 'nav.ssoTest', visible: can.testSsoMapping(me), group: 'admin' },
  ];
  const inGroup = (group: NavGroup) => items.filter((i) => i.visible && i.group === group);
  const adminItems = inGroup('admin');
  const link = (i: NavItem) => (
    <li key={i.to}>
      <Link to={i.to} className="kern-link dn-nav__link" aria-current={isCurrent(i.to) ? 'page' : undefined}>
        {t(i.label)}
      </Link>
    </li>
  );

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
            <Link
              className="kern-link"
              to={routes.profile}
              data-testid="current-user"
              aria-current={location.pathname === routes.profile ? 'page' : undefined}
            >
              <span className="kern-sr-only">{t('layout.signedInAs')} </span>
              {me.name} · {place}
            </Link>
            <button type="button" className="kern-btn kern-btn--tertiary kern-btn--x-small" onClick={logout}>
              <span className="kern-icon kern-icon--logout" aria-hidden="true" />
              <span className="kern-label">{t('layout.logout')}</span>
            </button>
          </div>
          <button
            type="button"
            className="kern-btn kern-btn--secondary kern-btn--small dn-menu-button"
            aria-expanded={menu.open}
            aria-controls="dn-nav"
            ref={menuButton}
            onClick={menu.toggle}
          >
            <span className={`kern-icon kern-icon--${menu.open ? 'close' : 'dehaze'}`} aria-hidden="true" />
            <span className="kern-label">{t('nav.menu')}</span>
          </button>
        </div>
        <nav
          id="dn-nav"
          className={`dn-nav${menu.open ? ' dn-nav--open' : ''}`}
          aria-label={t('nav.label')}
          ref={menuPanel}
        >
          <div className="kern-container dn-nav__groups">
            {(['work', 'overview'] as const).map((group) => (
              <div key={group} className="dn-nav__group">
                <p className="dn-nav__heading" id={`dn-nav-${group}`}>
                  {t(GROUP_LABELS[group])}
                </p>
                <ul className="dn-nav__list" aria-labelledby={`dn-nav-${group}`}>
                  {inGroup(group).map(link)}
                </ul>
              </div>
            ))}
            {adminItems.length > 0 ? (
              <div className="dn-nav__group dn-nav__admin">
                <button
                  type="button"
                  className={`kern-btn kern-btn--tertiary kern-btn--small dn-nav__admin-button${
                    adminItems.some((i) => isCurrent(i.to)) ? ' dn-nav__admin-button--current' : ''
                  }`}
                  aria-expanded={adminMenu.open}
                  aria-controls="dn-nav-admin"
                  ref={adminButton}
                  onClick={adminMenu.toggle}
                >
                  <span className="kern-label">{t('nav.group.admin')}</span>
                  <span className={`kern-icon kern-icon--arrow-${adminMenu.open ? 'up' : 'down'}`} aria-hidden="true" />
                </button>
                <ul
                  id="dn-nav-admin"
                  className="dn-nav__list dn-nav__admin-list"
                  hidden={!adminMenu.open}
                  ref={adminPanel}
                >
                  {adminItems.map(link)}
                </ul>
              </div>
            ) : null}
          </div>
        </nav>
      </header>
      <main id="main" tabIndex={-1} className="kern-container dn-main">
        {children ?? <Outlet />}
      </main>
      <SiteFooter />
    </>
  );
}
