// The start page for visitors without a session: what the platform is, the showcase, sign-in.
import { Link } from 'react-router';
import { PageHeading } from '@/components';
import { useT } from '@/lib/i18n';
import { routes } from '@/lib/routes';

export function LandingPage() {
  const t = useT();
  return (
    <div className="kern-stack-lg">
      <PageHeading>{t('landing.title')}</PageHeading>
      <p className="kern-body kern-body--large">{t('landing.lead')}</p>
      <section className="kern-stack" aria-labelledby="landing-what">
        <h2 className="kern-heading-medium" id="landing-what">
          {t('landing.what.title')}
        </h2>
        <ul className="kern-list kern-list--bullet">
          <li>{t('landing.what.projects')}</li>
          <li>{t('landing.what.efa')}</li>
          <li>{t('landing.what.funding')}</li>
          <li>{t('landing.what.support')}</li>
        </ul>
      </section>
      <section className="kern-stack" aria-labelledby="landing-who">
        <h2 className="kern-heading-medium" id="landing-who">
          {t('landing.who.title')}
        </h2>
        <p className="kern-body">{t('landing.who.text')}</p>
      </section>
      <div className="dn-actions">
        <Link className="kern-btn kern-btn--primary" to={routes.signIn}>
          <span className="kern-label">{t('landing.signIn')}</span>
        </Link>
        <Link className="kern-btn kern-btn--secondary" to={routes.publicProjects}>
          <span className="kern-label">{t('landing.showcase')}</span>
        </Link>
      </div>
    </div>
  );
}
