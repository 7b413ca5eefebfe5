//! The ceiling for `make bench`: a bare actix-web handler that answers every request with
//! the same 2.4 KB of JSON (17 list items), measured in the same run and with the same load generator as
//! the real server. `bare <port>`.
use actix_web::{web, App, HttpResponse, HttpServer};

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .expect("usage: bare <port>");
    let items: Vec<serde_json::Value> = (0..17)
        .map(|i| serde_json::json!({"id": format!("01a2{i:028}"), "title": format!("Projekt {i}"), "status": "planned", "visibility": "district", "updated_at": "2026-12-01T10:00:00Z"}))
        .collect();
    let body = web::Bytes::from(serde_json::json!({"items": items, "total": 17}).to_string());
    HttpServer::new(move || {
        let body = body.clone();
        App::new().default_service(web::to(move || {
            let body = body.clone();
            async move {
                HttpResponse::Ok()
                    .content_type("application/json")
                    .body(body)
            }
        }))
    })
    .workers(2)
    .bind(("127.0.0.1", port))?
    .run()
    .await
}
