//! The facts stage: amount roles and subjects, and typed business facts, from the
//! entities, amounts and dates of a whole document (SPEC §4).
//!
//! Per sentence: [`roles`] labels every money amount, percentage and quantity (`role`,
//! `subject`); [`frames`] turns trigger words (`data/fact_triggers.tsv`) plus the entities and
//! amounts around them into facts; [`modality`] drops what the sentence does not report as
//! having happened. Then every fact gets its date and its value amount's role, duplicates
//! are merged, and ids `F1`, `F2`, ... follow the text.
//!
//! Conventions (what a user can rely on):
//! - `valuation`: subject = the company valued; value = the valuation.
//! - `investment`: investor -> target, a minority stake (`percent` = the stake when given).
//! - `acquisition`: buyer -> target, a whole company, unit or majority stake.
//! - `funding_round`: company raising -> investors named in the sentence; value = the round.
//! - `revenue`, `profit`: subject = the company; value = the figure (net loss included).
//! - `contract`: party -> counterparty; value = the contract's worth.
//! - `lawsuit`: plaintiff -> defendants.
//! - `fine`: fined party -> authority; value = the fine.
//! - `hire`, `departure`: person -> organisation.
//! - `layoff`: company; value = the number of jobs when given.
//! - `commission`: payer -> payee; `percent` = the commission rate.
//! - `ipo`: the company going public; value = money raised or price when given.
//! - `partnership`: first party -> the other parties.
//! - Subject and object hold entity names; several are joined by `; `.
//! - Not facts: forecasts and guidance, plans, rumours, denials, negated or hypothetical
//!   events, market capitalisations. What a plan presupposes still counts (in "plans to
//!   end a USD 200M contract" the contract is a fact).
//! - `date`: the sentence's own date (the one nearest before the trigger, else one after it
//!   in its clause), else the nearest
//!   earlier date of the same paragraph, else the document date when the sentence reports
//!   the event as just happened (宣布, 日前, today, announced), else none.

pub mod cues;
pub mod frames;
pub mod modality;
pub mod roles;
pub mod sentence;

use std::collections::HashMap;

use crate::document::{DateKind, Document, Fact, NSpan};
use crate::recognize::Context;

use frames::{Draft, TRIGGERS};
use modality::Modality;
use roles::AmountInfo;
use sentence::{placed_mentions, Sentence};

