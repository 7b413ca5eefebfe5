//! German text analysis, the same for search indexing and search queries on both
//! backends: lower case, umlauts and ß folded both ways ("Bürgerbüro" = "Buergerbuero"),
//! the Snowball German stemmer, compound words split into parts the platform's reference
//! vocabulary knows ("Straßenbeleuchtung" → straße + beleuchtung), short words and
//! acronyms kept ("KI", "IT"), stop words dropped.
//!
//! The vocabulary for compound splitting is every one-word term of OpenThesaurus (the file as Debian ships it) and
//! every word of the OZG and LeiKa service names that ship with the platform
//! (`data/reference`, sources and licences in its SOURCES.md): real German and real
//! administrative German, not a list written for a test.
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

/// Function words that carry no meaning for finding a project.
#[rustfmt::skip]
const STOP_WORDS: &[&str] = &[
    "ab", "aber", "als", "am", "an", "auch", "auf", "aus", "bei", "beim", "bis", "da", "das",
    "dass", "dem", "den", "der", "des", "die", "dies", "diese", "diesem", "diesen", "dieser",
    "durch", "ein", "eine", "einem", "einen", "einer", "eines", "es", "fur", "hat", "im", "in",
    "ins", "ist", "mit", "nach", "oder", "ob", "sich", "sie", "sind", "so", "uber", "um", "und",
    "unter", "vom", "von", "vor", "wie", "wird", "zu", "zum", "zur",
];

/// OpenThesaurus as Debian ships it (see data/reference/SOURCES.md): one synonym set per
/// line, terms separated by `;`, some with annotations such as "(ugs.)".
pub const THESAURUS: &str = include_str!("../../data/reference/openthesaurus.txt");

/// A thesaurus term without its annotations: "KI (Abkürzung)" → "KI".
fn strip_annotations(term: &str) -> String {
    let mut out = String::with_capacity(term.len());
    let mut rest = term;
    while let Some(open) = rest.find('(') {
        match rest[open..].find(')') {
            Some(close) => {
                out.push_str(&rest[..open]);
                rest = &rest[open + close + 1..];
            }
            None => break,
        }
    }
    out.push_str(rest);
    out.trim().to_string()
}

/// The synonym sets of OpenThesaurus, each term without annotations (empty terms
/// dropped). Read anew by each table built from them (once each), not kept: the sets
/// take about 13 MB.
pub fn thesaurus_sets() -> impl Iterator<Item = Vec<String>> {
    THESAURUS.lines().filter(|l| !l.starts_with('#')).map(|l| {
        l.split(';')
            .map(strip_annotations)
            .filter(|t| !t.is_empty())
            .collect()
    })
}

/// A one-word term: letters (and hyphens after the first), at least two of them.
fn is_one_word(term: &str) -> bool {
    let letter = |c: char| c.is_ascii_alphabetic() || "ÄÖÜäöüß".contains(c);
    let mut chars = term.chars();
    chars.next().is_some_and(letter)
        && chars.all(|c| letter(c) || c == '-')
        && term.chars().count() >= 2
}

/// The sets with only their one-word terms (each once), one `;`-separated line a set:
/// what compound splitting and the search synonyms use (each once, at start, so not kept).
fn one_word_lines() -> impl Iterator<Item = String> {
    thesaurus_sets().filter_map(|set| {
        let mut terms: Vec<&str> = Vec::new();
        for t in set.iter().filter(|t| is_one_word(t)) {
            if !terms.contains(&t.as_str()) {
                terms.push(t);
            }
        }
        (!terms.is_empty()).then(|| terms.join(";"))
    })
}

/// Parts of a compound must be at least this long ("amt" in "Standesamt" is not split off).
const MIN_PART: usize = 4;

fn stemmer() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::German))
}

fn stop_words() -> &'static HashSet<&'static str> {
    static STOP: OnceLock<HashSet<&'static str>> = OnceLock::new();
    STOP.get_or_init(|| STOP_WORDS.iter().copied().collect())
}

/// Stems of the words of the vocabulary, each once, and whether it was written with a
/// capital (a noun): a German compound ends in a noun, which keeps "Hundesteuer" from
/// ending in "teuer".
struct Vocabulary {
    noun: HashMap<Box<str>, bool>,
}

impl Vocabulary {
    fn has(&self, stem: &str) -> bool {
        self.noun.contains_key(stem)
    }

    fn has_noun(&self, stem: &str) -> bool {
        self.noun.get(stem).copied().unwrap_or(false)
    }
}

