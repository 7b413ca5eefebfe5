//! Browsing the OZG catalogue: by Themenfeld, by text, by OZG-ID.
use actix_web::{get, web, HttpResponse};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::{Page, PageQuery};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::db::schema::{lebenslagen, leika_services, ozg_services, themenfelder};
use crate::db::{contains_pattern, lower};
use crate::error::{AppError, AppResult};

#[derive(Debug, Serialize, ToSchema)]
pub struct Themenfeld {
    pub id: i32,
    pub name: String,
    pub lead_state: Option<String>,
    pub service_count: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ThemenfeldList {
    pub items: Vec<Themenfeld>,
}

/// The 14 Themenfelder with the number of OZG services in each.
#[utoipa::path(tag = "ozg", responses((status = 200, body = ThemenfeldList)))]
#[get("/ozg/themenfelder")]
pub async fn list_themenfelder(
    state: web::Data<AppState>,
    _me: CurrentUser,
) -> AppResult<HttpResponse> {
    let items = crate::db::run(&state.pool, |conn| {
        let tf: Vec<(i32, String, Option<String>)> = themenfelder::table
            .select((
                themenfelder::id,
                themenfelder::name,
                themenfelder::lead_state,
            ))
            .order(themenfelder::name.asc())
            .load(conn)?;
        let counts: Vec<(i32, i64)> = ozg_services::table
            .group_by(ozg_services::themenfeld_id)
            .select((ozg_services::themenfeld_id, diesel::dsl::count_star()))
            .load(conn)?;
        let counts: std::collections::HashMap<i32, i64> = counts.into_iter().collect();
        Ok(tf
            .into_iter()
            .map(|(id, name, lead_state)| Themenfeld {
                id,
                name,
                lead_state,
                service_count: counts.get(&id).copied().unwrap_or(0),
            })
            .collect::<Vec<_>>())
    })
    .await?;
    Ok(HttpResponse::Ok().json(ThemenfeldList { items }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Lebenslage {
    pub id: i32,
    pub name: String,
    pub themenfeld_id: i32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LebenslageList {
    pub items: Vec<Lebenslage>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LebenslageQuery {
    pub themenfeld_id: Option<i32>,
}

/// Lebens- and Unternehmenslagen, optionally of one Themenfeld.
#[utoipa::path(tag = "ozg", params(LebenslageQuery), responses((status = 200, body = LebenslageList)))]
#[get("/ozg/lebenslagen")]
pub async fn list_lebenslagen(
    state: web::Data<AppState>,
    _me: CurrentUser,
    q: web::Query<LebenslageQuery>,
) -> AppResult<HttpResponse> {
    let tf = q.themenfeld_id;
    let items = crate::db::run(&state.pool, move |conn| {
        let mut query = lebenslagen::table.into_boxed();
        if let Some(t) = tf {
            query = query.filter(lebenslagen::themenfeld_id.eq(t));
        }
        let rows: Vec<(i32, String, i32)> = query
            .select((
                lebenslagen::id,
                lebenslagen::name,
                lebenslagen::themenfeld_id,
            ))
            .order((lebenslagen::name.asc(), lebenslagen::id.asc()))
            .load(conn)?;
        Ok(rows
            .into_iter()
            .map(|(id, name, themenfeld_id)| Lebenslage {
                id,
                name,
                themenfeld_id,
            })
            .collect::<Vec<_>>())
    })
    .await?;
    Ok(HttpResponse::Ok().json(LebenslageList { items }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LeikaService {
    /// 14-digit LeiKa key; null for services that are not in the LeiKa.
    pub key: Option<String>,
    pub name: String,
    pub typisierung: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OzgService {
    pub ozg_id: i32,
    pub name: String,
    pub themenfeld_id: i32,
    pub themenfeld: String,
    pub lebenslage: Option<String>,
    pub leika_count: i32,
    /// Only on the detail endpoint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub leika: Option<Vec<LeikaService>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OzgQuery {
    pub themenfeld_id: Option<i32>,
    pub lebenslage_id: Option<i32>,
    /// Part of the name, or an OZG-ID.
    pub q: Option<String>,
    pub page: Option<i64>,
    pub limit: Option<i64>,
}

type OzgTuple = (i32, String, i32, String, Option<String>, i32);

fn ozg_select() -> (
    ozg_services::ozg_id,
    ozg_services::name,
    ozg_services::themenfeld_id,
    themenfelder::name,
    diesel::dsl::Nullable<lebenslagen::name>,
    ozg_services::leika_count,
) {
    (
        ozg_services::ozg_id,
        ozg_services::name,
        ozg_services::themenfeld_id,
        themenfelder::name,
        lebenslagen::name.nullable(),
        ozg_services::leika_count,
    )
}

fn to_service(t: OzgTuple) -> OzgService {
    OzgService {
        ozg_id: t.0,
        name: t.1,
        themenfeld_id: t.2,
        themenfeld: t.3,
        lebenslage: t.4,
        leika_count: t.5,
        leika: None,
    }
}

/// OZG services, filtered by Themenfeld, Lebenslage and text, ordered by OZG-ID.
#[utoipa::path(tag = "ozg", params(OzgQuery), responses((status = 200, body = Page<OzgService>)))]
#[get("/ozg/services")]
pub async fn list_services(
    state: web::Data<AppState>,
    _me: CurrentUser,
    q: web::Query<OzgQuery>,
) -> AppResult<HttpResponse> {
    let paging = PageQuery {
        page: q.page,
        limit: q.limit,
    }
    .paging()?;
    let q = q.into_inner();
    let (rows, total) = crate::db::run(&state.pool, move |conn| {
        let filtered = || {
            let mut query = ozg_services::table
                .inner_join(themenfelder::table)
                .left_join(
                    lebenslagen::table
                        .on(lebenslagen::id.nullable().eq(ozg_services::lebenslage_id)),
                )
                .into_boxed();
            if let Some(t) = q.themenfeld_id {
                query = query.filter(ozg_services::themenfeld_id.eq(t));
            }
            if let Some(l) = q.lebenslage_id {
                query = query.filter(ozg_services::lebenslage_id.eq(l));
            }
            if let Some(text) = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                let is_leika_key = text.len() == 14 && text.chars().all(|c| c.is_ascii_digit());
                match text.parse::<i32>() {
                    Ok(id) => query = query.filter(ozg_services::ozg_id.eq(id)),
                    // A LeiKa key (Leistungsschlüssel) finds the OZG service it belongs to.
                    Err(_) if is_leika_key => {
                        query = query.filter(
                            ozg_services::ozg_id.eq_any(
                                leika_services::table
                                    .filter(leika_services::leika_key.eq(text.to_string()))
                                    .select(leika_services::ozg_id.assume_not_null()),
                            ),
                        )
                    }
                    // A word finds the services by their name or by the name of one of
                    // their LeiKa services ("Hundesteuer").
                    Err(_) => {
                        query = query.filter(
                            lower(ozg_services::name)
                                .like(contains_pattern(text))
                                .escape('\\')
                                .or(ozg_services::ozg_id.eq_any(
                                    leika_services::table
                                        .filter(
                                            lower(leika_services::name)
                                                .like(contains_pattern(text))
                                                .escape('\\'),
                                        )
                                        .filter(leika_services::ozg_id.is_not_null())
                                        .select(leika_services::ozg_id.assume_not_null()),
                                )),
                        )
                    }
                }
            }
            query
        };
        let total: i64 = filtered().count().get_result(conn)?;
        let rows: Vec<OzgTuple> = filtered()
            .select(ozg_select())
            .order(ozg_services::ozg_id.asc())
            .limit(paging.limit)
            .offset(paging.offset())
            .load(conn)?;
        Ok((rows, total))
    })
    .await?;
    Ok(HttpResponse::Ok().json(Page::new(
        rows.into_iter().map(to_service).collect(),
        paging,
        total,
    )))
}

/// One OZG service with its LeiKa services.
#[utoipa::path(tag = "ozg", responses((status = 200, body = OzgService), (status = 404, body = crate::error::Problem)))]
#[get("/ozg/services/{ozg_id}")]
pub async fn get_service(
    state: web::Data<AppState>,
    _me: CurrentUser,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let service = crate::db::run(&state.pool, move |conn| {
        let row: Option<OzgTuple> = ozg_services::table
            .inner_join(themenfelder::table)
            .left_join(
                lebenslagen::table.on(lebenslagen::id.nullable().eq(ozg_services::lebenslage_id)),
            )
            .filter(ozg_services::ozg_id.eq(id))
            .select(ozg_select())
            .first(conn)
            .optional()?;
        let Some(row) = row else {
            return Err(AppError::NotFound);
        };
        let leika: Vec<(Option<String>, String, Option<String>)> = leika_services::table
            .filter(leika_services::ozg_id.eq(id))
            .select((
                leika_services::leika_key,
                leika_services::name,
                leika_services::typisierung,
            ))
            .order((leika_services::name.asc(), leika_services::id.asc()))
            .load(conn)?;
        let mut s = to_service(row);
        s.leika = Some(
            leika
                .into_iter()
                .map(|(key, name, typisierung)| LeikaService {
                    key,
                    name,
                    typisierung,
                })
                .collect(),
        );
        Ok(s)
    })
    .await?;
    Ok(HttpResponse::Ok().json(service))
}
