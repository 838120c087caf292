//! The statistical NER tagger: Chinese and English sequence labelling of PER/ORG/LOC.
//!
//! Each sentence of the normalised text goes to the Chinese model (character units) or the
//! English model (word tokens) by its share of Han characters; features are hashed templates
//! ([`features`]), weights come from an averaged structured perceptron ([`perceptron`],
//! trained by `src/bin/train-ner.rs` on the train/dev splits only), decoding is Viterbi
//! under BIO constraints ([`model`]). The two model files are embedded in the binary and
//! parsed once per process; see `data/models/README.md` for how they were trained.

pub mod corpus;
pub(crate) mod features;
mod layout;
pub mod model;
pub mod perceptron;

/// The names of the Chinese feature templates by position (`train-ner --ablate-zh`; the
/// lab alone calls it, through the `internals` feature).
#[cfg(feature = "internals")]
pub use features::zh_template_at;

use std::cell::RefCell;
use std::sync::LazyLock;

use features::{en_features, en_tokens, zh_emissions, zh_units, EmitScratch, FeatureBuf, ZhUnits};
use model::{is_begin, tag_type, Lang, Model, NT};

use crate::normalize::script::is_han;
use crate::recognize::{MentionCandidate, MentionSource};
use crate::segment::Segmented;

/// The embedded model files.
pub const ZH_MODEL: &[u8] = include_bytes!("../../../../data/models/ner-zh.nfm");
pub const EN_MODEL: &[u8] = include_bytes!("../../../../data/models/ner-en.nfm");

/// The loaded models, shared read-only by all threads.
#[derive(Debug, Clone)]
pub struct Tagger {
    zh: Models,
    en: Models,
}

