//! Languages on the web: the language of a request is chosen by the switch on every page
//! (remembered in a cookie), else by the browser's `Accept-Language`, else Japanese; it is held
//! for the request (a task-local), so that page frames and templates read it without every
//! handler passing it along. Templates ask for text with the `t` filter:
//! `{{ "login-button"|t }}`, or `ta` with one argument. The catalog is [`ccus_app::i18n`].

pub use ccus_app::i18n::{keys, text_in, Lang};

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
