//! Reading usage CSV files as towns get them from portals and specialist systems:
//! UTF-8 with or without BOM, `;` or `,`, a header line; checking every line against
//! the column mapping before anything is stored.
use std::collections::{HashMap, HashSet};

use serde::Serialize;
use utoipa::ToSchema;

use super::model::{parse_line, resolve_mapping, suggest_mapping, FigureInput, LineError, Mapping};
use crate::error::FieldError;

/// The most line problems reported at once.
pub const MAX_ERRORS: usize = 50;
/// Data rows shown in the preview.
pub const PREVIEW_ROWS: usize = 10;

/// A parsed file: its delimiter, header and data records with their line numbers.
#[derive(Debug, Clone)]
pub struct CsvFile {
    pub delimiter: u8,
    pub headers: Vec<String>,
    /// (line number as a spreadsheet shows it, cells)
    pub records: Vec<(u64, Vec<String>)>,
}

/// What the mapping step shows.
#[derive(Debug, Serialize, ToSchema)]
pub struct Preview {
    pub delimiter: String,
    pub headers: Vec<String>,
    pub suggested_mapping: Mapping,
    pub rows: Vec<Vec<String>>,
    pub row_count: i64,
}

fn csv_error(message: impl Into<String>) -> Vec<FieldError> {
    vec![FieldError::new("csv", message)]
}

/// Guesses the delimiter from the header line: the one of `;`, `,` and tab found most often.
fn sniff_delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    [b';', b',', b'\t']
        .into_iter()
        .max_by_key(|d| first.bytes().filter(|b| b == d).count())
        .unwrap_or(b';')
}

/// The line (as a spreadsheet numbers it) of the record the reader placed at `byte`:
/// the csv crate reports the end of the previous line and skips blank lines, so the
/// line breaks up to the record's first character are counted.
fn line_at(text: &str, byte: usize) -> u64 {
    let bytes = text.as_bytes();
    let mut start = byte.min(bytes.len());
    while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
        start += 1;
    }
    1 + bytes[..start].iter().filter(|b| **b == b'\n').count() as u64
}

pub fn read(text: &str) -> Result<CsvFile, Vec<FieldError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(csv_error("Die Datei ist leer."));
    }
    let delimiter = sniff_delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| csv_error(format!("Die Kopfzeile kann nicht gelesen werden: {e}")))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    if headers.iter().all(|h| h.is_empty()) {
        return Err(csv_error(
            "Die erste Zeile muss die Spaltenüberschriften enthalten.",
        ));
    }
    let mut records = Vec::new();
    for r in reader.records() {
        let r = r.map_err(|e| {
            let line = e
                .position()
                .map(|p| line_at(text, p.byte() as usize))
                .unwrap_or(0);
            csv_error(format!(
                "Zeile {line}: Die Zeile kann nicht gelesen werden ({e})."
            ))
        })?;
        if r.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let line = r
            .position()
            .map(|p| line_at(text, p.byte() as usize))
            .unwrap_or(0);
        records.push((line, r.iter().map(str::to_string).collect()));
    }
    if records.is_empty() {
        return Err(csv_error("Die Datei enthält keine Datenzeilen."));
    }
    Ok(CsvFile {
        delimiter,
        headers,
        records,
    })
}

pub fn preview(text: &str) -> Result<Preview, Vec<FieldError>> {
    let f = read(text)?;
    Ok(Preview {
        delimiter: (f.delimiter as char).to_string(),
        suggested_mapping: suggest_mapping(&f.headers),
        rows: f
            .records
            .iter()
            .take(PREVIEW_ROWS)
            .map(|(_, r)| r.clone())
            .collect(),
        row_count: f.records.len() as i64,
        headers: f.headers,
    })
}

