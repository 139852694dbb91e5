//! The mails of logging in: an ID locked, a passkey added or removed.

use ccus_domain::Timestamp;
use ccus_storage::{Account, ClientInfo, NewMail};

use crate::i18n::{text_in, Lang};
use crate::links::MailedLink;
use crate::mail::*;
use crate::App;

/// The account was locked: when, from where, a link that lifts the lock, and advice.
pub fn locked(
    state: &App,
    lang: Lang,
    a: &Account,
    until: Timestamp,
    link: &MailedLink,
    client: &ClientInfo,
    at: Timestamp,
) -> NewMail {
    let kind = a.kind();
    let ends = if until == ccus_domain::lockout::LOCKED_FOREVER {
        text_in(lang, "mail-locked-forever", &[])
    } else {
        text_in(
            lang,
            "mail-locked-until",
            &[("until", &until.jst_not_before())],
        )
    };
    let t = |k: &str| text_in(lang, k, &[]);
    mail_in(
        lang,
        &a.email,
        "mail-locked-subject",
        format!(
            "{honor}\n\n{line}\n{ends}\n\n{last}\n{ww}{unlock}\n{url}\n{ttl}\n\n{not_you}\n{reset}\n",
            honor = honorific(lang, &a.name),
            line = text_in(
                lang,
                "mail-locked-line",
                &[("id_kind", &id_kind_in(lang, &a.login_id)), ("id", &a.login_id.grouped())]
            ),
            last = t("mail-locked-last"),
            ww = when_where_in(lang, at, client),
            unlock = t("mail-locked-unlock"),
            url = link.url,
            ttl = text_in(lang, "mail-locked-ttl", &[("minutes", &ttl_minutes(link.lifetime).to_string())]),
            not_you = t("mail-locked-not-you"),
            reset = forgot_page(state, kind),
        ),
    )
}

/// A passkey was registered or removed: the owner is told, with where it happened.
pub fn passkey_changed(
    state: &App,
    lang: Lang,
    a: &Account,
    name: &str,
    added: bool,
    client: &ClientInfo,
    at: Timestamp,
) -> NewMail {
    let (subject, what) = if added {
        ("mail-passkey-added-subject", "mail-passkey-added")
    } else {
        ("mail-passkey-removed-subject", "mail-passkey-removed")
    };
    mail_in(
        lang,
        &a.email,
        subject,
        format!(
            "{honor}\n\n{what}\n\n{ctx}\n{not_you}\n{url}\n",
            honor = honorific(lang, &a.name),
            what = text_in(
                lang,
                what,
                &[("id_kind", &id_kind_in(lang, &a.login_id)), ("name", name)]
            ),
            ctx = when_where_in(lang, at, client),
            not_you = text_in(lang, "mail-passkey-not-you", &[]),
            url = entrance(state, a.kind()),
        ),
    )
}
