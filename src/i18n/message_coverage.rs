//! Every German message the code can send in a problem+json answer (`detail`,
//! `errors[].message`) has an English text in `templates/i18n/en.json`: the test reads
//! the sources, takes the German sentences among their string literals (`format!`
//! placeholders filled with a sample value) and asks the lookup `en` users get.
use std::path::Path;

/// Files and folders (below `src/`) whose texts are no problem messages: API
/// documentation, demo data, the operator's command line and configuration, metrics;
/// `i18n/` writes both languages itself.
const NOT_MESSAGES: &[&str] = &[
    "openapi_descriptions.rs",
    "app.rs",
    "i18n/",
    "seed.rs",
    "cli.rs",
    "main.rs",
    "ops/",
    "config/",
    "config.rs",
    "metrics/",
];

/// German sentences outside those files that are no problem messages, by their start.
const NOT_PROBLEM_TEXTS: &[&str] = &[
    // The mail outbox's own state, for the operator.
    "Zustellung nicht bestätigt:",
    // The licence line of the usage export.
    "Lizenz: Datenlizenz Deutschland",
    // The ranking's formula and the draft summary of a project (content, not errors).
    "Punktzahl = Summe über die Kommunen",
    "Gemeinsame Digitalisierung von",
    // Sign-in refusals: shown on the sign-in page after the redirect, before anyone is
    // signed in (no user language), and kept in the sign-in log.
    "Anmeldung über {} abgelehnt",
    "Die Anmeldung über {} ist fehlgeschlagen",
    "Der Anmeldedienst {} hat die Anmeldung abgebrochen",
    // The description of an exercise in the calendar file.
    "Übung zur Notfallkarte",
    // `AppError::Unavailable`: its text goes to the log, the answer has none.
    "Der Anmeldedienst {} ist gerade nicht erreichbar",
];

/// Words that make a sentence German (besides umlauts, ß and German quotes).
const GERMAN_WORDS: &[&str] = &[
    "Bitte",
    "bitte",
    "ist",
    "nicht",
    "gibt",
    "es",
    "die",
    "der",
    "das",
    "den",
    "dem",
    "des",
    "ein",
    "eine",
    "einen",
    "kein",
    "keine",
    "Höchstens",
    "höchstens",
    "Zeichen",
    "muss",
    "darf",
    "und",
    "oder",
    "mit",
    "zu",
    "von",
    "für",
    "wird",
    "werden",
    "sind",
    "kann",
    "schon",
    "noch",
    "Sie",
    "angeben",
    "wählen",
    "Der",
    "Die",
    "Das",
    "Ein",
    "Eine",
    "Kein",
    "Keine",
    "Diese",
    "Dieser",
    "Dieses",
    "Erst",
    "fehlt",
    "Unbekannt",
    "Unbekannte",
    "Unbekannter",
    "Unbekanntes",
    "Zeile",
    "Spalte",
    "abgebrochen",
    "besteht",
    "aus",
    "genau",
    "Ziffern",
    "nur",
    "bei",
    "auf",
    "im",
    "hat",
    "gibt",
];

/// A string literal of a source file: its text (escapes resolved) and the code just
/// before it.
struct Literal {
    text: String,
    before: String,
    line: usize,
}

/// The string literals of `src` outside comments and `#[cfg(test)]` items.
fn literals(src: &str) -> Vec<Literal> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let (mut i, mut depth, mut test_depth) = (0usize, 0usize, None::<usize>);
    let mut pending_test = false;
    let mut code_start = 0usize;
    while i < b.len() {
        let rest = &src[i..];
        if rest.starts_with("//") {
            i += rest.find('\n').unwrap_or(rest.len());
            continue;
        }
        if rest.starts_with("/*") {
            i += rest.find("*/").map_or(rest.len(), |e| e + 2);
            continue;
        }
        if rest.starts_with("#[cfg(test)]") {
            pending_test = true;
            i += "#[cfg(test)]".len();
            continue;
        }
        let ident_before = i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
        match b[i] {
            b'{' => {
                depth += 1;
                if pending_test && test_depth.is_none() {
                    test_depth = Some(depth);
                }
                pending_test = false;
            }
            b'}' => {
                if test_depth == Some(depth) {
                    test_depth = None;
                }
                depth = depth.saturating_sub(1);
            }
            b';' => pending_test = false,
            b'r' if !ident_before && (rest.starts_with("r\"") || rest.starts_with("r#")) => {
                let hashes = rest[1..].bytes().take_while(|&c| c == b'#').count();
                if rest[1 + hashes..].starts_with('"') {
                    let open = 1 + hashes + 1;
                    let close = format!("\"{}", "#".repeat(hashes));
                    let end = rest[open..].find(&close).map_or(rest.len(), |e| e + open);
                    if test_depth.is_none() {
                        out.push(Literal {
                            text: rest[open..end].to_string(),
                            before: src[code_start..i].to_string(),
                            line: src[..i].matches('\n').count() + 1,
                        });
                    }
                    i += end + close.len();
                    code_start = i;
                    continue;
                }
            }
            b'"' => {
                let (text, len) = string_literal(&rest[1..]);
                if test_depth.is_none() {
                    out.push(Literal {
                        text,
                        before: src[code_start..i].to_string(),
                        line: src[..i].matches('\n').count() + 1,
                    });
                }
                i += 1 + len;
                code_start = i;
                continue;
            }
            b'\'' => {
                // A char literal ('"', '\'', '\u{a0}') or a lifetime.
                if rest[1..].starts_with('\\') {
                    // '\'' '\n' '\u{a0}': the escaped character, then up to the quote.
                    i += 3 + rest.get(3..).and_then(|r| r.find('\'')).unwrap_or(0) + 1;
                    continue;
                }
                let mut cs = rest[1..].chars();
                if let (Some(c), Some('\'')) = (cs.next(), cs.next()) {
                    i += 1 + c.len_utf8() + 1;
                    continue;
                }
            }
            _ => {}
        }
        i += rest.chars().next().map_or(1, char::len_utf8);
    }
    out
}

