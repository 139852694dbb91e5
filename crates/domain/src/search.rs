//! Search for people who type the way they speak: よくある質問 is searched with a few words
//! (「パスワード　忘れ」, 「ID わすれた」, 「IE」), in any width, in kana or kanji, with the verb
//! ending they happen to use. Every word must match (AND); each word also matches through its
//! other common spellings and without a trailing verb ending.

use crate::input::nfkc;

/// Folds text for search: NFKC, lower case, no spaces, katakana as hiragana.
pub fn fold(s: &str) -> String {
    nfkc(s)
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            'ァ'..='ヶ' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Spellings that mean the same to the person searching, already folded. A word containing
/// one of them also matches with it replaced by any other of its group.
const SAME: &[&[&str]] = &[
    &["わすれ", "忘れ"],
    &["わから", "分から"],
    &[
        "ie",
        "internetexplorer",
        "いんたーねっとえくすぷろーらー",
        "いんたーねっとえくすぷろーら",
    ],
    &["ぱすわーど", "password", "pw"],
    &["ろぐいん", "login", "さいんいん"],
    &["ろっく", "lock"],
    &["めーる", "mail", "e-mail"],
    &["めんてなんす", "maintenance"],
    &["すまほ", "すまーとふぉん", "けいたい", "携帯"],
    &["ぶらうざ", "browser"],
    &["たいむあうと", "timeout"],
    &["かいじょ", "解除"],
    &["へんこう", "変更"],
    &["さいせってい", "再設定", "さいはっこう", "再発行"],
    &["とうろく", "登録"],
    &["かんりしゃ", "管理者"],
];

/// Verb and politeness endings people add that the answers do not share (longest first).
const ENDINGS: &[&str] = &[
    "られません",
    "できません",
    "できない",
    "れません",
    "れない",
    "ません",
    "ました",
    "ない",
    "ます",
    "です",
    "たら",
    "た",
    "る",
    "て",
];

/// A parsed search: the words, each with the spellings it may match as.
#[derive(Debug, Clone, Default)]
pub struct Query {
    words: Vec<Vec<String>>,
}

impl Query {
    /// Splits on spaces of any width (and 、，,), folds, and expands each word.
    pub fn parse(raw: &str) -> Query {
        let words = nfkc(raw)
            .split(|c: char| c.is_whitespace() || matches!(c, '、' | ',' | '，'))
            .map(fold)
            .filter(|w| !w.is_empty())
            .take(10)
            .map(|w| variants(&w))
            .collect();
        Query { words }
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// True when every word is found in `text` (an empty query matches everything).
    pub fn matches(&self, text: &str) -> bool {
        let hay = fold(text);
        self.words
            .iter()
            .all(|forms| forms.iter().any(|f| hay.contains(f.as_str())))
    }
}

fn variants(word: &str) -> Vec<String> {
    let mut out = vec![word.to_owned()];
    // Without a trailing ending, keeping at least two characters.
    for e in ENDINGS {
        if let Some(stem) = word.strip_suffix(e) {
            if stem.chars().count() >= 2 {
                out.push(stem.to_owned());
                break;
            }
        }
    }
    // Other spellings of any part.
    let base = out.clone();
    for w in &base {
        for group in SAME {
            for from in group.iter().filter(|f| w.contains(**f)) {
                for to in group.iter().filter(|t| *t != from) {
                    out.push(w.replace(from, to));
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const FORGOT: &str = "パスワードを忘れました ログイン画面の「パスワードをお忘れの方」から…";
    const FORGOT_ID: &str = "IDを忘れました まず、登録完了のお知らせメールをご確認ください。";
    const BROWSER: &str = "Google Chrome、Microsoft Edge の最新版をおすすめします。Internet Explorer はご利用いただけません。";

    #[test]
    fn folds_width_spacing_and_kana() {
        assert_eq!(fold("パスワード"), fold("ぱすわーど"));
        assert_eq!(fold("ＩＤ を 忘れ"), fold("idを忘れ"));
    }

    #[test]
    fn every_word_must_match() {
        assert!(Query::parse("パスワード　忘れ").matches(FORGOT));
        assert!(Query::parse("ID わすれた").matches(FORGOT_ID));
        assert!(Query::parse("ＩＥ").matches(BROWSER));
        assert!(Query::parse("ie").matches(BROWSER));
        assert!(Query::parse("パスワード").matches(FORGOT));
        assert!(!Query::parse("パスワード 忘れ").matches(BROWSER));
        assert!(!Query::parse("ID わすれた").matches(BROWSER));
        assert!(!Query::parse("IE ロック").matches(BROWSER));
    }

    #[test]
    fn an_empty_query_matches_everything() {
        let q = Query::parse(" 　 ");
        assert!(q.is_empty());
        assert!(q.matches(BROWSER));
    }

    proptest! {
        /// Any text is found by any of its own words, however they are spaced or widened.
        #[test]
        fn a_text_finds_itself(text in "[a-zあ-んア-ン漢字]{1,12}") {
            prop_assert!(Query::parse(&text).matches(&text));
            let spaced: String = text.chars().flat_map(|c| [c, '　']).collect();
            prop_assert!(Query::parse(&spaced).matches(&text));
        }
    }
}
