// Test fixtures only: what GET /me says each role may do at all. The server computes it
// (auth::policy::permissions, pinned by its `permissions_of_each_role` unit test); the app itself
// never derives a permission from a role.
import type { Me, Role } from '@/lib/api';

const anyOf = (role: Role, ...roles: Role[]) => roles.includes(role);

export function permissionsOf(role: Role): Me['permissions'] {
  const district = anyOf(role, 'admin', 'coordinator');
  const notMember = role !== 'member';
  return {
    manage_districts: role === 'admin',
    manage_towns: district,
    view_users: notMember,
    manage_users: district,
    invite: notMember,
    view_audit: district,
    view_outbox: role === 'admin',
    test_sso_mapping: role === 'admin',
    create_project: notMember,
    propose_solution: notMember,
    edit_solutions: district,
    adopt: notMember,
    request_support: notMember,
    triage_support: district,
    see_district_dashboard: district,
    declare_funding_interest: notMember,
    edit_funding_programmes: district,
    create_application: notMember,
    enter_usage: notMember,
    create_process: notMember,
    invitable_roles: (['admin', 'coordinator', 'officer', 'member'] as Role[]).filter((r) =>
      role === 'admin' ? true : role === 'coordinator' ? r !== 'admin' : role === 'officer' ? r === 'member' : false,
    ),
  };
}
