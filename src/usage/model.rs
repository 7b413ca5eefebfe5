//! Usage figures as domain values: channels, sources, sharing levels, months, counts,
//! the online share, small-count masking, the CSV column mapping and the Reifegrad rule.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How a case reached the town.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Online,
    Paper,
    Counter,
    Email,
    Phone,
}

impl Channel {
    pub const ALL: [Channel; 5] = [
        Channel::Online,
        Channel::Paper,
        Channel::Counter,
        Channel::Email,
        Channel::Phone,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Online => "online",
            Channel::Paper => "paper",
            Channel::Counter => "counter",
            Channel::Email => "email",
            Channel::Phone => "phone",
        }
    }

    pub fn label_de(self) -> &'static str {
        match self {
            Channel::Online => "Online",
            Channel::Paper => "Papier",
            Channel::Counter => "Schalter",
            Channel::Email => "E-Mail",
            Channel::Phone => "Telefon",
        }
    }

    /// The stored name, and the German and English words files use for it.
    pub fn parse(raw: &str) -> Option<Channel> {
        let s = raw.trim().to_lowercase();
        Some(match s.as_str() {
            "online" | "digital" | "internet" => Channel::Online,
            "paper" | "papier" | "post" | "schriftlich" => Channel::Paper,
            "counter" | "schalter" | "vor ort" | "persönlich" | "persoenlich" => Channel::Counter,
            "email" | "e-mail" | "mail" => Channel::Email,
            "phone" | "telefon" | "telefonisch" => Channel::Phone,
            _ => return None,
        })
    }
}

/// Where a figure came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Csv,
    Manual,
    Api,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Csv => "csv",
            Source::Manual => "manual",
            Source::Api => "api",
        }
    }
}

/// Who beyond the district may read a town's figures of one service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum Sharing {
    /// The town's district (coordinators and its towns): the default.
    #[default]
    District,
    /// Every signed-in user of the platform.
    Network,
    /// Also anonymous visitors (public showcase, open data).
    Public,
}

impl Sharing {
    pub fn as_str(self) -> &'static str {
        match self {
            Sharing::District => "district",
            Sharing::Network => "network",
            Sharing::Public => "public",
        }
    }
    pub fn parse(s: &str) -> Sharing {
        match s {
            "network" => Sharing::Network,
            "public" => Sharing::Public,
            _ => Sharing::District,
        }
    }
}

/// A calendar month, stored as `yyyymm` (202503) so that ranges compare as integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month(i32);

