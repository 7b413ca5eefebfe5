//! The signed-in user's own account: profile, password, data export (DSGVO Art. 15)
//! and deletion (Art. 17).
use actix_web::http::StatusCode;
use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::model::{utc, Me};
use crate::api::{if_match, with_etag, Body};
use crate::audit::{self, Entry};
use crate::auth::model::PersonName;
use crate::auth::{password, queries as auth_q, CurrentUser};
use crate::db::now;
use crate::db::schema::{
    audit_log, comments, invitations, project_updates, projects, sessions, users,
};
use crate::error::{AppError, AppResult, Errors};
use crate::i18n::Locale;
use crate::state::AppState;

/// The signed-in user, with district and town.
#[utoipa::path(tag = "me", responses((status = 200, body = Me), (status = 401, body = crate::error::Problem)))]
#[get("/me")]
pub async fn get_me(state: web::Data<AppState>, me: CurrentUser) -> AppResult<HttpResponse> {
    let user = me.user;
    let version = user.version;
    let out = crate::db::run(&state.pool, move |c| super::queries::load_me(c, &user)).await?;
    Ok(with_etag(StatusCode::OK, version, &out))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MePatch {
    pub name: Option<String>,
    pub locale: Option<Locale>,
}

/// Changes the own name or language. Requires `If-Match`.
#[utoipa::path(tag = "me", request_body = MePatch, params(("If-Match" = String, Header)), responses(
    (status = 200, body = Me), (status = 412, body = crate::error::Problem), (status = 422, body = crate::error::Problem),
    (status = 428, body = crate::error::Problem)))]
