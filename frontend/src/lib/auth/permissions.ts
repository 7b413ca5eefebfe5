// What the signed-in user may do, as the server says it on GET /me (`permissions`, computed by
// auth::policy). The SPA keeps no role table of its own; per-object answers (`can_edit`, …) travel
// on the objects.
import type { Me, Role } from '@/lib/api';

type Who = Pick<Me, 'permissions'>;
type Flag = Exclude<keyof Me['permissions'], 'invitable_roles'>;

const flag = (name: Flag) => (me: Who) => me.permissions[name];

export const can = {
  /** Districts and the OZG catalogue; also: may pick any district as the scope of a page. */
  manageDistricts: flag('manage_districts'),
  manageTowns: flag('manage_towns'),
  viewUsers: flag('view_users'),
  manageUsers: flag('manage_users'),
  invite: flag('invite'),
  viewAudit: flag('view_audit'),
  /** The mail outbox is the operator's: it spans all districts. */
  viewOutbox: flag('view_outbox'),
  /** Try an identity provider's claim mapping (the SSO dry run): the operator's. */
  testSsoMapping: flag('test_sso_mapping'),
  browseOzg: () => true,
  createProject: flag('create_project'),
  /** Propose an EfA solution (a draft); `editSolutions` maintains the catalogue. */
  proposeSolution: flag('propose_solution'),
  editSolutions: flag('edit_solutions'),
  /** Record or change a town's adoption of an EfA solution. */
  adopt: flag('adopt'),
  /** Open a support request (for the own town, or on behalf of a town of the district). */
  requestSupport: flag('request_support'),
  triageSupport: flag('triage_support'),
  /** Works for the district as a whole: its dashboard first, and picks a town when creating. */
  seeDistrictDashboard: flag('see_district_dashboard'),
  /** The same answer where it means "not bound to one town" (no own town to preselect). */
  worksForDistrict: flag('see_district_dashboard'),
  /** Declare the own side's interest in a funding programme. */
  declareFundingInterest: flag('declare_funding_interest'),
  /** Programmes and their calls. */
  editFundingProgrammes: flag('edit_funding_programmes'),
  createApplication: flag('create_application'),
  /** Usage figures (imports, the grid, API tokens, Reifegrad). */
  enterUsage: flag('enter_usage'),
  /** Create an entry in the process register (edits are per process: `can_edit`). */
  createProcess: flag('create_process'),
};

/** Roles a user may hand out in an invitation. */
export function invitableRoles(me: Who): Role[] {
  return me.permissions.invitable_roles;
}