const MONTH_NAMES: [(&str, u32); 24] = [
    ("januar", 1),
    ("jänner", 1),
    ("februar", 2),
    ("märz", 3),
    ("maerz", 3),
    ("april", 4),
    ("mai", 5),
    ("juni", 6),
    ("juli", 7),
    ("august", 8),
    ("september", 9),
    ("oktober", 10),
    ("november", 11),
    ("dezember", 12),
    ("jan", 1),
    ("feb", 2),
    ("mär", 3),
    ("mrz", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("okt", 10),
];

const MONTH_NAMES_SHORT_REST: [(&str, u32); 3] = [("sept", 9), ("nov", 11), ("dez", 12)];

impl Month {
    pub fn new(year: i32, month: u32) -> Option<Month> {
        ((1..=12).contains(&month) && (1990..=2100).contains(&year))
            .then_some(Month(year * 100 + month as i32))
    }

    pub fn from_db(v: i32) -> Month {
        Month(v)
    }

    pub fn db(self) -> i32 {
        self.0
    }

    pub fn year(self) -> i32 {
        self.0 / 100
    }

    pub fn month(self) -> u32 {
        (self.0 % 100) as u32
    }

    /// `2025-03`, `2025/03`, `03/2025`, `3/2025`, `03.2025`, `März 2025`, `Mär 2025`,
    /// `Maerz 2025`; anything else is refused with a German message.
    pub fn parse(raw: &str) -> Result<Month, String> {
        let s = raw.trim();
        let bad = || {
            format!(
                "„{s}“ ist kein gültiger Monat (erwartet z. B. 2025-03, 03/2025 oder März 2025)."
            )
        };
        if s.is_empty() {
            return Err("Der Monat fehlt.".into());
        }
        let num = |t: &str| -> Option<i64> {
            (!t.is_empty() && t.len() <= 4 && t.chars().all(|c| c.is_ascii_digit()))
                .then(|| t.parse().ok())
                .flatten()
        };
        for sep in ['-', '/', '.'] {
            if let Some((a, b)) = s.split_once(sep) {
                let (Some(x), Some(y)) = (num(a.trim()), num(b.trim())) else {
                    // Not numeric on both sides: maybe an abbreviated name (`Mrz. 2025`).
                    continue;
                };
                let (year, month) = if a.trim().len() == 4 { (x, y) } else { (y, x) };
                if !(1..=12).contains(&month) {
                    return Err(format!(
                        "„{s}“ ist kein gültiger Monat: Monat {month} gibt es nicht (1 bis 12)."
                    ));
                }
                return Month::new(year as i32, month as u32).ok_or_else(bad);
            }
        }
        if let Some((name, year)) = s.rsplit_once(char::is_whitespace) {
            let name = name.trim().trim_end_matches('.').to_lowercase();
            let month = MONTH_NAMES
                .iter()
                .chain(MONTH_NAMES_SHORT_REST.iter())
                .find(|(n, _)| *n == name)
                .map(|(_, m)| *m);
            if let (Some(m), Some(y)) = (month, num(year.trim())) {
                return Month::new(y as i32, m).ok_or_else(bad);
            }
        }
        Err(bad())
    }

    /// The month `n` months later (earlier for negative `n`).
    pub fn plus(self, n: i32) -> Month {
        let idx = self.year() * 12 + self.month() as i32 - 1 + n;
        Month(idx.div_euclid(12) * 100 + idx.rem_euclid(12) + 1)
    }

    /// Months from `self` to `to`, both included (empty if `to` is earlier).
    pub fn through(self, to: Month) -> Vec<Month> {
        let mut out = Vec::new();
        let mut m = self;
        while m <= to {
            out.push(m);
            m = m.plus(1);
        }
        out
    }

    /// `Oktober 2025`
    pub fn label_de(self) -> String {
        const NAMES: [&str; 12] = [
            "Januar",
            "Februar",
            "März",
            "April",
            "Mai",
            "Juni",
            "Juli",
            "August",
            "September",
            "Oktober",
            "November",
            "Dezember",
        ];
        format!(
            "{} {}",
            NAMES[(self.month() as usize).clamp(1, 12) - 1],
            self.year()
        )
    }

    /// `Oktober 2025` or `October 2025`.
    pub fn label(self, locale: crate::i18n::Locale) -> String {
        const NAMES_EN: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        match locale {
            crate::i18n::Locale::De => self.label_de(),
            crate::i18n::Locale::En => format!(
                "{} {}",
                NAMES_EN[(self.month() as usize).clamp(1, 12) - 1],
                self.year()
            ),
        }
    }

    pub fn of_date(d: chrono::NaiveDate) -> Month {
        use chrono::Datelike;
        Month(d.year() * 100 + d.month() as i32)
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

/// A LeiKa key: 14 digits (the catalogue decides whether it exists).
pub fn parse_leika_key(raw: &str) -> Result<String, String> {
    let s: String = raw.trim().chars().filter(|c| *c != ' ').collect();
    if s.len() == 14 && s.chars().all(|c| c.is_ascii_digit()) {
        Ok(s)
    } else if s.is_empty() {
        Err("Der Leistungsschlüssel fehlt.".into())
    } else {
        Err(format!(
            "„{}“ ist kein Leistungsschlüssel (14 Ziffern).",
            raw.trim()
        ))
    }
}

/// A case count: a whole number ≥ 0; German thousands dots (`1.234`) are accepted.
pub fn parse_count(raw: &str) -> Result<i32, String> {
    let s = raw.trim();
    if s.is_empty() {
        return Err("Die Anzahl fehlt.".into());
    }
    if s.starts_with('-') {
        return Err(format!("Die Anzahl darf nicht negativ sein („{s}“)."));
    }
    let grouped = s.contains('.')
        && s.split('.').enumerate().all(|(i, g)| {
            g.chars().all(|c| c.is_ascii_digit())
                && (if i == 0 {
                    (1..=3).contains(&g.len())
                } else {
                    g.len() == 3
                })
        });
    let digits: String = if grouped {
        s.replace('.', "")
    } else {
        s.to_string()
    };
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!("„{s}“ ist keine ganze Zahl."));
    }
    digits
        .parse::<i32>()
        .map_err(|_| format!("„{s}“ ist zu groß."))
}

/// Median processing days: a number ≥ 0 with `,` or `.` as decimal separator.
pub fn parse_days(raw: &str) -> Result<f64, String> {
    let s = raw.trim().replace(',', ".");
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && (0.0..=3650.0).contains(&v) => Ok((v * 10.0).round() / 10.0),
        Ok(_) => Err(format!(
            "„{}“ liegt nicht zwischen 0 und 3650 Tagen.",
            raw.trim()
        )),
        Err(_) => Err(format!("„{}“ ist keine Zahl.", raw.trim())),
    }
}

/// Online cases as a share of all cases; `None` when there are none at all.
pub fn online_share(online: i64, total: i64) -> Option<f64> {
    (total > 0).then(|| online as f64 / total as f64)
}

/// `x` rounded to `places` decimals.
pub fn round_to(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}

/// Counts below this (and above 0) are shown as "< 5" to readers who may not see exact figures.
pub const MASK_BELOW: i64 = 5;

/// A count as the reader may see it: `(value, masked)`. A masked value is never sent.
pub fn mask(count: Option<i64>, exact: bool) -> (Option<i64>, bool) {
    match count {
        Some(n) if !exact && (1..MASK_BELOW).contains(&n) => (None, true),
        other => (other, false),
    }
}

/// The cases of one service, town and month (or period) per channel.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ChannelCounts {
    pub online: Option<i64>,
    pub paper: Option<i64>,
    pub counter: Option<i64>,
    pub email: Option<i64>,
    pub phone: Option<i64>,
}

impl ChannelCounts {
    pub fn add(&mut self, channel: Channel, n: i64) {
        let slot = match channel {
            Channel::Online => &mut self.online,
            Channel::Paper => &mut self.paper,
            Channel::Counter => &mut self.counter,
            Channel::Email => &mut self.email,
            Channel::Phone => &mut self.phone,
        };
        *slot = Some(slot.unwrap_or(0) + n);
    }

