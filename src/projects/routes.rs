//! HTTP handlers for projects, their partners, updates, comments, follows, the public
//! showcase and similar projects: extract, ask the policy, call `queries`, answer.
use actix_web::http::StatusCode;
use actix_web::{delete, get, patch, post, put, web, HttpRequest, HttpResponse};

use super::model::*;
use super::queries;
use crate::api::{if_match, with_etag, Body, Page, PageQuery, Paging};
use crate::auth::model::Actor;
use crate::auth::CurrentUser;
use crate::db::utc;
use crate::error::{AppError, AppResult};
use crate::export;
use crate::i18n::Locale;
use crate::state::AppState;

fn locale_of(me: &CurrentUser) -> Locale {
    Locale::parse(&me.user.locale)
}

/// The controlled list of project topics.
#[utoipa::path(tag = "projects", responses((status = 200, body = TopicList)))]
#[get("/topics")]
pub async fn list_topics(state: web::Data<AppState>, me: CurrentUser) -> AppResult<HttpResponse> {
    let locale = locale_of(&me);
    let items = crate::db::run(&state.pool, move |c| queries::all_topics(c, locale)).await?;
    Ok(HttpResponse::Ok().json(TopicList { items }))
}

/// Projects the caller may see, filtered, searched and sorted.
#[utoipa::path(tag = "projects", params(ProjectQuery), responses((status = 200, body = Page<ProjectSummary>)))]
#[get("/projects")]
pub async fn list_projects(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<ProjectQuery>,
) -> AppResult<HttpResponse> {
    let paging = crate::api::paging(q.page, q.limit)?;
    let (actor, locale, q) = (me.actor(), locale_of(&me), q.into_inner());
    let body = crate::db::run(&state.pool, move |c| {
        queries::list_page_json(c, Some(&actor), &q, paging, locale)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .body(body))
}

/// The filtered list as CSV for systems and German Excel (semicolons, UTF-8 with BOM).
#[utoipa::path(tag = "projects", params(ProjectQuery), responses((status = 200, content_type = "text/csv", body = String)))]
#[get("/projects/export.csv")]
pub async fn export_projects(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<ProjectQuery>,
) -> AppResult<HttpResponse> {
    let (actor, locale, q) = (me.actor(), locale_of(&me), q.into_inner());
    let t = crate::db::run(&state.pool, move |c| {
        queries::projects_table(c, &actor, &q, locale)
    })
    .await?;
    Ok(export::csv_response(t.to_csv()?, "projekte.csv"))
}

/// The filtered list as an Excel workbook for people: AGS and OZG-IDs as text, budgets in
/// euros and dates as numbers and dates.
#[utoipa::path(tag = "projects", params(ProjectQuery), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>)))]
#[get("/projects/export.xlsx")]
pub async fn export_projects_xlsx(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<ProjectQuery>,
) -> AppResult<HttpResponse> {
    let (actor, locale, q) = (me.actor(), locale_of(&me), q.into_inner());
    let t = crate::db::run(&state.pool, move |c| {
        queries::projects_table(c, &actor, &q, locale)
    })
    .await?;
    Ok(export::xlsx_response(
        t.to_xlsx("Projekte")?,
        "projekte.xlsx",
    ))
}

/// Creates a project for the caller's town (coordinators and admins name the town).
#[utoipa::path(tag = "projects", request_body = ProjectInput, responses(
    (status = 201, body = Project), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[post("/projects")]
pub async fn create_project(
    state: web::Data<AppState>,
    me: CurrentUser,
    body: Body<ProjectInput>,
) -> AppResult<HttpResponse> {
    let (actor, locale, input) = (me.actor(), locale_of(&me), body.0);
    let project = crate::db::tx(&state.pool, move |conn| {
        queries::create_project(conn, actor, input, locale)
    })
    .await?;
    Ok(with_etag(StatusCode::CREATED, project.version, &project))
}

async fn load(state: &AppState, viewer: Option<Actor>, id: String) -> AppResult<ProjectRow> {
    crate::db::run(&state.pool, move |c| {
        queries::visible_project(c, viewer.as_ref(), &id)
    })
    .await?
    .ok_or(AppError::NotFound)
}

/// One project; 404 when the caller may not see it.
#[utoipa::path(tag = "projects", responses((status = 200, body = Project), (status = 404, body = crate::error::Problem)))]
#[get("/projects/{id}")]
pub async fn get_project(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let (actor, locale) = (me.actor(), locale_of(&me));
    let id = id.into_inner();
    let project = crate::db::run(&state.pool, move |conn| {
        queries::project_detail(conn, actor, id, locale)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, project.version, &project))
}

/// Edits a project. Requires `If-Match`; a stale version gets 412 and changes nothing.
#[utoipa::path(tag = "projects", request_body = ProjectInput, params(("If-Match" = String, Header)), responses(
    (status = 200, body = Project), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
    (status = 412, body = crate::error::Problem), (status = 422, body = crate::error::Problem), (status = 428, body = crate::error::Problem)))]
