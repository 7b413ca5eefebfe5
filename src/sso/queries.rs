//! All Diesel of single sign-on: login attempts, identities, the login transaction
//! (create just in time, update managed fields, link), back-channel logout.
use chrono::Duration;
use diesel::prelude::*;
use serde_json::json;

use super::mapping::{say, Mapped, OrgDistrict, OrgIndex, OrgTown, Refusal};
use super::model::*;
use crate::audit::{self, Entry};
use crate::config::sso::OidcProvider;
use crate::db::schema::{
    districts, municipalities, sessions, sso_identities, sso_login_attempts, sso_logout_jtis, users,
};
use crate::db::{new_id, now, DbConn};
use crate::error::{AppError, AppResult};
use crate::i18n::Locale;
use crate::users::model::{NewUser, UserRow};

/// Every district and town (the claim mapping picks from them).
pub fn org_index(conn: &mut DbConn) -> AppResult<OrgIndex> {
    let districts = districts::table
        .select((districts::id, districts::key, districts::name))
        .load::<(String, String, String)>(conn)?
        .into_iter()
        .map(|(id, key, name)| OrgDistrict { id, key, name })
        .collect();
    let towns = municipalities::table
        .select((
            municipalities::id,
            municipalities::district_id,
            municipalities::ags,
            municipalities::name,
        ))
        .load::<(String, String, String, String)>(conn)?
        .into_iter()
        .map(|(id, district_id, ags, name)| OrgTown {
            id,
            district_id,
            ags,
            name,
        })
        .collect();
    Ok(OrgIndex { districts, towns })
}

pub struct NewAttempt {
    pub provider: String,
    pub state_hash: String,
    pub browser_hash: String,
    pub nonce: String,
    pub pkce_verifier: String,
    pub return_to: String,
}

