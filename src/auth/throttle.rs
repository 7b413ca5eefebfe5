//! Login throttling per account and per client address. Every attempt is counted
//! before its password is checked (a guarded UPDATE, so parallel guesses cannot all
//! read "not locked" first); after five attempts of an account each further one waits
//! longer (30 s, 1 min, 2 min … up to 15 minutes), an address gets more room because a
//! town hall's staff share one. A browser that signed in to an account before carries a
//! device cookie and counts under its own key, so an attack on the account does not
//! lock its owner out (OWASP's device cookies).
use chrono::Duration;
use diesel::prelude::*;

use crate::db::schema::login_throttle;
use crate::db::{now, DbConn};
use crate::error::{AppError, AppResult};

pub const FREE_FAILURES: i32 = 5;
/// An address stands for many people behind one gateway.
pub const FREE_FAILURES_PER_ADDRESS: i32 = 20;
const FIRST_DELAY_SECS: i64 = 30;
const MAX_DELAY_SECS: i64 = 15 * 60;
/// Failures older than this are forgotten.
const WINDOW_HOURS: i64 = 1;

pub fn account_key(email: &str) -> String {
    format!("account:{}", email.trim().to_lowercase())
}

pub fn address_key(addr: &str) -> String {
    format!("address:{addr}")
}

pub fn device_key(device: &str) -> String {
    format!("device:{device}")
}

fn free_failures(key: &str) -> i32 {
    if key.starts_with("address:") {
        FREE_FAILURES_PER_ADDRESS
    } else {
        FREE_FAILURES
    }
}

fn delay_after(free: i32, failures: i32) -> Option<Duration> {
    if failures < free {
        return None;
    }
    let exp = (failures - free).min(20) as u32;
    Some(Duration::seconds(
        (FIRST_DELAY_SECS * 2i64.pow(exp)).min(MAX_DELAY_SECS),
    ))
}

/// Counts one attempt for every key, or refuses it (429) when one of them is locked;
/// call it in its own transaction before checking the password.
pub fn attempt(conn: &mut DbConn, keys: &[String]) -> AppResult<()> {
    let t = now();
    // Forget old failures of keys that are not locked.
    diesel::delete(
        login_throttle::table
            .filter(login_throttle::key.eq_any(keys))
            .filter(login_throttle::last_failure_at.lt(t - Duration::hours(WINDOW_HOURS)))
            .filter(
                login_throttle::locked_until
                    .is_null()
                    .or(login_throttle::locked_until.le(t)),
            ),
    )
    .execute(conn)?;
    // A refusal rolls the caller's transaction back, so it counts for no key.
    for key in keys {
        count(conn, key, t)?;
    }
    Ok(())
}

/// The guarded increment of one key: it only succeeds while the key is not locked,
/// and the row lock (PostgreSQL) or the write lock (SQLite) orders parallel attempts.
fn count(conn: &mut DbConn, key: &str, t: chrono::NaiveDateTime) -> AppResult<()> {
    for _ in 0..2 {
        let n = diesel::update(
            login_throttle::table.find(key).filter(
                login_throttle::locked_until
                    .is_null()
                    .or(login_throttle::locked_until.le(t)),
            ),
        )
        .set((
            login_throttle::failures.eq(login_throttle::failures + 1),
            login_throttle::last_failure_at.eq(t),
        ))
        .execute(conn)?;
        if n == 1 {
            let failures: i32 = login_throttle::table
                .find(key)
                .select(login_throttle::failures)
                .first(conn)?;
            if let Some(d) = delay_after(free_failures(key), failures) {
                diesel::update(login_throttle::table.find(key))
                    .set(login_throttle::locked_until.eq(Some(t + d)))
                    .execute(conn)?;
            }
            return Ok(());
        }
        let locked: Option<Option<chrono::NaiveDateTime>> = login_throttle::table
            .find(key)
            .select(login_throttle::locked_until)
            .first(conn)
            .optional()?;
        match locked {
            Some(Some(until)) if until > t => {
                return Err(AppError::TooManyRequests {
                    retry_after_secs: (until - t).num_seconds().max(1) as u64,
                })
            }
            Some(_) => continue,
            None => {
                // First attempt of this key; a parallel first attempt may insert the
                // same key at once, then the loop counts on the row it wrote.
                let inserted = conn.transaction(|c| {
                    diesel::insert_into(login_throttle::table)
                        .values((
                            login_throttle::key.eq(key),
                            login_throttle::failures.eq(1),
                            login_throttle::last_failure_at.eq(t),
                            login_throttle::locked_until
                                .eq(delay_after(free_failures(key), 1).map(|d| t + d)),
                        ))
                        .execute(c)
                });
                match inserted {
                    Ok(_) => return Ok(()),
                    Err(diesel::result::Error::DatabaseError(
                        diesel::result::DatabaseErrorKind::UniqueViolation,
                        _,
                    )) => continue,
                    Err(e) => return Err(e.into()),
                }
            }
        }
    }
    Err(AppError::TooManyRequests {
        retry_after_secs: 1,
    })
}

fn give_back(conn: &mut DbConn, key: &str) -> AppResult<()> {
    diesel::update(login_throttle::table.find(key))
        .set(login_throttle::failures.eq(login_throttle::failures - 1))
        .execute(conn)?;
    Ok(())
}

/// After the right password: the account's (or device's) count starts afresh and the
/// attempt is taken back from the others (the address), since it was no guess.
pub fn succeeded(conn: &mut DbConn, keys: &[String]) -> AppResult<()> {
    if let Some((first, rest)) = keys.split_first() {
        diesel::delete(login_throttle::table.find(first)).execute(conn)?;
        for k in rest {
            give_back(conn, k)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delay_grows_after_the_free_failures() {
        assert_eq!(delay_after(FREE_FAILURES, 4), None);
        assert_eq!(delay_after(FREE_FAILURES, 5), Some(Duration::seconds(30)));
        assert_eq!(delay_after(FREE_FAILURES, 6), Some(Duration::seconds(60)));
        assert_eq!(delay_after(FREE_FAILURES, 8), Some(Duration::seconds(240)));
        assert_eq!(
            delay_after(FREE_FAILURES, 40),
            Some(Duration::seconds(MAX_DELAY_SECS))
        );
        assert_eq!(
            free_failures(&address_key("10.0.0.1")),
            FREE_FAILURES_PER_ADDRESS
        );
        assert_eq!(free_failures(&account_key("a@b.example")), FREE_FAILURES);
    }
}
