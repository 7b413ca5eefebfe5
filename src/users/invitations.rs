//! Invitations: a single-use link, valid seven days, through which a new user sets a password.
use actix_web::http::StatusCode;
use actix_web::{delete, get, post, web, HttpResponse};
use chrono::Duration;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::model::{utc, Invitation, InvitationRow, NewUser};
use crate::api::{Body, Page, PageQuery};
use crate::audit::{self, Entry};
use crate::auth::model::{Email, PersonName};
use crate::auth::policy::{self, Scope};
use crate::auth::{password, tokens, CurrentUser, Role};
use crate::db::schema::{districts, invitations, municipalities, users};
use crate::db::{new_id, now, DbConn};
use crate::error::{AppError, AppResult, Errors};
use crate::i18n::Locale;
use crate::state::AppState;

pub const VALID_DAYS: i64 = 7;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInvitationRequest {
    pub email: String,
    pub role: Role,
    /// For coordinators; defaults to the inviting coordinator's district.
    pub district_id: Option<String>,
    /// For officers and members; defaults to the inviting officer's town.
    pub municipality_id: Option<String>,
    pub locale: Option<Locale>,
}

/// What the invitation page shows before a password is set.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationPreview {
    pub email: String,
    pub role: Role,
    pub district_name: Option<String>,
    pub municipality_name: Option<String>,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptInvitationRequest {
    pub name: String,
    pub password: String,
}

fn invitation_by_id(conn: &mut DbConn, id: &str) -> AppResult<Option<InvitationRow>> {
    Ok(invitations::table
        .find(id)
        .select(InvitationRow::as_select())
        .first(conn)
        .optional()?)
}

fn pending_by_token(conn: &mut DbConn, token: &str) -> AppResult<Option<InvitationRow>> {
    Ok(invitations::table
        .filter(invitations::token_hash.eq(tokens::hash_token(token)))
        .filter(invitations::accepted_at.is_null())
        .filter(invitations::revoked_at.is_null())
        .filter(invitations::expires_at.gt(now()))
        .select(InvitationRow::as_select())
        .first(conn)
        .optional()?)
}

/// Invitations the caller may see, newest first.
#[utoipa::path(tag = "invitations", params(PageQuery), responses(
    (status = 200, body = Page<Invitation>), (status = 403, body = crate::error::Problem)))]
#[get("/invitations")]
pub async fn list_invitations(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<PageQuery>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    if !policy::can_list_invitations(&actor) {
        return Err(AppError::Forbidden);
    }
    let paging = q.paging()?;
    let (rows, total) = crate::db::run(&state.pool, move |conn| {
        let filtered = || {
            invitations::table
                .filter(super::queries::invitations_visible_to(&actor))
                .into_boxed()
        };
        let total: i64 = filtered().count().get_result(conn)?;
        let rows: Vec<InvitationRow> = filtered()
            .select(InvitationRow::as_select())
            .order((invitations::created_at.desc(), invitations::id.desc()))
            .limit(paging.limit)
            .offset(paging.offset())
            .load(conn)?;
        Ok((rows, total))
    })
    .await?;
    Ok(HttpResponse::Ok().json(Page::new(
        rows.iter().map(Invitation::from).collect(),
        paging,
        total,
    )))
}

