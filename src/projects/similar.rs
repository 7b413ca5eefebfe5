//! Similar projects ("Wer baut das schon?"): scores how close two projects are, and why.

use std::collections::HashSet;
use std::sync::OnceLock;

use crate::text::german::fold;

/// The parts of a project that similarity looks at.
pub struct Doc<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub ozg_ids: &'a [i32],
    pub topics: &'a [String],
}

/// Why a candidate was considered similar, shown to the user next to the match.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    SharedOzgService { ozg_id: i32 },
    SharedTopic { topic: String },
    SimilarWords { words: Vec<String> },
}

/// Similarity of one candidate to a draft.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub score: f64,
    pub reasons: Vec<Reason>,
}

/// Precomputed features of a text, so a candidate list can be scored without re-tokenising the
/// draft.
#[derive(Debug, Clone, Default)]
pub struct Features {
    ozg_ids: Vec<i32>,
    /// (case-folded key, text as written), sorted by key.
    topics: Vec<(String, String)>,
    /// Stems, compound parts and synonym concepts, sorted by hash for a merge join.
    terms: Vec<Term>,
    terms_norm: f64,
    /// Character 4-grams catch compound parts the lexicon does not know.
    grams: Vec<(u64, f64)>,
    grams_norm: f64,
}

#[derive(Debug, Clone)]
struct Term {
    key: u64,
    weight: f64,
    /// What the user sees when this term is shared.
    label: String,
    /// Concepts can be shared through different words, which the reason then shows as "a ≈ b".
    concept: bool,
}

/// Below this a candidate is not shown. A shared OZG service alone clears it; a shared topic
/// alone (there are only eight topics) does not; text needs a few real shared words.
pub const MIN_SCORE: f64 = 0.35;

const OZG_WEIGHT: f64 = 0.4;
const OZG_EXTRA_WEIGHT: f64 = 0.05;
const TOPIC_WEIGHT: f64 = 0.06;
const TERMS_WEIGHT: f64 = 0.75;
const GRAMS_WEIGHT: f64 = 0.25;
/// Titles say what a project is; summaries add context and boilerplate.
const TITLE_WEIGHT: f64 = 2.0;
const SUMMARY_WEIGHT: f64 = 1.0;
/// Lexicon concepts are curated domain knowledge, so they count a bit more than a shared word.
const CONCEPT_WEIGHT: f64 = 1.2;
/// Words that appear in almost every municipal project description.
const GENERIC_WEIGHT: f64 = 0.25;
const MAX_WORDS: usize = 5;
const GRAM: usize = 4;

/// Function words plus the buzzwords every project carries ("digital", "online"), which would
/// otherwise make every pair look similar.
#[rustfmt::skip]
const STOP_WORDS: &[&str] = &[
    "ab", "aber", "alle", "allen", "aller", "alles", "als", "also", "am", "an", "auch", "auf",
    "aus", "bei", "beim", "bis", "bzw", "da", "damit", "dann", "das", "dass", "dem", "den", "der",
    "des", "die", "dies", "diese", "diesem", "diesen", "dieser", "direkt", "durch", "e", "ein",
    "eine", "einem", "einen", "einer", "eines", "es", "für", "ganz", "gibt", "hat", "haben", "ihr",
    "ihre", "ihrem", "ihren", "ihrer", "im", "in", "inkl", "inklusive", "ins", "ist", "je", "jede",
    "jedem", "jeden", "jeder", "jederzeit", "kann", "können", "künftig", "mehr", "mit", "muss",
    "müssen", "nach", "neu", "neue", "neuen", "neuer", "neues", "nicht", "noch", "nur", "ob",
    "oder", "ohne", "per", "rund", "schnell", "sein", "seine", "sich", "sie", "sind", "so", "soll",
    "sollen", "sowie", "statt", "über", "um", "und", "uhr", "unter", "via", "vom", "von", "vor",
    "wann", "was", "wenn", "werden", "wie", "wird", "wo", "zu", "zum", "zur", "zwischen", "online",
    "digital", "digitale", "digitalen", "digitaler", "digitales", "digitalisierung",
    "elektronisch", "elektronische", "elektronischen", "elektronischer", "elektronisches",
    "einfach", "ermöglichen", "ermöglicht", "erfolgt", "bisher", "stadt", "städtisch",
    "städtische", "städtischen", "gemeinde", "kommune", "kommunen", "kommunal", "kommunale",
    "kommunalen", "kommunales", "erhalten", "einführung", "schrittweise", "gemeinsam",
    "gemeinsame", "gemeinsamen", "zentral", "zentrale", "zentralen", "projekt", "nrw",
];