/// Sets `role`/`subject` on amounts and fills `doc.facts`.
pub fn extract(ctx: &Context<'_>, doc: &mut Document) {
    let text = ctx.text;
    let sentences = &ctx.seg.sentences;
    let all = placed_mentions(text, doc, &ctx.seg.paragraphs, sentences);

    // Amounts by sentence, in text order.
    let mut order: Vec<usize> = (0..doc.amounts.len()).collect();
    order.sort_by_key(|&i| doc.amounts[i].nspan);
    let mut info = vec![AmountInfo::default(); doc.amounts.len()];

    let mut drafts: Vec<(Draft, NSpan, bool)> = Vec::new();
    for &span in sentences {
        let s = Sentence::new(text, span, &all, ctx.seg.tokens_in(span));
        let first = order.partition_point(|&i| doc.amounts[i].nspan.0 < span.0);
        let last = order.partition_point(|&i| doc.amounts[i].nspan.0 < span.1);
        let ids: Vec<usize> = order.get(first..last.max(first)).unwrap_or(&[]).to_vec();
        roles::assign(&s, doc, &ids, &mut info);
        let modal = Modality::of(&s);
        for d in frames::find(&s, doc, &info, &ids, &modal) {
            drafts.push((d, span, modal.recent()));
        }
    }

    // A repeat can only be of a fact of the same type and subject (see `covers`): facts are
    // kept in one bucket per (type, subject), so thousands of facts are not compared
    // pairwise. The sequence number keeps the order of the single list this replaces.
    type Bucket = Vec<(usize, Fact, Draft)>;
    let mut buckets: HashMap<(String, Option<String>), Bucket> = HashMap::new();
    for (seq, (mut d, span, recent)) in drafts.into_iter().enumerate() {
        // A company's figures and moves belong to an organisation: a courier's income (一单的
        // 收入为10元) is no revenue fact.
        let company_figure = matches!(
            d.kind,
            "revenue" | "profit" | "valuation" | "funding_round" | "ipo" | "layoff"
        );
        let all_people = d.subject.iter().all(|&e| {
            doc.entities
                .get(e)
                .is_some_and(|ent| ent.kind == crate::document::EntityType::Person)
        });
        if company_figure && !d.subject.is_empty() && all_people {
            continue;
        }
        // Joining needs what was joined: 加入 alone is as often "add" (加入充值功能).
        if d.kind == "hire" && d.object.is_empty() {
            continue;
        }
        // A stock exchange is where a company lists, never the company listing.
        if d.kind == "ipo" {
            d.subject.retain(|&e| {
                doc.entities
                    .get(e)
                    .is_none_or(|ent| !is_stock_exchange(&ent.name))
            });
            if d.subject.is_empty() {
                continue;
            }
        }
        let mut fact = to_fact(ctx, doc, &d, span, recent);
        let facts = buckets
            .entry((fact.kind.clone(), fact.subject.clone()))
            .or_default();
        // A repeat adds nothing but perhaps the date the first telling lacked.
        if let Some((_, kept, _)) = facts.iter_mut().find(|(_, f, _)| covers(f, &fact)) {
            if kept.date.is_none() {
                kept.date = fact.date.take();
            }
            continue;
        }
        let mut date = None;
        facts.retain(|(_, f, _)| {
            let weaker = covers(&fact, f);
            if weaker && date.is_none() {
                date = f.date.clone();
            }
            !weaker
        });
        if fact.date.is_none() {
            fact.date = date;
        }
        facts.push((seq, fact, d));
    }
    let mut facts: Vec<(usize, Fact, Draft)> = buckets.into_values().flatten().collect();
    facts.sort_by_key(|(seq, f, d)| (f.nspan.0, d.trigger.0, *seq));
    let mut facts: Vec<(Fact, Draft)> = facts.into_iter().map(|(_, f, d)| (f, d)).collect();
    for (n, (f, d)) in facts.iter_mut().enumerate() {
        f.id = format!("F{}", n + 1);
        label_values(doc, f, d);
    }
    doc.facts = facts.into_iter().map(|(f, _)| f).collect();
}

fn names(doc: &Document, ids: &[usize]) -> Option<String> {
    let v: Vec<&str> = ids
        .iter()
        .filter_map(|&e| doc.entities.get(e))
        .map(|e| e.name.as_str())
        .collect();
    (!v.is_empty()).then(|| v.join("; "))
}

/// Stock exchanges and listing boards (`data/stock_exchanges.tsv`), lower-cased.
static STOCK_EXCHANGES: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
    cues::table_rows(include_str!("../../data/stock_exchanges.tsv"))
        .filter_map(|cols| cols.first().map(|c| c.to_lowercase()))
        .filter(|c| !c.is_empty())
        .collect()
});

/// True for the name of a stock exchange or listing board (上交所, Nasdaq, 香港联合交易所).
fn is_stock_exchange(name: &str) -> bool {
    let lower = name.to_lowercase();
    lower.ends_with("交易所")
        || lower.ends_with("stock exchange")
        || STOCK_EXCHANGES.iter().any(|x| *x == lower)
}

fn to_fact(ctx: &Context<'_>, doc: &Document, d: &Draft, span: NSpan, recent: bool) -> Fact {
    let value = d.value.and_then(|i| doc.amounts.get(i));
    let percent = d
        .percent
        .and_then(|i| doc.amounts.get(i))
        .and_then(|a| a.value);
    Fact {
        id: String::new(),
        kind: d.kind.to_string(),
        subject: names(doc, &d.subject),
        object: names(doc, &d.object),
        value: value.and_then(|a| a.value),
        unit: value.and_then(|a| a.unit.clone()),
        display: value.and_then(|a| a.display.clone()),
        percent,
        date: fact_date(ctx, doc, d.trigger.0, span, recent),
        evidence: String::new(),
        start: 0,
        end: 0,
        nspan: span,
    }
}

