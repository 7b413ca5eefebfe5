//! The request id: one per request, taken from `X-Request-Id` when it is sane or
//! generated, echoed in the response, written in the access log and in every
//! problem+json body, so an operator can find the log line a user reports.
use actix_web::http::header::HeaderValue;

pub const HEADER: &str = "x-request-id";

/// The id of one request (ASCII letters, digits and `._:-`, at most 64 characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(pub String);

tokio::task_local! {
    static CURRENT: RequestId;
}

impl RequestId {
    /// The caller's id if it is one a log can safely hold, else a new UUID.
    pub fn from_header(value: Option<&HeaderValue>) -> RequestId {
        value
            .and_then(|v| v.to_str().ok())
            .filter(|v| is_sane(v))
            .map(|v| RequestId(v.to_string()))
            .unwrap_or_else(|| RequestId(uuid::Uuid::now_v7().to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Runs `f` (synchronous) with this id as the current one.
    pub fn sync_scope<R>(&self, f: impl FnOnce() -> R) -> R {
        CURRENT.sync_scope(self.clone(), f)
    }

    /// Runs `fut` with this id as the current one while it is polled.
    pub async fn scope<F: std::future::Future>(&self, fut: F) -> F::Output {
        CURRENT.scope(self.clone(), fut).await
    }
}

impl std::fmt::Display for RequestId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn is_sane(v: &str) -> bool {
    !v.is_empty()
        && v.len() <= 64
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'))
}

/// The id of the request being handled on this task, if any (problem bodies use it).
pub fn current() -> Option<String> {
    CURRENT.try_with(|id| id.0.clone()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sane_ids_are_taken_over() {
        let keep = |s: &str| RequestId::from_header(Some(&HeaderValue::from_str(s).unwrap())).0;
        assert_eq!(keep("abc-123_x.y:z"), "abc-123_x.y:z");
        let long = "a".repeat(64);
        assert_eq!(keep(&long), long);
        for bad in ["", "a b", "a\"b", "ä", &"a".repeat(65), "x/y", "a\tb"] {
            let Ok(v) = HeaderValue::from_str(bad) else {
                continue;
            };
            let got = RequestId::from_header(Some(&v)).0;
            assert_ne!(got, bad);
            assert!(uuid::Uuid::parse_str(&got).is_ok(), "{got}");
        }
        assert!(uuid::Uuid::parse_str(&RequestId::from_header(None).0).is_ok());
    }

    #[test]
    fn current_is_set_only_inside_a_scope() {
        assert_eq!(current(), None);
        let id = RequestId("r1".into());
        assert_eq!(id.sync_scope(current), Some("r1".into()));
    }
}
