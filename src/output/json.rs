//! The JSON record of a document (one line of `documents.jsonl`), written by hand.
//!
//! The very bytes of `serde_json::to_writer(doc)` (compact, fields in declaration order,
//! serde_json's escaping and its `arbitrary_precision` numbers), written to the same
//! writer in about as many pieces, without serde's per-field dispatch and with a string
//! scan eight bytes at a time: on one-line documents (65 bytes of text, a record of a few
//! hundred bytes) serde's writer was about 3.5 % of the instructions of a `--threads 1`
//! run. The rare part, the input fields under `meta` (arbitrary JSON values), is still
//! written by serde_json. The tests below hold the writer to serde_json's bytes.

use std::io::{self, Write};

use crate::document::{Amount, DateItem, Document, Entity, Fact, Mention};
use crate::num::{decimal_digits, Num};

/// Writes the JSON record of `doc` (no newline) to `out`: byte for byte what
/// `serde_json::to_writer(out, doc)` writes.
pub fn write_document<W: Write>(out: &mut W, doc: &Document) -> io::Result<()> {
    out.write_all(b"{\"id\":")?;
    write_str(out, &doc.id)?;
    out.write_all(b",\"path\":")?;
    write_str(out, &doc.path)?;
    out.write_all(b",\"encoding\":")?;
    write_str(out, &doc.encoding)?;
    out.write_all(b",\"script\":\"")?;
    out.write_all(doc.script.as_str().as_bytes())?;
    out.write_all(b"\",\"doc_date\":")?;
    write_opt_str(out, doc.doc_date.as_deref())?;
    out.write_all(b",\"date_source\":\"")?;
    out.write_all(doc.date_source.as_str().as_bytes())?;
    out.write_all(b"\",\"chars\":")?;
    write_usize(out, doc.chars)?;
    out.write_all(b",\"status\":\"")?;
    out.write_all(doc.status.as_str().as_bytes())?;
    out.write_all(b"\",\"error\":")?;
    write_opt_str(out, doc.error.as_deref())?;
    out.write_all(b",\"title\":")?;
    write_opt_str(out, doc.title.as_deref())?;
    out.write_all(b",\"source\":")?;
    write_opt_str(out, doc.source.as_deref())?;
    out.write_all(b",\"url\":")?;
    write_opt_str(out, doc.url.as_deref())?;
    if !doc.meta.is_empty() {
        out.write_all(b",\"meta\":")?;
        serde_json::to_writer(&mut *out, &doc.meta).map_err(io::Error::other)?;
    }
    if !doc.warnings.is_empty() {
        out.write_all(b",\"warnings\":")?;
        write_list(out, &doc.warnings, |out, w| write_str(out, w))?;
    }
    out.write_all(b",\"entities\":")?;
    write_list(out, &doc.entities, write_entity)?;
    out.write_all(b",\"amounts\":")?;
    write_list(out, &doc.amounts, write_amount)?;
    out.write_all(b",\"dates\":")?;
    write_list(out, &doc.dates, write_date)?;
    out.write_all(b",\"facts\":")?;
    write_list(out, &doc.facts, write_fact)?;
    out.write_all(b"}")
}

fn write_entity<W: Write>(out: &mut W, e: &Entity) -> io::Result<()> {
    out.write_all(b"{\"id\":")?;
    write_str(out, &e.id)?;
    out.write_all(b",\"type\":\"")?;
    out.write_all(e.kind.as_str().as_bytes())?;
    out.write_all(b"\",\"name\":")?;
    write_str(out, &e.name)?;
    out.write_all(b",\"name_en\":")?;
    write_opt_str(out, e.name_en.as_deref())?;
    out.write_all(b",\"mentions\":")?;
    write_list(out, &e.mentions, write_mention)?;
    out.write_all(b"}")
}

fn write_mention<W: Write>(out: &mut W, m: &Mention) -> io::Result<()> {
    out.write_all(b"{\"text\":")?;
    write_str(out, &m.text)?;
    write_span(out, m.start, m.end)?;
    out.write_all(b"}")
}