/// `a` says everything `b` says (same type and subject; b's object, value and percent are
/// absent or equal to a's): `b` is a repeat.
fn covers(a: &Fact, b: &Fact) -> bool {
    let within = |x: &Option<String>, y: &Option<String>| match (x, y) {
        (_, None) => true,
        (Some(x), Some(y)) => y.split("; ").all(|p| x.split("; ").any(|q| q == p)),
        (None, Some(_)) => false,
    };
    let same_or_absent =
        |x: &Option<crate::num::Num>, y: &Option<crate::num::Num>| y.is_none() || x == y;
    a.kind == b.kind
        && a.subject == b.subject
        && within(&a.object, &b.object)
        && same_or_absent(&a.value, &b.value)
        && same_or_absent(&a.percent, &b.percent)
}

/// The sentence's own date nearest before the trigger (else the first after it in its
/// clause; its value, null when unresolved), else the nearest earlier resolved date of the
/// paragraph, else the document date for news of the moment.
fn fact_date(
    ctx: &Context<'_>,
    doc: &Document,
    trigger: usize,
    span: NSpan,
    recent: bool,
) -> Option<String> {
    let usable = |d: &&crate::document::DateItem| d.kind != DateKind::Duration && d.value.is_some();
    // The sentence's own dates count even when unresolved (7月份 with no year known): the
    // fact then has no date, rather than a year borrowed from another sentence (到2027年).
    let in_sentence: Vec<_> = doc
        .dates
        .iter()
        .filter(|d| d.kind != DateKind::Duration)
        .filter(|d| d.nspan.0 >= span.0 && d.nspan.0 < span.1)
        .collect();
    // Before the trigger, else after it in its own clause: a date in a later clause
    // (交易已于上周完成交割) tells of something else.
    let clause_end = ctx
        .text
        .get(trigger..span.1)
        .and_then(|t| t.find([',', ';', ':']))
        .map_or(span.1, |i| trigger + i);
    let own = in_sentence
        .iter()
        .filter(|d| d.nspan.0 <= trigger)
        .max_by_key(|d| d.nspan.0)
        .or_else(|| {
            in_sentence
                .iter()
                .filter(|d| d.nspan.0 < clause_end)
                .min_by_key(|d| d.nspan.0)
        });
    if let Some(d) = own {
        return d.value.clone();
    }
    let para = ctx
        .seg
        .paragraph_index(span.0)
        .and_then(|p| ctx.seg.paragraphs.get(p))
        .copied();
    if let Some((ps, _)) = para {
        let earlier = doc
            .dates
            .iter()
            .filter(usable)
            .filter(|d| d.nspan.0 >= ps && d.nspan.1 <= span.0)
            .max_by_key(|d| d.nspan.0);
        if let Some(d) = earlier {
            return d.value.clone();
        }
    }
    if recent {
        return doc.doc_date.clone();
    }
    None
}

