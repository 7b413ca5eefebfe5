//! Formatting for people: times in Europe/Berlin.
use chrono::{NaiveDateTime, TimeZone};
use chrono_tz::Europe::Berlin;

use crate::auth::Locale;

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
