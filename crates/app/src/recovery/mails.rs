//! The mails of recovery: a password-reset link (asked by the owner, the helpdesk or the business), the ID reminder.

use ccus_domain::Timestamp;
use ccus_storage::{Account, ClientInfo, NewMail};

use crate::i18n::{text_in, Lang};
use crate::links::MailedLink;
use crate::mail::*;
use crate::App;

/// パスワード再設定のご案内.
pub fn reset_link(
    lang: Lang,
    a: &Account,
    link: &MailedLink,
    client: &ClientInfo,
    at: Timestamp,
) -> NewMail {
    reset_mail(lang, a, link, ResetAsked::Owner(client), at)
}

/// The reset link the helpdesk sends after an inquiry: the person asked the helpdesk, not the
/// reset form, so the mail says so.
pub fn reset_link_from_helpdesk(
    lang: Lang,
    a: &Account,
    link: &MailedLink,
    at: Timestamp,
) -> NewMail {
    reset_mail(lang, a, link, ResetAsked::Helpdesk, at)
}

/// The reset link a person's own business sends them (their 事業者責任者 or 階層管理者).
pub fn reset_link_from_org(
    lang: Lang,
    a: &Account,
    link: &MailedLink,
    by: &str,
    at: Timestamp,
) -> NewMail {
    reset_mail(lang, a, link, ResetAsked::Organisation(by), at)
}

/// Who asked for a reset link.
enum ResetAsked<'a> {
    Owner(&'a ClientInfo),
    Helpdesk,
    Organisation(&'a str),
}

fn reset_mail(
    lang: Lang,
    a: &Account,
    link: &MailedLink,
    asked: ResetAsked<'_>,
    at: Timestamp,
) -> NewMail {
    let t = |k: &str| text_in(lang, k, &[]);
    let sent_at = text_in(lang, "mail-sent-at", &[("at", &at.jst())]);
    let (opening, context, closing) = match asked {
        ResetAsked::Owner(client) => (
            t("mail-reset-owner"),
            when_where_in(lang, at, client),
            t("mail-reset-owner-closing"),
        ),
        ResetAsked::Helpdesk => (
            t("mail-reset-helpdesk"),
            format!("{sent_at}\n"),
            t("mail-reset-helpdesk-closing"),
        ),
        ResetAsked::Organisation(by) => (
            t("mail-reset-org"),
            format!(
                "{sent_at}\n{}\n",
                text_in(lang, "mail-operated-by", &[("by", by)])
            ),
            t("mail-reset-org-closing"),
        ),
    };
    mail_in(
        lang,
        &a.email,
        "mail-reset-subject",
        format!(
            "{honor}\n\n{opening}\n{open}\n\n{url}\n\n{ttl}\n\n{context}\n{closing}\n",
            honor = honorific(lang, &a.name),
            open = t("mail-reset-open"),
            url = link.url,
            ttl = text_in(
                lang,
                "mail-link-ttl",
                &[("minutes", &ttl_minutes(link.lifetime).to_string())]
            ),
        ),
    )
}

/// IDのお知らせ: every ID registered with one address.
pub fn id_reminder(state: &App, lang: Lang, email: &str, accounts: &[Account]) -> NewMail {
    let mut list = String::new();
    for a in accounts {
        list.push_str(&format!(
            "{}\n  {}\n",
            text_in(
                lang,
                "mail-ids-line",
                &[
                    ("id_kind", &id_kind_in(lang, &a.login_id)),
                    ("id", &a.login_id.grouped()),
                    ("name", &a.name),
                ],
            ),
            text_in(
                lang,
                "mail-ids-login",
                &[("url", &entrance(state, a.kind()))]
            ),
        ));
    }
    let t = |k: &str| text_in(lang, k, &[]);
    mail_in(
        lang,
        email,
        "mail-ids-subject",
        format!(
            "{}\n{}\n\n{list}\n{}\n{}\n",
            t("mail-ids-intro"),
            t("mail-ids-listed"),
            t("mail-ids-entrances"),
            t("mail-ids-not-you")
        ),
    )
}
