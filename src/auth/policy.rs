//! The permission policy: one function per action, nothing else decides who may do what.
use super::model::{Actor, Role};

/// Where an object lives: its district and, for town-owned objects, its town.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    pub district_id: Option<&'a str>,
    pub municipality_id: Option<&'a str>,
}

impl<'a> Scope<'a> {
    pub fn new(district_id: Option<&'a str>, municipality_id: Option<&'a str>) -> Self {
        Scope {
            district_id,
            municipality_id,
        }
    }
}

fn same_district(a: &Actor, s: Scope) -> bool {
    matches!((a.district_id.as_deref(), s.district_id), (Some(x), Some(y)) if x == y)
}

fn same_town(a: &Actor, s: Scope) -> bool {
    matches!((a.municipality_id.as_deref(), s.municipality_id), (Some(x), Some(y)) if x == y)
}

/// Create or edit districts and the OZG catalogue.
pub fn can_manage_districts(a: &Actor) -> bool {
    a.role == Role::Admin
}

/// Create or edit a town of a district.
pub fn can_manage_municipalities(a: &Actor, district_id: &str) -> bool {
    match a.role {
        Role::Admin => true,
        Role::Coordinator => a.district_id.as_deref() == Some(district_id),
        _ => false,
    }
}

/// See a user account (name, email, role). `users::queries::list_users` is the same rule
/// as a query filter.
pub fn can_view_user(a: &Actor, target: Scope) -> bool {
    match a.role {
        Role::Admin => true,
        Role::Coordinator => same_district(a, target),
        Role::Officer | Role::Member => same_town(a, target),
    }
}

/// Change another user's role, name or active flag (deactivation).
pub fn can_edit_user(a: &Actor, target: Scope, target_role: Role) -> bool {
    match a.role {
        Role::Admin => true,
        Role::Coordinator => same_district(a, target) && target_role != Role::Admin,
        _ => false,
    }
}

/// Give `new_role` to someone (on invitation or edit) at `target`.
pub fn can_assign_role(a: &Actor, new_role: Role, target: Scope) -> bool {
    match a.role {
        Role::Admin => true,
        Role::Coordinator => new_role != Role::Admin && same_district(a, target),
        Role::Officer => new_role == Role::Member && same_town(a, target),
        Role::Member => false,
    }
}

/// Invite a new user with `role` into `target`.
pub fn can_invite(a: &Actor, role: Role, target: Scope) -> bool {
    can_assign_role(a, role, target)
}

/// See or revoke invitations. `users::queries::invitations_visible_to` is the same rule as
/// a query filter.
pub fn can_view_invitation(a: &Actor, target: Scope) -> bool {
    match a.role {
        Role::Admin => true,
        Role::Coordinator => same_district(a, target),
        Role::Officer => same_town(a, target),
        Role::Member => false,
    }
}

/// May open the invitations page at all.
pub fn can_list_invitations(a: &Actor) -> bool {
    a.role != Role::Member
}

/// Read audit entries of `district_id` (None = platform-wide entries).
pub fn can_read_audit(a: &Actor, district_id: Option<&str>) -> bool {
    match a.role {
        Role::Admin => true,
        Role::Coordinator => district_id.is_some() && a.district_id.as_deref() == district_id,
        _ => false,
    }
}

/// Read a project (and everything hanging on it) of `place` with `visibility`
/// (`private`, `district`, `network`, `public`); `None` is an anonymous visitor.
/// `projects::visibility` holds the same rule as query filters (`visible_to`,
/// `visible_cases`, `visible_in_district`, `names_no_hidden_project`);
/// `tests/api/hidden.rs` checks that they agree.
pub fn can_read_project(a: Option<&Actor>, place: Scope, visibility: &str) -> bool {
    match (visibility, a) {
        ("public", _) => true,
        (_, None) => false,
        ("network", Some(_)) => true,
        ("district", Some(a)) => {
            a.role == Role::Admin || same_district(a, place) || same_town(a, place)
        }
        ("private", Some(a)) => {
            matches!(a.role, Role::Officer | Role::Member) && same_town(a, place)
        }
        _ => false,
    }
}

/// Edit a project, change its status, manage partners, post progress updates:
/// admins, the district's coordinators, officers of the owning town or of an accepted partner town.
pub fn can_edit_project(a: &Actor, place: Scope, is_partner_town: bool) -> bool {
    match a.role {
        Role::Admin => true,
        Role::Coordinator => same_district(a, place),
        Role::Officer => same_town(a, place) || is_partner_town,
        Role::Member => false,
    }
}

/// Ask for (or withdraw) the town `town`'s partnership in another town's project: that
/// town's officers. The owner side adds and removes partners by [`can_edit_project`].
pub fn can_request_partnership(a: &Actor, town: &str) -> bool {
    a.role == Role::Officer && a.municipality_id.as_deref() == Some(town)
}

/// Create a project for the town at `place`.
pub fn can_create_project(a: &Actor, place: Scope) -> bool {
    can_edit_project(a, place, false)
}

