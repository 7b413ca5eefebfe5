//! The mail outbox: every mail is stored in the transaction that decides to send
//! it; a worker claims due rows (a guarded UPDATE that works on both backends and
//! with several server processes), sends them and records the SMTP answer, retrying
//! with exponential backoff until it gives up and leaves the failure for admins.
//!
//! Exactly once across a crash: right before a mail's content goes to the SMTP server
//! the worker records the hand-over (`handed_over_at`). A worker that dies before
//! that point leaves a mail the server discards, and it is sent again once the claim
//! expires. A worker that dies after it has written content the kernel still delivers,
//! so such a mail is settled as delivered, never sent twice; its row says the server's
//! answer was not seen. Only a death in the microseconds between recording the
//! hand-over and writing the content would lose a mail, and that row is marked the same.
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::outbox;
use crate::db::{new_id, now, DbConn};
use crate::error::AppResult;
use crate::mail::{Mailer, OutgoingMail};

const BATCH: i64 = 25;

/// Stores `mail` for delivery. With an idempotency key a second call for the same
/// key stores nothing and returns false (the caller's transaction can go on).
pub fn enqueue(
    conn: &mut DbConn,
    kind: &str,
    user_id: Option<&str>,
    idempotency_key: Option<&str>,
    mail: &OutgoingMail,
) -> AppResult<bool> {
    enqueue_about(conn, kind, user_id, idempotency_key, None, mail)
}

/// [`enqueue`] for a mail about a project: the admins' outbox list withholds its
/// subject (which names the project) from those who may not read that project.
pub fn enqueue_about(
    conn: &mut DbConn,
    kind: &str,
    user_id: Option<&str>,
    idempotency_key: Option<&str>,
    project_id: Option<&str>,
    mail: &OutgoingMail,
) -> AppResult<bool> {
    if let Some(key) = idempotency_key {
        let n: i64 = outbox::table
            .filter(outbox::idempotency_key.eq(key))
            .count()
            .get_result(conn)?;
        if n > 0 {
            return Ok(false);
        }
    }
    let id = new_id();
    let t = now();
    diesel::insert_into(outbox::table)
        .values((
            outbox::id.eq(&id),
            outbox::kind.eq(kind),
            outbox::idempotency_key.eq(idempotency_key),
            outbox::user_id.eq(user_id),
            outbox::to_email.eq(&mail.to),
            outbox::subject.eq(&mail.subject),
            outbox::body_text.eq(Some(&mail.text)),
            outbox::body_html.eq(Some(&mail.html)),
            outbox::headers
                .eq(serde_json::to_string(&mail.headers).unwrap_or_else(|_| "[]".into())),
            outbox::message_id.eq(mail
                .message_id
                .clone()
                .unwrap_or_else(|| format!("{id}@digitalnetzwerk"))),
            outbox::created_at.eq(t),
            outbox::attempts.eq(0),
            outbox::next_attempt_at.eq(t),
            outbox::project_id.eq(project_id),
        ))
        .execute(conn)?;
    Ok(true)
}

type Claimed = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
    i32,
    NaiveDateTime,
);

/// Claims up to a batch of due rows for `worker` and returns them.
fn claim(conn: &mut DbConn, worker: &str, lease: Duration) -> AppResult<(String, Vec<Claimed>)> {
    let t = now();
    let due: Vec<String> = outbox::table
        .filter(outbox::sent_at.is_null())
        .filter(outbox::failed_at.is_null())
        .filter(outbox::handed_over_at.is_null())
        .filter(outbox::next_attempt_at.le(t))
        .filter(
            outbox::claimed_until
                .is_null()
                .or(outbox::claimed_until.lt(t)),
        )
        .select(outbox::id)
        .order((outbox::created_at.asc(), outbox::id.asc()))
        .limit(BATCH)
        .load(conn)?;
    if due.is_empty() {
        return Ok((String::new(), vec![]));
    }
    let claim_id = format!("{worker}:{}", new_id());
    // The conditions are repeated in the UPDATE itself: PostgreSQL re-checks them on
    // the row version it locks, so two workers never claim the same row.
    diesel::update(
        outbox::table
            .filter(outbox::id.eq_any(&due))
            .filter(outbox::sent_at.is_null())
            .filter(outbox::failed_at.is_null())
            .filter(outbox::handed_over_at.is_null())
            .filter(
                outbox::claimed_until
                    .is_null()
                    .or(outbox::claimed_until.lt(t)),
            ),
    )
    .set((
        outbox::claimed_by.eq(&claim_id),
        outbox::claimed_until.eq(t + lease),
    ))
    .execute(conn)?;
    let rows = outbox::table
        .filter(outbox::claimed_by.eq(&claim_id))
        .select((
            outbox::id,
            outbox::to_email,
            outbox::subject,
            outbox::body_text,
            outbox::body_html,
            outbox::headers,
            outbox::message_id,
            outbox::attempts,
            outbox::created_at,
        ))
        .order((outbox::created_at.asc(), outbox::id.asc()))
        .load(conn)?;
    Ok((claim_id, rows))
}

