//! Document formats: front matter of text files, HTML to text, JSON Lines records.

use scraper::{Html, Node};

/// Front matter (`---` / `key: value` lines / `---`) at the top of a text file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    pub date: Option<String>,
    pub title: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub lang: Option<String>,
    pub id: Option<String>,
    /// Every other field (front matter keys, JSONL fields), kept for `documents.jsonl`.
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// Parses front matter; returns it and the byte offset where the body starts.
/// A file without a well-formed block has no front matter and a body at 0.
pub(crate) fn front_matter(text: &str) -> (FrontMatter, usize) {
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
        let key = k.trim().to_ascii_lowercase();
        match key.as_str() {
            "date" => fm.date = v,
            "title" => fm.title = v,
            "source" => fm.source = v,
            "url" | "link" => fm.url = v,
            "lang" | "language" => fm.lang = v,
            "id" => fm.id = v,
            _ => {
                if let Some(v) = v {
                    fm.extra
                        .insert(k.trim().to_string(), serde_json::Value::String(v));
                }
            }
        }
        pos = next;
    }
    (FrontMatter::default(), 0)
}

const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "head", "iframe", "object",
];
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "pre",
    "table",
    "ul",
    "ol",
    "dd",
    "dt",
    "hr",
    "figcaption",
    "td",
    "th",
    "title",
];

/// Visible text of an HTML page: scripts and styles dropped, entities decoded, block
/// elements on their own lines, and runs of source whitespace inside a block collapsed to
/// one space as a browser shows them (`<pre>` keeps its lines). Also returns the `<title>`.
pub fn html_to_text(html: &str) -> (String, Option<String>) {
    // The HTML tree builder looks through the open elements for every tag, which is
    // quadratic in the nesting depth (100,000 nested <div>s took minutes). Deeper than any
    // real page (browsers stop laying out at 512), the markup is first flattened: each tag
    // becomes a paragraph break, and the parser then only decodes entities.
    let flat;
    let html = if nesting_depth(html) > MAX_HTML_DEPTH {
        flat = flatten_tags(html);
        flat.as_str()
    } else {
        html
    };
    let doc = Html::parse_document(html);
    let mut out = String::with_capacity(html.len() / 2);
    let title = doc
        .root_element()
        .descendants()
        .find_map(|n| {
            n.value()
                .as_element()
                .filter(|e| e.name() == "title")
                .and(Some(n))
        })
        .map(|n| {
            n.descendants()
                .filter_map(|d| d.value().as_text().map(|t| t.to_string()))
                .collect::<String>()
        })
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty());
    // Iterative walk: deeply nested (or maliciously broken) markup must not overflow the stack.
    enum Step<'a> {
        Enter(ego_tree::NodeRef<'a, Node>, bool),
        Leave { block: bool, pre: bool },
    }
    let mut stack = vec![Step::Enter(doc.tree.root(), false)];
    while let Some(step) = stack.pop() {
        match step {
            Step::Leave { block, pre } => {
                if (block || pre) && !out.ends_with('\n') {
                    out.push('\n');
                }
            }
            Step::Enter(node, in_pre) => match node.value() {
                Node::Text(t) => push_text(&mut out, t, in_pre),
                Node::Element(e) if SKIPPED.contains(&e.name()) => {}
                Node::Element(e) => {
                    let name = e.name();
                    let pre = name == "pre" || name == "textarea";
                    let block = BLOCKS.contains(&name);
                    if (block || pre) && !out.ends_with('\n') && !out.is_empty() {
                        out.push('\n');
                    }
                    stack.push(Step::Leave { block, pre });
                    for child in node.children().rev() {
                        stack.push(Step::Enter(child, in_pre || pre));
                    }
                }
                Node::Document | Node::Fragment => {
                    for child in node.children().rev() {
                        stack.push(Step::Enter(child, in_pre));
                    }
                }
                _ => {}
            },
        }
    }
    // Trim every line and drop the blank lines that nested blocks leave behind.
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

/// Nesting beyond which HTML is flattened before parsing (see [`html_to_text`]).
const MAX_HTML_DEPTH: usize = 512;

/// Elements that never hold others, or that the parser closes by itself when the next one
/// starts (`<p>`, `<li>`): they do not deepen the tree.
const NOT_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option",
];

