//! Sessions, refresh tokens and password resets in the database.
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{password_resets, refresh_tokens, sessions, users};
use crate::db::{new_id, now, DbConn};
use crate::error::{AppError, AppResult};
use crate::users::model::UserRow;

pub fn active_user_in_session(
    conn: &mut DbConn,
    user_id: &str,
    session_id: &str,
) -> AppResult<Option<UserRow>> {
    let t = now();
    let row = users::table
        .inner_join(sessions::table.on(sessions::user_id.eq(users::id)))
        .filter(users::id.eq(user_id))
        .filter(users::active.eq(true))
        .filter(sessions::id.eq(session_id))
        .filter(sessions::revoked_at.is_null())
        .filter(sessions::expires_at.gt(t))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?;
    Ok(row)
}

pub fn user_by_email(conn: &mut DbConn, email: &str) -> AppResult<Option<UserRow>> {
    Ok(users::table
        .filter(users::email.eq(email))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn user_by_id(conn: &mut DbConn, id: &str) -> AppResult<Option<UserRow>> {
    Ok(users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .optional()?)
}

/// Starts a session for `user_id` and returns (session id, refresh token).
pub fn create_session(conn: &mut DbConn, user_id: &str, days: i64) -> AppResult<(String, String)> {
    let t = now();
    let sid = new_id();
    diesel::insert_into(sessions::table)
        .values((
            sessions::id.eq(&sid),
            sessions::user_id.eq(user_id),
            sessions::created_at.eq(t),
            sessions::last_used_at.eq(t),
            sessions::expires_at.eq(t + Duration::days(days)),
        ))
        .execute(conn)?;
    let token = insert_refresh_token(conn, &sid)?;
    diesel::update(users::table.find(user_id))
        .set(users::last_login_at.eq(Some(t)))
        .execute(conn)?;
    Ok((sid, token))
}

fn insert_refresh_token(conn: &mut DbConn, session_id: &str) -> AppResult<String> {
    let token = super::tokens::random_token(32);
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::id.eq(new_id()),
            refresh_tokens::session_id.eq(session_id),
            refresh_tokens::token_hash.eq(super::tokens::hash_token(&token)),
            refresh_tokens::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(token)
}

pub enum RefreshOutcome {
    Rotated {
        user: Box<UserRow>,
        session_id: String,
        token: String,
    },
    /// The token had been rotated already: its whole session is now revoked.
    Reused,
    Invalid,
}

/// Exchanges a refresh token for a new one. Presenting an already rotated token
/// revokes the session it belongs to (it was stolen, or the legitimate copy was).
pub fn rotate_refresh_token(conn: &mut DbConn, token: &str) -> AppResult<RefreshOutcome> {
    let t = now();
    let hash = super::tokens::hash_token(token);
    let found: Option<(String, String, Option<NaiveDateTime>)> = refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(&hash))
        .select((
            refresh_tokens::id,
            refresh_tokens::session_id,
            refresh_tokens::used_at,
        ))
        .first(conn)
        .optional()?;
    let Some((token_id, session_id, used_at)) = found else {
        return Ok(RefreshOutcome::Invalid);
    };
    if used_at.is_some() {
        revoke_session(conn, &session_id)?;
        return Ok(RefreshOutcome::Reused);
    }
    // Guarded update: of two concurrent uses exactly one wins, the other counts as reuse.
    let claimed = diesel::update(
        refresh_tokens::table
            .find(&token_id)
            .filter(refresh_tokens::used_at.is_null()),
    )
    .set(refresh_tokens::used_at.eq(Some(t)))
    .execute(conn)?;
    if claimed == 0 {
        revoke_session(conn, &session_id)?;
        return Ok(RefreshOutcome::Reused);
    }
    let session: Option<(String, Option<NaiveDateTime>, NaiveDateTime)> = sessions::table
        .find(&session_id)
        .select((
            sessions::user_id,
            sessions::revoked_at,
            sessions::expires_at,
        ))
        .first(conn)
        .optional()?;
    let Some((user_id, revoked_at, expires_at)) = session else {
        return Ok(RefreshOutcome::Invalid);
    };
    if revoked_at.is_some() || expires_at <= t {
        return Ok(RefreshOutcome::Invalid);
    }
    let Some(user) = user_by_id(conn, &user_id)?.filter(|u| u.active) else {
        return Ok(RefreshOutcome::Invalid);
    };
    diesel::update(sessions::table.find(&session_id))
        .set(sessions::last_used_at.eq(t))
        .execute(conn)?;
    let new_token = insert_refresh_token(conn, &session_id)?;
    Ok(RefreshOutcome::Rotated {
        user: Box::new(user),
        session_id,
        token: new_token,
    })
}

pub fn revoke_session(conn: &mut DbConn, session_id: &str) -> AppResult<()> {
    diesel::update(
        sessions::table
            .find(session_id)
            .filter(sessions::revoked_at.is_null()),
    )
    .set(sessions::revoked_at.eq(Some(now())))
    .execute(conn)?;
    Ok(())
}

pub fn revoke_session_by_refresh_token(conn: &mut DbConn, token: &str) -> AppResult<()> {
    let sid: Option<String> = refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(super::tokens::hash_token(token)))
        .select(refresh_tokens::session_id)
        .first(conn)
        .optional()?;
    if let Some(sid) = sid {
        revoke_session(conn, &sid)?;
    }
    Ok(())
}