/// The fact's value amounts take the fact's view: role from the trigger row (unless a cue
/// already named one of the row's roles), subject from the fact (a stake belongs to the
/// target).
fn label_values(doc: &mut Document, f: &Fact, d: &Draft) {
    // The role of the fact's (refined) type: its first trigger row's first value role.
    let row = TRIGGERS
        .rows
        .iter()
        .find(|r| r.kind == d.kind)
        .unwrap_or(&TRIGGERS.rows[d.row]);
    let default_role = row.value_roles.first().copied().unwrap_or("other");
    let first = |s: &Option<String>| {
        s.as_deref()
            .and_then(|x| x.split("; ").next())
            .map(str::to_string)
    };
    for i in [d.value, d.percent].into_iter().flatten() {
        let Some(a) = doc.amounts.get_mut(i) else {
            continue;
        };
        let role = a.role.clone().unwrap_or_default();
        // A percentage of a deal is the stake; anything else takes the type's role.
        let default_role = if a.kind == crate::document::AmountKind::Percent
            && row.value_roles.contains(&"stake")
        {
            "stake"
        } else {
            default_role
        };
        if (role == "other" || role.is_empty()) && default_role != "quantity" {
            a.role = Some(default_role.to_string());
        }
        let is_stake = a.role.as_deref() == Some("stake");
        let subject = if is_stake {
            first(&f.object).or_else(|| first(&f.subject))
        } else {
            first(&f.subject)
        };
        if subject.is_some() && a.role.as_deref() != Some("commission") {
            a.subject = subject;
        }
    }
}

#[cfg(test)]
mod tests {
    //! Hand-built documents: entities, amounts and dates placed by substring, so the facts
    //! logic is tested without the recognisers.
    use super::*;
    use crate::document::{Amount, AmountKind, DateItem, Entity, EntityType, Mention};
    use crate::num::Num;

    pub struct Kit {
        pub text: String,
        pub doc: Document,
    }

    impl Kit {
        pub fn new(text: &str) -> Kit {
            Kit {
                text: text.to_string(),
                doc: Document {
                    doc_date: Some("2025-09-05".into()),
                    ..Default::default()
                },
            }
        }

        fn spans(&self, needle: &str) -> Vec<NSpan> {
            self.text
                .match_indices(needle)
                .map(|(s, n)| (s, s + n.len()))
                .collect()
        }

        /// An entity with every occurrence of each surface form as a mention.
        pub fn ent(mut self, kind: EntityType, name: &str, forms: &[&str]) -> Kit {
            let mut mentions: Vec<Mention> = Vec::new();
            for f in std::iter::once(&name).chain(forms) {
                for sp in self.spans(f) {
                    if !mentions
                        .iter()
                        .any(|m| m.nspan.0 < sp.1 && sp.0 < m.nspan.1)
                    {
                        mentions.push(Mention::at(sp));
                    }
                }
            }
            let id = format!("E{}", self.doc.entities.len() + 1);
            self.doc.entities.push(Entity {
                id,
                kind,
                name: name.into(),
                name_en: None,
                mentions,
            });
            self
        }

        /// An amount at the n-th occurrence of `surface`.
        pub fn amt(
            mut self,
            surface: &str,
            nth: usize,
            kind: AmountKind,
            value: &str,
            unit: &str,
        ) -> Kit {
            let sp = self.spans(surface)[nth];
            let mut a = Amount::new(kind, sp);
            a.value = Num::parse_decimal(value);
            a.unit = Some(unit.into());
            a.display = Some(format!("{unit} {value}"));
            self.doc.amounts.push(a);
            self
        }

        pub fn date(mut self, surface: &str, value: &str) -> Kit {
            let sp = self.spans(surface)[0];
            let mut d = DateItem::new(DateKind::Date, sp);
            d.value = Some(value.into());
            self.doc.dates.push(d);
            self
        }

        /// A date the recogniser found but could not resolve (no year known).
        pub fn unresolved(mut self, surface: &str) -> Kit {
            let sp = self.spans(surface)[0];
            self.doc.dates.push(DateItem::new(DateKind::Date, sp));
            self
        }

        pub fn run(mut self) -> Document {
            let seg = crate::segment::segment(&self.text, true);
            let ctx = Context {
                text: &self.text,
                seg: &seg,
                doc_date: None,
                numbers: false,
            };
            extract(&ctx, &mut self.doc);
            self.doc
        }
    }

