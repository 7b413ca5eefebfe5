//! HTTP handlers of the usage views: a town's series, the district heat map, totals,
//! "Potenzial", "Auffällig" (each also as CSV), the open data and the EfA solution's usage.
use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use super::model::*;
use super::params::{masked_cell, paging, period, share_cell};
use super::queries;
use crate::api::{Page, Paging};
use crate::auth::extract::CurrentUser;
use crate::auth::model::Actor;
use crate::auth::policy;
use crate::error::{AppError, AppResult};
use crate::export::{Cell, Table};
use crate::state::AppState;

// ---- Views ----

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SeriesQuery {
    /// `YYYY-MM`; default eleven months before `to`.
    pub from: Option<String>,
    /// `YYYY-MM`; default the latest month with figures.
    pub to: Option<String>,
    /// Only this service.
    pub leika_key: Option<String>,
    pub page: Option<i64>,
    pub limit: Option<i64>,
}

async fn series_for(
    state: &AppState,
    actor: Actor,
    town_id: String,
    q: SeriesQuery,
    p: Paging,
) -> AppResult<TownSeries> {
    crate::db::run(&state.pool, move |conn| {
        let town = queries::town(conn, &town_id)?.ok_or(AppError::NotFound)?;
        if !policy::can_read_usage(Some(&actor), town.scope(), "district") {
            // Outside the district only shared services are there; nothing shared: 404.
            let shared = queries::sharing_of(conn, &town.id)?;
            if !shared.iter().any(|s| s.visibility != Sharing::District) {
                return Err(AppError::NotFound);
            }
        }
        let latest = queries::latest_month(conn, &town.district_id, Some(&town.id))?;
        let (from, to) = period(q.from.as_deref(), q.to.as_deref(), latest)?;
        queries::town_series(
            conn,
            Some(&actor),
            &town,
            from,
            to,
            q.leika_key.as_deref(),
            p.limit,
            p.offset(),
        )
    })
    .await
}

