//! Login throttling per account and per client address: after five failures
//! each further attempt waits longer (1 s, 2 s, 4 s … up to 15 minutes).
use chrono::Duration;
use diesel::prelude::*;

use crate::db::schema::login_throttle;
use crate::db::{now, DbConn};
use crate::error::AppResult;

pub const FREE_FAILURES: i32 = 5;
const MAX_DELAY_SECS: i64 = 15 * 60;
/// Failures older than this are forgotten.
const WINDOW_HOURS: i64 = 1;

pub fn account_key(email: &str) -> String {
    format!("account:{}", email.trim().to_lowercase())
}

pub fn address_key(addr: &str) -> String {
    format!("address:{addr}")
}

/// Seconds the caller must still wait for any of `keys`, or None.
pub fn blocked_for(conn: &mut DbConn, keys: &[String]) -> AppResult<Option<u64>> {
    let t = now();
    let until: Vec<Option<chrono::NaiveDateTime>> = login_throttle::table
        .filter(login_throttle::key.eq_any(keys))
        .select(login_throttle::locked_until)
        .load(conn)?;
    let wait = until
        .into_iter()
        .flatten()
        .filter(|u| *u > t)
        .map(|u| (u - t).num_seconds().max(1) as u64)
        .max();
    Ok(wait)
}

fn delay_after(failures: i32) -> Option<Duration> {
    if failures < FREE_FAILURES {
        return None;
    }
    let exp = (failures - FREE_FAILURES).min(20) as u32;
    Some(Duration::seconds(2i64.pow(exp).min(MAX_DELAY_SECS)))
}

pub fn record_failure(conn: &mut DbConn, keys: &[String]) -> AppResult<()> {
    let t = now();
    for key in keys {
        let current: Option<(i32, chrono::NaiveDateTime)> = login_throttle::table
            .find(key)
            .select((login_throttle::failures, login_throttle::last_failure_at))
            .first(conn)
            .optional()?;
        match current {
            Some((failures, last)) => {
                let failures = if t - last > Duration::hours(WINDOW_HOURS) {
                    1
                } else {
                    failures + 1
                };
                diesel::update(login_throttle::table.find(key))
                    .set((
                        login_throttle::failures.eq(failures),
                        login_throttle::last_failure_at.eq(t),
                        login_throttle::locked_until.eq(delay_after(failures).map(|d| t + d)),
                    ))
                    .execute(conn)?;
            }
            None => {
                diesel::insert_into(login_throttle::table)
                    .values((
                        login_throttle::key.eq(key),
                        login_throttle::failures.eq(1),
                        login_throttle::last_failure_at.eq(t),
                        login_throttle::locked_until.eq(delay_after(1).map(|d| t + d)),
                    ))
                    .execute(conn)?;
            }
        }
    }
    Ok(())
}

pub fn clear(conn: &mut DbConn, key: &str) -> AppResult<()> {
    diesel::delete(login_throttle::table.find(key)).execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delay_grows_after_five_failures() {
        assert_eq!(delay_after(4), None);
        assert_eq!(delay_after(5), Some(Duration::seconds(1)));
        assert_eq!(delay_after(6), Some(Duration::seconds(2)));
        assert_eq!(delay_after(8), Some(Duration::seconds(8)));
        assert_eq!(delay_after(40), Some(Duration::seconds(MAX_DELAY_SECS)));
    }
}
