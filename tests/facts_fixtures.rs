//! Fact extraction measured on hand-written news paragraphs (`tests/fixtures/facts.jsonl`):
//! both languages and scripts, every fact type, the mechanisms of clause chains, pronoun
//! subjects, lists, losses and periods, and negatives (forecasts, plans, rumours, denials,
//! withdrawn offers, market capitalisations, buybacks, dividends, capital spending) that must
//! yield nothing.
//!
//! A fixture line: `id`, `text`, `facts` (each `type`, `subject` and `object` as lists of
//! names, `value`, `unit`, `percent`, `date`), `persons` (the people among the names) and,
//! optionally, `orgs` (further organisations the paragraph names that are in no fact: the
//! distractors the oracle run below must see). The conventions are those of
//! `../shared/data/README.md` §1b: a loss is a negative profit, revenue and profit dates are
//! the period covered, each investor of a round is its own investment fact.
//!
//! Each paragraph runs through the full pipeline (document date 2025-09-05). A produced fact
//! matches an expected one when the type is the same, the subject and object name sets
//! agree (order-insensitive, case- and space-insensitive, `name` or `name_en`, one name
//! containing the other, `a|b` alternatives in the fixture; for partnership and contract
//! the two sides in either order), and value (with unit, when given) and percent agree
//! where the fixture gives them; expected and produced facts are
//! paired by maximum bipartite matching. Prints per-type and overall precision, recall and
//! F1, the misses, the false positives and the wrong dates of matched facts, and fails
//! below the `[fixtures]` floors of `tests/facts_floors.toml` (precision, recall, F1, and
//! the share of expected dates right on matched facts).
//!
//! A second run replaces the recognised entities with the fixture's own names (every
//! occurrence of every expected subject/object name, `persons` and `orgs` in the normalised
//! text; `persons` are PERSON, the rest ORG) and re-runs only the facts stage: it measures
//! the frames apart from entity recognition, against the `[fixtures_oracle]` floors.
//!
//! Run: `cargo test --release --test facts_fixtures -- --nocapture`

mod facts_support;

use std::collections::BTreeMap;

use facts_support::{below_floors, floors, matching, Tally};
use newsfacts::{Config, Document, EntityType, Pipeline, Source};
use serde_json::Value;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/facts.jsonl");
/// The document date every fixture paragraph is read with.
const DOC_DATE: &str = "2025-09-05";

fn fixtures() -> Vec<Value> {
    let src =
        std::fs::read_to_string(FIXTURES).unwrap_or_else(|e| panic!("cannot read {FIXTURES}: {e}"));
    src.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| {
            serde_json::from_str(l)
                .unwrap_or_else(|e| panic!("{FIXTURES}:{}: not a JSON line: {e}", n + 1))
        })
        .collect()
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn norm(s: &str) -> String {
    s.to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Both spellings (name, name_en) of the entity named `name` in the document.
fn spellings(doc: &Document, name: &str) -> Vec<String> {
    let mut v = vec![norm(name)];
    if let Some(e) = doc.entities.iter().find(|e| e.name == name) {
        if let Some(en) = &e.name_en {
            v.push(norm(en));
        }
    }
    v
}

/// Does a produced spelling name the expected entity? Equal, or one contains the other
/// (联想 for 联想集团, Cisco for Cisco Systems: canonical names may drop a suffix).
fn same_name(got: &str, want: &str) -> bool {
    got == want
        || (got.chars().count() >= 2
            && want.chars().count() >= 2
            && (got.contains(want) || want.contains(got)))
}

/// Expected names may list alternatives: `辉达|英伟达`.
fn side_matches(doc: &Document, produced: Option<&str>, expected: &Value) -> bool {
    let want: Vec<Vec<String>> = strings(expected)
        .iter()
        .map(|w| w.split('|').map(norm).collect())
        .collect();
    let got: Vec<Vec<String>> = produced
        .map(|p| p.split("; ").map(|n| spellings(doc, n)).collect())
        .unwrap_or_default();
    want.len() == got.len()
        && want.iter().all(|alts| {
            got.iter()
                .any(|g| g.iter().any(|gs| alts.iter().any(|w| same_name(gs, w))))
        })
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() <= 0.005 * b.abs().max(1e-9))
}

