//! Languages on the web: the language of a request is chosen by the switch on every page
//! (remembered in a cookie), else by the browser's `Accept-Language`, else Japanese; it is held
//! for the request (a task-local), so that page frames and templates read it without every
//! handler passing it along. Templates ask for text with the `t` filter:
//! `{{ "login-button"|t }}`, or `ta` with one argument. The catalog is [`ccus_app::i18n`].

pub use ccus_app::i18n::{keys, text_in, Lang, Msg};

/// The cookie that remembers the chosen language.
pub const LANG_COOKIE: &str = "ccus_lang";

tokio::task_local! {
    static CURRENT: Current;
}

/// The language of the request being answered, and its path (for the switch).
#[derive(Debug, Clone)]
pub struct Current {
    pub lang: Lang,
    pub path: String,
}

/// Runs `f` with the request's language set.
pub async fn scope<F: std::future::Future>(current: Current, f: F) -> F::Output {
    CURRENT.scope(current, f).await
}

/// The current request's language (Japanese outside a request).
pub fn lang() -> Lang {
    CURRENT.try_with(|c| c.lang).unwrap_or_default()
}

/// The current request's path and query, for the switch's way back.
pub fn path() -> String {
    CURRENT
        .try_with(|c| c.path.clone())
        .unwrap_or_else(|_| "/".to_owned())
}

/// The text of `key` in the current request's language.
pub fn t(key: &str) -> String {
    text_in(lang(), key, &[])
}

/// The text of `key` with arguments, in the current request's language.
pub fn ta(key: &str, args: &[(&str, &str)]) -> String {
    text_in(lang(), key, args)
}

/// An application-layer message in the current request's language.
pub fn msg(m: &ccus_app::i18n::Msg) -> String {
    m.text(lang())
}

/// A browser's short name for a page: its product name, else 不明 / その他 in the current
/// language.
pub fn browser(user_agent: &str) -> String {
    ccus_app::i18n::browser_in(lang(), user_agent)
}

/// The 接続元 and ブラウザ of an access-history entry in the current language: the address
/// and browser name, or — for what the helpdesk or the business did — who acted, and a dash.
pub fn history_source(address: &str, user_agent: &str) -> (String, String) {
    match ccus_app::i18n::acted_by_in(lang(), address, user_agent) {
        Some(who) => (who, "—".to_owned()),
        None => (address.to_owned(), browser(user_agent)),
    }
}

/// 技能者 / 事業者 in the current language.
pub fn kind(kind: ccus_domain::AccountKind) -> String {
    t(match kind {
        ccus_domain::AccountKind::Technician => "kind-technician",
        ccus_domain::AccountKind::Business => "kind-business",
    })
}

/// 技能者ID / 事業者ID / 管理者ID in the current language.
pub fn id_kind(id: &ccus_domain::LoginId) -> String {
    t(if id.is_manager() {
        "id-manager"
    } else {
        match id.kind() {
            ccus_domain::AccountKind::Technician => "id-technician",
            ccus_domain::AccountKind::Business => "id-business",
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_a_template_asks_for_exists() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
        let ja = keys(Lang::Ja);
        let mut seen = 0;
        let mut stack = vec![std::path::PathBuf::from(dir)];
        while let Some(p) = stack.pop() {
            for e in std::fs::read_dir(&p)
                .unwrap_or_else(|e| panic!("{p:?}: {e}"))
                .flatten()
            {
                let path = e.path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                for part in text.split("{{ \"").skip(1) {
                    let Some((key, rest)) = part.split_once('"') else {
                        continue;
                    };
                    if rest.starts_with("|t") {
                        seen += 1;
                        assert!(
                            ja.contains(&key.to_owned()),
                            "{key} in {path:?} is not in the catalog"
                        );
                    }
                }
            }
        }
        assert!(seen > 20, "templates use the catalog");
    }

    #[test]
    fn every_access_history_event_has_words_in_every_language() {
        for kind in ccus_domain::AccessEventKind::ALL {
            let key = format!("event-{}", kind.as_str().replace('_', "-"));
            for lang in Lang::ALL {
                assert_ne!(text_in(lang, &key, &[]), key, "{key} in {lang:?}");
            }
            assert_eq!(
                text_in(Lang::Ja, &key, &[]),
                kind.label_ja(),
                "Japanese as before"
            );
        }
    }
}

/// No sentence is written into the code or the templates: every word a person reads comes from
/// the catalog. This scan finds Japanese (kana or kanji) in templates outside `{# … #}` comments,
/// and in Rust string literals outside comments and test modules.
#[cfg(test)]
mod no_hard_coded_text {
    fn japanese(s: &str) -> bool {
        s.chars().any(|c| {
            matches!(c, '\u{3040}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}' | '\u{ff01}'..='\u{ff5e}')
        })
    }

    fn files(dir: &str, ext: &str) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        let mut stack = vec![std::path::PathBuf::from(dir)];
        while let Some(p) = stack.pop() {
            for e in std::fs::read_dir(&p).into_iter().flatten().flatten() {
                let path = e.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|x| x == ext) {
                    out.push(path);
                }
            }
        }
        out.sort();
        out
    }

    /// Japanese outside comments in a template.
    fn template_text(text: &str) -> Vec<String> {
        let mut found = Vec::new();
        let mut rest = text;
        while let Some(i) = rest.find("{#") {
            found.extend(rest[..i].lines().filter(|l| japanese(l)).map(str::to_owned));
            rest = rest[i..].split_once("#}").map(|x| x.1).unwrap_or("");
        }
        found.extend(rest.lines().filter(|l| japanese(l)).map(str::to_owned));
        found
    }

    /// Japanese in string literals of Rust code, before its test module.
    fn rust_text(text: &str) -> Vec<String> {
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        code.lines()
            .map(|l| l.split("//").next().unwrap_or(""))
            .filter(|l| l.contains('"') && japanese(l))
            .map(|l| l.trim().to_owned())
            .collect()
    }

    #[test]
    fn every_sentence_comes_from_the_catalog() {
        let root = env!("CARGO_MANIFEST_DIR");
        let mut found = Vec::new();
        for path in files(&format!("{root}/templates"), "html") {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for l in template_text(&text) {
                found.push(format!("{}: {l}", path.display()));
            }
        }
        for path in files(&format!("{root}/src"), "rs") {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for l in rust_text(&text) {
                found.push(format!("{}: {l}", path.display()));
            }
        }
        assert!(
            found.is_empty(),
            "{} lines write Japanese instead of asking the catalog:\n{}",
            found.len(),
            found.join("\n")
        );
    }
}