/// Edit and publish the EfA solutions catalogue.
pub fn can_edit_efa_catalogue(a: &Actor) -> bool {
    matches!(a.role, Role::Admin | Role::Coordinator)
}

/// Propose an EfA solution (a draft a coordinator publishes).
pub fn can_propose_efa(a: &Actor) -> bool {
    a.role != Role::Member
}

/// Read an EfA solution: published ones everyone; an unpublished proposal (a draft) its
/// proposer, the coordinators of the district it was proposed in, and admins.
/// `efa::queries::visible_solutions` is the same rule as a query filter.
pub fn can_read_efa_solution(
    a: &Actor,
    published: bool,
    proposed_by: Option<&str>,
    proposed_in: Option<&str>,
) -> bool {
    published
        || match a.role {
            Role::Admin => true,
            Role::Coordinator => proposed_in.is_some() && a.district_id.as_deref() == proposed_in,
            Role::Officer | Role::Member => proposed_by == Some(a.id.as_str()),
        }
}

/// Record or change a town's adoption of an EfA solution.
pub fn can_record_adoption(a: &Actor, town: Scope) -> bool {
    match a.role {
        Role::Admin => true,
        Role::Coordinator => same_district(a, town),
        Role::Officer => same_town(a, town),
        Role::Member => false,
    }
}

/// Edit a strategy: the district's (`town` = None) or a town's.
pub fn can_edit_strategy(a: &Actor, place: Scope) -> bool {
    match (a.role, place.municipality_id) {
        (Role::Admin, _) => true,
        (Role::Coordinator, None) => same_district(a, place),
        (Role::Officer, Some(_)) => same_town(a, place),
        _ => false,
    }
}

/// Read a district's or a town's strategy: everyone of the district.
pub fn can_read_strategy(a: &Actor, place: Scope) -> bool {
    place.district_id.is_some_and(|d| can_read_district(a, d))
}

/// Read a district's shared numbers and registers (matrix, coverage, dashboard,
/// funding applications and overview): admins and every user of the district.
pub fn can_read_district(a: &Actor, district_id: &str) -> bool {
    a.role == Role::Admin || a.district_id.as_deref() == Some(district_id)
}

/// Open a support request for the town at `town`.
pub fn can_open_support(a: &Actor, town: Scope) -> bool {
    match a.role {
        Role::Admin => true,
        Role::Coordinator => same_district(a, town),
        Role::Officer => same_town(a, town),
        Role::Member => false,
    }
}

/// Read a support request of the town at `town` (public replies only, unless triaging).
/// `support::queries::filtered` is the same rule as a query filter.
pub fn can_read_support(a: &Actor, town: Scope) -> bool {
    match a.role {
        Role::Admin => true,
        Role::Coordinator => same_district(a, town),
        Role::Officer | Role::Member => same_town(a, town),
    }
}

/// Assign, change status, write and read internal notes: the district's coordinators.
pub fn can_triage_support(a: &Actor, town: Scope) -> bool {
    match a.role {
        Role::Admin => true,
        Role::Coordinator => same_district(a, town),
        _ => false,
    }
}

/// Write a public reply: the triaging side and the town's officers.
pub fn can_reply_support(a: &Actor, town: Scope) -> bool {
    can_triage_support(a, town) || (a.role == Role::Officer && same_town(a, town))
}

/// Edit funding programmes and calls.
pub fn can_edit_funding_catalogue(a: &Actor) -> bool {
    matches!(a.role, Role::Admin | Role::Coordinator)
}

/// Declare a town's interest in a programme.
pub fn can_declare_interest(a: &Actor, town: Scope) -> bool {
    can_record_adoption(a, town)
}

/// Create or fully edit a funding application led by the town at `lead`
/// (status, shares, checklist): admins, the district's coordinators, the lead town's officers.
pub fn can_manage_application(a: &Actor, lead: Scope) -> bool {
    match a.role {
        Role::Admin => true,
        Role::Coordinator => same_district(a, lead),
        Role::Officer => same_town(a, lead),
        Role::Member => false,
    }
}

/// Enter the town `town`'s own share of a joint application it is a partner of (the
/// application itself stays with [`can_manage_application`]): that town's officers.
pub fn can_edit_own_share(a: &Actor, town: &str) -> bool {
    a.role == Role::Officer && a.municipality_id.as_deref() == Some(town)
}

/// Read an application's private notes: the lead town and the district's coordinators.
pub fn can_read_application_notes(a: &Actor, lead: Scope) -> bool {
    match a.role {
        Role::Admin => true,
        Role::Coordinator => same_district(a, lead),
        Role::Officer | Role::Member => same_town(a, lead),
    }
}

/// Enter a town's usage figures (CSV import, manual grid, API tokens, sharing,
/// Reifegrad assessments): admins, the district's coordinators, the town's officers.
pub fn can_enter_usage(a: &Actor, town: Scope) -> bool {
    match a.role {
        Role::Admin => true,
        Role::Coordinator => same_district(a, town),
        Role::Officer => same_town(a, town),
        Role::Member => false,
    }
}

