//! The `CurrentUser` extractor: a valid bearer token of an active user in a live session.
use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};

use super::model::Actor;
use crate::error::AppError;
use crate::state::AppState;
use crate::users::model::UserRow;

pub struct CurrentUser {
    pub user: UserRow,
    pub session_id: String,
}

impl CurrentUser {
    pub fn actor(&self) -> Actor {
        self.user.actor()
    }
}

impl FromRequest for CurrentUser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(|t| t.trim().to_string());
        Box::pin(async move {
            let state = state.ok_or_else(|| AppError::internal("state missing"))?;
            let token = token.ok_or(AppError::Unauthorized)?;
            let claims = super::tokens::verify_access_token(&state.config.jwt_secret, &token)
                .ok_or(AppError::Unauthorized)?;
            let (uid, sid) = (claims.sub, claims.sid);
            let user = crate::db::run(&state.pool, move |conn| {
                super::queries::active_user_in_session(conn, &uid, &sid).map(|u| (u, sid))
            })
            .await?;
            match user {
                (Some(user), sid) => {
                    crate::i18n::set_current(crate::i18n::Locale::parse(&user.locale));
                    Ok(CurrentUser {
                        user,
                        session_id: sid,
                    })
                }
                (None, _) => Err(AppError::Unauthorized),
            }
        })
    }
}
