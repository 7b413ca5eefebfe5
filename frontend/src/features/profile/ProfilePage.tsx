// /profil: own name and language, notification settings link, password, data export, account deletion.
import { Link } from 'react-router';
import { PageHeading } from '@/components';
import { useT } from '@/lib/i18n';
import { routes } from '@/lib/routes';
import { ChangePasswordForm } from './ChangePasswordForm';
import { DeleteAccount } from './DeleteAccount';
import { DownloadData } from './DownloadData';
import { ProfileForm } from './ProfileForm';

export function ProfilePage() {
  const t = useT();
  return (
    <div className="kern-stack-xl">
      <PageHeading>{t('profile.title')}</PageHeading>
      <ProfileForm />
      <section className="kern-stack" aria-labelledby="profile-notifications">
        <h2 className="kern-heading-medium" id="profile-notifications">
          {t('notifications.title')}
        </h2>
        <p className="kern-body">{t('notifications.settings.profileIntro')}</p>
        <p className="kern-body">
          <Link to={routes.notificationSettings} className="kern-link">
            {t('notifications.settings.profileLink')}
          </Link>
        </p>
      </section>
      <ChangePasswordForm />
      <DownloadData />
      <DeleteAccount />
    </div>
  );
}