    /// `type subject -> object value% date` lines, for readable assertions.
    fn summary(doc: &Document) -> Vec<String> {
        doc.facts
            .iter()
            .map(|f| {
                format!(
                    "{} {} -> {} {} {} {}",
                    f.kind,
                    f.subject.as_deref().unwrap_or("-"),
                    f.object.as_deref().unwrap_or("-"),
                    f.value.map_or("-".into(), |v| format!(
                        "{} {}",
                        v,
                        f.unit.as_deref().unwrap_or("")
                    )),
                    f.percent.map_or("-".into(), |p| format!("{p}%")),
                    f.date.as_deref().unwrap_or("-")
                )
            })
            .collect()
    }

    fn role(doc: &Document, i: usize) -> (&str, &str) {
        (
            doc.amounts[i].role.as_deref().unwrap_or("-"),
            doc.amounts[i].subject.as_deref().unwrap_or("-"),
        )
    }

    use AmountKind::{Money, Percent, Quantity};
    use EntityType::{Org, Person};

    #[test]
    fn minority_purchase_is_an_investment_with_stake_and_paragraph_date() {
        let doc = Kit::new("今年3月,Nova迎来转折。腾讯斥资80亿元收购Nova 30%的股份,将其估值推高至400亿元(约合55亿美元)。")
            .ent(Org, "腾讯", &[])
            .ent(Org, "Nova", &[])
            .amt("80亿元", 0, Money, "8000000000", "CNY")
            .amt("30%", 0, Percent, "30", "%")
            .amt("400亿元", 0, Money, "40000000000", "CNY")
            .amt("55亿美元", 0, Money, "5500000000", "USD")
            .date("今年3月", "2025-03")
            .run();
        assert_eq!(
            summary(&doc),
            vec![
                "investment 腾讯 -> Nova 8000000000 CNY 30% 2025-03",
                "valuation Nova -> - 40000000000 CNY - 2025-03"
            ]
        );
        assert_eq!(role(&doc, 0), ("investment", "腾讯"));
        assert_eq!(role(&doc, 1), ("stake", "Nova"));
        assert_eq!(role(&doc, 2), ("valuation", "Nova"));
        assert_eq!(
            role(&doc, 3),
            ("valuation", "Nova"),
            "a conversion restates its amount"
        );
    }

    #[test]
    fn ba_lawsuit_and_relative_clause_valuation() {
        let doc = Kit::new("8月12日,芯源科技一纸诉状,将前销售总监王磊及其新东家——估值已达15亿元的初创公司光迹智能双双告上法庭。")
            .ent(Org, "芯源科技", &[])
            .ent(Person, "王磊", &[])
            .ent(Org, "光迹智能", &[])
            .amt("15亿元", 0, Money, "1500000000", "CNY")
            .date("8月12日", "2025-08-12")
            .run();
        assert_eq!(
            summary(&doc),
            vec![
                "valuation 光迹智能 -> - 1500000000 CNY - 2025-08-12",
                "lawsuit 芯源科技 -> 王磊; 光迹智能 - - 2025-08-12"
            ]
        );
        assert_eq!(role(&doc, 0), ("valuation", "光迹智能"));
    }

    #[test]
    fn commission_with_threshold() {
        let doc = Kit::new("光迹智能向王磊开出条件:支付其带来项目毛利润的15%作为提成,前提是王磊能带来超过300万元的毛利润。")
            .ent(Org, "光迹智能", &[])
            .ent(Person, "王磊", &[])
            .amt("15%", 0, Percent, "15", "%")
            .amt("300万元", 0, Money, "3000000", "CNY")
            .run();
        assert_eq!(summary(&doc), vec!["commission 光迹智能 -> 王磊 - 15% -"]);
        assert_eq!(role(&doc, 0).0, "commission");
        assert_eq!(role(&doc, 1).0, "threshold");
    }

    #[test]
    fn plan_presupposes_the_contract_but_is_no_fact_itself() {
        let doc =
            Kit::new("据报道,华为正在计划终止一份价值3亿元的合同。小米计划收购一家芯片公司。")
                .ent(Org, "华为", &[])
                .ent(Org, "小米", &[])
                .amt("3亿元", 0, Money, "300000000", "CNY")
                .run();
        assert_eq!(summary(&doc), vec!["contract 华为 -> - 300000000 CNY - -"]);
        assert_eq!(role(&doc, 0), ("contract", "华为"));
    }

