// /: welcome with the user's town and district.
import { Link } from 'react-router';
import { PageHeading } from '@/components';
import { can, useMe } from '@/lib/auth';
import { useT } from '@/lib/i18n';
import { routes } from '@/lib/routes';

export function HomePage() {
  const t = useT();
  const me = useMe();
  return (
    <div className="kern-stack-lg">
      <PageHeading>{t('home.welcome', { name: me.name })}</PageHeading>
      <dl className="kern-description-list">
        <div className="kern-description-list-item">
          <dt className="kern-description-list-item__key">{t('field.role')}</dt>
          <dd className="kern-description-list-item__value">{t(`role.${me.role}`)}</dd>
        </div>
        {me.municipality ? (
          <div className="kern-description-list-item">
            <dt className="kern-description-list-item__key">{t('field.municipality')}</dt>
            <dd className="kern-description-list-item__value">
              {me.municipality.name} ({t('field.ags')} {me.municipality.ags})
            </dd>
          </div>
        ) : null}
        {me.district ? (
          <div className="kern-description-list-item">
            <dt className="kern-description-list-item__key">{t('field.district')}</dt>
            <dd className="kern-description-list-item__value">
              {me.district.name} ({me.district.key})
            </dd>
          </div>
        ) : null}
      </dl>
      <p className="kern-body">{t('home.intro')}</p>
      <ul className="dn-links">
        <li>
          <Link className="kern-link" to={routes.ozg}>
            {t('nav.ozg')}
          </Link>
        </li>
        {can.invite(me) ? (
          <li>
            <Link className="kern-link" to={routes.invitations}>
              {t('nav.invitations')}
            </Link>
          </li>
        ) : null}
        <li>
          <Link className="kern-link" to={routes.profile}>
            {t('nav.profile')}
          </Link>
        </li>
      </ul>
    </div>
  );
}