/// Read a town's usage figures of one service that the town shared as `sharing`
/// (`district`, `network`, `public`); `None` is an anonymous visitor.
/// `usage::queries::readable_figures` is the same rule as a query filter.
pub fn can_read_usage(a: Option<&Actor>, town: Scope, sharing: &str) -> bool {
    match (sharing, a) {
        ("public", _) => true,
        (_, None) => false,
        ("network", Some(_)) => true,
        ("district", Some(a)) => a.role == Role::Admin || same_district(a, town),
        _ => false,
    }
}

/// See a town's small counts (1–4) exactly instead of "< 5": admins, the town's own
/// users and the district's coordinators; other readers see them masked.
pub fn can_see_exact_usage(a: Option<&Actor>, town: Scope) -> bool {
    match a {
        Some(a) => match a.role {
            Role::Admin => true,
            Role::Coordinator => same_district(a, town),
            Role::Officer | Role::Member => same_town(a, town),
        },
        None => false,
    }
}

/// Read a process of the register (and its knowledge page, models, differences and
/// attachments): like a project of its owner town (`place.municipality_id`; `None` when
/// the district itself maintains the reference). A `private` process without an owner
/// town is the district's own: its coordinators read it. `processes::visibility` holds
/// the same rule as query filters (`visible_to`, `visible_sql`).
pub fn can_read_process(a: Option<&Actor>, place: Scope, visibility: &str) -> bool {
    match (visibility, a, place.municipality_id) {
        ("private", Some(a), None) => a.role == Role::Coordinator && same_district(a, place),
        _ => can_read_project(a, place, visibility),
    }
}

/// Create or edit a process (fields, offices, project links, knowledge page and its
/// attachments, reference models): admins, the district's coordinators, officers of the
/// owner town.
pub fn can_edit_process(a: &Actor, place: Scope) -> bool {
    match a.role {
        Role::Admin => true,
        Role::Coordinator => same_district(a, place),
        Role::Officer => place.municipality_id.is_some() && same_town(a, place),
        Role::Member => false,
    }
}

/// Create a process for `place` (the owner town, or the district when `None`).
pub fn can_create_process(a: &Actor, place: Scope) -> bool {
    can_edit_process(a, place)
}

/// Upload a town's local variant of a process, set its responsible office and edit the
/// reasons and states of its differences: admins, the district's coordinators, the
/// town's officers (who must be able to read the process as well).
pub fn can_edit_process_variant(a: &Actor, town: Scope) -> bool {
    match a.role {
        Role::Admin => true,
        Role::Coordinator => same_district(a, town),
        Role::Officer => same_town(a, town),
        Role::Member => false,
    }
}

/// Enter or change a town's profile (cases, minutes, staff, online share) of a process:
/// admins, the district's coordinators, the town's officers.
pub fn can_edit_process_profile(a: &Actor, town: Scope) -> bool {
    can_enter_usage(a, town)
}

/// Change the weights of the candidate ranking ("Kandidaten für gemeinsame
/// Digitalisierung"): admins and coordinators; everyone else sees the plain ranking.
pub fn can_weight_candidates(a: &Actor) -> bool {
    matches!(a.role, Role::Admin | Role::Coordinator)
}

/// Read a town's continuity sheets (Notfallkarten, they hold contacts), their exercises
/// and the offline export: admins, the district's coordinators, the town's own users.
/// `processes::continuity` applies the same rule to the lists and the ICS feed.
pub fn can_read_continuity(a: &Actor, town: Scope) -> bool {
    match a.role {
        Role::Admin => true,
        Role::Coordinator => same_district(a, town),
        Role::Officer | Role::Member => same_town(a, town),
    }
}

/// Edit, confirm and add exercises to a town's continuity sheets: admins, the district's
/// coordinators, the town's officers.
pub fn can_edit_continuity(a: &Actor, town: Scope) -> bool {
    match a.role {
        Role::Admin => true,
        Role::Coordinator => same_district(a, town),
        Role::Officer => same_town(a, town),
        Role::Member => false,
    }
}

/// The actor's own place: their district and (for officers and members) their town. The
/// answers to "may I do this for my own side at all?" (the SPA's menus, `GET /me`) are the
/// `can_*` functions asked about this place.
pub fn home(a: &Actor) -> Scope<'_> {
    Scope::new(a.district_id.as_deref(), a.municipality_id.as_deref())
}

/// Read the mail outbox and queue a failed mail again: it spans every district, so it is
/// the operator's.
pub fn can_view_outbox(a: &Actor) -> bool {
    a.role == Role::Admin
}

/// Try an identity provider's claim mapping (the SSO dry run): the providers serve every
/// district, so it is the operator's.
pub fn can_test_sso_mapping(a: &Actor) -> bool {
    a.role == Role::Admin
}

/// Whose audit log a reader asks for when they ask for `requested` (None: no district
/// named): admins what they name (None = every entry), everyone else their own district
/// unless they name another. [`can_read_audit`] then decides on the answer.
pub fn audit_district(a: &Actor, requested: Option<&str>) -> Option<String> {
    match a.role {
        Role::Admin => requested.map(str::to_string),
        _ => requested.or(a.district_id.as_deref()).map(str::to_string),
    }
}

