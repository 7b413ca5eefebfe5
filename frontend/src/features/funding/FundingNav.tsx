// Sub-navigation of the funding pages.
import { NavLink } from 'react-router';
import { useT, type MessageKey } from '@/lib/i18n';
import { routes } from '@/lib/routes';

const links: { to: string; label: MessageKey; end?: boolean }[] = [
  { to: routes.funding, label: 'funding.nav.programmes', end: true },
  { to: routes.fundingApplications, label: 'funding.nav.applications', end: true },
  { to: routes.fundingOverview, label: 'funding.nav.overview' },
  { to: routes.fundingCalendar, label: 'funding.nav.calendar' },
];

export function FundingNav() {
  const t = useT();
  return (
    <nav aria-label={t('funding.nav.label')}>
      <ul className="dn-inline-links">
        {links.map((l) => (
          <li key={l.to}>
            <NavLink to={l.to} end={l.end} className="kern-link">
              {t(l.label)}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
