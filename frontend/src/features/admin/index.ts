// Administration: towns, users, invitations and the audit log.
export { AuditPage } from './audit/AuditPage';
export { InvitationsPage } from './invitations/InvitationsPage';
export { TownsPage } from './towns/TownsPage';
export { UsersPage } from './users/UsersPage';
