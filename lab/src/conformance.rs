//! The conformance runner: scores newsfacts against the peer test suites in
//! `../shared/conformance/` (Recognizers-Text and Duckling specs converted to JSON Lines).
//!
//! Scoring follows `shared/tools/conformance.py` exactly, so the two give the same numbers:
//! the scope of a file comes from its name (currency/money, percent, number/numeral,
//! date/time); a case passes when every in-scope expected item is matched by a distinct
//! predicted item (maximum bipartite matching), and a case that expects nothing passes when
//! no predicted item of the scope exists (for numbers: of kind `number` only). Values agree
//! within relative 1e-6 or absolute 1e-9; a money, percent or quantity amount whose value
//! (or max) agrees also counts for a number file (a number inside an amount is still found).
//! Dates, ranges and durations are scored with the same period arithmetic as the script.
//! Predictions are the SPEC JSON record of each case, so any record source can be scored.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{Datelike, Duration, NaiveDate};
use serde_json::Value;

use newsfacts::{parse_iso_date, Config, Pipeline, Source};

/// Document date when a case gives none (the script's `--default-date`).
pub const DEFAULT_DATE: &str = "2025-01-01";
const REL_TOL: f64 = 1e-6;
const ABS_TOL: f64 = 1e-9;

/// What a conformance file scores, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Money,
    Percent,
    Number,
    Dates,
}

impl Scope {
    fn amount_kind(self) -> &'static str {
        match self {
            Scope::Money => "money",
            Scope::Percent => "percent",
            Scope::Number => "number",
            Scope::Dates => "",
        }
    }
}

/// The scope of a conformance file, from its name (`None`: not a scored file).
pub fn file_scope(path: &Path) -> Option<Scope> {
    let name = path.file_name()?.to_string_lossy().to_lowercase();
    if name.contains("currency") || name.contains("money") {
        Some(Scope::Money)
    } else if name.contains("percent") {
        Some(Scope::Percent)
    } else if name.contains("number") || name.contains("numeral") {
        Some(Scope::Number)
    } else if name.contains("date") || name.contains("time") {
        Some(Scope::Dates)
    } else {
        None
    }
}

/// The shared conformance folder (`../shared/conformance` from the repository root).
pub fn default_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("..")
        .join("shared")
        .join("conformance")
}

/// One case of a file.
#[derive(Debug, Clone)]
pub struct Case {
    pub id: String,
    pub input: String,
    pub reference_date: Option<String>,
    pub expect: Vec<Value>,
}

fn in_scope(expect: &[Value], scope: Scope) -> Vec<Value> {
    expect
        .iter()
        .filter(|e| {
            let k = e.get("kind").and_then(Value::as_str).unwrap_or("");
            match scope {
                Scope::Dates => matches!(k, "date" | "range" | "duration"),
                s => k == s.amount_kind(),
            }
        })
        .cloned()
        .collect()
}

/// The cases of a file that are scored (cases whose expectations are all out of scope,
/// e.g. only `time`, are dropped as the script does).
pub fn load_cases(path: &Path) -> Result<Vec<Case>, String> {
    let scope = file_scope(path)
        .ok_or_else(|| format!("{}: not a conformance file name", path.display()))?;
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut cases = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: Value =
            serde_json::from_str(line).map_err(|e| format!("{}:{}: {e}", path.display(), n + 1))?;
        let expect: Vec<Value> = v
            .get("expect")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if !expect.is_empty() && in_scope(&expect, scope).is_empty() {
            continue;
        }
        cases.push(Case {
            id: v
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            input: v
                .get("input")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            reference_date: v
                .get("reference_date")
                .and_then(Value::as_str)
                .map(str::to_string),
            expect,
        });
    }
    Ok(cases)
}

// ---------------------------------------------------------------- values

fn to_float(v: Option<&Value>) -> Option<f64> {
    match v? {
        Value::Number(n) => n.as_f64().or_else(|| n.to_string().parse().ok()),
        Value::String(s) => s.replace(',', "").trim().parse().ok(),
        _ => None,
    }
}

