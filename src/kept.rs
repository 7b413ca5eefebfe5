//! Answers kept in memory per server instance, each together with the value its
//! generation row (table `generations`, migration 000023) had when it was computed.
//! Triggers give a row a new random value whenever something the answers of its scope are
//! made from changes, whoever writes and through whichever instance. A request reads the
//! one row and computes again when the value changed or the kept answer is older than the
//! cache's maximum age (for what has no trigger, such as the day or a holiday list).
//!
//! Scopes: a district's id (its dashboard) and [`PROJECTS`] (project lists).
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use actix_web::web::Bytes;
use diesel::prelude::*;

use crate::db::schema::generations;
use crate::db::DbConn;
use crate::error::AppResult;

/// The scope of everything a project list shows: projects, their topics, OZG services,
/// partners and followers, the towns' and topics' names.
pub const PROJECTS: &str = "projects";

/// The current value of a scope; 0 for a scope that has no row yet.
pub fn generation(conn: &mut DbConn, scope: &str) -> AppResult<i64> {
    Ok(generations::table
        .find(scope)
        .select(generations::generation)
        .first::<i64>(conn)
        .optional()?
        .unwrap_or(0))
}

struct Entry {
    generation: i64,
    at: Instant,
    body: Bytes,
}

/// Kept answers by key, at most `limit` of them (then it starts over), each served for at
/// most `max_age` while its generation is current.
pub struct Kept<K> {
    max_age: Duration,
    limit: usize,
    map: OnceLock<Mutex<HashMap<K, Entry>>>,
}

impl<K: Eq + Hash> Kept<K> {
    pub const fn new(max_age: Duration, limit: usize) -> Self {
        Kept {
            max_age,
            limit,
            map: OnceLock::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<K, Entry>> {
        self.map
            .get_or_init(|| Mutex::new(HashMap::new()))
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }

    /// The kept answer for `key` if it was computed at `generation` and is young enough,
    /// else `compute`d and kept. Read the generation before computing: a write that
    /// commits in between leaves the entry with the older value, so the next request
    /// computes again.
    pub fn get_or_compute(
        &self,
        key: K,
        generation: i64,
        compute: impl FnOnce() -> AppResult<Vec<u8>>,
    ) -> AppResult<Bytes> {
        if let Some(e) = self.lock().get(&key) {
            if e.generation == generation && e.at.elapsed() < self.max_age {
                return Ok(e.body.clone());
            }
        }
        let body = Bytes::from(compute()?);
        let mut map = self.lock();
        if map.len() >= self.limit && !map.contains_key(&key) {
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_generation_or_age_computes_again_and_the_limit_bounds_the_entries() {
        let kept: Kept<u32> = Kept::new(Duration::from_secs(3600), 2);
        let calls = std::cell::Cell::new(0);
        let compute = |v: &'static str| {
            calls.set(calls.get() + 1);
            Ok(v.as_bytes().to_vec())
        };
        assert_eq!(kept.get_or_compute(1, 7, || compute("a")).unwrap(), "a");
        assert_eq!(kept.get_or_compute(1, 7, || compute("b")).unwrap(), "a");
        assert_eq!(calls.get(), 1);
        assert_eq!(kept.get_or_compute(1, 8, || compute("c")).unwrap(), "c");
        assert_eq!(calls.get(), 2);
        kept.get_or_compute(2, 8, || compute("d")).unwrap();
        // A third key: the map starts over instead of growing past the limit.
        kept.get_or_compute(3, 8, || compute("e")).unwrap();
        assert_eq!(kept.lock().len(), 1);
        assert_eq!(kept.get_or_compute(1, 8, || compute("f")).unwrap(), "f");
        // An error is passed on and nothing is kept.
        let failed = kept.get_or_compute(4, 8, || Err(crate::error::AppError::NotFound));
        assert!(failed.is_err());
        assert!(!kept.lock().contains_key(&4));
        // Older than the maximum age (here: any age): computed again at the same generation.
        let young: Kept<u32> = Kept::new(Duration::ZERO, 2);
        let before = calls.get();
        young.get_or_compute(1, 8, || compute("g")).unwrap();
        assert_eq!(young.get_or_compute(1, 8, || compute("h")).unwrap(), "h");
        assert_eq!(calls.get(), before + 2);
    }
}
