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
} as const;

/** Navigation state carrying a one-off success message to the sign-in page. */
export interface FlashState {
  flash?: 'invitationAccepted' | 'passwordReset' | 'accountDeleted' | 'signedOut' | 'resetRequested';
}