fn num_eq(a: Option<&Value>, b: Option<&Value>) -> bool {
    match (to_float(a), to_float(b)) {
        (Some(a), Some(b)) => {
            a == b || (a - b).abs() <= (REL_TOL * a.abs().max(b.abs())).max(ABS_TOL)
        }
        _ => false,
    }
}

fn iso_str(v: Option<&Value>) -> Option<String> {
    v?.as_str()
        .map(|s| s.trim().to_uppercase())
        .filter(|s| !s.is_empty())
}

fn month_end(first: NaiveDate) -> Option<NaiveDate> {
    let (y, m) = if first.month() == 12 {
        (first.year() + 1, 1)
    } else {
        (first.year(), first.month() + 1)
    };
    Some(NaiveDate::from_ymd_opt(y, m, 1)? - Duration::days(1))
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// An ISO value -> (first day, last day, granularity): YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Qn,
/// YYYY-Hn, YYYY-Www.
fn iso_period(v: Option<&Value>) -> Option<(NaiveDate, NaiveDate, &'static str)> {
    let s = iso_str(v)?;
    let parts: Vec<&str> = s.split('-').collect();
    match parts[..] {
        [y] if y.len() == 4 && all_digits(y) => {
            let y: i32 = y.parse().ok()?;
            Some((
                NaiveDate::from_ymd_opt(y, 1, 1)?,
                NaiveDate::from_ymd_opt(y, 12, 31)?,
                "year",
            ))
        }
        [y, m] if y.len() == 4 && all_digits(y) && m.len() == 2 && all_digits(m) => {
            let first = NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)?;
            Some((first, month_end(first)?, "month"))
        }
        [y, m, d]
            if y.len() == 4
                && all_digits(y)
                && m.len() == 2
                && all_digits(m)
                && d.len() == 2
                && all_digits(d) =>
        {
            let day = NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?;
            Some((day, day, "day"))
        }
        [y, q] if y.len() == 4 && all_digits(y) && q.len() == 2 => {
            let year: i32 = y.parse().ok()?;
            let (tag, n) = q.split_at(1);
            let n: u32 = n.parse().ok()?;
            match tag {
                "Q" if (1..=4).contains(&n) => Some((
                    NaiveDate::from_ymd_opt(year, 3 * n - 2, 1)?,
                    month_end(NaiveDate::from_ymd_opt(year, 3 * n, 1)?)?,
                    "quarter",
                )),
                "H" if (1..=2).contains(&n) => Some((
                    NaiveDate::from_ymd_opt(year, 6 * n - 5, 1)?,
                    month_end(NaiveDate::from_ymd_opt(year, 6 * n, 1)?)?,
                    "half",
                )),
                _ => None,
            }
        }
        [y, w]
            if y.len() == 4
                && all_digits(y)
                && w.len() == 3
                && w.starts_with('W')
                && all_digits(&w[1..]) =>
        {
            let monday = NaiveDate::from_isoywd_opt(
                y.parse().ok()?,
                w[1..].parse().ok()?,
                chrono::Weekday::Mon,
            )?;
            Some((monday, monday + Duration::days(6), "week"))
        }
        _ => None,
    }
}

/// ISO 8601 duration -> (months, seconds); years and months are not turned into days.
fn parse_duration(v: Option<&Value>) -> Option<(f64, f64)> {
    let s = iso_str(v)?.replace(',', ".");
    if s == "P" || s == "PT" {
        return None;
    }
    let body = s.strip_prefix('P')?;
    let (date, time) = match body.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (body, None),
    };
    // Designators must come in order, each at most once (the script's regex).
    fn fields(part: &str, order: &[char]) -> Option<Vec<(char, f64)>> {
        let mut out = Vec::new();
        let mut num = String::new();
        let mut pos = 0;
        for c in part.chars() {
            if c.is_ascii_digit() || c == '.' {
                num.push(c);
                continue;
            }
            let idx = order[pos..].iter().position(|&o| o == c)? + pos;
            if num.is_empty() {
                return None;
            }
            out.push((c, num.parse::<f64>().ok()?));
            num.clear();
            pos = idx + 1;
        }
        if !num.is_empty() {
            return None;
        }
        Some(out)
    }
    let d = fields(date, &['Y', 'M', 'W', 'D'])?;
    let t = match time {
        Some(t) => fields(t, &['H', 'M', 'S'])?,
        None => Vec::new(),
    };
    if d.is_empty() && t.is_empty() {
        return None;
    }
    let get = |v: &[(char, f64)], k: char| {
        v.iter()
            .find(|(c, _)| *c == k)
            .map(|(_, x)| *x)
            .unwrap_or(0.0)
    };
    let months = 12.0 * get(&d, 'Y') + get(&d, 'M');
    let seconds = 86400.0 * (7.0 * get(&d, 'W') + get(&d, 'D'))
        + 3600.0 * get(&t, 'H')
        + 60.0 * get(&t, 'M')
        + get(&t, 'S');
    Some((months, seconds))
}

