// What each role may see in the UI; the server decides for real (auth::policy).
import type { Me, Role } from '@/lib/api';

type Who = Pick<Me, 'role'>;

const is = (me: Who, ...roles: Role[]) => roles.includes(me.role);

export const can = {
  manageTowns: (me: Who) => is(me, 'admin', 'coordinator'),
  viewUsers: (me: Who) => is(me, 'admin', 'coordinator', 'officer'),
  manageUsers: (me: Who) => is(me, 'admin', 'coordinator'),
  invite: (me: Who) => is(me, 'admin', 'coordinator', 'officer'),
  viewAudit: (me: Who) => is(me, 'admin', 'coordinator'),
  browseOzg: () => true,
  createProject: (me: Who) => is(me, 'admin', 'coordinator', 'officer'),
  seeMyTownProjects: (me: Who) => is(me, 'officer', 'member'),
};

/** Roles a user may hand out in an invitation. */
export function invitableRoles(me: Who): Role[] {
  switch (me.role) {
    case 'admin':
      return ['admin', 'coordinator', 'officer', 'member'];
    case 'coordinator':
      return ['coordinator', 'officer', 'member'];
    case 'officer':
      return ['member'];
    case 'member':
      return [];
  }
}