type UnsentClaimed<'a> = diesel::dsl::Filter<
    diesel::dsl::Filter<
        diesel::dsl::Find<outbox::table, &'a str>,
        diesel::dsl::Eq<outbox::claimed_by, &'a str>,
    >,
    diesel::dsl::IsNull<outbox::sent_at>,
>;

/// The mail `id` while it is unsent and still claimed by `claim_id`.
fn unsent_claimed<'a>(id: &'a str, claim_id: &'a str) -> UnsentClaimed<'a> {
    outbox::table
        .find(id)
        .filter(outbox::claimed_by.eq(claim_id))
        .filter(outbox::sent_at.is_null())
}

fn backoff(attempts: i32) -> Duration {
    Duration::seconds((10i64 << attempts.clamp(0, 12)).min(3600))
}

/// What the admins read on a mail whose worker died after handing it over.
pub const UNCONFIRMED: &str =
    "Zustellung nicht bestätigt: der Versand wurde nach der Übergabe an den Mailserver unterbrochen; \
     die Mail gilt als zugestellt und wird nicht erneut gesendet.";

/// Settles mails handed over by a worker whose claim has expired (it died or hung):
/// they count as delivered (see the module comment). Returns how many.
pub fn settle_handed_over(conn: &mut DbConn) -> AppResult<usize> {
    let t = now();
    let n = diesel::update(
        outbox::table
            .filter(outbox::handed_over_at.is_not_null())
            .filter(outbox::sent_at.is_null())
            .filter(outbox::failed_at.is_null())
            .filter(outbox::claimed_until.lt(t)),
    )
    .set((
        outbox::sent_at.eq(outbox::handed_over_at),
        outbox::attempts.eq(outbox::attempts + 1),
        outbox::last_error.eq(Some(UNCONFIRMED)),
        outbox::body_text.eq(None::<String>),
        outbox::body_html.eq(None::<String>),
        outbox::claimed_by.eq(None::<String>),
        outbox::claimed_until.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?;
    if n > 0 {
        tracing::warn!(
            mails = n,
            "mails handed over before a worker stopped were settled as delivered"
        );
    }
    Ok(n)
}

/// Gives back the mails `worker` has claimed and not handed over, so another process
/// takes them at once instead of after the claim ran out. A mail it handed over without
/// recording the answer is settled as delivered now, as it would be after the claim.
/// Returns how many mails were given back.
pub fn release_claims(conn: &mut DbConn, worker: &str) -> AppResult<usize> {
    // Claim ids are `<worker>:<uuid>`; a worker name holds no LIKE wildcard.
    let mine = format!("{worker}:%");
    let released = diesel::update(
        outbox::table
            .filter(outbox::claimed_by.like(&mine))
            .filter(outbox::sent_at.is_null())
            .filter(outbox::handed_over_at.is_null()),
    )
    .set((
        outbox::claimed_by.eq(None::<String>),
        outbox::claimed_until.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?;
    let unconfirmed = diesel::update(
        outbox::table
            .filter(outbox::claimed_by.like(&mine))
            .filter(outbox::sent_at.is_null())
            .filter(outbox::handed_over_at.is_not_null()),
    )
    .set(outbox::claimed_until.eq(Some(now() - Duration::seconds(1))))
    .execute(conn)?;
    if unconfirmed > 0 {
        settle_handed_over(conn)?;
    }
    Ok(released)
}

/// Delivers what is due; returns how many mails were sent. Blocking. A claim lasts
/// `lease` and is renewed before each mail, so a crashed worker's mails are taken
/// over after one lease, while a slow one keeps what it is still working on. Once
/// `stop()` says so it finishes the mail at hand, gives back the rest of its batch
/// and returns.
pub fn deliver_due(
    pool: &crate::db::DbPool,
    mailer: &Mailer,
    worker: &str,
    give_up_after: Duration,
    lease: Duration,
    stop: &dyn Fn() -> bool,
) -> AppResult<usize> {
    let mut conn = pool
        .get()
        .map_err(|e| crate::error::AppError::unavailable(format!("database: {e}")))?;
    settle_handed_over(&mut conn)?;
    let mut delivery = mailer.delivery();
    let mut sent = 0;
    loop {
        if stop() {
            return Ok(sent);
        }
        let (claim_id, batch) = claim(&mut conn, worker, lease)?;
        if batch.is_empty() {
            return Ok(sent);
        }
        for (id, to, subject, text, html, headers, message_id, attempts, created_at) in batch {
            if stop() {
                release_claims(&mut conn, worker)?;
                return Ok(sent);
            }
            let still_mine = diesel::update(unsent_claimed(&id, &claim_id))
                .set(outbox::claimed_until.eq(now() + lease))
                .execute(&mut conn)?;
            if still_mine == 0 {
                continue;
            }
            let mail = OutgoingMail {
                to,
                subject,
                text: text.unwrap_or_default(),
                html: html.unwrap_or_default(),
                headers: serde_json::from_str(&headers).unwrap_or_default(),
                message_id: Some(message_id),
            };
            let hand_over = || {
                let n = diesel::update(unsent_claimed(&id, &claim_id))
                    .set(outbox::handed_over_at.eq(Some(now())))
                    .execute(&mut conn)
                    .map_err(|e| format!("recording the hand-over: {e}"))?;
                if n == 1 {
                    Ok(())
                } else {
                    Err("another worker took this mail over".to_string())
                }
            };
            match delivery.send(&mail, hand_over) {
                Ok(answer) => {
                    // The body is not kept once delivered: it may hold links with tokens.
                    diesel::update(outbox::table.find(&id))
                        .set((
                            outbox::sent_at.eq(Some(now())),
                            outbox::smtp_response.eq(Some(answer)),
                            outbox::attempts.eq(attempts + 1),
                            outbox::body_text.eq(None::<String>),
                            outbox::body_html.eq(None::<String>),
                            outbox::claimed_by.eq(None::<String>),
                            outbox::claimed_until.eq(None::<NaiveDateTime>),
                            outbox::last_error.eq(None::<String>),
                        ))
                        .execute(&mut conn)?;
                    sent += 1;
                }
                Err(error) => {
                    // The server answered or broke off while this worker watched, so it
                    // has not taken the mail: it is due again (handed_over_at cleared).
                    let t = now();
                    let give_up = t - created_at > give_up_after;
                    tracing::warn!(outbox_id = %id, attempts = attempts + 1, give_up, error = %error, "mail delivery failed");
                    diesel::update(
                        outbox::table
                            .find(&id)
                            .filter(outbox::claimed_by.eq(&claim_id)),
                    )
                    .set((
                        outbox::attempts.eq(attempts + 1),
                        outbox::next_attempt_at.eq(t + backoff(attempts)),
                        outbox::last_error.eq(Some(error)),
                        outbox::failed_at.eq(give_up.then_some(t)),
                        outbox::handed_over_at.eq(None::<NaiveDateTime>),
                        outbox::claimed_by.eq(None::<String>),
                        outbox::claimed_until.eq(None::<NaiveDateTime>),
                    ))
                    .execute(&mut conn)?;
                }
            }
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OutboxEntry {
    pub id: String,
    pub kind: String,
    pub to_email: String,
    pub subject: String,
    pub attempts: i32,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub next_attempt_at: chrono::DateTime<chrono::Utc>,
    pub sent_at: Option<chrono::DateTime<chrono::Utc>>,
    pub failed_at: Option<chrono::DateTime<chrono::Utc>>,
    pub last_error: Option<String>,
    pub smtp_response: Option<String>,
}

#[cfg(test)]
mod tests {
    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(super::backoff(0).num_seconds(), 10);
        assert_eq!(super::backoff(1).num_seconds(), 20);
        assert_eq!(super::backoff(3).num_seconds(), 80);
        assert_eq!(super::backoff(20).num_seconds(), 3600);
    }
}