fn f_eq(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= (REL_TOL * a.abs().max(b.abs())).max(ABS_TOL)
}

fn durations_equal(a: Option<&Value>, b: Option<&Value>) -> bool {
    if let (Some(x), Some(y)) = (iso_str(a), iso_str(b)) {
        if x == y {
            return true;
        }
    }
    match (parse_duration(a), parse_duration(b)) {
        (Some(x), Some(y)) => f_eq(x.0, y.0) && f_eq(x.1, y.1),
        _ => false,
    }
}

/// The unit of an expected range: from its timex (PnY/PnM/PnW/PnD, YYYY-Wnn), else granularity.
fn range_unit(e: &Value) -> String {
    let t = e.get("timex").and_then(Value::as_str).unwrap_or("");
    if let Some(inner) = t.strip_suffix(')') {
        if let Some(p) = inner.rfind(",P") {
            let spec = &inner[p + 2..];
            if let Some(last) = spec.chars().last() {
                let num = &spec[..spec.len() - 1];
                if !num.is_empty() && num.chars().all(|c| c.is_ascii_digit() || c == '.') {
                    match last {
                        'Y' => return "year".into(),
                        'M' => return "month".into(),
                        'W' => return "week".into(),
                        'D' => return "day".into(),
                        _ => {}
                    }
                }
            }
        }
    }
    if t.ends_with("-WE") {
        return "day".into();
    }
    let b = t.as_bytes();
    if t.len() == 8 && all_digits(&t[..4]) && b[4] == b'-' && b[5] == b'W' && all_digits(&t[6..]) {
        return "week".into();
    }
    e.get("granularity")
        .and_then(Value::as_str)
        .unwrap_or("day")
        .to_string()
}

// ---------------------------------------------------------------- predictions

/// A predicted item, normalised for matching.
#[derive(Debug, Clone)]
struct Pred {
    kind: String,
    value: Option<Value>,
    max: Option<Value>,
    unit: Option<Value>,
    end: Option<Value>,
    from_max: bool,
}

fn range_end(d: &Value) -> Option<Value> {
    let end = if d.get("end_value").is_some() {
        d.get("end_value")
    } else {
        d.get("end")
    };
    end.filter(|v| v.is_string()).cloned()
}

fn pred_kind_of_date(d: &Value) -> String {
    let kind = d
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_lowercase();
    if !kind.is_empty() {
        return kind;
    }
    if d.get("value")
        .and_then(Value::as_str)
        .is_some_and(|v| v.to_uppercase().starts_with('P'))
    {
        return "duration".into();
    }
    if range_end(d).is_some() {
        "range".into()
    } else {
        "date".into()
    }
}

