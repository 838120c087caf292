//! Property tests of the one numeral parser and the amount recogniser:
//! every integer below 10^16 written as a Chinese numeral (Simplified or Traditional, with
//! or without 零, in Arabic groups such as `3万5000`) reads back to itself, and no input
//! string makes the amount recogniser panic.

use newsfacts::recognize::amount::AmountRecognizer;
use newsfacts::recognize::numeral::{parse_numeral, to_chinese_with, NumeralStyle};
use newsfacts::Num;
use proptest::prelude::*;

fn style(traditional: bool, drop_zeros: bool, arabic_groups: bool) -> NumeralStyle {
    NumeralStyle {
        traditional,
        drop_zeros,
        arabic_groups,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

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
