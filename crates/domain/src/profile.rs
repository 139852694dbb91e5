//! What the helpdesk looks accounts up by: 氏名 and フリガナ folded for search, and 生年月日.

use time::{Date, Month};

use crate::input::nfkc;

/// Folds a name for search: NFKC (full-width letters and half-width kana become standard),
/// every space removed, katakana folded to hiragana, lower case. So 「ｹﾝｾﾂ　ﾀﾛｳ」, 「けんせつ たろう」
/// and 「ケンセツタロウ」 all match.
pub fn search_key(s: &str) -> String {
    let folded: String = nfkc(s)
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '・' | '･'))
        .map(|c| match c {
            'ァ'..='ヶ' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect();
    // Lower-casing can leave a decomposed sequence; normalise once more.
    nfkc(&folded)
}

/// Whether a フリガナ is written in kana (katakana or hiragana, spaces and the long-vowel mark).
pub fn is_kana(s: &str) -> bool {
    let n = nfkc(s);
    !n.trim().is_empty()
        && n.chars().all(|c| {
            c.is_whitespace()
                || matches!(c, 'ぁ'..='ゖ' | 'ァ'..='ヺ' | 'ー' | '・' | 'ゝ' | 'ゞ' | 'ヽ' | 'ヾ')
        })
}

/// Parses 生年月日 as `YYYY-MM-DD` (also `/`, full-width digits, or 年月日).
pub fn parse_birth_date(s: &str) -> Option<Date> {
    let n = nfkc(s.trim())
        .replace(['年', '月', '/', '.'], "-")
        .replace('日', "");
    let mut parts = n.split('-').map(|p| p.trim().parse::<i32>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    if parts.next().is_some() || !(1900..=2100).contains(&y) {
        return None;
    }
    let month = Month::try_from(u8::try_from(m).ok()?).ok()?;
    Date::from_calendar_date(y, month, u8::try_from(d).ok()?).ok()
}

/// `YYYY-MM-DD`.
pub fn format_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn kana_spacing_and_width_fold_together() {
        let k = search_key("ケンセツ タロウ");
        assert_eq!(search_key("けんせつ　たろう"), k);
        assert_eq!(search_key("ｹﾝｾﾂﾀﾛｳ"), k);
        assert_eq!(search_key("建設　太郎"), search_key("建設太郎"));
        assert_eq!(search_key("ＹＡＭＡＤＡ Taro"), "yamadataro");
        assert!(is_kana("ケンセツ タロウ") && is_kana("けんせつ") && is_kana("ｹﾝｾﾂ"));
        assert!(!is_kana("建設") && !is_kana(" "));
    }

    #[test]
    fn birth_dates() {
        let d = parse_birth_date("1985-04-01").unwrap();
        assert_eq!(parse_birth_date("１９８５/４/１"), Some(d));
        assert_eq!(parse_birth_date("1985年4月1日"), Some(d));
        assert_eq!(format_date(d), "1985-04-01");
        assert_eq!(parse_birth_date("1985-02-30"), None);
        assert_eq!(parse_birth_date("yesterday"), None);
    }

    proptest! {
        #[test]
        fn search_key_is_idempotent(s in "\\PC{0,30}") {
            let once = search_key(&s);
            prop_assert_eq!(search_key(&once), once);
        }
    }
}
