//! The district dashboard of a viewer, kept per server instance. Counting a district's
//! projects, topics, OZG coverage, support and funding takes tens of milliseconds at state
//! scale, and the dashboard is what every coordinator opens first. Each answer is kept with
//! the district's `dashboard_generations` value at the time; triggers give that row a new
//! value whenever anything the dashboard counts changes (migration 000023), whoever writes
//! and through whichever instance. A request reads the one row and computes again when it
//! changed, or when the kept answer is older than [`MAX_AGE`] (names of people and towns,
//! the OZG catalogue and holidays have no trigger).
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use actix_web::web::Bytes;
use diesel::prelude::*;

use crate::auth::model::{Actor, Role};
use crate::db::schema::dashboard_generations;
use crate::db::DbConn;
use crate::error::AppResult;

/// How long a kept dashboard may be served at most, even with no change recorded.
pub const MAX_AGE: Duration = Duration::from_secs(60);

/// More entries than this and the cache starts over (one per district and kind of viewer:
/// at most towns + 2 per district, about 12 KB each).
const LIMIT: usize = 4096;

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

struct Entry {
    generation: i64,
    at: Instant,
    body: Bytes,
}

pub struct DashboardCache {
    map: Mutex<HashMap<Key, Entry>>,
}

impl DashboardCache {
    pub fn global() -> &'static DashboardCache {
        static CACHE: OnceLock<DashboardCache> = OnceLock::new();
        CACHE.get_or_init(|| DashboardCache {
            map: Mutex::new(HashMap::new()),
        })
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<Key, Entry>> {
        self.map.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The district's current value; 0 for a district that has no row yet.
pub fn generation(conn: &mut DbConn, district_id: &str) -> AppResult<i64> {
    Ok(dashboard_generations::table
        .find(district_id)
        .select(dashboard_generations::generation)
        .first::<i64>(conn)
        .optional()?
        .unwrap_or(0))
}

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
    // Read before computing: a write that commits in between leaves the entry with the
    // older value, so the next request computes again.
    let generation = generation(conn, district_id)?;
    let cache = DashboardCache::global();
    if let Some(e) = cache.lock().get(&key) {
        if e.generation == generation && e.at.elapsed() < MAX_AGE {
            return Ok(e.body.clone());
        }
    }
    let body = Bytes::from(compute(conn)?);
    let mut map = cache.lock();
    if map.len() >= LIMIT && !map.contains_key(&key) {
        map.clear();
    }
    map.insert(
        key,
        Entry {
            generation,
            at: Instant::now(),
            body: body.clone(),
        },
    );
    Ok(body)
}
