// Sub-navigation of the process register.
import { NavLink } from 'react-router';
import { useT, type MessageKey } from '@/lib/i18n';
import { routes } from '@/lib/routes';

export function ProcessNav() {
  const t = useT();
  const links: { to: string; label: MessageKey; end?: boolean }[] = [
    { to: routes.processes, label: 'processes.nav.register', end: true },
    { to: routes.processDeviations, label: 'processes.nav.deviations' },
    { to: routes.processCandidates, label: 'processes.nav.candidates' },
    { to: routes.processImport, label: 'processes.nav.import' },
  ];
  return (
    <nav aria-label={t('processes.nav.label')}>
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
