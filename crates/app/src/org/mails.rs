//! The mails of a business: a 管理者ID invited, 所属 asked, changed or ended.

use ccus_domain::org::Role;
use ccus_domain::AccountKind;
use ccus_storage::{Account, NewMail};

use crate::i18n::{text_in, Lang};
use crate::links::MailedLink;
use crate::mail::*;
use crate::App;

/// A role in a business, in the reader's language.
pub(crate) fn role_in(lang: Lang, role: Role) -> String {
    text_in(
        lang,
        match role {
            Role::Owner => "mail-role-owner",
            Role::TierManager => "mail-role-tier-manager",
            Role::SiteManager => "mail-role-site-manager",
            Role::ProxyClerk => "mail-role-proxy-clerk",
        },
        &[],
    )
}

/// 管理者IDの発行: the new person's ID and the link to choose their own password.
pub fn member_invitation(
    state: &App,
    lang: Lang,
    a: &Account,
    business: &str,
    role: Role,
    link: &MailedLink,
) -> NewMail {
    let t = |k: &str| text_in(lang, k, &[]);
    mail_in(
        lang,
        &a.email,
        "mail-invitation-subject",
        format!(
            "{honor}\n\n{issued}\n\n{id}\n{login}\n\n{open}\n{url}\n\n{expired}\n{nobody}\n{code}\n",
            honor = honorific(lang, &a.name),
            issued = text_in(
                lang,
                "mail-invitation-issued",
                &[("business", business), ("role", &role_in(lang, role))]
            ),
            id = text_in(
                lang,
                "mail-id-line",
                &[
                    ("id_kind", &id_kind_in(lang, &a.login_id)),
                    ("id", &a.login_id.grouped())
                ]
            ),
            login = text_in(
                lang,
                "mail-ids-login",
                &[("url", &entrance(state, a.kind()))]
            ),
            open = text_in(
                lang,
                "mail-invitation-open",
                &[("minutes", &ttl_minutes(link.lifetime).to_string())]
            ),
            url = link.url,
            expired = t("mail-invitation-expired"),
            nobody = t("mail-invitation-nobody-knows"),
            code = t("mail-invitation-code"),
        ),
    )
}

/// 所属の依頼: a business asks a technician to link to it.
pub fn affiliation_requested(
    state: &App,
    lang: Lang,
    technician: &Account,
    business: &str,
) -> NewMail {
    mail_in(
        lang,
        &technician.email,
        "mail-affiliation-requested-subject",
        format!(
            "{honor}\n\n{line}\n{how}\n{disclose}\n\n{url}\n",
            honor = honorific(lang, &technician.name),
            line = text_in(
                lang,
                "mail-affiliation-requested-line",
                &[("business", business)]
            ),
            how = text_in(
                lang,
                "mail-affiliation-requested-how",
                &[("page", &text_in(lang, "menu-affiliation", &[]))]
            ),
            disclose = text_in(lang, "mail-affiliation-requested-disclose", &[]),
            url = entrance(state, AccountKind::Technician),
        ),
    )
}

/// What became of a technician's link to a business, for the business.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AffiliationChange {
    /// The technician approved the business's request.
    Accepted,
    /// The technician declined it.
    Declined,
    /// The technician approved another business's request, which ended this link.
    MovedAway,
    /// The technician ended the link.
    Left,
}

/// The technician's answer, or the end of the link, to the business.
pub fn affiliation_changed(
    state: &App,
    lang: Lang,
    business: &Account,
    technician: &Account,
    change: AffiliationChange,
) -> NewMail {
    let key = match change {
        AffiliationChange::Accepted => "mail-affiliation-accepted",
        AffiliationChange::Declined => "mail-affiliation-declined",
        AffiliationChange::MovedAway => "mail-affiliation-moved-away",
        AffiliationChange::Left => "mail-affiliation-left",
    };
    mail_in(
        lang,
        &business.email,
        "mail-affiliation-changed-subject",
        format!(
            "{honor}\n\n{what}\n\n{list}\n",
            honor = honorific(lang, &business.name),
            what = text_in(
                lang,
                key,
                &[
                    ("name", &technician.name),
                    ("id", &technician.login_id.grouped())
                ]
            ),
            list = text_in(
                lang,
                "mail-affiliation-technicians",
                &[("url", &format!("{}/ccus_owner/technicians", base(state)))]
            ),
        ),
    )
}

/// The end of a link, to the technician.
pub fn affiliation_ended(state: &App, lang: Lang, technician: &Account, business: &str) -> NewMail {
    mail_in(
        lang,
        &technician.email,
        "mail-affiliation-ended-subject",
        format!(
            "{honor}\n\n{line}\n{check}\n{url}\n",
            honor = honorific(lang, &technician.name),
            line = text_in(
                lang,
                "mail-affiliation-ended-line",
                &[("business", business)]
            ),
            check = text_in(lang, "mail-affiliation-ended-check", &[]),
            url = entrance(state, AccountKind::Technician),
        ),
    )
}
