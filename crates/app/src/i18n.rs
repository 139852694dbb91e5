//! The message catalog: one Fluent file per language (`crates/app/locales/*.ftl`) —
//! 日本語 (the default), English and やさしい日本語 — for pages and mails alike. Which language a
//! request or a mail uses is decided elsewhere (the web layer for pages, the account's setting
//! for mail); this only turns keys into text.

use ccus_domain::AccountId;
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

/// A language of the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Ja,
    En,
    /// やさしい日本語.
    Easy,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Ja, Lang::En, Lang::Easy];

    /// The code in the switch's address and the cookie.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
            Lang::Easy => "easy",
        }
    }
    pub fn parse(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }
    /// The page's `lang` attribute.
    pub fn html_lang(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja | Lang::Easy => "ja",
        }
    }
    /// The language's own name, for the switch.
    pub fn name(self) -> &'static str {
        match self {
            Lang::Ja => "日本語",
            Lang::En => "English",
            Lang::Easy => "やさしい日本語",
        }
    }
    /// The first language the browser asks for that we have (`en…` or `ja…`), else Japanese.
    pub fn from_accept_language(header: &str) -> Lang {
        let mut tags: Vec<(f32, usize, &str)> = header
            .split(',')
            .enumerate()
            .filter_map(|(i, part)| {
                let mut it = part.trim().split(';');
                let tag = it.next()?.trim();
                let q = it
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.parse::<f32>().ok())
                    .unwrap_or(1.0);
                (!tag.is_empty()).then_some((q, i, tag))
            })
            .collect();
        tags.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        for (_, _, tag) in tags {
            let tag = tag.to_ascii_lowercase();
            if tag.starts_with("ja") {
                return Lang::Ja;
            }
            if tag.starts_with("en") {
                return Lang::En;
            }
        }
        Lang::Ja
    }
}

struct Catalog {
    bundles: Vec<(Lang, FluentBundle<FluentResource>)>,
}

/// The catalog's files, one per area of the portal and language, so that areas grow apart.
macro_rules! sources {
    ($($area:literal),*) => {
        [
            $((Lang::Ja, "ja", include_str!(concat!("../locales/ja/", $area, ".ftl"))),)*
            $((Lang::En, "en", include_str!(concat!("../locales/en/", $area, ".ftl"))),)*
            $((Lang::Easy, "ja", include_str!(concat!("../locales/ja-easy/", $area, ".ftl"))),)*
        ]
    };
}

const SOURCES: &[(Lang, &str, &str)] = &sources!(
    "core", "account", "public", "apply", "org", "mail", "helpdesk", "audit", "sites", "records",
    "api"
);

fn bundle<'a>(tag: &str, sources: impl Iterator<Item = &'a str>) -> FluentBundle<FluentResource> {
    let id: LanguageIdentifier = tag.parse().unwrap_or_default();
    let mut b = FluentBundle::new_concurrent(vec![id]);
    // No Unicode isolation marks around arguments: the pages are plain text.
    b.set_use_isolating(false);
    // Arguments arrive as text; `NUMBER($count)` reads one as a number, so that a selector
    // picks the language's plural form (`[one] 1 item *[other] { $count } items`).
    if let Err(e) = b.add_function("NUMBER", |args, _| match args.first() {
        Some(FluentValue::String(s)) => s
            .replace(',', "")
            .parse::<fluent_bundle::types::FluentNumber>()
            .map_or_else(|_| FluentValue::String(s.clone()), FluentValue::from),
        Some(v) => v.clone(),
        None => FluentValue::Error,
    }) {
        tracing::error!(error = ?e, tag, "NUMBER could not be added to the catalog");
    }
    for source in sources {
        let resource = match FluentResource::try_new(source.to_owned()) {
            Ok(r) => r,
            Err((r, errors)) => {
                tracing::error!(?errors, tag, "message catalog has errors");
                r
            }
        };
        if let Err(errors) = b.add_resource(resource) {
            tracing::error!(?errors, tag, "message catalog has duplicate keys");
        }
    }
    b
}

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| Catalog {
    bundles: Lang::ALL
        .iter()
        .map(|lang| {
            let files = SOURCES.iter().filter(|(l, _, _)| l == lang);
            let tag = files.clone().map(|(_, t, _)| *t).next().unwrap_or("ja");
            (*lang, bundle(tag, files.map(|(_, _, src)| *src)))
        })
        .collect(),
});

