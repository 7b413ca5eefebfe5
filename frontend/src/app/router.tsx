// All client-side routes.
import { Route, Routes } from 'react-router';
import {
  AppLayout,
  PageHeading,
  PublicLayout,
  RequireAnonymous,
  RequireAuth,
  RequireRole,
} from '@/components';
import { AuditPage, InvitationsPage, TownsPage, UsersPage } from '@/features/admin';
import { AcceptInvitationPage, ForgotPasswordPage, ResetPasswordPage, SignInPage } from '@/features/auth';
import { HomePage } from '@/features/home';
import { OzgPage } from '@/features/ozg';
import { ProfilePage } from '@/features/profile';
import {
  EditProjectPage,
  NewProjectPage,
  ProjectPage,
  ProjectsPage,
  PublicProjectPage,
  PublicProjectsPage,
} from '@/features/projects';
import { can } from '@/lib/auth';
import { useT } from '@/lib/i18n';

function NotFound() {
  const t = useT();
  return (
    <>
      <PageHeading>{t('notFound.title')}</PageHeading>
      <p className="kern-body">{t('notFound.text')}</p>
    </>
  );
}

export function AppRoutes() {
  return (
    <Routes>
      <Route element={<PublicLayout />}>
        <Route
          path="/anmelden"
          element={
            <RequireAnonymous>
              <SignInPage />
            </RequireAnonymous>
          }
        />
        <Route path="/einladung/:token" element={<AcceptInvitationPage />} />
        <Route path="/passwort-vergessen" element={<ForgotPasswordPage />} />
        <Route path="/passwort-zuruecksetzen/:token" element={<ResetPasswordPage />} />
      </Route>
      <Route element={<PublicLayout wide />}>
        <Route path="/oeffentlich/projekte" element={<PublicProjectsPage />} />
        <Route path="/oeffentlich/projekte/:id" element={<PublicProjectPage />} />
      </Route>
      <Route
        element={
          <RequireAuth>
            <AppLayout />
          </RequireAuth>
        }
      >
        <Route index element={<HomePage />} />
        <Route path="/profil" element={<ProfilePage />} />
        <Route path="/ozg" element={<OzgPage />} />
        <Route path="/projekte" element={<ProjectsPage />} />
        <Route
          path="/projekte/neu"
          element={
            <RequireRole allowed={can.createProject}>
              <NewProjectPage />
            </RequireRole>
          }
        />
        <Route path="/projekte/:id" element={<ProjectPage />} />
        <Route path="/projekte/:id/bearbeiten" element={<EditProjectPage />} />
        <Route
          path="/verwaltung/kommunen"
          element={
            <RequireRole allowed={can.manageTowns}>
              <TownsPage />
            </RequireRole>
          }
        />
        <Route
          path="/verwaltung/benutzer"
          element={
            <RequireRole allowed={can.viewUsers}>
              <UsersPage />
            </RequireRole>
          }
        />
        <Route
          path="/verwaltung/einladungen"
          element={
            <RequireRole allowed={can.invite}>
              <InvitationsPage />
            </RequireRole>
          }
        />
        <Route
          path="/verwaltung/protokoll"
          element={
            <RequireRole allowed={can.viewAudit}>
              <AuditPage />
            </RequireRole>
          }
        />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