/// Words that carry some meaning but show up in many unrelated projects.
#[rustfmt::skip]
const GENERIC_WORDS: &[&str] = &[
    "verwaltung", "bürger", "bürgerinnen", "einwohner", "einwohnerinnen", "system", "plattform",
    "portal", "software", "lösung", "angebot", "antrag", "anträge", "formular", "verfahren",
    "fachverfahren", "daten", "app", "internet", "website", "karte", "post", "rahmen",
    "bearbeitung", "innenstadt", "stadtgebiet", "ortsteil", "ortsteile", "kernort", "smart",
    "verwaltet", "erfasst", "bereitgestellt", "veröffentlicht", "beantragen", "beantragt",
    "melden", "geführt", "angebunden", "anbindung",
];

/// Compound parts and municipal synonyms: (pattern, concept). A pattern starting with `^` only
/// matches at the start of a word, for parts that are too short to be safe inside compounds
/// ("bau" in "Breitbandausbau"). Entries sharing a concept count as the same term, which is what
/// lets "Terminvergabe" find "Terminbuchung" and "Bürgerbüro" find "Bürgeramt".
const LEXICON: &[(&str, &str)] = &[
    ("termin", "termin"),
    ("vergabe", "vergabe"),
    ("buchung", "vergabe"),
    ("buchen", "vergabe"),
    ("vereinbarung", "vergabe"),
    ("reservier", "vergabe"),
    ("bürgerbüro", "bürgeramt"),
    ("meldeamt", "bürgeramt"),
    ("bürger", "bürger"),
    ("schule", "schule"),
    ("schul", "schule"),
    ("^bau", "bau"),
    ("akte", "akte"),
    ("antrag", "antrag"),
    ("rechnung", "rechnung"),
    ("^park", "parken"),
    ("parken", "parken"),
    ("stellpl", "parken"),
    ("wlan", "wlan"),
    ("glasfaser", "glasfaser"),
    ("ftth", "glasfaser"),
    ("breitband", "glasfaser"),
    ("anschl", "anschluss"),
    ("angeschlossen", "anschluss"),
    ("iot", "lorawan"),
    ("sensor", "sensor"),
    ("funk", "funk"),
    ("^rat", "rat"),
    ("sitzung", "sitzung"),
    ("vorlage", "vorlage"),
    ("mängel", "mangel"),
    ("mangel", "mangel"),
    ("schaden", "mangel"),
    ("schäden", "mangel"),
    ("anliegen", "mangel"),
    ("datenschutz", "datenschutz"),
    ("wohnsitz", "wohnsitz"),
    ("ummeldung", "wohnsitz"),
    ("umzug", "wohnsitz"),
    ("^melde", "melde"),
    ("hund", "hund"),
    ("steuer", "steuer"),
    ("kita", "kita"),
    ("kindergarten", "kita"),
    ("kindertages", "kita"),
    ("krippe", "kita"),
    ("betreuung", "betreuung"),
    ("notfall", "notfall"),
    ("handbuch", "leitfaden"),
    ("leitfaden", "leitfaden"),
    ("krisen", "notfall"),
    ("cyber", "cyber"),
    ("sicherheit", "sicherheit"),
    ("friedhof", "friedhof"),
    ("grab", "grab"),
    ("bestattung", "friedhof"),
    ("kataster", "kataster"),
    ("nutzerkonto", "konto"),
    ("konto", "konto"),
    ("serviceportal", "portal"),
    ("veranstaltung", "veranstaltung"),
    ("förder", "förderung"),
    ("gewerbe", "gewerbe"),
    ("wahl", "wahl"),
    ("tablet", "tablet"),
    ("ipad", "tablet"),
    ("endgerät", "tablet"),
    ("mdm", "mdm"),
    ("smartphone", "smartphone"),
    ("handy", "smartphone"),
];

/// Readable forms of lexicon patterns that are truncated to match inside compounds.
const LABELS: &[(&str, &str)] = &[
    ("schul", "schule"),
    ("stellpl", "stellplatz"),
    ("reservier", "reservierung"),
    ("kindertages", "kindertagesbetreuung"),
    ("endgerät", "endgeräte"),
    ("krisen", "krise"),
    ("anschl", "anschluss"),
    ("förder", "förderung"),
];

