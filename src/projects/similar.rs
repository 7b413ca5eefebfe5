//! Similar projects ("Wer baut das schon?"): scores how close two projects are, and why.
//!
//! Three views of a text, each compared by the cosine of its IDF-weighted features among
//! the candidates: the words (stems and compound parts, the draft widened by synonyms),
//! the concepts (OpenThesaurus synonym sets reached by a word, a compound part or a
//! phrase such as "künstliche Intelligenz"), and the spelling (character 4-grams, so
//! "Terminbuchung" meets "Terminvergabe"). The weights were chosen on the tuning half of
//! `tests/data/similar_heldout.csv` only (BENCHMARKS.md).

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use crate::text::german;

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

/// Precomputed features of a project's text: what a stored candidate keeps in the cache.
#[derive(Debug, Clone, Default)]
pub struct Features {
    ozg_ids: Vec<i32>,
    /// (case-folded key, text as written), sorted by key.
    topics: Vec<(String, String)>,
    /// Stems and compound parts (from the shared German analysis), sorted by key for a
    /// merge join.
    terms: Vec<StoredTerm>,
    /// The words as written that the terms point into, each once.
    labels: Box<str>,
    /// Synonym sets reached by the text, sorted by set.
    concepts: Vec<Weighted>,
    /// Character 4-grams of the text's words, sorted by key.
    grams: Vec<Weighted>,
}

/// A stored project's term: like [`Term`], but its label is a span of
/// [`Features::labels`], so a cached candidate holds one string instead of one per term.
#[derive(Debug, Clone, Copy)]
struct StoredTerm {
    key: u64,
    weight: f64,
    start: u32,
    end: u32,
}

impl Features {
    fn label(&self, t: &StoredTerm) -> &str {
        &self.labels[t.start as usize..t.end as usize]
    }

    /// What term rarity needs of this project.
    pub fn keys(&self) -> Keys {
        Keys {
            terms: self.terms.iter().map(|t| t.key).collect(),
            concepts: self.concepts.iter().map(|t| t.key).collect(),
            grams: self.grams.iter().map(|t| t.key).collect(),
        }
    }
}

/// The term, concept and 4-gram keys of one project: all a rarity sample keeps of it.
#[derive(Debug, Clone)]
pub struct Keys {
    terms: Box<[u64]>,
    concepts: Box<[u32]>,
    grams: Box<[u32]>,
}

/// A concept or 4-gram: small, since every cached candidate keeps hundreds.
#[derive(Debug, Clone, Copy)]
struct Weighted {
    key: u32,
    weight: f32,
}

/// A draft's features plus, for each of its words, the OpenThesaurus synonyms it does not
/// use itself, so "Kita" meets "Kindertagesstätte". Only the draft is widened: the
/// candidates stay small in the cache.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    plain: Features,
    /// Own terms and synonyms, sorted by key.
    wide: Vec<Term>,
    /// For each of `plain.concepts`, the draft's word or phrase that reached it.
    concept_labels: Vec<String>,
}

#[derive(Debug, Clone)]
struct Term {
    key: u64,
    weight: f64,
    /// What the user sees when this term is shared: the word as written.
    label: String,
    /// Reached through a synonym, which the reason then shows as "a ≈ b".
    synonym: bool,
}

/// Below this a candidate is not shown: some real shared meaning, however little. Scores
/// are the cosine of the IDF-weighted terms (0 to 1) plus the bonuses below.
pub const MIN_SCORE: f64 = 0.03;

/// Hints scoring under this share of the best one are left out: a clear best match is not
/// padded with weak ones.
const RELATIVE_CUT: f64 = 0.6;

const OZG_WEIGHT: f64 = 0.4;
const OZG_EXTRA_WEIGHT: f64 = 0.05;
/// Titles say what a project is; summaries add context and boilerplate.
const TITLE_WEIGHT: f64 = 2.0;
const SUMMARY_WEIGHT: f64 = 1.0;
/// A compound's part counts less than the whole word.
const PART_WEIGHT: f64 = 0.7;
/// A synonym of a draft's word counts half as much as the word.
const SYNONYM_WEIGHT: f64 = 0.5;
/// Words that appear in almost every municipal project description.
const GENERIC_WEIGHT: f64 = 0.3;
const MAX_WORDS: usize = 5;
/// The concept and spelling views each count half as much as the words.
const CONCEPT_WEIGHT: f64 = 0.5;
const GRAM_WEIGHT: f64 = 0.5;
const GRAM: usize = 4;
/// Phrases of up to this many words are looked up in the thesaurus.
const MAX_PHRASE: usize = 4;