/// A town's monthly figures per service: channels, online share, processing days, backlog.
#[utoipa::path(tag = "usage", params(("id" = String, Path), SeriesQuery), responses((status = 200, body = TownSeries), (status = 404, body = crate::error::Problem)))]
#[get("/usage/towns/{id}/series")]
pub async fn usage_town_series(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<String>,
    q: web::Query<SeriesQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let p = paging(q.page, q.limit)?;
    let out = series_for(&state, me.actor(), path.into_inner(), q, p).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// The same as CSV: one line per service and month.
#[utoipa::path(tag = "usage", params(("id" = String, Path), SeriesQuery), responses((status = 200, content_type = "text/csv", body = String), (status = 404, body = crate::error::Problem)))]
#[get("/usage/towns/{id}/series.csv")]
pub async fn usage_town_series_csv(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<String>,
    q: web::Query<SeriesQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let p = Paging {
        page: 1,
        limit: 10_000,
    };
    let s = series_for(&state, me.actor(), path.into_inner(), q, p).await?;
    let mut t = Table::new([
        "Kommune",
        "Leistungsschlüssel",
        "Leistung",
        "Monat",
        "Online",
        "Papier",
        "Schalter",
        "E-Mail",
        "Telefon",
        "Gesamt",
        "Onlinequote (%)",
        "Median Bearbeitungstage",
        "Rückstand",
    ]);
    for item in &s.items {
        for pt in &item.points {
            t.push(vec![
                Cell::text(&s.municipality_name),
                Cell::Key(item.leika_key.clone()),
                Cell::text(&item.service_name),
                Cell::Key(pt.month.clone()),
                masked_cell(pt.online, pt.online_masked),
                masked_cell(pt.paper, pt.paper_masked),
                masked_cell(pt.counter, pt.counter_masked),
                masked_cell(pt.email, pt.email_masked),
                masked_cell(pt.phone, pt.phone_masked),
                masked_cell(pt.total, pt.total_masked),
                share_cell(pt.online_share),
                pt.median_days
                    .map(|d| Cell::text(format!("{d:.1}").replace('.', ",")))
                    .unwrap_or(Cell::Empty),
                pt.backlog.map(Cell::Int).unwrap_or(Cell::Empty),
            ]);
        }
    }
    Ok(crate::export::csv_response(
        t.to_csv()?,
        "nutzung-kommune.csv",
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    pub page: Option<i64>,
    pub limit: Option<i64>,
}

/// The district, its name and the period; 404 for an unknown district.
async fn district_period(
    state: &AppState,
    district_id: String,
    from: Option<String>,
    to: Option<String>,
) -> AppResult<(String, String, Month, Month)> {
    crate::db::run(&state.pool, move |conn| {
        let (name, f, t) = name_and_period(conn, &district_id, from.as_deref(), to.as_deref())?;
        Ok((district_id, name, f, t))
    })
    .await
}

/// The district's name and the period asked for (its default follows the latest figures).
fn name_and_period(
    conn: &mut crate::db::DbConn,
    district_id: &str,
    from: Option<&str>,
    to: Option<&str>,
) -> AppResult<(String, Month, Month)> {
    let name = queries::district_name(conn, district_id)?.ok_or(AppError::NotFound)?;
    let latest = queries::latest_month(conn, district_id, None)?;
    let (f, t) = period(from, to, latest)?;
    Ok((name, f, t))
}

async fn heat_map_for(
    state: &AppState,
    actor: Actor,
    district_id: String,
    q: PeriodQuery,
    limit: i64,
    offset: i64,
) -> AppResult<HeatMap> {
    let (d, name, from, to) = district_period(state, district_id, q.from, q.to).await?;
    crate::db::run(&state.pool, move |conn| {
        queries::heat_map(conn, Some(&actor), &d, name, from, to, limit, offset)
    })
    .await
}

/// The district heat map: towns × services with case counts and online share; counts 1–4 masked.
#[utoipa::path(tag = "usage", params(("id" = String, Path), PeriodQuery), responses((status = 200, body = HeatMap), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[get("/usage/districts/{id}/heatmap")]
pub async fn usage_heat_map(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<String>,
    q: web::Query<PeriodQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let page = q.page.unwrap_or(1);
    let limit = q.limit.unwrap_or(50);
    if !(1..=300).contains(&limit) {
        return Err(AppError::field(
            "limit",
            "limit muss zwischen 1 und 300 liegen.",
        ));
    }
    if !(1..=1_000_000).contains(&page) {
        return Err(AppError::field(
            "page",
            "Die Seite muss zwischen 1 und 1000000 liegen.",
        ));
    }
    let actor = me.actor();
    let district_id = path.into_inner();
    // Everything that decides the answer: the district, what this viewer may read of it
    // (the answer names nothing else about the viewer), the period as asked (its default
    // follows the figures) and the page.
    let key: HeatMapKey = (
        district_id.clone(),
        queries::readable_class(Some(&actor), &district_id),
        q.from.clone(),
        q.to.clone(),
        page,
        limit,
    );
    let body = crate::db::run(&state.pool, move |conn| {
        let scopes = [crate::kept::usage(&district_id), crate::kept::LEIKA.into()];
        let scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
        let at = crate::kept::generation_of(conn, &scopes)?;
        HEAT_MAPS.get_or_compute(key, at, || {
            let (name, from, to) =
                name_and_period(conn, &district_id, q.from.as_deref(), q.to.as_deref())?;
            let map = queries::heat_map(
                conn,
                Some(&actor),
                &district_id,
                name,
                from,
                to,
                limit,
                (page - 1) * limit,
            )?;
            serde_json::to_vec(&map).map_err(|e| AppError::internal(e.to_string()))
        })
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .body(body))
}

/// District, reader class, `from` and `to` as asked, page, limit.
type HeatMapKey = (
    String,
    super::cells::Readable,
    Option<String>,
    Option<String>,
    i64,
    i64,
);

/// Heat-map answers as sent, kept per server instance (`kept::Kept`): a repeated request
/// reads one row of `generations` (the district's usage scope and the LeiKa catalogue,
/// both kept by triggers) and copies the bytes. At most 256 pages (a 50-service page is
/// about 100 KB, the largest 300-service page about 560 KB). The maximum age covers the
/// one thing no trigger sees: a district without figures defaults to this month.
static HEAT_MAPS: crate::kept::Kept<HeatMapKey> =
    crate::kept::Kept::new(std::time::Duration::from_secs(3600), 256);

/// The heat map as CSV: one line per town and service.
#[utoipa::path(tag = "usage", params(("id" = String, Path), PeriodQuery), responses((status = 200, content_type = "text/csv", body = String), (status = 404, body = crate::error::Problem)))]
#[get("/usage/districts/{id}/heatmap.csv")]
pub async fn usage_heat_map_csv(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<String>,
    q: web::Query<PeriodQuery>,
) -> AppResult<HttpResponse> {
    let m = heat_map_for(
        &state,
        me.actor(),
        path.into_inner(),
        q.into_inner(),
        100_000,
        0,
    )
    .await?;
    let towns: std::collections::HashMap<&str, &str> = m
        .towns
        .iter()
        .map(|t| (t.id.as_str(), t.name.as_str()))
        .collect();
    let services: std::collections::HashMap<&str, &str> = m
        .services
        .iter()
        .map(|s| (s.leika_key.as_str(), s.name.as_str()))
        .collect();
    let mut t = Table::new([
        "Kommune",
        "Leistungsschlüssel",
        "Leistung",
        "Von",
        "Bis",
        "Fälle",
        "Online",
        "Onlinequote (%)",
    ]);
    for c in &m.cells {
        t.push(vec![
            Cell::text(towns.get(c.municipality_id.as_str()).copied().unwrap_or("")),
            Cell::Key(c.leika_key.clone()),
            Cell::text(services.get(c.leika_key.as_str()).copied().unwrap_or("")),
            Cell::Key(m.from.clone()),
            Cell::Key(m.to.clone()),
            masked_cell(c.total, c.total_masked),
            masked_cell(c.online, c.online_masked),
            share_cell(c.online_share),
        ]);
    }
    Ok(crate::export::csv_response(
        t.to_csv()?,
        "nutzung-heatmap.csv",
    ))
}

async fn totals_for(
    state: &AppState,
    actor: Actor,
    district_id: String,
    q: PeriodQuery,
) -> AppResult<DistrictTotals> {
    let (d, _, from, to) = district_period(state, district_id, q.from, q.to).await?;
    crate::db::run(&state.pool, move |conn| {
        queries::district_totals(conn, Some(&actor), &d, from, to)
    })
    .await
}

/// The district's cases per month and channel (over the figures the caller may read).
#[utoipa::path(tag = "usage", params(("id" = String, Path), PeriodQuery), responses((status = 200, body = DistrictTotals), (status = 404, body = crate::error::Problem)))]
#[get("/usage/districts/{id}/totals")]
pub async fn usage_totals(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<String>,
    q: web::Query<PeriodQuery>,
) -> AppResult<HttpResponse> {
    let out = totals_for(&state, me.actor(), path.into_inner(), q.into_inner()).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// The district totals as CSV.
#[utoipa::path(tag = "usage", params(("id" = String, Path), PeriodQuery), responses((status = 200, content_type = "text/csv", body = String), (status = 404, body = crate::error::Problem)))]
#[get("/usage/districts/{id}/totals.csv")]
pub async fn usage_totals_csv(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<String>,
    q: web::Query<PeriodQuery>,
) -> AppResult<HttpResponse> {
    let d = totals_for(&state, me.actor(), path.into_inner(), q.into_inner()).await?;
    let mut t = Table::new([
        "Monat",
        "Online",
        "Papier",
        "Schalter",
        "E-Mail",
        "Telefon",
        "Gesamt",
        "Onlinequote (%)",
        "Meldende Kommunen",
    ]);
    for m in &d.months {
        t.push(vec![
            Cell::Key(m.month.clone()),
            Cell::Int(m.sums.online),
            Cell::Int(m.sums.paper),
            Cell::Int(m.sums.counter),
            Cell::Int(m.sums.email),
            Cell::Int(m.sums.phone),
            Cell::Int(m.sums.total),
            share_cell(m.sums.online_share),
            Cell::Int(m.towns_reporting),
        ]);
    }
    Ok(crate::export::csv_response(
        t.to_csv()?,
        "nutzung-kreis.csv",
    ))
}

async fn potential_for(
    state: &AppState,
    actor: Actor,
    district_id: String,
    q: PeriodQuery,
) -> AppResult<Vec<PotentialItem>> {
    let (d, _, from, to) = district_period(state, district_id, q.from, q.to).await?;
    crate::db::run(&state.pool, move |conn| {
        queries::potential(conn, Some(&actor), &d, from, to)
    })
    .await
}

/// "Potenzial": services with the largest share of cases still on paper.
#[utoipa::path(tag = "usage", params(("id" = String, Path), PeriodQuery), responses((status = 200, body = Page<PotentialItem>), (status = 404, body = crate::error::Problem)))]
#[get("/usage/districts/{id}/potential")]
pub async fn usage_potential(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<String>,
    q: web::Query<PeriodQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let p = paging(q.page, q.limit)?;
    let all = potential_for(&state, me.actor(), path.into_inner(), q).await?;
    Ok(HttpResponse::Ok().json(Page::cut(all, p)))
}

/// The "Potenzial" ranking as CSV.
#[utoipa::path(tag = "usage", params(("id" = String, Path), PeriodQuery), responses((status = 200, content_type = "text/csv", body = String), (status = 404, body = crate::error::Problem)))]
#[get("/usage/districts/{id}/potential.csv")]
pub async fn usage_potential_csv(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<String>,
    q: web::Query<PeriodQuery>,
) -> AppResult<HttpResponse> {
    let all = potential_for(&state, me.actor(), path.into_inner(), q.into_inner()).await?;
    let mut t = Table::new([
        "Leistungsschlüssel",
        "Leistung",
        "Papier",
        "Gesamt",
        "Papieranteil (%)",
        "Onlinequote (%)",
        "Kommunen",
    ]);
    for i in &all {
        t.push(vec![
            Cell::Key(i.leika_key.clone()),
            Cell::text(&i.service_name),
            Cell::Int(i.paper),
            Cell::Int(i.total),
            share_cell(Some(i.paper_share)),
            share_cell(i.online_share),
            Cell::Int(i.towns),
        ]);
    }
    Ok(crate::export::csv_response(
        t.to_csv()?,
        "nutzung-potenzial.csv",
    ))
}

async fn anomalies_for(
    state: &AppState,
    actor: Actor,
    district_id: String,
    q: PeriodQuery,
) -> AppResult<Vec<Anomaly>> {
    let (d, _, _, to) = district_period(state, district_id, None, q.to).await?;
    crate::db::run(&state.pool, move |conn| {
        queries::anomalies(conn, Some(&actor), &d, to)
    })
    .await
}

/// "Auffällig": online share falling three months in a row; EfA solution live but no online case.
#[utoipa::path(tag = "usage", params(("id" = String, Path), PeriodQuery), responses((status = 200, body = Page<Anomaly>), (status = 404, body = crate::error::Problem)))]
#[get("/usage/districts/{id}/anomalies")]
pub async fn usage_anomalies(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<String>,
    q: web::Query<PeriodQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let p = paging(q.page, q.limit)?;
    let all = anomalies_for(&state, me.actor(), path.into_inner(), q).await?;
    Ok(HttpResponse::Ok().json(Page::cut(all, p)))
}

/// The "Auffällig" list as CSV.
#[utoipa::path(tag = "usage", params(("id" = String, Path), PeriodQuery), responses((status = 200, content_type = "text/csv", body = String), (status = 404, body = crate::error::Problem)))]
#[get("/usage/districts/{id}/anomalies.csv")]
pub async fn usage_anomalies_csv(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<String>,
    q: web::Query<PeriodQuery>,
) -> AppResult<HttpResponse> {
    let all = anomalies_for(&state, me.actor(), path.into_inner(), q.into_inner()).await?;
    let mut t = Table::new([
        "Art",
        "Kommune",
        "Leistungsschlüssel",
        "Leistung",
        "EfA-Lösung",
        "Monate",
        "Onlinequoten (%)",
    ]);
    for a in &all {
        t.push(vec![
            Cell::text(match a.kind {
                AnomalyKind::FallingShare => "Onlinequote sinkt seit drei Monaten",
                AnomalyKind::LiveWithoutOnline => "EfA-Lösung in Betrieb, aber keine Online-Fälle",
            }),
            Cell::text(&a.municipality_name),
            Cell::Key(a.leika_key.clone()),
            Cell::text(&a.service_name),
            Cell::text(a.efa_solution_name.clone().unwrap_or_default()),
            Cell::text(a.months.join(", ")),
            Cell::text(
                a.shares
                    .iter()
                    .map(|s| {
                        s.map(|s| format!("{:.1}", s * 100.0).replace('.', ","))
                            .unwrap_or_else(|| "–".into())
                    })
                    .collect::<Vec<_>>()
                    .join(" / "),
            ),
        ]);
    }
    Ok(crate::export::csv_response(
        t.to_csv()?,
        "nutzung-auffaellig.csv",
    ))
}

// ---- Public and EfA ----

/// The licence of the open data (first line of the CSV).
pub const OPEN_DATA_LICENCE: &str = "Lizenz: Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0, https://www.govdata.de/dl-de/by-2-0); Quelle: die jeweilige Kommune über das Digitalnetzwerk. Fallzahlen von 1 bis 4 sind als „< 5“ angegeben.";

/// Open data: the figures towns published, as CSV with a licence note. No sign-in.
#[utoipa::path(tag = "usage", security(()), responses((status = 200, content_type = "text/csv", body = String)))]
#[get("/usage/public/open-data.csv")]
pub async fn usage_open_data(state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let rows = crate::db::run(&state.pool, queries::public_figures).await?;
    let mut keys: Vec<String> = rows.iter().map(|r| r.3.clone()).collect();
    keys.sort();
    keys.dedup();
    let info = crate::db::run(&state.pool, move |conn| queries::leika_info(conn, &keys)).await?;
    let mut t = Table::new([
        "Kreis",
        "Kommune",
        "AGS",
        "Leistungsschlüssel",
        "Leistung",
        "Monat",
        "Kanal",
        "Anzahl",
    ]);
    for (d, town, ags, k, m, c, n) in rows {
        let (v, masked) = mask(Some(n), false);
        t.push(vec![
            Cell::text(d),
            Cell::text(town),
            Cell::Key(ags),
            Cell::Key(k.clone()),
            Cell::text(info.get(&k).map(|i| i.0.clone()).unwrap_or_default()),
            Cell::Key(Month::from_db(m).to_string()),
            Cell::text(Channel::parse(&c).map(Channel::label_de).unwrap_or("")),
            masked_cell(v, masked),
        ]);
    }
    let body = t.to_csv()?;
    // The licence note goes first, after the BOM, as a comment line.
    let mut out = vec![0xEF, 0xBB, 0xBF];
    out.extend_from_slice(format!("# {OPEN_DATA_LICENCE}\r\n").as_bytes());
    out.extend_from_slice(body.get(3..).unwrap_or_default());
    Ok(crate::export::csv_response(out, "nutzung-open-data.csv"))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PublicQuery {
    pub page: Option<i64>,
    pub limit: Option<i64>,
}

/// The published usage series (town × service) for the public showcase. No sign-in.
#[utoipa::path(tag = "usage", security(()), params(PublicQuery), responses((status = 200, body = Page<PublicSeriesItem>)))]
#[get("/usage/public/services")]
pub async fn usage_public_services(
    state: web::Data<AppState>,
    q: web::Query<PublicQuery>,
) -> AppResult<HttpResponse> {
    let p = paging(q.page, q.limit)?;
    let (items, total) = crate::db::run(&state.pool, move |conn| {
        queries::public_series(conn, p.limit, p.offset())
    })
    .await?;
    Ok(HttpResponse::Ok().json(Page::new(items, p, total)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EfaQuery {
    pub from: Option<String>,
    pub to: Option<String>,
}

/// Usage of an EfA solution per adopting town (the services of its OZG-IDs).
#[utoipa::path(tag = "usage", params(("id" = String, Path), EfaQuery), responses((status = 200, body = EfaUsage), (status = 404, body = crate::error::Problem)))]
#[get("/usage/efa/{id}")]
pub async fn usage_efa(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<String>,
    q: web::Query<EfaQuery>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let id = path.into_inner();
    let q = q.into_inner();
    let (from, to) = period(q.from.as_deref(), q.to.as_deref(), None)?;
    let out = crate::db::run(&state.pool, move |conn| {
        queries::efa_usage(conn, &actor, &id, from, to)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}
