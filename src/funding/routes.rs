//! HTTP handlers for funding: programmes and calls, interest, applications with
//! shares and checklists, the district overview, and the ICS calendar. Each handler
//! extracts, asks the policy, calls `queries` (Diesel) or `model` (rules), and answers.
use actix_web::http::{header, StatusCode};
use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};

use super::model::*;
use super::queries;
use crate::api::{if_match, with_etag, Body, Page};
use crate::auth::policy;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, Errors};
use crate::export;
use crate::state::AppState;

/// Funding programmes with their calls.
#[utoipa::path(tag = "funding", params(ProgrammeQuery), responses((status = 200, body = Page<Programme>)))]
#[get("/funding/programmes")]
pub async fn list_programmes(
    state: web::Data<AppState>,
    _me: CurrentUser,
    q: web::Query<ProgrammeQuery>,
) -> AppResult<HttpResponse> {
    let paging = crate::api::paging(q.page, q.limit)?;
    let q = q.into_inner();
    let page = crate::db::run(&state.pool, move |conn| {
        queries::list_programmes(conn, q, paging)
    })
    .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// One programme with its calls and the interested towns of the caller's district.
#[utoipa::path(tag = "funding", responses((status = 200, body = ProgrammeDetail), (status = 404, body = crate::error::Problem)))]
#[get("/funding/programmes/{id}")]
pub async fn get_programme(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let id = id.into_inner();
    let out = crate::db::run(&state.pool, move |conn| {
        queries::programme_detail(conn, actor, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Adds a call with its deadline (admins, coordinators).
#[utoipa::path(tag = "funding", request_body = NewCall, responses((status = 201, body = Programme), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[post("/funding/programmes/{id}/calls")]
pub async fn create_call(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    body: Body<NewCall>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    if !policy::can_edit_funding_catalogue(&actor) {
        return Err(AppError::Forbidden);
    }
    let (id, c) = (id.into_inner(), body.0);
    let mut e = Errors::new();
    let title = c.title.trim().to_string();
    if crate::text::check_line(&mut e, "title", &title)
        && (title.chars().count() < 3 || title.chars().count() > 200)
    {
        e.push("title", "Bitte einen Titel mit 3 bis 200 Zeichen angeben.");
    }
    if c.opens_on.is_some_and(|o| o > c.deadline_date) {
        e.push(
            "deadline_date",
            "Die Frist liegt vor der Öffnung des Aufrufs.",
        );
    }
    e.finish()?;
    let out = crate::db::tx(&state.pool, move |conn| {
        queries::create_call(conn, actor, id, title, c)
    })
    .await?;
    Ok(HttpResponse::Created().json(out))
}

/// Declares a town's interest in a programme (visible to the district, so joint applications can form).
#[utoipa::path(tag = "funding", request_body = InterestInput, responses((status = 204), (status = 403, body = crate::error::Problem)))]
#[post("/funding/programmes/{id}/interest")]
pub async fn declare_interest(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    body: Body<InterestInput>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let (id, i) = (id.into_inner(), body.0);
    if i.note.chars().count() > 2000 {
        return Err(AppError::field("note", "Höchstens 2000 Zeichen."));
    }
    crate::db::tx(&state.pool, move |conn| {
        queries::declare_interest(conn, actor, id, i)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The district's funding applications (the board groups them by status).
#[utoipa::path(tag = "funding", params(ApplicationQuery), responses((status = 200, body = Page<Application>)))]
#[get("/funding/applications")]
pub async fn list_applications(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<ApplicationQuery>,
) -> AppResult<HttpResponse> {
    let paging = crate::api::paging(q.page, q.limit)?;
    let (actor, q) = (me.actor(), q.into_inner());
    let page = crate::db::run(&state.pool, move |conn| {
        queries::list_applications(conn, actor, q, paging)
    })
    .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Creates an application with the lead town's and the partners' shares and the default checklist.
#[utoipa::path(tag = "funding", request_body = ApplicationInput, responses(
    (status = 201, body = ApplicationDetail), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[post("/funding/applications")]
pub async fn create_application(
    state: web::Data<AppState>,
    me: CurrentUser,
    body: Body<ApplicationInput>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let i = body.0;
    let out = crate::db::tx(&state.pool, move |conn| {
        queries::create_application(conn, actor, i)
    })
    .await?;
    Ok(with_etag(
        StatusCode::CREATED,
        out.application.version,
        &out,
    ))
}

/// One application with shares, checklist and history (notes only for the lead town and coordinators).
#[utoipa::path(tag = "funding", responses((status = 200, body = ApplicationDetail), (status = 404, body = crate::error::Problem)))]
#[get("/funding/applications/{id}")]
pub async fn get_application(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let id = id.into_inner();
    let out = crate::db::run(&state.pool, move |conn| {
        queries::application_detail(conn, actor, id)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, out.application.version, &out))
}

/// Edits an application (lead town officers, coordinators). A partner town's officer may
/// change only their own town's share (`shares` with that one entry). Requires `If-Match`.
#[utoipa::path(tag = "funding", request_body = ApplicationInput, params(("If-Match" = String, Header)), responses(
    (status = 200, body = ApplicationDetail), (status = 403, body = crate::error::Problem), (status = 412, body = crate::error::Problem),
    (status = 422, body = crate::error::Problem)))]
#[patch("/funding/applications/{id}")]
pub async fn update_application(
    state: web::Data<AppState>,
    me: CurrentUser,
    req: HttpRequest,
    id: web::Path<String>,
    body: Body<ApplicationInput>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let version = if_match(&req)?;
    let (id, i) = (id.into_inner(), body.0);
    let out = crate::db::tx(&state.pool, move |conn| {
        queries::update_application(conn, actor, id, version, i)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, out.application.version, &out))
}

/// Moves an application along its life cycle (lead town officers, coordinators).
#[utoipa::path(tag = "funding", request_body = ApplicationStatusChange, params(("If-Match" = String, Header)), responses(
    (status = 200, body = ApplicationDetail), (status = 412, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[post("/funding/applications/{id}/status")]
pub async fn change_application_status(
    state: web::Data<AppState>,
    me: CurrentUser,
    req: HttpRequest,
    id: web::Path<String>,
    body: Body<ApplicationStatusChange>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let version = if_match(&req)?;
    let (id, c) = (id.into_inner(), body.0);
    let out = crate::db::tx(&state.pool, move |conn| {
        queries::change_application_status(conn, actor, id, version, c)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, out.application.version, &out))
}

/// Adds a checklist item (lead town officers, coordinators).
#[utoipa::path(tag = "funding", request_body = NewChecklistItem, responses((status = 201, body = ApplicationDetail), (status = 403, body = crate::error::Problem)))]
#[post("/funding/applications/{id}/checklist")]
pub async fn add_checklist_item(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    body: Body<NewChecklistItem>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let (id, i) = (id.into_inner(), body.0);
    let title = queries::checklist_title(&i.title)?;
    let out = crate::db::tx(&state.pool, move |conn| {
        queries::add_checklist_item(conn, actor, id, title, i)
    })
    .await?;
    Ok(HttpResponse::Created().json(out))
}

/// Edits or ticks a checklist item: managers edit everything, the assignee may tick it. Requires `If-Match` (item version).
#[utoipa::path(tag = "funding", request_body = ChecklistInput, params(("If-Match" = String, Header)), responses(
    (status = 200, body = ApplicationDetail), (status = 403, body = crate::error::Problem), (status = 412, body = crate::error::Problem)))]
#[patch("/funding/checklist/{id}")]
pub async fn update_checklist_item(
    state: web::Data<AppState>,
    me: CurrentUser,
    req: HttpRequest,
    id: web::Path<String>,
    body: Body<ChecklistInput>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let version = if_match(&req)?;
    let (id, i) = (id.into_inner(), body.0);
    let out = crate::db::tx(&state.pool, move |conn| {
        queries::update_checklist_item(conn, actor, id, version, i)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// The district funding overview.
#[utoipa::path(tag = "funding", params(OverviewQuery), responses((status = 200, body = Overview)))]
#[get("/funding/overview")]
pub async fn get_overview(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<OverviewQuery>,
) -> AppResult<HttpResponse> {
    let d = crate::api::readable_district(&me.actor(), q.into_inner().district_id)?;
    let out = crate::db::run(&state.pool, move |conn| queries::overview(conn, &d)).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// The district funding overview as CSV for systems and German Excel.
#[utoipa::path(tag = "funding", params(OverviewQuery), responses((status = 200, content_type = "text/csv", body = String)))]
#[get("/funding/overview.csv")]
pub async fn overview_csv(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<OverviewQuery>,
) -> AppResult<HttpResponse> {
    let o = overview_for(&state, &me, q.into_inner()).await?;
    Ok(export::csv_response(
        overview_table(&o).to_csv()?,
        "foerderuebersicht.csv",
    ))
}

/// The district funding overview as an Excel workbook: amounts as euro numbers.
#[utoipa::path(tag = "funding", params(OverviewQuery), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>)))]
#[get("/funding/overview.xlsx")]
pub async fn overview_xlsx(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<OverviewQuery>,
) -> AppResult<HttpResponse> {
    let o = overview_for(&state, &me, q.into_inner()).await?;
    Ok(export::xlsx_response(
        overview_table(&o).to_xlsx("Förderung")?,
        "foerderuebersicht.xlsx",
    ))
}

async fn overview_for(state: &AppState, me: &CurrentUser, q: OverviewQuery) -> AppResult<Overview> {
    let d = crate::api::readable_district(&me.actor(), q.district_id)?;
    crate::db::run(&state.pool, move |conn| queries::overview(conn, &d)).await
}

/// Creates (or renews) the secret address of the caller's deadline calendar.
#[utoipa::path(tag = "funding", responses((status = 201, body = CalendarLink)))]
#[post("/me/calendar-token")]
pub async fn renew_calendar_token(
    state: web::Data<AppState>,
    me: CurrentUser,
) -> AppResult<HttpResponse> {
    let uid = me.user.id.clone();
    let token = crate::secret::random_token(24);
    let hash = crate::secret::hash_token(&token);
    crate::db::tx(&state.pool, move |conn| {
        queries::replace_calendar_token(conn, uid, hash)
    })
    .await?;
    Ok(HttpResponse::Created().json(CalendarLink {
        url: format!("{}/api/v1/calendar/{token}.ics", state.config.public_url),
    }))
}

/// The personal deadline calendar (no sign-in: the secret address is the key).
#[utoipa::path(tag = "funding", security(()), responses((status = 200, content_type = "text/calendar", body = String), (status = 404, body = crate::error::Problem)))]
#[get("/calendar/{file}")]
pub async fn calendar(
    state: web::Data<AppState>,
    file: web::Path<String>,
) -> AppResult<HttpResponse> {
    let token = file.into_inner().trim_end_matches(".ics").to_string();
    let hash = crate::secret::hash_token(&token);
    let url = state.config.public_url.clone();
    let body = crate::db::run(&state.pool, move |conn| {
        queries::calendar_for_token(conn, hash, url)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "inline; filename=\"foerderfristen.ics\"",
        ))
        .insert_header((header::CACHE_CONTROL, "private, max-age=900"))
        .body(body))
}

/// Removes a call (admins, coordinators).
#[utoipa::path(tag = "funding", responses((status = 204), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
#[delete("/funding/calls/{id}")]
pub async fn delete_call(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    if !policy::can_edit_funding_catalogue(&actor) {
        return Err(AppError::Forbidden);
    }
    let id = id.into_inner();
    crate::db::tx(&state.pool, move |conn| {
        queries::delete_call(conn, actor, id)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Edits a programme (admins, coordinators). Requires `If-Match`.
#[utoipa::path(tag = "funding", request_body = ProgrammeInput, params(("If-Match" = String, Header)), responses(
    (status = 200, body = Programme), (status = 403, body = crate::error::Problem), (status = 412, body = crate::error::Problem),
    (status = 422, body = crate::error::Problem)))]
#[patch("/funding/programmes/{id}")]
pub async fn update_programme(
    state: web::Data<AppState>,
    me: CurrentUser,
    req: HttpRequest,
    id: web::Path<String>,
    body: Body<ProgrammeInput>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    if !policy::can_edit_funding_catalogue(&actor) {
        return Err(AppError::Forbidden);
    }
    let version = if_match(&req)?;
    let (id, i) = (id.into_inner(), body.0);
    let mut e = Errors::new();
    let text_fields = [
        ("name", &i.name, 300usize),
        ("funder", &i.funder, 500),
        ("administering_body", &i.administering_body, 500),
        ("level", &i.level, 100),
        ("region", &i.region, 1000),
        ("eligible_applicants", &i.eligible_applicants, 2000),
        ("funding_type", &i.funding_type, 200),
        ("increased_rate_condition", &i.increased_rate_condition, 500),
        ("max_amount_note", &i.max_amount_note, 1000),
        ("description", &i.description, 10_000),
    ];
    for (field, value, max) in text_fields {
        if value.as_ref().is_some_and(|v| v.chars().count() > max) {
            e.push(field, format!("Höchstens {max} Zeichen."));
        }
    }
    if i.name.as_ref().is_some_and(|n| {
        crate::text::check_line(&mut e, "name", n.trim()) && n.trim().chars().count() < 3
    }) {
        e.push(
            "name",
            "Bitte einen Namen mit mindestens 3 Zeichen angeben.",
        );
    }
    for (field, rate) in [
        ("rate_bp", i.rate_bp),
        ("increased_rate_bp", i.increased_rate_bp),
    ] {
        if rate.is_some_and(|r| !(0..=10_000).contains(&r)) {
            e.push(
                field,
                "Die Förderquote liegt zwischen 0 und 10 000 Basispunkten (0–100 %).",
            );
        }
    }
    for (field, amount) in [
        ("min_amount_cents", i.min_amount_cents),
        ("max_amount_cents", i.max_amount_cents),
    ] {
        if amount.is_some_and(|a| !(0..=100_000_000_000).contains(&a)) {
            e.push(field, "Der Betrag liegt zwischen 0 und 1 Mrd. Euro.");
        }
    }
    if i.status
        .as_deref()
        .is_some_and(|s| !["upcoming", "open", "closed"].contains(&s))
    {
        e.push("status", "Der Status ist upcoming, open oder closed.");
    }
    if i.website
        .as_deref()
        .is_some_and(|w| !w.is_empty() && !w.starts_with("https://") && !w.starts_with("http://"))
    {
        e.push("website", "Die Webadresse beginnt mit https://.");
    }
    e.finish()?;
    let out = crate::db::tx(&state.pool, move |conn| {
        queries::update_programme(conn, actor, id, version, i)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, out.version, &out))
}
