// The footer of every page, signed in or not: the legal and information pages.
import { Link } from 'react-router';
import { useT } from '@/lib/i18n';
import { routes } from '@/lib/routes';

export function SiteFooter() {
  const t = useT();
  return (
    <footer className="dn-footer">
      <div className="kern-container dn-footer__inner">
        <nav aria-label={t('footer.label')}>
          <ul className="dn-footer__links">
            <li>
              <Link className="kern-link" to={routes.imprint}>
                {t('footer.impressum')}
              </Link>
            </li>
            <li>
              <Link className="kern-link" to={routes.privacy}>
                {t('footer.datenschutz')}
              </Link>
            </li>
            <li>
              <Link className="kern-link" to={routes.accessibility}>
                {t('footer.barrierefreiheit')}
              </Link>
            </li>
          </ul>
        </nav>
        <p className="kern-body kern-body--small">{t('app.footer')}</p>
      </div>
    </footer>
  );
}