fn write_amount<W: Write>(out: &mut W, a: &Amount) -> io::Result<()> {
    out.write_all(b"{\"kind\":\"")?;
    out.write_all(a.kind.as_str().as_bytes())?;
    out.write_all(b"\",\"text\":")?;
    write_str(out, &a.text)?;
    write_span(out, a.start, a.end)?;
    out.write_all(b",\"value\":")?;
    write_opt_num(out, a.value)?;
    out.write_all(b",\"max\":")?;
    write_opt_num(out, a.max)?;
    out.write_all(b",\"unit\":")?;
    write_opt_str(out, a.unit.as_deref())?;
    out.write_all(b",\"display\":")?;
    write_opt_str(out, a.display.as_deref())?;
    out.write_all(b",\"qualifier\":\"")?;
    out.write_all(a.qualifier.as_str().as_bytes())?;
    out.write_all(b"\",\"role\":")?;
    write_opt_str(out, a.role.map(|r| r.as_str()))?;
    out.write_all(b",\"subject\":")?;
    write_opt_str(out, a.subject.as_deref())?;
    out.write_all(b",\"subject_id\":")?;
    write_opt_str(out, a.subject_id.as_deref())?;
    out.write_all(b"}")
}

fn write_date<W: Write>(out: &mut W, d: &DateItem) -> io::Result<()> {
    out.write_all(b"{\"kind\":\"")?;
    out.write_all(d.kind.as_str().as_bytes())?;
    out.write_all(b"\",\"text\":")?;
    write_str(out, &d.text)?;
    write_span(out, d.start, d.end)?;
    out.write_all(b",\"value\":")?;
    write_opt_str(out, d.value.as_deref())?;
    out.write_all(b",\"end_value\":")?;
    write_opt_str(out, d.end_value.as_deref())?;
    out.write_all(b",\"granularity\":")?;
    write_opt_str(out, d.granularity.as_deref())?;
    out.write_all(if d.relative {
        b",\"relative\":true}"
    } else {
        b",\"relative\":false}"
    })
}

fn write_fact<W: Write>(out: &mut W, f: &Fact) -> io::Result<()> {
    out.write_all(b"{\"id\":")?;
    write_str(out, &f.id)?;
    out.write_all(b",\"type\":\"")?;
    out.write_all(f.kind.as_str().as_bytes())?;
    out.write_all(b"\",\"subject\":")?;
    write_opt_str(out, f.subject.as_deref())?;
    out.write_all(b",\"object\":")?;
    write_opt_str(out, f.object.as_deref())?;
    out.write_all(b",\"subject_id\":")?;
    write_opt_str(out, f.subject_id.as_deref())?;
    out.write_all(b",\"object_id\":")?;
    write_opt_str(out, f.object_id.as_deref())?;
    out.write_all(b",\"value\":")?;
    write_opt_num(out, f.value)?;
    out.write_all(b",\"unit\":")?;
    write_opt_str(out, f.unit.as_deref())?;
    out.write_all(b",\"display\":")?;
    write_opt_str(out, f.display.as_deref())?;
    out.write_all(b",\"percent\":")?;
    write_opt_num(out, f.percent)?;
    out.write_all(b",\"date\":")?;
    write_opt_str(out, f.date.as_deref())?;
    out.write_all(b",\"evidence\":")?;
    write_str(out, &f.evidence)?;
    write_span(out, f.start, f.end)?;
    out.write_all(b"}")
}

/// `,"start":S,"end":E`.
fn write_span<W: Write>(out: &mut W, start: usize, end: usize) -> io::Result<()> {
    out.write_all(b",\"start\":")?;
    write_usize(out, start)?;
    out.write_all(b",\"end\":")?;
    write_usize(out, end)
}

/// `[a,b,...]`, `[]` when empty.
fn write_list<W: Write, T>(
    out: &mut W,
    items: &[T],
    mut item: impl FnMut(&mut W, &T) -> io::Result<()>,
) -> io::Result<()> {
    let Some((first, rest)) = items.split_first() else {
        return out.write_all(b"[]");
    };
    out.write_all(b"[")?;
    item(out, first)?;
    for x in rest {
        out.write_all(b",")?;
        item(out, x)?;
    }
    out.write_all(b"]")
}

fn write_opt_str<W: Write>(out: &mut W, s: Option<&str>) -> io::Result<()> {
    match s {
        Some(s) => write_str(out, s),
        None => out.write_all(b"null"),
    }
}

/// A number as `Num`'s serde writes it: its plain decimal ([`Num::plain_decimal`]), which
/// serde_json's `arbitrary_precision` numbers keep as written.
fn write_opt_num<W: Write>(out: &mut W, n: Option<Num>) -> io::Result<()> {
    let Some(n) = n else {
        return out.write_all(b"null");
    };
    let mut buf = [0u8; 39];
    let p = n.plain_decimal(&mut buf);
    if p.negative {
        out.write_all(b"-")?;
    }
    out.write_all(p.integer)?;
    if p.point {
        out.write_all(b".")?;
        for _ in 0..p.zeros {
            out.write_all(b"0")?;
        }
        out.write_all(p.fraction)?;
    }
    Ok(())
}

