//! Byte decoding: UTF-8 (with or without BOM), UTF-16 with BOM, and legacy Chinese
//! encodings (GB18030/GBK/GB2312, Big5) detected with chardetng.
//!
//! Undecodable bytes never stop a run: a mostly-UTF-8 file with a few broken sequences is
//! decoded with replacement characters and a warning; binary data is refused with a reason.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

/// A decoded text, the name of the encoding found and any warning.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Decoded {
    pub text: String,
    pub encoding: &'static str,
    pub warning: Option<String>,
}

/// Why bytes could not be decoded as text.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub(crate) enum DecodeError {
    #[error("empty file: there is no text to extract from")]
    Empty,
    #[error("binary file (not text): {0}; only text, Markdown, HTML and JSON Lines are read")]
    Binary(String),
}

/// Magic numbers of binary formats that end up renamed `.txt`.
const SIGNATURES: &[(&[u8], &str)] = &[
    (b"\x89PNG", "PNG image"),
    (b"\xFF\xD8\xFF", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"%PDF", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or docx/xlsx)"),
    (b"\x1F\x8B", "gzip archive"),
    (b"\x7FELF", "ELF executable"),
];

/// Why `bytes` (the start of a file) look like binary data rather than text, if they do.
pub(crate) fn looks_binary(bytes: &[u8]) -> Option<String> {
    for (sig, what) in SIGNATURES {
        if bytes.starts_with(sig) {
            return Some((*what).to_string());
        }
    }
    let sample = &bytes[..bytes.len().min(8192)];
    let nul = sample.iter().filter(|&&b| b == 0).count();
    let control = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C | 0x1B))
        .count();
    if nul > 0 {
        return Some(format!(
            "{nul} NUL bytes in the first {} bytes",
            sample.len()
        ));
    }
    if control * 10 > sample.len() {
        return Some(format!(
            "{control} control bytes in the first {} bytes",
            sample.len()
        ));
    }
    None
}

/// Decodes a whole file's bytes.
pub(crate) fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    decode_with_hint(bytes, None)
}

/// Decodes bytes, preferring `declared` (e.g. an HTML `<meta charset>`) over statistical
/// detection when the bytes are not valid UTF-8 and carry no byte-order mark.
pub(crate) fn decode_with_hint(
    bytes: &[u8],
    declared: Option<&'static Encoding>,
) -> Result<Decoded, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        let name = encoding_name(enc);
        let warning = had_errors.then(|| format!("invalid {name} sequences replaced with U+FFFD"));
        if text.trim().is_empty() {
            return Err(DecodeError::Empty);
        }
        return Ok(Decoded {
            text: text.into_owned(),
            encoding: name,
            warning,
        });
    }
    // A file format's magic number settles it before any guessing about UTF-16.
    let signed = SIGNATURES.iter().any(|(sig, _)| bytes.starts_with(sig));
    if let Some(d) = bomless_utf16(bytes).filter(|_| !signed) {
        return Ok(d);
    }
    if let Some(why) = looks_binary(bytes) {
        return Err(DecodeError::Binary(why));
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(Decoded {
            text: s.to_string(),
            encoding: "UTF-8",
            warning: None,
        });
    }
    // Mostly UTF-8 with a few broken sequences (a truncated or spliced file): keep UTF-8
    // and replace the broken bytes. Legacy encodings (GBK, Big5, windows-1252) read as
    // UTF-8 give many broken sequences and few valid multi-byte ones (about one valid to
    // eight broken for GBK), so detection decides for them.
    let (lossy, _) = UTF_8.decode_without_bom_handling(bytes);
    let bad = lossy.matches('\u{FFFD}').count();
    let multibyte = lossy
        .chars()
        .filter(|c| !c.is_ascii() && *c != '\u{FFFD}')
        .count();
    if multibyte > 0 && bad * 3 <= multibyte {
        return Ok(Decoded {
            text: lossy.into_owned(),
            encoding: "UTF-8",
            warning: Some(format!(
                "{bad} invalid UTF-8 sequences replaced with U+FFFD"
            )),
        });
    }
    let enc = match declared.filter(|e| *e != UTF_8 && *e != UTF_16LE && *e != UTF_16BE) {
        Some(e) => e,
        None => {
            let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            det.feed(bytes, true);
            let guess = det.guess(None, chardetng::Utf8Detection::Deny);
            // chardetng rules out an encoding at its first invalid sequence, so a Chinese
            // file with one broken or truncated character would be read as windows-1252.
            if guess.is_single_byte() {
                chinese_despite_broken_bytes(bytes).unwrap_or(guess)
            } else {
                guess
            }
        }
    };
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    let name = encoding_name(enc);
    let warning =
        had_errors.then(|| format!("bytes invalid in detected {name} replaced with U+FFFD"));
    Ok(Decoded {
        text: text.into_owned(),
        encoding: name,
        warning,
    })
}