/// Enter usage figures for some town (the import preview, the import list without a
/// town): whoever may enter them for their own side.
pub fn can_enter_some_usage(a: &Actor) -> bool {
    can_enter_usage(a, home(a))
}

/// The people pages (users and invitations) are for those who hand out accounts; members
/// read their colleagues on the objects they share instead.
pub fn can_open_people_pages(a: &Actor) -> bool {
    can_list_invitations(a)
}

/// Who works for the district as a whole (and starts on its dashboard, choosing a town
/// when creating something) rather than for one town.
pub fn works_for_district(a: &Actor) -> bool {
    matches!(a.role, Role::Admin | Role::Coordinator)
}

/// The roles `a` may give in an invitation into their own side (an admin: any).
pub fn invitable_roles(a: &Actor) -> Vec<Role> {
    Role::ALL
        .into_iter()
        .filter(|r| can_invite(a, *r, home(a)))
        .collect()
}

/// What the signed-in user may do at all, for the SPA's menus and buttons (`GET /me`).
/// Each flag is the policy function the server asks for that action, asked about the
/// user's own place; per-object answers travel on the objects (`can_edit`, …).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Permissions {
    /// Districts and the OZG catalogue ([`can_manage_districts`]); also: may pick any district.
    pub manage_districts: bool,
    /// Towns of the own district, or all ([`can_manage_municipalities`]).
    pub manage_towns: bool,
    /// The users page ([`can_open_people_pages`]).
    pub view_users: bool,
    /// Change other users' role, name, active flag ([`can_edit_user`]).
    pub manage_users: bool,
    /// Send invitations ([`can_invite`] for at least one role).
    pub invite: bool,
    /// The audit log ([`can_read_audit`] of the own district).
    pub view_audit: bool,
    /// The mail outbox ([`can_view_outbox`]).
    pub view_outbox: bool,
    /// The SSO mapping dry run ([`can_test_sso_mapping`]).
    pub test_sso_mapping: bool,
    /// Create a project ([`can_create_project`]).
    pub create_project: bool,
    /// Propose an EfA solution ([`can_propose_efa`]).
    pub propose_solution: bool,
    /// Edit and publish the EfA catalogue ([`can_edit_efa_catalogue`]).
    pub edit_solutions: bool,
    /// Record a town's adoption of an EfA solution ([`can_record_adoption`]).
    pub adopt: bool,
    /// Open a support request ([`can_open_support`]).
    pub request_support: bool,
    /// Triage support requests ([`can_triage_support`]).
    pub triage_support: bool,
    /// Starts on the district's dashboard and picks a town when creating ([`works_for_district`]).
    pub see_district_dashboard: bool,
    /// Declare a town's interest in a funding programme ([`can_declare_interest`]).
    pub declare_funding_interest: bool,
    /// Edit funding programmes and calls ([`can_edit_funding_catalogue`]).
    pub edit_funding_programmes: bool,
    /// Create a funding application ([`can_manage_application`]).
    pub create_application: bool,
    /// Enter usage figures and Reifegrad assessments ([`can_enter_usage`]).
    pub enter_usage: bool,
    /// Create a process in the register ([`can_create_process`] for the own side).
    pub create_process: bool,
    /// The roles an invitation may give ([`invitable_roles`]).
    pub invitable_roles: Vec<Role>,
}

/// [`Permissions`] of `a`, each flag from the function the server asks for that action.
pub fn permissions(a: &Actor) -> Permissions {
    let here = home(a);
    let invitable_roles = invitable_roles(a);
    Permissions {
        manage_districts: can_manage_districts(a),
        manage_towns: can_manage_municipalities(a, a.district_id.as_deref().unwrap_or("")),
        view_users: can_open_people_pages(a),
        manage_users: Role::ALL.into_iter().any(|r| can_edit_user(a, here, r)),
        invite: !invitable_roles.is_empty(),
        view_audit: can_read_audit(a, audit_district(a, None).as_deref()),
        view_outbox: can_view_outbox(a),
        test_sso_mapping: can_test_sso_mapping(a),
        create_project: can_create_project(a, here),
        propose_solution: can_propose_efa(a),
        edit_solutions: can_edit_efa_catalogue(a),
        adopt: can_record_adoption(a, here),
        request_support: can_open_support(a, here),
        triage_support: can_triage_support(a, here),
        see_district_dashboard: works_for_district(a),
        declare_funding_interest: can_declare_interest(a, here),
        edit_funding_programmes: can_edit_funding_catalogue(a),
        create_application: can_manage_application(a, here),
        enter_usage: can_enter_some_usage(a),
        create_process: can_create_process(a, home(a)),
        invitable_roles,
    }
}

#[cfg(test)]
mod tests {
    //! The policy as a matrix: every role × own/other town × own/other district.
    use super::*;

