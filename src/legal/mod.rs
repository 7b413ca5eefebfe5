//! The legal and information pages every public authority's site needs — Impressum,
//! Datenschutzerklärung, Erklärung zur Barrierefreiheit — as Markdown the operator puts
//! into `<DATA_DIR>/legal/` (read on every request, so a change needs no restart and no
//! rebuild), with German defaults in the binary for a page without a file.
pub mod routes;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::model::Locale;
use crate::error::{AppError, AppResult};

/// A page is at most this large; a bigger file is an operator's mistake, not a page.
const MAX_BYTES: u64 = 512 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LegalPageKind {
    Impressum,
    Datenschutz,
    Barrierefreiheit,
}

impl LegalPageKind {
    pub const ALL: [LegalPageKind; 3] = [
        LegalPageKind::Impressum,
        LegalPageKind::Datenschutz,
        LegalPageKind::Barrierefreiheit,
    ];

    /// The name in the URL and of the operator's file (`<slug>.md`).
    pub fn slug(self) -> &'static str {
        match self {
            LegalPageKind::Impressum => "impressum",
            LegalPageKind::Datenschutz => "datenschutz",
            LegalPageKind::Barrierefreiheit => "barrierefreiheit",
        }
    }

    pub fn parse(slug: &str) -> Option<LegalPageKind> {
        Self::ALL.into_iter().find(|p| p.slug() == slug)
    }

    /// The heading when the Markdown starts without one of its own.
    pub fn title(self, locale: Locale) -> &'static str {
        match (self, locale) {
            (LegalPageKind::Impressum, Locale::De) => "Impressum",
            (LegalPageKind::Impressum, Locale::En) => "Legal notice",
            (LegalPageKind::Datenschutz, Locale::De) => "Datenschutzerklärung",
            (LegalPageKind::Datenschutz, Locale::En) => "Privacy policy",
            (LegalPageKind::Barrierefreiheit, Locale::De) => "Erklärung zur Barrierefreiheit",
            (LegalPageKind::Barrierefreiheit, Locale::En) => "Accessibility statement",
        }
    }

    /// The text shipped in the binary: correct as far as the platform goes, with the
    /// operator's particulars (name, address, contacts) left to fill in.
    fn default_markdown(self) -> &'static str {
        match self {
            LegalPageKind::Impressum => include_str!("defaults/impressum.md"),
            LegalPageKind::Datenschutz => include_str!("defaults/datenschutz.md"),
            LegalPageKind::Barrierefreiheit => include_str!("defaults/barrierefreiheit.md"),
        }
    }
}

/// One page as the SPA shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct LegalPage {
    pub page: LegalPageKind,
    /// The operator's first-level heading, else the page's usual name.
    pub title: String,
    /// The language the text is written in (`de`, or `en` when the operator gave an
    /// English file); the SPA marks the text with it.
    pub lang: String,
    /// The Markdown below the title, as written.
    pub markdown: String,
    /// The Markdown as sanitised HTML.
    pub html: String,
    /// `true` when the operator's file is shown, `false` for the built-in default.
    pub customised: bool,
    /// When the operator's file was last changed.
    pub updated_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Where the operator's files live.
pub fn dir(data_dir: &Path) -> PathBuf {
    data_dir.join("legal")
}

/// Reads `path`; `None` when there is no such file or it holds only white space.
fn read_operator_file(
    path: &Path,
) -> AppResult<Option<(String, Option<chrono::DateTime<chrono::Utc>>)>> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(AppError::internal(format!(
                "Rechtstext {}: {e}",
                path.display()
            )))
        }
    };
    if meta.len() > MAX_BYTES {
        return Err(AppError::internal(format!(
            "Rechtstext {} ist größer als {MAX_BYTES} Bytes",
            path.display()
        )));
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| AppError::internal(format!("Rechtstext {}: {e}", path.display())))?;
    if text.trim().is_empty() {
        return Ok(None);
    }
    let modified = meta
        .modified()
        .ok()
        .map(chrono::DateTime::<chrono::Utc>::from);
    Ok(Some((text, modified)))
}

/// Splits a leading `# Heading` off the Markdown.
fn split_title(markdown: &str) -> (Option<String>, &str) {
    let trimmed = markdown.trim_start_matches(['\u{feff}', '\n', '\r', ' ']);
    let (first, rest) = trimmed.split_once('\n').unwrap_or((trimmed, ""));
    match first.trim_end().strip_prefix("# ") {
        Some(title) if !title.trim().is_empty() => (
            Some(title.trim().trim_end_matches('#').trim().to_string()),
            rest,
        ),
        _ => (None, markdown),
    }
}

