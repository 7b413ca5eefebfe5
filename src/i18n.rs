//! The languages of the interface and formatting for people: times in Europe/Berlin.
use chrono::{NaiveDateTime, TimeZone};
use chrono_tz::Europe::Berlin;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub mod labels;
#[cfg(test)]
mod message_coverage;
pub mod serde_errors;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum Locale {
    #[default]
    De,
    En,
}

impl Locale {
    pub fn as_str(self) -> &'static str {
        match self {
            Locale::De => "de",
            Locale::En => "en",
        }
    }
    pub fn parse(s: &str) -> Locale {
        if s == "en" {
            Locale::En
        } else {
            Locale::De
        }
    }
}

tokio::task_local! {
    static CURRENT: std::cell::Cell<Locale>;
}

impl Locale {
    /// The first language of an `Accept-Language` header we speak (German otherwise).
    pub fn from_accept_language(header: Option<&str>) -> Locale {
        let Some(h) = header else {
            return Locale::De;
        };
        for part in h.split(',') {
            let tag = part
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            if tag.starts_with("de") {
                return Locale::De;
            }
            if tag.starts_with("en") {
                return Locale::En;
            }
        }
        Locale::De
    }
}

/// Runs `fut` with `locale` as the language of the request (problem texts use it).
pub async fn scope<F: std::future::Future>(locale: Locale, fut: F) -> F::Output {
    CURRENT.scope(std::cell::Cell::new(locale), fut).await
}

/// The language of the request being handled: the signed-in user's, else the
/// `Accept-Language` header's, else German.
pub fn current() -> Locale {
    CURRENT.try_with(|c| c.get()).unwrap_or_default()
}

/// Sets the language of the current request (the extractor does, once it knows the user).
pub fn set_current(locale: Locale) {
    let _ = CURRENT.try_with(|c| c.set(locale));
}

pub fn format_berlin(t: NaiveDateTime, locale: Locale) -> String {
    let local = Berlin.from_utc_datetime(&t);
    match locale {
        Locale::De => local.format("%d.%m.%Y, %H:%M Uhr").to_string(),
        Locale::En => local.format("%Y-%m-%d %H:%M (Berlin time)").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn berlin_summer_and_winter_time() {
        let winter =
            NaiveDateTime::parse_from_str("2026-12-01 10:00:00", "%Y-%m-%d %H:%M:%S").unwrap();
        let summer =
            NaiveDateTime::parse_from_str("2026-07-01 10:00:00", "%Y-%m-%d %H:%M:%S").unwrap();
        assert_eq!(format_berlin(winter, Locale::De), "01.12.2026, 11:00 Uhr");
        assert_eq!(format_berlin(summer, Locale::De), "01.07.2026, 12:00 Uhr");
    }
}