pub fn revoke_all_sessions(conn: &mut DbConn, user_id: &str) -> AppResult<()> {
    diesel::update(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::revoked_at.is_null()),
    )
    .set(sessions::revoked_at.eq(Some(now())))
    .execute(conn)?;
    Ok(())
}

/// Creates a reset token valid for one hour, unless one was issued in the last minute.
pub fn create_password_reset(
    conn: &mut DbConn,
    user_id: &str,
) -> AppResult<Option<(String, NaiveDateTime)>> {
    let t = now();
    let recent: i64 = password_resets::table
        .filter(password_resets::user_id.eq(user_id))
        .filter(password_resets::created_at.gt(t - Duration::seconds(60)))
        .count()
        .get_result(conn)?;
    if recent > 0 {
        return Ok(None);
    }
    let token = super::tokens::random_token(32);
    let expires = t + Duration::hours(1);
    diesel::insert_into(password_resets::table)
        .values((
            password_resets::id.eq(new_id()),
            password_resets::user_id.eq(user_id),
            password_resets::token_hash.eq(super::tokens::hash_token(&token)),
            password_resets::created_at.eq(t),
            password_resets::expires_at.eq(expires),
        ))
        .execute(conn)?;
    Ok(Some((token, expires)))
}

/// Marks a valid reset token used and returns its user; None when unknown, used or expired.
pub fn consume_password_reset(conn: &mut DbConn, token: &str) -> AppResult<Option<UserRow>> {
    let t = now();
    let found: Option<(String, String)> = password_resets::table
        .filter(password_resets::token_hash.eq(super::tokens::hash_token(token)))
        .filter(password_resets::used_at.is_null())
        .filter(password_resets::expires_at.gt(t))
        .select((password_resets::id, password_resets::user_id))
        .first(conn)
        .optional()?;
    let Some((id, user_id)) = found else {
        return Ok(None);
    };
    let n = diesel::update(
        password_resets::table
            .find(&id)
            .filter(password_resets::used_at.is_null()),
    )
    .set(password_resets::used_at.eq(Some(t)))
    .execute(conn)?;
    if n == 0 {
        return Ok(None);
    }
    user_by_id(conn, &user_id).map(|u| u.filter(|u| u.active))
}

pub fn set_password(conn: &mut DbConn, user_id: &str, hash: &str) -> AppResult<()> {
    let n = diesel::update(users::table.find(user_id))
        .set((
            users::password_hash.eq(Some(hash)),
            users::version.eq(users::version + 1),
            users::updated_at.eq(now()),
        ))
        .execute(conn)?;
    if n == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}