fn vocabulary() -> &'static Vocabulary {
    static VOCAB: OnceLock<Vocabulary> = OnceLock::new();
    VOCAB.get_or_init(|| {
        let mut noun: HashMap<Box<str>, bool> = HashMap::new();
        let bundled = [
            crate::ozg::import::bundled::OZG_SERVICES,
            crate::ozg::import::bundled::LEIKA,
        ];
        let mut add = |line: &str| {
            for word in line.split(|c: char| !c.is_alphanumeric()) {
                let w = fold(word);
                if w.chars().count() < MIN_PART || w.chars().all(|c| c.is_ascii_digit()) {
                    continue;
                }
                let capital = word.starts_with(char::is_uppercase);
                *noun.entry(stem(&w).into_boxed_str()).or_insert(false) |= capital;
            }
        };
        for line in one_word_lines() {
            add(&line);
        }
        for source in bundled {
            source
                .lines()
                .filter(|l| !l.starts_with('#'))
                .for_each(&mut add);
        }
        noun.shrink_to_fit();
        Vocabulary { noun }
    })
}

/// For every stem, the stems of the one-word terms that share a synonym set with it in
/// OpenThesaurus (at most [`WIDE_SYNONYMS`], the smallest sets first: they are the most
/// specific). Each stem is held once and the lists are indices into them: about 12 MB
/// instead of 37 MB as strings per list.
struct SynonymTable {
    stems: Vec<Box<str>>,
    of: HashMap<Box<str>, Box<[u32]>>,
}

fn synonym_table() -> &'static SynonymTable {
    static TABLE: OnceLock<SynonymTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut sets: Vec<Vec<String>> = one_word_lines()
            .map(|l| {
                let mut stems: Vec<String> = l
                    .split(';')
                    .map(|w| stem(&fold(&w.replace('-', ""))))
                    .filter(|w| w.chars().count() >= 3)
                    .collect();
                stems.dedup();
                stems
            })
            .filter(|s| s.len() > 1)
            .collect();
        sets.sort_by_key(Vec::len);
        let mut ids: HashMap<String, u32> = HashMap::new();
        let mut stems: Vec<Box<str>> = Vec::new();
        let mut lists: HashMap<u32, Vec<u32>> = HashMap::new();
        for set in &sets {
            let set: Vec<u32> = set
                .iter()
                .map(|w| {
                    *ids.entry(w.clone()).or_insert_with(|| {
                        stems.push(w.as_str().into());
                        (stems.len() - 1) as u32
                    })
                })
                .collect();
            for &w in &set {
                let entry = lists.entry(w).or_default();
                for &other in &set {
                    if other != w && entry.len() < WIDE_SYNONYMS && !entry.contains(&other) {
                        entry.push(other);
                    }
                }
            }
        }
        let of = lists
            .into_iter()
            .map(|(w, list)| (stems[w as usize].clone(), list.into_boxed_slice()))
            .collect();
        SynonymTable { stems, of }
    })
}

/// Synonyms taken for one query word.
pub const MAX_SYNONYMS: usize = 8;

/// Synonyms taken for one word of a draft by the similar hints, which score a few
/// thousand candidates by weight rather than requiring a match as search does.
pub const WIDE_SYNONYMS: usize = 16;

/// The stems of the synonyms of a stem (none if OpenThesaurus has none), at most
/// [`MAX_SYNONYMS`], the most specific first.
pub fn synonyms(stem: &str) -> impl Iterator<Item = &'static str> {
    wide_synonyms(stem).take(MAX_SYNONYMS)
}

/// [`synonyms`] up to [`WIDE_SYNONYMS`].
pub fn wide_synonyms(stem: &str) -> impl Iterator<Item = &'static str> {
    let table = synonym_table();
    table
        .of
        .get(stem)
        .map(|list| &list[..])
        .unwrap_or(&[])
        .iter()
        .map(|&i| &*table.stems[i as usize])
}

/// Lower case with umlauts and ß folded, so that both spellings meet: "Straße" and
/// "Strasse" → "strasse", "Bürgerbüro" and "Buergerbuero" → "burgerburo". An "ae", "oe"
/// or "ue" counts as an umlaut except in "eu", "au" and "qu" ("neue", "bauen", "Quelle").
pub fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars().flat_map(char::to_lowercase) {
        match c {
            'ä' => out.push('a'),
            'ö' => out.push('o'),
            'ü' => out.push('u'),
            'ß' => out.push_str("ss"),
            'e' if matches!(out.as_bytes().last(), Some(b'a' | b'o' | b'u'))
                && !["eu", "au", "qu"].iter().any(|d| out.ends_with(d)) => {}
            _ => out.push(c),
        }
    }
    out
}

/// The Snowball German stem of a folded word.
pub fn stem(folded: &str) -> String {
    stemmer().stem(folded).into_owned()
}