/// Derivational endings that compound splitting can mistake for a word ("künstlich" →
/// kunst + lich, "telefonisch" → telefon + isch): not counted as parts here.
#[rustfmt::skip]
const SUFFIX_PARTS: &[&str] = &[
    "lich", "isch", "ung", "heit", "keit", "schaft", "bar", "haft", "sam", "los", "end",
    "chen", "lein", "weise", "ig", "artig", "wert",
];

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

struct Tables {
    stop: HashSet<String>,
    generic: HashSet<String>,
    suffixes: HashSet<String>,
    /// Thesaurus key (a stem, or the stems of a phrase joined by [`PHRASE_SEP`]) → the
    /// synonym sets it is in.
    concepts: HashMap<Box<str>, Box<[u32]>>,
}

const PHRASE_SEP: &str = "\u{1f}";

/// The key of a thesaurus term: the stems of its words, if each has two letters or more.
fn term_key(term: &str) -> Option<String> {
    let stems: Vec<String> = term
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| german::stem(&german::fold(w)))
        .collect();
    if stems.is_empty() || stems.iter().any(|s| s.chars().count() < 2) {
        return None;
    }
    Some(stems.join(PHRASE_SEP))
}

/// Every synonym set of OpenThesaurus with at least two different keys, numbered (kept
/// without spare capacity: about 10 MB for the whole thesaurus).
fn concept_table() -> HashMap<Box<str>, Box<[u32]>> {
    let mut table: HashMap<String, Vec<u32>> = HashMap::new();
    let mut next = 0u32;
    for set in german::thesaurus_sets() {
        let mut keys: Vec<String> = Vec::new();
        for term in &set {
            let joined = term
                .contains('-')
                .then(|| german::stem(&german::fold(&term.replace('-', ""))))
                .filter(|k| k.chars().count() >= 2);
            for key in term_key(term).into_iter().chain(joined) {
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
        }
        if keys.len() > 1 {
            for key in keys {
                table.entry(key).or_default().push(next);
            }
            next += 1;
        }
    }
    table
        .into_iter()
        .map(|(k, v)| (k.into_boxed_str(), v.into_boxed_slice()))
        .collect()
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    let stems = |list: &[&str]| -> HashSet<String> {
        list.iter()
            .map(|w| german::stem(&german::fold(w)))
            .collect()
    };
    TABLES.get_or_init(|| Tables {
        stop: stems(STOP_WORDS),
        generic: stems(GENERIC_WORDS),
        suffixes: stems(SUFFIX_PARTS),
        concepts: concept_table(),
    })
}

fn hash(text: &str) -> u64 {
    // FNV-1a: deterministic across runs and fast for short keys.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn add_term(terms: &mut Vec<Term>, stem: &str, weight: f64, label: &str, synonym: bool) {
    let key = hash(stem);
    match terms.iter_mut().find(|t| t.key == key) {
        Some(t) if t.weight < weight => {
            t.weight = weight;
            t.label = label.to_string();
            t.synonym = synonym;
        }
        Some(_) => {}
        None => terms.push(Term {
            key,
            weight,
            label: label.to_string(),
            synonym,
        }),
    }
}

/// Stems and compound parts of `text` with their weights, plus (`wide`) the synonyms of
/// each stem.
fn add_text(text: &str, weight: f64, terms: &mut Vec<Term>, wide: Option<&mut Vec<Term>>) {
    let t = tables();
    let mut seen: Vec<(String, String, f64)> = Vec::new();
    for (written, term) in german::analyse(text) {
        if t.stop.contains(&term.stem) || term.stem.chars().all(|c| c.is_numeric()) {
            continue;
        }
        let w = if t.generic.contains(&term.stem) {
            weight * GENERIC_WEIGHT
        } else {
            weight
        };
        add_term(terms, &term.stem, w, &written, false);
        seen.push((term.stem.clone(), written.clone(), w));
        for part in parts(&term) {
            if !t.stop.contains(part) {
                add_term(terms, part, w * PART_WEIGHT, &written, false);
                seen.push((part.clone(), written.clone(), w * PART_WEIGHT));
            }
        }
    }
    if let Some(wide) = wide {
        for (stem, written, w) in seen {
            for synonym in german::wide_synonyms(&stem) {
                if !t.stop.contains(synonym) {
                    add_term(wide, synonym, w * SYNONYM_WEIGHT, &written, true);
                }
            }
        }
    }
}

/// A word's compound parts, without derivational endings.
fn parts(term: &german::Term) -> impl Iterator<Item = &String> {
    let suffixes = &tables().suffixes;
    term.parts.iter().filter(|p| !suffixes.contains(*p))
}

/// Sets (or 4-grams) by key with their highest weight and the label that reached it first.
type Reached = HashMap<u32, (f64, String)>;

fn keep_max(map: &mut Reached, key: u32, weight: f64, label: &str) {
    match map.get_mut(&key) {
        Some(e) if e.0 < weight => *e = (weight, label.to_string()),
        Some(_) => {}
        None => {
            map.insert(key, (weight, label.to_string()));
        }
    }
}

/// The synonym sets and 4-grams of `text` (field weight `weight`), with the word or
/// phrase that reached each set.
fn add_concepts_and_grams(
    text: &str,
    weight: f64,
    concepts: &mut Reached,
    grams: &mut HashMap<u32, f64>,
) {
    let t = tables();
    let analysed = german::analyse(text);
    let mut units: Vec<(String, f64, String)> = Vec::new();
    for (written, term) in &analysed {
        if t.stop.contains(&term.stem) || term.stem.chars().all(|c| c.is_numeric()) {
            continue;
        }
        let generic = |s: &String| {
            if t.generic.contains(s) {
                GENERIC_WEIGHT
            } else {
                1.0
            }
        };
        units.push((
            term.stem.clone(),
            weight * generic(&term.stem),
            written.clone(),
        ));
        for part in parts(term) {
            if !t.stop.contains(part) {
                let w = weight * PART_WEIGHT * generic(part);
                units.push((part.clone(), w, written.clone()));
            }
        }
        let folded = german::fold(written);
        if folded.chars().count() >= GRAM && !t.generic.contains(&term.stem) {
            let chars: Vec<char> = format!("<{folded}>").chars().collect();
            for gram in chars.windows(GRAM) {
                let gram: String = gram.iter().collect();
                let w = grams.entry(hash(&gram) as u32).or_insert(weight);
                *w = w.max(weight);
            }
        }
    }
    for i in 0..analysed.len() {
        for len in 2..=MAX_PHRASE.min(analysed.len() - i) {
            let words = &analysed[i..i + len];
            let key: Vec<&str> = words.iter().map(|(_, t)| t.stem.as_str()).collect();
            let key = key.join(PHRASE_SEP);
            if t.concepts.contains_key(key.as_str()) {
                let label: Vec<&str> = words.iter().map(|(w, _)| w.as_str()).collect();
                units.push((key, weight, label.join(" ")));
            }
        }
    }
    for (key, w, label) in units {
        if let Some(sets) = t.concepts.get(key.as_str()) {
            let w = w / (sets.len() as f64).sqrt();
            for &set in sets {
                keep_max(concepts, set, w, &label);
            }
        }
    }
}

/// Small features sorted by key, and their labels in the same order.
fn weighted<L>(map: HashMap<u32, L>, weight: impl Fn(&L) -> f64) -> Vec<(Weighted, L)> {
    let mut list: Vec<(Weighted, L)> = map
        .into_iter()
        .map(|(key, l)| {
            let weight = weight(&l) as f32;
            (Weighted { key, weight }, l)
        })
        .collect();
    list.sort_by_key(|e| e.0.key);
    list
}

fn doc_topics(doc: &Doc) -> Vec<(String, String)> {
    let mut topics: Vec<(String, String)> = doc
        .topics
        .iter()
        .map(|t| (t.trim().to_lowercase(), t.trim().to_string()))
        .filter(|(k, _)| !k.is_empty())
        .collect();
    topics.sort();
    topics.dedup_by(|a, b| a.0 == b.0);
    topics
}

/// Computes the features of one stored project; cheap enough to run per candidate.
pub fn features(doc: &Doc) -> Features {
    features_and_synonyms(doc, None).0
}

/// [`features`] with the labels of its concepts, and the synonyms of its words into
/// `synonyms`.
fn features_and_synonyms(
    doc: &Doc,
    mut synonyms: Option<&mut Vec<Term>>,
) -> (Features, Vec<String>, Vec<Term>) {
    let mut terms = Vec::new();
    let (mut concepts, mut grams) = (Reached::new(), HashMap::new());
    for (text, weight) in [(doc.title, TITLE_WEIGHT), (doc.summary, SUMMARY_WEIGHT)] {
        add_text(text, weight, &mut terms, synonyms.as_deref_mut());
        add_concepts_and_grams(text, weight, &mut concepts, &mut grams);
    }
    terms.sort_by_key(|t| t.key);
    let (stored, labels) = stored_terms(&terms);
    let (mut concepts, labels_of_concepts): (Vec<Weighted>, Vec<String>) =
        weighted(concepts, |e| e.0)
            .into_iter()
            .map(|(w, (_, label))| (w, label))
            .unzip();
    let mut grams: Vec<Weighted> = weighted(grams, |w| *w).into_iter().map(|e| e.0).collect();
    concepts.shrink_to_fit();
    grams.shrink_to_fit();
    let mut ozg_ids = doc.ozg_ids.to_vec();
    ozg_ids.sort_unstable();
    ozg_ids.dedup();
    let features = Features {
        ozg_ids,
        topics: doc_topics(doc),
        terms: stored,
        labels,
        concepts,
        grams,
    };
    (features, labels_of_concepts, terms)
}

/// The terms as a cached candidate keeps them (no spare capacity), with their labels in
/// one string.
fn stored_terms(terms: &[Term]) -> (Vec<StoredTerm>, Box<str>) {
    let mut labels = String::new();
    let mut at: HashMap<&str, (u32, u32)> = HashMap::new();
    let mut stored: Vec<StoredTerm> = terms
        .iter()
        .map(|t| {
            let (start, end) = *at.entry(t.label.as_str()).or_insert_with(|| {
                let start = labels.len() as u32;
                labels.push_str(&t.label);
                (start, labels.len() as u32)
            });
            StoredTerm {
                key: t.key,
                weight: t.weight,
                start,
                end,
            }
        })
        .collect();
    stored.shrink_to_fit();
    (stored, labels.into_boxed_str())
}

/// The features of the text someone is writing, widened by synonyms.
pub fn draft(doc: &Doc) -> Draft {
    let mut synonyms = Vec::new();
    let (plain, concept_labels, mut wide) = features_and_synonyms(doc, Some(&mut synonyms));
    // A word the draft uses itself counts as itself, not as somebody's synonym.
    for s in synonyms {
        if wide.iter().all(|t| t.key != s.key) {
            wide.push(s);
        }
    }
    wide.sort_by_key(|t| t.key);
    Draft {
        plain,
        wide,
        concept_labels,
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

/// How rare each term is among the candidates being compared (inverse document
/// frequency): a word every candidate uses says nothing about which one is meant.
/// Each view (words, concepts, 4-grams) has its own.
#[derive(Clone, Default)]
pub struct Rarity {
    df: HashMap<u64, u32>,
    concepts: HashMap<u32, u32>,
    grams: HashMap<u32, u32>,
    n: f64,
    /// Counts kept elsewhere (a sample of the network) that add to these.
    base: Option<std::sync::Arc<Rarity>>,
}

/// The two small views of [`Features`] that have their own document frequencies.
#[derive(Clone, Copy)]
enum View {
    Concepts,
    Grams,
}

impl Rarity {
    pub fn of<'a>(candidates: impl IntoIterator<Item = &'a Features>) -> Rarity {
        Rarity::uniform().adding(candidates)
    }

    /// The counts of `base` plus those of `more` (documents `base` has not counted).
    pub fn over<'a>(
        base: std::sync::Arc<Rarity>,
        more: impl IntoIterator<Item = &'a Features>,
    ) -> Rarity {
        Rarity {
            base: Some(base),
            ..Rarity::uniform()
        }
        .adding(more)
    }

    fn adding<'a>(mut self, candidates: impl IntoIterator<Item = &'a Features>) -> Rarity {
        for c in candidates {
            self.count(
                c.terms.iter().map(|t| t.key),
                c.concepts.iter().map(|t| t.key),
                c.grams.iter().map(|t| t.key),
            );
        }
        self
    }

    /// Counts one more document.
    fn add_keys(&mut self, k: &Keys) {
        self.count(
            k.terms.iter().copied(),
            k.concepts.iter().copied(),
            k.grams.iter().copied(),
        );
    }

    /// Counts one more document with these keys in the three views.
    fn count(
        &mut self,
        terms: impl Iterator<Item = u64>,
        concepts: impl Iterator<Item = u32>,
        grams: impl Iterator<Item = u32>,
    ) {
        self.n += 1.0;
        for key in terms {
            *self.df.entry(key).or_default() += 1;
        }
        for key in concepts {
            *self.concepts.entry(key).or_default() += 1;
        }
        for key in grams {
            *self.grams.entry(key).or_default() += 1;
        }
    }

    /// Stops counting a document [`Rarity::add_keys`] counted.
    fn remove_keys(&mut self, k: &Keys) {
        fn less<K: Eq + std::hash::Hash + Copy>(map: &mut HashMap<K, u32>, keys: &[K]) {
            for key in keys {
                if let Some(count) = map.get_mut(key) {
                    *count -= 1;
                    if *count == 0 {
                        map.remove(key);
                    }
                }
            }
        }
        self.n -= 1.0;
        less(&mut self.df, &k.terms);
        less(&mut self.concepts, &k.concepts);
        less(&mut self.grams, &k.grams);
    }

    /// Every term as rare as every other: for comparing two texts on their own.
    pub fn uniform() -> Rarity {
        Rarity::default()
    }

    fn documents(&self) -> f64 {
        self.n + self.base.as_ref().map_or(0.0, |b| b.n)
    }

    fn idf_of(&self, df: u32) -> f64 {
        let n = self.documents();
        if n == 0.0 {
            return 1.0;
        }
        ((n + 1.0) / (f64::from(df) + 0.5)).ln().max(0.0)
    }

    fn small(&self, view: View) -> &HashMap<u32, u32> {
        match view {
            View::Concepts => &self.concepts,
            View::Grams => &self.grams,
        }
    }

    fn idf_in(&self, view: View, key: &u32) -> f64 {
        let count = |r: &Rarity| r.small(view).get(key).copied().unwrap_or(0);
        self.idf_of(count(self) + self.base.as_deref().map_or(0, count))
    }

    fn idf(&self, key: u64) -> f64 {
        let count = |r: &Rarity| r.df.get(&key).copied().unwrap_or(0);
        self.idf_of(count(self) + self.base.as_deref().map_or(0, count))
    }

    fn norm(&self, terms: impl IntoIterator<Item = (u64, f64)>) -> f64 {
        terms
            .into_iter()
            .map(|(key, weight)| (weight * self.idf(key)).powi(2))
            .sum::<f64>()
            .sqrt()
    }

    fn small_norm(&self, view: View, list: &[Weighted]) -> f64 {
        list.iter()
            .map(|t| (f64::from(t.weight) * self.idf_in(view, &t.key)).powi(2))
            .sum::<f64>()
            .sqrt()
    }

    /// The norms of a draft in the three views.
    fn norms(&self, draft: &Draft) -> [f64; 3] {
        [
            self.norm(draft.wide.iter().map(|t| (t.key, t.weight))),
            self.small_norm(View::Concepts, &draft.plain.concepts),
            self.small_norm(View::Grams, &draft.plain.grams),
        ]
    }
}

