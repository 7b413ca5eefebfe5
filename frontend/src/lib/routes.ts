// Every client-side route in one place (German paths).
export const routes = {
  home: '/',
  signIn: '/anmelden',
  signInEmergency: '/anmelden/notzugang',
  signInDone: '/anmelden/fertig',
  signInLink: '/anmelden/verknuepfen',
  /** "Anmelden mit …": the server starts the sign-in at the provider (a full page load). */
  ssoStart: (provider: string, ziel?: string) =>
    `/api/v1/auth/oidc/${encodeURIComponent(provider)}/start${ziel ? `?ziel=${encodeURIComponent(ziel)}` : ''}`,
  ssoTest: '/verwaltung/sso-test',
  invitation: (token: string) => `/einladung/${encodeURIComponent(token)}`,
  forgotPassword: '/passwort-vergessen',
  resetPassword: (token: string) => `/passwort-zuruecksetzen/${encodeURIComponent(token)}`,
  profile: '/profil',
  notifications: '/benachrichtigungen',
  notificationSettings: '/profil/benachrichtigungen',
  towns: '/verwaltung/kommunen',
  users: '/verwaltung/benutzer',
  invitations: '/verwaltung/einladungen',
  audit: '/verwaltung/protokoll',
  outbox: '/verwaltung/postausgang',
  ozg: '/ozg',
  projects: '/projekte',
  myProjects: '/projekte?mine=true',
  newProject: '/projekte/neu',
  project: (id: string) => `/projekte/${encodeURIComponent(id)}`,
  editProject: (id: string) => `/projekte/${encodeURIComponent(id)}/bearbeiten`,
  efa: '/efa',
  newEfaSolution: '/efa/neu',
  efaMatrix: '/efa/matrix',
  efaCoverage: '/efa/abdeckung',
  efaSolution: (id: string) => `/efa/${encodeURIComponent(id)}`,
  editEfaSolution: (id: string) => `/efa/${encodeURIComponent(id)}/bearbeiten`,
  strategy: '/strategie',
  townStrategy: (id: string) => `/strategie/kommune/${encodeURIComponent(id)}`,
  support: '/unterstuetzung',
  newSupportRequest: '/unterstuetzung/neu',
  /**
   * A new support request about a funding application (preselected on the form); `townId` preselects
   * the town for users who open requests on behalf of a town (coordinators).
   */
  newSupportRequestFor: (applicationId: string, townId?: string) =>
    `/unterstuetzung/neu?antrag=${encodeURIComponent(applicationId)}${townId ? `&kommune=${encodeURIComponent(townId)}` : ''}`,
  supportRequest: (id: string) => `/unterstuetzung/${encodeURIComponent(id)}`,
  funding: '/foerderung',
  fundingProgramme: (id: string) => `/foerderung/programme/${encodeURIComponent(id)}`,
  editFundingProgramme: (id: string) => `/foerderung/programme/${encodeURIComponent(id)}/bearbeiten`,
  fundingApplications: '/foerderung/antraege',
  newFundingApplication: '/foerderung/antraege/neu',
  fundingApplication: (id: string) => `/foerderung/antraege/${encodeURIComponent(id)}`,
  fundingOverview: '/foerderung/uebersicht',
  fundingCalendar: '/foerderung/kalender',
  usage: '/nutzung',
  usageDistrict: '/nutzung/kreis',
  usageImport: '/nutzung/import',
  usageManual: '/nutzung/erfassen',
  usageMaturity: '/nutzung/reifegrad',
  usageTokens: '/nutzung/schnittstelle',
  processes: '/prozesse',
  newProcess: '/prozesse/neu',
  processDeviations: '/prozesse/abweichungen',
  processCandidates: '/prozesse/kandidaten',
  processImport: '/prozesse/import',
  process: (id: string) => `/prozesse/${encodeURIComponent(id)}`,
  editProcess: (id: string) => `/prozesse/${encodeURIComponent(id)}/bearbeiten`,
  processModel: (id: string, modelId: string) => `/prozesse/${encodeURIComponent(id)}/modelle/${encodeURIComponent(modelId)}`,
  processContinuity: (id: string, townId: string) => `/prozesse/${encodeURIComponent(id)}/notfallkarte/${encodeURIComponent(townId)}`,
  publicProjects: '/oeffentlich/projekte',
  publicProject: (id: string) => `/oeffentlich/projekte/${encodeURIComponent(id)}`,
  imprint: '/impressum',
  privacy: '/datenschutz',
  accessibility: '/barrierefreiheit',
} as const;

/** Navigation state carrying a one-off success message to the sign-in page. */
export interface FlashState {
  flash?: 'invitationAccepted' | 'passwordReset' | 'accountDeleted' | 'signedOut' | 'resetRequested';
}