/// Items (facts, amounts) in their JSON form (SPEC §4), the contract users read: the tests
/// keep to its field names, whatever types the library uses inside.
fn as_json<T: serde::Serialize>(items: &[T]) -> Vec<Value> {
    items
        .iter()
        .map(|x| serde_json::to_value(x).expect("an item serialises"))
        .collect()
}

/// A JSON number field as a float (exact decimal text parsed once).
fn number(f: &Value, key: &str) -> Option<f64> {
    match &f[key] {
        Value::Number(n) => n.to_string().parse().ok(),
        _ => None,
    }
}

/// Types whose two sides are parties alike (party and counterparty): either order matches.
const SYMMETRIC: &[&str] = &["partnership", "contract"];

fn fact_matches(doc: &Document, f: &Value, e: &Value) -> bool {
    let kind = f["type"].as_str().unwrap_or("");
    let sides = |subject: Option<&str>, object: Option<&str>| {
        side_matches(doc, subject, &e["subject"]) && side_matches(doc, object, &e["object"])
    };
    let (subject, object) = (f["subject"].as_str(), f["object"].as_str());
    kind == e["type"].as_str().unwrap_or("")
        && (sides(subject, object) || (SYMMETRIC.contains(&kind) && sides(object, subject)))
        && e["value"].as_f64().is_none_or(|v| {
            close(number(f, "value"), v)
                && (e["unit"].is_null() || f["unit"].as_str() == e["unit"].as_str())
        })
        && e["percent"]
            .as_f64()
            .is_none_or(|p| close(number(f, "percent"), p))
}