/// The greatest depth of nested start tags, estimated in one pass (end tags close one
/// level each; comments and void or self-closing tags do not count).
fn nesting_depth(html: &str) -> usize {
    let bytes = html.as_bytes();
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut i = 0;
    // The next `>` at or after some position, found once and reused while still ahead, so
    // a run of `<a<a<a…` with no `>` is not rescanned for every `<`.
    let mut next_gt: Option<usize> = None;
    let mut no_more_gt = false;
    while let Some(k) = memchr_lt(&bytes[i..]) {
        let at = i + k;
        i = at + 1;
        match bytes.get(at + 1) {
            Some(b'/') => depth = depth.saturating_sub(1),
            Some(c) if c.is_ascii_alphabetic() => {
                let name_end = bytes[at + 1..]
                    .iter()
                    .position(|b| !b.is_ascii_alphanumeric())
                    .map_or(bytes.len(), |n| at + 1 + n);
                let name = html
                    .get(at + 1..name_end)
                    .unwrap_or("")
                    .to_ascii_lowercase();
                if !no_more_gt && next_gt.is_none_or(|g| g < name_end) {
                    next_gt = bytes[name_end..]
                        .iter()
                        .position(|&b| b == b'>')
                        .map(|c| name_end + c);
                    no_more_gt = next_gt.is_none();
                }
                let self_closing = next_gt.is_some_and(|g| g > 0 && bytes[g - 1] == b'/');
                if !self_closing && !NOT_NESTING.contains(&name.as_str()) {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
            }
            _ => {}
        }
    }
    deepest
}

/// The first `needle` (an end tag, ASCII) in `hay`, in any case.
fn find_end_tag(hay: &str, needle: &str) -> Option<usize> {
    hay.match_indices("</").map(|(i, _)| i).find(|&i| {
        hay.as_bytes()
            .get(i..i + needle.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
    })
}

fn memchr_lt(hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&b| b == b'<')
}

/// Every tag (`<…>`) replaced by `<p>` (a paragraph the parser closes by itself at the
/// next one: a flat tree, each piece of text on its own line); text, entities and comments
/// are left for the parser. `<script>` and `<style>` content goes with them.
fn flatten_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        let lower_head: String = after
            .chars()
            .take(8)
            .collect::<String>()
            .to_ascii_lowercase();
        let skip_to = if lower_head.starts_with("<script") {
            find_end_tag(after, "</script").map(|e| e + 1)
        } else if lower_head.starts_with("<style") {
            find_end_tag(after, "</style").map(|e| e + 1)
        } else {
            Some(0)
        };
        let Some(from) = skip_to else {
            return out;
        };
        match after[from..].find('>') {
            Some(close) => {
                out.push_str("<p>");
                rest = &after[from + close + 1..];
            }
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

/// Appends a text node: whitespace runs become one space, except inside `<pre>`. A line
/// break between two Chinese characters is dropped instead, as browsers do (hard-wrapped
/// Chinese source must not gain spaces inside words).
fn push_text(out: &mut String, t: &str, pre: bool) {
    if pre {
        out.push_str(t);
        return;
    }
    // Some(had_newline) while inside a whitespace run.
    let mut run: Option<bool> = None;
    for c in t.chars() {
        if c.is_ascii_whitespace() {
            run = Some(run.unwrap_or(false) || c == '\n');
            continue;
        }
        if let Some(had_newline) = run.take() {
            let joins_han =
                had_newline && out.chars().next_back().is_some_and(is_wide) && is_wide(c);
            if !joins_han && !out.is_empty() && !out.ends_with([' ', '\n']) {
                out.push(' ');
            }
        }
        out.push(c);
    }
    if run.is_some() && !out.is_empty() && !out.ends_with([' ', '\n']) {
        out.push(' ');
    }
}

/// Chinese characters and full-width punctuation, between which a source line break is no space.
fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x2FFFF)
}

/// The character encoding an HTML page declares in its first kilobytes
/// (`<meta charset="gbk">`, `content="text/html; charset=big5"`, or an XML prolog's
/// `encoding="gbk"`), if any.
pub(crate) fn declared_html_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    let find = |key: &[u8]| {
        lower
            .windows(key.len())
            .position(|w| w == key)
            .map(|i| i + key.len())
    };
    // XHTML may declare it in the XML prolog instead: <?xml version="1.0" encoding="gbk"?>.
    let prolog = if lower.starts_with(b"<?xml") {
        find(b"encoding=")
    } else {
        None
    };
    let at = find(b"charset=").or(prolog)?;
    let rest = &lower[at..];
    let rest = rest
        .strip_prefix(b"\"")
        .or_else(|| rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let len = rest
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':')))
        .unwrap_or(rest.len());
    encoding_rs::Encoding::for_label(&rest[..len])
}