/// Where a tagger's model for one language comes from.
#[derive(Debug, Clone)]
enum Models {
    /// The model embedded in the binary, parsed on first use: a run over English text
    /// never pays for parsing the Chinese model, and the reverse.
    Embedded(&'static LazyLock<Model>),
    /// A model given explicitly (training and evaluation tools).
    Given(Box<Model>),
}

impl Models {
    fn get(&self) -> &Model {
        match self {
            Models::Embedded(m) => m,
            Models::Given(m) => m,
        }
    }
}

/// The embedded models. A model file written by another format or feature version is
/// reported by [`check`] when the pipeline is built (`Pipeline::new` fails with the file
/// and the reason); the unit test `embedded_models_load` makes sure a whole model loads.
/// Checks the embedded models' headers (cheap: no weights are read), for
/// [`crate::table::check_all`].
pub(crate) fn check() -> Result<(), crate::table::TableError> {
    for (file, bytes) in [
        ("data/models/ner-zh.nfm", ZH_MODEL),
        ("data/models/ner-en.nfm", EN_MODEL),
    ] {
        model::ModelData::check_header(bytes).map_err(|reason| crate::table::TableError {
            file: file.to_string(),
            line: 1,
            reason,
        })?;
    }
    features::check_cues()?;
    features::check_clusters()
}

/// Bytes aligned for the prebuilt tables' index (64: a `layout::Bucket`) and rows.
#[repr(C, align(64))]
struct Aligned<B: ?Sized>(B);

/// The embedded models' lookup tables, built from the model files above by the build
/// script with the loader's own code (`layout.rs`), laid out as the model uses them.
static ZH_TABLES: &Aligned<[u8]> =
    &Aligned(*include_bytes!(concat!(env!("OUT_DIR"), "/ner-zh.tables")));
static EN_TABLES: &Aligned<[u8]> =
    &Aligned(*include_bytes!(concat!(env!("OUT_DIR"), "/ner-en.tables")));

/// The embedded model `file` with its prebuilt `tables` (used in place: loading it is
/// reading a few hundred bytes). Should the tables not be usable (never, for tables this
/// build wrote), the file is loaded as any model file is; a file that does not load (a
/// header of another version, which `check` reports) gives the empty model.
fn embedded(lang: Lang, file: &[u8], tables: &'static Aligned<[u8]>) -> Model {
    Model::prebuilt(file, &tables.0)
        .or_else(|_| Model::from_bytes(file))
        .unwrap_or_else(|_| Model::empty(lang))
}

static ZH: LazyLock<Model> = LazyLock::new(|| embedded(Lang::Zh, ZH_MODEL, ZH_TABLES));
static EN: LazyLock<Model> = LazyLock::new(|| embedded(Lang::En, EN_MODEL, EN_TABLES));

impl Default for Tagger {
    fn default() -> Self {
        Tagger {
            zh: Models::Given(Box::new(Model::empty(Lang::Zh))),
            en: Models::Given(Box::new(Model::empty(Lang::En))),
        }
    }
}

/// Per-thread buffers, reused across sentences so tagging does not allocate per unit.
#[derive(Default)]
struct Scratch {
    units: ZhUnits,
    tokens: Vec<(usize, usize)>,
    feats: FeatureBuf,
    emit: EmitScratch,
    em: Vec<[f32; NT]>,
    path: Vec<u8>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Whether a sentence is Chinese: enough Han characters against Latin letters.
pub fn sentence_lang(sentence: &str) -> Lang {
    let (han, latin) = han_and_latin(sentence.as_bytes());
    if han > 0 && han * 3 >= latin {
        Lang::Zh
    } else {
        Lang::En
    }
}

/// The Han characters ([`is_han`]) and the ASCII letters of the UTF-8 text `b`, counted
/// from its bytes without decoding a character: a character's first byte, and for a few
/// first bytes its second, says whether it is Han. Three bytes from `E5` to `E9` are
/// U+5000..U+9FFF, all Han; `E3` is U+3000..U+3FFF, Han from U+3400 (second byte from
/// `90`); `E4` is U+4000..U+4FFF, Han but for U+4DC0..U+4DFF (second byte `B7`); `EF` is
/// U+F000..U+FFFF, Han from U+F900 to U+FAFF (second byte `A4`..=`AB`); four bytes from
/// `F0` are U+10000..U+3FFFF, Han from U+20000 to U+2FFFF (second byte `A0`..=`AF`). Any
/// other first byte starts a character that is not Han, and is passed over byte by byte
/// with its continuation bytes. (Test: every character against [`is_han`].)
fn han_and_latin(b: &[u8]) -> (usize, usize) {
    let (mut han, mut latin) = (0usize, 0usize);
    let mut i = 0;
    while let Some(&x) = b.get(i) {
        match x {
            0x00..=0x7F => {
                latin += usize::from(x.is_ascii_alphabetic());
                i += 1;
            }
            0xE5..=0xE9 => {
                han += 1;
                i += 3;
            }
            0xE3 | 0xE4 | 0xEF | 0xF0 => {
                let y = b.get(i + 1).copied().unwrap_or(0);
                han += usize::from(match x {
                    0xE3 => y >= 0x90,
                    0xE4 => y != 0xB7,
                    0xEF => (0xA4..=0xAB).contains(&y),
                    _ => (0xA0..=0xAF).contains(&y),
                });
                i += if x == 0xF0 { 4 } else { 3 };
            }
            _ => i += 1,
        }
    }
    (han, latin)
}

/// A start-up task (`crate::warm`) parsing the embedded model that text like `text` needs
/// (Chinese when it holds Han characters, else English), so that the first document does
/// not wait for it (inflating and indexing a model is tens of milliseconds). Whoever needs
/// the model first waits only for what is left of the parse (`LazyLock`).
pub(crate) fn model_task_for(text: &str) -> crate::warm::Task {
    let model: &'static LazyLock<Model> = if text.chars().any(is_han) { &ZH } else { &EN };
    Box::new(move || {
        LazyLock::force(model);
    })
}

impl Tagger {
    /// The embedded models, each parsed once per process on first use.
    pub fn shared() -> &'static Tagger {
        static TAGGER: Tagger = Tagger {
            zh: Models::Embedded(&ZH),
            en: Models::Embedded(&EN),
        };
        &TAGGER
    }