    #[test]
    fn an_exchange_is_no_company_going_public() {
        let doc = Kit::new("罗辑思维计划在科创板上市,上海证券交易所负责审核其IPO申请。")
            .ent(Org, "上海证券交易所", &[])
            .run();
        assert!(summary(&doc).is_empty(), "{:?}", summary(&doc));
        let doc = Kit::new("小米集团在港交所上市,IPO募资240亿港元。")
            .ent(Org, "小米集团", &[])
            .ent(Org, "港交所", &[])
            .amt("240亿港元", 0, Money, "24000000000", "HKD")
            .run();
        assert!(
            summary(&doc).iter().all(|f| f.starts_with("ipo 小米集团")),
            "{:?}",
            summary(&doc)
        );
        assert!(!summary(&doc).is_empty());
        assert!(is_stock_exchange("香港联合交易所") && is_stock_exchange("NASDAQ"));
        assert!(!is_stock_exchange("小米集团"));
    }

    #[test]
    fn a_figure_compared_with_takes_its_role() {
        let doc = Kit::new(
            "ACME CORP 4TH QTR LOSS - Shr loss 67 cts vs profit 60 cts Net loss 1,398,000 dlrs.",
        )
        .ent(Org, "ACME CORP", &[])
        .amt("67 cts", 0, Money, "0.67", "USD")
        .amt("60 cts", 0, Money, "0.6", "USD")
        .run();
        assert_eq!(role(&doc, 0).0, "price");
        assert_eq!(role(&doc, 1).0, "price");
        assert!(
            summary(&doc).iter().all(|f| !f.contains("0.6 USD")),
            "{:?}",
            summary(&doc)
        );
    }

    #[test]
    fn company_figures_need_a_company_and_joining_needs_a_place() {
        let doc = Kit::new("据李来金介绍,快递员白天配送一单的收入为10元。")
            .ent(Person, "李来金", &[])
            .amt("10元", 0, Money, "10", "CNY")
            .run();
        assert!(summary(&doc).is_empty(), "{:?}", summary(&doc));
        let doc = Kit::new("刘宇让团队开始加入充值功能。")
            .ent(Person, "刘宇", &[])
            .run();
        assert!(summary(&doc).is_empty(), "{:?}", summary(&doc));
        let doc = Kit::new("刘宇于6月加入腾讯。")
            .ent(Person, "刘宇", &[])
            .ent(Org, "腾讯", &[])
            .run();
        assert_eq!(summary(&doc), vec!["hire 刘宇 -> 腾讯 - - -"]);
    }

    #[test]
    fn an_unresolved_date_of_its_own_borrows_no_year() {
        let doc = Kit::new("越南计划到2027年实现无现金经济。软银曾在7月份对VNPAY投资3亿美元。")
            .ent(Org, "软银", &[])
            .ent(Org, "VNPAY", &[])
            .amt("3亿美元", 0, Money, "300000000", "USD")
            .date("2027年", "2027")
            .unresolved("7月份")
            .run();
        assert!(!doc.facts.is_empty());
        assert!(
            doc.facts.iter().all(|f| f.date.is_none()),
            "{:?}",
            summary(&doc)
        );
        // A resolved date of its own still dates the fact.
        let doc = Kit::new("软银于2025年7月对VNPAY投资3亿美元。")
            .ent(Org, "软银", &[])
            .ent(Org, "VNPAY", &[])
            .amt("3亿美元", 0, Money, "300000000", "USD")
            .date("2025年7月", "2025-07")
            .run();
        assert_eq!(
            doc.facts.first().and_then(|f| f.date.clone()).as_deref(),
            Some("2025-07")
        );
    }

