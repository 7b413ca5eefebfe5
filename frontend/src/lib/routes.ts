// Every client-side route in one place (German paths).
export const routes = {
  home: '/',
  signIn: '/anmelden',
  invitation: (token: string) => `/einladung/${encodeURIComponent(token)}`,
  forgotPassword: '/passwort-vergessen',
  resetPassword: (token: string) => `/passwort-zuruecksetzen/${encodeURIComponent(token)}`,
  profile: '/profil',
  towns: '/verwaltung/kommunen',
  users: '/verwaltung/benutzer',
  invitations: '/verwaltung/einladungen',
  audit: '/verwaltung/protokoll',
  ozg: '/ozg',
  projects: '/projekte',
  myProjects: '/projekte?mine=true',
  newProject: '/projekte/neu',
  project: (id: string) => `/projekte/${encodeURIComponent(id)}`,
  editProject: (id: string) => `/projekte/${encodeURIComponent(id)}/bearbeiten`,
  publicProjects: '/oeffentlich/projekte',
  publicProject: (id: string) => `/oeffentlich/projekte/${encodeURIComponent(id)}`,
} as const;

/** Navigation state carrying a one-off success message to the sign-in page. */
export interface FlashState {
  flash?: 'invitationAccepted' | 'passwordReset' | 'accountDeleted' | 'signedOut' | 'resetRequested';
}
