export { AuthProvider } from './AuthProvider';
export { useAuth, useMe } from './context';
export type { AuthValue, SessionStatus } from './context';
export { can, invitableRoles } from './permissions';
export { useAuthMethods, useProviderLabel } from './methods';