fn candidates(rec: &Value, scope: Scope) -> Vec<Pred> {
    let mut out = Vec::new();
    let arr = |k: &str| {
        rec.get(k)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    if scope != Scope::Dates {
        for a in arr("amounts") {
            if !a.is_object() {
                continue;
            }
            let kind = a
                .get("kind")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_lowercase();
            let value = a.get("value").cloned();
            if scope == Scope::Number {
                if !matches!(kind.as_str(), "number" | "money" | "percent" | "quantity") {
                    continue;
                }
                out.push(Pred {
                    kind: kind.clone(),
                    value,
                    max: None,
                    unit: None,
                    end: None,
                    from_max: false,
                });
                if let Some(m) = a.get("max").filter(|m| !m.is_null()) {
                    out.push(Pred {
                        kind,
                        value: Some(m.clone()),
                        max: None,
                        unit: None,
                        end: None,
                        from_max: true,
                    });
                }
            } else if kind == scope.amount_kind() {
                let unit = a
                    .get("unit")
                    .filter(|u| !u.is_null() && u.as_str() != Some(""))
                    .or(a.get("currency"))
                    .cloned();
                out.push(Pred {
                    kind,
                    value,
                    max: a.get("max").cloned(),
                    unit,
                    end: None,
                    from_max: false,
                });
            }
        }
    } else {
        for d in arr("dates").into_iter().chain(arr("durations")) {
            if !d.is_object() {
                continue;
            }
            let kind = pred_kind_of_date(&d);
            if !matches!(kind.as_str(), "date" | "range" | "duration") {
                continue;
            }
            out.push(Pred {
                kind,
                value: d.get("value").cloned(),
                max: None,
                unit: None,
                end: range_end(&d),
                from_max: false,
            });
        }
    }
    out
}

fn scope_violations(rec: &Value, scope: Scope) -> usize {
    let c = candidates(rec, scope);
    if scope == Scope::Dates {
        return c.len();
    }
    c.iter()
        .filter(|p| p.kind == scope.amount_kind() && !p.from_max)
        .count()
}

// ---------------------------------------------------------------- matching

fn match_range(e: &Value, p: &Pred) -> bool {
    let (Some(s), Some(en)) = (
        e.get("value")
            .and_then(Value::as_str)
            .and_then(parse_iso_date),
        e.get("end")
            .and_then(Value::as_str)
            .and_then(parse_iso_date),
    ) else {
        return false;
    };
    let Some(pv) = iso_period(p.value.as_ref()) else {
        return false;
    };
    if pv.0 != s {
        return false;
    }
    let last_day = en - Duration::days(1);
    if p.kind == "date" {
        return p.end.is_none() && pv.1 == last_day;
    }
    if p.kind != "range" {
        return false;
    }
    let Some((first, last, gran)) = iso_period(p.end.as_ref()) else {
        return false;
    };
    if gran == "day" {
        return first == en || first == last_day;
    }
    last == last_day || (first == en && gran == range_unit(e))
}

fn match_item(e: &Value, p: &Pred, scope: Scope) -> bool {
    let kind = e.get("kind").and_then(Value::as_str).unwrap_or("");
    if scope == Scope::Number {
        return num_eq(p.value.as_ref(), e.get("value"));
    }
    match kind {
        "money" => {
            let pu = match &p.unit {
                Some(Value::String(s)) => s.to_uppercase(),
                Some(Value::Null) | None => String::new(),
                Some(other) => other.to_string().to_uppercase(),
            };
            let eu = e
                .get("unit")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_uppercase();
            if pu != eu || !num_eq(p.value.as_ref(), e.get("value")) {
                return false;
            }
            e.get("end").is_none_or(Value::is_null) || num_eq(p.max.as_ref(), e.get("end"))
        }
        "percent" => num_eq(p.value.as_ref(), e.get("value")),
        "date" => {
            p.kind == "date"
                && iso_str(p.value.as_ref()).is_some()
                && iso_str(p.value.as_ref()) == iso_str(e.get("value"))
        }
        "duration" => p.kind == "duration" && durations_equal(p.value.as_ref(), e.get("value")),
        "range" => match_range(e, p),
        _ => false,
    }
}

/// Maximum bipartite matching (Kuhn), golds tried fewest-options first as in the script.
fn max_matching(adj: &[Vec<usize>]) -> usize {
    fn assign(
        i: usize,
        adj: &[Vec<usize>],
        owner: &mut HashMap<usize, usize>,
        seen: &mut Vec<usize>,
    ) -> bool {
        for &j in &adj[i] {
            if seen.contains(&j) {
                continue;
            }
            seen.push(j);
            let free = match owner.get(&j).copied() {
                None => true,
                Some(o) => assign(o, adj, owner, seen),
            };
            if free {
                owner.insert(j, i);
                return true;
            }
        }
        false
    }
    let mut order: Vec<usize> = (0..adj.len()).collect();
    order.sort_by_key(|&k| adj[k].len());
    let mut owner = HashMap::new();
    for i in order {
        let mut seen = Vec::new();
        assign(i, adj, &mut owner, &mut seen);
    }
    owner.len()
}

/// How one case scored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseScore {
    pub passed: bool,
    pub expected: usize,
    pub matched: usize,
}

