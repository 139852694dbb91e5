//! The rule for new passwords, used by reset, change and first login (NIST SP 800-63B §3.1.1.2):
//! 8 to 128 characters, no composition rules, not a commonly used password, and not built
//! from the account's own context (its ID, name, email) or the service's own words.

use std::collections::HashSet;
use std::sync::LazyLock;

use crate::input::nfkc;
use crate::password::Password;

pub const MIN_CHARS: usize = 8;
pub const MAX_CHARS: usize = 128;

/// More than 11,000 passwords seen most often in published breach corpora (8+ characters).
static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../data/common-passwords.txt")
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

/// Words of the service itself that make a password easy to guess here.
const SERVICE_WORDS: &[&str] = &["ccus", "kensetsu", "建設", "キャリアアップ", "careerup"];

/// What a new password is checked against besides the common list.
#[derive(Debug, Clone, Default)]
pub struct PasswordContext<'a> {
    pub login_id: &'a str,
    pub name: &'a str,
    pub email: &'a str,
}

/// Why a new password was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyViolation {
    TooShort,
    TooLong,
    Common,
    /// Contains the ID, the name, the email address or a word of the service.
    Context(ContextWord),
}

/// What of the person's own or the service's words a refused password contains.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContextWord {
    Id,
    Name,
    /// The part of the email address before `@`.
    Email,
    /// A word of the service itself, as it is written (e.g. `ccus`, `建設`).
    Service(&'static str),
}

impl PolicyViolation {
    /// The reason, in Japanese (the command line; pages and mails use the catalog).
    pub fn message_ja(&self) -> String {
        match self {
            PolicyViolation::TooShort => format!("パスワードは{MIN_CHARS}文字以上にしてください。"),
            PolicyViolation::TooLong => format!("パスワードは{MAX_CHARS}文字以内にしてください。"),
            PolicyViolation::Common => "このパスワードはよく使われていて推測されやすいため、使えません。ほかの人が思いつかない言葉の組み合わせにしてください。".to_owned(),
            PolicyViolation::Context(word) => {
                let what = match word {
                    ContextWord::Id => "ID".to_owned(),
                    ContextWord::Name => "お名前".to_owned(),
                    ContextWord::Email => "メールアドレス".to_owned(),
                    ContextWord::Service(w) => format!("「{w}」"),
                };
                format!("パスワードに{what}を含めることはできません。推測されやすくなるためです。")
            }
        }
    }
}

/// The number of characters as a person counts them.
fn char_len(s: &str) -> usize {
    s.chars().count()
}

pub fn check(password: &Password, ctx: &PasswordContext<'_>) -> Result<(), PolicyViolation> {
    let p = password.expose();
    let n = char_len(p);
    if n < MIN_CHARS {
        return Err(PolicyViolation::TooShort);
    }
    if n > MAX_CHARS {
        return Err(PolicyViolation::TooLong);
    }
    let lower = p.to_lowercase();
    if COMMON.contains(lower.as_str()) {
        return Err(PolicyViolation::Common);
    }
    let digits: String = lower.chars().filter(char::is_ascii_digit).collect();
    if !ctx.login_id.is_empty() && (lower.contains(ctx.login_id) || digits.contains(ctx.login_id)) {
        return Err(PolicyViolation::Context(ContextWord::Id));
    }
    let name = nfkc(ctx.name).to_lowercase();
    for part in name.split_whitespace().filter(|w| char_len(w) >= 2) {
        if lower.contains(part) {
            return Err(PolicyViolation::Context(ContextWord::Name));
        }
    }
    let compact_name: String = name.chars().filter(|c| !c.is_whitespace()).collect();
    if char_len(&compact_name) >= 2 && lower.contains(&compact_name) {
        return Err(PolicyViolation::Context(ContextWord::Name));
    }
    let local = nfkc(ctx.email).to_lowercase();
    let local = local.split('@').next().unwrap_or("");
    if char_len(local) >= 3 && lower.contains(local) {
        return Err(PolicyViolation::Context(ContextWord::Email));
    }
    for w in SERVICE_WORDS {
        if lower.contains(w) {
            return Err(PolicyViolation::Context(ContextWord::Service(w)));
        }
    }
    Ok(())
}

/// How many entries the common-password list holds.
pub fn common_list_len() -> usize {
    COMMON.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pw(s: &str) -> Password {
        Password::parse(s).unwrap()
    }

    fn ctx() -> PasswordContext<'static> {
        PasswordContext {
            login_id: "12345678901234",
            name: "山田 太郎",
            email: "yamada.taro@example.jp",
        }
    }

    #[test]
    fn ships_a_large_common_list() {
        assert!(common_list_len() >= 10_000, "{}", common_list_len());
    }

    #[test]
    fn accepts_long_unusual_passwords_without_composition_rules() {
        assert_eq!(check(&pw("そらとうみとやまのいろ"), &ctx()), Ok(()));
        assert_eq!(check(&pw("purple tractor on sunday"), &ctx()), Ok(()));
    }

    #[test]
    fn refuses_with_a_reason() {
        assert_eq!(check(&pw("short"), &ctx()), Err(PolicyViolation::TooShort));
        assert_eq!(
            check(&pw(&"a".repeat(129)), &ctx()),
            Err(PolicyViolation::TooLong)
        );
        assert_eq!(check(&pw("password"), &ctx()), Err(PolicyViolation::Common));
        assert_eq!(check(&pw("PASSWORD"), &ctx()), Err(PolicyViolation::Common));
        assert_eq!(
            check(&pw("ｐａｓｓｗｏｒｄ"), &ctx()),
            Err(PolicyViolation::Common),
            "full-width folds"
        );
        assert!(matches!(
            check(&pw("id12345678901234"), &ctx()),
            Err(PolicyViolation::Context(_))
        ));
        assert!(matches!(
            check(&pw("1234-5678-9012-34"), &ctx()),
            Err(PolicyViolation::Context(_))
        ));
        assert!(matches!(
            check(&pw("yamada.taro2026!"), &ctx()),
            Err(PolicyViolation::Context(_))
        ));
        assert!(matches!(
            check(&pw("私は山田です123"), &ctx()),
            Err(PolicyViolation::Context(_))
        ));
        assert!(matches!(
            check(&pw("myccuspassword"), &ctx()),
            Err(PolicyViolation::Context(_))
        ));
        assert!(matches!(
            check(&pw("建設の仕事が大好き"), &ctx()),
            Err(PolicyViolation::Context(_))
        ));
        for v in [
            PolicyViolation::TooShort,
            PolicyViolation::Common,
            PolicyViolation::Context(ContextWord::Id),
        ] {
            assert!(!v.message_ja().is_empty());
        }
    }
}