/// One produced fact (JSON form) on one line.
fn show(f: &Value) -> String {
    let field = |k: &str| match &f[k] {
        Value::Null => "-".to_string(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    format!(
        "{} {} -> {} value={} {} pct={} date={}",
        field("type"),
        field("subject"),
        field("object"),
        field("value"),
        field("unit"),
        field("percent"),
        field("date")
    )
}

/// The names a fixture paragraph gives, each as it occurs in the normalised text (the
/// first `a|b` alternative that occurs), with its kind; `None` for a name none of whose
/// alternatives occurs (a defect of the fixture).
fn fixture_names(rec: &Value, normalized: &str) -> Vec<(String, Option<String>, EntityType)> {
    let persons = strings(&rec["persons"]);
    let mut out: Vec<(String, Option<String>, EntityType)> = Vec::new();
    let mut add = |written: &str, kind: EntityType| {
        if out.iter().any(|(w, _, _)| w == written) {
            return;
        }
        let found = written
            .split('|')
            .find(|alt| normalized.contains(alt))
            .map(str::to_string);
        out.push((written.to_string(), found, kind));
    };
    for f in rec["facts"].as_array().into_iter().flatten() {
        for side in ["subject", "object"] {
            for n in strings(&f[side]) {
                let person = persons.contains(&n.split('|').next().unwrap_or(n));
                add(
                    n,
                    if person {
                        EntityType::Person
                    } else {
                        EntityType::Org
                    },
                );
            }
        }
    }
    for n in persons {
        add(n, EntityType::Person);
    }
    for n in strings(&rec["orgs"]) {
        add(n, EntityType::Org);
    }
    out
}

/// The document with entities taken from the fixture, facts re-extracted.
fn with_oracle_entities(mut doc: Document, rec: &Value) -> Document {
    use newsfacts::{Entity, Mention};
    let text = rec["text"].as_str().unwrap_or("");
    let normalized = newsfacts::normalize::normalize(text);
    let seg = newsfacts::segment::segment(&normalized.text, true);
    let mut names: Vec<(String, EntityType)> = fixture_names(rec, &normalized.text)
        .into_iter()
        .filter_map(|(_, found, kind)| found.map(|n| (n, kind)))
        .collect();
    // Longer names first, so "Intel" does not claim part of a longer name's span.
    names.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
    doc.entities.clear();
    let mut taken: Vec<(usize, usize)> = Vec::new();
    for (n, kind) in names {
        let mentions: Vec<Mention> = normalized
            .text
            .match_indices(n.as_str())
            .map(|(s, m)| (s, s + m.len()))
            .filter(|&(s, e)| !taken.iter().any(|t| t.0 < e && s < t.1))
            .map(Mention::at)
            .collect();
        if mentions.is_empty() {
            continue;
        }
        taken.extend(mentions.iter().map(|m| m.nspan));
        doc.entities.push(Entity {
            id: format!("E{}", doc.entities.len() + 1),
            kind,
            name: n,
            name_en: None,
            mentions,
        });
    }
    doc.facts.clear();
    let ctx = newsfacts::recognize::Context {
        text: &normalized.text,
        seg: &seg,
        doc_date: newsfacts::parse_iso_date(DOC_DATE),
        numbers: false,
    };
    newsfacts::facts::extract(&ctx, &mut doc);
    doc
}

/// The figures of one run over the fixture.
struct Score {
    overall: Tally,
    dates_right: usize,
    dates_expected: usize,
}

impl Score {
    fn dates(&self) -> f64 {
        if self.dates_expected == 0 {
            1.0
        } else {
            self.dates_right as f64 / self.dates_expected as f64
        }
    }
}

/// A fixture line that cannot be scored is a defect of the fixture, not a low score: ids
/// are unique, types are SPEC types, and every name (some `a|b` alternative of it) occurs
/// in the normalised paragraph, so that the oracle run can place it.
#[test]
fn fixture_lines_are_well_formed() {
    let recs = fixtures();
    let mut problems = Vec::new();
    let mut ids = std::collections::HashSet::new();
    for rec in &recs {
        let id = rec["id"].as_str().unwrap_or("");
        if id.is_empty() || !ids.insert(id.to_string()) {
            problems.push(format!("{id:?}: missing or repeated id"));
        }
        let text = rec["text"].as_str().unwrap_or("");
        if text.trim().is_empty() {
            problems.push(format!("{id}: no text"));
        }
        for f in rec["facts"].as_array().into_iter().flatten() {
            let ty = f["type"].as_str().unwrap_or("");
            if newsfacts::FactType::parse(ty).is_none() {
                problems.push(format!("{id}: unknown fact type {ty:?}"));
            }
            if strings(&f["subject"]).is_empty() {
                problems.push(format!("{id}: a {ty} fact without subject"));
            }
        }
        let normalized = newsfacts::normalize::normalize(text).text;
        for (written, found, _) in fixture_names(rec, &normalized) {
            if found.is_none() {
                problems.push(format!(
                    "{id}: the name {written:?} does not occur in the normalised text"
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "fixture defects in {FIXTURES}:\n{}",
        problems.join("\n")
    );
}

/// Runs the fixture through the pipeline (and the oracle when asked); prints the tables.
fn measure(oracle: bool) -> Score {
    let label = if oracle {
        "oracle entities"
    } else {
        "full pipeline"
    };
    let pipeline = Pipeline::new(Config::default()).expect("pipeline");
    let mut by_type: BTreeMap<String, Tally> = BTreeMap::new();
    let (mut dates_right, mut dates_expected) = (0, 0);
    let recs = fixtures();
    for rec in &recs {
        let id = rec["id"].as_str().unwrap_or("?");
        let doc = pipeline.process(
            &Source::from_text(id, rec["text"].as_str().unwrap_or("")).with_date(DOC_DATE),
        );
        let doc = if oracle {
            with_oracle_entities(doc, rec)
        } else {
            doc
        };
        let expected = rec["facts"].as_array().cloned().unwrap_or_default();
        let produced = as_json(&doc.facts);
        let adj: Vec<Vec<usize>> = expected
            .iter()
            .map(|e| {
                (0..produced.len())
                    .filter(|&j| fact_matches(&doc, &produced[j], e))
                    .collect()
            })
            .collect();
        let pairs = matching(&adj, produced.len());
        let mut pred_of = vec![None; expected.len()];
        let mut used = vec![false; produced.len()];
        for &(i, j) in &pairs {
            pred_of[i] = Some(j);
            used[j] = true;
        }
        for (e, hit) in expected.iter().zip(&pred_of) {
            let tally = by_type
                .entry(e["type"].as_str().unwrap_or("?").to_string())
                .or_default();
            let Some(j) = *hit else {
                tally.fn_ += 1;
                println!("[{label}] MISS {id}: {e}");
                continue;
            };
            tally.tp += 1;
            if let Some(d) = e["date"].as_str() {
                dates_expected += 1;
                if produced[j]["date"].as_str() == Some(d) {
                    dates_right += 1;
                } else {
                    println!(
                        "[{label}] DATE {id}: expected {d}, got {}",
                        show(&produced[j])
                    );
                }
            }
        }
        for (f, _) in produced.iter().zip(&used).filter(|(_, u)| !**u) {
            let kind = f["type"].as_str().unwrap_or("?").to_string();
            by_type.entry(kind).or_default().fp += 1;
            println!("[{label}] FALSE {id}: {}", show(f));
        }
    }
    let mut overall = Tally::default();
    println!("fact scores, {label}:");
    println!(
        "{:<14} {:>4} {:>4} {:>4} {:>6} {:>6} {:>6}",
        "type", "tp", "fp", "fn", "P", "R", "F1"
    );
    for (ty, t) in &by_type {
        let (p, r, f) = t.prf();
        println!(
            "{ty:<14} {:>4} {:>4} {:>4} {p:>6.3} {r:>6.3} {f:>6.3}",
            t.tp, t.fp, t.fn_
        );
        overall.add(*t);
    }
    let (p, r, f) = overall.prf();
    println!(
        "{:<14} {:>4} {:>4} {:>4} {p:>6.3} {r:>6.3} {f:>6.3}",
        "overall", overall.tp, overall.fp, overall.fn_
    );
    let score = Score {
        overall,
        dates_right,
        dates_expected,
    };
    println!(
        "dates right on matched facts: {dates_right}/{dates_expected}; paragraphs: {}",
        recs.len()
    );
    assert!(recs.len() >= 40, "the fixture needs at least 40 paragraphs");
    score
}

/// Checks a run against the floors of `section`, printing the measured figures in the
/// floors file's own form so that they can be copied there.
fn check_floors(section: &str, score: &Score) {
    let (p, r, f) = score.overall.prf();
    let measured = [
        (format!("{section}.precision"), p),
        (format!("{section}.recall"), r),
        (format!("{section}.f1"), f),
        (format!("{section}.dates"), score.dates()),
    ];
    println!("measured, for tests/facts_floors.toml:\n[{section}]");
    for (key, v) in &measured {
        println!("{} = {v:.4}", key.rsplit('.').next().unwrap_or(key));
    }
    let measured: Vec<(&str, f64)> = measured.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let failures = below_floors(&floors(), &measured);
    assert!(failures.is_empty(), "{}", failures.join("; "));
}

#[test]
fn facts_on_fixture_paragraphs() {
    check_floors("fixtures", &measure(false));
}

#[test]
fn facts_on_fixture_paragraphs_with_oracle_entities() {
    check_floors("fixtures_oracle", &measure(true));
}

/// The seed article (SPEC §5) with its entities given: the facts stage alone must find
/// every expected fact and amount role. Its disclaimer footer (本站鄭重聲明…投資有風險) must
/// yield nothing: normalisation drops it, no fact or amount of the full pipeline or of the
/// facts stage points into it, and the footer read on its own (where normalisation keeps
/// it, as it is not in the second half of a document) gives no fact either.
#[test]
fn seed_facts_with_oracle_entities() {
    use newsfacts::{Entity, Mention};
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/corpus/scale-ai-v-mercor.zh-Hant.txt"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!("the seed article {path} is missing ({e}): run from the project beside ../shared")
    });
    let pipeline = Pipeline::new(Config::default()).expect("pipeline");
    let mut doc =
        pipeline.process(&Source::from_text("seed", text.clone()).with_date("2025-09-05"));
    let pipeline_facts = as_json(&std::mem::take(&mut doc.facts));
    let norm = newsfacts::normalize::normalize(&text);
    let seg = newsfacts::segment::segment(&norm.text, true);
    let ents: &[(&str, EntityType, &[&str])] = &[
        ("Eugene Ling", EntityType::Person, &["Eugene", "Ling"]),
        ("Tom Channick", EntityType::Person, &[]),
        ("米德哈", EntityType::Person, &[]),
        ("马斯克", EntityType::Person, &[]),
        ("Scale AI", EntityType::Org, &[]),
        ("Mercor", EntityType::Org, &[]),
        ("Meta", EntityType::Org, &[]),
        ("谷歌", EntityType::Org, &[]),
        ("OpenAI", EntityType::Org, &[]),
        ("微软", EntityType::Org, &[]),
        ("xAI", EntityType::Org, &[]),
        ("Alphabet", EntityType::Org, &[]),
        ("TBD Labs", EntityType::Org, &[]),
        ("Surge", EntityType::Org, &[]),
        ("LinkedIn", EntityType::Org, &[]),
    ];
    let mut taken: Vec<(usize, usize)> = Vec::new();
    doc.entities.clear();
    for (name, kind, forms) in ents {
        let mut mentions = Vec::new();
        for form in std::iter::once(name).chain(forms.iter()) {
            for (s, m) in norm.text.match_indices(form) {
                let sp = (s, s + m.len());
                if !taken.iter().any(|t| t.0 < sp.1 && sp.0 < t.1) {
                    taken.push(sp);
                    mentions.push(Mention::at(sp));
                }
            }
        }
        doc.entities.push(Entity {
            id: format!("E{}", doc.entities.len() + 1),
            kind: *kind,
            name: name.to_string(),
            name_en: None,
            mentions,
        });
    }
    let ctx = newsfacts::recognize::Context {
        text: &norm.text,
        seg: &seg,
        doc_date: newsfacts::parse_iso_date("2025-09-05"),
        numbers: false,
    };
    newsfacts::facts::extract(&ctx, &mut doc);
    let facts = as_json(&doc.facts);
    let amounts = as_json(&doc.amounts);
    for f in &facts {
        println!("{}", show(f));
    }
    let has = |ty: &str,
               subj: &str,
               obj: &[&str],
               value: Option<f64>,
               pct: Option<f64>,
               date: Option<&str>| {
        facts.iter().any(|f| {
            let objs: Vec<&str> = f["object"]
                .as_str()
                .map(|o| o.split("; ").collect())
                .unwrap_or_default();
            f["type"].as_str() == Some(ty)
                && f["subject"]
                    .as_str()
                    .is_some_and(|s| s.split("; ").any(|x| x == subj))
                && obj.iter().all(|o| objs.contains(o))
                && value.is_none_or(|v| close(number(f, "value"), v))
                && pct.is_none_or(|p| close(number(f, "percent"), p))
                && date.is_none_or(|d| f["date"].as_str() == Some(d))
        })
    };
    let rows = [
        (
            has(
                "lawsuit",
                "Scale AI",
                &["Eugene Ling", "Mercor"],
                None,
                None,
                Some("2025-09-03"),
            ),
            "lawsuit Scale AI -> Eugene Ling; Mercor 2025-09-03",
        ),
        (
            has(
                "investment",
                "Meta",
                &["Scale AI"],
                Some(14.3e9),
                Some(49.0),
                Some("2025-06"),
            ),
            "investment Meta -> Scale AI USD 14.3B 49% 2025-06",
        ),
        (
            has("valuation", "Scale AI", &[], Some(29e9), None, None),
            "valuation Scale AI USD 29B",
        ),
        (
            has("valuation", "Mercor", &[], Some(2e9), None, None),
            "valuation Mercor USD 2B",
        ),
        (
            has(
                "commission",
                "Mercor",
                &["Eugene Ling"],
                None,
                Some(20.0),
                None,
            ),
            "commission Mercor -> Eugene Ling 20%",
        ),
        (
            has("contract", "谷歌", &[], Some(2e8), None, None),
            "contract 谷歌 USD 200M",
        ),
        (
            has("hire", "Eugene Ling", &["Mercor"], None, None, None),
            "hire Eugene Ling -> Mercor",
        ),
        (
            has("departure", "Eugene Ling", &["Scale AI"], None, None, None),
            "departure Eugene Ling -> Scale AI",
        ),
    ];
    let role = |v: f64, want: &str| {
        amounts
            .iter()
            .any(|a| close(number(a, "value"), v) && a["role"].as_str() == Some(want))
    };
    let roles = [
        (role(14.3e9, "investment"), "143亿美元 investment"),
        (role(29e9, "valuation"), "290亿美元 valuation"),
        (role(5e6, "threshold"), "500万美元 threshold"),
        (role(2e8, "contract"), "2亿美元 contract"),
        (role(20.0, "commission"), "20% commission"),
        (role(49.0, "stake"), "49% stake"),
    ];
    let missing: Vec<&str> = rows
        .iter()
        .chain(roles.iter())
        .filter(|r| !r.0)
        .map(|r| r.1)
        .collect();
    assert!(missing.is_empty(), "seed rows missing: {missing:?}");

    // The footer, in original code points.
    let footer_byte = text.find("本站鄭重聲明").unwrap_or_else(|| {
        panic!("the seed article's disclaimer footer (本站鄭重聲明…) is gone: update this test")
    });
    let footer_at = text[..footer_byte].chars().count();
    assert!(
        norm.boilerplate_lines_removed >= 1 && !norm.text.contains("郑重声明"),
        "normalisation kept the seed article's disclaimer footer"
    );
    let end = |x: &Value| x["end"].as_u64().unwrap_or(u64::MAX) as usize;
    let from_footer: Vec<String> = pipeline_facts
        .iter()
        .filter(|f| end(f) > footer_at)
        .map(show)
        .chain(
            doc.facts
                .iter()
                .zip(&facts)
                .filter(|(f, _)| norm.map.to_original(f.nspan.0, f.nspan.1).1 > footer_at)
                .map(|(_, f)| show(f)),
        )
        .chain(
            amounts
                .iter()
                .filter(|a| end(a) > footer_at)
                .map(|a| format!("amount {}", a["text"])),
        )
        .collect();
    assert!(
        from_footer.is_empty(),
        "read from the disclaimer footer: {from_footer:?}"
    );
    let footer = text[footer_byte..].lines().next().unwrap_or("");
    assert!(
        newsfacts::normalize::normalize(footer)
            .text
            .contains("郑重声明"),
        "normalisation drops the footer even on its own: this check would see no text"
    );
    let alone = pipeline.process(&Source::from_text("footer", footer).with_date("2025-09-05"));
    let read: Vec<String> = as_json(&alone.facts).iter().map(show).collect();
    assert!(
        read.is_empty(),
        "facts read from the disclaimer's own words: {read:?}"
    );
}