/// Invites someone by email. Officers may invite members of their own town;
/// coordinators anyone but admins into their district; admins anyone.
#[utoipa::path(tag = "invitations", request_body = NewInvitationRequest, responses(
    (status = 201, body = Invitation), (status = 403, body = crate::error::Problem),
    (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[post("/invitations")]
pub async fn create_invitation(
    state: web::Data<AppState>,
    me: CurrentUser,
    body: Body<NewInvitationRequest>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let inviter_name = me.user.name.clone();
    let b = body.0;
    let mut e = Errors::new();
    let email = e.check("email", Email::parse(&b.email));
    e.finish()?;
    let Some(email) = email else {
        return Err(AppError::internal("validated value missing"));
    };
    let role = b.role;
    let locale = b.locale.unwrap_or_default();
    let token = tokens::random_token(32);
    let token_hash = tokens::hash_token(&token);
    let public_url = state.config.public_url.clone();
    let row = crate::db::tx(&state.pool, move |conn| {
        // Resolve where the new account will belong.
        let (district_id, municipality_id, place): (
            Option<String>,
            Option<String>,
            Option<String>,
        ) = match role {
            Role::Admin => (None, None, None),
            Role::Coordinator => {
                let d = b.district_id.or(actor.district_id.clone()).ok_or_else(|| {
                    AppError::field(
                        "district_id",
                        "Für eine Kreis-Koordination bitte den Kreis wählen.",
                    )
                })?;
                let name: Option<String> = districts::table
                    .find(&d)
                    .select(districts::name)
                    .first(conn)
                    .optional()?;
                let Some(name) = name else {
                    return Err(AppError::field(
                        "district_id",
                        "Diesen Kreis gibt es nicht.",
                    ));
                };
                (Some(d), None, Some(name))
            }
            Role::Officer | Role::Member => {
                let m = b
                    .municipality_id
                    .or(actor.municipality_id.clone())
                    .ok_or_else(|| {
                        AppError::field("municipality_id", "Bitte die Kommune wählen.")
                    })?;
                let found: Option<(String, String)> = municipalities::table
                    .find(&m)
                    .select((municipalities::district_id, municipalities::name))
                    .first(conn)
                    .optional()?;
                let Some((d, name)) = found else {
                    return Err(AppError::field(
                        "municipality_id",
                        "Diese Kommune gibt es nicht.",
                    ));
                };
                (Some(d), Some(m), Some(name))
            }
        };
        if !policy::can_invite(
            &actor,
            role,
            Scope::new(district_id.as_deref(), municipality_id.as_deref()),
        ) {
            return Err(AppError::Forbidden);
        }
        // Only someone who may see the existing account learns that it exists; for
        // anyone else the invitation goes out as usual, and its link tells the owner of
        // the address that they already have an account.
        let existing: Option<(Option<String>, Option<String>)> = users::table
            .filter(users::email.eq(email.as_str()))
            .select((users::district_id, users::municipality_id))
            .first(conn)
            .optional()?;
        if let Some((d, m)) = &existing {
            if policy::can_view_user(&actor, Scope::new(d.as_deref(), m.as_deref())) {
                return Err(AppError::field(
                    "email",
                    "Für diese Adresse gibt es schon ein Konto.",
                ));
            }
        }
        let t = now();
        // A new invitation replaces any pending one for the same address.
        diesel::update(
            invitations::table
                .filter(invitations::email.eq(email.as_str()))
                .filter(invitations::accepted_at.is_null())
                .filter(invitations::revoked_at.is_null()),
        )
        .set(invitations::revoked_at.eq(Some(t)))
        .execute(conn)?;
        let id = new_id();
        diesel::insert_into(invitations::table)
            .values((
                invitations::id.eq(&id),
                invitations::email.eq(email.as_str()),
                invitations::role.eq(role.as_str()),
                invitations::locale.eq(locale.as_str()),
                invitations::district_id.eq(&district_id),
                invitations::municipality_id.eq(&municipality_id),
                invitations::token_hash.eq(&token_hash),
                invitations::invited_by.eq(Some(&actor.id)),
                invitations::created_at.eq(t),
                invitations::expires_at.eq(t + Duration::days(VALID_DAYS)),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            Some(&actor),
            Entry {
                action: "invitation.create",
                object_type: "invitation",
                object_id: &id,
                district_id: district_id.as_deref(),
                municipality_id: municipality_id.as_deref(),
                summary: json!({"role": role.as_str()}),
            },
        )?;
        let row = invitation_by_id(conn, &id)?.ok_or(AppError::NotFound)?;
        let role_label = match locale {
            Locale::De => role.label_de(),
            Locale::En => role.label_en(),
        };
        let mail = crate::mail::render(
            "invitation",
            locale,
            &row.email,
            minijinja::context! {
                inviter => inviter_name,
                role => role_label,
                place => place,
                link => format!("{public_url}/einladung/{token}"),
                expires => crate::i18n::format_berlin(row.expires_at, locale),
            },
        )?;
        // Queued in the same transaction: the mail goes out even if the mail server is down right now.
        crate::notify::outbox::enqueue(conn, "system", None, None, &mail)?;
        Ok(row)
    })
    .await?;
    state.wakeup.wake();
    let mut out = Invitation::from(&row);
    out.mail_sent = Some(true);
    Ok(HttpResponse::build(StatusCode::CREATED).json(out))
}

/// Revokes a pending invitation.
#[utoipa::path(tag = "invitations", responses((status = 204), (status = 404, body = crate::error::Problem)))]
#[delete("/invitations/{id}")]
pub async fn revoke_invitation(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let id = id.into_inner();
    crate::db::tx(&state.pool, move |conn| {
        let inv = invitation_by_id(conn, &id)?
            .filter(|i| {
                policy::can_view_invitation(
                    &actor,
                    Scope::new(i.district_id.as_deref(), i.municipality_id.as_deref()),
                )
            })
            .ok_or(AppError::NotFound)?;
        if inv.accepted_at.is_some() {
            return Err(AppError::Conflict(
                "Die Einladung wurde schon angenommen.".into(),
            ));
        }
        diesel::update(
            invitations::table
                .find(&id)
                .filter(invitations::revoked_at.is_null()),
        )
        .set(invitations::revoked_at.eq(Some(now())))
        .execute(conn)?;
        audit::record(
            conn,
            Some(&actor),
            Entry {
                action: "invitation.revoke",
                object_type: "invitation",
                object_id: &id,
                district_id: inv.district_id.as_deref(),
                municipality_id: inv.municipality_id.as_deref(),
                summary: json!({}),
            },
        )
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Shows a pending invitation to the person who got the link (no sign-in needed).
#[utoipa::path(security(()), tag = "invitations", responses((status = 200, body = InvitationPreview), (status = 404, body = crate::error::Problem)))]
#[get("/invitations/token/{token}")]
pub async fn preview_invitation(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> AppResult<HttpResponse> {
    let token = token.into_inner();
    let preview = crate::db::run(&state.pool, move |conn| {
        let Some(inv) = pending_by_token(conn, &token)? else {
            return Ok(None);
        };
        let district_name: Option<String> = match &inv.district_id {
            Some(d) => districts::table
                .find(d)
                .select(districts::name)
                .first(conn)
                .optional()?,
            None => None,
        };
        let municipality_name: Option<String> = match &inv.municipality_id {
            Some(m) => municipalities::table
                .find(m)
                .select(municipalities::name)
                .first(conn)
                .optional()?,
            None => None,
        };
        Ok(Some(InvitationPreview {
            email: inv.email,
            role: Role::parse(&inv.role).unwrap_or(Role::Member),
            district_name,
            municipality_name,
            expires_at: utc(inv.expires_at),
        }))
    })
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok().json(preview))
}

/// Accepts an invitation: creates the account with the chosen name and password.
/// The link works once.
#[utoipa::path(security(()), tag = "invitations", request_body = AcceptInvitationRequest, responses(
    (status = 204), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[post("/invitations/token/{token}/accept")]
pub async fn accept_invitation(
    state: web::Data<AppState>,
    token: web::Path<String>,
    body: Body<AcceptInvitationRequest>,
) -> AppResult<HttpResponse> {
    let token = token.into_inner();
    let memory = state.config.argon2_memory_kib;
    let b = body.0;
    let preview = crate::db::run(&state.pool, {
        let token = token.clone();
        move |conn| pending_by_token(conn, &token)
    })
    .await?
    .ok_or(AppError::NotFound)?;
    // Without local sign-in (LOCAL_LOGIN=false) only break-glass accounts get a password.
    if !state.config.sso.password_allowed(&preview.email) {
        return Err(AppError::field(
            "password",
            "Hier meldet man sich über den Anmeldedienst an; ein Passwort kann nicht vergeben werden.",
        ));
    }
    let mut e = Errors::new();
    let name = e.check("name", PersonName::parse(&b.name));
    e.check(
        "password",
        password::check_rules(&b.password, &preview.email),
    );
    e.finish()?;
    let Some(name) = name else {
        return Err(AppError::internal("validated value missing"));
    };
    let pw = b.password;
    let hash = actix_web::web::block(move || password::hash(&pw, memory))
        .await
        .map_err(|e| AppError::internal(format!("hashing task: {e}")))??;
    crate::db::tx(&state.pool, move |conn| {
        let inv = pending_by_token(conn, &token)?.ok_or(AppError::NotFound)?;
        let t = now();
        let claimed = diesel::update(
            invitations::table
                .find(&inv.id)
                .filter(invitations::accepted_at.is_null()),
        )
        .set(invitations::accepted_at.eq(Some(t)))
        .execute(conn)?;
        if claimed == 0 {
            return Err(AppError::NotFound);
        }
        let exists: i64 = users::table
            .filter(users::email.eq(&inv.email))
            .count()
            .get_result(conn)?;
        if exists > 0 {
            return Err(AppError::Conflict(
                "Für diese Adresse gibt es schon ein Konto.".into(),
            ));
        }
        let id = new_id();
        diesel::insert_into(users::table)
            .values(NewUser {
                id: id.clone(),
                email: inv.email.clone(),
                name: name.into_inner(),
                password_hash: Some(hash),
                role: inv.role.clone(),
                locale: inv.locale.clone(),
                district_id: inv.district_id.clone(),
                municipality_id: inv.municipality_id.clone(),
                active: true,
                version: 1,
                created_at: t,
                updated_at: t,
            })
            .execute(conn)?;
        let actor = crate::auth::model::Actor {
            id: id.clone(),
            role: Role::parse(&inv.role).unwrap_or(Role::Member),
            district_id: inv.district_id.clone(),
            municipality_id: inv.municipality_id.clone(),
        };
        audit::record(
            conn,
            Some(&actor),
            Entry {
                action: "user.create",
                object_type: "user",
                object_id: &id,
                district_id: inv.district_id.as_deref(),
                municipality_id: inv.municipality_id.as_deref(),
                summary: json!({"via": "invitation", "invitation_id": inv.id, "role": inv.role}),
            },
        )
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
