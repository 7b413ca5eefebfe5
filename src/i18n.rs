//! The languages of the interface and formatting for people: times in Europe/Berlin.
use chrono::{NaiveDateTime, TimeZone};
use chrono_tz::Europe::Berlin;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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
