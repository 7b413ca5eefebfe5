// "/": the dashboard in the application frame for signed-in users, the landing page otherwise.
import { AppLayout, Loading, PublicLayout } from '@/components';
import { DashboardPage } from '@/features/dashboard';
import { LandingPage } from '@/features/info';
import { NotificationBell } from '@/features/notifications';
import { useAuth } from '@/lib/auth';

export function StartPage() {
  const { status } = useAuth();
  if (status === 'restoring') return <Loading />;
  if (status === 'anonymous') {
    return (
      <PublicLayout wide>
        <LandingPage />
      </PublicLayout>
    );
  }
  return (
    <AppLayout headerActions={<NotificationBell />}>
      <DashboardPage />
    </AppLayout>
  );
}