/// Records a started login; rows older than an hour are removed on the way.
pub fn create_attempt(conn: &mut DbConn, a: NewAttempt) -> AppResult<String> {
    let t = now();
    diesel::delete(
        sso_login_attempts::table.filter(sso_login_attempts::created_at.lt(t - Duration::hours(1))),
    )
    .execute(conn)?;
    diesel::delete(sso_logout_jtis::table.filter(sso_logout_jtis::expires_at.lt(t)))
        .execute(conn)?;
    let id = new_id();
    diesel::insert_into(sso_login_attempts::table)
        .values((
            sso_login_attempts::id.eq(&id),
            sso_login_attempts::provider.eq(&a.provider),
            sso_login_attempts::state_hash.eq(&a.state_hash),
            sso_login_attempts::browser_hash.eq(&a.browser_hash),
            sso_login_attempts::nonce.eq(&a.nonce),
            sso_login_attempts::pkce_verifier.eq(&a.pkce_verifier),
            sso_login_attempts::return_to.eq(&a.return_to),
            sso_login_attempts::status.eq(ATTEMPT_OPEN),
            sso_login_attempts::created_at.eq(t),
            sso_login_attempts::expires_at.eq(t + Duration::minutes(ATTEMPT_MINUTES)),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Takes the open attempt of `state` once: it must belong to this browser and
/// provider and be unexpired; a second use of the same callback finds nothing.
pub fn take_attempt(
    conn: &mut DbConn,
    provider: &str,
    state_hash: &str,
    browser_hash: Option<&str>,
) -> AppResult<Option<AttemptRow>> {
    let t = now();
    let row: Option<AttemptRow> = sso_login_attempts::table
        .filter(sso_login_attempts::state_hash.eq(state_hash))
        .select(AttemptRow::as_select())
        .first(conn)
        .optional()?;
    let Some(row) = row else { return Ok(None) };
    let bound = browser_hash.is_some_and(|b| super::constant_time_eq(b, &row.browser_hash));
    if row.provider != provider || !bound || row.expires_at <= t || row.consumed_at.is_some() {
        return Ok(None);
    }
    let n = diesel::update(
        sso_login_attempts::table
            .find(&row.id)
            .filter(sso_login_attempts::consumed_at.is_null()),
    )
    .set(sso_login_attempts::consumed_at.eq(Some(t)))
    .execute(conn)?;
    Ok((n == 1).then_some(row))
}

/// Marks an attempt refused, audits it (`sso.login_refused`) and logs it. No user row
/// is written.
pub fn refuse(
    conn: &mut DbConn,
    attempt_id: &str,
    provider: &str,
    subject: Option<&str>,
    refusal: &Refusal,
) -> AppResult<()> {
    tracing::warn!(provider, subject, missing = ?refusal.missing, "sso login refused");
    diesel::update(sso_login_attempts::table.find(attempt_id))
        .set((
            sso_login_attempts::status.eq(ATTEMPT_REFUSED),
            sso_login_attempts::refusal.eq(Some(
                json!({"message": refusal.message, "missing": refusal.missing}).to_string(),
            )),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        None,
        Entry {
            action: "sso.login_refused",
            object_type: "sso_login",
            object_id: attempt_id,
            district_id: None,
            municipality_id: None,
            summary: json!({"provider": provider, "subject": subject, "missing": refusal.missing}),
        },
    )
}

pub fn attempt(conn: &mut DbConn, id: &str) -> AppResult<Option<AttemptRow>> {
    Ok(sso_login_attempts::table
        .find(id)
        .select(AttemptRow::as_select())
        .first(conn)
        .optional()?)
}

/// The refusal or link state of a recent attempt (at most ten minutes old).
pub fn attempt_info(
    conn: &mut DbConn,
    id: &str,
    browser_hash: Option<&str>,
    label: impl Fn(&str) -> String,
) -> AppResult<Option<AttemptInfo>> {
    let Some(a) = attempt(conn, id)? else {
        return Ok(None);
    };
    // Whose account is to be linked is told only to the browser of the attempt.
    let bound = browser_hash.is_some_and(|b| super::constant_time_eq(b, &a.browser_hash));
    if a.created_at < now() - Duration::minutes(ATTEMPT_MINUTES) {
        return Ok(None);
    }
    let refusal: serde_json::Value = a
        .refusal
        .as_deref()
        .and_then(|r| serde_json::from_str(r).ok())
        .unwrap_or_default();
    let link_email = match (&a.link_user_id, a.status.as_str()) {
        (Some(uid), ATTEMPT_LINK_PENDING) if bound => users::table
            .find(uid)
            .select(users::email)
            .first::<String>(conn)
            .optional()?,
        _ => None,
    };
    Ok(Some(AttemptInfo {
        id: a.id.clone(),
        provider_label: label(&a.provider),
        provider: a.provider,
        status: a.status,
        message: refusal["message"].as_str().map(str::to_string),
        missing: refusal["missing"]
            .as_array()
            .map(|m| {
                m.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
        link_email,
    }))
}

/// The result of a verified and mapped login.
pub enum LoginOutcome {
    Session {
        user: Box<UserRow>,
        session_id: String,
        refresh: String,
    },
    Refused(Refusal),
    LinkPending,
}

fn identity(conn: &mut DbConn, provider: &str, subject: &str) -> AppResult<Option<IdentityRow>> {
    Ok(sso_identities::table
        .filter(sso_identities::provider.eq(provider))
        .filter(sso_identities::subject.eq(subject))
        .select(IdentityRow::as_select())
        .first(conn)
        .optional()?)
}

fn inactive(p: &OidcProvider, locale: Locale) -> Refusal {
    Refusal {
        missing: vec!["account_inactive".into()],
        message: say(
            locale,
            format!(
                "Anmeldung über {} abgelehnt: Ihr Konto ist deaktiviert. Bitte wenden Sie sich an die Kreis-Koordination.",
                p.label
            ),
            format!(
                "Sign-in through {} refused: your account is deactivated. Please contact the district coordination.",
                p.label
            ),
        ),
    }
}

/// Overwrites the fields the provider owns with what it sent (email only while no
/// other account has it).
fn apply_managed(
    conn: &mut DbConn,
    user: &UserRow,
    m: &Mapped,
    managed: &[String],
) -> AppResult<()> {
    let has = |f: &str| managed.iter().any(|x| x == f);
    let mut name = user.name.clone();
    let mut email = user.email.clone();
    let mut role = user.role.clone();
    let (mut district, mut town) = (user.district_id.clone(), user.municipality_id.clone());
    if has("name") {
        if let Some(n) = m.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            name = n.chars().take(200).collect();
        }
    }
    if has("email") {
        if let Some(e) = m.email.as_deref().filter(|e| *e != user.email) {
            let taken: i64 = users::table
                .filter(users::email.eq(e))
                .count()
                .get_result(conn)?;
            if taken == 0 {
                email = e.to_string();
            } else {
                tracing::warn!(user = %user.id, "sso: email from the provider belongs to another account; kept");
            }
        }
    }
    if has("role") {
        role = m.role.as_str().to_string();
    }
    if has("town") || has("role") {
        district = m.district_id.clone();
        town = m.municipality_id.clone();
    }
    let changed = name != user.name
        || email != user.email
        || role != user.role
        || district != user.district_id
        || town != user.municipality_id;
    if !changed {
        return Ok(());
    }
    diesel::update(users::table.find(&user.id))
        .set((
            users::name.eq(&name),
            users::email.eq(&email),
            users::role.eq(&role),
            users::district_id.eq(&district),
            users::municipality_id.eq(&town),
            users::version.eq(users::version + 1),
            users::updated_at.eq(now()),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        None,
        Entry {
            action: "sso.user_updated",
            object_type: "user",
            object_id: &user.id,
            district_id: district.as_deref(),
            municipality_id: town.as_deref(),
            summary: json!({"role": {"from": user.role, "to": role}, "town_changed": town != user.municipality_id}),
        },
    )
}

/// A session as `auth::queries::create_session` makes it, marked with the provider's
/// session (`sid`) and subject for back-channel logout.
pub fn create_sso_session(
    conn: &mut DbConn,
    user_id: &str,
    provider: &str,
    sid: Option<&str>,
    sub: Option<&str>,
    days: i64,
) -> AppResult<(String, String)> {
    let (session_id, refresh) = crate::auth::queries::create_session(conn, user_id, days)?;
    diesel::update(sessions::table.find(&session_id))
        .set((
            sessions::sso_provider.eq(Some(provider)),
            sessions::sso_sid.eq(sid),
            sessions::sso_subject.eq(sub),
        ))
        .execute(conn)?;
    Ok((session_id, refresh))
}

fn insert_identity(
    conn: &mut DbConn,
    user_id: &str,
    p: &OidcProvider,
    subject: &str,
    external_id: Option<&str>,
) -> AppResult<()> {
    let t = now();
    diesel::insert_into(sso_identities::table)
        .values((
            sso_identities::id.eq(new_id()),
            sso_identities::user_id.eq(user_id),
            sso_identities::provider.eq(&p.id),
            sso_identities::subject.eq(subject),
            sso_identities::external_id.eq(external_id),
            sso_identities::managed_fields.eq(p.managed_fields.join(",")),
            sso_identities::created_at.eq(t),
            sso_identities::last_login_at.eq(Some(t)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Creates an account in the mapped town and role (no password).
pub fn create_user(conn: &mut DbConn, m: &Mapped, email: &str) -> AppResult<UserRow> {
    let t = now();
    let id = new_id();
    let name = m
        .name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| email.split('@').next().unwrap_or(email).to_string());
    diesel::insert_into(users::table)
        .values(NewUser {
            id: id.clone(),
            email: email.to_string(),
            name: name.chars().take(200).collect(),
            password_hash: None,
            role: m.role.as_str().into(),
            locale: "de".into(),
            district_id: m.district_id.clone(),
            municipality_id: m.municipality_id.clone(),
            active: true,
            version: 1,
            created_at: t,
            updated_at: t,
        })
        .execute(conn)?;
    crate::auth::queries::user_by_id(conn, &id)?.ok_or(AppError::NotFound)
}

/// The login after the token was verified and the claims mapped, in one transaction
/// with the session: known identity → update managed fields (refused if inactive);
/// unknown → link to a local account with the same verified email (pending until the
/// password is given) or create the account just in time.
#[allow(clippy::too_many_arguments)]
pub fn complete_login(
    conn: &mut DbConn,
    p: &OidcProvider,
    attempt_id: &str,
    m: &Mapped,
    sid: Option<&str>,
    sub: Option<&str>,
    refresh_days: i64,
    locale: Locale,
) -> AppResult<LoginOutcome> {
    let t = now();
    let refused = |conn: &mut DbConn, r: Refusal| -> AppResult<LoginOutcome> {
        refuse(conn, attempt_id, &p.id, Some(&m.subject), &r)?;
        Ok(LoginOutcome::Refused(r))
    };
    let user = match identity(conn, &p.id, &m.subject)? {
        Some(ident) => {
            let user = crate::auth::queries::user_by_id(conn, &ident.user_id)?
                .ok_or(AppError::NotFound)?;
            if !user.active || ident.scim_deleted_at.is_some() {
                return refused(conn, inactive(p, locale));
            }
            apply_managed(conn, &user, m, &p.managed_fields)?;
            diesel::update(sso_identities::table.find(&ident.id))
                .set((
                    sso_identities::last_login_at.eq(Some(t)),
                    sso_identities::managed_fields.eq(p.managed_fields.join(",")),
                ))
                .execute(conn)?;
            user
        }
        None => {
            let email = m.email.clone().unwrap_or_default();
            match crate::auth::queries::user_by_email(conn, &email)? {
                Some(local) => {
                    let can_link =
                        p.link_by_email && m.email_verified && local.password_hash.is_some();
                    if !can_link {
                        let (why, why_en) = if !m.email_verified {
                            (
                                "die E-Mail-Adresse ist beim Anbieter nicht bestätigt",
                                "the provider has not verified the email address",
                            )
                        } else {
                            ("hier besteht schon ein Konto mit dieser E-Mail-Adresse, das nicht verknüpft werden kann", "an account with this email address exists here and cannot be linked")
                        };
                        let message = say(
                            locale,
                            format!("Anmeldung über {} abgelehnt: {why}. Bitte wenden Sie sich an die Kreis-Koordination.", p.label),
                            format!("Sign-in through {} refused: {why_en}. Please contact the district coordination.", p.label),
                        );
                        return refused(
                            conn,
                            Refusal {
                                missing: vec!["email".into()],
                                message,
                            },
                        );
                    }
                    if !local.active {
                        return refused(conn, inactive(p, locale));
                    }
                    let pending = PendingLink {
                        subject: m.subject.clone(),
                        sid: sid.map(str::to_string),
                        sub: sub.map(str::to_string),
                        role: m.role.as_str().into(),
                        district_id: m.district_id.clone(),
                        municipality_id: m.municipality_id.clone(),
                        email: m.email.clone(),
                        name: m.name.clone(),
                    };
                    diesel::update(sso_login_attempts::table.find(attempt_id))
                        .set((
                            sso_login_attempts::status.eq(ATTEMPT_LINK_PENDING),
                            sso_login_attempts::link_user_id.eq(Some(&local.id)),
                            sso_login_attempts::link_claims
                                .eq(Some(serde_json::to_string(&pending).unwrap_or_default())),
                        ))
                        .execute(conn)?;
                    return Ok(LoginOutcome::LinkPending);
                }
                None => {
                    let user = create_user(conn, m, &email)?;
                    insert_identity(conn, &user.id, p, &m.subject, None)?;
                    audit::record(
                        conn,
                        None,
                        Entry {
                            action: "sso.user_created",
                            object_type: "user",
                            object_id: &user.id,
                            district_id: user.district_id.as_deref(),
                            municipality_id: user.municipality_id.as_deref(),
                            summary: json!({"provider": p.id, "role": user.role}),
                        },
                    )?;
                    user
                }
            }
        }
    };
    let (session_id, refresh) = create_sso_session(conn, &user.id, &p.id, sid, sub, refresh_days)?;
    diesel::update(sso_login_attempts::table.find(attempt_id))
        .set(sso_login_attempts::status.eq(ATTEMPT_DONE))
        .execute(conn)?;
    let user = crate::auth::queries::user_by_id(conn, &user.id)?.ok_or(AppError::NotFound)?;
    Ok(LoginOutcome::Session {
        user: Box::new(user),
        session_id,
        refresh,
    })
}

/// The pending link of an attempt bound to this browser: (attempt, local user).
pub fn pending_link(
    conn: &mut DbConn,
    attempt_id: &str,
    browser_hash: Option<&str>,
) -> AppResult<Option<(AttemptRow, UserRow)>> {
    let Some(a) = attempt(conn, attempt_id)? else {
        return Ok(None);
    };
    let bound = browser_hash.is_some_and(|b| super::constant_time_eq(b, &a.browser_hash));
    if !bound || a.status != ATTEMPT_LINK_PENDING || a.expires_at <= now() {
        return Ok(None);
    }
    let Some(uid) = a.link_user_id.clone() else {
        return Ok(None);
    };
    let Some(user) = crate::auth::queries::user_by_id(conn, &uid)?.filter(|u| u.active) else {
        return Ok(None);
    };
    Ok(Some((a, user)))
}

/// Links the identity of a pending attempt to its local account (the password was
/// right), takes over the managed fields and starts the session.
pub fn finish_link(
    conn: &mut DbConn,
    p: &OidcProvider,
    attempt_id: &str,
    refresh_days: i64,
) -> AppResult<Option<(UserRow, String, String)>> {
    let n = diesel::update(
        sso_login_attempts::table
            .find(attempt_id)
            .filter(sso_login_attempts::status.eq(ATTEMPT_LINK_PENDING)),
    )
    .set(sso_login_attempts::status.eq(ATTEMPT_DONE))
    .execute(conn)?;
    if n == 0 {
        return Ok(None);
    }
    let a = attempt(conn, attempt_id)?.ok_or(AppError::NotFound)?;
    let pending: PendingLink = a
        .link_claims
        .as_deref()
        .and_then(|c| serde_json::from_str(c).ok())
        .ok_or_else(|| AppError::internal("pending link without claims"))?;
    let uid = a
        .link_user_id
        .ok_or_else(|| AppError::internal("pending link without user"))?;
    let user = crate::auth::queries::user_by_id(conn, &uid)?.ok_or(AppError::NotFound)?;
    insert_identity(conn, &user.id, p, &pending.subject, None)?;
    let m = Mapped {
        role: crate::auth::model::Role::parse(&pending.role)
            .unwrap_or(crate::auth::model::Role::Member),
        district_id: pending.district_id.clone(),
        municipality_id: pending.municipality_id.clone(),
        place_label: None,
        subject: pending.subject.clone(),
        email: pending.email.clone(),
        email_verified: true,
        name: pending.name.clone(),
    };
    apply_managed(conn, &user, &m, &p.managed_fields)?;
    audit::record(
        conn,
        Some(&user.actor()),
        Entry {
            action: "sso.linked",
            object_type: "user",
            object_id: &user.id,
            district_id: user.district_id.as_deref(),
            municipality_id: user.municipality_id.as_deref(),
            summary: json!({"provider": p.id}),
        },
    )?;
    let (sid, refresh) = create_sso_session(
        conn,
        &user.id,
        &p.id,
        pending.sid.as_deref(),
        pending.sub.as_deref(),
        refresh_days,
    )?;
    let user = crate::auth::queries::user_by_id(conn, &user.id)?.ok_or(AppError::NotFound)?;
    Ok(Some((user, sid, refresh)))
}

/// Remembers a logout token's `jti` until it expires; false if it was seen before.
pub fn remember_logout_jti(
    conn: &mut DbConn,
    provider: &str,
    jti: &str,
    expires_at: chrono::NaiveDateTime,
) -> AppResult<bool> {
    let seen: i64 = sso_logout_jtis::table
        .filter(sso_logout_jtis::provider.eq(provider))
        .filter(sso_logout_jtis::jti.eq(jti))
        .count()
        .get_result(conn)?;
    if seen > 0 {
        return Ok(false);
    }
    let r = diesel::insert_into(sso_logout_jtis::table)
        .values((
            sso_logout_jtis::provider.eq(provider),
            sso_logout_jtis::jti.eq(jti),
            sso_logout_jtis::expires_at.eq(expires_at),
        ))
        .execute(conn);
    match r {
        Ok(_) => Ok(true),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Ends the sessions a logout token names: by the provider's session id, else all
/// sessions of the subject at that provider. Returns how many were ended.
pub fn revoke_provider_sessions(
    conn: &mut DbConn,
    provider: &str,
    sid: Option<&str>,
    sub: Option<&str>,
) -> AppResult<usize> {
    let t = now();
    let base = sessions::table
        .filter(sessions::sso_provider.eq(provider))
        .filter(sessions::revoked_at.is_null());
    let n = match (sid, sub) {
        (Some(sid), _) => diesel::update(base.filter(sessions::sso_sid.eq(sid)))
            .set(sessions::revoked_at.eq(Some(t)))
            .execute(conn)?,
        (None, Some(sub)) => diesel::update(base.filter(sessions::sso_subject.eq(sub)))
            .set(sessions::revoked_at.eq(Some(t)))
            .execute(conn)?,
        (None, None) => 0,
    };
    Ok(n)
}