/// The legacy Chinese encodings a broken byte can hide from detection.
const CHINESE_LEGACY: [&Encoding; 2] = [&encoding_rs::GBK_INIT, &encoding_rs::BIG5_INIT];

/// A legacy Chinese encoding that `bytes` are written in apart from a few malformed
/// sequences (a byte lost in scraping, a file cut inside a character): the bytes without
/// those sequences must be valid in it, and detection on them must choose it. At most one
/// malformed sequence per 200 non-ASCII bytes (and at least one) is allowed; the decoder
/// then replaces them with U+FFFD and the document carries a warning.
fn chinese_despite_broken_bytes(bytes: &[u8]) -> Option<&'static Encoding> {
    let high = bytes.iter().filter(|&&b| b >= 0x80).count();
    let limit = 1 + high / 200;
    CHINESE_LEGACY
        .into_iter()
        .filter_map(|enc| {
            let (kept, malformed) = without_malformed(bytes, enc, limit)?;
            let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            det.feed(&kept, true);
            (det.guess(None, chardetng::Utf8Detection::Deny) == enc).then_some((malformed, enc))
        })
        .min_by_key(|&(malformed, _)| malformed)
        .map(|(_, enc)| enc)
}

/// `bytes` without the sequences that are malformed in `enc`, and how many there were;
/// `None` past `limit` of them. One pass of one decoder (its output goes to a fixed buffer
/// and is dropped), so the cost is linear in the input whatever the number of errors.
fn without_malformed(
    bytes: &[u8],
    enc: &'static Encoding,
    limit: usize,
) -> Option<(Vec<u8>, usize)> {
    use encoding_rs::DecoderResult;
    let mut decoder = enc.new_decoder_without_bom_handling();
    let mut kept = Vec::with_capacity(bytes.len());
    let mut sink = String::with_capacity(64 * 1024);
    let mut pos = 0;
    let mut malformed = 0;
    loop {
        sink.clear();
        let rest = &bytes[pos..];
        let (result, read) = decoder.decode_to_string_without_replacement(rest, &mut sink, true);
        match result {
            DecoderResult::InputEmpty => {
                kept.extend_from_slice(&rest[..read]);
                return Some((kept, malformed));
            }
            DecoderResult::OutputFull => kept.extend_from_slice(&rest[..read]),
            DecoderResult::Malformed(bad, after) => {
                malformed += 1;
                if malformed > limit {
                    return None;
                }
                // The malformed bytes end `after` bytes before what was read; the bytes
                // after them were read as the start of the next character and stay.
                let bad_end = read.saturating_sub(after as usize);
                let bad_start = bad_end.saturating_sub(bad as usize);
                kept.extend_from_slice(&rest[..bad_start]);
                kept.extend_from_slice(&rest[bad_end..read]);
            }
        }
        if read == 0 {
            // No progress with an empty buffer cannot happen (it holds 64 KB); never loop.
            return None;
        }
        pos += read;
    }
}

