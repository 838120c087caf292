//! The `Document` and the items it carries: the one value that flows through every stage.
//!
//! Recognisers fill items with `nspan`, a byte span in the *normalised* text. The `locate`
//! step of the pipeline maps every `nspan` back to ORIGINAL code-point offsets once, at the
//! end, and fills `text`, `start` and `end`. Writers only ever see original offsets.

use serde::{Deserialize, Serialize};

use crate::num::Num;

/// A byte span `[start, end)` in the normalised text of a document.
pub type NSpan = (usize, usize);

/// Where the document date came from (SPEC §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    Cli,
    FrontMatter,
    Jsonl,
    Inferred,
    #[default]
    None,
}

impl DateSource {
    pub fn as_str(self) -> &'static str {
        match self {
            DateSource::Cli => "cli",
            DateSource::FrontMatter => "front_matter",
            DateSource::Jsonl => "jsonl",
            DateSource::Inferred => "inferred",
            DateSource::None => "none",
        }
    }
}

/// The writing system of a document (SPEC §4, `documents.csv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Script {
    Hans,
    Hant,
    #[default]
    Latin,
    Mixed,
}

impl Script {
    pub fn as_str(self) -> &'static str {
        match self {
            Script::Hans => "Hans",
            Script::Hant => "Hant",
            Script::Latin => "Latin",
            Script::Mixed => "Mixed",
        }
    }
}

/// Entity types (SPEC §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum EntityType {
    #[serde(rename = "PERSON")]
    Person,
    #[serde(rename = "ORG")]
    Org,
    #[serde(rename = "LOC")]
    Loc,
}

impl EntityType {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Person => "PERSON",
            EntityType::Org => "ORG",
            EntityType::Loc => "LOC",
        }
    }
}

/// One occurrence of an entity in the text.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Mention {
    pub text: String,
    pub start: usize,
    pub end: usize,
    #[serde(skip)]
    pub nspan: NSpan,
}

impl Mention {
    pub fn at(nspan: NSpan) -> Self {
        Mention {
            nspan,
            ..Default::default()
        }
    }
}

/// One real-world referent in a document, with all its mentions.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entity {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: EntityType,
    pub name: String,
    pub name_en: Option<String>,
    pub mentions: Vec<Mention>,
}

/// Kinds of amount (SPEC §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AmountKind {
    Money,
    Percent,
    Quantity,
    Number,
}

impl AmountKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AmountKind::Money => "money",
            AmountKind::Percent => "percent",
            AmountKind::Quantity => "quantity",
            AmountKind::Number => "number",
        }
    }
}

/// Declares a closed set of snake_case names: the enum, `ALL`, `as_str` and `parse`.
macro_rules! named_set {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant),+
        }

        impl $name {
            /// Every member, in declaration order (`member as usize` indexes it).
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// The member written `s`, if any.
            pub fn parse(s: &str) -> Option<$name> {
                match s {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

named_set! {
    /// The business fact types of SPEC §4; their properties are `data/fact_types.tsv`.
    FactType {
        Valuation => "valuation",
        Investment => "investment",
        Acquisition => "acquisition",
        FundingRound => "funding_round",
        Revenue => "revenue",
        Profit => "profit",
        Contract => "contract",
        Lawsuit => "lawsuit",
        Hire => "hire",
        Departure => "departure",
        Layoff => "layoff",
        Commission => "commission",
        Fine => "fine",
        Ipo => "ipo",
        Partnership => "partnership",
    }
}

named_set! {
    /// What a money amount, percentage or quantity is in its sentence (SPEC §4 `role`).
    AmountRole {
        Valuation => "valuation",
        Investment => "investment",
        Stake => "stake",
        Commission => "commission",
        Threshold => "threshold",
        Contract => "contract",
        Revenue => "revenue",
        Profit => "profit",
        Fine => "fine",
        Price => "price",
        Funding => "funding",
        Salary => "salary",
        Quantity => "quantity",
        Other => "other",
    }
}

/// How exact an amount is (SPEC §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    #[default]
    Exact,
    Approx,
    Over,
    Under,
    Range,
    Vague,
}

impl Qualifier {
    pub fn as_str(self) -> &'static str {
        match self {
            Qualifier::Exact => "exact",
            Qualifier::Approx => "approx",
            Qualifier::Over => "over",
            Qualifier::Under => "under",
            Qualifier::Range => "range",
            Qualifier::Vague => "vague",
        }
    }
}

/// A money amount, percentage, quantity or bare number.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Amount {
    pub kind: AmountKind,
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// Plain number in `unit` (USD 14.3B -> 14300000000); null when vague.
    pub value: Option<Num>,
    /// Upper bound of a range.
    pub max: Option<Num>,
    /// ISO 4217 for money, `%` for percent, the counted noun for quantities, null for numbers.
    pub unit: Option<String>,
    pub display: Option<String>,
    pub qualifier: Qualifier,
    pub role: Option<AmountRole>,
    pub subject: Option<String>,
    /// Entity id of `subject` (join key to entities.csv).
    pub subject_id: Option<String>,
    #[serde(skip)]
    pub nspan: NSpan,
}