/// Scores one case against its SPEC JSON record (`None`: no record, the case fails).
pub fn score_case(case: &Case, rec: Option<&Value>, scope: Scope) -> CaseScore {
    let exp = in_scope(&case.expect, scope);
    let Some(rec) = rec else {
        return CaseScore {
            passed: false,
            expected: exp.len(),
            matched: 0,
        };
    };
    if exp.is_empty() {
        return CaseScore {
            passed: scope_violations(rec, scope) == 0,
            expected: 0,
            matched: 0,
        };
    }
    let preds = candidates(rec, scope);
    let adj: Vec<Vec<usize>> = exp
        .iter()
        .map(|e| {
            preds
                .iter()
                .enumerate()
                .filter(|(_, p)| match_item(e, p, scope))
                .map(|(j, _)| j)
                .collect()
        })
        .collect();
    let matched = max_matching(&adj);
    CaseScore {
        passed: matched == exp.len(),
        expected: exp.len(),
        matched,
    }
}

/// The result of one file.
#[derive(Debug, Clone)]
pub struct FileReport {
    pub file: String,
    pub cases: usize,
    pub passed: usize,
    pub items: usize,
    pub matched: usize,
    pub failed_ids: Vec<String>,
    /// Per case with an expected holiday: (holiday name, passed). Lets a caller report
    /// the rate without feasts of other calendars (issue 5 allows leaving those out).
    pub holidays: Vec<(String, bool)>,
}

impl FileReport {
    /// Pass rate in percent (print with `{:.1}`: ties to even, as the script rounds).
    pub fn pass_rate(&self) -> f64 {
        if self.cases == 0 {
            return 0.0;
        }
        100.0 * self.passed as f64 / self.cases as f64
    }

    /// Pass rate in percent, rounded DOWN to one decimal (what a floor may be).
    pub fn pass_rate_floor(&self) -> f64 {
        if self.cases == 0 {
            return 0.0;
        }
        (1000 * self.passed / self.cases) as f64 / 10.0
    }
}

/// Runs cases through newsfacts: one pipeline per document date (numbers on, entities off).
pub struct Runner {
    pipelines: HashMap<Option<NaiveDate>, Pipeline>,
}

impl Default for Runner {
    fn default() -> Self {
        Runner::new()
    }
}

impl Runner {
    pub fn new() -> Runner {
        Runner {
            pipelines: HashMap::new(),
        }
    }

    /// The SPEC JSON record newsfacts gives for one case.
    pub fn record(&mut self, case: &Case) -> Value {
        let date = parse_iso_date(case.reference_date.as_deref().unwrap_or(DEFAULT_DATE));
        let pipeline = self.pipelines.entry(date).or_insert_with(|| {
            Pipeline::new(Config {
                date,
                numbers: true,
                entities: false,
            })
            .unwrap_or_else(|e| panic!("pipeline: {e}"))
        });
        let doc = pipeline.process(&Source::from_text(case.id.clone(), case.input.clone()));
        serde_json::to_value(&doc).unwrap_or(Value::Null)
    }

    /// Runs and scores one file.
    pub fn run_file(&mut self, path: &Path) -> Result<FileReport, String> {
        let scope = file_scope(path)
            .ok_or_else(|| format!("{}: not a conformance file name", path.display()))?;
        let cases = load_cases(path)?;
        let mut rep = FileReport {
            file: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            cases: 0,
            passed: 0,
            items: 0,
            matched: 0,
            failed_ids: Vec::new(),
            holidays: Vec::new(),
        };
        for case in &cases {
            let rec = self.record(case);
            let r = score_case(case, Some(&rec), scope);
            rep.cases += 1;
            rep.passed += r.passed as usize;
            rep.items += r.expected;
            rep.matched += r.matched;
            if !r.passed {
                rep.failed_ids.push(case.id.clone());
            }
            if let Some(h) = case
                .expect
                .iter()
                .find_map(|e| e.get("holiday").and_then(Value::as_str))
            {
                rep.holidays.push((h.to_string(), r.passed));
            }
        }
        Ok(rep)
    }
}