/// Which JSON fields hold a record's text, id, date, title, url and source: the first
/// name of each list that the record has. The defaults accept the names scraped corpora
/// use (see the README's table); `--text-field` and friends replace a list by one name.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonlFields {
    pub text: Vec<String>,
    pub id: Vec<String>,
    pub date: Vec<String>,
    pub title: Vec<String>,
    pub url: Vec<String>,
    pub source: Vec<String>,
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

impl Default for JsonlFields {
    fn default() -> Self {
        JsonlFields {
            text: names(&["text", "content", "body", "article"]),
            id: names(&["id", "uid", "doc_id", "docid", "guid"]),
            date: names(&[
                "date",
                "published",
                "published_at",
                "publish_date",
                "pub_date",
            ]),
            title: names(&["title", "headline"]),
            url: names(&["url", "link"]),
            source: names(&["source", "site", "publisher"]),
        }
    }
}

impl JsonlFields {
    /// Only `name` holds the text (`--text-field`).
    pub fn text_field(mut self, name: &str) -> Self {
        self.text = vec![name.to_string()];
        self
    }

    /// Only `name` holds the id (`--id-field`).
    pub fn id_field(mut self, name: &str) -> Self {
        self.id = vec![name.to_string()];
        self
    }

    /// Only `name` holds the date (`--date-field`).
    pub fn date_field(mut self, name: &str) -> Self {
        self.date = vec![name.to_string()];
        self
    }
}

/// One JSON Lines record; only the text is required.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct JsonlRecord {
    pub id: Option<String>,
    pub text: String,
    pub date: Option<String>,
    pub title: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub lang: Option<String>,
    /// The record's other fields, as given.
    pub meta: serde_json::Map<String, serde_json::Value>,
    /// Fields present but of the wrong type, ignored.
    pub warnings: Vec<String>,
    /// Why the line cannot be used as a document.
    pub error: Option<String>,
}

/// Parses one JSON line. `error` is set, as a sentence a user can act on, when the line
/// cannot be used; the `id` is still kept when the object has one, so the failure is
/// reported under the name the user gave the document.
#[cfg(test)]
pub(crate) fn parse_jsonl_record(line: &str) -> JsonlRecord {
    parse_jsonl_record_with(line, &JsonlFields::default())
}

/// [`parse_jsonl_record`] reading the fields named in `fields`.
pub(crate) fn parse_jsonl_record_with(line: &str, fields: &JsonlFields) -> JsonlRecord {
    parse_string_record(line, fields).unwrap_or_else(|| parse_any_record(line, fields))
}

/// The fields of a JSON object whose values are all strings, in order, its keys all
/// different and at most [`MAX_STRING_FIELDS`]; any other JSON fails to deserialise as this.
struct StringFields(Vec<(String, String)>);

/// The most fields a record read as [`StringFields`] may have (news records have a handful).
const MAX_STRING_FIELDS: usize = 32;

impl<'de> serde::Deserialize<'de> for StringFields {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Fields;
        impl<'de> serde::de::Visitor<'de> for Fields {
            type Value = StringFields;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of strings")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<StringFields, A::Error> {
                let mut fields: Vec<(String, String)> = Vec::with_capacity(4);
                while let Some(key) = map.next_key::<String>()? {
                    // The repeated-key test is quadratic: a record of many fields is left
                    // to the `Value` reading, whose map is not.
                    if fields.len() >= MAX_STRING_FIELDS {
                        return Err(serde::de::Error::custom("many fields"));
                    }
                    if fields.iter().any(|(k, _)| *k == key) {
                        return Err(serde::de::Error::custom("a repeated key"));
                    }
                    let value = map.next_value::<String>()?;
                    fields.push((key, value));
                }
                Ok(StringFields(fields))
            }
        }
        d.deserialize_map(Fields)
    }
}