/// Every figure of the file, or every problem (up to [`MAX_ERRORS`]) with line and column.
/// `known_key` says whether a LeiKa key is in the catalogue.
pub fn figures(
    file: &CsvFile,
    mapping: &Mapping,
    known_keys: &HashSet<String>,
) -> Result<Vec<FigureInput>, Vec<FieldError>> {
    let cols = resolve_mapping(mapping, &file.headers)?;
    let mut errors: Vec<LineError> = Vec::new();
    let mut out = Vec::new();
    let mut seen: HashMap<(String, i32, &'static str), u64> = HashMap::new();
    let key_column = file
        .headers
        .get(cols.leika_key)
        .cloned()
        .unwrap_or_default();
    for (line, record) in &file.records {
        match parse_line(record, *line, &cols, &file.headers) {
            Ok(figs) => {
                if let Some(f) = figs.first() {
                    if !known_keys.contains(&f.leika_key) {
                        errors.push(LineError {
                            line: *line,
                            column: key_column.clone(),
                            message: format!(
                                "Den Leistungsschlüssel {} gibt es im Leistungskatalog nicht.",
                                f.leika_key
                            ),
                        });
                        continue;
                    }
                }
                for f in figs {
                    let k = (f.leika_key.clone(), f.month.db(), f.channel.as_str());
                    if let Some(first) = seen.insert(k, *line) {
                        errors.push(LineError {
                            line: *line,
                            column: key_column.clone(),
                            message: format!(
                                "Leistung {}, Monat {}, Kanal {} steht schon in Zeile {first}.",
                                f.leika_key,
                                f.month,
                                f.channel.label_de()
                            ),
                        });
                    } else {
                        out.push(f);
                    }
                }
            }
            Err(e) => errors.extend(e),
        }
        if errors.len() >= MAX_ERRORS {
            break;
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors
            .into_iter()
            .take(MAX_ERRORS)
            .map(|e| FieldError::new("csv", e.text()))
            .collect())
    }
}

/// The LeiKa keys a file mentions (to look up in the catalogue in one query).
pub fn mentioned_keys(file: &CsvFile, mapping: &Mapping) -> Vec<String> {
    let Ok(cols) = resolve_mapping(mapping, &file.headers) else {
        return Vec::new();
    };
    let mut keys: Vec<String> = file
        .records
        .iter()
        .filter_map(|(_, r)| r.get(cols.leika_key))
        .filter_map(|k| super::model::parse_leika_key(k).ok())
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_semicolon_and_comma() {
        let f = read("\u{feff}Schlüssel;Monat;Kanal;Anzahl\r\n99001001000000;03/2025;online;4\r\n")
            .unwrap();
        assert_eq!(f.delimiter, b';');
        assert_eq!(f.headers[0], "Schlüssel");
        assert_eq!(f.records[0].0, 2);
        let f = read("key,month,channel,count\n99001001000000,2025-03,paper,4\n\n99001001000000,2025-04,paper,5\n\"a\nb\",2025-05,paper,6\n").unwrap();
        assert_eq!(f.delimiter, b',');
        assert_eq!(f.records.len(), 3);
        assert_eq!(f.records[1].0, 4);
        assert_eq!(f.records[2].0, 5);
        assert!(read("").is_err());
        assert!(read("a;b\n").is_err());
    }

    #[test]
    fn unknown_key_and_duplicates_are_line_errors() {
        let f = read("Schlüssel;Monat;Kanal;Anzahl\n99001001000000;03/2025;online;4\n99001001000000;2025-03;online;5\n11111111111111;03/2025;online;1\n").unwrap();
        let m = suggest_mapping(&f.headers);
        let known: HashSet<String> = ["99001001000000".to_string()].into();
        let e = figures(&f, &m, &known).unwrap_err();
        assert_eq!(e.len(), 2);
        assert!(e[0].message.starts_with("Zeile 3"), "{}", e[0].message);
        assert!(e[1].message.contains("Zeile 4") && e[1].message.contains("Leistungskatalog"));
        assert_eq!(mentioned_keys(&f, &m).len(), 2);
    }
}