    /// A tagger from explicit models (training and evaluation tools).
    pub fn from_models(zh: Model, en: Model) -> Tagger {
        Tagger {
            zh: Models::Given(Box::new(zh)),
            en: Models::Given(Box::new(en)),
        }
    }

    /// Tags the normalised `text` and pushes one candidate per predicted entity span.
    pub fn tag(&self, text: &str, seg: &Segmented, out: &mut Vec<MentionCandidate>) {
        SCRATCH.with(|cell| {
            let mut guard = cell.try_borrow_mut();
            let mut fresh;
            let sc: &mut Scratch = match guard {
                Ok(ref mut s) => s,
                Err(_) => {
                    fresh = Scratch::default();
                    &mut fresh
                }
            };
            for &(s, e) in &seg.sentences {
                let Some(sentence) = text.get(s..e) else {
                    continue;
                };
                self.tag_sentence(text, s, e, sentence_lang(sentence), seg, sc, out);
            }
        });
    }

    #[allow(clippy::too_many_arguments)]
    fn tag_sentence(
        &self,
        text: &str,
        s: usize,
        e: usize,
        lang: Lang,
        seg: &Segmented,
        sc: &mut Scratch,
        out: &mut Vec<MentionCandidate>,
    ) {
        let model = match lang {
            Lang::Zh => self.zh.get(),
            Lang::En => self.en.get(),
        };
        if model.is_empty() {
            return;
        }
        // The units' spans are read where a mention is found, from the units themselves
        // (not copied into a list of spans first).
        match lang {
            Lang::Zh => {
                zh_units(text, s, e, seg.tokens_in((s, e)), &mut sc.units);
                zh_emissions(model, &sc.units, &mut sc.emit, &mut sc.em);
                let units = &sc.units.units;
                if units.is_empty() {
                    return;
                }
                model.viterbi(&sc.em, &mut sc.path);
                let span = |k: usize| units.get(k).map_or((0, 0), |u| (u.start, u.end));
                push_mentions(text, span, &sc.em, &sc.path, out);
            }
            Lang::En => {
                en_tokens(text, s, e, &mut sc.tokens);
                en_features(text, &sc.tokens, &mut sc.feats);
                model.emissions(&sc.feats, &mut sc.em);
                let tokens = &sc.tokens;
                if tokens.is_empty() {
                    return;
                }
                model.viterbi(&sc.em, &mut sc.path);
                let span = |k: usize| tokens.get(k).copied().unwrap_or((0, 0));
                push_mentions(text, span, &sc.em, &sc.path, out);
            }
        }
    }
}

/// Turns a BIO path over units into mention candidates; the score is a logistic of the mean
/// per-unit margin of the chosen tag over the best other tag. `units(k)` is the byte span
/// of unit `k` (of `path.len()`).
fn push_mentions(
    text: &str,
    units: impl Fn(usize) -> (usize, usize),
    em: &[[f32; NT]],
    path: &[u8],
    out: &mut Vec<MentionCandidate>,
) {
    let mut i = 0;
    while i < path.len() {
        let Some(kind) = tag_type(path[i]) else {
            i += 1;
            continue;
        };
        let mut j = i + 1;
        while j < path.len() && !is_begin(path[j]) && tag_type(path[j]) == Some(kind) {
            j += 1;
        }
        // Trim whitespace units at the edges (a name never starts or ends with a space).
        let (mut a, mut b) = (i, j);
        let blank = |k: usize| {
            let (x, y) = units(k);
            text.get(x..y).is_some_and(|t| t.trim().is_empty())
        };
        while a < b && blank(a) {
            a += 1;
        }
        while b > a && blank(b - 1) {
            b -= 1;
        }
        if a < b {
            let mut margin = 0.0f32;
            for k in a..b {
                let (t, row) = (path[k] as usize, &em[k]);
                let other = row
                    .iter()
                    .enumerate()
                    .filter(|&(x, _)| x != t)
                    .map(|(_, &v)| v)
                    .fold(f32::MIN, f32::max);
                margin += row[t] - other;
            }
            margin /= (b - a) as f32;
            let score = 1.0 / (1.0 + (-margin / 4.0).exp());
            out.push(MentionCandidate {
                nspan: (units(a).0, units(b - 1).1),
                kind,
                score: score.clamp(0.05, 0.99),
                source: MentionSource::Tagger,
            });
        }
        i = j;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::EntityType;
    use crate::normalize::normalize;
    use crate::segment::segment;

    /// The tables the build script prebuilt are what loading the model files builds, and
    /// are used in place, not copied.
    #[test]
    fn prebuilt_models_are_the_loaded_ones() {
        for (lang, file, tables) in [
            (Lang::Zh, ZH_MODEL, ZH_TABLES),
            (Lang::En, EN_MODEL, EN_TABLES),
        ] {
            let prebuilt = Model::prebuilt(file, &tables.0).unwrap();
            let loaded = Model::from_bytes(file).unwrap();
            assert!(loaded.len() > 10_000);
            assert!(prebuilt == loaded, "{lang:?}: the prebuilt tables differ");
            assert_eq!(prebuilt.lang, lang);
            assert!(embedded(lang, file, tables) == loaded);
            let rows = prebuilt.rows().as_ptr() as usize;
            let within = tables.0.as_ptr() as usize..tables.0.as_ptr() as usize + tables.0.len();
            assert!(within.contains(&rows), "{lang:?}: the rows were copied");
        }
        // The shared models are those.
        assert!(*ZH == Model::from_bytes(ZH_MODEL).unwrap());
        assert!(*EN == Model::from_bytes(EN_MODEL).unwrap());
    }

    /// Tables that are not what the build script wrote for this target are refused (and
    /// the model file is loaded instead), never read as something else.
    #[test]
    fn unusable_prebuilt_tables_are_refused() {
        let good: &'static [u8] = &ZH_TABLES.0;
        let refused = |tables: &'static [u8]| Model::prebuilt(ZH_MODEL, tables).unwrap_err();
        assert!(refused(&good[..100]).contains("no head"));
        assert!(refused(&good[1..]).contains("bad magic"));
        assert!(refused(&good[..good.len() - 16]).contains("bad row bytes"));
        assert!(refused(&good[..400]).contains("truncated"));
        // The tables written for the other byte order.
        let (tables, start, trans) = layout::tables_of_file(EN_MODEL).unwrap();
        let other = tables.to_prebuilt(&start, &trans, cfg!(target_endian = "little"));
        assert!(refused(Vec::leak(other)).contains("another byte order"));
        // A model file of another version is refused whatever its tables.
        let mut file = ZH_MODEL.to_vec();
        assert_eq!(&file[..15], b"newsfacts-ner 1");
        file[14] = b'9';
        assert!(Model::prebuilt(&file, good).is_err());
        assert!(embedded(Lang::Zh, &file, ZH_TABLES) == Model::empty(Lang::Zh));
    }

    fn tag(text: &str) -> Vec<(String, EntityType)> {
        let n = normalize(text);
        let seg = segment(&n.text, true);
        let mut out = Vec::new();
        Tagger::shared().tag(&n.text, &seg, &mut out);
        for m in &out {
            assert!(
                m.nspan.0 < m.nspan.1
                    && n.text.is_char_boundary(m.nspan.0)
                    && n.text.is_char_boundary(m.nspan.1)
            );
            assert!((0.0..=1.0).contains(&m.score));
            assert_eq!(m.source, MentionSource::Tagger);
        }
        out.iter()
            .map(|m| (n.text[m.nspan.0..m.nspan.1].to_string(), m.kind))
            .collect()
    }

    /// The byte-level count of Han characters and ASCII letters is the count over the
    /// characters, for every character alone and in mixed text.
    #[test]
    fn han_and_latin_count_characters() {
        let reference = |s: &str| {
            let han = s.chars().filter(|&c| is_han(c)).count();
            let latin = s.chars().filter(|c| c.is_ascii_alphabetic()).count();
            (han, latin)
        };
        let mut all = String::new();
        let mut buf = [0u8; 4];
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let one = c.encode_utf8(&mut buf);
            assert_eq!(han_and_latin(one.as_bytes()), reference(one), "{:X}", c as u32);
            if (c as u32).is_multiple_of(7) {
                all.push(c);
            }
        }
        assert_eq!(han_and_latin(all.as_bytes()), reference(&all));
        for s in [
            "",
            "国务院总理李强昨天在北京会见了德国总理朔尔茨。",
            "Meta投资了Scale AI,OpenAI和xAI也在硅谷招聘。",
            "Apple chief executive Tim Cook met officials in Paris.",
            "𠀀𠀁 㐀䶵䷀䷿ 丽 Ğüşé 東京 café ™ © …",
        ] {
            assert_eq!(han_and_latin(s.as_bytes()), reference(s), "{s}");
        }
        // A cut inside a character (not a `str`) does not panic.
        let _ = han_and_latin(&"中文".as_bytes()[..4]);
    }

    #[test]
    fn embedded_models_load() {
        let zh = Model::from_bytes(ZH_MODEL).expect("data/models/ner-zh.nfm must load");
        let en = Model::from_bytes(EN_MODEL).expect("data/models/ner-en.nfm must load");
        assert_eq!(zh.lang, Lang::Zh);
        assert_eq!(en.lang, Lang::En);
        assert!(zh.len() > 1000 && en.len() > 1000, "models look untrained");
        assert!(check().is_ok());
        let stale = b"newsfacts-ner 1 lang=zh tags=BIO7 features=0\n";
        let e = model::ModelData::check_header(stale).unwrap_err();
        assert!(e.contains("differ"), "{e}");
    }

    #[test]
    fn tags_chinese_and_english() {
        let zh = tag("国务院总理李强昨天在北京会见了德国总理朔尔茨。");
        assert!(
            zh.contains(&("李强".to_string(), EntityType::Person)),
            "{zh:?}"
        );
        assert!(
            zh.contains(&("北京".to_string(), EntityType::Loc)),
            "{zh:?}"
        );
        let en = tag("Apple chief executive Tim Cook met officials in Paris on Monday.");
        assert!(
            en.contains(&("Tim Cook".to_string(), EntityType::Person)),
            "{en:?}"
        );
        assert!(
            en.contains(&("Paris".to_string(), EntityType::Loc)),
            "{en:?}"
        );
    }

    #[test]
    fn latin_runs_are_never_cut() {
        let text = "Meta投资了Scale AI,OpenAI和xAI也在硅谷招聘。";
        for (m, _) in tag(text) {
            let n = normalize(text).text;
            let at = n.find(&m).unwrap();
            let before = n[..at].chars().next_back();
            let after = n[at + m.len()..].chars().next();
            let first = m.chars().next().unwrap();
            let last = m.chars().next_back().unwrap();
            assert!(
                !(before.is_some_and(|c| c.is_ascii_alphanumeric())
                    && first.is_ascii_alphanumeric()),
                "{m}"
            );
            assert!(
                !(after.is_some_and(|c| c.is_ascii_alphanumeric()) && last.is_ascii_alphanumeric()),
                "{m}"
            );
        }
    }

    #[test]
    fn no_input_panics() {
        let long = "张三在北京工作。".repeat(5000) + &"x".repeat(100_000);
        for t in [
            "",
            " ",
            "。。。!!!,,,",
            "\n\n\n",
            "a",
            "中",
            "A B C D",
            "𠀀𠀁𠀂",
            "Ğüşé 東京 café ™ © …",
            long.as_str(),
        ] {
            let _ = tag(t);
        }
        // A hand-made segmentation with out-of-range spans must not panic either.
        let seg = Segmented {
            sentences: vec![(0, 3), (5, 100)],
            paragraphs: vec![],
            tokens: vec![],
        };
        let mut out = Vec::new();
        Tagger::shared().tag("中文", &seg, &mut out);
    }
}
