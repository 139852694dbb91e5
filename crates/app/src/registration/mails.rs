//! The mails of registration: the applicant login, an application received, returned, rejected or approved, consent asked and answered, a card issued again.

use ccus_domain::registration::{ApplicationKind, DefectCode, Field};
use ccus_domain::{ApplicationId, Timestamp};
use ccus_storage::{Account, Applicant, ClientInfo, NewMail};

use crate::i18n::{text_in, Lang};
use crate::links::MailedLink;
use crate::mail::*;
use crate::{App, AppResult};

/// The language an application's mails are in: for a 代行申請 the business's (it applies from
/// its own portal), else the one the application was last sent in, else Japanese.
pub async fn application_language(
    app: &App,
    applicant: &Applicant,
    application_id: ApplicationId,
) -> AppResult<Lang> {
    if let Some(business) = applicant.business_account_id {
        return crate::i18n::mail_language(app, business).await;
    }
    Ok(app
        .store()
        .languages()
        .application_language(application_id)
        .await?
        .and_then(|c| Lang::parse(&c))
        .unwrap_or_default())
}

/// The confirmation link that makes an application login (申請用ID).
pub fn applicant_confirm(lang: Lang, email: &str, link: &MailedLink) -> NewMail {
    let hours = link.lifetime.as_secs().div_ceil(3600).max(1);
    mail_in(
        lang,
        email,
        "mail-applicant-confirm-subject",
        format!(
            "{intro}\n\n{open}\n{url}\n\n{not_you}\n",
            intro = text_in(lang, "mail-applicant-confirm-intro", &[]),
            open = text_in(
                lang,
                "mail-applicant-confirm-open",
                &[("hours", &hours.to_string())]
            ),
            url = link.url,
            not_you = text_in(lang, "mail-applicant-confirm-not-you", &[]),
        ),
    )
}

/// Sent instead of a link when the address already has an application login.
pub fn applicant_exists(state: &App, lang: Lang, email: &str) -> NewMail {
    let t = |k: &str| text_in(lang, k, &[]);
    mail_in(
        lang,
        email,
        "mail-applicant-exists-subject",
        format!(
            "{line}\n\n{login}\n{base}/apply/login\n\n{not_you}\n",
            line = t("mail-applicant-exists-line"),
            login = t("mail-applicant-exists-login"),
            base = base(state),
            not_you = t("mail-applicant-exists-not-you"),
        ),
    )
}

/// パスワードをお忘れの方 at `/apply/login`: a link to choose a new application password.
pub fn applicant_reset_link(lang: Lang, email: &str, link: &MailedLink) -> NewMail {
    let minutes = link.lifetime.as_secs().div_ceil(60).max(1);
    let t = |k: &str| text_in(lang, k, &[]);
    mail_in(
        lang,
        email,
        "mail-applicant-reset-subject",
        format!(
            "{intro}\n\n{open}\n{url}\n\n{not_you}\n",
            intro = t("mail-applicant-reset-intro"),
            open = text_in(
                lang,
                "mail-applicant-reset-open",
                &[("minutes", &minutes.to_string())]
            ),
            url = link.url,
            not_you = t("mail-applicant-reset-not-you"),
        ),
    )
}

/// Tells an application login its password was reset, and what to do if that was not them.
pub fn applicant_password_changed(
    state: &App,
    lang: Lang,
    email: &str,
    client: &ClientInfo,
    at: Timestamp,
) -> NewMail {
    let t = |k: &str| text_in(lang, k, &[]);
    mail_in(
        lang,
        email,
        "mail-applicant-password-changed-subject",
        format!(
            "{line}\n{when}\n{sessions}\n\n{not_you}\n{base}/apply/password/forgot\n",
            line = t("mail-applicant-password-changed-line"),
            when = when_where_in(lang, at, client),
            sessions = t("mail-applicant-password-changed-sessions"),
            not_you = t("mail-applicant-password-changed-not-you"),
            base = base(state),
        ),
    )
}

/// The status page of an application, as a line of a mail.
fn application_status_line(state: &App, lang: Lang) -> String {
    text_in(
        lang,
        "mail-application-status",
        &[("url", &format!("{}/apply/home", base(state)))],
    )
}