    pub fn get(&self, channel: Channel) -> Option<i64> {
        match channel {
            Channel::Online => self.online,
            Channel::Paper => self.paper,
            Channel::Counter => self.counter,
            Channel::Email => self.email,
            Channel::Phone => self.phone,
        }
    }

    /// The sum over the channels reported; `None` when no channel was reported.
    pub fn total(&self) -> Option<i64> {
        let present: Vec<i64> = Channel::ALL.iter().filter_map(|c| self.get(*c)).collect();
        (!present.is_empty()).then(|| present.iter().sum())
    }

    /// Online / all channels. A month without figures has no share; a month with only
    /// other channels has 0; one with only online cases has 1.
    pub fn online_share(&self) -> Option<f64> {
        self.total()
            .and_then(|t| online_share(self.online.unwrap_or(0), t))
    }
}

/// Three falls in a row: each of the last three month-to-month steps has a lower share
/// than the month before (every one of the four months must have a share).
pub fn falling_three_months(shares: &[Option<f64>]) -> bool {
    if shares.len() < 4 {
        return false;
    }
    let last: Vec<Option<f64>> = shares[shares.len() - 4..].to_vec();
    last.windows(2).all(|w| match (w[0], w[1]) {
        (Some(a), Some(b)) => b < a,
        _ => false,
    })
}

/// The overall Reifegrad: the lowest criterion's level (None without criteria).
pub fn overall_level(levels: &[(String, i32)]) -> Option<i32> {
    levels.iter().map(|(_, l)| *l).min()
}

/// The criteria at the overall level (the ones to improve first).
pub fn weakest_criteria(levels: &[(String, i32)]) -> Vec<String> {
    match overall_level(levels) {
        Some(min) => levels
            .iter()
            .filter(|(_, l)| *l == min)
            .map(|(k, _)| k.clone())
            .collect(),
        None => Vec::new(),
    }
}

/// Which CSV column holds what. Column names are header texts as in the file.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct Mapping {
    /// Column with the LeiKa key (required).
    pub leika_key: Option<String>,
    /// Column with the month (required).
    pub month: Option<String>,
    #[serde(default)]
    pub ozg_id: Option<String>,
    #[serde(default)]
    pub median_days: Option<String>,
    #[serde(default)]
    pub backlog: Option<String>,
    /// Long format: the column naming the channel …
    #[serde(default)]
    pub channel: Option<String>,
    /// … and the one with its count.
    #[serde(default)]
    pub count: Option<String>,
    /// Wide format: one count column per channel (`online`, `paper`, `counter`, `email`, `phone`).
    #[serde(default)]
    pub channels: Option<BTreeMap<Channel, Option<String>>>,
}

fn normalise_header(h: &str) -> String {
    h.trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// A first guess at the mapping from the header texts.
pub fn suggest_mapping(headers: &[String]) -> Mapping {
    let find = |words: &[&str]| -> Option<String> {
        headers
            .iter()
            .find(|h| {
                let n = normalise_header(h);
                words.iter().any(|w| n == *w || n.starts_with(w))
            })
            .cloned()
    };
    let mut m = Mapping {
        leika_key: find(&[
            "leistungsschlüssel",
            "leikaschlüssel",
            "leika",
            "leistungsschluessel",
            "leikakey",
            "schlüssel",
        ]),
        month: find(&["monat", "month", "zeitraum", "berichtsmonat"]),
        ozg_id: find(&["ozgid", "ozg"]),
        median_days: find(&[
            "median",
            "bearbeitungsdauer",
            "bearbeitungszeit",
            "mediandays",
        ]),
        backlog: find(&["rückstand", "offen", "backlog", "offenefälle", "bestand"]),
        channel: find(&["kanal", "channel", "eingangskanal", "zugang"]),
        count: find(&["anzahl", "count", "fallzahl", "fälle", "faelle", "menge"]),
        channels: None,
    };
    if m.channel.is_none() || m.count.is_none() {
        let mut wide = BTreeMap::new();
        for c in Channel::ALL {
            let col = headers
                .iter()
                .find(|h| Channel::parse(h) == Some(c) || normalise_header(h) == c.as_str())
                .cloned();
            if col.is_some() {
                wide.insert(c, col);
            }
        }
        if !wide.is_empty() {
            m.channel = None;
            m.count = None;
            m.channels = Some(wide);
        }
    }
    m
}

/// One figure to store, already checked.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureInput {
    pub leika_key: String,
    pub month: Month,
    pub channel: Channel,
    pub count: i32,
    pub ozg_id: Option<i32>,
    pub median_days: Option<f64>,
    pub backlog: Option<i32>,
}

/// Column positions of a checked mapping.
#[derive(Debug, Clone)]
pub struct Columns {
    pub leika_key: usize,
    pub month: usize,
    pub ozg_id: Option<usize>,
    pub median_days: Option<usize>,
    pub backlog: Option<usize>,
    pub layout: Layout,
}

#[derive(Debug, Clone)]
pub enum Layout {
    Long { channel: usize, count: usize },
    Wide(Vec<(Channel, usize)>),
}

