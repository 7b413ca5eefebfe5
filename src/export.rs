//! Spreadsheet exports: every download is built as one [`Table`] of typed cells and
//! written here, as CSV for systems and German Excel, and as XLSX for people: keys stay
//! text (the AGS keeps its leading zero), amounts are numbers in euros, dates are dates,
//! and no cell is ever a formula.
use chrono::NaiveDate;

use crate::error::{AppError, AppResult};

pub const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A CSV download named `file_name`.
pub fn csv_response(bytes: Vec<u8>, file_name: &str) -> actix_web::HttpResponse {
    download(bytes, "text/csv; charset=utf-8", file_name)
}

/// An XLSX download named `file_name`.
pub fn xlsx_response(bytes: Vec<u8>, file_name: &str) -> actix_web::HttpResponse {
    download(bytes, XLSX_TYPE, file_name)
}

fn download(bytes: Vec<u8>, content_type: &str, file_name: &str) -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{file_name}\""),
        ))
        .body(bytes)
}

/// One cell of an export.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text a person wrote or chose (titles, names): guarded against formulas.
    Text(String),
    /// A key such as an AGS or an OZG-ID; digits that must stay text.
    Key(String),
    /// A whole number (counts).
    Int(i64),
    /// An amount in euro cents.
    Euro(i64),
    /// A calendar date.
    Date(NaiveDate),
    /// A point in time, already in the reader's zone.
    DateTime(chrono::NaiveDateTime),
    Empty,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    pub fn opt_date(d: Option<NaiveDate>) -> Cell {
        d.map(Cell::Date).unwrap_or(Cell::Empty)
    }

    pub fn opt_euro(c: Option<i64>) -> Cell {
        c.map(Cell::Euro).unwrap_or(Cell::Empty)
    }

    /// The cell as CSV text for German spreadsheets.
    fn csv(&self) -> String {
        match self {
            Cell::Text(s) => guard(s),
            Cell::Key(s) => guard(s),
            Cell::Int(n) => n.to_string(),
            Cell::Euro(c) => euro_de(*c),
            Cell::Date(d) => d.format("%d.%m.%Y").to_string(),
            Cell::DateTime(t) => t.format("%d.%m.%Y %H:%M").to_string(),
            Cell::Empty => String::new(),
        }
    }
}

/// A sheet: German column heads and rows of cells.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn new<S: Into<String>>(headers: impl IntoIterator<Item = S>) -> Table {
        Table {
            headers: headers.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<Cell>) {
        self.rows.push(row);
    }

    /// CSV for German Excel and LibreOffice: UTF-8 with BOM, semicolons, CRLF line ends
    /// (RFC 4180), every cell that could start a formula prefixed with an apostrophe.
    pub fn to_csv(&self) -> AppResult<Vec<u8>> {
        let err = |e: csv::Error| AppError::internal(e.to_string());
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .terminator(csv::Terminator::CRLF)
            .from_writer(vec![0xEF, 0xBB, 0xBF]);
        w.write_record(self.headers.iter().map(|h| guard(h)))
            .map_err(err)?;
        for row in &self.rows {
            w.write_record(row.iter().map(Cell::csv)).map_err(err)?;
        }
        w.into_inner()
            .map_err(|e| AppError::internal(e.to_string()))
    }
}

impl Table {
    /// An XLSX workbook of one sheet: bold, frozen and filterable header row, every
    /// text written as a string cell (so `=…` stays text without a visible guard).
    pub fn to_xlsx(&self, sheet: &str) -> AppResult<Vec<u8>> {
        use rust_xlsxwriter::{Format, Workbook};
        let err = |e: rust_xlsxwriter::XlsxError| AppError::internal(format!("xlsx: {e}"));
        let mut book = Workbook::new();
        let ws = book.add_worksheet();
        ws.set_name(sheet).map_err(err)?;
        let head = Format::new().set_bold();
        let key = Format::new().set_num_format("@");
        let euro = Format::new().set_num_format("#,##0.00 \"€\"");
        let int = Format::new().set_num_format("0");
        let date = Format::new().set_num_format("dd.mm.yyyy");
        let stamp = Format::new().set_num_format("dd.mm.yyyy hh:mm");
        for (c, h) in self.headers.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &head)
                .map_err(err)?;
        }
        for (r, row) in self.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(t) => ws.write_string(r, c, t),
                    Cell::Key(k) => ws.write_string_with_format(r, c, k, &key),
                    Cell::Int(n) => ws.write_number_with_format(r, c, *n as f64, &int),
                    Cell::Euro(cents) => {
                        ws.write_number_with_format(r, c, *cents as f64 / 100.0, &euro)
                    }
                    Cell::Date(d) => ws.write_datetime_with_format(r, c, d, &date),
                    Cell::DateTime(t) => ws.write_datetime_with_format(r, c, t, &stamp),
                    Cell::Empty => Ok(&mut *ws),
                }
                .map_err(err)?;
            }
        }
        if !self.headers.is_empty() {
            ws.set_freeze_panes(1, 0).map_err(err)?;
            ws.autofilter(0, 0, self.rows.len() as u32, self.headers.len() as u16 - 1)
                .map_err(err)?;
        }
        ws.autofit();
        book.save_to_buffer().map_err(err)
    }
}

