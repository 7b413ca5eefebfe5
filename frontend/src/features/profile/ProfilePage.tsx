// /profil: own name and language, password, data export, account deletion.
import { PageHeading } from '@/components';
import { useT } from '@/lib/i18n';
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
      <ChangePasswordForm />
      <DownloadData />
      <DeleteAccount />
    </div>
  );
}