/// [`parse_jsonl_record_with`] of the usual record, an object of string fields (with
/// different keys) that has a text: the fields read into a short list instead of a
/// `serde_json::Value` (whose map, a hash table for a handful of keys, cost half of what
/// reading a one-line record did), and taken from it as [`parse_any_record`] takes them
/// from the map, the list standing for the map: the same record, and the same order of
/// the fields left under `meta` (serde_json's `Map::remove` with `preserve_order` moves
/// the last entry into the removed one's place, as `Vec::swap_remove` does). `None` for
/// any other line, which [`parse_any_record`] reads (and words the error of).
fn parse_string_record(line: &str, fields: &JsonlFields) -> Option<JsonlRecord> {
    let StringFields(mut obj) = serde_json::from_str(line).ok()?;
    let rec = JsonlRecord {
        id: take_string_field(&fields.id, &mut obj),
        date: take_string_field(&fields.date, &mut obj),
        title: take_string_field(&fields.title, &mut obj),
        source: take_string_field(&fields.source, &mut obj),
        url: take_string_field(&fields.url, &mut obj),
        lang: take_string_field(&["lang"], &mut obj),
        text: {
            let at = fields
                .text
                .iter()
                .find_map(|n| obj.iter().position(|(k, _)| k == n))?;
            obj.swap_remove(at).1
        },
        ..JsonlRecord::default()
    };
    Some(JsonlRecord {
        meta: obj
            .into_iter()
            .map(|(k, v)| (k, serde_json::Value::String(v)))
            .collect(),
        ..rec
    })
}

/// The first of `names` present in `obj`, removed from it; a blank string counts as absent.
fn take_string_field<S: AsRef<str>>(
    names: &[S],
    obj: &mut Vec<(String, String)>,
) -> Option<String> {
    let at = names
        .iter()
        .find_map(|n| obj.iter().position(|(k, _)| k == n.as_ref()))?;
    let (_, v) = obj.swap_remove(at);
    (!v.trim().is_empty()).then_some(v)
}

/// [`parse_jsonl_record_with`] of any line, through a `serde_json::Value`.
fn parse_any_record(line: &str, fields: &JsonlFields) -> JsonlRecord {
    let mut rec = JsonlRecord::default();
    let value: serde_json::Value = match serde_json::from_str(line) {
        Ok(v) => v,
        Err(e) => {
            // serde_json says "at line 1 column N"; within one record only the column helps.
            let msg = e.to_string();
            let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
            rec.error = Some(format!(
                "malformed JSON line ({msg}, at column {}); each line must be one JSON object with a \"text\" field",
                e.column()
            ));
            return rec;
        }
    };
    let serde_json::Value::Object(mut obj) = value else {
        rec.error = Some(
            "JSON line is not an object: each line must be one JSON object with a \"text\" field"
                .into(),
        );
        return rec;
    };
    // The first of `names` present (null and blank strings count as absent).
    let mut field = |names: &[String], rec: &mut JsonlRecord| -> Option<String> {
        let name = names.iter().find(|n| obj.contains_key(n.as_str()))?.clone();
        match obj.remove(&name)? {
            serde_json::Value::String(v) if !v.trim().is_empty() => Some(v),
            serde_json::Value::Number(n) if fields.id.contains(&name) => Some(n.to_string()),
            serde_json::Value::Null | serde_json::Value::String(_) => None,
            other => {
                rec.warnings.push(format!(
                    "JSON field \"{name}\" is {}, not a string; ignored",
                    kind_of(&other)
                ));
                None
            }
        }
    };
    rec.id = field(&fields.id, &mut rec);
    rec.date = field(&fields.date, &mut rec);
    rec.title = field(&fields.title, &mut rec);
    rec.source = field(&fields.source, &mut rec);
    rec.url = field(&fields.url, &mut rec);
    rec.lang = field(&["lang".to_string()], &mut rec);
    let text_name = fields
        .text
        .iter()
        .find(|n| obj.contains_key(n.as_str()))
        .cloned();
    match text_name.as_ref().and_then(|n| obj.remove(n)) {
        Some(serde_json::Value::String(t)) => rec.text = t,
        None | Some(serde_json::Value::Null) => {
            let wanted = fields.text.first().map(String::as_str).unwrap_or("text");
            let others = fields.text.get(1..).unwrap_or_default();
            let nor = if others.is_empty() {
                String::new()
            } else {
                format!(" (nor {})", others.join(", "))
            };
            rec.error = Some(format!(
                "JSON line has no \"{wanted}\" field{nor}: nothing to extract (choose the text field with --text-field NAME)"
            ))
        }
        Some(other) => {
            rec.error = Some(format!(
                "JSON line's \"{}\" is {}, not a string",
                text_name.as_deref().unwrap_or("text"),
                kind_of(&other)
            ))
        }
    }
    rec.meta = obj;
    rec
}

