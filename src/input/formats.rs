//! Document formats: front matter of text files, HTML to text, JSON Lines records.

use scraper::{Html, Node};
use serde::Deserialize;

/// Front matter (`---` / `key: value` lines / `---`) at the top of a text file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    pub date: Option<String>,
    pub title: Option<String>,
    pub source: Option<String>,
    pub lang: Option<String>,
    pub id: Option<String>,
}

/// Parses front matter; returns it and the byte offset where the body starts.
/// A file without a well-formed block has no front matter and a body at 0.
pub fn front_matter(text: &str) -> (FrontMatter, usize) {
    let mut fm = FrontMatter::default();
    let first_end = match text.find('\n') {
        Some(i) => i,
        None => return (fm, 0),
    };
    if text[..first_end].trim_end() != "---" {
        return (fm, 0);
    }
    let mut pos = first_end + 1;
    while pos < text.len() {
        let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let line = text[pos..line_end].trim_end_matches('\r');
        let next = (line_end + 1).min(text.len());
        if line.trim() == "---" {
            return (fm, next);
        }
        let Some((k, v)) = line.split_once(':') else {
            if line.trim().is_empty() {
                pos = next;
                continue;
            }
            return (FrontMatter::default(), 0);
        };
        let v = v.trim().trim_matches('"').trim_matches('\'').to_string();
        let v = (!v.is_empty()).then_some(v);
        match k.trim().to_ascii_lowercase().as_str() {
            "date" => fm.date = v,
            "title" => fm.title = v,
            "source" => fm.source = v,
            "lang" | "language" => fm.lang = v,
            "id" => fm.id = v,
            _ => {}
        }
        pos = next;
    }
    (FrontMatter::default(), 0)
}

const SKIPPED: &[&str] = &["script", "style", "noscript", "template", "svg", "head", "iframe", "object"];
const BLOCKS: &[&str] = &[
    "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer",
    "blockquote", "pre", "table", "ul", "ol", "dd", "dt", "hr", "figcaption", "td", "th", "title",
];

/// Visible text of an HTML page: scripts and styles dropped, entities decoded, block
/// elements on their own lines. Also returns the `<title>`.
pub fn html_to_text(html: &str) -> (String, Option<String>) {
    let doc = Html::parse_document(html);
    let mut out = String::with_capacity(html.len() / 2);
    let title = doc
        .root_element()
        .descendants()
        .find_map(|n| n.value().as_element().filter(|e| e.name() == "title").and(Some(n)))
        .map(|n| n.descendants().filter_map(|d| d.value().as_text().map(|t| t.to_string())).collect::<String>())
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    fn walk(node: ego_tree::NodeRef<'_, Node>, out: &mut String) {
        for child in node.children() {
            match child.value() {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) => {
                    let name = e.name();
                    if SKIPPED.contains(&name) {
                        continue;
                    }
                    let block = BLOCKS.contains(&name);
                    if block && !out.ends_with('\n') && !out.is_empty() {
                        out.push('\n');
                    }
                    walk(child, out);
                    if block && !out.ends_with('\n') {
                        out.push('\n');
                    }
                }
                _ => {}
            }
        }
    }
    walk(doc.tree.root(), &mut out);
    // Collapse the blank lines that nested blocks leave behind.
    let mut text = String::with_capacity(out.len());
    for line in out.lines() {
        let l = line.trim();
        if !l.is_empty() {
            text.push_str(l);
            text.push('\n');
        }
    }
    (text, title)
}

/// One JSON Lines record; only `text` is required.
#[derive(Debug, Deserialize)]
pub struct JsonlRecord {
    pub id: Option<serde_json::Value>,
    pub text: Option<String>,
    pub date: Option<String>,
    pub title: Option<String>,
    pub source: Option<String>,
    pub lang: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_front_matter() {
        let (fm, body) = front_matter("---\ndate: 2025-09-05\ntitle: \"T\"\nlang: zh\n---\n正文");
        assert_eq!(fm.date.as_deref(), Some("2025-09-05"));
        assert_eq!(fm.title.as_deref(), Some("T"));
        assert_eq!(&"---\ndate: 2025-09-05\ntitle: \"T\"\nlang: zh\n---\n正文"[body..], "正文");
        assert_eq!(front_matter("正文\n---").1, 0);
        assert_eq!(front_matter("---\nnot front matter\n---\n").1, 0);
        assert_eq!(front_matter("---\ndate: 2025\n").1, 0);
    }

    #[test]
    fn strips_html() {
        let (t, title) = html_to_text(
            "<html><head><title>标题</title><style>p{}</style></head><body><p>谷歌&amp;微软</p><script>var x=1;</script><div>第二段</div></body></html>",
        );
        assert_eq!(t, "谷歌&微软\n第二段\n");
        assert_eq!(title.as_deref(), Some("标题"));
    }
}
