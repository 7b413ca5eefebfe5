// Sub-navigation of the Nutzungsmonitor pages; entry pages only for those who may enter figures.
import { NavLink } from 'react-router';
import { can, useMe } from '@/lib/auth';
import { useT, type MessageKey } from '@/lib/i18n';
import { routes } from '@/lib/routes';

export function UsageNav() {
  const t = useT();
  const me = useMe();
  const enter = can.enterUsage(me);
  const links: { to: string; label: MessageKey; end?: boolean; visible: boolean }[] = [
    { to: routes.usage, label: 'usage.nav.town', end: true, visible: true },
    { to: routes.usageDistrict, label: 'usage.nav.district', visible: true },
    { to: routes.usageMaturity, label: 'usage.nav.maturity', visible: true },
    { to: routes.usageImport, label: 'usage.nav.import', visible: enter },
    { to: routes.usageManual, label: 'usage.nav.manual', visible: enter },
    { to: routes.usageTokens, label: 'usage.nav.tokens', visible: enter },
  ];
  return (
    <nav aria-label={t('usage.nav.label')}>
      <ul className="dn-inline-links">
        {links
          .filter((l) => l.visible)
          .map((l) => (
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