/// The text of a `"…"` literal whose opening quote was just before `s`, and its length
/// in `s` up to and including the closing quote.
fn string_literal(s: &str) -> (String, usize) {
    let mut text = String::new();
    let mut chars = s.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '"' => return (text, at + 1),
            '\\' => match chars.next().map(|(_, e)| e) {
                Some('n') => text.push('\n'),
                Some('t') => text.push('\t'),
                Some('0') => text.push('\0'),
                Some('u') => {
                    let mut hex = String::new();
                    for (_, h) in chars.by_ref() {
                        match h {
                            '{' => {}
                            '}' => break,
                            _ => hex.push(h),
                        }
                    }
                    if let Some(ch) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                        text.push(ch);
                    }
                }
                Some('\n') => {
                    // A line continuation: the next line's indentation is left out.
                    let mut peek = chars.clone();
                    while let Some((_, w)) = peek.next() {
                        if !w.is_whitespace() {
                            break;
                        }
                        chars = peek.clone();
                    }
                }
                Some(e) => text.push(e),
                None => {}
            },
            c => text.push(c),
        }
    }
    (text, s.len())
}

/// A German sentence: ends with `.`, `?` or `!`, or with a placeholder after `.` or `:`
/// ("Zeile {}, Spalte „{}“: {}").
fn is_german_sentence(s: &str) -> bool {
    let t = s.trim();
    let ends_a_sentence = t.ends_with(['.', '?', '!'])
        || t.strip_suffix("{}")
            .is_some_and(|r| r.trim_end().ends_with(['.', ':']));
    if s.contains('\n') || !t.contains(' ') || !ends_a_sentence {
        return false;
    }
    t.contains(['ä', 'ö', 'ü', 'Ä', 'Ö', 'Ü', 'ß', '„', '“'])
        || t.split(|c: char| !c.is_alphabetic())
            .any(|w| GERMAN_WORDS.contains(&w))
}

/// Written next to its English text (`pick("…", "…")`, `Locale::De => "…"`,
/// `if de { "…" } else { "…" }`).
fn translated_in_place(before: &str) -> bool {
    let b = before.trim_end();
    let b = b.strip_suffix("format!(").unwrap_or(b).trim_end();
    b.ends_with("pick(") || b.ends_with("Locale::De =>") || b.ends_with("if de {")
}

/// `format!` placeholders (`{}`, `{max}`, `{:?}`) as `{}`; `{{`/`}}` as braces.
fn normalised(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            '{' => {
                for n in chars.by_ref() {
                    if n == '}' {
                        break;
                    }
                }
                out.push_str("{}");
            }
            c => out.push(c),
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The German messages of `src/`: (file:line, text with `{}` placeholders).
fn german_messages() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let rel = f
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let skipped = NOT_MESSAGES.iter().any(|n| {
            if n.ends_with('/') {
                rel.starts_with(n)
            } else {
                rel == *n || rel.ends_with(&format!("/{n}"))
            }
        });
        if skipped || rel == "i18n/message_coverage.rs" {
            continue;
        }
        let src = std::fs::read_to_string(&f).unwrap();
        for l in literals(&src) {
            let text = normalised(&l.text);
            if is_german_sentence(&text)
                && !translated_in_place(&l.before)
                && !NOT_PROBLEM_TEXTS.iter().any(|p| text.starts_with(p))
            {
                out.push((format!("src/{rel}:{}", l.line), text));
            }
        }
    }
    out
}

#[test]
fn the_scan_finds_messages_of_every_kind() {
    let found = german_messages();
    let texts: Vec<&str> = found.iter().map(|(_, t)| t.as_str()).collect();
    // A fixed literal, a `format!` with a named and one with an empty placeholder, one
    // behind a line continuation; German written next to English is not counted.
    for expected in [
        "Bitte ausfüllen.",
        "Höchstens {} Zeichen (jetzt {}).",
        "Von „{}“ geht es nur weiter zu: {}.",
        "Die Datei ist kein BPMN-2.0-Modell: das Wurzelelement muss „definitions“ im Namensraum {} sein.",
    ] {
        assert!(texts.contains(&expected), "not found: {expected}");
    }
    assert!(!texts.contains(&"Bitte prüfen Sie die markierten Felder."));
    assert!(found.len() > 250, "only {} messages found", found.len());
}

#[test]
fn every_german_message_has_an_english_text() {
    let missing: Vec<String> = german_messages()
        .into_iter()
        .filter(|(_, text)| {
            let sample = text.trim().replace("{}", "7");
            crate::error::english_message(&sample).is_none()
        })
        .map(|(at, text)| format!("{at}: {text}"))
        .collect();
    assert!(
        missing.is_empty(),
        "German messages without an English text: add \"message.<German text>\" (placeholders \
         as {{name}}) to templates/i18n/en.json and de.json, or, if the text never reaches a \
         problem+json answer, to NOT_PROBLEM_TEXTS in src/i18n/message_coverage.rs:\n{}",
        missing.join("\n")
    );
}