struct Tables {
    stop: HashSet<String>,
    generic: HashSet<String>,
    lexicon: Vec<LexiconEntry>,
}

struct LexiconEntry {
    pattern: String,
    anchored: bool,
    /// Spans two words ("offene daten").
    multi_word: bool,
    key: u64,
    generic: bool,
    label: &'static str,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| Tables {
        stop: STOP_WORDS.iter().map(|w| fold(w)).collect(),
        generic: GENERIC_WORDS.iter().map(|w| stem(&fold(w))).collect(),
        lexicon: LEXICON
            .iter()
            .map(|(pattern, concept)| {
                let (anchored, text) = match pattern.strip_prefix('^') {
                    Some(rest) => (true, rest),
                    None => (false, *pattern),
                };
                let label = LABELS
                    .iter()
                    .find(|(p, _)| *p == text)
                    .map_or(text, |(_, l)| *l);
                let pattern = fold(text).replace(' ', "");
                LexiconEntry {
                    generic: GENERIC_WORDS.iter().any(|g| fold(g) == pattern),
                    pattern,
                    anchored,
                    multi_word: text.contains(' '),
                    key: hash(b'=', concept),
                    label,
                }
            })
            .collect(),
    })
}

/// A small subset of the Snowball German step 1/2 suffixes: enough to join singular and plural
/// or inflected adjectives, without the cost of a full stemmer or a dependency.
fn stem(word: &str) -> String {
    // Short words ("amt", "kita") are left alone: stripping them creates false matches.
    const MIN_STEM: usize = 4;
    let mut w = word;
    for suffix in ["ern", "em", "en", "er", "es", "e"] {
        if w.len() >= MIN_STEM + suffix.len() && w.ends_with(suffix) {
            w = &w[..w.len() - suffix.len()];
            break;
        }
    }
    if w.len() > MIN_STEM && w.ends_with('s') {
        let prev = w.as_bytes()[w.len() - 2];
        if b"bdfghklmnrt".contains(&prev) {
            w = &w[..w.len() - 1];
        }
    }
    w.to_string()
}

fn hash(tag: u8, text: &str) -> u64 {
    // FNV-1a: deterministic across runs and fast for short keys.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in std::iter::once(tag).chain(text.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn add_term(terms: &mut Vec<Term>, key: u64, weight: f64, label: &str, concept: bool) {
    match terms.iter_mut().find(|t| t.key == key) {
        Some(t) if t.weight < weight => t.weight = weight,
        Some(_) => {}
        None => terms.push(Term {
            key,
            weight,
            label: label.to_string(),
            concept,
        }),
    }
}

fn add_text(text: &str, weight: f64, terms: &mut Vec<Term>, grams: &mut Vec<(u64, f64)>) {
    let t = tables();
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let normalised: Vec<String> = words.iter().map(|w| fold(w)).collect();
    for (i, (word, norm)) in words.iter().zip(&normalised).enumerate() {
        if norm.len() < 2 || norm.chars().all(|c| c.is_numeric()) {
            continue;
        }
        // Multi-word lexicon entries ("internet der dinge") are matched on the joined words,
        // before stop words are dropped.
        let phrase: String = normalised[i..normalised.len().min(i + 3)].concat();
        let stop = t.stop.contains(norm.as_str());
        let stemmed = stem(norm);
        let generic = t.generic.contains(&stemmed);
        for entry in &t.lexicon {
            let pattern = entry.pattern.as_str();
            let hit = if entry.multi_word {
                phrase.starts_with(pattern)
            } else if stop || generic {
                // "melden" must not count as "Melde(amt)".
                false
            } else if entry.anchored {
                norm.starts_with(pattern)
            } else {
                norm.contains(pattern)
            };
            if hit {
                let w = weight * CONCEPT_WEIGHT;
                let w = if entry.generic { w * GENERIC_WEIGHT } else { w };
                add_term(terms, entry.key, w, entry.label, true);
            }
        }
        if stop {
            continue;
        }
        let w = if generic {
            weight * GENERIC_WEIGHT
        } else {
            weight
        };
        add_term(terms, hash(b'w', &stemmed), w, word, false);
        if generic || stemmed.len() < GRAM + 1 {
            continue;
        }
        let chars: Vec<char> = stemmed.chars().collect();
        for window in chars.windows(GRAM) {
            let gram: String = window.iter().collect();
            let key = hash(b'g', &gram);
            match grams.iter_mut().find(|g| g.0 == key) {
                Some(g) => g.1 = g.1.max(weight),
                None => grams.push((key, weight)),
            }
        }
    }
}

