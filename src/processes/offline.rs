//! The offline export of a town's continuity sheets: one self-contained HTML file
//! (inline CSS, every text escaped, no script, no external address, nothing loaded)
//! that opens from a USB stick or a printout when the platform itself is unreachable.
use chrono::{NaiveDate, NaiveDateTime};

use super::continuity::{Criticality, FallbackKind};

/// One sheet as the export prints it.
#[derive(Debug, Clone)]
pub struct OfflineSheet {
    pub process_id: String,
    pub process_name: String,
    pub leika_key: Option<String>,
    pub criticality: Criticality,
    pub max_outage_hours: i32,
    pub fallback_kind: FallbackKind,
    pub fallback: String,
    pub partner_name: Option<String>,
    pub contacts: String,
    pub systems: String,
    pub confirmed_at: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
    pub exercises: Vec<(NaiveDate, String)>,
}

/// HTML text escaping (also for attribute values).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A text written by a person, escaped, with `://` broken up so that no address in the
/// file looks like something to load (the file promises to need nothing from outside).
fn user_text(s: &str) -> String {
    escape(s).replace("://", ":&#47;&#47;")
}

const STYLE: &str = "\
body{font-family:Arial,Helvetica,sans-serif;color:#1a1a1a;margin:2em auto;max-width:60em;padding:0 1em;line-height:1.4}\
h1{font-size:1.6em;margin-bottom:.2em}\
.meta{color:#444;margin-top:0}\
nav ol{padding-left:1.4em}\
section{border:2px solid #1a1a1a;border-radius:6px;padding:1em 1.2em;margin:1.5em 0;page-break-inside:avoid}\
section h2{margin:0 0 .5em;font-size:1.3em}\
.crit{display:inline-block;font-weight:bold;padding:.1em .5em;border-radius:4px;margin-right:.5em;border:2px solid #1a1a1a}\
.crit-A{background:#f6d5d5}.crit-B{background:#faecc8}.crit-C{background:#dcebd7}\
dl{display:grid;grid-template-columns:13em 1fr;gap:.4em 1em;margin:0}\
dt{font-weight:bold}dd{margin:0;white-space:pre-wrap}\
table{border-collapse:collapse;margin-top:.3em}td,th{border:1px solid #888;padding:.2em .6em;text-align:left;vertical-align:top}\
.due{color:#8a1f11;font-weight:bold}\
@media print{body{margin:0;max-width:none}nav{display:none}section{border-width:1px}}";