/// Resolves the mapping against the header; errors name the mapping field.
pub fn resolve_mapping(
    m: &Mapping,
    headers: &[String],
) -> Result<Columns, Vec<crate::error::FieldError>> {
    use crate::error::FieldError;
    let mut errors = Vec::new();
    let mut col = |field: &str, name: &Option<String>, required: bool| -> Option<usize> {
        match name.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => {
                if required {
                    errors.push(FieldError::new(
                        format!("mapping.{field}"),
                        "Bitte eine Spalte zuordnen.",
                    ));
                }
                None
            }
            Some(n) => {
                let i = headers.iter().position(|h| h.trim() == n);
                if i.is_none() {
                    errors.push(FieldError::new(
                        format!("mapping.{field}"),
                        format!("Die Spalte „{n}“ gibt es in der Datei nicht."),
                    ));
                }
                i
            }
        }
    };
    let leika_key = col("leika_key", &m.leika_key, true);
    let month = col("month", &m.month, true);
    let ozg_id = col("ozg_id", &m.ozg_id, false);
    let median_days = col("median_days", &m.median_days, false);
    let backlog = col("backlog", &m.backlog, false);
    let wide: Vec<(Channel, Option<String>)> = m
        .channels
        .iter()
        .flatten()
        .filter(|(_, v)| v.as_deref().is_some_and(|s| !s.trim().is_empty()))
        .map(|(c, v)| (*c, v.clone()))
        .collect();
    let long_given = m.channel.is_some() || m.count.is_some();
    let layout = if long_given && !wide.is_empty() {
        errors.push(FieldError::new(
            "mapping.channels",
            "Entweder Kanal- und Anzahl-Spalte oder eine Spalte je Kanal zuordnen, nicht beides.",
        ));
        None
    } else if !wide.is_empty() {
        let mut cols = Vec::new();
        for (c, name) in wide {
            if let Some(i) = col(&format!("channels.{}", c.as_str()), &name, true) {
                cols.push((c, i));
            }
        }
        Some(Layout::Wide(cols))
    } else {
        let channel = col("channel", &m.channel, true);
        let count = col("count", &m.count, true);
        match (channel, count) {
            (Some(channel), Some(count)) => Some(Layout::Long { channel, count }),
            _ => None,
        }
    };
    match (leika_key, month, layout) {
        (Some(leika_key), Some(month), Some(layout)) if errors.is_empty() => Ok(Columns {
            leika_key,
            month,
            ozg_id,
            median_days,
            backlog,
            layout,
        }),
        _ => Err(errors),
    }
}

/// One problem in a CSV line: the line as a spreadsheet numbers it (header = 1) and the column.
#[derive(Debug, Clone, PartialEq)]
pub struct LineError {
    pub line: u64,
    pub column: String,
    pub message: String,
}

impl LineError {
    pub fn text(&self) -> String {
        format!(
            "Zeile {}, Spalte „{}“: {}",
            self.line, self.column, self.message
        )
    }
}