/// Protects spreadsheet users from formulas hidden in cell text (OWASP's list of
/// leading characters); the apostrophe makes the spreadsheet show the text as text.
pub fn guard(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r', '|']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// 1234567 cents as `12.345,67`: euros as German spreadsheets read a number.
pub fn euro_de(cents: i64) -> String {
    let c = cents.unsigned_abs();
    let euros = (c / 100).to_string();
    let mut grouped = String::new();
    for (i, ch) in euros.chars().enumerate() {
        if i > 0 && (euros.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(ch);
    }
    format!(
        "{}{},{:02}",
        if cents < 0 { "-" } else { "" },
        grouped,
        c % 100
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_guarded_and_numbers_are_not() {
        let mut t = Table::new(["Name", "Betrag", "Anzahl"]);
        t.push(vec![
            Cell::text("=HYPERLINK(\"http://x\";\"klick\")"),
            Cell::Euro(-1050),
            Cell::Int(-3),
        ]);
        t.push(vec![
            Cell::text("@SUMME(A1)"),
            Cell::Euro(123_456_789),
            Cell::Int(7),
        ]);
        let csv = String::from_utf8(t.to_csv().unwrap()).unwrap();
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(lines[0], "Name;Betrag;Anzahl");
        assert_eq!(
            lines[1],
            "\"'=HYPERLINK(\"\"http://x\"\";\"\"klick\"\")\";-10,50;-3"
        );
        assert_eq!(lines[2], "'@SUMME(A1);1.234.567,89;7");
        assert_eq!(lines[3], "", "every line ends in CRLF");
        assert!(!csv.contains("\n\n") && csv.matches('\n').count() == csv.matches("\r\n").count());
    }

    #[test]
    fn xlsx_cells_keep_their_types() {
        use calamine::{Data, Reader, Xlsx};
        let mut t = Table::new(["Kommune", "AGS", "Budget", "Beginn", "Anzahl"]);
        t.push(vec![
            Cell::text("=SUMME(1;2) Formeltest"),
            Cell::Key("05762016".into()),
            Cell::Euro(1_234_550),
            Cell::Date(NaiveDate::from_ymd_opt(2027, 3, 1).unwrap()),
            Cell::Int(4),
        ]);
        t.push(vec![
            Cell::text("Brakel"),
            Cell::Key("05762016".into()),
            Cell::Empty,
            Cell::Empty,
            Cell::Int(0),
        ]);
        let bytes = t.to_xlsx("Projekte").unwrap();
        let mut book: Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range("Projekte").unwrap();
        assert_eq!(range.get((0, 1)), Some(&Data::String("AGS".into())));
        assert_eq!(
            range.get((1, 0)),
            Some(&Data::String("=SUMME(1;2) Formeltest".into())),
            "text, no guard, no formula"
        );
        assert_eq!(
            range.get((1, 1)),
            Some(&Data::String("05762016".into())),
            "the leading zero stays"
        );
        assert_eq!(range.get((1, 2)), Some(&Data::Float(12_345.5)));
        match range.get((1, 3)) {
            Some(Data::DateTime(d)) => assert_eq!(
                d.as_datetime().unwrap().date(),
                NaiveDate::from_ymd_opt(2027, 3, 1).unwrap()
            ),
            other => panic!("not a date: {other:?}"),
        }
        assert_eq!(range.get((1, 4)), Some(&Data::Float(4.0)));
        assert_eq!(range.get((2, 2)), Some(&Data::Empty));
        let formulas = book.worksheet_formula("Projekte").unwrap();
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "no formula is ever written"
        );
    }

    #[test]
    fn plain_text_is_left_alone() {
        assert_eq!(guard("Brakel"), "Brakel");
        assert_eq!(guard("-Minus"), "'-Minus");
        assert_eq!(guard("Bürgerbüro = Rathaus"), "Bürgerbüro = Rathaus");
    }
}