fn kind_of(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The short-list reading of string records gives the record (and the order of the
    /// fields under `meta`) that reading through a `serde_json::Value` gives, for the
    /// default field names and for chosen ones that overlap; every other line is left to
    /// the `Value` reading.
    #[test]
    fn string_records_are_read_as_values_are() {
        let lines = [
            r#"{"id":"a1","text":"谷歌宣布投资。"}"#,
            r#"{"text":"t","id":"x","title":"T","url":"u","source":"s","date":"2025-01-02","lang":"zh"}"#,
            r#"{"a":"1","b":"2","id":"x","c":"3","text":"t","d":"4","title":"T","e":"5"}"#,
            r#"{"z":"1","uid":"u","doc_id":"d","content":"c","text":"t","headline":"h","link":"l"}"#,
            r#"{"id":"  ","title":"","text":"   ","lang":" "}"#,
            r#"{"body":"b","article":"a","k":"\u00e9\n\"q\"\\","id":"\ud83d\ude00"}"#,
            r#" { "text" : "spaced" , "id" : "s" } "#,
            r#"{"text":"t","id":"x","id":"y"}"#,
            r#"{"text":"t","id":5}"#,
            r#"{"text":"t","id":null}"#,
            r#"{"text":null}"#,
            r#"{"text":"t","tags":["a"],"n":{"k":1}}"#,
            r#"{"id":"x"}"#,
            r#"{}"#,
            r#"["text"]"#,
            r#""text""#,
            r#"{"text":"t"} trailing"#,
            r#"{"text":"t\ud800"}"#,
            "{bad",
            r#"{"text":"t","published":"p","publish_date":"q","site":"s","publisher":"r","guid":"g"}"#,
        ];
        let mut chosen = JsonlFields::default()
            .text_field("body")
            .id_field("text")
            .date_field("id");
        chosen.title = vec!["z".into(), "a".into(), "b".into()];
        chosen.url = vec!["d".into(), "lang".into()];
        let mut fast = 0;
        for fields in [JsonlFields::default(), chosen] {
            for line in lines {
                let any = parse_any_record(line, &fields);
                let got = parse_jsonl_record_with(line, &fields);
                assert_eq!(got, any, "{line}");
                let keys = |r: &JsonlRecord| r.meta.keys().cloned().collect::<Vec<_>>();
                assert_eq!(keys(&got), keys(&any), "{line}");
                if let Some(r) = parse_string_record(line, &fields) {
                    assert_eq!((keys(&r), &r), (keys(&any), &any), "{line}");
                    fast += 1;
                }
            }
        }
        assert!(fast >= 8, "{fast}");
    }

    /// A record of many string fields (a repeated key far down, or none) is read through
    /// the `Value` map, whose look-ups are not quadratic, and gives the same record.
    #[test]
    fn records_of_many_fields_are_read_as_values_are() {
        let fields = JsonlFields::default();
        for n in [MAX_STRING_FIELDS - 2, MAX_STRING_FIELDS, 5000] {
            let mut line = String::from(r#"{"text":"t""#);
            for i in 0..n {
                line.push_str(&format!(r#","k{i}":"v{i}""#));
            }
            let plain = format!("{line}}}");
            let repeated = format!(r#"{line},"k0":"again"}}"#);
            for l in [&plain, &repeated] {
                let short = parse_string_record(l, &fields);
                assert_eq!(short.is_some(), n < MAX_STRING_FIELDS && l == &plain, "{n}");
                let any = parse_any_record(l, &fields);
                assert_eq!(parse_jsonl_record_with(l, &fields), any, "{n}");
                let keys = |r: &JsonlRecord| r.meta.keys().cloned().collect::<Vec<_>>();
                assert_eq!(
                    keys(&parse_jsonl_record_with(l, &fields)),
                    keys(&any),
                    "{n}"
                );
            }
        }
    }

    #[test]
    fn parses_front_matter() {
        let (fm, body) = front_matter("---\ndate: 2025-09-05\ntitle: \"T\"\nlang: zh\n---\n正文");
        assert_eq!(fm.date.as_deref(), Some("2025-09-05"));
        assert_eq!(fm.title.as_deref(), Some("T"));
        assert_eq!(
            &"---\ndate: 2025-09-05\ntitle: \"T\"\nlang: zh\n---\n正文"[body..],
            "正文"
        );
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

    #[test]
    fn html_whitespace_is_collapsed_like_a_browser() {
        let (t, _) = html_to_text("<p>Alphabet said\n    on  Tuesday</p><p>谷歌\n宣布</p><pre>a\n  b</pre><p>x <b>bold</b>y</p>");
        assert_eq!(t, "Alphabet said on Tuesday\n谷歌宣布\na\nb\nx boldy\n");
    }

    #[test]
    fn broken_and_deep_html_does_not_panic() {
        let (t, _) = html_to_text("<p>a &amp; b<div><p>nested</div></span></b>broken<script>x");
        assert_eq!(t, "a & b\nnested\nbroken\n");
        let deep = format!(
            "{}deep{}",
            "<div><span>".repeat(3_000),
            "</span></div>".repeat(3_000)
        );
        assert_eq!(html_to_text(&deep).0, "deep\n");
    }

    #[test]
    fn very_deep_html_is_flattened_in_linear_time() {
        let deep = format!(
            "<html><head><title>T</title><script>if (a<b) x()</script></head><body>{}<p>腾讯 &amp; 阿里</p>{}<STYLE>p{{}}</STYLE>end</body></html>",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        );
        assert!(nesting_depth(&deep) > MAX_HTML_DEPTH);
        let started = std::time::Instant::now();
        let (text, _) = html_to_text(&deep);
        assert_eq!(text, "T\n腾讯 & 阿里\nend\n");
        // Quadratic parsing took minutes; this is a bound, not a benchmark.
        assert!(started.elapsed().as_secs() < 20);
        // Real pages are far shallower and parsed as they are.
        let page = format!("{}x{}", "<div><p>a".repeat(40), "</div>".repeat(40));
        assert!(nesting_depth(&page) <= MAX_HTML_DEPTH);
        assert_eq!(
            nesting_depth("<div><DIV class=x><br/><img src=x><p>a</div>"),
            2
        );
        assert_eq!(nesting_depth("<div><div></div><div></div>"), 2);
        // A run of `<a` with no `>` anywhere is estimated in one pass.
        assert!(nesting_depth(&"<a ".repeat(200_000)) > MAX_HTML_DEPTH);
    }

    #[test]
    fn jsonl_records() {
        let r = parse_jsonl_record(
            r#"{"id": 7, "text": "谷歌", "date": "2025-09-05", "title": ["x"]}"#,
        );
        assert_eq!(
            (r.id.as_deref(), r.text.as_str(), r.date.as_deref()),
            (Some("7"), "谷歌", Some("2025-09-05"))
        );
        assert_eq!((r.warnings.len(), r.error), (1, None));
        let e = parse_jsonl_record("{bad").error.unwrap();
        assert!(
            e.starts_with("malformed JSON line (key must be a string, at column 2)"),
            "{e}"
        );
        let r = parse_jsonl_record(r#"{"id": "x"}"#);
        assert_eq!(r.id.as_deref(), Some("x"));
        assert!(r.error.unwrap().contains("no \"text\""));
        assert!(parse_jsonl_record(r#"{"text": 5}"#)
            .error
            .unwrap()
            .contains("a number"));
        assert!(parse_jsonl_record(r#"["text"]"#)
            .error
            .unwrap()
            .contains("not an object"));
    }

    #[test]
    fn finds_declared_charset() {
        assert_eq!(
            declared_html_charset(b"<meta charset=\"GBK\">"),
            Some(encoding_rs::GBK)
        );
        assert_eq!(
            declared_html_charset(
                b"<meta http-equiv=Content-Type content='text/html; charset=big5'>"
            ),
            Some(encoding_rs::BIG5)
        );
        assert_eq!(
            declared_html_charset(b"<?xml version=\"1.0\" encoding=\"gb2312\"?><html>"),
            Some(encoding_rs::GBK)
        );
        assert_eq!(declared_html_charset(b"<p>no charset</p>"), None);
    }

    proptest::proptest! {
        #[test]
        fn any_text_parses_without_panic(text in "(---\\n)?(\\PC|\\n|:|<|>|&|\\{|\\}|\"){0,200}") {
            let (_, body) = front_matter(&text);
            proptest::prop_assert!(text.is_char_boundary(body));
            let _ = html_to_text(&text);
            let _ = parse_jsonl_record(&text);
        }
    }
}