/// 申請受付: the application was sent to screening.
pub fn application_received(
    state: &App,
    lang: Lang,
    email: &str,
    number: ApplicationId,
    kind: ApplicationKind,
    fee_yen: i64,
) -> NewMail {
    let number = number.to_string();
    mail_in(
        lang,
        email,
        "mail-application-received-subject",
        format!(
            "{line}\n\n{results}\n{base}/apply/home\n\n{fee}\n",
            line = text_in(
                lang,
                match kind {
                    ApplicationKind::Technician => "mail-application-received-technician",
                    ApplicationKind::Business => "mail-application-received-business",
                },
                &[("number", &number)]
            ),
            results = text_in(lang, "mail-application-received-results", &[]),
            base = base(state),
            fee = text_in(
                lang,
                "mail-application-received-fee",
                &[("fee", &crate::i18n::yen(fee_yen))]
            ),
        ),
    )
}

/// The name of an item of the application form, in the reader's language.
pub(crate) fn field_in(lang: Lang, f: Field) -> String {
    text_in(lang, &crate::i18n::field_key(f), &[])
}

/// Why an item was returned, in the reader's language.
pub(crate) fn defect_in(lang: Lang, c: DefectCode) -> String {
    text_in(lang, &crate::i18n::defect_key(c), &[])
}

/// 申請内容不備のお知らせ: what to fix (item, reason in the reader's language, the screener's
/// comment as written and said to be theirs), and until when it can be sent again.
pub fn application_returned(
    state: &App,
    lang: Lang,
    email: &str,
    number: ApplicationId,
    defects: &[(Field, DefectCode, String)],
    deleted_after: Timestamp,
) -> NewMail {
    let items: String = defects
        .iter()
        .map(|(field, code, comment)| {
            let (field, code, comment) = (
                field_in(lang, *field),
                defect_in(lang, *code),
                comment.trim(),
            );
            let line = if comment.is_empty() {
                text_in(
                    lang,
                    "mail-returned-item",
                    &[("field", &field), ("code", &code)],
                )
            } else {
                text_in(
                    lang,
                    "mail-returned-item-comment",
                    &[("field", &field), ("code", &code), ("comment", comment)],
                )
            };
            format!("{line}\n")
        })
        .collect();
    mail_in(
        lang,
        email,
        "mail-returned-subject",
        format!(
            "{line}\n\n{items}\n{fix}\n{base}/apply/home\n\n{deadline}\n",
            line = text_in(
                lang,
                "mail-returned-line",
                &[("number", &number.to_string())]
            ),
            fix = text_in(lang, "mail-returned-fix", &[]),
            base = base(state),
            deadline = text_in(
                lang,
                "mail-returned-deadline",
                &[("date", &deleted_after.jst_not_before())]
            ),
        ),
    )
}

/// Before a returned application that was not sent again is deleted.
pub fn returned_expiring(
    state: &App,
    lang: Lang,
    email: &str,
    number: ApplicationId,
    deleted_after: Timestamp,
) -> NewMail {
    mail_in(
        lang,
        email,
        "mail-returned-expiring-subject",
        format!(
            "{line}\n{when}\n\n{fix}\n{base}/apply/home\n",
            line = text_in(
                lang,
                "mail-returned-expiring-line",
                &[("number", &number.to_string())]
            ),
            when = text_in(
                lang,
                "mail-returned-expiring-when",
                &[("date", &deleted_after.jst_not_before())]
            ),
            fix = text_in(lang, "mail-returned-fix", &[]),
            base = base(state),
        ),
    )
}

/// 却下: the application was refused, with the screener's words.
pub fn application_rejected(
    state: &App,
    lang: Lang,
    email: &str,
    number: ApplicationId,
    reason: &str,
) -> NewMail {
    mail_in(
        lang,
        email,
        "mail-rejected-subject",
        format!(
            "{line}\n\n{reason}\n\n{after}\n{status}\n",
            line = text_in(
                lang,
                "mail-rejected-line",
                &[("number", &number.to_string())]
            ),
            reason = text_in(lang, "mail-rejected-reason", &[("reason", reason.trim())]),
            after = text_in(
                lang,
                "mail-rejected-after",
                &[("helpdesk", &state.config().recovery.helpdesk)]
            ),
            status = application_status_line(state, lang),
        ),
    )
}

