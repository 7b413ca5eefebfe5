//! The district dashboard of a viewer, kept per server instance ([`crate::kept`]). Counting
//! a district's projects, topics, OZG coverage, support and funding takes tens of
//! milliseconds at state scale, and the dashboard is what every coordinator opens first.
//! Each answer is kept with the district's generation (scope: the district's id), which
//! triggers change whenever anything the dashboard counts changes; names of people and
//! towns, the OZG catalogue and holidays have no trigger and show after [`MAX_AGE`].
use std::time::Duration;

use actix_web::web::Bytes;

use crate::auth::model::{Actor, Role};
use crate::db::DbConn;
use crate::error::AppResult;
use crate::kept::{generation, Kept};

/// How long a kept dashboard may be served at most, even with no change recorded.
pub const MAX_AGE: Duration = Duration::from_secs(60);

/// What the answer depends on: the district, what the viewer may read there (role, own
/// district, own town), the day (overdue support requests) and the overdue rule.
type Key = (
    String,
    Role,
    Option<String>,
    Option<String>,
    chrono::NaiveDate,
    u32,
);

/// One entry per district and kind of viewer: at most towns + 2 per district, about 12 KB
/// each; more than this and it starts over.
static DASHBOARDS: Kept<Key> = Kept::new(MAX_AGE, 4096);

/// The dashboard of `district_id` for `viewer` as JSON, kept or `compute`d (then kept).
pub fn cached(
    conn: &mut DbConn,
    viewer: &Actor,
    district_id: &str,
    overdue_days: u32,
    compute: impl FnOnce(&mut DbConn) -> AppResult<Vec<u8>>,
) -> AppResult<Bytes> {
    let key: Key = (
        district_id.to_string(),
        viewer.role,
        viewer.district_id.clone(),
        match viewer.role {
            Role::Officer | Role::Member => viewer.municipality_id.clone(),
            _ => None,
        },
        crate::db::today(),
        overdue_days,
    );
    let current = generation(conn, district_id)?;
    DASHBOARDS.get_or_compute(key, current, || compute(conn))
}