/// The cosine of two small feature lists; `each` sees every shared entry's index in `a`
/// and its product.
fn small_cosine(
    a: &[Weighted],
    b: &[Weighted],
    view: View,
    rarity: &Rarity,
    a_norm: f64,
    mut each: impl FnMut(usize, f64),
) -> f64 {
    let mut dot = 0.0;
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].key.cmp(&b[j].key) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                let idf = rarity.idf_in(view, &a[i].key);
                let product = f64::from(a[i].weight) * f64::from(b[j].weight) * idf * idf;
                if product > 0.0 {
                    dot += product;
                    each(i, product);
                }
                i += 1;
                j += 1;
            }
        }
    }
    if dot <= 0.0 {
        return 0.0;
    }
    let b_norm = rarity.small_norm(view, b);
    if a_norm > 0.0 && b_norm > 0.0 {
        dot / (a_norm * b_norm)
    } else {
        0.0
    }
}

/// Scores a candidate against a draft: 0.0 = unrelated, higher = more similar.
pub fn score(draft: &Draft, candidate: &Features) -> Scored {
    score_with(draft, candidate, &Rarity::uniform(), None)
}

fn score_with(
    draft: &Draft,
    candidate: &Features,
    rarity: &Rarity,
    draft_norms: Option<[f64; 3]>,
) -> Scored {
    let norms = draft_norms.unwrap_or_else(|| rarity.norms(draft));
    let mut reasons = Vec::new();

    let shared_ozg: Vec<i32> = draft
        .plain
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

    let mut shared: Vec<(f64, String)> = Vec::new();
    let mut dot = 0.0;
    merge(
        &draft.wide,
        &candidate.terms,
        |t| t.key,
        |t| t.key,
        |a, b| {
            let idf = rarity.idf(a.key);
            let product = a.weight * idf * b.weight * idf;
            if product <= 0.0 {
                return;
            }
            dot += product;
            let written = candidate.label(b);
            let label = if a.label == written || !a.synonym {
                a.label.clone()
            } else {
                format!("{} ≈ {}", a.label, written)
            };
            shared.push((product, label));
        },
    );
    if dot > 0.0 {
        let cn = rarity.norm(candidate.terms.iter().map(|t| (t.key, t.weight)));
        if norms[0] > 0.0 && cn > 0.0 {
            score += dot / (norms[0] * cn);
        }
    }
    let concepts = small_cosine(
        &draft.plain.concepts,
        &candidate.concepts,
        View::Concepts,
        rarity,
        norms[1],
        |i, product| {
            if let Some(label) = draft.concept_labels.get(i) {
                shared.push((CONCEPT_WEIGHT * product, label.clone()));
            }
        },
    );
    let grams = small_cosine(
        &draft.plain.grams,
        &candidate.grams,
        View::Grams,
        rarity,
        norms[2],
        |_, _| {},
    );
    score += CONCEPT_WEIGHT * concepts + GRAM_WEIGHT * grams;
    // Topics are few and broad: a reason to show beside shared text, not a score.
    if dot > 0.0 || concepts > 0.0 {
        for (key, topic) in &draft.plain.topics {
            if candidate.topics.iter().any(|(k, _)| k == key) {
                reasons.push(Reason::SharedTopic {
                    topic: topic.clone(),
                });
            }
        }
    }

    shared.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let mut words: Vec<String> = Vec::new();
    for (_, label) in shared {
        // A compound shared through two parts is shown once.
        if words.contains(&label) {
            continue;
        }
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

/// The words of a draft that best find its candidates in the search index: no stop,
/// generic or number words, each stem once, rarest in `rarity` first (the title's words
/// counting twice), at most `max`.
pub fn telling_terms(doc: &Doc, rarity: &Rarity, max: usize) -> Vec<german::Term> {
    let t = tables();
    let mut found: Vec<(f64, german::Term)> = Vec::new();
    for (text, weight) in [(doc.title, TITLE_WEIGHT), (doc.summary, SUMMARY_WEIGHT)] {
        for term in german::terms(text) {
            let stem = &term.stem;
            if t.stop.contains(stem)
                || t.generic.contains(stem)
                || stem.chars().all(char::is_numeric)
                || found.iter().any(|(_, f)| &f.stem == stem)
            {
                continue;
            }
            found.push((weight * rarity.idf(hash(stem)), term));
        }
    }
    // Stable: equally rare words keep the order they were written in.
    found.sort_by(|a, b| b.0.total_cmp(&a.0));
    found.truncate(max);
    found.into_iter().map(|(_, term)| term).collect()
}

/// Ranks candidates (id, features) against a draft, weighting each word by how rare it is
/// among these candidates, and returns the best `k` with score ≥ [`MIN_SCORE`] and at least
/// 0.6 of the best score, best first, ties by id.
pub fn top_k<'a>(
    draft: &Draft,
    candidates: impl IntoIterator<Item = (&'a str, &'a Features)>,
    k: usize,
) -> Vec<(&'a str, Scored)> {
    let candidates: Vec<(&'a str, &'a Features)> = candidates.into_iter().collect();
    let rarity = Rarity::of(candidates.iter().map(|(_, f)| *f));
    top_k_with(draft, candidates, &rarity, k)
}

/// [`top_k`] with how rare each term is taken from `rarity` (a sample of the network)
/// instead of from the candidates: for candidates the search index chose because they
/// share the draft's words, among whom those words are common by choice.
pub fn top_k_with<'a>(
    draft: &Draft,
    candidates: impl IntoIterator<Item = (&'a str, &'a Features)>,
    rarity: &Rarity,
    k: usize,
) -> Vec<(&'a str, Scored)> {
    let draft_norms = rarity.norms(draft);
    let mut ranked: Vec<(&'a str, Scored)> = candidates
        .into_iter()
        .map(|(id, f)| (id, score_with(draft, f, rarity, Some(draft_norms))))
        .filter(|(_, s)| s.score >= MIN_SCORE)
        .collect();
    ranked.sort_by(|a, b| b.1.score.total_cmp(&a.1.score).then_with(|| a.0.cmp(b.0)));
    if let Some(best) = ranked.first().map(|(_, s)| s.score) {
        ranked.retain(|(_, s)| s.score >= RELATIVE_CUT * best);
    }
    ranked.truncate(k);
    ranked
}

/// A rarity sample: the projects (id, version) it counts and what it counts of each, so
/// that a new version of the sample computes only the projects that changed and keeps no
/// project's whole features.
#[derive(Default)]
pub struct Sample {
    docs: HashMap<String, (chrono::NaiveDateTime, Keys)>,
    counts: std::sync::Arc<Rarity>,
}

impl Sample {
    /// The rows (id, version) this sample does not count at that version.
    pub fn missing(
        &self,
        rows: &[(String, chrono::NaiveDateTime)],
    ) -> Vec<(String, chrono::NaiveDateTime)> {
        rows.iter()
            .filter(|(id, at)| self.docs.get(id).is_none_or(|(counted, _)| counted != at))
            .cloned()
            .collect()
    }

    /// Makes the sample count exactly `rows`: stops counting the others and counts
    /// `computed` (the keys of [`Sample::missing`] at the version they were read at).
    pub fn update(
        &mut self,
        rows: &[(String, chrono::NaiveDateTime)],
        computed: impl IntoIterator<Item = (String, chrono::NaiveDateTime, Keys)>,
    ) {
        let wanted: HashMap<&str, chrono::NaiveDateTime> =
            rows.iter().map(|(id, at)| (id.as_str(), *at)).collect();
        let counts = std::sync::Arc::make_mut(&mut self.counts);
        self.docs.retain(|id, (at, keys)| {
            let keep = wanted.get(id.as_str()) == Some(at);
            if !keep {
                counts.remove_keys(keys);
            }
            keep
        });
        for (id, at, keys) in computed {
            if let Some((_, old)) = self.docs.remove(&id) {
                counts.remove_keys(&old);
            }
            counts.add_keys(&keys);
            self.docs.insert(id, (at, keys));
        }
    }

    /// The counts of this sample on top of `base` (the counts of another, disjoint sample).
    pub fn rarity(&mut self, base: Option<std::sync::Arc<Rarity>>) -> std::sync::Arc<Rarity> {
        let same = match (&self.counts.base, &base) {
            (Some(a), Some(b)) => std::sync::Arc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        };
        if !same {
            std::sync::Arc::make_mut(&mut self.counts).base = base;
        }
        self.counts.clone()
    }
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
    /// More entries than this and the cache starts over (`SIMILAR_CACHE_ENTRIES`).
    limit: std::sync::atomic::AtomicUsize,
}

impl FeatureCache {
    pub fn global() -> &'static FeatureCache {
        static CACHE: std::sync::OnceLock<FeatureCache> = std::sync::OnceLock::new();
        CACHE.get_or_init(|| FeatureCache::with_limit(crate::config::DEFAULT_SIMILAR_CACHE_ENTRIES))
    }

    pub fn with_limit(entries: usize) -> FeatureCache {
        FeatureCache {
            map: std::sync::Mutex::new(std::collections::HashMap::new()),
            limit: std::sync::atomic::AtomicUsize::new(entries.max(1)),
        }
    }

    /// Sets how many entries are kept (from the configuration, at start-up).
    pub fn set_limit(&self, entries: usize) {
        self.limit
            .store(entries.max(1), std::sync::atomic::Ordering::Relaxed);
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
        if map.len() >= self.limit.load(std::sync::atomic::Ordering::Relaxed) {
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

        fn doc(&self) -> Doc<'_> {
            Doc {
                title: &self.title,
                summary: &self.summary,
                ozg_ids: &self.ozg_ids,
                topics: &self.topics,
            }
        }

        fn features(&self) -> Features {
            features(&self.doc())
        }

        fn draft(&self) -> Draft {
            draft(&self.doc())
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

    fn doc_draft(title: &str, summary: &str) -> Draft {
        draft(&Doc {
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
            let found = top_k(&query.draft(), pool.iter().map(|(id, f)| (*id, f)), 3);
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
            let found = top_k(&p.query.draft(), pool.iter().map(|(id, f)| (*id, f)), 1);
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
            let found = top_k(&doc.draft(), others, 3);
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
        // Regression floors under the figures measured on 2026-12-04 (BENCHMARKS.md); the
        // findability issue's bar of 0.8 is not reached yet.
        assert!(
            precision >= HELD_OUT_PRECISION_FLOOR,
            "precision@3 {precision:.3}"
        );
        assert!(recall >= HELD_OUT_RECALL_FLOOR, "recall@3 {recall:.3}");
    }

    const HELD_OUT_PRECISION_FLOOR: f64 = 0.5;
    const HELD_OUT_RECALL_FLOOR: f64 = 0.45;

    #[test]
    fn compound_words_find_each_other() {
        let draft = doc_draft("Online-Terminvergabe im Bürgerbüro", "");
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
            let scored = score(&doc_draft(a, ""), &doc_features(b, ""));
            assert!(scored.score < MIN_SCORE, "{a} vs {b}: {scored:?}");
        }
    }

    #[test]
    fn odd_input_does_not_panic() {
        let empty = doc_features("", "");
        let odd = doc_features("Ärger ß 🚀 É-Akte --- 2024", "ÆØÅ ÿ ǅ ss");
        let odd_draft = doc_draft("Ärger ß 🚀 É-Akte --- 2024", "ÆØÅ ÿ ǅ ss");
        assert_eq!(score(&doc_draft("", ""), &empty).score, 0.0);
        assert!(score(&odd_draft, &empty).score == 0.0);
        assert!(score(&odd_draft, &odd).score > 0.0);
    }

    #[test]
    fn shared_ozg_and_topic_are_reasons() {
        let topics = vec!["Bürgerservice".to_string()];
        let draft = draft(&Doc {
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
        let draft = doc_draft("Parkplätze an Schulen", "");
        let candidate = doc_features("Parkplatz Schule", "");
        assert!(score(&draft, &candidate).score > 0.5);
        let draft = doc_draft("Buergerbuero", "");
        assert!(score(&draft, &doc_features("Bürgerbüro", "")).score > 0.5);
    }

    #[test]
    fn top_k_orders_by_score_then_id_and_cuts() {
        let draft = doc_draft("Terminbuchung Bürgeramt", "");
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
        let draft = doc_draft("Online-Anmeldung in der Kindertagesstätte", "");
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
            words.contains(&"kindertagesstätte ≈ kita".to_string()),
            "{words:?}"
        );
    }

    #[test]
    fn cached_features_follow_the_project_version() {
        use crate::i18n::Locale;
        let cache = FeatureCache::with_limit(100);
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

    #[test]
    fn a_sample_brought_up_to_date_counts_what_a_fresh_count_counts() {
        let day = |d: u32| {
            chrono::NaiveDate::from_ymd_opt(2026, 11, d)
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap()
        };
        let texts = [
            ("a", "Terminbuchung im Bürgeramt", "Termine online buchen"),
            ("b", "Kita-Platzvergabe", "Anmeldung für Kindertagesstätten"),
            ("c", "Digitaler Bauantrag", "Bauportal und Baugenehmigung"),
        ];
        let keys = |title: &str, summary: &str| doc_features(title, summary).keys();
        let mut sample = Sample::default();
        let rows: Vec<(String, chrono::NaiveDateTime)> = texts
            .iter()
            .map(|(id, _, _)| (id.to_string(), day(1)))
            .collect();
        assert_eq!(sample.missing(&rows).len(), 3);
        sample.update(
            &rows,
            texts
                .iter()
                .map(|(id, t, s)| (id.to_string(), day(1), keys(t, s))),
        );
        assert!(sample.missing(&rows).is_empty());
        // "a" is rewritten, "c" leaves the sample, "d" joins it.
        let rows = vec![
            ("a".to_string(), day(2)),
            ("b".to_string(), day(1)),
            ("d".to_string(), day(1)),
        ];
        let missing = sample.missing(&rows);
        assert_eq!(
            missing
                .iter()
                .map(|(id, _)| id.as_str())
                .collect::<Vec<_>>(),
            ["a", "d"]
        );
        let now = [
            ("a", "Friedhofsverwaltung", "Grabstellen online verwalten"),
            ("d", "Open-Data-Portal", "offene Verwaltungsdaten"),
        ];
        sample.update(
            &rows,
            now.iter()
                .map(|(id, t, s)| (id.to_string(), rows_at(&rows, id), keys(t, s))),
        );
        let kept = sample.rarity(None);
        let fresh = Rarity::of(
            [
                doc_features(now[0].1, now[0].2),
                doc_features(texts[1].1, texts[1].2),
                doc_features(now[1].1, now[1].2),
            ]
            .iter(),
        );
        assert_eq!(kept.documents(), 3.0);
        let sorted =
            |m: &HashMap<u64, u32>| m.iter().map(|(k, v)| (*k, *v)).collect::<BTreeSet<_>>();
        assert_eq!(sorted(&kept.df), sorted(&fresh.df));
        assert_eq!(kept.concepts, fresh.concepts);
        assert_eq!(kept.grams, fresh.grams);
        // "Bauantrag" was only in "c", which left: it counts nowhere any more.
        assert!(!kept.df.contains_key(&hash("bauantrag")));
        // On top of a base, the documents of both count.
        let base = std::sync::Arc::new(fresh);
        assert_eq!(sample.rarity(Some(base)).documents(), 6.0);
    }

    fn rows_at(rows: &[(String, chrono::NaiveDateTime)], id: &str) -> chrono::NaiveDateTime {
        rows.iter().find(|(r, _)| r == id).unwrap().1
    }

    #[test]
    fn the_feature_cache_starts_over_at_its_limit() {
        use crate::i18n::Locale;
        let cache = FeatureCache::with_limit(100);
        cache.set_limit(2);
        let t = chrono::NaiveDate::from_ymd_opt(2026, 11, 1)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        let put = |id: &str| {
            cache.insert(
                Locale::De,
                [(
                    id.to_string(),
                    t,
                    doc_features("Terminbuchung", "Bürgeramt"),
                )],
            )
        };
        let all = |ids: &[&str]| -> Vec<(String, chrono::NaiveDateTime)> {
            ids.iter().map(|i| (i.to_string(), t)).collect()
        };
        put("a");
        put("b");
        assert_eq!(cache.get_all(Locale::De, &all(&["a", "b"])).len(), 2);
        // A third entry past the limit of two: the cache starts over with it alone.
        put("c");
        assert_eq!(
            cache.missing(Locale::De, &all(&["a", "b", "c"])),
            vec!["a", "b"]
        );
        assert_eq!(cache.lock().len(), 1);
    }
}
