//! Normalisation of what people type: phones and Japanese IMEs produce full-width digits,
//! ideographic spaces and assorted dashes; we fold them before any check.

use unicode_normalization::UnicodeNormalization;

/// NFKC-normalises `raw` (full-width ASCII becomes half-width, compatibility forms fold).
pub fn nfkc(raw: &str) -> String {
    raw.nfkc().collect()
}

/// True for characters people put between digit groups: spaces of every width, hyphens,
/// dashes, the long-vowel mark that IMEs produce for a hyphen, dots, slashes and underscores.
pub fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '-' | '‐'
                | '‑'
                | '‒'
                | '–'
                | '—'
                | '―'
                | '−'
                | 'ー'
                | 'ｰ'
                | '_'
                | '.'
                | '・'
                | '/'
                | ','
                | '\u{200B}'
                | '\u{200C}'
                | '\u{200D}'
                | '\u{2060}'
                | '\u{FEFF}'
        )
}

/// NFKC, then every separator dropped: the canonical form of an ID-like input.
pub fn compact_digits(raw: &str) -> String {
    nfkc(raw).chars().filter(|c| !is_separator(*c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_full_width_digits_spaces_and_dashes() {
        assert_eq!(
            compact_digits("１２３４　５６７８－９０１２ー３４"),
            "12345678901234"
        );
        assert_eq!(compact_digits(" 1234-5678 9012\t34\n"), "12345678901234");
        assert_eq!(compact_digits("\u{FEFF}1234\u{200B}5678"), "12345678");
    }

    #[test]
    fn keeps_letters_so_they_can_be_reported() {
        assert_eq!(compact_digits("12a4"), "12a4");
        assert_eq!(compact_digits("ＡＢ"), "AB");
    }
}
