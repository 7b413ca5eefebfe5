//! The district sums per town, service and channel over a period: what the heat map and
//! the "Potenzial" ranking show. Summing a district's figures of a year reads tens of
//! thousands of index entries, so each server instance keeps the sums it computed
//! (`kept::Kept`), keyed by district, period and what the viewer may read, together with
//! the value the district's usage scope (`generations`, scope `usage:<district>`) had at
//! the time. Triggers (migration 000024) give that row a new value whenever the district's
//! figures or their sharing change, whoever writes; a request reads the one row and
//! computes again when it changed. So several instances behind a balancer never serve
//! sums older than the last committed write.
use std::collections::HashMap;
use std::sync::Arc;

use super::model::ChannelCounts;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::kept::Kept;

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

/// The sums depend on nothing but the figures and their sharing: no maximum age.
static SUMS: Kept<Key, Arc<Sums>> = Kept::ageless(LIMIT);

/// The cached sums, or `compute`d ones (then kept) when the district changed since.
pub fn cached(
    conn: &mut DbConn,
    district_id: &str,
    readable: Readable,
    period: (i32, i32),
    compute: impl FnOnce(&mut DbConn) -> AppResult<Cells>,
) -> AppResult<Arc<Sums>> {
    // Read the value before the sums: a write that commits in between leaves fresher sums
    // under the older value, which the next request recomputes; never the reverse.
    let at = crate::kept::generation(conn, &crate::kept::usage(district_id))?;
    let key = (district_id.to_string(), readable, period.0, period.1);
    SUMS.get_or_make(key, at, || Ok(Arc::new(Sums::new(compute(conn)?))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(d: &str) -> Key {
        (d.to_string(), Readable::Whole, 202401, 202412)
    }

    fn sums(n: i64) -> AppResult<Arc<Sums>> {
        let mut cells = Cells::new();
        let counts = ChannelCounts {
            online: Some(n),
            ..ChannelCounts::default()
        };
        cells.insert(("t".into(), "k".into()), counts);
        Ok(Arc::new(Sums::new(cells)))
    }

    fn total(s: &Sums) -> i64 {
        s.ranked[0].1
    }

    #[test]
    fn an_entry_is_only_returned_for_the_generation_and_reader_class_it_was_computed_for() {
        let cache: Kept<Key, Arc<Sums>> = Kept::ageless(LIMIT);
        assert_eq!(
            total(&cache.get_or_make(key("d"), 3, || sums(1)).unwrap()),
            1
        );
        // Same generation: kept (the same sums, not computed again).
        let kept = cache.get_or_make(key("d"), 3, || sums(2)).unwrap();
        assert_eq!(total(&kept), 1);
        // A new generation, another district, another reader class: computed.
        assert_eq!(
            total(&cache.get_or_make(key("d"), 4, || sums(3)).unwrap()),
            3
        );
        assert_eq!(
            total(&cache.get_or_make(key("e"), 4, || sums(4)).unwrap()),
            4
        );
        let public = (String::from("d"), Readable::Public, 202401, 202412);
        assert_eq!(total(&cache.get_or_make(public, 4, || sums(5)).unwrap()), 5);
        // Without a maximum age an entry stays while its generation does.
        assert_eq!(
            total(&cache.get_or_make(key("d"), 4, || sums(6)).unwrap()),
            3
        );
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
        let cache: Kept<Key, Arc<Sums>> = Kept::ageless(LIMIT);
        for i in 0..LIMIT {
            cache
                .get_or_make(key(&i.to_string()), 1, || sums(1))
                .unwrap();
        }
        assert_eq!(
            total(&cache.get_or_make(key("0"), 1, || sums(2)).unwrap()),
            1
        );
        cache.get_or_make(key("new"), 1, || sums(3)).unwrap();
        assert_eq!(
            total(&cache.get_or_make(key("0"), 1, || sums(4)).unwrap()),
            4
        );
        assert_eq!(
            total(&cache.get_or_make(key("new"), 1, || sums(5)).unwrap()),
            3
        );
    }
}
