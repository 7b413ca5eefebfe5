//! The layering rules of ARCHITECTURE.md, checked on the source text of `src/`:
//!
//! 1. Only the route table (`src/app.rs`) imports handler modules (`routes`).
//! 2. No handler file (`routes.rs`) touches the database schema: Diesel lives in
//!    `queries.rs` (or a named sub-part such as `funding/deadlines.rs`).
//! 3. No handler file is longer than 900 lines.
//!
//! `cargo test --test architecture` runs it; the checker itself is tested on small
//! violating inputs below, so a broken check cannot pass silently.
use std::path::{Path, PathBuf};

/// The one file that may import handler modules.
const ROUTE_TABLE: &str = "src/app.rs";
const MAX_ROUTES_LINES: usize = 900;

/// The source without `//` comments (line and doc comments), so prose may name modules.
fn code_only(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            // A `//` inside a string literal ("https://…") is left alone.
            Some(i) if line[..i].matches('"').count() % 2 == 0 => &line[..i],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether `code` uses a module named `routes` as a path (`x::routes::f`,
/// `use super::routes`, `routes::{...}`), as opposed to declaring it (`pub mod routes;`).
fn imports_routes(code: &str) -> Option<String> {
    for (n, line) in code.lines().enumerate() {
        let t = line.trim();
        if t.starts_with("mod routes") || t.starts_with("pub mod routes") {
            continue;
        }
        let bytes = t.as_bytes();
        let mut from = 0;
        while let Some(i) = t[from..].find("routes") {
            let at = from + i;
            let end = at + "routes".len();
            let before_ok =
                at == 0 || !(bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_');
            let after_ok =
                end == t.len() || !(bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_');
            if before_ok && after_ok {
                let path_after = t[end..].starts_with("::");
                let path_before = t[..at].ends_with("::");
                let used = t.starts_with("use ") || t.starts_with("pub use ");
                if path_after || path_before || used {
                    return Some(format!("line {}: {}", n + 1, t));
                }
            }
            from = end;
        }
    }
    None
}

/// The rule violations of one file; `path` is relative to the crate root (`src/...`).
pub fn violations(path: &str, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let code = code_only(text);
    let is_routes = Path::new(path)
        .file_name()
        .is_some_and(|f| f == "routes.rs");
    if path != ROUTE_TABLE {
        if let Some(at) = imports_routes(&code) {
            out.push(format!(
                "{path}: imports a handler module (only {ROUTE_TABLE} may): {at}"
            ));
        }
    }
    if is_routes {
        if let Some((n, line)) = code
            .lines()
            .enumerate()
            .find(|(_, l)| l.contains("db::schema") || l.contains("schema::"))
        {
            out.push(format!(
                "{path}: a handler file uses the database schema (move the query to queries.rs): line {}: {}",
                n + 1,
                line.trim()
            ));
        }
        let lines = text.lines().count();
        if lines > MAX_ROUTES_LINES {
            out.push(format!(
                "{path}: {lines} lines, a handler file has at most {MAX_ROUTES_LINES}"
            ));
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn the_source_keeps_the_layering_rules() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    assert!(
        files.len() > 50,
        "found only {} files below src/",
        files.len()
    );
    let mut all = Vec::new();
    for f in &files {
        let rel = f
            .strip_prefix(root)
            .expect("below the crate root")
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(f).expect("readable source");
        all.extend(violations(&rel, &text));
    }
    assert!(
        all.is_empty(),
        "layering rules broken (see ARCHITECTURE.md):\n{}",
        all.join("\n")
    );
}

#[test]
fn importing_a_handler_module_outside_the_route_table_is_caught() {
    let text = "use crate::funding::routes::overview;\nfn f() {}\n";
    let v = violations("src/dashboard/mod.rs", text);
    assert_eq!(v.len(), 1, "{v:?}");
    assert!(v[0].contains("imports a handler module"), "{v:?}");

    let text = "fn f(c: &mut DbConn) { crate::funding::routes::record_deadline_events(c, now()); }";
    assert_eq!(violations("src/notify/worker.rs", text).len(), 1);
    assert_eq!(
        violations("src/x/attachments.rs", "use super::routes::{load, scope};").len(),
        1
    );
    // The route table may; declaring the module and naming it in prose are fine.
    assert!(violations(
        "src/app.rs",
        "fn a() { x.service(funding::routes::calendar) }"
    )
    .is_empty());
    assert!(violations(
        "src/funding/mod.rs",
        "pub mod routes;\n//! see routes::calendar\n"
    )
    .is_empty());
    assert!(violations("src/a.rs", "let reroutes = 1; // routes::x\n").is_empty());
}

#[test]
fn schema_in_a_handler_file_is_caught() {
    let text = "use crate::db::schema::projects;\nfn f() {}\n";
    let v = violations("src/projects/routes.rs", text);
    assert_eq!(v.len(), 1, "{v:?}");
    assert!(v[0].contains("database schema"), "{v:?}");
    assert_eq!(
        violations("src/x/routes.rs", "fn f() { schema::users::table; }").len(),
        1
    );
    // Queries may use it.
    assert!(violations("src/projects/queries.rs", text).is_empty());
}

#[test]
fn a_long_handler_file_is_caught() {
    let long = "fn f() {}\n".repeat(MAX_ROUTES_LINES + 1);
    let v = violations("src/funding/routes.rs", &long);
    assert_eq!(v.len(), 1, "{v:?}");
    assert!(v[0].contains("at most 900"), "{v:?}");
    let ok = "fn f() {}\n".repeat(MAX_ROUTES_LINES);
    assert!(violations("src/funding/routes.rs", &ok).is_empty());
    assert!(violations("src/funding/queries.rs", &long).is_empty());
}
