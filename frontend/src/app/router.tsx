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
import { AuditPage, InvitationsPage, OutboxPage, SsoTestPage, TownsPage, UsersPage } from '@/features/admin';
import {
  AcceptInvitationPage,
  ForgotPasswordPage,
  ResetPasswordPage,
  SignInPage,
  SsoDonePage,
  SsoLinkPage,
} from '@/features/auth';
import { CoveragePage, EditSolutionPage, MatrixPage, NewSolutionPage, SolutionPage, SolutionsPage } from '@/features/efa';
import {
  ApplicationPage,
  BoardPage,
  CalendarPage,
  NewApplicationPage,
  OverviewPage,
  ProgrammeEditPage,
  ProgrammePage,
  ProgrammesPage,
} from '@/features/funding';
import { NotificationBell, NotificationSettingsPage, NotificationsPage } from '@/features/notifications';
import { AccessibilityPage, ImprintPage, PrivacyPage } from '@/features/info';
import { OzgPage } from '@/features/ozg';
import { ProfilePage } from '@/features/profile';
import {
  CandidatesPage,
  ContinuityPage,
  DeviationsPage,
  EditProcessPage,
  NewProcessPage,
  ProcessesPage,
  ProcessImportPage,
  ProcessModelPage,
  ProcessPage,
} from '@/features/processes';
import {
  EditProjectPage,
  NewProjectPage,
  ProjectPage,
  ProjectsPage,
  PublicProjectPage,
  PublicProjectsPage,
} from '@/features/projects';
import { DistrictStrategyPage, TownStrategyPage } from '@/features/strategy';
import { NewRequestPage, RequestPage, SupportPage } from '@/features/support';
import { DistrictUsagePage, ImportPage, ManualEntryPage, MaturityPage, TokensPage, TownUsagePage } from '@/features/usage';
import { can } from '@/lib/auth';
import { useT } from '@/lib/i18n';
import { StartPage } from './StartPage';

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
        <Route
          path="/anmelden/notzugang"
          element={
            <RequireAnonymous>
              <SignInPage emergency />
            </RequireAnonymous>
          }
        />
        <Route path="/anmelden/fertig" element={<SsoDonePage />} />
        <Route path="/anmelden/verknuepfen" element={<SsoLinkPage />} />
        <Route path="/einladung/:token" element={<AcceptInvitationPage />} />
        <Route path="/passwort-vergessen" element={<ForgotPasswordPage />} />
        <Route path="/passwort-zuruecksetzen/:token" element={<ResetPasswordPage />} />
      </Route>
      <Route index element={<StartPage />} />
      <Route element={<PublicLayout wide />}>
        <Route path="/impressum" element={<ImprintPage />} />
        <Route path="/datenschutz" element={<PrivacyPage />} />
        <Route path="/barrierefreiheit" element={<AccessibilityPage />} />
        <Route path="/oeffentlich/projekte" element={<PublicProjectsPage />} />
        <Route path="/oeffentlich/projekte/:id" element={<PublicProjectPage />} />
      </Route>
      <Route
        element={
          <RequireAuth>
            <AppLayout headerActions={<NotificationBell />} />
          </RequireAuth>
        }
      >
        <Route path="/profil" element={<ProfilePage />} />
        <Route path="/profil/benachrichtigungen" element={<NotificationSettingsPage />} />
        <Route path="/benachrichtigungen" element={<NotificationsPage />} />
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
        <Route path="/efa" element={<SolutionsPage />} />
        <Route
          path="/efa/neu"
          element={
            <RequireRole allowed={can.proposeSolution}>
              <NewSolutionPage />
            </RequireRole>
          }
        />
        <Route path="/efa/matrix" element={<MatrixPage />} />
        <Route path="/efa/abdeckung" element={<CoveragePage />} />
        <Route path="/efa/:id" element={<SolutionPage />} />
        <Route
          path="/efa/:id/bearbeiten"
          element={
            <RequireRole allowed={can.proposeSolution}>
              <EditSolutionPage />
            </RequireRole>
          }
        />
        <Route path="/unterstuetzung" element={<SupportPage />} />
        <Route
          path="/unterstuetzung/neu"
          element={
            <RequireRole allowed={can.requestSupport}>
              <NewRequestPage />
            </RequireRole>
          }
        />
        <Route path="/unterstuetzung/:id" element={<RequestPage />} />
        <Route path="/foerderung" element={<ProgrammesPage />} />
        <Route path="/foerderung/programme/:id" element={<ProgrammePage />} />
        <Route path="/foerderung/programme/:id/bearbeiten" element={<ProgrammeEditPage />} />
        <Route path="/foerderung/antraege" element={<BoardPage />} />
        <Route
          path="/foerderung/antraege/neu"
          element={
            <RequireRole allowed={can.createApplication}>
              <NewApplicationPage />
            </RequireRole>
          }
        />
        <Route path="/foerderung/antraege/:id" element={<ApplicationPage />} />
        <Route path="/foerderung/uebersicht" element={<OverviewPage />} />
        <Route path="/foerderung/kalender" element={<CalendarPage />} />
        <Route path="/nutzung" element={<TownUsagePage />} />
        <Route path="/nutzung/kreis" element={<DistrictUsagePage />} />
        <Route path="/nutzung/reifegrad" element={<MaturityPage />} />
        <Route
          path="/nutzung/import"
          element={
            <RequireRole allowed={can.enterUsage}>
              <ImportPage />
            </RequireRole>
          }
        />
        <Route
          path="/nutzung/erfassen"
          element={
            <RequireRole allowed={can.enterUsage}>
              <ManualEntryPage />
            </RequireRole>
          }
        />
        <Route
          path="/nutzung/schnittstelle"
          element={
            <RequireRole allowed={can.enterUsage}>
              <TokensPage />
            </RequireRole>
          }
        />
        <Route path="/prozesse" element={<ProcessesPage />} />
        <Route
          path="/prozesse/neu"
          element={
            <RequireRole allowed={can.createProcess}>
              <NewProcessPage />
            </RequireRole>
          }
        />
        <Route path="/prozesse/abweichungen" element={<DeviationsPage />} />
        <Route path="/prozesse/kandidaten" element={<CandidatesPage />} />
        <Route path="/prozesse/import" element={<ProcessImportPage />} />
        <Route path="/prozesse/:id" element={<ProcessPage />} />
        <Route path="/prozesse/:id/bearbeiten" element={<EditProcessPage />} />
        <Route path="/prozesse/:id/modelle/:modelId" element={<ProcessModelPage />} />
        <Route path="/prozesse/:id/notfallkarte/:townId" element={<ContinuityPage />} />
        <Route path="/strategie" element={<DistrictStrategyPage />} />
        <Route path="/strategie/kommune/:id" element={<TownStrategyPage />} />
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
        <Route
          path="/verwaltung/postausgang"
          element={
            <RequireRole allowed={can.viewOutbox}>
              <OutboxPage />
            </RequireRole>
          }
        />
        <Route
          path="/verwaltung/sso-test"
          element={
            <RequireRole allowed={can.testSsoMapping}>
              <SsoTestPage />
            </RequireRole>
          }
        />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
