//! The mails about an account itself: 登録完了, a password set or changed, an email address confirmed or changed.

use ccus_domain::{AccountKind, Timestamp};
use ccus_storage::{Account, ClientInfo, NewMail};

use crate::i18n::{text_in, Lang};
use crate::links::MailedLink;
use crate::mail::*;
use crate::App;

/// 登録完了: the ID and how to log in (never the password).
pub fn registered(state: &App, lang: Lang, a: &Account) -> NewMail {
    let kind = a.kind();
    let t = |k: &str| text_in(lang, k, &[]);
    mail_in(
        lang,
        &a.email,
        "mail-registered-subject",
        format!(
            "{honor}\n\n{done}\n\n{id}\n{login}\n\n{first}\n{keep}\n",
            honor = honorific(lang, &a.name),
            done = t(match kind {
                AccountKind::Technician => "mail-registered-technician",
                AccountKind::Business => "mail-registered-business",
            }),
            id = text_in(
                lang,
                "mail-id-line",
                &[
                    ("id_kind", &kind_id_in(lang, kind)),
                    ("id", &a.login_id.grouped())
                ]
            ),
            login = text_in(lang, "mail-ids-login", &[("url", &entrance(state, kind))]),
            first = t("mail-registered-first-login"),
            keep = t("mail-registered-keep"),
        ),
    )
}

/// Notice after the password was set (reset, change or first login).
pub fn password_changed(
    state: &App,
    lang: Lang,
    a: &Account,
    how: PasswordSet,
    client: &ClientInfo,
    at: Timestamp,
) -> NewMail {
    let key = match how {
        PasswordSet::Initial => "mail-changed-set",
        PasswordSet::Changed => "mail-changed-change",
        PasswordSet::Reset { .. } => "mail-changed-reset",
    };
    let passkeys = match how {
        PasswordSet::Reset { passkeys_removed } if passkeys_removed > 0 => format!(
            "{}\n",
            text_in(
                lang,
                "mail-changed-passkeys",
                &[("count", &passkeys_removed.to_string())]
            )
        ),
        _ => String::new(),
    };
    mail_in(
        lang,
        &a.email,
        "mail-changed-subject",
        format!(
            "{honor}\n\n{what}\n{sessions}\n{passkeys}\n{ww}\n{not_you}\n{url}\n",
            honor = honorific(lang, &a.name),
            what = text_in(
                lang,
                key,
                &[
                    ("id_kind", &id_kind_in(lang, &a.login_id)),
                    ("id", &a.login_id.grouped())
                ]
            ),
            sessions = text_in(lang, "mail-changed-sessions", &[]),
            ww = when_where_in(lang, at, client),
            not_you = text_in(lang, "mail-changed-not-you", &[]),
            url = forgot_page(state, a.kind()),
        ),
    )
}

/// How a password came to be set, for its notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordSet {
    /// The first one, replacing an initial password.
    Initial,
    Changed,
    /// With a reset link; every passkey of the account was removed with it.
    Reset {
        passkeys_removed: u64,
    },
}

/// To the new address: confirm it.
pub fn email_confirm(lang: Lang, a: &Account, new_email: &str, link: &MailedLink) -> NewMail {
    let t = |k: &str| text_in(lang, k, &[]);
    mail_in(
        lang,
        new_email,
        "mail-email-confirm-subject",
        format!(
            "{honor}\n\n{received}\n{open}\n\n{url}\n\n{ttl}\n{not_you}\n",
            honor = honorific(lang, &a.name),
            received = t("mail-email-confirm-received"),
            open = t("mail-email-confirm-open"),
            url = link.url,
            ttl = text_in(
                lang,
                "mail-email-confirm-ttl",
                &[("minutes", &ttl_minutes(link.lifetime).to_string())]
            ),
            not_you = t("mail-email-confirm-not-you"),
        ),
    )
}

/// To the old address (and, when the helpdesk changed it, the new one too): the registered
/// address was changed.
pub fn email_changed(
    state: &App,
    lang: Lang,
    a: &Account,
    to: &str,
    client: &ClientInfo,
    at: Timestamp,
) -> NewMail {
    mail_in(
        lang,
        to,
        "mail-email-changed-subject",
        format!(
            "{honor}\n\n{line}\n\n{ww}\n{not_you}\n",
            honor = honorific(lang, &a.name),
            line = text_in(
                lang,
                "mail-email-changed-line",
                &[
                    ("id_kind", &kind_id_in(lang, a.kind())),
                    ("id", &a.login_id.grouped())
                ]
            ),
            ww = when_where_in(lang, at, client),
            not_you = text_in(
                lang,
                "mail-email-changed-not-you",
                &[("helpdesk", &state.config().recovery.helpdesk)]
            ),
        ),
    )
}
