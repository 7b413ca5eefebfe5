//! Funding coordination: programmes with calls and deadlines, towns' interest, joint
//! applications with lead and partner shares, checklists, the ICS deadline calendar,
//! deadline reminders and the district overview. Money is integer euro cents throughout.
pub mod deadlines;
pub mod documents;
pub mod ics;
pub mod model;
pub mod queries;
pub mod routes;
pub mod seed;

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::schema::funding_programme_topics;
use crate::db::DbConn;
use crate::error::AppResult;

/// Replaces a programme's topics (ids of the shared topic list, checked by the caller).
pub fn set_programme_topics<T: AsRef<str>>(
    conn: &mut DbConn,
    programme_id: &str,
    topics: &[T],
) -> AppResult<()> {
    diesel::delete(
        funding_programme_topics::table
            .filter(funding_programme_topics::programme_id.eq(programme_id)),
    )
    .execute(conn)?;
    for t in topics {
        diesel::insert_into(funding_programme_topics::table)
            .values((
                funding_programme_topics::programme_id.eq(programme_id),
                funding_programme_topics::topic_id.eq(t.as_ref()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Hash)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    Idea,
    Preparing,
    Submitted,
    Approved,
    Rejected,
    Withdrawn,
}

impl ApplicationStatus {
    pub const ALL: [ApplicationStatus; 6] = [
        ApplicationStatus::Idea,
        ApplicationStatus::Preparing,
        ApplicationStatus::Submitted,
        ApplicationStatus::Approved,
        ApplicationStatus::Rejected,
        ApplicationStatus::Withdrawn,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            ApplicationStatus::Idea => "idea",
            ApplicationStatus::Preparing => "preparing",
            ApplicationStatus::Submitted => "submitted",
            ApplicationStatus::Approved => "approved",
            ApplicationStatus::Rejected => "rejected",
            ApplicationStatus::Withdrawn => "withdrawn",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
    /// idea → preparing → submitted → approved | rejected; withdrawn from any open state.
    pub fn can_move_to(self, to: ApplicationStatus) -> bool {
        use ApplicationStatus::*;
        matches!(
            (self, to),
            (Idea, Preparing)
                | (Preparing, Submitted)
                | (Submitted, Approved)
                | (Submitted, Rejected)
                | (Idea | Preparing | Submitted, Withdrawn)
        )
    }
}

/// Splits `total` in proportion to `weights` so that the parts are whole cents and
/// add up to `total` exactly (largest remainder method).
pub fn apportion(total: i64, weights: &[i64]) -> Vec<i64> {
    let sum: i128 = weights.iter().map(|w| *w as i128).sum();
    if sum <= 0 {
        return vec![0; weights.len()];
    }
    let mut parts: Vec<i64> = Vec::with_capacity(weights.len());
    let mut rest: Vec<(i128, usize)> = Vec::with_capacity(weights.len());
    for (i, w) in weights.iter().enumerate() {
        let exact = total as i128 * *w as i128;
        parts.push((exact / sum) as i64);
        rest.push((exact % sum, i));
    }
    let missing = total - parts.iter().sum::<i64>();
    rest.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in rest.into_iter().take(missing.max(0) as usize) {
        parts[i] += 1;
    }
    parts
}

/// The largest amount `rate_bp` (basis points) of `costs` allows, rounded down to whole cents.
pub fn max_by_rate(costs: i64, rate_bp: i32) -> i64 {
    (costs as i128 * rate_bp as i128 / 10_000) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apportion_is_exact() {
        assert_eq!(apportion(100, &[1, 1, 1]), vec![34, 33, 33]);
        let big = 5_000_000_000; // 50 M€ in cents
        let parts = apportion(big, &[1_234_567_891, 2_345_678_912, 1_419_753_197]);
        assert_eq!(parts.iter().sum::<i64>(), big);
        assert_eq!(apportion(0, &[1, 2]), vec![0, 0]);
        assert_eq!(apportion(10, &[0, 0]), vec![0, 0]);
    }

    #[test]
    fn rate_limits_in_whole_cents() {
        assert_eq!(max_by_rate(870_000_000, 6_500), 565_500_000);
        assert_eq!(max_by_rate(1, 6_500), 0);
    }

    #[test]
    fn life_cycle() {
        use ApplicationStatus::*;
        assert!(!Idea.can_move_to(Submitted));
        assert!(Preparing.can_move_to(Submitted));
        assert!(Submitted.can_move_to(Withdrawn));
        assert!(!Approved.can_move_to(Withdrawn));
    }
}