/// Every scored conformance file of `dir`, sorted by name.
pub fn files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let rd = std::fs::read_dir(dir).map_err(|e| {
        format!(
            "{}: {e} (the shared conformance suites are expected at ../shared/conformance)",
            dir.display()
        )
    })?;
    let mut out: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl") && file_scope(p).is_some())
        .collect();
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn case(expect: Value) -> Case {
        Case {
            id: "t".into(),
            input: String::new(),
            reference_date: None,
            expect: expect.as_array().cloned().unwrap_or_default(),
        }
    }

    #[test]
    fn money_needs_unit_value_and_max() {
        let c = case(json!([{"kind": "money", "value": 10, "unit": "USD", "end": 20}]));
        let good = json!({"amounts": [{"kind": "money", "value": 10, "max": 20, "unit": "usd"}]});
        let bad = json!({"amounts": [{"kind": "money", "value": 10, "max": null, "unit": "USD"}]});
        assert!(score_case(&c, Some(&good), Scope::Money).passed);
        assert!(!score_case(&c, Some(&bad), Scope::Money).passed);
        assert!(!score_case(&c, None, Scope::Money).passed);
    }

    #[test]
    fn numbers_inside_amounts_count_but_empty_cases_see_numbers_only() {
        let c = case(json!([{"kind": "number", "value": 1.5, "unit": null, "end": null}]));
        let rec = json!({"amounts": [{"kind": "money", "value": 1.5000000001, "unit": "USD"}]});
        assert!(score_case(&c, Some(&rec), Scope::Number).passed);
        let empty = case(json!([]));
        assert!(score_case(&empty, Some(&rec), Scope::Number).passed);
        let rec = json!({"amounts": [{"kind": "number", "value": 1}]});
        assert!(!score_case(&empty, Some(&rec), Scope::Number).passed);
    }

    #[test]
    fn distinct_predictions_per_expected_item() {
        let c = case(json!([{"kind": "percent", "value": 2}, {"kind": "percent", "value": 2}]));
        let one = json!({"amounts": [{"kind": "percent", "value": 2}]});
        let two = json!({"amounts": [{"kind": "percent", "value": 2}, {"kind": "percent", "value": 2.0}]});
        assert_eq!(score_case(&c, Some(&one), Scope::Percent).matched, 1);
        assert!(score_case(&c, Some(&two), Scope::Percent).passed);
    }

    #[test]
    fn dates_ranges_durations() {
        let c = case(
            json!([{"kind": "range", "value": "2016-01-01", "end": "2018-01-01", "timex": "(2016-01-01,2018-01-01,P2Y)"}]),
        );
        let rec = json!({"dates": [{"kind": "range", "value": "2016", "end_value": "2017"}]});
        assert!(score_case(&c, Some(&rec), Scope::Dates).passed);
        let rec = json!({"dates": [{"kind": "range", "value": "2016", "end_value": "2018"}]});
        assert!(
            score_case(&c, Some(&rec), Scope::Dates).passed,
            "one unit of slack on the end"
        );
        let c = case(json!([{"kind": "duration", "value": "P49D"}]));
        let rec = json!({"dates": [{"kind": "duration", "value": "P7W"}]});
        assert!(score_case(&c, Some(&rec), Scope::Dates).passed);
        let c = case(json!([{"kind": "date", "value": "2018-Q1"}]));
        let rec = json!({"dates": [{"kind": "date", "value": "2018-q1"}]});
        assert!(score_case(&c, Some(&rec), Scope::Dates).passed);
        let c = case(json!([{"kind": "range", "value": "2018-03-12", "end": "2018-03-19"}]));
        let rec = json!({"dates": [{"kind": "date", "value": "2018-W11"}]});
        assert!(score_case(&c, Some(&rec), Scope::Dates).passed);
        assert_eq!(parse_duration(Some(&json!("P1M"))), Some((1.0, 0.0)));
        assert!(!durations_equal(Some(&json!("P1M")), Some(&json!("P30D"))));
    }
}