#[patch("/projects/{id}")]
pub async fn update_project(
    state: web::Data<AppState>,
    me: CurrentUser,
    req: HttpRequest,
    id: web::Path<String>,
    body: Body<ProjectInput>,
) -> AppResult<HttpResponse> {
    let (actor, locale, input) = (me.actor(), locale_of(&me), body.0);
    if input.status.is_some() {
        return Err(AppError::field(
            "status",
            "Den Status bitte über die Statusänderung setzen.",
        ));
    }
    if input.municipality_id.is_some() {
        return Err(AppError::field(
            "municipality_id",
            "Die Kommune eines Projekts lässt sich nicht ändern.",
        ));
    }
    let version = if_match(&req)?;
    let id = id.into_inner();
    let project = crate::db::tx(&state.pool, move |conn| {
        queries::update_project(conn, actor, id, version, input, locale)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, project.version, &project))
}

/// Moves a project along its life cycle; moves outside it are refused (422, field `status`).
#[utoipa::path(tag = "projects", request_body = StatusChange, params(("If-Match" = String, Header)), responses(
    (status = 200, body = Project), (status = 412, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[post("/projects/{id}/status")]
pub async fn change_status(
    state: web::Data<AppState>,
    me: CurrentUser,
    req: HttpRequest,
    id: web::Path<String>,
    body: Body<StatusChange>,
) -> AppResult<HttpResponse> {
    let (actor, locale) = (me.actor(), locale_of(&me));
    let StatusChange { status, note } = body.0;
    let note = note.unwrap_or_default().trim().to_string();
    if note.chars().count() > 1000 {
        return Err(AppError::field("note", "Höchstens 1000 Zeichen."));
    }
    let version = if_match(&req)?;
    let id = id.into_inner();
    let project = crate::db::tx(&state.pool, move |conn| {
        queries::change_project_status(conn, actor, id, version, status, note, locale)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, project.version, &project))
}

/// The status history: who moved the project where, and when.
#[utoipa::path(tag = "projects", responses((status = 200, body = Timeline), (status = 404, body = crate::error::Problem)))]
#[get("/projects/{id}/timeline")]
pub async fn project_timeline(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let id = id.into_inner();
    let rows = crate::db::run(&state.pool, move |conn| {
        queries::project_timeline(conn, actor, id)
    })
    .await?;
    let items = rows
        .into_iter()
        .map(|(from, to, note, name, at)| TimelineEntry {
            from_status: from.as_deref().and_then(ProjectStatus::parse),
            to_status: ProjectStatus::parse(&to).unwrap_or(ProjectStatus::Idea),
            note,
            changed_by_name: name,
            changed_at: utc(at),
        })
        .collect();
    Ok(HttpResponse::Ok().json(Timeline { items }))
}

/// Every version of the project with what changed, newest first.
#[utoipa::path(tag = "projects", responses((status = 200, body = VersionList), (status = 404, body = crate::error::Problem)))]
#[get("/projects/{id}/versions")]
pub async fn project_versions(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let (actor, locale) = (me.actor(), locale_of(&me));
    let id = id.into_inner();
    let list = crate::db::run(&state.pool, move |conn| {
        queries::version_list(conn, actor, id, locale)
    })
    .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// Adds a partner town. The owning side adds it directly (accepted); an officer
/// of another town asks for their own town (requested, the owner accepts).
#[utoipa::path(tag = "projects", request_body = PartnerRequest, responses(
    (status = 200, body = Project), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
#[post("/projects/{id}/partners")]
pub async fn add_partner(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    body: Body<PartnerRequest>,
) -> AppResult<HttpResponse> {
    let (actor, locale) = (me.actor(), locale_of(&me));
    let PartnerRequest {
        municipality_id,
        role,
    } = body.0;
    let id = id.into_inner();
    let project = crate::db::tx(&state.pool, move |conn| {
        queries::add_partner(conn, actor, id, municipality_id, role, locale)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, project.version, &project))
}

/// Accepts a partner town's request (owning side).
#[utoipa::path(tag = "projects", responses((status = 200, body = Project), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
#[post("/projects/{id}/partners/{municipality_id}/accept")]
pub async fn accept_partner(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let (actor, locale) = (me.actor(), locale_of(&me));
    let (id, town) = path.into_inner();
    let project = crate::db::tx(&state.pool, move |conn| {
        queries::accept_partner(conn, actor, id, town, locale)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, project.version, &project))
}

/// Removes a partner town (owning side, or the partner town's officer for their own town).
#[utoipa::path(tag = "projects", responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
#[delete("/projects/{id}/partners/{municipality_id}")]
pub async fn remove_partner(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let (id, town) = path.into_inner();
    crate::db::tx(&state.pool, move |conn| {
        queries::remove_partner(conn, actor, id, town)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Progress updates (Fortschrittsberichte), newest first.
#[utoipa::path(tag = "projects", responses((status = 200, body = UpdateList), (status = 404, body = crate::error::Problem)))]
#[get("/projects/{id}/updates")]
pub async fn list_updates(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let id = id.into_inner();
    let rows: Vec<queries::UpdateTuple> = crate::db::run(&state.pool, move |conn| {
        queries::list_updates(conn, actor, id)
    })
    .await?;
    let items = rows
        .into_iter()
        .map(
            |(id, title, body, author_name, municipality_name, at)| ProjectUpdate {
                id,
                title,
                body_html: crate::markdown::to_html(&body),
                body,
                author_name,
                municipality_name,
                created_at: utc(at),
            },
        )
        .collect();
    Ok(HttpResponse::Ok().json(UpdateList { items }))
}

/// Posts a progress update (the project's town, accepted partners, coordinators).
#[utoipa::path(tag = "projects", request_body = NewUpdate, responses(
    (status = 201, body = ProjectUpdate), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[post("/projects/{id}/updates")]
pub async fn create_update(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    body: Body<NewUpdate>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let author = me.user.name.clone();
    let NewUpdate { title, body } = body.0;
    let mut e = crate::error::Errors::new();
    let title = title.trim().to_string();
    let body = body.trim().to_string();
    if let Some(problem) = crate::text::single_line_problem(&title) {
        e.push("title", problem);
    } else if title.is_empty() || title.chars().count() > 200 {
        e.push(
            "title",
            "Bitte einen Titel mit höchstens 200 Zeichen angeben.",
        );
    }
    if body.is_empty() || body.chars().count() > 50_000 {
        e.push(
            "body",
            "Bitte einen Text mit höchstens 50 000 Zeichen angeben.",
        );
    }
    e.finish()?;
    let id = id.into_inner();
    let out = crate::db::tx(&state.pool, move |conn| {
        queries::create_update(conn, actor, author, id, title, body)
    })
    .await?;
    Ok(HttpResponse::Created().json(out))
}

/// Comments on the project and its updates, oldest first.
#[utoipa::path(tag = "projects", responses((status = 200, body = CommentList), (status = 404, body = crate::error::Problem)))]
#[get("/projects/{id}/comments")]
pub async fn list_comments(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let id = id.into_inner();
    let items = crate::db::run(&state.pool, move |conn| {
        queries::list_comments(conn, actor, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(CommentList { items }))
}

/// Comments on a project (or one of its updates). Mentioned users who may see the project get an event.
#[utoipa::path(tag = "projects", request_body = NewComment, responses(
    (status = 201, body = Comment), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[post("/projects/{id}/comments")]
pub async fn create_comment(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    body: Body<NewComment>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let NewComment { body, update_id } = body.0;
    let body = body.trim().to_string();
    if body.is_empty() || body.chars().count() > 20_000 {
        return Err(AppError::field(
            "body",
            "Bitte einen Kommentar mit höchstens 20 000 Zeichen schreiben.",
        ));
    }
    let id = id.into_inner();
    let comment = crate::db::tx(&state.pool, move |conn| {
        queries::create_comment(conn, actor, id, body, update_id)
    })
    .await?;
    Ok(HttpResponse::Created().json(comment))
}

/// People who may see the project and can be @mentioned in it (at most 10).
#[utoipa::path(tag = "projects", params(MentionQuery), responses((status = 200, body = MentionableList), (status = 404, body = crate::error::Problem)))]
#[get("/projects/{id}/mentionable")]
pub async fn mentionable(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    q: web::Query<MentionQuery>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let id = id.into_inner();
    let text = q.into_inner().q.unwrap_or_default();
    let items = crate::db::run(&state.pool, move |conn| {
        queries::mentionable(conn, actor, id, text)
    })
    .await?;
    Ok(HttpResponse::Ok().json(MentionableList { items }))
}

/// Follows a project (its news reach the follower's notifications).
#[utoipa::path(tag = "projects", responses((status = 204), (status = 404, body = crate::error::Problem)))]
#[put("/projects/{id}/follow")]
pub async fn follow(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let id = id.into_inner();
    crate::db::tx(&state.pool, move |conn| queries::follow(conn, actor, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Stops following a project.
#[utoipa::path(tag = "projects", responses((status = 204), (status = 404, body = crate::error::Problem)))]
#[delete("/projects/{id}/follow")]
pub async fn unfollow(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let id = id.into_inner();
    crate::db::run(&state.pool, move |conn| queries::unfollow(conn, actor, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Public projects, for visitors without an account.
#[utoipa::path(tag = "public", security(()), params(PageQuery), responses((status = 200, body = Page<ProjectSummary>)))]
#[get("/public/projects")]
pub async fn public_projects(
    state: web::Data<AppState>,
    q: web::Query<PageQuery>,
) -> AppResult<HttpResponse> {
    let paging = q.paging()?;
    let query = ProjectQuery {
        sort: Some(ProjectSort::Updated),
        ..Default::default()
    };
    let body = crate::db::run(&state.pool, move |c| {
        queries::list_page_json(c, None, &query, paging, Locale::De)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .body(body))
}

/// One public project.
#[utoipa::path(tag = "public", security(()), responses((status = 200, body = Project), (status = 404, body = crate::error::Problem)))]
#[get("/public/projects/{id}")]
pub async fn public_project(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let row = load(&state, None, id.into_inner()).await?;
    let project = crate::db::run(&state.pool, move |c| {
        queries::detail(c, None, row, Locale::De)
    })
    .await?;
    Ok(HttpResponse::Ok().json(project))
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// Atom feed of the 50 most recently changed public projects.
#[utoipa::path(tag = "public", security(()), responses((status = 200, content_type = "application/atom+xml", body = String)))]
#[get("/public/feed.atom")]
pub async fn public_feed(state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let base = state.config.public_url.clone();
    let query = ProjectQuery {
        sort: Some(ProjectSort::Updated),
        ..Default::default()
    };
    let page = crate::db::run(&state.pool, move |c| {
        queries::list_page(c, None, &query, Paging { page: 1, limit: 50 }, Locale::De)
    })
    .await?;
    let updated = page
        .items
        .first()
        .map(|p| p.updated_at)
        .unwrap_or_else(chrono::Utc::now);
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"de\">\n");
    xml.push_str("  <title>Digitalnetzwerk – öffentliche Projekte</title>\n");
    xml.push_str(&format!(
        "  <id>{}/api/v1/public/feed.atom</id>\n",
        xml_escape(&base)
    ));
    xml.push_str(&format!(
        "  <link rel=\"self\" href=\"{}/api/v1/public/feed.atom\"/>\n",
        xml_escape(&base)
    ));
    xml.push_str(&format!(
        "  <link rel=\"alternate\" href=\"{}/oeffentlich/projekte\"/>\n",
        xml_escape(&base)
    ));
    xml.push_str(&format!(
        "  <updated>{}</updated>\n",
        updated.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    ));
    for p in &page.items {
        let link = format!("{base}/oeffentlich/projekte/{}", p.id);
        xml.push_str("  <entry>\n");
        xml.push_str(&format!("    <title>{}</title>\n", xml_escape(&p.title)));
        xml.push_str(&format!("    <id>urn:uuid:{}</id>\n", p.id));
        xml.push_str(&format!(
            "    <link rel=\"alternate\" href=\"{}\"/>\n",
            xml_escape(&link)
        ));
        xml.push_str(&format!(
            "    <updated>{}</updated>\n",
            p.updated_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        ));
        xml.push_str(&format!(
            "    <author><name>{}</name></author>\n",
            xml_escape(&p.municipality.name)
        ));
        xml.push_str(&format!(
            "    <summary>{} ({})</summary>\n",
            xml_escape(&p.summary),
            p.status.label_de()
        ));
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    Ok(HttpResponse::Ok()
        .content_type("application/atom+xml; charset=utf-8")
        .body(xml))
}

/// "Wer baut das schon?": the most similar projects of other towns for a draft, with reasons.
#[utoipa::path(tag = "projects", request_body = SimilarRequest, responses((status = 200, body = SimilarList)))]
#[post("/projects/similar")]
pub async fn similar_for_draft(
    state: web::Data<AppState>,
    me: CurrentUser,
    body: Body<SimilarRequest>,
) -> AppResult<HttpResponse> {
    let (actor, locale, draft) = (me.actor(), locale_of(&me), body.0);
    if draft.title.chars().count() > MAX_TITLE
        || draft.summary.chars().count() > MAX_SUMMARY * 2
        || draft.ozg_ids.len() > 50
    {
        return Err(AppError::field(
            "title",
            "Der Entwurf ist zu lang für einen Vergleich.",
        ));
    }
    let body = crate::db::run(&state.pool, move |conn| {
        queries::similar_for_draft(conn, actor, draft, locale)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .body(body))
}

/// Projects of other towns similar to this one.
#[utoipa::path(tag = "projects", responses((status = 200, body = SimilarList), (status = 404, body = crate::error::Problem)))]
#[get("/projects/{id}/similar")]
pub async fn similar_for_project(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let (actor, locale) = (me.actor(), locale_of(&me));
    let id = id.into_inner();
    let body = crate::db::run(&state.pool, move |conn| {
        queries::similar_for_project(conn, actor, id, locale)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .body(body))
}