/// A new registration card was made for an account still on its initial password: the old
/// card's secrets no longer work (told to the registered address, in case it was not asked).
pub fn card_reissued(state: &App, lang: Lang, a: &Account) -> NewMail {
    mail_in(
        lang,
        &a.email,
        "mail-card-reissued-subject",
        format!(
            "{honor}\n\n{line}\n{old}\n\n{not_you}\n{url}\n",
            honor = honorific(lang, &a.name),
            line = text_in(
                lang,
                "mail-card-reissued-line",
                &[
                    ("id_kind", &id_kind_in(lang, &a.login_id)),
                    ("id", &a.login_id.grouped())
                ]
            ),
            old = text_in(lang, "mail-card-reissued-old", &[]),
            not_you = text_in(
                lang,
                "mail-card-reissued-not-you",
                &[("helpdesk", &state.config().recovery.helpdesk)]
            ),
            url = entrance(state, a.kind()),
        ),
    )
}

/// 審査完了: the fee and how to pay it.
pub fn application_approved(
    state: &App,
    lang: Lang,
    email: &str,
    number: ApplicationId,
    fee_yen: i64,
) -> NewMail {
    let number = number.to_string();
    mail_in(
        lang,
        email,
        "mail-approved-subject",
        format!(
            "{line}\n\n{pay}\n{then}\n\n{status}\n",
            line = text_in(lang, "mail-approved-line", &[("number", &number)]),
            pay = text_in(
                lang,
                "mail-approved-pay",
                &[("fee", &crate::i18n::yen(fee_yen)), ("number", &number)]
            ),
            then = text_in(lang, "mail-approved-then", &[]),
            status = application_status_line(state, lang),
        ),
    )
}

/// 代行申請への同意のお願い: to the worker a business applies for, with the link to answer. In
/// the language the business asked in.
pub fn consent_request(
    lang: Lang,
    email: &str,
    worker: &str,
    business: &str,
    link: &MailedLink,
) -> NewMail {
    let days = link.lifetime.as_secs() / (24 * 60 * 60);
    let t = |k: &str| text_in(lang, k, &[]);
    mail_in(
        lang,
        email,
        "mail-consent-subject",
        format!(
            "{honor}\n\n{line}\n\n{open}\n{url}\n\n{after}\n{not_you}\n",
            honor = honorific(lang, worker),
            line = text_in(lang, "mail-consent-line", &[("business", business)]),
            open = text_in(lang, "mail-consent-open", &[("days", &days.to_string())]),
            url = link.url,
            after = t("mail-consent-after"),
            not_you = t("mail-consent-not-you"),
        ),
    )
}

/// The worker's answer, to the business that asked.
pub fn consent_answered(
    state: &App,
    lang: Lang,
    email: &str,
    number: ApplicationId,
    worker: &str,
    yes: bool,
) -> NewMail {
    let (subject, line) = if yes {
        ("mail-consent-yes-subject", "mail-consent-yes-line")
    } else {
        ("mail-consent-no-subject", "mail-consent-no-line")
    };
    mail_in(
        lang,
        email,
        subject,
        format!(
            "{about}\n\n{line}\n\n{status}\n",
            about = text_in(
                lang,
                "mail-consent-about",
                &[("number", &number.to_string()), ("worker", worker)]
            ),
            line = text_in(lang, line, &[]),
            status = application_status_line(state, lang),
        ),
    )
}

/// 登録完了 of a 代行申請, to the business that applied: the ID, never the secrets.
pub fn proxy_issued(
    state: &App,
    lang: Lang,
    email: &str,
    number: ApplicationId,
    worker: &str,
    login_id: &str,
) -> NewMail {
    mail_in(
        lang,
        email,
        "mail-proxy-issued-subject",
        format!(
            "{line}\n\n{id}\n\n{secrets}\n\n{status}\n",
            line = text_in(
                lang,
                "mail-proxy-issued-line",
                &[("number", &number.to_string())]
            ),
            id = text_in(
                lang,
                "mail-proxy-issued-id",
                &[("worker", worker), ("id", login_id)]
            ),
            secrets = text_in(lang, "mail-proxy-issued-secrets", &[]),
            status = application_status_line(state, lang),
        ),
    )
}