    #[test]
    fn per_share_figures_are_not_totals() {
        let doc = Kit::new("Acme Corp reported a net profit of $1.2 billion, or $2.10 per share.")
            .ent(Org, "Acme Corp", &[])
            .amt("$1.2 billion", 0, Money, "1200000000", "USD")
            .amt("$2.10", 0, Money, "2.1", "USD")
            .run();
        assert_eq!(
            summary(&doc),
            vec!["profit Acme Corp -> - 1200000000 USD - -"]
        );
        assert_eq!(role(&doc, 1).0, "price");
        let doc = Kit::new("腾讯去年净利润达到1500亿元,每股收益15.8元。")
            .ent(Org, "腾讯", &[])
            .amt("1500亿元", 0, Money, "150000000000", "CNY")
            .amt("15.8元", 0, Money, "15.8", "CNY")
            .run();
        assert_eq!(role(&doc, 0).0, "profit");
        assert_eq!(role(&doc, 1).0, "price");
    }

    #[test]
    fn the_company_refers_back_to_the_last_company_named() {
        let doc = Kit::new("星河数码有限公司经营的网站发布了违规内容。监管部门依法对该公司作出罚款50万元的行政处罚。")
            .ent(Org, "星河数码有限公司", &[])
            .amt("50万元", 0, Money, "500000", "CNY")
            .run();
        assert_eq!(
            summary(&doc),
            vec!["fine 星河数码有限公司 -> - 500000 CNY - -"]
        );
        // With no company named before it, 该公司 refers to nothing.
        let doc = Kit::new("监管部门依法对该公司作出罚款50万元的行政处罚。")
            .amt("50万元", 0, Money, "500000", "CNY")
            .run();
        assert!(summary(&doc).iter().all(|f| !f.contains("该公司")));
    }

    #[test]
    fn quoted_moves_hire_and_departure() {
        let doc = Kit::new("9月1日,张伟在微博上发声:“上个月,我从字节跳动离职并加入智谱。”")
            .ent(Person, "张伟", &[])
            .ent(Org, "字节跳动", &[])
            .ent(Org, "智谱", &[])
            .date("上个月", "2025-08")
            .run();
        assert_eq!(
            summary(&doc),
            vec![
                "departure 张伟 -> 字节跳动 - - 2025-08",
                "hire 张伟 -> 智谱 - - 2025-08"
            ]
        );
    }

    #[test]
    fn english_passive_fine_and_active_acquisition() {
        let doc = Kit::new("Acme Corp was fined $5 million by the SEC on Tuesday. Globex agreed to acquire Initech for $2.1 billion.")
            .ent(Org, "Acme Corp", &[])
            .ent(Org, "SEC", &[])
            .ent(Org, "Globex", &[])
            .ent(Org, "Initech", &[])
            .amt("$5 million", 0, Money, "5000000", "USD")
            .amt("$2.1 billion", 0, Money, "2100000000", "USD")
            .run();
        assert_eq!(
            summary(&doc),
            vec![
                "fine Acme Corp -> SEC 5000000 USD - -",
                "acquisition Globex -> Initech 2100000000 USD - -"
            ]
        );
        assert_eq!(role(&doc, 0), ("fine", "Acme Corp"));
        assert_eq!(role(&doc, 1), ("price", "Globex"));
    }

    #[test]
    fn reuters_stake_is_an_investment() {
        let doc = Kit::new("Industrial Equity (Pacific) Ltd said it raised its stake in Wrather Corp to 816,000 shares, or 11.3 pct of the total outstanding common stock.")
            .ent(Org, "Industrial Equity (Pacific) Ltd", &[])
            .ent(Org, "Wrather Corp", &[])
            .amt("816,000 shares", 0, Quantity, "816000", "shares")
            .amt("11.3 pct", 0, Percent, "11.3", "%")
            .run();
        assert_eq!(
            summary(&doc),
            vec!["investment Industrial Equity (Pacific) Ltd -> Wrather Corp - 11.3% -"]
        );
        assert_eq!(role(&doc, 1), ("stake", "Wrather Corp"));
    }

