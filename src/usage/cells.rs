//! The district sums per town, service and channel over a period: what the heat map and
//! the "Potenzial" ranking show. Summing a district's figures of a year reads tens of
//! thousands of index entries, so each server instance keeps the sums it computed, keyed by
//! district, period and what the viewer may read, together with the district's
//! `usage_generations` value at the time. Every write to the district's figures or their
//! sharing gives that row a new value in its own transaction; a request reads the one row
//! and computes again when it changed. So several instances behind a balancer never
//! serve sums older than the last committed write.
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use diesel::prelude::*;
use rand::RngCore;

use super::model::ChannelCounts;
use crate::db::schema::usage_generations;
use crate::db::DbConn;
use crate::error::AppResult;

/// Sums per (town id, LeiKa key).
pub type Cells = HashMap<(String, String), ChannelCounts>;

/// A district's sums over a period, with what every heat-map page needs computed once.
pub struct Sums {
    /// Services by their total over all towns, largest first (ties by key).
    pub ranked: Vec<(String, i64)>,
    /// Per service, the towns' sums ordered by town id.
    pub by_service: HashMap<String, Vec<(String, ChannelCounts)>>,
}

impl Sums {
    pub fn new(cells: Cells) -> Sums {
        let mut by_service: HashMap<String, Vec<(String, ChannelCounts)>> = HashMap::new();
        for ((town, key), c) in cells {
            by_service.entry(key).or_default().push((town, c));
        }
        let mut ranked: Vec<(String, i64)> = by_service
            .iter_mut()
            .map(|(key, towns)| {
                towns.sort_by(|a, b| a.0.cmp(&b.0));
                let total = towns.iter().map(|(_, c)| c.total().unwrap_or(0)).sum();
                (key.clone(), total)
            })
            .collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        Sums { ranked, by_service }
    }
}

/// Which figures a viewer may read in a district: all of them, those shared with the
/// network (signed-in users elsewhere) or only the public ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Readable {
    Whole,
    Network,
    Public,
}

type Key = (String, Readable, i32, i32);

/// More entries than this and the cache starts over. One entry is a district's sums over
/// one period (at most towns × services, a few hundred KB at 10 × 300), so the bound
/// keeps the cache under a few hundred MB even for many districts and periods.
const LIMIT: usize = 512;

pub struct CellCache {
    map: Mutex<HashMap<Key, (i64, Arc<Sums>)>>,
}

impl CellCache {
    pub fn global() -> &'static CellCache {
        static CACHE: OnceLock<CellCache> = OnceLock::new();
        CACHE.get_or_init(CellCache::new)
    }

    fn new() -> CellCache {
        CellCache {
            map: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<Key, (i64, Arc<Sums>)>> {
        self.map.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The sums for `key` if they were computed at `generation`.
    fn get(&self, key: &Key, generation: i64) -> Option<Arc<Sums>> {
        self.lock()
            .get(key)
            .filter(|(g, _)| *g == generation)
            .map(|(_, c)| c.clone())
    }

    fn put(&self, key: Key, generation: i64, cells: Arc<Sums>) {
        let mut map = self.lock();
        if map.len() >= LIMIT && !map.contains_key(&key) {
            map.clear();
        }
        map.insert(key, (generation, cells));
    }
}

/// The district's current value; 0 for a district that has none yet.
pub fn generation(conn: &mut DbConn, district_id: &str) -> AppResult<i64> {
    Ok(usage_generations::table
        .find(district_id)
        .select(usage_generations::generation)
        .first::<i64>(conn)
        .optional()?
        .unwrap_or(0))
}

/// Gives the district a new counter value; call it inside the transaction that writes
/// figures or sharing. The value is random rather than the next number so that two
/// databases served by one process (tests, a restored backup) never share a value for the
/// same district id. The migration gave every district a row; a district created later
/// gets its row at its first write.
pub fn bump(conn: &mut DbConn, district_id: &str) -> AppResult<()> {
    let next = rand::thread_rng().next_u64() as i64;
    let changed = diesel::update(usage_generations::table.find(district_id))
        .set(usage_generations::generation.eq(next))
        .execute(conn)?;
    if changed == 0 {
        diesel::insert_into(usage_generations::table)
            .values((
                usage_generations::district_id.eq(district_id),
                usage_generations::generation.eq(next),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The cached sums, or `compute`d ones (then kept) when the district changed since.
pub fn cached(
    conn: &mut DbConn,
    district_id: &str,
    readable: Readable,
    period: (i32, i32),
    compute: impl FnOnce(&mut DbConn) -> AppResult<Cells>,
) -> AppResult<Arc<Sums>> {
    let cache = CellCache::global();
    // Read the counter before the sums: a write that commits in between leaves fresher sums
    // under the older counter, which the next request recomputes; never the reverse.
    let at = generation(conn, district_id)?;
    let key = (district_id.to_string(), readable, period.0, period.1);
    if let Some(c) = cache.get(&key, at) {
        return Ok(c);
    }
    let cells = Arc::new(Sums::new(compute(conn)?));
    cache.put(key, at, cells.clone());
    Ok(cells)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(d: &str) -> Key {
        (d.to_string(), Readable::Whole, 202401, 202412)
    }

    #[test]
    fn an_entry_is_only_returned_for_the_generation_it_was_computed_at() {
        let cache = CellCache::new();
        let mut cells = Cells::new();
        cells.insert(("t".into(), "k".into()), ChannelCounts::default());
        cache.put(key("d"), 3, Arc::new(Sums::new(cells)));
        assert!(cache.get(&key("d"), 3).is_some());
        assert!(cache.get(&key("d"), 4).is_none());
        assert!(cache.get(&key("e"), 3).is_none());
        let other = (String::from("d"), Readable::Public, 202401, 202412);
        assert!(cache.get(&other, 3).is_none());
    }

    #[test]
    fn services_are_ranked_by_their_total_and_list_their_towns_in_order() {
        let mut cells = Cells::new();
        let counts = |n| ChannelCounts {
            online: Some(n),
            ..ChannelCounts::default()
        };
        cells.insert(("t2".into(), "a".into()), counts(5));
        cells.insert(("t1".into(), "a".into()), counts(5));
        cells.insert(("t1".into(), "b".into()), counts(30));
        cells.insert(("t1".into(), "c".into()), counts(10));
        let sums = Sums::new(cells);
        assert_eq!(
            sums.ranked,
            vec![("b".into(), 30), ("a".into(), 10), ("c".into(), 10)]
        );
        let towns: Vec<&str> = sums.by_service["a"]
            .iter()
            .map(|(t, _)| t.as_str())
            .collect();
        assert_eq!(towns, vec!["t1", "t2"]);
    }

    #[test]
    fn a_full_cache_starts_over() {
        let cache = CellCache::new();
        for i in 0..LIMIT {
            cache.put(key(&i.to_string()), 1, Arc::new(Sums::new(Cells::new())));
        }
        assert!(cache.get(&key("0"), 1).is_some());
        cache.put(key("new"), 1, Arc::new(Sums::new(Cells::new())));
        assert!(cache.get(&key("0"), 1).is_none());
        assert!(cache.get(&key("new"), 1).is_some());
    }
}
