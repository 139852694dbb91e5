//! The mails the portal sends, each in the reader's language (日本語, English or やさしい日本語)
//! from the message catalog. Every link is built from the configured `public_url`, never from
//! the request (a mailed link's by `links`). Subjects are fixed text; user data appears
//! only in bodies.
//!
//! Which language: a mail to an account is in the language of its last login
//! ([`crate::i18n::mail_language`]); a mail answering a request of someone without an account
//! is in the language of that request; a mail about an application is in the language it was
//! sent in ([`application_language`]), an answer to an inquiry in the language of the inquiry
//! ([`inquiry_language`]).

use ccus_domain::{AccountKind, Timestamp};
use ccus_storage::{ClientInfo, NewMail};

use crate::i18n::{text_in, Lang};
use crate::App;

pub(crate) fn base(state: &App) -> &str {
    state.config().public_url.trim_end_matches('/')
}

pub(crate) fn entrance(state: &App, kind: AccountKind) -> String {
    format!("{}{}", base(state), kind.login_path())
}

/// A mail in the reader's language: the subject with the portal's name, the signature.
pub(crate) fn mail_in(lang: Lang, to: &str, subject_key: &str, body: String) -> NewMail {
    NewMail {
        to: to.to_owned(),
        subject: text_in(
            lang,
            "mail-subject",
            &[("subject", &text_in(lang, subject_key, &[]))],
        ),
        body: format!(
            "{body}\n――――――――――――――――――――――――――\n{}\n{}\n",
            text_in(lang, "mail-signature-name", &[]),
            text_in(lang, "mail-signature-no-reply", &[])
        ),
    }
}

/// When and from where, in the reader's language.
pub(crate) fn when_where_in(lang: Lang, at: Timestamp, client: &ClientInfo) -> String {
    if let Some(who) = crate::i18n::acted_by_in(lang, &client.address, &client.user_agent) {
        return format!(
            "{}\n{}\n",
            text_in(lang, "mail-when", &[("at", &at.jst())]),
            text_in(lang, "mail-by", &[("who", &who)]),
        );
    }
    format!(
        "{}\n{}\n{}\n",
        text_in(lang, "mail-when", &[("at", &at.jst())]),
        text_in(lang, "mail-from", &[("address", &client.address)]),
        text_in(
            lang,
            "mail-browser",
            &[(
                "browser",
                &crate::i18n::browser_in(lang, &client.user_agent)
            )]
        )
    )
}

/// 技能者ID / 事業者ID / 管理者ID in the reader's language.
pub(crate) fn id_kind_in(lang: Lang, id: &ccus_domain::LoginId) -> String {
    if id.is_manager() {
        text_in(lang, "id-manager", &[])
    } else {
        kind_id_in(lang, id.kind())
    }
}

/// 技能者ID / 事業者ID (by the kind of account alone) in the reader's language.
pub(crate) fn kind_id_in(lang: Lang, kind: AccountKind) -> String {
    text_in(
        lang,
        match kind {
            AccountKind::Technician => "id-technician",
            AccountKind::Business => "id-business",
        },
        &[],
    )
}

/// 〇〇 様, in the reader's language.
pub(crate) fn honorific(lang: Lang, name: &str) -> String {
    text_in(lang, "mail-honorific", &[("name", name)])
}

pub(crate) fn forgot_page(state: &App, kind: AccountKind) -> String {
    format!("{}/{}/password/forgot", base(state), kind.portal())
}

/// How many minutes an account's mailed link lives (its `lifetime`), as its mail says.
pub(crate) fn ttl_minutes(lifetime: std::time::Duration) -> u64 {
    (lifetime.as_secs() / 60).max(1)
}

#[cfg(test)]
mod tests;