/// The page in `locale`: the operator's `<slug>.en.md` for English readers if there is
/// one, else the operator's `<slug>.md`, else the built-in German text. Blocking (file
/// system): call it off the executor.
pub fn load(data_dir: &Path, page: LegalPageKind, locale: Locale) -> AppResult<LegalPage> {
    let dir = dir(data_dir);
    let mut candidates = Vec::new();
    if locale == Locale::En {
        candidates.push((dir.join(format!("{}.en.md", page.slug())), Locale::En));
    }
    candidates.push((dir.join(format!("{}.md", page.slug())), Locale::De));
    let mut found = None;
    for (path, lang) in candidates {
        if let Some((text, modified)) = read_operator_file(&path)? {
            found = Some((text, modified, lang));
            break;
        }
    }
    let customised = found.is_some();
    let (source, updated_at, lang) = match found {
        Some((text, modified, lang)) => (text, modified, lang),
        None => (page.default_markdown().to_string(), None, Locale::De),
    };
    let (own_title, body) = split_title(&source);
    Ok(LegalPage {
        page,
        title: own_title.unwrap_or_else(|| page.title(lang).to_string()),
        lang: lang.as_str().to_string(),
        markdown: body.trim().to_string(),
        html: crate::markdown::to_html(body),
        customised,
        updated_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_german_and_name_what_the_law_asks_for() {
        let dir = tempfile::tempdir().unwrap();
        let imprint = load(dir.path(), LegalPageKind::Impressum, Locale::De).unwrap();
        assert!(!imprint.customised);
        assert_eq!(imprint.title, "Impressum");
        assert!(imprint.markdown.contains("§ 5 DDG"));
        let a11y = load(dir.path(), LegalPageKind::Barrierefreiheit, Locale::En).unwrap();
        assert_eq!(
            a11y.lang, "de",
            "no English default: the German text, marked as such"
        );
        assert!(a11y
            .html
            .contains("Ombudsstelle für barrierefreie Informationstechnik"));
        assert!(a11y
            .html
            .contains("mailto:ombudsstelle-barrierefreie-it@mags.nrw.de"));
        assert!(a11y.markdown.contains("Feedback"));
        let privacy = load(dir.path(), LegalPageKind::Datenschutz, Locale::De).unwrap();
        assert!(privacy.markdown.contains("Art. 77 DSGVO"));
    }

    #[test]
    fn the_operators_file_wins_and_its_heading_becomes_the_title() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(super::dir(dir.path())).unwrap();
        let file = super::dir(dir.path()).join("impressum.md");
        std::fs::write(
            &file,
            "# Impressum des Kreises Höxter\n\nKreis Höxter <script>x()</script>\n",
        )
        .unwrap();
        let page = load(dir.path(), LegalPageKind::Impressum, Locale::De).unwrap();
        assert!(page.customised);
        assert_eq!(page.title, "Impressum des Kreises Höxter");
        assert!(page.html.contains("Kreis Höxter"));
        assert!(!page.html.contains("<script"));
        assert!(page.updated_at.is_some());
        std::fs::write(&file, "  \n").unwrap();
        assert!(
            !load(dir.path(), LegalPageKind::Impressum, Locale::De)
                .unwrap()
                .customised
        );
    }

    #[test]
    fn english_readers_get_the_english_file_else_the_german_one() {
        let dir = tempfile::tempdir().unwrap();
        let legal = super::dir(dir.path());
        std::fs::create_dir_all(&legal).unwrap();
        std::fs::write(legal.join("datenschutz.md"), "Deutscher Text").unwrap();
        let en = load(dir.path(), LegalPageKind::Datenschutz, Locale::En).unwrap();
        assert_eq!(
            (en.lang.as_str(), en.markdown.as_str()),
            ("de", "Deutscher Text")
        );
        assert_eq!(en.title, "Datenschutzerklärung");
        std::fs::write(legal.join("datenschutz.en.md"), "English text").unwrap();
        let en = load(dir.path(), LegalPageKind::Datenschutz, Locale::En).unwrap();
        assert_eq!(
            (en.lang.as_str(), en.title.as_str()),
            ("en", "Privacy policy")
        );
        let de = load(dir.path(), LegalPageKind::Datenschutz, Locale::De).unwrap();
        assert_eq!(de.markdown, "Deutscher Text");
    }

    #[test]
    fn slugs_round_trip() {
        for p in LegalPageKind::ALL {
            assert_eq!(LegalPageKind::parse(p.slug()), Some(p));
        }
        assert_eq!(LegalPageKind::parse("../jwt-secret"), None);
    }
}