/// Checks one data line against the mapping; gives its figures (one per channel) or the
/// line's errors. Whether the LeiKa key exists is checked by the caller against the catalogue.
pub fn parse_line(
    record: &[String],
    line: u64,
    cols: &Columns,
    headers: &[String],
) -> Result<Vec<FigureInput>, Vec<LineError>> {
    let mut errors = Vec::new();
    let cell = |i: usize| record.get(i).map(String::as_str).unwrap_or("");
    let mut err = |i: usize, message: String| {
        errors.push(LineError {
            line,
            column: headers.get(i).cloned().unwrap_or_default(),
            message,
        })
    };
    let leika = parse_leika_key(cell(cols.leika_key))
        .map_err(|m| err(cols.leika_key, m))
        .ok();
    let month = Month::parse(cell(cols.month))
        .map_err(|m| err(cols.month, m))
        .ok();
    let optional = |i: Option<usize>| i.map(cell).map(str::trim).filter(|s| !s.is_empty());
    let ozg_id = match optional(cols.ozg_id) {
        Some(s) => match s.parse::<i32>() {
            Ok(v) if v > 0 => Some(v),
            _ => {
                err(cols.ozg_id.unwrap_or(0), format!("„{s}“ ist keine OZG-ID."));
                None
            }
        },
        None => None,
    };
    let median_days = match optional(cols.median_days) {
        Some(s) => parse_days(s)
            .map_err(|m| err(cols.median_days.unwrap_or(0), m))
            .ok(),
        None => None,
    };
    let backlog = match optional(cols.backlog) {
        Some(s) => parse_count(s)
            .map_err(|m| err(cols.backlog.unwrap_or(0), m))
            .ok(),
        None => None,
    };
    let mut counts = Vec::new();
    match &cols.layout {
        Layout::Long { channel, count } => {
            let c = Channel::parse(cell(*channel));
            if c.is_none() {
                err(
                    *channel,
                    format!(
                        "„{}“ ist kein Kanal (online, Papier, Schalter, E-Mail, Telefon).",
                        cell(*channel).trim()
                    ),
                );
            }
            let n = parse_count(cell(*count)).map_err(|m| err(*count, m)).ok();
            if let (Some(c), Some(n)) = (c, n) {
                counts.push((c, n));
            }
        }
        Layout::Wide(cs) => {
            for (c, i) in cs {
                let raw = cell(*i).trim();
                if raw.is_empty() {
                    continue;
                }
                if let Ok(n) = parse_count(raw).map_err(|m| err(*i, m)) {
                    counts.push((*c, n));
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let (Some(leika_key), Some(month)) = (leika, month) else {
        return Err(errors);
    };
    Ok(counts
        .into_iter()
        .map(|(channel, count)| FigureInput {
            leika_key: leika_key.clone(),
            month,
            channel,
            count,
            ozg_id,
            median_days,
            backlog,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_in_german_formats() {
        let m = Month::new(2025, 3).unwrap();
        for s in [
            "2025-03",
            "2025-3",
            "03/2025",
            "3/2025",
            "2025/03",
            "03.2025",
            "März 2025",
            "Mär 2025",
            "maerz 2025",
            "MÄRZ 2025",
            "Mrz. 2025",
        ] {
            assert_eq!(Month::parse(s), Ok(m), "{s}");
        }
        assert_eq!(
            Month::parse("Dezember 2024").unwrap().to_string(),
            "2024-12"
        );
        let e = Month::parse("13/2025").unwrap_err();
        assert!(e.contains("Monat 13 gibt es nicht"), "{e}");
        assert!(Month::parse("2025-00").is_err());
        assert!(Month::parse("Brumaire 2025").is_err());
        assert!(Month::parse("").is_err());
        assert!(Month::parse("2025").is_err());
    }

    #[test]
    fn month_arithmetic() {
        let m = Month::new(2025, 11).unwrap();
        assert_eq!(m.plus(2).to_string(), "2026-01");
        assert_eq!(m.plus(-11).to_string(), "2024-12");
        assert_eq!(m.through(m.plus(3)).len(), 4);
        assert!(m.plus(1).through(m).is_empty());
    }

    #[test]
    fn counts_and_days() {
        assert_eq!(parse_count("12"), Ok(12));
        assert_eq!(parse_count(" 1.234 "), Ok(1234));
        assert!(parse_count("-3").unwrap_err().contains("negativ"));
        assert!(parse_count("2,5").is_err());
        assert!(parse_count("12.5").is_err());
        assert!(parse_count("").is_err());
        assert_eq!(parse_days("4,5"), Ok(4.5));
        assert!(parse_days("-1").is_err());
        assert!(parse_leika_key("9900100100000").is_err());
        assert_eq!(parse_leika_key("99001001000000").unwrap(), "99001001000000");
    }

    #[test]
    fn online_share_edge_cases() {
        // No paper cases: everything online.
        let mut c = ChannelCounts::default();
        c.add(Channel::Online, 10);
        assert_eq!(c.online_share(), Some(1.0));
        // No online cases: share 0, not missing.
        let mut c = ChannelCounts::default();
        c.add(Channel::Paper, 7);
        c.add(Channel::Counter, 3);
        assert_eq!(c.online_share(), Some(0.0));
        // A missing month: no share at all.
        assert_eq!(ChannelCounts::default().online_share(), None);
        assert_eq!(ChannelCounts::default().total(), None);
        // Zero cases reported: no share (nothing to divide).
        let mut c = ChannelCounts::default();
        c.add(Channel::Online, 0);
        assert_eq!(c.total(), Some(0));
        assert_eq!(c.online_share(), None);
        // Mixed: 30 of 40.
        let mut c = ChannelCounts::default();
        c.add(Channel::Online, 30);
        c.add(Channel::Paper, 6);
        c.add(Channel::Email, 4);
        assert_eq!(c.online_share(), Some(0.75));
        assert_eq!(online_share(1, 3).map(|s| round_to(s, 2)), Some(0.33));
    }

    #[test]
    fn small_counts_are_masked_for_outsiders_only() {
        assert_eq!(mask(Some(3), false), (None, true));
        assert_eq!(mask(Some(3), true), (Some(3), false));
        assert_eq!(mask(Some(0), false), (Some(0), false));
        assert_eq!(mask(Some(5), false), (Some(5), false));
        assert_eq!(mask(None, false), (None, false));
    }

    #[test]
    fn falling_share() {
        let s = |v: &[f64]| v.iter().map(|x| Some(*x)).collect::<Vec<_>>();
        assert!(falling_three_months(&s(&[0.9, 0.6, 0.5, 0.4, 0.3])));
        assert!(!falling_three_months(&s(&[0.6, 0.5, 0.5, 0.4])));
        assert!(!falling_three_months(&s(&[0.5, 0.4, 0.3])));
        assert!(!falling_three_months(&[
            Some(0.6),
            None,
            Some(0.4),
            Some(0.3)
        ]));
    }

    #[test]
    fn reifegrad_is_the_weakest_criterion() {
        let levels = vec![
            ("antragsprozess".to_string(), 4),
            ("bezahlung".to_string(), 1),
            ("nachweise".to_string(), 3),
        ];
        assert_eq!(overall_level(&levels), Some(1));
        assert_eq!(weakest_criteria(&levels), vec!["bezahlung".to_string()]);
        assert_eq!(overall_level(&[]), None);
    }

    #[test]
    fn mapping_suggestion_long_and_wide() {
        let h = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let m = suggest_mapping(&h(&["Leistungsschlüssel", "Monat", "Kanal", "Anzahl"]));
        assert_eq!(m.leika_key.as_deref(), Some("Leistungsschlüssel"));
        assert_eq!(m.channel.as_deref(), Some("Kanal"));
        assert_eq!(m.count.as_deref(), Some("Anzahl"));
        let m = suggest_mapping(&h(&["LeiKa", "Monat", "Online", "Papier", "Schalter"]));
        let wide = m.channels.unwrap();
        assert_eq!(wide[&Channel::Paper].as_deref(), Some("Papier"));
        assert!(m.channel.is_none());
    }

    #[test]
    fn a_line_names_its_column() {
        let headers: Vec<String> = ["Schlüssel", "Monat", "Kanal", "Anzahl"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let cols = resolve_mapping(
            &Mapping {
                leika_key: Some("Schlüssel".into()),
                month: Some("Monat".into()),
                channel: Some("Kanal".into()),
                count: Some("Anzahl".into()),
                ..Default::default()
            },
            &headers,
        )
        .unwrap();
        let rec = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let ok = parse_line(
            &rec(&["99001001000000", "03/2025", "Papier", "7"]),
            2,
            &cols,
            &headers,
        )
        .unwrap();
        assert_eq!(ok[0].channel, Channel::Paper);
        let errs = parse_line(
            &rec(&["99001001000000", "13/2025", "online", "-1"]),
            5,
            &cols,
            &headers,
        )
        .unwrap_err();
        assert_eq!(errs.len(), 2);
        assert!(
            errs[0].text().starts_with("Zeile 5, Spalte „Monat“"),
            "{}",
            errs[0].text()
        );
        assert!(errs[1].text().contains("Spalte „Anzahl“"));
        let bad = resolve_mapping(
            &Mapping {
                leika_key: Some("Nope".into()),
                ..Default::default()
            },
            &headers,
        )
        .unwrap_err();
        assert!(bad.iter().any(|e| e.field == "mapping.leika_key"));
        assert!(bad.iter().any(|e| e.field == "mapping.month"));
    }
}

// ---- The shapes of the API (requests and answers). ----

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportOut {
    pub id: String,
    pub municipality_id: String,
    pub municipality_name: String,
    pub source: String,
    pub file_name: Option<String>,
    pub row_count: i32,
    pub figure_count: i32,
    pub replaced_count: i32,
    pub created_by_name: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub is_demo: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PreviewIn {
    pub csv: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ImportIn {
    pub municipality_id: String,
    pub file_name: Option<String>,
    pub csv: String,
    pub mapping: Mapping,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ManualEntryIn {
    pub leika_key: String,
    pub channel: Channel,
    pub count: i64,
    pub median_days: Option<f64>,
    pub backlog: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ManualIn {
    pub municipality_id: String,
    pub month: String,
    pub entries: Vec<ManualEntryIn>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SavedOut {
    pub import_id: String,
    pub saved: i64,
    pub replaced: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ManualRow {
    pub leika_key: String,
    pub service_name: String,
    pub paper: Option<i64>,
    pub counter: Option<i64>,
    pub email: Option<i64>,
    pub phone: Option<i64>,
    /// All sources together, read-only in the grid.
    pub online: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ManualGrid {
    pub municipality_id: String,
    pub month: String,
    pub rows: Vec<ManualRow>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LeikaOut {
    pub leika_key: String,
    pub name: String,
    pub ozg_id: Option<i32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenOut {
    pub id: String,
    pub municipality_id: String,
    pub name: String,
    /// The first characters of the secret, to recognise it.
    pub prefix: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub created_by_name: Option<String>,
    pub last_used_at: Option<chrono::DateTime<chrono::Utc>>,
    pub revoked_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenIn {
    pub municipality_id: String,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenCreated {
    pub token: TokenOut,
    /// Shown once; only its SHA-256 is stored.
    pub secret: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PushFigureIn {
    pub leika_key: String,
    pub month: String,
    pub channel: Channel,
    pub count: i64,
    pub median_days: Option<f64>,
    pub backlog: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PushIn {
    pub municipality_id: String,
    pub figures: Vec<PushFigureIn>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PushOut {
    pub import_id: String,
    pub accepted: i64,
    pub replaced: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SharingOut {
    pub leika_key: String,
    pub service_name: String,
    pub visibility: Sharing,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SharingIn {
    pub municipality_id: String,
    pub leika_key: String,
    pub visibility: Sharing,
}

/// One month of one service in one town, counts masked for readers who may not see them exactly.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SeriesPoint {
    pub month: String,
    pub online: Option<i64>,
    pub online_masked: bool,
    pub paper: Option<i64>,
    pub paper_masked: bool,
    pub counter: Option<i64>,
    pub counter_masked: bool,
    pub email: Option<i64>,
    pub email_masked: bool,
    pub phone: Option<i64>,
    pub phone_masked: bool,
    pub total: Option<i64>,
    pub total_masked: bool,
    /// Online / all channels, 0..1; null without figures or when a count is masked.
    pub online_share: Option<f64>,
    pub median_days: Option<f64>,
    pub backlog: Option<i64>,
}

impl SeriesPoint {
    pub fn build(
        month: Month,
        c: &ChannelCounts,
        exact: bool,
        median_days: Option<f64>,
        backlog: Option<i64>,
    ) -> SeriesPoint {
        let (online, online_masked) = mask(c.online, exact);
        let (paper, paper_masked) = mask(c.paper, exact);
        let (counter, counter_masked) = mask(c.counter, exact);
        let (email, email_masked) = mask(c.email, exact);
        let (phone, phone_masked) = mask(c.phone, exact);
        let (total, total_masked) = mask(c.total(), exact);
        let any_masked =
            online_masked || paper_masked || counter_masked || email_masked || phone_masked;
        let share = if any_masked && !exact {
            // A share next to a masked count would give the count away.
            None
        } else {
            c.online_share().map(|s| round_to(s, 3))
        };
        SeriesPoint {
            month: month.to_string(),
            online,
            online_masked,
            paper,
            paper_masked,
            counter,
            counter_masked,
            email,
            email_masked,
            phone,
            phone_masked,
            total,
            total_masked,
            online_share: share,
            median_days,
            backlog,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceSeries {
    pub leika_key: String,
    pub service_name: String,
    pub ozg_id: Option<i32>,
    pub visibility: Sharing,
    pub points: Vec<SeriesPoint>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TownSeries {
    pub municipality_id: String,
    pub municipality_name: String,
    pub from: String,
    pub to: String,
    pub months: Vec<String>,
    pub items: Vec<ServiceSeries>,
    pub page: i64,
    pub limit: i64,
    pub total: i64,
}

/// A town as the usage views name it (its schema name differs from `projects::TownRef`).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = UsageTown)]
pub struct TownRef {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ServiceRef {
    pub leika_key: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HeatCell {
    pub municipality_id: String,
    pub leika_key: String,
    pub total: Option<i64>,
    pub total_masked: bool,
    pub online: Option<i64>,
    pub online_masked: bool,
    pub online_share: Option<f64>,
}

impl HeatCell {
    /// Small counts are masked for every reader of the comparison view.
    pub fn build(municipality_id: &str, leika_key: &str, c: &ChannelCounts) -> HeatCell {
        let (total, total_masked) = mask(c.total(), false);
        // Where other channels were reported, no online figure means no online case.
        let (online, online_masked) = mask(c.online.or(c.total().map(|_| 0)), false);
        HeatCell {
            municipality_id: municipality_id.to_string(),
            leika_key: leika_key.to_string(),
            total,
            total_masked,
            online,
            online_masked,
            online_share: if total_masked || online_masked {
                None
            } else {
                c.online_share().map(|s| round_to(s, 2))
            },
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HeatMap {
    pub district_id: String,
    pub district_name: String,
    pub from: String,
    pub to: String,
    pub towns: Vec<TownRef>,
    pub services: Vec<ServiceRef>,
    pub cells: Vec<HeatCell>,
    pub page: i64,
    pub limit: i64,
    pub total: i64,
}

#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct ChannelSums {
    pub online: i64,
    pub paper: i64,
    pub counter: i64,
    pub email: i64,
    pub phone: i64,
    pub total: i64,
    pub online_share: Option<f64>,
}

impl ChannelSums {
    pub fn of(c: &ChannelCounts) -> ChannelSums {
        ChannelSums {
            online: c.online.unwrap_or(0),
            paper: c.paper.unwrap_or(0),
            counter: c.counter.unwrap_or(0),
            email: c.email.unwrap_or(0),
            phone: c.phone.unwrap_or(0),
            total: c.total().unwrap_or(0),
            online_share: c.online_share().map(|s| round_to(s, 3)),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MonthTotals {
    pub month: String,
    #[serde(flatten)]
    pub sums: ChannelSums,
    pub towns_reporting: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DistrictTotals {
    pub district_id: String,
    pub from: String,
    pub to: String,
    pub months: Vec<MonthTotals>,
    pub sum: ChannelSums,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PotentialItem {
    pub leika_key: String,
    pub service_name: String,
    pub paper: i64,
    pub total: i64,
    pub paper_share: f64,
    pub online_share: Option<f64>,
    pub towns: i64,
    /// The towns behind the figures, by name.
    pub town_names: Vec<String>,
}

#[derive(Debug, Clone, Copy, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum AnomalyKind {
    /// The online share fell three months in a row.
    FallingShare,
    /// The town's adoption of an EfA solution for the service is live, yet no online case.
    LiveWithoutOnline,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Anomaly {
    pub kind: AnomalyKind,
    pub municipality_id: String,
    pub municipality_name: String,
    pub leika_key: String,
    pub service_name: String,
    pub efa_solution_id: Option<String>,
    pub efa_solution_name: Option<String>,
    pub months: Vec<String>,
    pub shares: Vec<Option<f64>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MaturityLevel {
    pub level: i32,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MaturityCriterion {
    pub key: String,
    pub name: String,
    pub description: String,
    pub position: i32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MaturityModel {
    pub id: String,
    pub name: String,
    pub source: String,
    pub max_level: i32,
    pub levels: Vec<MaturityLevel>,
    pub criteria: Vec<MaturityCriterion>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CriterionLevelIn {
    pub key: String,
    pub level: i32,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AssessmentIn {
    pub municipality_id: String,
    pub leika_key: String,
    pub model: String,
    pub assessed_on: chrono::NaiveDate,
    pub assessor: String,
    pub evidence_url: Option<String>,
    pub criteria: Vec<CriterionLevelIn>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CriterionLevel {
    pub key: String,
    pub name: String,
    pub level: i32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Assessment {
    pub id: String,
    pub municipality_id: String,
    pub municipality_name: String,
    pub leika_key: String,
    pub service_name: String,
    pub model: String,
    pub assessed_on: chrono::NaiveDate,
    pub assessor: String,
    pub evidence_url: Option<String>,
    pub overall_level: i32,
    pub weakest_criteria: Vec<String>,
    pub criteria: Vec<CriterionLevel>,
    pub created_by_name: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MaturityService {
    pub leika_key: String,
    pub name: String,
    /// Towns whose current assessment is at level 3 or higher ("Stufe ≥ 3 in N von M").
    pub at_least_3: i64,
    pub towns_assessed: i64,
    pub towns_total: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MaturityCell {
    pub municipality_id: String,
    pub leika_key: String,
    pub level: i32,
    pub assessed_on: chrono::NaiveDate,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MaturityMatrix {
    pub district_id: String,
    pub model: String,
    pub towns: Vec<TownRef>,
    pub services: Vec<MaturityService>,
    pub cells: Vec<MaturityCell>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicSeriesItem {
    pub municipality_id: String,
    pub municipality_name: String,
    pub leika_key: String,
    pub service_name: String,
    pub months: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EfaTownUsage {
    pub municipality_id: String,
    pub municipality_name: String,
    pub adoption_status: String,
    pub online: Option<i64>,
    pub online_masked: bool,
    pub total: Option<i64>,
    pub total_masked: bool,
    pub online_share: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EfaUsage {
    pub solution_id: String,
    pub from: String,
    pub to: String,
    pub items: Vec<EfaTownUsage>,
}

/// A pushed or typed figure before checking: LeiKa key, month (unless the request
/// names one for all), channel, count, median days, backlog.
pub type EntryIn = (
    String,
    Option<String>,
    Channel,
    i64,
    Option<f64>,
    Option<i64>,
);

/// Checks pushed or typed figures; errors name `<prefix>[i].<field>`.
pub fn check_entries(
    prefix: &str,
    entries: Vec<EntryIn>,
    month_all: Option<Month>,
    manual: bool,
) -> (Vec<FigureInput>, Vec<crate::error::FieldError>) {
    let mut errors = Vec::new();
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, (key, month, channel, count, days, backlog)) in entries.into_iter().enumerate() {
        let f = |name: &str| format!("{prefix}[{i}].{name}");
        let key = match parse_leika_key(&key) {
            Ok(k) => Some(k),
            Err(m) => {
                errors.push(crate::error::FieldError::new(f("leika_key"), m));
                None
            }
        };
        let month = match (month_all, month) {
            (Some(m), _) => Some(m),
            (None, Some(s)) => match Month::parse(&s) {
                Ok(m) => Some(m),
                Err(e) => {
                    errors.push(crate::error::FieldError::new(f("month"), e));
                    None
                }
            },
            (None, None) => {
                errors.push(crate::error::FieldError::new(
                    f("month"),
                    "Der Monat fehlt.",
                ));
                None
            }
        };
        if manual && channel == Channel::Online {
            errors.push(crate::error::FieldError::new(
                f("channel"),
                "Online-Fälle kommen aus dem Import oder der Schnittstelle, nicht aus der Handeingabe.",
            ));
        }
        if !(0..=i32::MAX as i64).contains(&count) {
            errors.push(crate::error::FieldError::new(
                f("count"),
                if count < 0 {
                    "Die Anzahl darf nicht negativ sein."
                } else {
                    "Die Anzahl ist zu groß."
                },
            ));
        }
        let days = match days {
            Some(d) if !(0.0..=3650.0).contains(&d) => {
                errors.push(crate::error::FieldError::new(
                    f("median_days"),
                    "Die Bearbeitungsdauer liegt nicht zwischen 0 und 3650 Tagen.",
                ));
                None
            }
            d => d.map(|d| round_to(d, 1)),
        };
        if let Some(b) = backlog {
            if !(0..=i32::MAX as i64).contains(&b) {
                errors.push(crate::error::FieldError::new(
                    f("backlog"),
                    "Der Rückstand darf nicht negativ sein.",
                ));
            }
        }
        if let (Some(key), Some(month)) = (key, month) {
            if !seen.insert((key.clone(), month, channel)) {
                errors.push(crate::error::FieldError::new(
                    f("channel"),
                    "Diese Leistung, dieser Monat und Kanal stehen schon weiter oben.",
                ));
                continue;
            }
            out.push(FigureInput {
                leika_key: key,
                month,
                channel,
                count: count.clamp(0, i32::MAX as i64) as i32,
                ozg_id: None,
                median_days: days,
                backlog: backlog.map(|b| b.clamp(0, i32::MAX as i64) as i32),
            });
        }
    }
    (out, errors)
}

/// The "Nutzung im letzten Monat" block of a coordinator's digest.
#[derive(Debug, Clone, Serialize)]
pub struct DigestUsage {
    /// `Oktober 2025` (`October 2025` in English)
    pub month: String,
    pub total: i64,
    pub online: i64,
    /// `42,5 %` (`42.5%` in English), or empty when there is no share.
    pub online_share: String,
    pub towns_reporting: i64,
    pub link: String,
}
