//! Property tests of the one numeral parser and the amount recogniser:
//! every integer below 10^16 written as a Chinese numeral (Simplified or Traditional, with
//! or without 零, in Arabic groups such as `3万5000`) reads back to itself, and no input
//! string makes the amount recogniser panic. English number words (`three hundred and
//! two thousand forty-one`, with or without `and` and hyphens) and Indian digit grouping
//! (`12,34,567`) read back to the integer they spell.

use newsfacts::recognize::amount::AmountRecognizer;
use newsfacts::recognize::numeral::{
    parse_arabic, parse_english, parse_numeral, to_chinese_with, NumeralStyle,
};
use newsfacts::Num;
use proptest::prelude::*;

fn style(traditional: bool, drop_zeros: bool, arabic_groups: bool) -> NumeralStyle {
    NumeralStyle {
        traditional,
        drop_zeros,
        arabic_groups,
    }
}

/// 1..=999 in words: `three hundred and forty-one`.
fn english_below_thousand(n: u64, and: bool, hyphen: bool, out: &mut Vec<String>) {
    const UNITS: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 10] = [
        "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    let (h, r) = (n / 100, n % 100);
    if h > 0 {
        out.push(UNITS[h as usize].into());
        out.push("hundred".into());
        if r > 0 && and {
            out.push("and".into());
        }
    }
    if r >= 20 {
        let t = TENS[(r / 10) as usize];
        match (r % 10, hyphen) {
            (0, _) => out.push(t.into()),
            (u, true) => out.push(format!("{t}-{}", UNITS[u as usize])),
            (u, false) => {
                out.push(t.into());
                out.push(UNITS[u as usize].into());
            }
        }
    } else if r > 0 {
        out.push(UNITS[r as usize].into());
    }
}

/// An integer below 10^12 in English words.
fn to_english(n: u64, and: bool, hyphen: bool) -> String {
    if n == 0 {
        return "zero".into();
    }
    let mut words = Vec::new();
    for (scale, name) in [
        (1_000_000_000, "billion"),
        (1_000_000, "million"),
        (1_000, "thousand"),
    ] {
        let g = (n / scale) % 1000;
        if g > 0 {
            english_below_thousand(g, and, hyphen, &mut words);
            words.push(name.into());
        }
    }
    english_below_thousand(n % 1000, and, hyphen, &mut words);
    words.join(" ")
}

/// Digits grouped the Indian way: `12,34,567`.
fn indian(n: u64) -> String {
    let d = n.to_string();
    if d.len() <= 3 {
        return d;
    }
    let (head, last) = d.split_at(d.len() - 3);
    let mut groups: Vec<String> = Vec::new();
    let mut rest = head;
    while rest.len() > 2 {
        groups.insert(0, rest[rest.len() - 2..].to_string());
        rest = &rest[..rest.len() - 2];
    }
    groups.insert(0, rest.to_string());
    format!("{},{last}", groups.join(","))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn english_numbers_read_back(n in 0u64..1_000_000_000_000u64, and: bool, hyphen: bool) {
        let written = to_english(n, and, hyphen);
        let words: Vec<&str> = written.split([' ', '-']).collect();
        prop_assert_eq!(
            parse_english(&words),
            Some((Num::from_int(n as i128), words.len())),
            "{}", written
        );
    }

    #[test]
    fn indian_grouping_reads_back(n in 100_000u64..100_000_000_000_000u64) {
        let written = indian(n);
        prop_assert_eq!(parse_arabic(&written), Some(Num::from_int(n as i128)), "{}", written);
    }

    #[test]
    fn recogniser_never_panics_on_english_number_soup(
        s in "(one|two|three|twenty|hundred|thousand|million|and|a|half|quarter|thirds|fifth|first|second|dozen|of|out|in|over|point|minus|[0-9]{1,4}|[,./-]|x10\\^|G|b| ){0,30}"
    ) {
        let amounts = AmountRecognizer::new().amounts(&s, true);
        for a in amounts {
            prop_assert!(a.nspan.0 <= a.nspan.1 && a.nspan.1 <= s.len());
        }
    }

    #[test]
    fn chinese_numerals_read_back(n in 0u64..10_000_000_000_000_000u64, trad: bool, drop: bool, arabic: bool) {
        let written = to_chinese_with(n, style(trad, drop, arabic));
        prop_assert_eq!(parse_numeral(&written), Some(Num::from_int(n as i128)), "{}", written);
    }

    #[test]
    fn small_numerals_read_back(n in 0u64..100_000u64, trad: bool, drop: bool) {
        let written = to_chinese_with(n, style(trad, drop, false));
        prop_assert_eq!(parse_numeral(&written), Some(Num::from_int(n as i128)), "{}", written);
    }

    #[test]
    fn recogniser_never_panics(s in "\\PC{0,80}") {
        let _ = AmountRecognizer::new().amounts(&s, true);
    }

    #[test]
    fn recogniser_never_panics_on_numeral_soup(s in "[0-9,.%$¥万亿千百十一二三四五六七八九零两半数几上多余约超过以上至到\\- 元美人民币份个成折分之点又eE^+kKmMbn]{0,60}") {
        let amounts = AmountRecognizer::new().amounts(&s, true);
        for a in amounts {
            prop_assert!(a.nspan.0 <= a.nspan.1 && a.nspan.1 <= s.len());
            prop_assert!(s.is_char_boundary(a.nspan.0) && s.is_char_boundary(a.nspan.1));
        }
    }

    #[test]
    fn huge_digit_runs_are_skipped_or_read(len in 1usize..3000, d in 1u8..10) {
        let digits: String = std::iter::repeat_n(char::from(b'0' + d), len).collect();
        for text in [format!("{digits}美元"), format!("约{digits}亿元"), format!("{digits}%"), format!("$ {digits} million")] {
            let _ = AmountRecognizer::new().amounts(&text, true);
        }
    }
}

#[test]
fn ten_thousand_digits_do_not_panic() {
    let digits = "9".repeat(10_000);
    let r = AmountRecognizer::new();
    let _ = r.amounts(&format!("{digits}元"), true);
    let _ = r.amounts(&format!("{}万亿", "一".repeat(5000)), true);
}
