// Signing in, accepting invitations, resetting a forgotten password.
export { AcceptInvitationPage } from './AcceptInvitationPage';
export { ForgotPasswordPage } from './ForgotPasswordPage';
export { ResetPasswordPage } from './ResetPasswordPage';
export { SignInPage } from './SignInPage';
export { SsoDonePage } from './SsoDonePage';
export { SsoLinkPage } from './SsoLinkPage';