fn date_de(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// The whole file. `sheets` should come ordered (criticality, then name); `printed_at` is UTC.
pub fn render(
    town_name: &str,
    district_name: &str,
    printed_at: NaiveDateTime,
    sheets: &[OfflineSheet],
) -> String {
    let mut s = String::new();
    let title = format!("Notfallkarten {}", escape(town_name));
    s.push_str("<!DOCTYPE html>\n<html lang=\"de\">\n<head>\n<meta charset=\"utf-8\">\n");
    s.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    s.push_str(&format!(
        "<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
    ));
    s.push_str(&format!("<header>\n<h1>{title}</h1>\n"));
    s.push_str(&format!(
        "<p class=\"meta\">{} · Stand: {} · {} {}</p>\n",
        escape(district_name),
        crate::i18n::format_berlin(printed_at, crate::i18n::Locale::De),
        sheets.len(),
        if sheets.len() == 1 {
            "Notfallkarte"
        } else {
            "Notfallkarten"
        }
    ));
    s.push_str("<p>Diese Datei ist für den Notfall gedacht: Sie öffnet sich ohne die Plattform und ohne Netz. \
Bitte ausdrucken oder an einem sicheren Ort ablegen und nach jeder Bestätigung neu herunterladen.</p>\n</header>\n");
    if sheets.is_empty() {
        s.push_str("<p>Für diese Kommune ist noch keine Notfallkarte erfasst.</p>\n");
    } else {
        s.push_str("<nav>\n<h2>Inhalt</h2>\n<ol>\n");
        for (i, sh) in sheets.iter().enumerate() {
            s.push_str(&format!(
                "<li><a href=\"#karte-{}\">{} ({})</a></li>\n",
                i + 1,
                user_text(&sh.process_name),
                sh.criticality.as_str()
            ));
        }
        s.push_str("</ol>\n</nav>\n<main>\n");
        for (i, sh) in sheets.iter().enumerate() {
            section(&mut s, i + 1, sh, printed_at);
        }
        s.push_str("</main>\n");
    }
    s.push_str(&format!(
        "<footer><p class=\"meta\">Erstellt aus dem Digitalnetzwerk am {}.</p></footer>\n</body>\n</html>\n",
        crate::i18n::format_berlin(printed_at, crate::i18n::Locale::De)
    ));
    s
}

fn row(s: &mut String, label: &str, value_html: &str) {
    s.push_str(&format!("<dt>{label}</dt><dd>{value_html}</dd>\n"));
}

fn or_dash(v: &str) -> String {
    if v.trim().is_empty() {
        "–".into()
    } else {
        user_text(v)
    }
}

fn section(s: &mut String, n: usize, sh: &OfflineSheet, printed_at: NaiveDateTime) {
    s.push_str(&format!(
        "<section id=\"karte-{n}\" data-process=\"{}\">\n",
        escape(&sh.process_id)
    ));
    s.push_str(&format!(
        "<h2><span class=\"crit crit-{c}\">{c}</span>{}</h2>\n<dl>\n",
        user_text(&sh.process_name),
        c = sh.criticality.as_str()
    ));
    row(s, "Kritikalität", &escape(sh.criticality.label_de()));
    row(
        s,
        "Maximale Ausfallzeit",
        &format!(
            "{} {}",
            sh.max_outage_hours,
            if sh.max_outage_hours == 1 {
                "Stunde"
            } else {
                "Stunden"
            }
        ),
    );
    if let Some(k) = &sh.leika_key {
        row(s, "LeiKa-Schlüssel", &user_text(k));
    }
    row(s, "Ausweichlösung", &escape(sh.fallback_kind.label_de()));
    row(s, "Vorgehen", &or_dash(&sh.fallback));
    if sh.fallback_kind == FallbackKind::Partner {
        row(
            s,
            "Partnerkommune",
            &or_dash(sh.partner_name.as_deref().unwrap_or("")),
        );
    }
    row(s, "Ansprechpersonen", &or_dash(&sh.contacts));
    row(s, "Benötigte Systeme", &or_dash(&sh.systems));
    let confirmed = match sh.confirmed_at {
        Some(t) if super::continuity::confirmation_due(Some(t), printed_at) => format!(
            "<span class=\"due\">{} (älter als 90 Tage, bitte prüfen)</span>",
            crate::i18n::format_berlin(t, crate::i18n::Locale::De)
        ),
        Some(t) => crate::i18n::format_berlin(t, crate::i18n::Locale::De),
        None => "<span class=\"due\">noch nie bestätigt</span>".into(),
    };
    row(s, "Kontakte bestätigt", &confirmed);
    row(
        s,
        "Zuletzt geändert",
        &crate::i18n::format_berlin(sh.updated_at, crate::i18n::Locale::De),
    );
    s.push_str("</dl>\n");
    if sh.exercises.is_empty() {
        s.push_str("<p><strong>Übungen:</strong> noch keine erfasst.</p>\n");
    } else {
        s.push_str(
            "<p><strong>Übungen:</strong></p>\n<table>\n<tr><th>Datum</th><th>Notiz</th></tr>\n",
        );
        for (d, note) in &sh.exercises {
            s.push_str(&format!(
                "<tr><td>{}</td><td>{}</td></tr>\n",
                date_de(*d),
                or_dash(note)
            ));
        }
        s.push_str("</table>\n");
    }
    s.push_str("</section>\n");
}

/// `Notfallkarten-<Town>.html`.
pub fn file_name(town_name: &str) -> String {
    let clean: String = town_name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("Notfallkarten-{clean}.html")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn sheet(name: &str) -> OfflineSheet {
        OfflineSheet {
            process_id: "p1".into(),
            process_name: name.into(),
            leika_key: Some("99012345012000".into()),
            criticality: Criticality::A,
            max_outage_hours: 24,
            fallback_kind: FallbackKind::Partner,
            fallback: "Warburg übernimmt\nmit Papier".into(),
            partner_name: Some("Warburg".into()),
            contacts: "Frau Vogt <vogt@brakel.example>, siehe https://intranet.example/x".into(),
            systems: String::new(),
            confirmed_at: Some(at("2026-06-01 08:00")),
            updated_at: at("2026-06-01 08:00"),
            exercises: vec![(
                NaiveDate::from_ymd_opt(2026, 5, 4).unwrap(),
                "Stromausfall".into(),
            )],
        }
    }

    #[test]
    fn the_file_is_self_contained_and_escaped() {
        let html = render(
            "Brakel",
            "Kreis Höxter",
            at("2026-12-02 10:00"),
            &[
                sheet("Hundesteuer <script>alert(1)</script>"),
                sheet("Wohngeld"),
            ],
        );
        for bad in [
            "http://", "https://", "src=", "<script", "<link", "@import", "url(",
        ] {
            assert!(!html.contains(bad), "contains {bad}");
        }
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("&lt;vogt@brakel.example&gt;"));
        assert!(html.contains("<style>"));
        assert!(html.contains("Notfallkarten Brakel"));
        assert!(html.contains("Stand: 02.12.2026, 11:00 Uhr"));
        assert!(html.contains("Partnerkommune</dt><dd>Warburg"));
        assert!(html.contains("04.05.2026"));
        assert!(html.contains("älter als 90 Tage"));
        assert_eq!(html.matches("<section").count(), 2);
    }

    #[test]
    fn an_empty_town_says_so() {
        let html = render("Nieheim", "Kreis Höxter", at("2026-12-02 10:00"), &[]);
        assert!(html.contains("noch keine Notfallkarte"));
        assert!(!html.contains("<section"));
    }

    #[test]
    fn the_file_name_keeps_the_town() {
        assert_eq!(file_name("Höxter"), "Notfallkarten-Höxter.html");
        assert_eq!(file_name("Bad Driburg"), "Notfallkarten-Bad-Driburg.html");
    }
}