    const D1: &str = "d-hoexter";
    const D2: &str = "d-paderborn";
    const T1: &str = "t-brakel";
    const T2: &str = "t-warburg";
    const T3: &str = "t-delbrueck";

    fn actor(role: Role) -> Actor {
        let (d, t) = match role {
            Role::Admin => (None, None),
            Role::Coordinator => (Some(D1), None),
            _ => (Some(D1), Some(T1)),
        };
        Actor {
            id: "me".into(),
            role,
            district_id: d.map(Into::into),
            municipality_id: t.map(Into::into),
        }
    }

    #[derive(Clone, Copy, Debug)]
    enum Place {
        OwnTown,
        OtherTownSameDistrict,
        OtherDistrict,
    }

    fn scope(p: Place) -> Scope<'static> {
        match p {
            Place::OwnTown => Scope::new(Some(D1), Some(T1)),
            Place::OtherTownSameDistrict => Scope::new(Some(D1), Some(T2)),
            Place::OtherDistrict => Scope::new(Some(D2), Some(T3)),
        }
    }

    const PLACES: [Place; 3] = [
        Place::OwnTown,
        Place::OtherTownSameDistrict,
        Place::OtherDistrict,
    ];

    /// Expected answer per role for [own town, other town of own district, other district].
    fn check(name: &str, f: impl Fn(&Actor, Scope) -> bool, expected: [(Role, [bool; 3]); 4]) {
        for (role, row) in expected {
            for (place, want) in PLACES.iter().zip(row) {
                assert_eq!(
                    f(&actor(role), scope(*place)),
                    want,
                    "{name}: {role:?} at {place:?}"
                );
            }
        }
    }

    #[test]
    fn view_user_matrix() {
        check(
            "view_user",
            can_view_user,
            [
                (Role::Admin, [true, true, true]),
                (Role::Coordinator, [true, true, false]),
                (Role::Officer, [true, false, false]),
                (Role::Member, [true, false, false]),
            ],
        );
    }

    #[test]
    fn edit_user_matrix() {
        for target_role in [Role::Officer, Role::Member, Role::Coordinator] {
            check(
                "edit_user",
                |a, s| can_edit_user(a, s, target_role),
                [
                    (Role::Admin, [true, true, true]),
                    (Role::Coordinator, [true, true, false]),
                    (Role::Officer, [false, false, false]),
                    (Role::Member, [false, false, false]),
                ],
            );
        }
        assert!(!can_edit_user(
            &actor(Role::Coordinator),
            scope(Place::OwnTown),
            Role::Admin
        ));
    }

    #[test]
    fn invite_matrix() {
        check(
            "invite member",
            |a, s| can_invite(a, Role::Member, s),
            [
                (Role::Admin, [true, true, true]),
                (Role::Coordinator, [true, true, false]),
                (Role::Officer, [true, false, false]),
                (Role::Member, [false, false, false]),
            ],
        );
        check(
            "invite officer",
            |a, s| can_invite(a, Role::Officer, s),
            [
                (Role::Admin, [true, true, true]),
                (Role::Coordinator, [true, true, false]),
                (Role::Officer, [false, false, false]),
                (Role::Member, [false, false, false]),
            ],
        );
        check(
            "invite admin",
            |a, s| can_invite(a, Role::Admin, s),
            [
                (Role::Admin, [true, true, true]),
                (Role::Coordinator, [false, false, false]),
                (Role::Officer, [false, false, false]),
                (Role::Member, [false, false, false]),
            ],
        );
    }

    #[test]
    fn view_invitation_matrix() {
        check(
            "view_invitation",
            can_view_invitation,
            [
                (Role::Admin, [true, true, true]),
                (Role::Coordinator, [true, true, false]),
                (Role::Officer, [true, false, false]),
                (Role::Member, [false, false, false]),
            ],
        );
    }

    #[test]
    fn audit_and_municipalities_matrix() {
        check(
            "read_audit",
            |a, s| can_read_audit(a, s.district_id),
            [
                (Role::Admin, [true, true, true]),
                (Role::Coordinator, [true, true, false]),
                (Role::Officer, [false, false, false]),
                (Role::Member, [false, false, false]),
            ],
        );
        check(
            "manage_municipalities",
            |a, s| can_manage_municipalities(a, s.district_id.unwrap()),
            [
                (Role::Admin, [true, true, true]),
                (Role::Coordinator, [true, true, false]),
                (Role::Officer, [false, false, false]),
                (Role::Member, [false, false, false]),
            ],
        );
        assert!(!can_read_audit(&actor(Role::Coordinator), None));
        for role in Role::ALL {
            assert_eq!(can_manage_districts(&actor(role)), role == Role::Admin);
            assert_eq!(can_list_invitations(&actor(role)), role != Role::Member);
        }
    }

    #[test]
    fn read_project_matrix() {
        // [own town, other town same district, other district] per visibility
        let expect = |vis: &str, rows: [(Role, [bool; 3]); 4]| {
            check(
                &format!("read {vis}"),
                |a, s| can_read_project(Some(a), s, vis),
                rows,
            )
        };
        expect(
            "private",
            [
                (Role::Admin, [false, false, false]),
                (Role::Coordinator, [false, false, false]),
                (Role::Officer, [true, false, false]),
                (Role::Member, [true, false, false]),
            ],
        );
        expect(
            "district",
            [
                (Role::Admin, [true, true, true]),
                (Role::Coordinator, [true, true, false]),
                (Role::Officer, [true, true, false]),
                (Role::Member, [true, true, false]),
            ],
        );
        for vis in ["network", "public"] {
            expect(
                vis,
                [
                    (Role::Admin, [true, true, true]),
                    (Role::Coordinator, [true, true, true]),
                    (Role::Officer, [true, true, true]),
                    (Role::Member, [true, true, true]),
                ],
            );
        }
        for p in PLACES {
            assert!(can_read_project(None, scope(p), "public"));
            for vis in ["private", "district", "network"] {
                assert!(!can_read_project(None, scope(p), vis));
            }
        }
    }

    #[test]
    fn edit_project_matrix() {
        check(
            "edit project",
            |a, s| can_edit_project(a, s, false),
            [
                (Role::Admin, [true, true, true]),
                (Role::Coordinator, [true, true, false]),
                (Role::Officer, [true, false, false]),
                (Role::Member, [false, false, false]),
            ],
        );
        check(
            "edit project as partner",
            |a, s| can_edit_project(a, s, true),
            [
                (Role::Admin, [true, true, true]),
                (Role::Coordinator, [true, true, false]),
                (Role::Officer, [true, true, true]),
                (Role::Member, [false, false, false]),
            ],
        );
    }

    #[test]
    fn efa_and_strategy_matrix() {
        check(
            "record adoption",
            can_record_adoption,
            [
                (Role::Admin, [true, true, true]),
                (Role::Coordinator, [true, true, false]),
                (Role::Officer, [true, false, false]),
                (Role::Member, [false, false, false]),
            ],
        );
        check(
            "edit town strategy",
            can_edit_strategy,
            [
                (Role::Admin, [true, true, true]),
                (Role::Coordinator, [false, false, false]),
                (Role::Officer, [true, false, false]),
                (Role::Member, [false, false, false]),
            ],
        );
        check(
            "edit district strategy",
            |a, s| can_edit_strategy(a, Scope::new(s.district_id, None)),
            [
                (Role::Admin, [true, true, true]),
                (Role::Coordinator, [true, true, false]),
                (Role::Officer, [false, false, false]),
                (Role::Member, [false, false, false]),
            ],
        );
        check(
            "read strategy",
            can_read_strategy,
            [
                (Role::Admin, [true, true, true]),
                (Role::Coordinator, [true, true, false]),
                (Role::Officer, [true, true, false]),
                (Role::Member, [true, true, false]),
            ],
        );
        for role in Role::ALL {
            assert_eq!(
                can_edit_efa_catalogue(&actor(role)),
                matches!(role, Role::Admin | Role::Coordinator)
            );
            assert_eq!(can_propose_efa(&actor(role)), role != Role::Member);
        }
    }

    #[test]
    fn support_matrix() {
        check(
            "open support",
            can_open_support,
            [
                (Role::Admin, [true, true, true]),
                (Role::Coordinator, [true, true, false]),
                (Role::Officer, [true, false, false]),
                (Role::Member, [false, false, false]),
            ],
        );
        check(
            "read support",
            can_read_support,
            [
                (Role::Admin, [true, true, true]),
                (Role::Coordinator, [true, true, false]),
                (Role::Officer, [true, false, false]),
                (Role::Member, [true, false, false]),
            ],
        );
        check(
            "triage support",
            can_triage_support,
            [
                (Role::Admin, [true, true, true]),
                (Role::Coordinator, [true, true, false]),
                (Role::Officer, [false, false, false]),
                (Role::Member, [false, false, false]),
            ],
        );
        check(
            "reply support",
            can_reply_support,
            [
                (Role::Admin, [true, true, true]),
                (Role::Coordinator, [true, true, false]),
                (Role::Officer, [true, false, false]),
                (Role::Member, [false, false, false]),
            ],
        );
    }

    #[test]
    fn funding_matrix() {
        check(
            "manage application",
            can_manage_application,
            [
                (Role::Admin, [true, true, true]),
                (Role::Coordinator, [true, true, false]),
                (Role::Officer, [true, false, false]),
                (Role::Member, [false, false, false]),
            ],
        );
        check(
            "read application notes",
            can_read_application_notes,
            [
                (Role::Admin, [true, true, true]),
                (Role::Coordinator, [true, true, false]),
                (Role::Officer, [true, false, false]),
                (Role::Member, [true, false, false]),
            ],
        );
        for role in Role::ALL {
            assert_eq!(
                can_edit_funding_catalogue(&actor(role)),
                matches!(role, Role::Admin | Role::Coordinator)
            );
        }
    }

    #[test]
    fn usage_matrix() {
        check(
            "enter usage",
            can_enter_usage,
            [
                (Role::Admin, [true, true, true]),
                (Role::Coordinator, [true, true, false]),
                (Role::Officer, [true, false, false]),
                (Role::Member, [false, false, false]),
            ],
        );
        check(
            "read district usage",
            |a, s| can_read_usage(Some(a), s, "district"),
            [
                (Role::Admin, [true, true, true]),
                (Role::Coordinator, [true, true, false]),
                (Role::Officer, [true, true, false]),
                (Role::Member, [true, true, false]),
            ],
        );
        for sharing in ["network", "public"] {
            check(
                &format!("read {sharing} usage"),
                |a, s| can_read_usage(Some(a), s, sharing),
                [
                    (Role::Admin, [true, true, true]),
                    (Role::Coordinator, [true, true, true]),
                    (Role::Officer, [true, true, true]),
                    (Role::Member, [true, true, true]),
                ],
            );
        }
        check(
            "exact usage",
            |a, s| can_see_exact_usage(Some(a), s),
            [
                (Role::Admin, [true, true, true]),
                (Role::Coordinator, [true, true, false]),
                (Role::Officer, [true, false, false]),
                (Role::Member, [true, false, false]),
            ],
        );
        for p in PLACES {
            assert!(can_read_usage(None, scope(p), "public"));
            assert!(!can_read_usage(None, scope(p), "network"));
            assert!(!can_read_usage(None, scope(p), "district"));
            assert!(!can_see_exact_usage(None, scope(p)));
        }
    }

    #[test]
    fn handler_checks_matrix() {
        for role in Role::ALL {
            let a = actor(role);
            assert_eq!(can_view_outbox(&a), role == Role::Admin, "outbox {role:?}");
            assert_eq!(
                can_test_sso_mapping(&a),
                role == Role::Admin,
                "sso dry run {role:?}"
            );
            assert_eq!(
                can_enter_some_usage(&a),
                role != Role::Member,
                "enter some usage {role:?}"
            );
            assert_eq!(
                works_for_district(&a),
                matches!(role, Role::Admin | Role::Coordinator)
            );
        }
        // The audit log: which district is asked for, then whether it may be read.
        let audit = |role: Role, requested: Option<&str>| {
            let a = actor(role);
            let d = audit_district(&a, requested);
            (d.clone(), can_read_audit(&a, d.as_deref()))
        };
        assert_eq!(audit(Role::Admin, None), (None, true));
        assert_eq!(audit(Role::Admin, Some(D2)), (Some(D2.into()), true));
        assert_eq!(audit(Role::Coordinator, None), (Some(D1.into()), true));
        assert_eq!(audit(Role::Coordinator, Some(D1)), (Some(D1.into()), true));
        assert!(!audit(Role::Coordinator, Some(D2)).1);
        for role in [Role::Officer, Role::Member] {
            assert!(!audit(role, None).1 && !audit(role, Some(D1)).1);
        }
    }

    #[test]
    fn permissions_of_each_role() {
        use Role::*;
        let p = |r| permissions(&actor(r));
        assert_eq!(
            p(Admin).invitable_roles,
            vec![Admin, Coordinator, Officer, Member]
        );
        assert_eq!(
            p(Coordinator).invitable_roles,
            vec![Coordinator, Officer, Member]
        );
        assert_eq!(p(Officer).invitable_roles, vec![Member]);
        assert!(p(Member).invitable_roles.is_empty());
        // [admin, coordinator, officer, member]
        type Row = (&'static str, fn(&Permissions) -> bool, [bool; 4]);
        let rows: [Row; 19] = [
            (
                "manage_districts",
                |p| p.manage_districts,
                [true, false, false, false],
            ),
            (
                "manage_towns",
                |p| p.manage_towns,
                [true, true, false, false],
            ),
            ("view_users", |p| p.view_users, [true, true, true, false]),
            (
                "manage_users",
                |p| p.manage_users,
                [true, true, false, false],
            ),
            ("invite", |p| p.invite, [true, true, true, false]),
            ("view_audit", |p| p.view_audit, [true, true, false, false]),
            (
                "view_outbox",
                |p| p.view_outbox,
                [true, false, false, false],
            ),
            (
                "create_project",
                |p| p.create_project,
                [true, true, true, false],
            ),
            (
                "propose_solution",
                |p| p.propose_solution,
                [true, true, true, false],
            ),
            (
                "edit_solutions",
                |p| p.edit_solutions,
                [true, true, false, false],
            ),
            ("adopt", |p| p.adopt, [true, true, true, false]),
            (
                "request_support",
                |p| p.request_support,
                [true, true, true, false],
            ),
            (
                "triage_support",
                |p| p.triage_support,
                [true, true, false, false],
            ),
            (
                "see_district_dashboard",
                |p| p.see_district_dashboard,
                [true, true, false, false],
            ),
            // The server lets admins and coordinators declare too (the SPA had officers only).
            (
                "declare_funding_interest",
                |p| p.declare_funding_interest,
                [true, true, true, false],
            ),
            (
                "edit_funding_programmes",
                |p| p.edit_funding_programmes,
                [true, true, false, false],
            ),
            (
                "create_application",
                |p| p.create_application,
                [true, true, true, false],
            ),
            ("enter_usage", |p| p.enter_usage, [true, true, true, false]),
            (
                "create_process",
                |p| p.create_process,
                [true, true, true, false],
            ),
        ];
        for (name, flag, want) in rows {
            for (role, want) in Role::ALL.into_iter().zip(want) {
                assert_eq!(flag(&p(role)), want, "{name} for {role:?}");
            }
        }
    }

    #[test]
    fn read_efa_solution_matrix() {
        // A proposal by "me" in D1, by someone else in D1, by someone else in D2.
        let cases = [
            (Some("me"), Some(D1)),
            (Some("other"), Some(D1)),
            (Some("other"), Some(D2)),
        ];
        let expected = [
            (Role::Admin, [true, true, true]),
            (Role::Coordinator, [true, true, false]),
            (Role::Officer, [true, false, false]),
            (Role::Member, [true, false, false]),
        ];
        for (role, row) in expected {
            for ((by, in_d), want) in cases.iter().zip(row) {
                let a = actor(role);
                assert_eq!(
                    can_read_efa_solution(&a, false, *by, *in_d),
                    want,
                    "{role:?} {by:?} {in_d:?}"
                );
                assert!(can_read_efa_solution(&a, true, *by, *in_d));
            }
        }
    }

    #[test]
    fn partner_town_matrix() {
        for (name, f) in [
            (
                "request partnership",
                can_request_partnership as fn(&Actor, &str) -> bool,
            ),
            ("edit own share", can_edit_own_share),
        ] {
            check(
                name,
                |a, s| f(a, s.municipality_id.unwrap()),
                [
                    (Role::Admin, [false, false, false]),
                    (Role::Coordinator, [false, false, false]),
                    (Role::Officer, [true, false, false]),
                    (Role::Member, [false, false, false]),
                ],
            );
        }
    }

    #[test]
    fn process_matrix() {
        for vis in ["district", "network", "public"] {
            for role in Role::ALL {
                for place in PLACES {
                    assert_eq!(
                        can_read_process(Some(&actor(role)), scope(place), vis),
                        can_read_project(Some(&actor(role)), scope(place), vis),
                        "read process {vis}: {role:?} at {place:?}"
                    );
                }
            }
        }
        check(
            "read private process",
            |a, s| can_read_process(Some(a), s, "private"),
            [
                (Role::Admin, [false, false, false]),
                (Role::Coordinator, [false, false, false]),
                (Role::Officer, [true, false, false]),
                (Role::Member, [true, false, false]),
            ],
        );
        check(
            "read private district process",
            |a, s| can_read_process(Some(a), Scope::new(s.district_id, None), "private"),
            [
                (Role::Admin, [false, false, false]),
                (Role::Coordinator, [true, true, false]),
                (Role::Officer, [false, false, false]),
                (Role::Member, [false, false, false]),
            ],
        );
        assert!(!can_read_process(None, scope(Place::OwnTown), "district"));
        assert!(can_read_process(
            None,
            scope(Place::OtherDistrict),
            "public"
        ));
        for (name, f) in [
            (
                "edit process",
                can_edit_process as fn(&Actor, Scope) -> bool,
            ),
            ("create process", can_create_process),
            ("edit process variant", can_edit_process_variant),
        ] {
            check(
                name,
                f,
                [
                    (Role::Admin, [true, true, true]),
                    (Role::Coordinator, [true, true, false]),
                    (Role::Officer, [true, false, false]),
                    (Role::Member, [false, false, false]),
                ],
            );
        }
        check(
            "edit district process",
            |a, s| can_edit_process(a, Scope::new(s.district_id, None)),
            [
                (Role::Admin, [true, true, true]),
                (Role::Coordinator, [true, true, false]),
                (Role::Officer, [false, false, false]),
                (Role::Member, [false, false, false]),
            ],
        );
    }

    #[test]
    fn process_profile_and_continuity_matrix() {
        check(
            "read continuity",
            can_read_continuity,
            [
                (Role::Admin, [true, true, true]),
                (Role::Coordinator, [true, true, false]),
                (Role::Officer, [true, false, false]),
                (Role::Member, [true, false, false]),
            ],
        );
        for (name, f) in [
            (
                "edit continuity",
                can_edit_continuity as fn(&Actor, Scope) -> bool,
            ),
            ("edit process profile", can_edit_process_profile),
        ] {
            check(
                name,
                f,
                [
                    (Role::Admin, [true, true, true]),
                    (Role::Coordinator, [true, true, false]),
                    (Role::Officer, [true, false, false]),
                    (Role::Member, [false, false, false]),
                ],
            );
        }
        for (role, want) in [
            (Role::Admin, true),
            (Role::Coordinator, true),
            (Role::Officer, false),
            (Role::Member, false),
        ] {
            assert_eq!(can_weight_candidates(&actor(role)), want, "{role:?}");
        }
    }
}