fn write_usize<W: Write>(out: &mut W, v: usize) -> io::Result<()> {
    let mut buf = [0u8; 39];
    out.write_all(decimal_digits(v as u128, &mut buf))
}

/// A JSON string as serde_json writes it: `"` and `\` escaped, the control characters
/// below U+0020 as `\b \t \n \f \r` or `\u00XX` (lower-case hex), everything else
/// (U+007F, U+2028, characters beyond the BMP) as is.
fn write_str<W: Write>(out: &mut W, s: &str) -> io::Result<()> {
    let bytes = s.as_bytes();
    out.write_all(b"\"")?;
    if is_plain(bytes) {
        out.write_all(bytes)?;
    } else {
        write_escaped(out, bytes)?;
    }
    out.write_all(b"\"")
}

/// Whether a byte must be escaped in a JSON string (as serde_json escapes).
const fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// Whether eight bytes (as one word) hold one to escape: one below 0x20, a quote or a
/// backslash. Exact as to whether there is one (not as to where).
const fn word_needs_escape(w: u64) -> bool {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGH: u64 = ONES << 7;
    /// Some byte of `w` is below `n` (for `n` up to 0x80).
    const fn any_below(w: u64, n: u8) -> bool {
        w.wrapping_sub(ONES * n as u64) & !w & HIGH != 0
    }
    any_below(w, 0x20)
        || any_below(w ^ (ONES * b'"' as u64), 1)
        || any_below(w ^ (ONES * b'\\' as u64), 1)
}

/// Whether no byte of `bytes` needs escaping, eight bytes at a time; the last (or only)
/// word is the last eight bytes, overlapping the one before, or the bytes padded with
/// spaces.
fn is_plain(bytes: &[u8]) -> bool {
    let word = |chunk: &[u8]| {
        let mut w = [b' '; 8];
        w[..chunk.len()].copy_from_slice(chunk);
        u64::from_ne_bytes(w)
    };
    if bytes.len() <= 8 {
        return !word_needs_escape(word(bytes));
    }
    let mut chunks = bytes.chunks_exact(8);
    if chunks.any(|c| word_needs_escape(word(c))) {
        return false;
    }
    !word_needs_escape(word(&bytes[bytes.len() - 8..]))
}