#[patch("/me")]
pub async fn update_me(
    state: web::Data<AppState>,
    me: CurrentUser,
    req: HttpRequest,
    body: Body<MePatch>,
) -> AppResult<HttpResponse> {
    let mut e = Errors::new();
    let name = body
        .0
        .name
        .as_deref()
        .map(|n| e.check("name", PersonName::parse(n)));
    e.finish()?;
    let locale = body.0.locale;
    let version = if_match(&req)?;
    let actor = me.actor();
    let before = me.user;
    let (out, v) = crate::db::tx(&state.pool, move |conn| {
        let new_name = name
            .flatten()
            .map(PersonName::into_inner)
            .unwrap_or(before.name.clone());
        let new_locale = locale
            .map(|l| l.as_str().to_string())
            .unwrap_or(before.locale.clone());
        // A name the identity provider owns is changed there (the next sign-in would undo it).
        if let Some(m) =
            super::queries::managed_by(conn, std::slice::from_ref(&before.id))?.remove(&before.id)
        {
            if m.manages("name") && new_name != before.name {
                return Err(super::queries::managed_conflict(&m, "Der Name"));
            }
        }
        let n = diesel::update(
            users::table
                .find(&before.id)
                .filter(users::version.eq(version)),
        )
        .set((
            users::name.eq(&new_name),
            users::locale.eq(&new_locale),
            users::version.eq(users::version + 1),
            users::updated_at.eq(now()),
        ))
        .execute(conn)?;
        if n == 0 {
            return Err(AppError::PreconditionFailed);
        }
        audit::record(
            conn,
            Some(&actor),
            Entry {
                action: "user.update_profile",
                object_type: "user",
                object_id: &before.id,
                district_id: before.district_id.as_deref(),
                municipality_id: before.municipality_id.as_deref(),
                summary: json!({"name_changed": new_name != before.name, "locale": new_locale}),
            },
        )?;
        let after = auth_q::user_by_id(conn, &before.id)?.ok_or(AppError::NotFound)?;
        Ok((super::queries::load_me(conn, &after)?, after.version))
    })
    .await?;
    Ok(with_etag(StatusCode::OK, v, &out))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// Checks the signed-in user's password again, counted like a sign-in attempt of the
/// account (`auth::throttle`), so a stolen access token cannot guess it without limit.
async fn check_current_password(
    state: &AppState,
    me: &CurrentUser,
    pw: String,
    field: &'static str,
) -> AppResult<()> {
    let keys = vec![crate::auth::throttle::account_key(&me.user.email)];
    let keys2 = keys.clone();
    crate::db::tx(&state.pool, move |conn| {
        crate::auth::throttle::attempt(conn, &keys2)
    })
    .await?;
    let memory = state.config.argon2_memory_kib;
    let stored = me.user.password_hash.clone();
    let ok = actix_web::web::block(move || password::verify(&pw, stored.as_deref(), memory))
        .await
        .map_err(|e| AppError::internal(format!("hashing task: {e}")))?;
    if !ok {
        let message = if field == "password" {
            "Das Passwort stimmt nicht."
        } else {
            "Das aktuelle Passwort stimmt nicht."
        };
        return Err(AppError::field(field, message));
    }
    crate::db::tx(&state.pool, move |conn| {
        crate::auth::throttle::succeeded(conn, &keys)
    })
    .await
}

/// Changes the own password; other sessions of the account end.
#[utoipa::path(tag = "me", request_body = PasswordChange, responses((status = 204), (status = 422, body = crate::error::Problem), (status = 429, body = crate::error::Problem)))]
#[post("/me/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    me: CurrentUser,
    body: Body<PasswordChange>,
) -> AppResult<HttpResponse> {
    let memory = state.config.argon2_memory_kib;
    let user = me.user.clone();
    let sid = me.session_id.clone();
    let b = body.0;
    check_current_password(&state, &me, b.current_password.clone(), "current_password").await?;
    let hash = actix_web::web::block(move || -> AppResult<String> {
        password::check_rules(&b.new_password, &user.email)
            .map_err(|m| AppError::field("new_password", &m))?;
        password::hash(&b.new_password, memory)
    })
    .await
    .map_err(|e| AppError::internal(format!("hashing task: {e}")))??;
    let actor = me.actor();
    let user = me.user;
    crate::db::tx(&state.pool, move |conn| {
        auth_q::set_password(conn, &user.id, &hash)?;
        diesel::update(
            sessions::table
                .filter(sessions::user_id.eq(&user.id))
                .filter(sessions::id.ne(&sid))
                .filter(sessions::revoked_at.is_null()),
        )
        .set(sessions::revoked_at.eq(Some(now())))
        .execute(conn)?;
        audit::record(
            conn,
            Some(&actor),
            Entry {
                action: "user.change_password",
                object_type: "user",
                object_id: &user.id,
                district_id: user.district_id.as_deref(),
                municipality_id: user.municipality_id.as_deref(),
                summary: json!({}),
            },
        )
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionInfo {
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub last_used_at: chrono::DateTime<chrono::Utc>,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    pub revoked_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ActionInfo {
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// Everything the platform stores about the signed-in user.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyData {
    pub account: super::model::User,
    pub sessions: Vec<SessionInfo>,
    pub invitations_sent: Vec<super::model::Invitation>,
    pub actions: Vec<ActionInfo>,
    /// Comments the user wrote, with their text.
    pub comments: Vec<WrittenText>,
    /// Progress updates the user posted.
    pub progress_updates: Vec<WrittenText>,
    pub exported_at: chrono::DateTime<chrono::Utc>,
}

/// A text the user wrote on a project.
#[derive(Debug, Serialize, ToSchema)]
pub struct WrittenText {
    pub id: String,
    pub project_id: String,
    /// The title of a progress update (comments have none).
    pub title: Option<String>,
    pub body: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// Export of the own personal data as JSON.
#[utoipa::path(tag = "me", responses((status = 200, body = MyData)))]
#[get("/me/data")]
pub async fn my_data(state: web::Data<AppState>, me: CurrentUser) -> AppResult<HttpResponse> {
    let user = me.user;
    let data = crate::db::run(&state.pool, move |conn| {
        let s: Vec<(
            chrono::NaiveDateTime,
            chrono::NaiveDateTime,
            chrono::NaiveDateTime,
            Option<chrono::NaiveDateTime>,
        )> = sessions::table
            .filter(sessions::user_id.eq(&user.id))
            .select((
                sessions::created_at,
                sessions::last_used_at,
                sessions::expires_at,
                sessions::revoked_at,
            ))
            .order(sessions::created_at.desc())
            .load(conn)?;
        let inv: Vec<super::model::InvitationRow> = invitations::table
            .filter(invitations::invited_by.eq(&user.id))
            .select(super::model::InvitationRow::as_select())
            .order(invitations::created_at.desc())
            .load(conn)?;
        let actions: Vec<(String, String, String, chrono::NaiveDateTime)> = audit_log::table
            .filter(audit_log::actor_id.eq(&user.id))
            .select((
                audit_log::action,
                audit_log::object_type,
                audit_log::object_id,
                audit_log::created_at,
            ))
            .order(audit_log::created_at.desc())
            .load(conn)?;
        let written: Vec<(String, String, String, chrono::NaiveDateTime)> = comments::table
            .filter(comments::author_id.eq(&user.id))
            .select((
                comments::id,
                comments::project_id,
                comments::body,
                comments::created_at,
            ))
            .order(comments::created_at.desc())
            .load(conn)?;
        let posted: Vec<(String, String, String, String, chrono::NaiveDateTime)> =
            project_updates::table
                .filter(project_updates::author_id.eq(&user.id))
                .select((
                    project_updates::id,
                    project_updates::project_id,
                    project_updates::title,
                    project_updates::body,
                    project_updates::created_at,
                ))
                .order(project_updates::created_at.desc())
                .load(conn)?;
        Ok(MyData {
            account: super::model::User::from(&user),
            sessions: s
                .into_iter()
                .map(|(c, l, e, r)| SessionInfo {
                    created_at: utc(c),
                    last_used_at: utc(l),
                    expires_at: utc(e),
                    revoked_at: r.map(utc),
                })
                .collect(),
            invitations_sent: inv.iter().map(super::model::Invitation::from).collect(),
            actions: actions
                .into_iter()
                .map(|(action, object_type, object_id, t)| ActionInfo {
                    action,
                    object_type,
                    object_id,
                    created_at: utc(t),
                })
                .collect(),
            comments: written
                .into_iter()
                .map(|(id, project_id, body, t)| WrittenText {
                    id,
                    project_id,
                    title: None,
                    body,
                    created_at: utc(t),
                })
                .collect(),
            progress_updates: posted
                .into_iter()
                .map(|(id, project_id, title, body, t)| WrittenText {
                    id,
                    project_id,
                    title: Some(title),
                    body,
                    created_at: utc(t),
                })
                .collect(),
            exported_at: chrono::Utc::now(),
        })
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            "attachment; filename=\"meine-daten.json\"",
        ))
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .json(data))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteMeRequest {
    pub password: String,
}

/// Deletes the own account: name, email and password are erased, sessions end.
/// Entries in the audit log stay, pointing to the erased account.
#[utoipa::path(tag = "me", request_body = DeleteMeRequest, responses((status = 204), (status = 422, body = crate::error::Problem), (status = 429, body = crate::error::Problem)))]
#[delete("/me")]
pub async fn delete_me(
    state: web::Data<AppState>,
    me: CurrentUser,
    body: Body<DeleteMeRequest>,
) -> AppResult<HttpResponse> {
    check_current_password(&state, &me, body.0.password, "password").await?;
    let actor = me.actor();
    let user = me.user;
    crate::db::tx(&state.pool, move |conn| {
        diesel::update(users::table.find(&user.id))
            .set((
                users::email.eq(format!("geloescht-{}@invalid", user.id)),
                users::name.eq("Gelöschtes Konto"),
                users::password_hash.eq(None::<String>),
                users::active.eq(false),
                users::last_login_at.eq(None::<chrono::NaiveDateTime>),
                users::version.eq(users::version + 1),
                users::updated_at.eq(now()),
            ))
            .execute(conn)?;
        auth_q::revoke_all_sessions(conn, &user.id)?;
        // Projects that named this person as their contact no longer do.
        diesel::update(
            projects::table.filter(
                crate::db::lower(projects::contact_email.assume_not_null()).eq(&user.email),
            ),
        )
        .set((
            projects::contact_name.eq(None::<String>),
            projects::contact_email.eq(None::<String>),
            projects::version.eq(projects::version + 1),
            projects::updated_at.eq(now()),
        ))
        .execute(conn)?;
        diesel::delete(
            crate::db::schema::password_resets::table
                .filter(crate::db::schema::password_resets::user_id.eq(&user.id)),
        )
        .execute(conn)?;
        // What only served this person (preferences, feed, follows, calendar link) goes too.
        {
            use crate::db::schema::{
                calendar_tokens, digest_settings, follows, notification_settings,
                notification_topics, notifications, unsubscribe_tokens,
            };
            let uid = user.id.as_str();
            diesel::delete(notification_topics::table.filter(notification_topics::user_id.eq(uid)))
                .execute(conn)?;
            diesel::delete(
                notification_settings::table.filter(notification_settings::user_id.eq(uid)),
            )
            .execute(conn)?;
            diesel::delete(digest_settings::table.filter(digest_settings::user_id.eq(uid)))
                .execute(conn)?;
            diesel::delete(notifications::table.filter(notifications::user_id.eq(uid)))
                .execute(conn)?;
            diesel::delete(follows::table.filter(follows::user_id.eq(uid))).execute(conn)?;
            diesel::delete(calendar_tokens::table.filter(calendar_tokens::user_id.eq(uid)))
                .execute(conn)?;
            diesel::delete(unsubscribe_tokens::table.filter(unsubscribe_tokens::user_id.eq(uid)))
                .execute(conn)?;
        }
        audit::record(
            conn,
            Some(&actor),
            Entry {
                action: "user.delete_self",
                object_type: "user",
                object_id: &user.id,
                district_id: user.district_id.as_deref(),
                municipality_id: user.municipality_id.as_deref(),
                summary: json!({}),
            },
        )
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