fn norm<T>(items: &[T], weight: impl Fn(&T) -> f64) -> f64 {
    items.iter().map(|i| weight(i).powi(2)).sum::<f64>().sqrt()
}

/// Computes the features of one project; cheap enough to run per candidate per request.
pub fn features(doc: &Doc) -> Features {
    let mut terms = Vec::new();
    let mut grams = Vec::new();
    add_text(doc.title, TITLE_WEIGHT, &mut terms, &mut grams);
    add_text(doc.summary, SUMMARY_WEIGHT, &mut terms, &mut grams);
    terms.sort_by_key(|t| t.key);
    grams.sort_by_key(|g| g.0);
    // Kept in the process-wide cache: no spare capacity from growing (up to half of it).
    terms.shrink_to_fit();
    grams.shrink_to_fit();
    let mut ozg_ids = doc.ozg_ids.to_vec();
    ozg_ids.sort_unstable();
    ozg_ids.dedup();
    let mut topics: Vec<(String, String)> = doc
        .topics
        .iter()
        .map(|t| (t.trim().to_lowercase(), t.trim().to_string()))
        .filter(|(k, _)| !k.is_empty())
        .collect();
    topics.sort();
    topics.dedup_by(|a, b| a.0 == b.0);
    Features {
        ozg_ids,
        topics,
        terms_norm: norm(&terms, |t| t.weight),
        terms,
        grams_norm: norm(&grams, |g| g.1),
        grams,
    }
}

/// Calls `f` for every key present in both sorted lists.
fn merge<A, B>(
    a: &[A],
    b: &[B],
    ka: impl Fn(&A) -> u64,
    kb: impl Fn(&B) -> u64,
    mut f: impl FnMut(&A, &B),
) {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match ka(&a[i]).cmp(&kb(&b[j])) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                f(&a[i], &b[j]);
                i += 1;
                j += 1;
            }
        }
    }
}

/// Scores a candidate against a draft: 0.0 = unrelated, higher = more similar.
pub fn score(draft: &Features, candidate: &Features) -> Scored {
    let mut reasons = Vec::new();

    let shared_ozg: Vec<i32> = draft
        .ozg_ids
        .iter()
        .filter(|id| candidate.ozg_ids.binary_search(id).is_ok())
        .copied()
        .collect();
    let mut score = match shared_ozg.len() {
        0 => 0.0,
        n => OZG_WEIGHT + OZG_EXTRA_WEIGHT * (n - 1).min(2) as f64,
    };
    reasons.extend(
        shared_ozg
            .iter()
            .map(|&ozg_id| Reason::SharedOzgService { ozg_id }),
    );

    for (key, topic) in &draft.topics {
        if candidate.topics.iter().any(|(k, _)| k == key) {
            score += TOPIC_WEIGHT;
            reasons.push(Reason::SharedTopic {
                topic: topic.clone(),
            });
        }
    }

    let mut shared: Vec<(f64, String)> = Vec::new();
    let mut dot = 0.0;
    merge(
        &draft.terms,
        &candidate.terms,
        |t| t.key,
        |t| t.key,
        |a, b| {
            let product = a.weight * b.weight;
            dot += product;
            let label = if a.label == b.label || !a.concept {
                a.label.clone()
            } else {
                format!("{} ≈ {}", a.label, b.label)
            };
            shared.push((product, label));
        },
    );
    if dot > 0.0 {
        score += TERMS_WEIGHT * dot / (draft.terms_norm * candidate.terms_norm);
    }
    let mut gram_dot = 0.0;
    merge(
        &draft.grams,
        &candidate.grams,
        |g| g.0,
        |g| g.0,
        |a, b| {
            gram_dot += a.1 * b.1;
        },
    );
    if gram_dot > 0.0 {
        score += GRAMS_WEIGHT * gram_dot / (draft.grams_norm * candidate.grams_norm);
    }

    shared.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let mut words: Vec<String> = Vec::new();
    for (_, label) in shared {
        // A part ("termin") adds nothing next to the word it came from ("terminvergabe").
        if words.iter().any(|w| w.contains(label.as_str())) {
            continue;
        }
        words.retain(|w| !label.contains(w.as_str()));
        words.push(label);
        if words.len() == MAX_WORDS {
            break;
        }
    }
    if !words.is_empty() {
        reasons.push(Reason::SimilarWords { words });
    }

    Scored { score, reasons }
}