    #[test]
    fn forecasts_market_caps_and_denials_are_not_facts() {
        let doc = Kit::new("台积电预计第四季度营收将达到260亿美元。苹果市值达到3万亿美元。星辰否认了收购月光的传闻。")
            .ent(Org, "台积电", &[])
            .ent(Org, "苹果", &[])
            .ent(Org, "星辰", &[])
            .ent(Org, "月光", &[])
            .amt("260亿美元", 0, Money, "26000000000", "USD")
            .amt("3万亿美元", 0, Money, "3000000000000", "USD")
            .run();
        assert!(doc.facts.is_empty(), "{:?}", summary(&doc));
        assert_eq!(role(&doc, 0).0, "revenue");
        assert_eq!(role(&doc, 1).0, "valuation");
    }

    #[test]
    fn repeats_merge_and_ids_follow_the_text() {
        let doc = Kit::new("Mercor估值已达20亿美元。作为新公司,Mercor迅速崛起,估值已达20亿美元。")
            .ent(Org, "Mercor", &[])
            .amt("20亿美元", 0, Money, "2000000000", "USD")
            .amt("20亿美元", 1, Money, "2000000000", "USD")
            .run();
        assert_eq!(
            summary(&doc),
            vec!["valuation Mercor -> - 2000000000 USD - -"]
        );
        assert_eq!(doc.facts[0].id, "F1");
    }

    #[test]
    fn receiving_investment_and_coordinated_investors() {
        let doc = Kit::new("软银和GIC曾在7月份对电子钱包VNPAY投资3亿美元;而Momo则在1月份获得华平投资的1亿美元投资。Grab在市场营销方面的投资大幅增加。")
            .ent(Org, "软银", &[])
            .ent(Org, "GIC", &[])
            .ent(Org, "VNPAY", &[])
            .ent(Org, "Momo", &[])
            .ent(Org, "华平投资", &[])
            .ent(Org, "Grab", &[])
            .amt("3亿美元", 0, Money, "300000000", "USD")
            .amt("1亿美元", 0, Money, "100000000", "USD")
            .date("7月份", "2025-07")
            .date("1月份", "2025-01")
            .run();
        assert_eq!(
            summary(&doc),
            vec![
                "investment 软银; GIC -> VNPAY 300000000 USD - 2025-07",
                "investment 华平投资 -> Momo 100000000 USD - 2025-01"
            ]
        );
    }

    #[test]
    fn a_modifier_name_is_not_the_doer() {
        let doc = Kit::new(
            "近日蚂蚁金服参股的税友软件提交了招股书。Alphabet旗下的谷歌与三星签署合作协议。",
        )
        .ent(Org, "蚂蚁金服", &[])
        .ent(Org, "Alphabet", &[])
        .ent(Org, "谷歌", &[])
        .ent(Org, "三星", &[])
        .run();
        assert_eq!(summary(&doc), vec!["partnership 谷歌 -> 三星 - - -"]);
    }

    #[test]
    fn a_change_reports_its_new_figure() {
        let doc = Kit::new("本轮融资后,Perplexity的估值从90亿美元升至140亿美元。")
            .ent(Org, "Perplexity", &[])
            .amt("90亿美元", 0, Money, "9000000000", "USD")
            .amt("140亿美元", 0, Money, "14000000000", "USD")
            .run();
        assert_eq!(
            summary(&doc),
            vec!["valuation Perplexity -> - 14000000000 USD - -"]
        );
    }

    #[test]
    fn no_input_panics_on_odd_spans() {
        let mut kit = Kit::new("收购。");
        let mut a = Amount::new(Money, (100, 200));
        a.value = Some(Num::from_int(1));
        kit.doc.amounts.push(a);
        kit.doc.entities.push(Entity {
            id: "E1".into(),
            kind: Org,
            name: "X".into(),
            name_en: None,
            mentions: vec![Mention::at((50, 60))],
        });
        let doc = kit.run();
        assert!(doc.facts.is_empty());
    }
}