/// The keys of a language's catalog (for the completeness test).
pub fn keys(lang: Lang) -> Vec<String> {
    SOURCES
        .iter()
        .filter(|(l, _, _)| *l == lang)
        .flat_map(|(_, _, src)| {
            src.lines()
                .filter(|l| !l.starts_with('#') && !l.starts_with(' ') && l.contains(" = "))
                .filter_map(|l| l.split(" = ").next().map(|k| k.trim().to_owned()))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The text of `key` in `lang`, with `args`; Japanese when the language lacks it (a test keeps
/// that from happening), the key itself when no catalog has it.
pub fn text_in(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    let fargs = (!args.is_empty()).then(|| {
        let mut a = FluentArgs::new();
        for (k, v) in args {
            a.set(*k, FluentValue::from(*v));
        }
        a
    });
    for l in [lang, Lang::Ja] {
        let Some((_, b)) = CATALOG.bundles.iter().find(|(x, _)| *x == l) else {
            continue;
        };
        if let Some(pattern) = b.get_message(key).and_then(|m| m.value()) {
            let mut errors = Vec::new();
            let s = b.format_pattern(pattern, fargs.as_ref(), &mut errors);
            if !errors.is_empty() {
                tracing::warn!(?errors, key, "message formatting");
            }
            return s.into_owned();
        }
    }
    key.to_owned()
}

/// A message the application layer hands to the web layer (a refusal, a problem with a field):
/// a catalog key and its arguments, put into words in the reader's language at the last moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl Msg {
    pub fn new(key: &'static str) -> Msg {
        Msg {
            key,
            args: Vec::new(),
        }
    }
    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Msg {
        self.args.push((name, value.to_string()));
        self
    }
    /// The message in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let args: Vec<(&str, &str)> = self.args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        text_in(lang, self.key, &args)
    }
}

/// Japanese, for logs, the command line and tests.
impl std::fmt::Display for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::Ja))
    }
}

/// The catalog key of an item of the registration form (`birth_date` → `field-birth-date`): one
/// word for the applicant's page, the screener's console and the mail.
pub fn field_key(f: ccus_domain::registration::Field) -> String {
    format!("field-{}", f.key().replace('_', "-"))
}

/// The catalog key of a screener's reason for 不備.
pub fn defect_key(c: ccus_domain::registration::DefectCode) -> String {
    format!("defect-{}", c.as_str())
}

/// A browser's short name in `lang`: its product name, else "unknown" / "other".
pub fn browser_in(lang: Lang, user_agent: &str) -> String {
    match ccus_domain::access::browser_label(user_agent) {
        "不明" => text_in(lang, "browser-unknown", &[]),
        "その他" => text_in(lang, "browser-other", &[]),
        name => name.to_owned(),
    }
}

/// The address recorded for what the helpdesk does on an account.
pub const HELPDESK_SOURCE: &str = "helpdesk";
/// The address recorded for what someone of the business (the 事業者責任者 or a 管理者ID above)
/// does on a 管理者ID.
pub const BUSINESS_SOURCE: &str = "business";

/// Who acted, in `lang`, when an access-history entry (or the notice of it) was made not from
/// a browser but by the helpdesk or the business for the account: 「ヘルプデスク（職員 S…）」,
/// 「事業者の管理者 name（ID）」. `None` for an ordinary address. The browser field of such an
/// entry holds the staff ID, or the acting person's ID and name, and is read here.
pub fn acted_by_in(lang: Lang, address: &str, user_agent: &str) -> Option<String> {
    match address {
        HELPDESK_SOURCE => {
            let staff = user_agent.rsplit(' ').next().unwrap_or_default();
            Some(text_in(lang, "source-helpdesk", &[("staff", staff)]))
        }
        BUSINESS_SOURCE => {
            // 「<ID kind> <grouped ID>（name）」
            let (person, name) = user_agent
                .strip_suffix('）')
                .and_then(|s| s.rsplit_once('（'))
                .unwrap_or((user_agent, ""));
            let id: String = person
                .chars()
                .filter(|c| c.is_ascii_digit() || *c == ' ')
                .collect();
            Some(text_in(
                lang,
                "source-business",
                &[("id", id.trim()), ("name", name)],
            ))
        }
        _ => None,
    }
}

/// The language an account reads its mail in: the one of its last login, else Japanese.
pub async fn mail_language(app: &crate::App, account_id: AccountId) -> crate::AppResult<Lang> {
    Ok(app
        .store()
        .accounts()
        .account_language(account_id)
        .await?
        .and_then(|c| Lang::parse(&c))
        .unwrap_or_default())
}

/// [`mail_language`] read inside a transaction, on its connection (a transaction never waits for
/// a second connection of the pool).
pub async fn mail_language_in(
    tx: &mut ccus_storage::StoreTx,
    account_id: AccountId,
) -> crate::AppResult<Lang> {
    Ok(tx
        .accounts()
        .account_language(account_id)
        .await?
        .and_then(|c| Lang::parse(&c))
        .unwrap_or_default())
}

