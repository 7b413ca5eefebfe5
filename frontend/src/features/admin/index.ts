// Administration: towns, users, invitations, the audit log and the mail outbox.
export { AuditPage } from './audit/AuditPage';
export { InvitationsPage } from './invitations/InvitationsPage';
export { OutboxPage } from './outbox/OutboxPage';
export { SsoTestPage } from './sso/SsoTestPage';
export { TownsPage } from './towns/TownsPage';
export { UsersPage } from './users/UsersPage';
