//! Full-width to half-width: `１２３` -> `123`, `ＡＩ` -> `AI`, `，` -> `,`, ideographic space.
//! One character in, one character out, so offsets are untouched.

/// The half-width form of a full-width ASCII variant, else the character itself.
pub(crate) fn half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn converts() {
        let s: String = "１２３ＡＩ，（ｘ）"
            .chars()
            .map(super::half_width)
            .collect();
        assert_eq!(s, "123AI,(x)");
    }
}