/// Ranks candidates (id, features) and returns the best `k` with score ≥ MIN_SCORE, best first,
/// ties by id.
pub fn top_k<'a>(
    draft: &Features,
    candidates: impl IntoIterator<Item = (&'a str, &'a Features)>,
    k: usize,
) -> Vec<(&'a str, Scored)> {
    let mut ranked: Vec<(&'a str, Scored)> = candidates
        .into_iter()
        .map(|(id, f)| (id, score(draft, f)))
        .filter(|(_, s)| s.score >= MIN_SCORE)
        .collect();
    ranked.sort_by(|a, b| b.1.score.total_cmp(&a.1.score).then_with(|| a.0.cmp(b.0)));
    ranked.truncate(k);
    ranked
}

/// Features of stored projects by (id, locale), valid for one `updated_at`; shared by all
/// requests of the process. Several server instances each keep their own; a changed project
/// has a new `updated_at` and is computed again.
type CacheMap = std::collections::HashMap<
    (String, crate::i18n::Locale),
    (chrono::NaiveDateTime, std::sync::Arc<Features>),
>;

pub struct FeatureCache {
    map: std::sync::Mutex<CacheMap>,
}

/// More entries than this and the cache starts over: ten times the candidates one request
/// scores, at a few KB per entry well under 100 MB.
const CACHE_LIMIT: usize = 30_000;

impl FeatureCache {
    pub fn global() -> &'static FeatureCache {
        static CACHE: std::sync::OnceLock<FeatureCache> = std::sync::OnceLock::new();
        CACHE.get_or_init(|| FeatureCache {
            map: std::sync::Mutex::new(std::collections::HashMap::new()),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, CacheMap> {
        self.map.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The candidates whose features are not cached for their current version.
    pub fn missing(
        &self,
        locale: crate::i18n::Locale,
        candidates: &[(String, chrono::NaiveDateTime)],
    ) -> Vec<String> {
        let map = self.lock();
        candidates
            .iter()
            .filter(|(id, at)| {
                map.get(&(id.clone(), locale))
                    .is_none_or(|(cached_at, _)| cached_at != at)
            })
            .map(|(id, _)| id.clone())
            .collect()
    }

    pub fn insert(
        &self,
        locale: crate::i18n::Locale,
        entries: impl IntoIterator<Item = (String, chrono::NaiveDateTime, Features)>,
    ) {
        let mut map = self.lock();
        if map.len() > CACHE_LIMIT {
            map.clear();
        }
        for (id, at, f) in entries {
            map.insert((id, locale), (at, std::sync::Arc::new(f)));
        }
    }

    /// Features of the candidates in their order (those still missing are left out).
    pub fn get_all(
        &self,
        locale: crate::i18n::Locale,
        candidates: &[(String, chrono::NaiveDateTime)],
    ) -> Vec<(String, std::sync::Arc<Features>)> {
        let map = self.lock();
        candidates
            .iter()
            .filter_map(|(id, at)| {
                map.get(&(id.clone(), locale))
                    .filter(|(cached_at, _)| cached_at == at)
                    .map(|(_, f)| (id.clone(), f.clone()))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    const PAIRS: &str = include_str!("../../tests/data/similar_pairs.csv");

    struct OwnedDoc {
        title: String,
        summary: String,
        ozg_ids: Vec<i32>,
        topics: Vec<String>,
    }

    impl OwnedDoc {
        fn parse(fields: &[&str]) -> Self {
            let list = |s: &str| -> Vec<String> {
                s.split('|')
                    .map(str::trim)
                    .filter(|x| !x.is_empty())
                    .map(String::from)
                    .collect()
            };
            OwnedDoc {
                title: fields[0].to_string(),
                summary: fields[1].to_string(),
                ozg_ids: list(fields[2])
                    .iter()
                    .map(|id| id.parse().expect("OZG id is a number"))
                    .collect(),
                topics: list(fields[3]),
            }
        }

        fn features(&self) -> Features {
            features(&Doc {
                title: &self.title,
                summary: &self.summary,
                ozg_ids: &self.ozg_ids,
                topics: &self.topics,
            })
        }
    }

    struct Pair {
        query: OwnedDoc,
        target: OwnedDoc,
        positive: bool,
    }

    fn pairs() -> Vec<Pair> {
        let mut lines = PAIRS.lines().filter(|l| !l.trim().is_empty());
        let header = lines.next().expect("header");
        assert!(header.starts_with("pair_id;query_title;"));
        lines
            .map(|line| {
                let f: Vec<&str> = line.split(';').collect();
                assert_eq!(f.len(), 10, "bad row: {line}");
                Pair {
                    query: OwnedDoc::parse(&f[1..5]),
                    target: OwnedDoc::parse(&f[5..9]),
                    positive: match f[9].trim() {
                        "1" => true,
                        "0" => false,
                        other => panic!("bad label {other}"),
                    },
                }
            })
            .collect()
    }

    fn doc_features(title: &str, summary: &str) -> Features {
        features(&Doc {
            title,
            summary,
            ozg_ids: &[],
            topics: &[],
        })
    }

    /// Candidate pool: every distinct target of the set, keyed by title.
    fn pool(pairs: &[Pair]) -> BTreeMap<&str, Features> {
        let mut pool = BTreeMap::new();
        for p in pairs {
            pool.entry(p.target.title.as_str())
                .or_insert_with(|| p.target.features());
        }
        pool
    }

    /// Precision@3, macro-averaged over queries: for every distinct query that has at least one
    /// positive pair, `top_k(query, pool, 3)` is asked for (so results under MIN_SCORE are not
    /// returned) and its precision is (returned targets labelled 1 for that query) / (returned
    /// targets), counted as 0 when nothing is returned. Unlabelled targets count as wrong, so a
    /// loose MIN_SCORE is punished as much as a bad ranking.
    #[test]
    fn precision_at_3_on_labelled_pairs() {
        let pairs = pairs();
        let pool = pool(&pairs);
        let mut positives: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        let mut queries: BTreeMap<&str, &OwnedDoc> = BTreeMap::new();
        for p in pairs.iter().filter(|p| p.positive) {
            positives
                .entry(p.query.title.as_str())
                .or_default()
                .insert(p.target.title.as_str());
            queries.insert(p.query.title.as_str(), &p.query);
        }
        let mut sum = 0.0;
        for (title, query) in &queries {
            let found = top_k(&query.features(), pool.iter().map(|(id, f)| (*id, f)), 3);
            let hits = found
                .iter()
                .filter(|(id, _)| positives[title].contains(id))
                .count();
            let precision = if found.is_empty() {
                0.0
            } else {
                hits as f64 / found.len() as f64
            };
            if precision < 1.0 {
                let ranked: Vec<String> = found
                    .iter()
                    .map(|(id, s)| format!("{id} ({:.2})", s.score))
                    .collect();
                println!("{title}: {precision:.2} <- {ranked:?}");
            }
            sum += precision;
        }
        let precision = sum / queries.len() as f64;
        println!(
            "precision@3 = {precision:.3} over {} queries, {} positive and {} negative pairs",
            queries.len(),
            pairs.iter().filter(|p| p.positive).count(),
            pairs.iter().filter(|p| !p.positive).count()
        );
        assert!(precision >= 0.8, "precision@3 {precision:.3} < 0.8");
    }

    #[test]
    fn negative_targets_are_never_ranked_first() {
        let pairs = pairs();
        let pool = pool(&pairs);
        for p in pairs.iter().filter(|p| !p.positive) {
            let found = top_k(&p.query.features(), pool.iter().map(|(id, f)| (*id, f)), 1);
            if let Some((first, scored)) = found.first() {
                assert_ne!(
                    *first, p.target.title,
                    "negative ranked first for {:?} ({:?})",
                    p.query.title, scored
                );
            }
        }
    }

    /// The second labelled set (tests/data/similar_heldout.csv, written by another author,
    /// split into halves before any measurement): every project of a cluster in the
    /// held-out half asks for hints among all other held-out projects, clusters and
    /// negatives alike. precision@3: returned hints of its cluster / returned (0 if none);
    /// recall@3: hints of its cluster found / the other members of its cluster (2).
    #[test]
    fn precision_and_recall_at_3_on_the_held_out_half() {
        const HELD_OUT: &str = include_str!("../../tests/data/similar_heldout.csv");
        let rows: Vec<(String, String, OwnedDoc)> = HELD_OUT
            .lines()
            .skip(1)
            .map(|l| l.split(';').collect::<Vec<_>>())
            // Tuning looks at SIMILAR_SPLIT=tune only; the reported figure is the held-out half.
            .filter(|f| {
                f[2] == std::env::var("SIMILAR_SPLIT")
                    .as_deref()
                    .unwrap_or("heldout")
            })
            .map(|f| {
                let ozg = f[5]
                    .split(',')
                    .filter_map(|x| x.trim().parse().ok())
                    .collect();
                let topics = if f[6].is_empty() {
                    vec![]
                } else {
                    vec![f[6].to_string()]
                };
                let doc = OwnedDoc {
                    title: f[3].into(),
                    summary: f[4].into(),
                    ozg_ids: ozg,
                    topics,
                };
                (f[0].to_string(), f[1].to_string(), doc)
            })
            .collect();
        let feats: Vec<(String, Features)> = rows
            .iter()
            .map(|(id, _, d)| (id.clone(), d.features()))
            .collect();
        let (mut p_sum, mut r_sum, mut n) = (0.0, 0.0, 0);
        for (id, cluster, doc) in rows.iter().filter(|r| r.1 != "none") {
            let others = feats
                .iter()
                .filter(|(o, _)| o != id)
                .map(|(o, f)| (o.as_str(), f));
            let found = top_k(&doc.features(), others, 3);
            let same: Vec<&str> = rows
                .iter()
                .filter(|r| &r.1 == cluster && &r.0 != id)
                .map(|r| r.0.as_str())
                .collect();
            let hits = found.iter().filter(|(o, _)| same.contains(o)).count();
            p_sum += if found.is_empty() {
                0.0
            } else {
                hits as f64 / found.len() as f64
            };
            r_sum += hits as f64 / same.len().min(3) as f64;
            n += 1;
        }
        let (precision, recall) = (p_sum / n as f64, r_sum / n as f64);
        println!("held-out precision@3 = {precision:.3}, recall@3 = {recall:.3} over {n} queries");
        assert!(n >= 30, "{n} held-out queries");
        // Regression floors under the figures measured on 2026-12-01 (BENCHMARKS.md); the
        // findability issue's bar of 0.8 is not reached yet.
        assert!(
            precision >= HELD_OUT_PRECISION_FLOOR,
            "precision@3 {precision:.3}"
        );
        assert!(recall >= HELD_OUT_RECALL_FLOOR, "recall@3 {recall:.3}");
    }

    const HELD_OUT_PRECISION_FLOOR: f64 = 0.1;
    const HELD_OUT_RECALL_FLOOR: f64 = 0.05;

    #[test]
    fn compound_words_find_each_other() {
        let draft = doc_features("Online-Terminvergabe im Bürgerbüro", "");
        let candidate = doc_features("Terminbuchung Bürgeramt", "");
        let scored = score(&draft, &candidate);
        assert!(scored.score >= MIN_SCORE, "{scored:?}");
        assert!(
            scored
                .reasons
                .iter()
                .any(|r| matches!(r, Reason::SimilarWords { words } if !words.is_empty())),
            "{scored:?}"
        );
    }

    #[test]
    fn unrelated_texts_stay_below_threshold() {
        let cases = [
            (
                "Online-Terminvergabe im Bürgerbüro",
                "Glasfaserausbau in den Außenbereichen",
            ),
            ("Digitale Friedhofsverwaltung", "WLAN in allen Grundschulen"),
            (
                "Smart Parking in der Innenstadt",
                "IT-Notfallplan für die Verwaltung",
            ),
        ];
        for (a, b) in cases {
            let scored = score(&doc_features(a, ""), &doc_features(b, ""));
            assert!(scored.score < MIN_SCORE, "{a} vs {b}: {scored:?}");
        }
    }

    #[test]
    fn odd_input_does_not_panic() {
        let empty = doc_features("", "");
        let odd = doc_features("Ärger ß 🚀 É-Akte --- 2024", "ÆØÅ ÿ ǅ ss");
        assert_eq!(score(&empty, &empty).score, 0.0);
        assert!(score(&odd, &empty).score == 0.0);
        assert!(score(&odd, &odd).score > 0.0);
    }

    #[test]
    fn shared_ozg_and_topic_are_reasons() {
        let topics = vec!["Bürgerservice".to_string()];
        let draft = features(&Doc {
            title: "Hundesteuer online anmelden",
            summary: "",
            ozg_ids: &[10160],
            topics: &topics,
        });
        let candidate = features(&Doc {
            title: "Hundeanmeldung",
            summary: "",
            ozg_ids: &[10160, 10126],
            topics: &topics,
        });
        let scored = score(&draft, &candidate);
        assert!(scored.score >= MIN_SCORE);
        assert!(scored
            .reasons
            .contains(&Reason::SharedOzgService { ozg_id: 10160 }));
        assert!(scored.reasons.contains(&Reason::SharedTopic {
            topic: "Bürgerservice".into()
        }));
    }

    #[test]
    fn umlaut_spellings_and_plurals_match() {
        assert_eq!(fold("Bürgerbüro"), fold("Buergerbuero"));
        assert_eq!(stem(&fold("Parkplätze")), stem(&fold("Parkplatz")));
        assert_eq!(stem(&fold("Schulen")), stem(&fold("Schule")));
        assert_eq!(fold("Steuer"), "steuer");
    }

    #[test]
    fn top_k_orders_by_score_then_id_and_cuts() {
        let draft = doc_features("Terminbuchung Bürgeramt", "");
        let same = doc_features("Terminbuchung Bürgeramt", "");
        let other = doc_features("Glasfaserausbau", "");
        let found = top_k(&draft, [("b", &same), ("a", &same), ("c", &other)], 5);
        let ids: Vec<&str> = found.iter().map(|(id, _)| *id).collect();
        assert_eq!(ids, ["a", "b"]);
        assert_eq!(top_k(&draft, [("b", &same), ("a", &same)], 1).len(), 1);
    }

    #[test]
    fn reasons_serialise_with_kind_tag() {
        let json = serde_json::to_value(Reason::SimilarWords {
            words: vec!["termin".into()],
        })
        .unwrap();
        assert_eq!(
            json,
            serde_json::json!({"kind": "similar_words", "words": ["termin"]})
        );
        let json = serde_json::to_value(Reason::SharedOzgService { ozg_id: 10124 }).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"kind": "shared_ozg_service", "ozg_id": 10124})
        );
    }

    #[test]
    fn features_are_cheap() {
        let topics = vec!["Bürgerservice".to_string()];
        let doc = Doc {
            title: "Online-Terminvergabe im Bürgerbüro",
            summary: "Bürgerinnen und Bürger buchen Termine für Pass- und Meldeangelegenheiten \
                      rund um die Uhr über die Website der Stadt.",
            ozg_ids: &[10124],
            topics: &topics,
        };
        let start = std::time::Instant::now();
        let n = 200;
        for _ in 0..n {
            std::hint::black_box(features(std::hint::black_box(&doc)));
        }
        let per_doc = start.elapsed() / n;
        println!("features: {per_doc:?} per document");
        // Generous so a debug build on a busy machine passes; release is far below this.
        assert!(per_doc < std::time::Duration::from_millis(2), "{per_doc:?}");
    }

    #[test]
    fn similar_words_are_readable() {
        let draft = doc_features("Online-Anmeldung im Kindergarten", "");
        let candidate = doc_features("Kita-Platzvergabe", "");
        let words = score(&draft, &candidate)
            .reasons
            .into_iter()
            .find_map(|r| match r {
                Reason::SimilarWords { words } => Some(words),
                _ => None,
            })
            .expect("similar words");
        println!("{words:?}");
        assert!(words.len() <= MAX_WORDS);
        assert!(
            words.contains(&"kindergarten ≈ kita".to_string()),
            "{words:?}"
        );
    }

    #[test]
    fn cached_features_follow_the_project_version() {
        use crate::i18n::Locale;
        let cache = FeatureCache {
            map: std::sync::Mutex::new(Default::default()),
        };
        let t1 = chrono::NaiveDate::from_ymd_opt(2026, 11, 1)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        let t2 = t1 + chrono::Duration::minutes(5);
        let candidates = vec![("a".to_string(), t1), ("b".to_string(), t1)];
        assert_eq!(cache.missing(Locale::De, &candidates), vec!["a", "b"]);
        cache.insert(
            Locale::De,
            [(
                "a".to_string(),
                t1,
                doc_features("Terminbuchung", "Bürgeramt"),
            )],
        );
        assert_eq!(cache.missing(Locale::De, &candidates), vec!["b"]);
        assert_eq!(cache.missing(Locale::En, &candidates), vec!["a", "b"]);
        assert_eq!(cache.get_all(Locale::De, &candidates).len(), 1);
        // An edited project has a new version and is computed again.
        let edited = vec![("a".to_string(), t2)];
        assert_eq!(cache.missing(Locale::De, &edited), vec!["a"]);
        assert!(cache.get_all(Locale::De, &edited).is_empty());
    }
}