impl Amount {
    /// A new amount at a normalised span; the rest is filled by the recogniser.
    pub fn new(kind: AmountKind, nspan: NSpan) -> Self {
        Amount {
            kind,
            text: String::new(),
            start: 0,
            end: 0,
            value: None,
            max: None,
            unit: None,
            display: None,
            qualifier: Qualifier::Exact,
            role: None,
            subject_id: None,
            subject: None,
            nspan,
        }
    }
}

/// Kinds of temporal item (SPEC §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateKind {
    Date,
    Range,
    Duration,
}

impl DateKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DateKind::Date => "date",
            DateKind::Range => "range",
            DateKind::Duration => "duration",
        }
    }
}

/// A date, date range or duration.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DateItem {
    pub kind: DateKind,
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// ISO 8601: `2025`, `2025-06`, `2025-09-03`, `2025-Q3`, `2025-H1`, `P3Y`; null when unresolved.
    pub value: Option<String>,
    pub end_value: Option<String>,
    /// year, half, quarter, month, week, day.
    pub granularity: Option<String>,
    pub relative: bool,
    #[serde(skip)]
    pub nspan: NSpan,
}

impl DateItem {
    pub fn new(kind: DateKind, nspan: NSpan) -> Self {
        DateItem {
            kind,
            text: String::new(),
            start: 0,
            end: 0,
            value: None,
            end_value: None,
            granularity: None,
            relative: false,
            nspan,
        }
    }
}

/// A business fact (SPEC §4).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Fact {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: FactType,
    pub subject: Option<String>,
    pub object: Option<String>,
    /// Entity ids of the subject names, in the same order, joined by `; `.
    pub subject_id: Option<String>,
    /// Entity ids of the object names, joined by `; `.
    pub object_id: Option<String>,
    pub value: Option<Num>,
    pub unit: Option<String>,
    pub display: Option<String>,
    pub percent: Option<Num>,
    pub date: Option<String>,
    pub evidence: String,
    pub start: usize,
    pub end: usize,
    #[serde(skip)]
    pub nspan: NSpan,
}

/// Processing status of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[default]
    Ok,
    Failed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Failed => "failed",
        }
    }
}

/// Everything newsfacts knows about one input document; serialised as one line of
/// `documents.jsonl` (SPEC §4, "The JSON record").
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Document {
    pub id: String,
    pub path: String,
    pub encoding: String,
    pub script: Script,
    pub doc_date: Option<String>,
    pub date_source: DateSource,
    /// Length of the original decoded text in code points.
    pub chars: usize,
    pub status: Status,
    pub error: Option<String>,
    /// Title, source and URL given with the input (front matter, JSONL fields, HTML `<title>`).
    pub title: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    /// Every other input field (JSONL fields, front matter keys, `lang`), as given.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub meta: serde_json::Map<String, serde_json::Value>,
    /// Non-fatal problems (replacement characters, skipped boilerplate, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    pub entities: Vec<Entity>,
    pub amounts: Vec<Amount>,
    pub dates: Vec<DateItem>,
    pub facts: Vec<Fact>,
}
