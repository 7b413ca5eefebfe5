//! Markdown to safe HTML for descriptions, updates and comments: CommonMark
//! rendered by pulldown-cmark, then sanitised by ammonia (no script, no raw HTML
//! injection, no `javascript:` links). Mentions `@[Name](user-id)` become plain text.
use std::sync::LazyLock;

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer nofollow"))
        .rm_tags(["img"]);
    b
});

/// Mentions are stored as `@[Name](uuid)`; in HTML they read as "@Name".
fn mentions_to_text(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    let mut rest = src;
    while let Some(i) = rest.find("@[") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        match parse_mention(after) {
            Some((name, _id, len)) => {
                out.push('@');
                out.push_str(name);
                rest = &after[len..];
            }
            None => {
                out.push_str("@[");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Parses `Name](id)` and returns (name, id, consumed length).
fn parse_mention(s: &str) -> Option<(&str, &str, usize)> {
    let close = s.find("](")?;
    let name = &s[..close];
    if name.is_empty() || name.len() > 200 || name.contains(['\n', '[', ']']) {
        return None;
    }
    let after = &s[close + 2..];
    let end = after.find(')')?;
    let id = &after[..end];
    if id.len() != 36 || !id.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
        return None;
    }
    Some((name, id, close + 2 + end + 1))
}

/// The user ids mentioned in `src`, each once.
pub fn mentioned_ids(src: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut rest = src;
    while let Some(i) = rest.find("@[") {
        let after = &rest[i + 2..];
        if let Some((_, id, len)) = parse_mention(after) {
            if !ids.iter().any(|x| x == id) {
                ids.push(id.to_string());
            }
            rest = &after[len..];
        } else {
            rest = after;
        }
    }
    ids
}

pub fn to_html(src: &str) -> String {
    let text = mentions_to_text(src);
    let mut opts = pulldown_cmark::Options::empty();
    opts.insert(pulldown_cmark::Options::ENABLE_TABLES);
    opts.insert(pulldown_cmark::Options::ENABLE_STRIKETHROUGH);
    let parser = pulldown_cmark::Parser::new_ext(&text, opts);
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, parser);
    SANITIZER.clean(&html).to_string()
}

/// Plain text of Markdown (for search and short previews).
pub fn to_plain(src: &str) -> String {
    let text = mentions_to_text(src);
    let mut out = String::new();
    for ev in pulldown_cmark::Parser::new(&text) {
        match ev {
            pulldown_cmark::Event::Text(t) | pulldown_cmark::Event::Code(t) => out.push_str(&t),
            pulldown_cmark::Event::SoftBreak
            | pulldown_cmark::Event::HardBreak
            | pulldown_cmark::Event::End(_) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_javascript_links_are_removed() {
        let html = to_html("Hallo <script>alert(1)</script> [klick](javascript:alert(2)) <b onclick=\"x()\">fett</b>");
        assert!(!html.contains("<script"));
        assert!(!html.contains("javascript:"));
        assert!(!html.contains("onclick"));
        assert!(html.contains("fett"));
    }

    #[test]
    fn markdown_and_mentions() {
        let id = "01a21035-038d-70c7-b06b-a7fb4c03655b";
        let src = format!("**Danke** @[Lena Vogt]({id}) – siehe [Portal](https://brakel.de)");
        let html = to_html(&src);
        assert!(html.contains("<strong>Danke</strong>"));
        assert!(html.contains("@Lena Vogt"));
        assert!(html.contains("href=\"https://brakel.de\""));
        assert!(html.contains("noopener"));
        assert_eq!(mentioned_ids(&src), vec![id.to_string()]);
        assert_eq!(to_plain(&src), "Danke @Lena Vogt – siehe Portal");
    }
}
