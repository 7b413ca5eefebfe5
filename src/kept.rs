//! Answers kept in memory per server instance, each together with the value its
//! generation row (table `generations`, migration 000023) had when it was computed.
//! Triggers give a row a new random value whenever something the answers of its scope are
//! made from changes, whoever writes and through whichever instance. A request reads the
//! one row and computes again when the value changed or the kept answer is older than the
//! cache's maximum age (for what has no trigger, such as the day or a holiday list).
//!
//! Scopes: a district's id (its dashboard), [`PROJECTS`] (project lists), [`usage`] of a
//! district (its usage figures, their sharing, its towns and name) and [`LEIKA`] (the
//! names of the LeiKa services), the last two from migration 000024.
//!
//! What is kept is any `Clone` value: answer bytes (the default) or something answers are
//! built from (the usage sums).
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

/// The scope of the LeiKa catalogue (service names and OZG ids).
pub const LEIKA: &str = "leika";

/// The scope of a district's usage figures: the figures and their sharing, the district's
/// towns and its name.
pub fn usage(district_id: &str) -> String {
    format!("usage:{district_id}")
}

/// The current value of a scope; 0 for a scope that has no row yet.
pub fn generation(conn: &mut DbConn, scope: &str) -> AppResult<i64> {
    Ok(generations::table
        .find(scope)
        .select(generations::generation)
        .first::<i64>(conn)
        .optional()?
        .unwrap_or(0))
}

/// One value standing for the current values of all `scopes` (read in one query): it
/// changes when any of them changes. A scope without a row counts as 0.
pub fn generation_of(conn: &mut DbConn, scopes: &[&str]) -> AppResult<i64> {
    let rows: Vec<(String, i64)> = generations::table
        .filter(generations::scope.eq_any(scopes))
        .select((generations::scope, generations::generation))
        .load(conn)?;
    Ok(scopes.iter().enumerate().fold(0i64, |acc, (i, s)| {
        let g = rows
            .iter()
            .find(|(scope, _)| scope == s)
            .map_or(0, |(_, g)| *g);
        // Rotated by position so that two scopes swapping their values still differ.
        acc ^ g.rotate_left(i as u32 * 17)
    }))
}

struct Entry<V> {
    generation: i64,
    at: Instant,
    value: V,
}

/// Kept values by key, at most `limit` of them (then it starts over), each served while
/// its generation is current and, if the cache has a maximum age, for at most that long.
pub struct Kept<K, V: Clone = Bytes> {
    max_age: Option<Duration>,
    limit: usize,
    map: OnceLock<Mutex<HashMap<K, Entry<V>>>>,
}

impl<K: Eq + Hash, V: Clone> Kept<K, V> {
    pub const fn new(max_age: Duration, limit: usize) -> Self {
        Kept {
            max_age: Some(max_age),
            limit,
            map: OnceLock::new(),
        }
    }

    /// A cache whose entries only a new generation replaces (for values that depend on
    /// nothing but what the triggers cover).
    pub const fn ageless(limit: usize) -> Self {
        Kept {
            max_age: None,
            limit,
            map: OnceLock::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<K, Entry<V>>> {
        self.map
            .get_or_init(|| Mutex::new(HashMap::new()))
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }

    /// The kept value for `key` if it was computed at `generation` and is young enough,
    /// else `compute`d and kept. Read the generation before computing: a write that
    /// commits in between leaves the entry with the older value, so the next request
    /// computes again.
    pub fn get_or_make(
        &self,
        key: K,
        generation: i64,
        compute: impl FnOnce() -> AppResult<V>,
    ) -> AppResult<V> {
        if let Some(e) = self.lock().get(&key) {
            if e.generation == generation && self.max_age.is_none_or(|a| e.at.elapsed() < a) {
                return Ok(e.value.clone());
            }
        }
        let value = compute()?;
        let mut map = self.lock();
        if map.len() >= self.limit && !map.contains_key(&key) {
            map.clear();
        }
        map.insert(
            key,
            Entry {
                generation,
                at: Instant::now(),
                value: value.clone(),
            },
        );
        Ok(value)
    }
}

impl<K: Eq + Hash> Kept<K, Bytes> {
    /// [`Kept::get_or_make`] for answer bytes.
    pub fn get_or_compute(
        &self,
        key: K,
        generation: i64,
        compute: impl FnOnce() -> AppResult<Vec<u8>>,
    ) -> AppResult<Bytes> {
        self.get_or_make(key, generation, || compute().map(Bytes::from))
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

    #[test]
    fn any_clone_value_is_kept_and_without_a_maximum_age_only_the_generation_counts() {
        let kept: Kept<&str, std::sync::Arc<Vec<i64>>> = Kept::ageless(4);
        let first = kept
            .get_or_make("a", 1, || Ok(std::sync::Arc::new(vec![1])))
            .unwrap();
        let again = kept
            .get_or_make("a", 1, || Ok(std::sync::Arc::new(vec![2])))
            .unwrap();
        assert!(
            std::sync::Arc::ptr_eq(&first, &again),
            "the kept value itself"
        );
        let next = kept
            .get_or_make("a", 2, || Ok(std::sync::Arc::new(vec![3])))
            .unwrap();
        assert_eq!(*next, vec![3]);
    }
}