/// Remembers the language an account used to log in, for its mail. Best effort: a failure is
/// logged, and the mail stays in the language it had.
pub async fn remember(app: &crate::App, account_id: AccountId, lang: Lang) {
    if let Err(e) = app
        .store()
        .accounts()
        .set_account_language(account_id, lang.code(), app.clock().now())
        .await
    {
        tracing::warn!(error = %e, account = %account_id, "account language not recorded");
    }
}

/// Yen with thousands separators.
pub fn yen(n: i64) -> String {
    let s = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_exists_in_every_language() {
        let ja = keys(Lang::Ja);
        assert!(ja.len() > 50);
        for lang in [Lang::En, Lang::Easy] {
            let other = keys(lang);
            for k in &ja {
                assert!(other.contains(k), "{k} is missing in {lang:?}");
            }
            for k in &other {
                assert!(ja.contains(k), "{k} is in {lang:?} but not in Japanese");
            }
        }
        for lang in Lang::ALL {
            let mut all = keys(lang);
            let n = all.len();
            all.sort();
            all.dedup();
            assert_eq!(all.len(), n, "a key is written twice in {lang:?}");
            for k in keys(lang) {
                assert_ne!(text_in(lang, &k, &[]), k, "{k} does not format in {lang:?}");
            }
        }
    }

    /// English words after a count agree with it: Fluent picks the form by the language's
    /// plural rules (`NUMBER($count) -> [one] … *[other] …`), never "1 items".
    #[test]
    fn english_counts_take_the_form_their_number_needs() {
        let numbers = [
            "count", "minutes", "hours", "days", "max", "min", "limit", "n", "total", "mb",
        ];
        let plurals = [
            "items",
            "minutes",
            "hours",
            "days",
            "characters",
            "files",
            "failures",
            "browsers",
            "browser(s)",
            "documents",
            "applications",
            "photos",
            "passkeys",
            "passkeys registered",
        ];
        let ones: Vec<(&str, &str)> = numbers.iter().map(|n| (*n, "1")).collect();
        for k in keys(Lang::En) {
            let text = text_in(Lang::En, &k, &ones);
            for p in plurals {
                assert!(!text.contains(&format!("1 {p}")), "{k}: {text}");
            }
            assert!(!text.contains("(s)"), "{k}: {text}");
        }
        let invalid = |n: &str| text_in(Lang::En, "apply-invalid", &[("count", n)]);
        assert_eq!(invalid("1"), "Please check what you typed (1 item)");
        assert_eq!(invalid("3"), "Please check what you typed (3 items)");
        let ttl = |n: &str| text_in(Lang::En, "mail-applicant-confirm-open", &[("hours", n)]);
        assert!(ttl("1").contains("works for 1 hour, once"), "{}", ttl("1"));
        assert!(ttl("24").contains("works for 24 hours, once"));
        // Text that is no number is shown as it is, in the plural.
        let limit = text_in(
            Lang::En,
            "public-inquiry-message-hint",
            &[("limit", "8,000")],
        );
        assert_eq!(limit, "Up to 8,000 characters.");
        // Japanese has no plural forms: the same text for any count.
        assert_eq!(
            text_in(Lang::Ja, "apply-invalid", &[("count", "1")]),
            "入力内容を確認してください（1か所）"
        );
    }

    #[test]
    fn the_guide_s_messages_stay_exact_in_japanese() {
        assert_eq!(
            text_in(Lang::Ja, "wrong-credentials", &[]),
            "IDまたはパスワードが違います"
        );
        assert!(text_in(Lang::Ja, "timed-out", &[]).starts_with("タイムアウトしました"));
        assert!(
            text_in(Lang::Easy, "wrong-credentials", &[]).contains("IDまたはパスワードが違います")
        );
        assert_eq!(
            text_in(Lang::En, "login-title", &[("kind", "Technician")]),
            "Technician login"
        );
    }

    #[test]
    fn the_browser_s_language_picks_the_first_one_we_have() {
        assert_eq!(
            Lang::from_accept_language("en-US,en;q=0.9,ja;q=0.8"),
            Lang::En
        );
        assert_eq!(
            Lang::from_accept_language("vi-VN,vi;q=0.9,en;q=0.5,ja;q=0.7"),
            Lang::Ja
        );
        assert_eq!(Lang::from_accept_language("vi"), Lang::Ja);
        assert_eq!(Lang::from_accept_language(""), Lang::Ja);
    }
}