/// Characters that news text is made of: printable ASCII and whitespace, Latin letters,
/// general and CJK punctuation, Chinese characters, full-width forms.
fn looks_like_text(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~')
        || matches!(c as u32, 0xA0..=0x24F | 0x2000..=0x206F | 0x20A0..=0x20CF | 0x2100..=0x218F | 0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xFF00..=0xFFEF)
}

/// The name reported for an encoding: the WHATWG name, with UTF-16 spelled out.
fn encoding_name(enc: &'static Encoding) -> &'static str {
    if enc == UTF_16LE {
        "UTF-16LE"
    } else if enc == UTF_16BE {
        "UTF-16BE"
    } else {
        enc.name()
    }
}

/// UTF-16 without a byte-order mark, recognised by its zero high bytes: the ASCII in it
/// (digits, spaces, Latin words) puts NULs on one side of the byte pairs only. The decoded
/// text must then look like text (letters, Chinese, punctuation, no control characters):
/// binary data with NULs on one side decodes to random code points, which it does not.
fn bomless_utf16(bytes: &[u8]) -> Option<Decoded> {
    let sample = &bytes[..bytes.len().min(8192) & !1];
    let pairs = sample.len() / 2;
    if pairs < 4 {
        return None;
    }
    let even_nul = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_nul = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    let enc = if odd_nul >= 2 && even_nul * 50 <= odd_nul {
        UTF_16LE
    } else if even_nul >= 2 && odd_nul * 50 <= even_nul {
        UTF_16BE
    } else {
        return None;
    };
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    let total = text.chars().count();
    let text_like = text.chars().filter(|&c| looks_like_text(c)).count();
    if had_errors || text_like * 100 < total * 97 || text.trim().is_empty() {
        return None;
    }
    Some(Decoded {
        text: text.into_owned(),
        encoding: encoding_name(enc),
        warning: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_and_bom() {
        assert_eq!(decode("数据".as_bytes()).unwrap().encoding, "UTF-8");
        let mut b = vec![0xEF, 0xBB, 0xBF];
        b.extend_from_slice("数据".as_bytes());
        let d = decode(&b).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), ("数据", "UTF-8"));
    }

    #[test]
    fn utf16() {
        let mut b = vec![0xFF, 0xFE];
        for u in "谷歌公司".encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode(&b).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), ("谷歌公司", "UTF-16LE"));
    }

    #[test]
    fn gbk_and_big5_without_marker() {
        let text = "据知情人士透露，谷歌正在计划终止一份价值两亿美元的合同，微软也在重新评估与该公司的合作关系。";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let d = decode(&gbk).unwrap();
        assert_eq!(d.text, text);
        assert!(
            d.encoding == "GBK" || d.encoding == "gb18030",
            "{}",
            d.encoding
        );
        let trad = "據知情人士透露，谷歌正在計劃終止一份價值兩億美元的合同，微軟也在重新評估與該公司的合作關係。";
        let (big5, _, _) = encoding_rs::BIG5.encode(trad);
        let d = decode(&big5).unwrap();
        assert_eq!(d.text, trad);
        assert_eq!(d.encoding, "Big5");
    }

    /// A Chinese legacy file with a broken byte or a truncated last character is still
    /// read in its encoding (with a warning), not as windows-1252.
    #[test]
    fn big5_and_gbk_with_a_broken_byte() {
        let trad = "據知情人士透露，台積電今年營收成長三成，達到新台幣兩兆元，微軟也在重新評估與該公司的合作關係。";
        let (big5, _, _) = encoding_rs::BIG5.encode(trad);
        let mut broken = big5.to_vec();
        broken.insert(12, 0x81);
        let d = decode(&broken).unwrap();
        assert_eq!(d.encoding, "Big5");
        assert!(d.text.contains("台積電今年營收"), "{}", d.text);
        assert!(d.warning.is_some());
        let truncated = &big5[..big5.len() - 1];
        let d = decode(truncated).unwrap();
        assert_eq!(d.encoding, "Big5");
        assert!(d.text.starts_with("據知情人士透露"), "{}", d.text);
        let simp = "据知情人士透露，谷歌正在计划终止一份价值两亿美元的合同，微软也在重新评估与该公司的合作关系。";
        let (gbk, _, _) = encoding_rs::GBK.encode(simp);
        let mut broken = gbk.to_vec();
        broken.insert(20, 0xFF);
        let d = decode(&broken).unwrap();
        assert!(
            d.encoding == "GBK" || d.encoding == "gb18030",
            "{}",
            d.encoding
        );
        assert!(d.text.contains("正在计划终止"), "{}", d.text);
        // Many broken sequences are no Chinese file.
        let mut noisy = big5.to_vec();
        for i in (0..noisy.len()).step_by(7) {
            noisy[i] = 0x81;
        }
        assert_ne!(decode(&noisy).unwrap().encoding, "Big5");
    }

    #[test]
    fn refuses_binary_and_empty() {
        assert_eq!(decode(b""), Err(DecodeError::Empty));
        assert!(matches!(
            decode(b"\x89PNG\r\n\x1a\n\0\0\0"),
            Err(DecodeError::Binary(_))
        ));
    }

    #[test]
    fn mostly_utf8_keeps_utf8() {
        let mut b = "数据标注巨头起诉前员工。".repeat(10).into_bytes();
        b.push(0xFF);
        let d = decode(&b).unwrap();
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.warning.is_some());
    }

    #[test]
    fn english_utf8_with_one_broken_byte_stays_utf8() {
        let mut b = "Shares fell \u{2014} again \u{2014} on Monday, said Société Générale."
            .as_bytes()
            .to_vec();
        b.push(0xE2);
        let d = decode(&b).unwrap();
        assert_eq!(d.encoding, "UTF-8");
        assert!(
            d.text.starts_with("Shares fell \u{2014} again"),
            "{}",
            d.text
        );
    }

    #[test]
    fn ascii_with_windows_1252_quotes_is_not_utf8() {
        let mut b = b"Shares rose after the company said it was \x93confident\x94 about the deal. "
            .repeat(4);
        b.extend_from_slice(b"Analysts called it a \x93strong\x94 quarter.");
        let d = decode(&b).unwrap();
        assert_eq!(d.encoding, "windows-1252");
        assert!(d.text.contains("\u{201C}confident\u{201D}"), "{}", d.text);
        assert!(d.warning.is_none());
    }

    #[test]
    fn utf16_without_bom() {
        let text = "Google said on Tuesday it would invest $2 billion in the company.";
        let le: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        assert_eq!(
            decode(&le).unwrap(),
            Decoded {
                text: text.into(),
                encoding: "UTF-16LE",
                warning: None
            }
        );
        assert_eq!(
            decode(&be).unwrap(),
            Decoded {
                text: text.into(),
                encoding: "UTF-16BE",
                warning: None
            }
        );
        // Chinese with only a little ASCII in it.
        let zh = "2025年9月3日，数据标注巨头起诉前员工，指控其窃取商业机密。";
        let le: Vec<u8> = zh.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        assert_eq!(decode(&le).unwrap().text, zh);
        // NULs without the UTF-16 pattern are still binary.
        assert!(matches!(
            decode(b"abc\0\0\0\0\0\0\0\0def\0\0"),
            Err(DecodeError::Binary(_))
        ));
    }

    #[test]
    fn declared_charset_wins_over_guessing() {
        let (gbk, _, _) = encoding_rs::GBK.encode("谷歌");
        let d = decode_with_hint(&gbk, Some(encoding_rs::GBK)).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), ("谷歌", "GBK"));
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_decode_without_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600)) {
            if let Ok(d) = decode(&bytes) {
                proptest::prop_assert!(!d.text.is_empty());
            }
        }

        #[test]
        fn utf8_text_round_trips(text in "\\PC{1,200}") {
            let d = decode(text.as_bytes());
            if let Ok(d) = d {
                proptest::prop_assert_eq!(d.text, text);
            }
        }
    }
}
