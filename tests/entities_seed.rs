//! Entity golden tests: the seed article's persons and organisations (SPEC §5), one entity
//! per referent, canonical names and `name_en`; and the same mechanisms on sentences written
//! for this test (Traditional/Simplified aliases, English Reuters-style names).

use newsfacts::{Config, Document, Entity, EntityType, Pipeline, Source};

fn run(id: &str, text: &str) -> Document {
    let pipeline = Pipeline::new(Config::default()).expect("pipeline");
    pipeline.process(&Source::from_text(id, text))
}

fn find<'d>(doc: &'d Document, kind: EntityType, name: &str) -> Vec<&'d Entity> {
    doc.entities
        .iter()
        .filter(|e| e.kind == kind && (e.name == name || e.name_en.as_deref() == Some(name)))
        .collect()
}

fn one<'d>(doc: &'d Document, kind: EntityType, name: &str) -> &'d Entity {
    let found = find(doc, kind, name);
    let all: Vec<(&str, &str)> = doc
        .entities
        .iter()
        .map(|e| (e.name.as_str(), e.kind.as_str()))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "{kind:?} {name}: expected one entity, found {}; entities: {all:?}",
        found.len()
    );
    found[0]
}

fn seed() -> Document {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus/scale-ai-v-mercor.zh-Hant.txt");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("the seed article {} is missing: {e}", path.display()));
    run("scale-ai-v-mercor.zh-Hant.txt", &text)
}

#[test]
fn seed_persons_and_organisations() {
    let doc = seed();
    let ling = one(&doc, EntityType::Person, "Eugene Ling");
    assert!(
        ling.mentions.len() >= 8,
        "Eugene Ling has {} mentions",
        ling.mentions.len()
    );
    for short in ["Ling", "Eugene"] {
        assert!(
            ling.mentions.iter().any(|m| m.text == short),
            "{short} is not a mention of Eugene Ling"
        );
    }
    one(&doc, EntityType::Person, "Tom Channick");
    one(&doc, EntityType::Person, "米德哈");
    assert_eq!(
        one(&doc, EntityType::Person, "马斯克").name_en.as_deref(),
        Some("Elon Musk")
    );
    for org in [
        "Scale AI", "Mercor", "Meta", "OpenAI", "xAI", "Alphabet", "TBD Labs", "Surge", "LinkedIn",
    ] {
        one(&doc, EntityType::Org, org);
    }
    let google = one(&doc, EntityType::Org, "谷歌");
    assert_eq!(google.name_en.as_deref(), Some("Google"));
    assert_eq!(
        one(&doc, EntityType::Org, "微软").name_en.as_deref(),
        Some("Microsoft")
    );
    // `Meta系` is Meta.
    assert!(one(&doc, EntityType::Org, "Meta").mentions.len() >= 5);
}

#[test]
fn seed_entities_are_clean_and_well_placed() {
    let doc = seed();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus/scale-ai-v-mercor.zh-Hant.txt");
    let text = std::fs::read_to_string(path).expect("seed");
    let chars: Vec<char> = text.chars().collect();
    let footer = text
        .find("本站鄭重聲明")
        .map(|b| text[..b].chars().count())
        .expect("the seed has its disclaimer");
    let mut last_first = 0;
    for (i, e) in doc.entities.iter().enumerate() {
        assert_eq!(e.id, format!("E{}", i + 1));
        assert!(
            !e.name.contains(['?', '(', ')', '（', '）', '\u{FFFD}']),
            "junk entity {:?}",
            e.name
        );
        assert!(
            !["CEO", "AI", "X", "GPT-4o"].contains(&e.name.as_str()),
            "not an entity: {}",
            e.name
        );
        let first = e.mentions.first().expect("an entity has mentions").start;
        assert!(
            first >= last_first,
            "entities are in order of first mention"
        );
        last_first = first;
        for m in &e.mentions {
            assert!(m.start < footer, "{} is in the disclaimer footer", m.text);
            let slice: String = chars[m.start..m.end].iter().collect();
            assert_eq!(slice, m.text);
        }
    }
}

