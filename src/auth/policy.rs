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

/// See a user account (name, email, role).
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

/// See or revoke invitations.
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
/// `projects::visibility::visible_to` is the same rule as a query filter.
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
}