/// The parts of a compound (their stems), longest first part first; empty if the word
/// is not a compound of known words.
pub fn split_compound(folded: &str) -> Vec<String> {
    fn go(w: &[char], vocab: &Vocabulary, depth: usize) -> Option<Vec<String>> {
        if depth > 3 || w.len() < MIN_PART {
            return None;
        }
        if depth > 0 {
            let whole: String = w.iter().collect();
            let whole_stem = stem(&whole);
            if vocab.has_noun(&whole_stem) {
                return Some(vec![whole_stem]);
            }
        }
        for i in (MIN_PART..=w.len().saturating_sub(MIN_PART)).rev() {
            let head: String = w[..i].iter().collect();
            let head_stem = stem(&head);
            if !vocab.has(&head_stem) {
                continue;
            }
            if let Some(mut rest) = go(&w[i..], vocab, depth + 1) {
                let mut parts = vec![head_stem];
                parts.append(&mut rest);
                return Some(parts);
            }
        }
        None
    }
    let chars: Vec<char> = folded.chars().collect();
    go(&chars, vocabulary(), 0).unwrap_or_default()
}

/// The words of a text: letters and digits, hyphenated words also as one word
/// ("E-Rechnung" gives "e", "rechnung" and "erechnung").
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for chunk in text.split(|c: char| !(c.is_alphanumeric() || c == '-')) {
        let parts: Vec<&str> = chunk.split('-').filter(|p| !p.is_empty()).collect();
        if parts.len() > 1 {
            out.push(parts.concat());
        }
        out.extend(parts.into_iter().map(str::to_string));
    }
    out
}

/// One analysed word: its stem and, for a compound, the stems of its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub stem: String,
    pub parts: Vec<String>,
}

/// The analysed words of `text`, stop words and one-letter words dropped.
pub fn terms(text: &str) -> Vec<Term> {
    analyse(text).into_iter().map(|(_, t)| t).collect()
}

/// [`terms`] with each word as written (lower case), for showing why two texts match.
pub fn analyse(text: &str) -> Vec<(String, Term)> {
    words(text)
        .into_iter()
        .filter_map(|w| {
            let f = fold(&w);
            if f.chars().count() < 2 || stop_words().contains(f.as_str()) {
                return None;
            }
            let stem = stem(&f);
            let parts = if f.chars().count() >= 2 * MIN_PART {
                split_compound(&f)
            } else {
                Vec::new()
            };
            Some((w.to_lowercase(), Term { stem, parts }))
        })
        .collect()
}

/// The index form of a text: every stem and compound part, space-separated (what the
/// search tables store and the backends tokenise on spaces).
pub fn index_text(text: &str) -> String {
    let mut out = String::new();
    for t in terms(text) {
        for token in std::iter::once(&t.stem).chain(t.parts.iter()) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(token);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(text: &str) -> Vec<String> {
        terms(text).into_iter().map(|t| t.stem).collect()
    }

    #[test]
    fn umlauts_and_sharp_s_fold_both_ways() {
        assert_eq!(fold("Bürgerbüro"), fold("Buergerbuero"));
        assert_eq!(fold("Straße"), fold("Strasse"));
        assert_eq!(fold("Anträge"), fold("Antraege"));
        assert_eq!(fold("neue"), "neue");
        assert_eq!(fold("Steuer"), "steuer");
        assert_eq!(fold("bauen"), "bauen");
    }

    #[test]
    fn inflected_forms_share_a_stem() {
        assert_eq!(stems("Schule"), stems("Schulen"));
        assert_eq!(stems("Anträge"), stems("Antrag"));
        assert_eq!(stems("digitale"), stems("digitalen"));
        assert!(stems("Digitalisierung")[0].starts_with(&stems("digitale")[0]));
    }

    #[test]
    fn compounds_split_into_known_words() {
        let parts = split_compound(&fold("Straßenbeleuchtung"));
        assert!(parts.contains(&stem(&fold("Beleuchtung"))), "{parts:?}");
        assert!(parts.contains(&stem(&fold("Straße"))), "{parts:?}");
        let parts = split_compound(&fold("Förderantrag"));
        assert!(parts.contains(&stem("antrag")), "{parts:?}");
        let parts = split_compound(&fold("Hundesteuer"));
        assert_eq!(parts, vec![stem("hund"), stem("steuer")]);
        // Not every long word is a compound of known words.
        assert!(split_compound(&fold("Xylophonkrqz")).is_empty());
    }

    #[test]
    fn acronyms_and_short_words_are_kept_stop_words_dropped() {
        assert_eq!(
            stems("KI und IT für die Schule"),
            vec!["ki", "it", stem("schul").as_str()]
        );
        let t = index_text("KI-Chatbot für Bürgeranfragen");
        assert!(t.split(' ').any(|x| x == "ki"), "{t}");
        assert!(t.split(' ').any(|x| x == "chatbot"), "{t}");
    }
}
