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
  /** The mail outbox is the operator's: it spans all districts. */
  viewOutbox: (me: Who) => is(me, 'admin'),
  browseOzg: () => true,
  createProject: (me: Who) => is(me, 'admin', 'coordinator', 'officer'),
  seeMyTownProjects: (me: Who) => is(me, 'officer', 'member'),
  /** Officers propose (a draft); admins and coordinators maintain the catalogue. */
  proposeSolution: (me: Who) => is(me, 'admin', 'coordinator', 'officer'),
  editSolutions: (me: Who) => is(me, 'admin', 'coordinator'),
  /** Record or change a town's adoption of an EfA solution. */
  adopt: (me: Who) => is(me, 'admin', 'coordinator', 'officer'),
  /**
   * Officers open support requests for their town; coordinators (and admins) open them on behalf of
   * a town of their district, and triage them.
   */
  requestSupport: (me: Who) => is(me, 'admin', 'coordinator', 'officer'),
  triageSupport: (me: Who) => is(me, 'admin', 'coordinator'),
  /** The district dashboard (else the own town's). */
  seeDistrictDashboard: (me: Who) => is(me, 'admin', 'coordinator'),
  /** Officers declare their town's interest in a funding programme. */
  declareFundingInterest: (me: Who) => is(me, 'officer'),
  /** Programmes and their calls are maintained by admins and coordinators. */
  editFundingProgrammes: (me: Who) => is(me, 'admin', 'coordinator'),
  /** Funding applications: coordinators for the district, officers for their town. */
  createApplication: (me: Who) => is(me, 'admin', 'coordinator', 'officer'),
  /** Usage figures (imports, the grid, API tokens, Reifegrad): officers for their town, coordinators for the district. */
  enterUsage: (me: Who) => is(me, 'admin', 'coordinator', 'officer'),
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