#[test]
fn traditional_and_simplified_aliases_are_one_entity() {
    let doc = run(
        "t",
        "輝達執行長黃仁勳表示,需求強勁。英伟达股价随后上涨,NVIDIA的市值超过微軟,Microsoft回应称。",
    );
    let nvidia = one(&doc, EntityType::Org, "英伟达");
    assert_eq!(
        (nvidia.name_en.as_deref(), nvidia.mentions.len()),
        (Some("NVIDIA"), 3)
    );
    assert_eq!(
        one(&doc, EntityType::Person, "黄仁勋").name_en.as_deref(),
        Some("Jensen Huang")
    );
    assert_eq!(one(&doc, EntityType::Org, "微软").mentions.len(), 2);
}

#[test]
fn english_reuters_style_names() {
    let doc = run(
        "en",
        "Tasman Holdings (Pacific) Ltd, a New Zealand investment firm, said it raised its stake in Korvell Corp to 11 pct. \
         In a filing with the Securities and Exchange Commission, Tasman Holdings said Mr. Alan Hawkes bought the shares. \
         Korvell said it had no comment.",
    );
    assert_eq!(
        one(&doc, EntityType::Org, "Tasman Holdings (Pacific) Ltd")
            .mentions
            .len(),
        2
    );
    assert_eq!(one(&doc, EntityType::Org, "Korvell Corp").mentions.len(), 2);
    one(&doc, EntityType::Person, "Alan Hawkes");
    one(&doc, EntityType::Loc, "New Zealand");
    one(&doc, EntityType::Org, "Securities and Exchange Commission");
}

#[test]
fn a_whole_latin_company_name_beats_the_taggers_piece_of_it() {
    // The tagger reads `Hampshire Savings Bank Corp` (a sentence-initial `New` looks like
    // any capitalised word); the name closed by its suffix is the whole of it. An owner or
    // a base before a name is not part of it.
    let doc = run(
        "en",
        "New Hampshire Savings Bank Corp said it agreed to buy Seashore Bankshares Inc. \
         Tonka Corp said it will distribute toys of Tokyo-based Bandai Co Ltd in Australia.",
    );
    one(&doc, EntityType::Org, "New Hampshire Savings Bank Corp");
    one(&doc, EntityType::Org, "Tonka Corp");
    one(&doc, EntityType::Org, "Bandai Co Ltd");
    // `and` inside one name; after a legal form it joins two.
    let doc = run(
        "en",
        "Harwick Tire and Rubber Co said it lost money. Orlo Industries Inc and Vantel Inc agreed to merge.",
    );
    one(&doc, EntityType::Org, "Harwick Tire and Rubber Co");
    one(&doc, EntityType::Org, "Orlo Industries Inc");
    one(&doc, EntityType::Org, "Vantel Inc");
}

#[test]
fn latin_names_inside_chinese_are_typed_by_context() {
    let doc = run("zh", "初创公司Quillon Labs起诉前产品副总裁Maya Brandt。Brandt随后加入Fennick,Fennick的CEO拒绝置评。据悉,Quillon Labs还与Orbis和Fennick等数据服务商合作。");
    let maya = one(&doc, EntityType::Person, "Maya Brandt");
    assert_eq!(maya.mentions.len(), 2);
    assert_eq!(one(&doc, EntityType::Org, "Quillon Labs").mentions.len(), 2);
    assert_eq!(one(&doc, EntityType::Org, "Fennick").mentions.len(), 3);
    one(&doc, EntityType::Org, "Orbis");
}

/// A country that stands for its team in a list of teams and the same country as a place
/// later in the article are two referents, each with its own type (one entity with one
/// voted type used to mistype one of them).
#[test]
fn a_team_and_its_country_are_two_entities() {
    let doc = run(
        "t",
        "荷兰、巴西和阿根廷队都是本届世界杯的强队。荷兰首相今天访问巴西，与巴西总统会谈。",
    );
    let team = one(&doc, EntityType::Org, "荷兰");
    let place = one(&doc, EntityType::Loc, "荷兰");
    assert_eq!((team.mentions.len(), place.mentions.len()), (1, 1));
    assert_eq!(one(&doc, EntityType::Org, "巴西").mentions.len(), 1);
    assert_eq!(one(&doc, EntityType::Loc, "巴西").mentions.len(), 2);
    assert_eq!(
        team.name_en, place.name_en,
        "the team keeps its place's English name"
    );
}