/// `bytes` escaped.
#[cold]
fn write_escaped<W: Write>(out: &mut W, bytes: &[u8]) -> io::Result<()> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if !needs_escape(b) {
            continue;
        }
        out.write_all(&bytes[start..i])?;
        let short: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            _ => b"",
        };
        if short.is_empty() {
            out.write_all(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xf)],
            ])?;
        } else {
            out.write_all(short)?;
        }
        start = i + 1;
    }
    out.write_all(&bytes[start..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::*;

    fn serde_bytes(doc: &Document) -> String {
        serde_json::to_string(doc).expect("serde")
    }

    fn hand_bytes(doc: &Document) -> String {
        let mut out = Vec::new();
        write_document(&mut out, doc).expect("write");
        String::from_utf8(out).expect("utf-8")
    }

    /// Strings that need escaping or that serde_json leaves alone.
    const AWKWARD: &[&str] = &[
        "",
        "plain",
        "\"quoted\" and \\back\\slashed\\",
        "\u{0}\u{1}\u{7}\u{8}\t\n\u{b}\u{c}\r\u{e}\u{1f} \u{7f}",
        "line\u{2028}para\u{2029}end",
        "non-BMP 😀𠀀 and 中文，全角",
        "\u{feff}bom\u{fffd}replacement",
        "</script>&<>'",
        "\\u0041 not an escape",
    ];

    fn awkward_document() -> Document {
        let s = |i: usize| AWKWARD[i % AWKWARD.len()].to_string();
        let mut meta = serde_json::Map::new();
        meta.insert("z first".into(), serde_json::json!(s(3)));
        meta.insert(
            "a".into(),
            serde_json::json!([1, 2.5, null, true, {"k": s(4)}]),
        );
        meta.insert(
            "big".into(),
            serde_json::from_str("123456789012345678901234567890.000").expect("number"),
        );
        let num = |m: i128, scale: u32| Num::new(m, scale);
        Document {
            id: s(2),
            path: s(3),
            encoding: s(5),
            script: Script::Mixed,
            doc_date: Some("2025-06-01".into()),
            date_source: DateSource::FrontMatter,
            chars: 123_456,
            status: Status::Failed,
            error: Some(s(4)),
            title: Some(s(6)),
            source: None,
            url: Some(s(7)),
            meta,
            warnings: AWKWARD.iter().map(|w| w.to_string()).collect(),
            entities: vec![
                Entity {
                    id: "E1".into(),
                    kind: EntityType::Org,
                    name: s(5),
                    name_en: Some(s(2)),
                    mentions: vec![
                        Mention {
                            text: s(3),
                            start: 0,
                            end: usize::MAX,
                            nspan: (1, 2),
                        },
                        Mention::default(),
                    ],
                },
                Entity {
                    id: String::new(),
                    kind: EntityType::Person,
                    name: String::new(),
                    name_en: None,
                    mentions: Vec::new(),
                },
            ],
            amounts: vec![
                Amount {
                    kind: AmountKind::Money,
                    text: s(4),
                    start: 7,
                    end: 19,
                    value: Some(Num::from_int(14_300_000_000)),
                    max: num(-325, 2),
                    unit: Some("USD".into()),
                    display: Some("USD 14.3B".into()),
                    qualifier: Qualifier::Approx,
                    role: Some(AmountRole::Investment),
                    subject: Some(s(2)),
                    subject_id: Some("E1".into()),
                    nspan: (0, 0),
                },
                Amount::new(AmountKind::Percent, (0, 0)),
                Amount {
                    value: num(5, 18),
                    max: Some(Num::from_int(i128::MIN)),
                    ..Amount::new(AmountKind::Quantity, (0, 0))
                },
                Amount {
                    value: Some(Num::from_int(i128::MAX)),
                    max: num(-1, 3),
                    qualifier: Qualifier::Range,
                    ..Amount::new(AmountKind::Number, (0, 0))
                },
            ],
            dates: vec![
                DateItem {
                    value: Some("2025-Q3".into()),
                    end_value: Some(s(1)),
                    granularity: Some("quarter".into()),
                    relative: true,
                    text: s(3),
                    ..DateItem::new(DateKind::Range, (0, 0))
                },
                DateItem::new(DateKind::Duration, (0, 0)),
            ],
            facts: vec![
                Fact {
                    id: "F1".into(),
                    kind: FactType::FundingRound,
                    subject: Some(s(3)),
                    object: None,
                    subject_id: Some("E1; E2".into()),
                    object_id: None,
                    value: num(12345, 1),
                    unit: Some("CNY".into()),
                    display: None,
                    percent: num(49, 0),
                    date: Some("2025".into()),
                    evidence: s(4),
                    start: 3,
                    end: 4,
                    nspan: (0, 0),
                },
                Fact {
                    id: String::new(),
                    kind: FactType::Ipo,
                    subject: None,
                    object: Some(s(8)),
                    subject_id: None,
                    object_id: Some(String::new()),
                    value: None,
                    unit: None,
                    display: Some(s(6)),
                    percent: num(0, 0),
                    date: None,
                    evidence: String::new(),
                    start: 0,
                    end: 0,
                    nspan: (0, 0),
                },
            ],
        }
    }

    #[test]
    fn strings_are_escaped_as_serde_json_does() {
        for s in AWKWARD {
            let mut out = Vec::new();
            write_str(&mut out, s).expect("write");
            assert_eq!(out, serde_json::to_vec(s).expect("serde"), "{s:?}");
        }
        // Every code point below 0x80 alone, and a sample above.
        for c in (0u32..0x80).chain([0x7ff, 0x800, 0xffff, 0x10000, 0x10ffff]) {
            let s = char::from_u32(c).expect("char").to_string();
            let mut out = Vec::new();
            write_str(&mut out, &s).expect("write");
            assert_eq!(out, serde_json::to_vec(&s).expect("serde"), "U+{c:04X}");
        }
    }

    /// The word-at-a-time scan answers as a byte-by-byte one, wherever in a word (or in the
    /// overlapping last word) the byte to escape falls, after multi-byte characters, at
    /// every length.
    #[test]
    fn plain_is_that_of_a_byte_scan() {
        let base = "abc中文😀 defghijklmnopqrstuvwxyz";
        for special in [
            '"', '\\', '\u{0}', '\u{1f}', '\n', ' ', '\u{7f}', '\u{2028}',
        ] {
            for at in 0..=base.len() {
                if !base.is_char_boundary(at) {
                    continue;
                }
                let s = format!("{}{special}{}", &base[..at], &base[at..]);
                for s in [s.as_str(), &s[at..], &s[..at + special.len_utf8()]] {
                    let by_byte = !s.bytes().any(needs_escape);
                    assert_eq!(is_plain(s.as_bytes()), by_byte, "{s:?}");
                }
            }
        }
        for n in 0..40 {
            assert!(is_plain("a".repeat(n).as_bytes()));
            assert!(!is_plain(format!("{}\n", "a".repeat(n)).as_bytes()));
        }
    }

    #[test]
    fn numbers_are_written_as_serde_json_does() {
        let mut nums = vec![
            Num::ZERO,
            Num::from_int(1),
            Num::from_int(-1),
            Num::from_int(i128::MAX),
            Num::from_int(i128::MIN),
        ];
        for (m, scale) in [
            (5, 1),
            (-5, 1),
            (5, 18),
            (-123_456_789, 4),
            (100, 2),
            (i128::MAX, 18),
            (i128::MIN, 18),
            (1, 9),
            (10, 0),
        ] {
            nums.extend(Num::new(m, scale));
        }
        for n in nums {
            let mut out = Vec::new();
            write_opt_num(&mut out, Some(n)).expect("write");
            assert_eq!(
                String::from_utf8(out).expect("utf-8"),
                serde_json::to_string(&n).expect("serde"),
                "{n:?}"
            );
        }
    }

    #[test]
    fn an_awkward_document_is_written_as_serde_json_does() {
        let doc = awkward_document();
        assert_eq!(hand_bytes(&doc), serde_bytes(&doc));
        // Empty meta and warnings are left out; empty lists are `[]`.
        let empty = Document::default();
        assert_eq!(hand_bytes(&empty), serde_bytes(&empty));
        let mut no_meta = awkward_document();
        no_meta.meta.clear();
        no_meta.warnings.clear();
        assert_eq!(hand_bytes(&no_meta), serde_bytes(&no_meta));
        for script in [Script::Hans, Script::Hant, Script::Latin] {
            for status in [Status::Ok] {
                for source in [
                    DateSource::Cli,
                    DateSource::Jsonl,
                    DateSource::Inferred,
                    DateSource::None,
                ] {
                    let d = Document {
                        script,
                        status,
                        date_source: source,
                        ..Document::default()
                    };
                    assert_eq!(hand_bytes(&d), serde_bytes(&d));
                }
            }
        }
    }

    /// Every fact type, amount role, kind and qualifier name as serde writes it.
    #[test]
    fn every_named_value_is_written_as_serde_json_does() {
        let mut doc = awkward_document();
        doc.facts = FactType::ALL
            .iter()
            .map(|&kind| Fact {
                kind,
                ..doc.facts[0].clone()
            })
            .collect();
        let kinds = [
            AmountKind::Money,
            AmountKind::Percent,
            AmountKind::Quantity,
            AmountKind::Number,
        ];
        let qualifiers = [
            Qualifier::Exact,
            Qualifier::Approx,
            Qualifier::Over,
            Qualifier::Under,
            Qualifier::Range,
            Qualifier::Vague,
        ];
        doc.amounts = AmountRole::ALL
            .iter()
            .enumerate()
            .map(|(i, &role)| Amount {
                role: Some(role),
                kind: kinds[i % kinds.len()],
                qualifier: qualifiers[i % qualifiers.len()],
                ..doc.amounts[0].clone()
            })
            .collect();
        for kind in [EntityType::Person, EntityType::Org, EntityType::Loc] {
            doc.entities[1].kind = kind;
            doc.dates[1].kind = DateKind::Date;
            assert_eq!(hand_bytes(&doc), serde_bytes(&doc));
        }
    }

    /// The records of the corpus documents, processed, are serde_json's bytes.
    #[test]
    fn corpus_records_are_written_as_serde_json_does() {
        let pipeline = crate::Pipeline::new(crate::Config::default()).expect("pipeline");
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut files: Vec<_> = std::fs::read_dir(&corpus)
            .expect("corpus/")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        let mut checked = 0;
        let mut with_items = 0;
        for path in files {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let mut source = crate::Source::from_text(path.display().to_string(), text);
            source.meta.lang = Some("zh".into());
            let doc = pipeline.process(&source);
            assert_eq!(hand_bytes(&doc), serde_bytes(&doc), "{}", path.display());
            checked += 1;
            with_items += usize::from(!doc.entities.is_empty() && !doc.amounts.is_empty());
        }
        assert!(checked >= 5 && with_items >= 3, "{checked} {with_items}");
    }
}
