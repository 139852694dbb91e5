//! The mails the portal sends, each in the reader's language (日本語, English or やさしい日本語)
//! from the message catalog. Every link is built from the configured `public_url`, never from
//! the request. Subjects are fixed text; user data appears only in bodies.
//!
//! Which language: a mail to an account is in the language of its last login
//! ([`crate::i18n::mail_language`]); a mail answering a request of someone without an account
//! is in the language of that request; a mail about an application is in the language it was
//! sent in ([`application_language`]), an answer to an inquiry in the language of the inquiry
//! ([`inquiry_language`]).

use ccus_domain::org::Role;
use ccus_domain::registration::{ApplicationKind, DefectCode, Field};
use ccus_domain::{AccountKind, Timestamp};
use ccus_storage::{Account, Applicant, ClientInfo, NewMail};

use crate::i18n::{text_in, Lang};
use crate::{App, AppResult};

fn base(state: &App) -> &str {
    state.config().public_url.trim_end_matches('/')
}

fn entrance(state: &App, kind: AccountKind) -> String {
    format!("{}{}", base(state), kind.login_path())
}

fn link(state: &App, kind: AccountKind, path: &str, token: &str) -> String {
    format!("{}/{}/{path}?token={token}", base(state), kind.portal())
}

/// A mail in the reader's language: the subject with the portal's name, the signature.
fn mail_in(lang: Lang, to: &str, subject_key: &str, body: String) -> NewMail {
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
fn when_where_in(lang: Lang, at: Timestamp, client: &ClientInfo) -> String {
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
fn id_kind_in(lang: Lang, id: &ccus_domain::LoginId) -> String {
    if id.is_manager() {
        text_in(lang, "id-manager", &[])
    } else {
        kind_id_in(lang, id.kind())
    }
}

/// 技能者ID / 事業者ID (by the kind of account alone) in the reader's language.
fn kind_id_in(lang: Lang, kind: AccountKind) -> String {
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
fn honorific(lang: Lang, name: &str) -> String {
    text_in(lang, "mail-honorific", &[("name", name)])
}

fn forgot_page(state: &App, kind: AccountKind) -> String {
    format!("{}/{}/password/forgot", base(state), kind.portal())
}

fn ttl_minutes(state: &App) -> u64 {
    (state.config().recovery.token_ttl.as_secs() / 60).max(1)
}

/// The language an application's mails are in: for a 代行申請 the business's (it applies from
/// its own portal), else the one the application was last sent in, else Japanese.
pub async fn application_language(
    app: &App,
    applicant: &Applicant,
    application_id: i64,
) -> AppResult<Lang> {
    if let Some(business) = applicant.business_account_id {
        return crate::i18n::mail_language(app, business).await;
    }
    Ok(app
        .store()
        .application_language(application_id)
        .await?
        .and_then(|c| Lang::parse(&c))
        .unwrap_or_default())
}

/// The language an inquiry was sent in (Japanese for those from before it was recorded).
pub async fn inquiry_language(app: &App, inquiry_id: i64) -> AppResult<Lang> {
    Ok(app
        .store()
        .inquiry_language(inquiry_id)
        .await?
        .and_then(|c| Lang::parse(&c))
        .unwrap_or_default())
}

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

/// パスワード再設定のご案内.
pub fn reset_link(
    state: &App,
    lang: Lang,
    a: &Account,
    token: &str,
    client: &ClientInfo,
    at: Timestamp,
) -> NewMail {
    reset_mail(state, lang, a, token, ResetAsked::Owner(client), at)
}

/// The reset link the helpdesk sends after an inquiry: the person asked the helpdesk, not the
/// reset form, so the mail says so.
pub fn reset_link_from_helpdesk(
    state: &App,
    lang: Lang,
    a: &Account,
    token: &str,
    at: Timestamp,
) -> NewMail {
    reset_mail(state, lang, a, token, ResetAsked::Helpdesk, at)
}

/// The reset link a person's own business sends them (their 事業者責任者 or 階層管理者).
pub fn reset_link_from_org(
    state: &App,
    lang: Lang,
    a: &Account,
    token: &str,
    by: &str,
    at: Timestamp,
) -> NewMail {
    reset_mail(state, lang, a, token, ResetAsked::Organisation(by), at)
}

/// A role in a business, in the reader's language.
fn role_in(lang: Lang, role: Role) -> String {
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
    token: &str,
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
                &[("minutes", &ttl_minutes(state).to_string())]
            ),
            url = link(state, a.kind(), "password/reset", token),
            expired = t("mail-invitation-expired"),
            nobody = t("mail-invitation-nobody-knows"),
            code = t("mail-invitation-code"),
        ),
    )
}

/// Who asked for a reset link.
enum ResetAsked<'a> {
    Owner(&'a ClientInfo),
    Helpdesk,
    Organisation(&'a str),
}

fn reset_mail(
    state: &App,
    lang: Lang,
    a: &Account,
    token: &str,
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
            url = link(state, a.kind(), "password/reset", token),
            ttl = text_in(
                lang,
                "mail-link-ttl",
                &[("minutes", &ttl_minutes(state).to_string())]
            ),
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

/// The account was locked: when, from where, a link that lifts the lock, and advice.
pub fn locked(
    state: &App,
    lang: Lang,
    a: &Account,
    until: Timestamp,
    token: &str,
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
            url = link(state, kind, "unlock", token),
            ttl = text_in(lang, "mail-locked-ttl", &[("minutes", &ttl_minutes(state).to_string())]),
            not_you = t("mail-locked-not-you"),
            reset = forgot_page(state, kind),
        ),
    )
}

/// The kind of an inquiry in the reader's language: the form's kinds are stored as their
/// Japanese names; anything else is shown as stored.
fn inquiry_category_in(lang: Lang, category: &str) -> String {
    let key = match category {
        "ID照会" => "mail-inquiry-category-id",
        "パスワード・ロック" => "mail-inquiry-category-password",
        "登録メールアドレス変更" => "mail-inquiry-category-email",
        "その他" => "mail-inquiry-category-other",
        _ => return category.to_owned(),
    };
    text_in(lang, key, &[])
}

/// The inquiry was received: its number and when to expect an answer. In the language the
/// inquiry was sent in.
pub fn inquiry_received(
    state: &App,
    lang: Lang,
    to: &str,
    receipt: &str,
    category: &str,
    due: &str,
) -> NewMail {
    mail_in(
        lang,
        to,
        "mail-inquiry-received-subject",
        format!(
            "{received}\n\n{receipt}\n{category}\n{due}\n\n{answers}\n{faq}\n",
            received = text_in(lang, "mail-inquiry-received", &[]),
            receipt = text_in(lang, "mail-inquiry-receipt", &[("receipt", receipt)]),
            category = text_in(
                lang,
                "mail-inquiry-category",
                &[("category", &inquiry_category_in(lang, category))]
            ),
            due = text_in(lang, "mail-inquiry-due", &[("due", due)]),
            answers = text_in(lang, "mail-inquiry-answers", &[]),
            faq = text_in(
                lang,
                "mail-inquiry-faq",
                &[("url", &format!("{}/faq", base(state)))]
            ),
        ),
    )
}

/// The helpdesk's answer to an inquiry (the answer itself as the helpdesk wrote it).
pub fn inquiry_reply(lang: Lang, to: &str, receipt: &str, body: &str) -> NewMail {
    mail_in(
        lang,
        to,
        "mail-inquiry-reply-subject",
        format!(
            "{intro}\n\n{body}\n\n{more}\n",
            intro = text_in(lang, "mail-inquiry-reply-intro", &[("receipt", receipt)]),
            more = text_in(lang, "mail-inquiry-reply-more", &[]),
        ),
    )
}

/// To the new address: confirm it.
pub fn email_confirm(
    state: &App,
    lang: Lang,
    a: &Account,
    new_email: &str,
    token: &str,
) -> NewMail {
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
            url = link(state, a.kind(), "email/confirm", token),
            ttl = text_in(
                lang,
                "mail-email-confirm-ttl",
                &[("minutes", &ttl_minutes(state).to_string())]
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

// ---- registration ----------------------------------------------------------------------------

/// The confirmation link that makes an application login (申請用ID).
pub fn applicant_confirm(state: &App, lang: Lang, email: &str, token: &str, hours: u64) -> NewMail {
    mail_in(
        lang,
        email,
        "mail-applicant-confirm-subject",
        format!(
            "{intro}\n\n{open}\n{base}/apply/confirm?token={token}\n\n{not_you}\n",
            intro = text_in(lang, "mail-applicant-confirm-intro", &[]),
            open = text_in(
                lang,
                "mail-applicant-confirm-open",
                &[("hours", &hours.to_string())]
            ),
            base = base(state),
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
pub fn applicant_reset_link(
    state: &App,
    lang: Lang,
    email: &str,
    token: &str,
    minutes: u64,
) -> NewMail {
    let t = |k: &str| text_in(lang, k, &[]);
    mail_in(
        lang,
        email,
        "mail-applicant-reset-subject",
        format!(
            "{intro}\n\n{open}\n{base}/apply/password/reset?token={token}\n\n{not_you}\n",
            intro = t("mail-applicant-reset-intro"),
            open = text_in(
                lang,
                "mail-applicant-reset-open",
                &[("minutes", &minutes.to_string())]
            ),
            base = base(state),
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
    number: i64,
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
                &[("fee", &yen(fee_yen))]
            ),
        ),
    )
}

/// The name of an item of the application form, in the reader's language.
fn field_in(lang: Lang, f: Field) -> String {
    text_in(lang, &crate::i18n::field_key(f), &[])
}

/// Why an item was returned, in the reader's language.
fn defect_in(lang: Lang, c: DefectCode) -> String {
    text_in(lang, &crate::i18n::defect_key(c), &[])
}

/// 申請内容不備のお知らせ: what to fix (item, reason in the reader's language, the screener's
/// comment as written and said to be theirs), and until when it can be sent again.
pub fn application_returned(
    state: &App,
    lang: Lang,
    email: &str,
    number: i64,
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
    number: i64,
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
    number: i64,
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
    number: i64,
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
                &[("fee", &yen(fee_yen)), ("number", &number)]
            ),
            then = text_in(lang, "mail-approved-then", &[]),
            status = application_status_line(state, lang),
        ),
    )
}

/// 代行申請への同意のお願い: to the worker a business applies for, with the link to answer. In
/// the language the business asked in.
pub fn consent_request(
    state: &App,
    lang: Lang,
    email: &str,
    worker: &str,
    business: &str,
    token: &str,
    days: u64,
) -> NewMail {
    let t = |k: &str| text_in(lang, k, &[]);
    mail_in(
        lang,
        email,
        "mail-consent-subject",
        format!(
            "{honor}\n\n{line}\n\n{open}\n{base}/apply/consent?token={token}\n\n{after}\n{not_you}\n",
            honor = honorific(lang, worker),
            line = text_in(lang, "mail-consent-line", &[("business", business)]),
            open = text_in(lang, "mail-consent-open", &[("days", &days.to_string())]),
            base = base(state),
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
    number: i64,
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
    number: i64,
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

// ---- affiliation -----------------------------------------------------------------------------

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
    use ccus_domain::LoginId;
    use rand::SeedableRng;

    const BASE: &str = "https://ccus.example.jp";

    async fn app() -> (App, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let store =
            ccus_storage::Store::connect(&format!("sqlite://{}/ccus.db", dir.path().display()))
                .await
                .unwrap();
        let mut c = crate::config::Config::default();
        c.hashing.memory_kib = 1024;
        c.hashing.iterations = 1;
        c.public_url = format!("{BASE}/");
        let app = App::new(c, store, std::sync::Arc::new(ccus_domain::SystemClock))
            .await
            .unwrap();
        (app, dir)
    }

    fn account(kind: AccountKind, manager: bool, name: &str, seed: u64) -> Account {
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        Account {
            id: 1,
            login_id: if manager {
                LoginId::generate_manager(&mut rng)
            } else {
                LoginId::generate(kind, &mut rng)
            },
            name: name.into(),
            email: "a@example.jp".into(),
            password_hash: String::new(),
            created_at: Timestamp(0),
            must_change_password: false,
            profile: Default::default(),
        }
    }

    /// Every mail with the same data, in `lang`: (what, mail, what each language must carry).
    fn every_mail(app: &App, lang: Lang) -> Vec<(&'static str, NewMail, Vec<String>)> {
        let t = account(AccountKind::Technician, false, "建設 太郎", 1);
        let b = account(AccountKind::Business, false, "株式会社テスト", 2);
        let m = account(AccountKind::Business, true, "管理 花子", 3);
        let client = ClientInfo {
            address: "192.0.2.1".into(),
            user_agent: "Mozilla/5.0 Firefox/120.0".into(),
        };
        let at = Timestamp(1_700_000_000_000);
        let (tid, bid, mid) = (
            t.login_id.grouped(),
            b.login_id.grouped(),
            m.login_id.grouped(),
        );
        let when = at.jst();
        let s = |v: &[&str]| v.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
        vec![
            (
                "registered",
                registered(app, lang, &t),
                s(&[&tid, "建設 太郎", "/ccus_skill/login"]),
            ),
            (
                "registered (business)",
                registered(app, lang, &b),
                s(&[&bid, "/ccus_owner/login"]),
            ),
            (
                "member_invitation",
                member_invitation(app, lang, &m, "株式会社テスト", Role::TierManager, "TOK1"),
                s(&[
                    &mid,
                    "株式会社テスト",
                    "/ccus_owner/login",
                    "/ccus_owner/password/reset?token=TOK1",
                    "30",
                ]),
            ),
            (
                "inquiry_received",
                inquiry_received(
                    app,
                    lang,
                    "q@example.jp",
                    "Q20240101-00000001",
                    "ID照会",
                    "2024-01-05",
                ),
                s(&["Q20240101-00000001", "2024-01-05", &format!("{BASE}/faq")]),
            ),
            (
                "inquiry_reply",
                inquiry_reply(lang, "q@example.jp", "Q20240101-00000001", "回答本文です。"),
                s(&["Q20240101-00000001", "回答本文です。"]),
            ),
            (
                "email_confirm",
                email_confirm(app, lang, &t, "new@example.jp", "TOK2"),
                s(&["/ccus_skill/email/confirm?token=TOK2", "30"]),
            ),
            (
                "email_changed",
                email_changed(app, lang, &t, "old@example.jp", &client, at),
                s(&[&tid, &when, "192.0.2.1", "Firefox"]),
            ),
            (
                "applicant_confirm",
                applicant_confirm(app, lang, "ap@example.jp", "TOK3", 24),
                s(&["/apply/confirm?token=TOK3", "24"]),
            ),
            (
                "applicant_reset_link",
                applicant_reset_link(app, lang, "ap@example.jp", "TOK5", 30),
                s(&["/apply/password/reset?token=TOK5", "30"]),
            ),
            (
                "applicant_password_changed",
                applicant_password_changed(app, lang, "ap@example.jp", &client, at),
                s(&[&when, "192.0.2.1", "/apply/password/forgot"]),
            ),
            (
                "applicant_exists",
                applicant_exists(app, lang, "ap@example.jp"),
                s(&["/apply/login"]),
            ),
            (
                "application_received",
                application_received(
                    app,
                    lang,
                    "ap@example.jp",
                    12,
                    ApplicationKind::Technician,
                    4900,
                ),
                s(&["12", "4,900", "/apply/home"]),
            ),
            (
                "application_received (business)",
                application_received(
                    app,
                    lang,
                    "ap@example.jp",
                    13,
                    ApplicationKind::Business,
                    1_200_000,
                ),
                s(&["13", "1,200,000", "/apply/home"]),
            ),
            (
                "application_returned",
                application_returned(
                    app,
                    lang,
                    "ap@example.jp",
                    12,
                    &[
                        (Field::Name, DefectCode::Missing, String::new()),
                        (
                            Field::Address,
                            DefectCode::Other,
                            " 番地がありません ".into(),
                        ),
                    ],
                    at,
                ),
                s(&[
                    "12",
                    "番地がありません",
                    "/apply/home",
                    &at.jst_not_before(),
                ]),
            ),
            (
                "returned_expiring",
                returned_expiring(app, lang, "ap@example.jp", 12, at),
                s(&["12", "/apply/home", &at.jst_not_before()]),
            ),
            (
                "application_rejected",
                application_rejected(app, lang, "ap@example.jp", 12, "同じ方の登録があります"),
                s(&["12", "同じ方の登録があります", "/apply/home"]),
            ),
            (
                "card_reissued",
                card_reissued(app, lang, &t),
                s(&[&tid, "/ccus_skill/login"]),
            ),
            (
                "application_approved",
                application_approved(app, lang, "ap@example.jp", 12, 4900),
                s(&["「12」", "4,900", "/apply/home"]),
            ),
            (
                "consent_request",
                consent_request(
                    app,
                    lang,
                    "w@example.jp",
                    "山田 一郎",
                    "株式会社テスト",
                    "TOK4",
                    14,
                ),
                s(&[
                    "山田 一郎",
                    "株式会社テスト",
                    "/apply/consent?token=TOK4",
                    "14",
                ]),
            ),
            (
                "consent_answered (yes)",
                consent_answered(app, lang, "b@example.jp", 12, "山田 一郎", true),
                s(&["12", "山田 一郎", "/apply/home"]),
            ),
            (
                "consent_answered (no)",
                consent_answered(app, lang, "b@example.jp", 12, "山田 一郎", false),
                s(&["12", "山田 一郎", "/apply/home"]),
            ),
            (
                "proxy_issued",
                proxy_issued(app, lang, "b@example.jp", 12, "山田 一郎", &tid),
                s(&["12", "山田 一郎", &tid, "/apply/home"]),
            ),
            (
                "affiliation_requested",
                affiliation_requested(app, lang, &t, "株式会社テスト"),
                s(&["株式会社テスト", "/ccus_skill/login"]),
            ),
            (
                "affiliation_changed (accepted)",
                affiliation_changed(app, lang, &b, &t, AffiliationChange::Accepted),
                s(&["建設 太郎", &tid, "/ccus_owner/technicians"]),
            ),
            (
                "affiliation_changed (declined)",
                affiliation_changed(app, lang, &b, &t, AffiliationChange::Declined),
                s(&[&tid, "/ccus_owner/technicians"]),
            ),
            (
                "affiliation_changed (moved away)",
                affiliation_changed(app, lang, &b, &t, AffiliationChange::MovedAway),
                s(&["建設 太郎", &tid, "/ccus_owner/technicians"]),
            ),
            (
                "affiliation_changed (left)",
                affiliation_changed(app, lang, &b, &t, AffiliationChange::Left),
                s(&["建設 太郎", &tid, "/ccus_owner/technicians"]),
            ),
            (
                "affiliation_ended",
                affiliation_ended(app, lang, &t, "株式会社テスト"),
                s(&["株式会社テスト", "/ccus_skill/login"]),
            ),
            (
                "passkey_changed (added)",
                passkey_changed(app, lang, &t, "My key", true, &client, at),
                s(&["「My key」", &when, "/ccus_skill/login"]),
            ),
            (
                "passkey_changed (removed)",
                passkey_changed(app, lang, &m, "My key", false, &client, at),
                s(&["「My key」", &when, "/ccus_owner/login"]),
            ),
            (
                "reset_link",
                reset_link(app, lang, &t, "TOK5", &client, at),
                s(&["/ccus_skill/password/reset?token=TOK5", &when]),
            ),
            (
                "reset_link_from_helpdesk",
                reset_link_from_helpdesk(app, lang, &t, "TOK6", at),
                s(&["/ccus_skill/password/reset?token=TOK6", &when]),
            ),
            (
                "reset_link_from_org",
                reset_link_from_org(app, lang, &m, "TOK7", "株式会社テスト", at),
                s(&["/ccus_owner/password/reset?token=TOK7", "株式会社テスト"]),
            ),
            (
                "password_changed",
                password_changed(app, lang, &t, PasswordSet::Changed, &client, at),
                s(&[&tid, &when, "/ccus_skill/password/forgot"]),
            ),
            (
                "id_reminder",
                id_reminder(app, lang, "a@example.jp", &[t.clone(), m.clone()]),
                s(&[&tid, &mid, "/ccus_skill/login", "/ccus_owner/login"]),
            ),
            (
                "locked",
                locked(app, lang, &t, at, "TOK8", &client, at),
                s(&["/ccus_skill/unlock?token=TOK8", &when]),
            ),
        ]
    }

    #[tokio::test]
    async fn every_mail_comes_in_each_language_with_the_same_links_and_ids() {
        let (app, _dir) = app().await;
        let ja = every_mail(&app, Lang::Ja);
        let en = every_mail(&app, Lang::En);
        let easy = every_mail(&app, Lang::Easy);
        for ((what, ja, facts), ((_, en, _), (_, easy, _))) in
            ja.iter().zip(en.iter().zip(easy.iter()))
        {
            assert!(
                ja.subject.starts_with("【建設キャリアアップシステム】"),
                "{what}"
            );
            assert!(
                en.subject.starts_with("[Construction Career Up System] ") && en.subject.is_ascii(),
                "{what}: {}",
                en.subject
            );
            for (lang, m) in [("en", en), ("easy", easy)] {
                assert_eq!(m.to, ja.to, "{what}");
                assert_ne!(m.subject, ja.subject, "{what} in {lang}");
                assert_ne!(m.body, ja.body, "{what} in {lang}");
                assert!(!m.body.contains("mail-"), "{what} in {lang}: a key shows");
                // Every link of the Japanese mail, and every fact, is there too.
                for word in ja.body.split_whitespace().filter(|w| w.contains("://")) {
                    assert!(m.body.contains(word), "{what} in {lang} lacks {word}");
                }
                for fact in facts {
                    assert!(
                        ja.body.contains(fact.as_str()),
                        "{what}: {fact} in Japanese"
                    );
                    assert!(
                        m.body.contains(fact.trim_matches(['「', '」'])),
                        "{what} in {lang} lacks {fact}:\n{}",
                        m.body
                    );
                }
                assert_eq!(
                    m.body.lines().filter(|l| l.contains("://")).count(),
                    ja.body.lines().filter(|l| l.contains("://")).count(),
                    "{what} in {lang}"
                );
            }
            assert_ne!(en.body, easy.body, "{what}");
            assert!(ja.body.ends_with(
                "――――――――――――――――――――――――――\n建設キャリアアップシステム（CCUS）\nこのメールは送信専用です。ご返信いただいてもお答えできません。\n"
            ));
            assert!(en.body.contains("Construction Career Up System (CCUS)"));
        }
    }

    #[tokio::test]
    async fn the_japanese_stays_as_it_was() {
        let (app, _dir) = app().await;
        let t = account(AccountKind::Technician, false, "建設 太郎", 1);
        let m = registered(&app, Lang::Ja, &t);
        assert_eq!(
            m.subject,
            "【建設キャリアアップシステム】登録完了のお知らせ"
        );
        assert!(m.body.starts_with(&format!(
            "建設 太郎 様\n\n技能者としての登録が完了しました。\n\n技能者ID: {}\nログイン画面: {BASE}/ccus_skill/login\n\n",
            t.login_id.grouped()
        )));
        let m = application_returned(
            &app,
            Lang::Ja,
            "ap@example.jp",
            12,
            &[
                (Field::Name, DefectCode::Missing, String::new()),
                (Field::Address, DefectCode::Other, "番地がありません".into()),
            ],
            Timestamp(1_700_000_000_000),
        );
        assert!(m.body.starts_with(
            "登録の申請（申請番号 12）の審査で、次の項目に不備がありました。\n\n・氏名: 記載漏れ\n・住所: その他（審査担当者のコメント: 番地がありません）\n\n"
        ));
        let m = affiliation_changed(
            &app,
            Lang::Ja,
            &account(AccountKind::Business, false, "株式会社テスト", 2),
            &t,
            AffiliationChange::Declined,
        );
        assert!(m.body.contains(&format!(
            "技能者ID {} への所属の依頼は、辞退されました。",
            t.login_id.grouped()
        )));
        // The names the mails give items, reasons, roles and kinds are the ones of the pages.
        for f in Field::ALL {
            assert_eq!(field_in(Lang::Ja, f), f.label_ja());
            assert_ne!(field_in(Lang::En, f), f.label_ja());
        }
        for c in DefectCode::ALL {
            assert_eq!(defect_in(Lang::Ja, c), c.label_ja());
        }
        for r in Role::ALL {
            assert_eq!(role_in(Lang::Ja, r), r.label_ja());
        }
        for (value, _) in [
            ("ID照会", ()),
            ("パスワード・ロック", ()),
            ("登録メールアドレス変更", ()),
            ("その他", ()),
        ] {
            assert_eq!(inquiry_category_in(Lang::Ja, value), value);
            assert!(inquiry_category_in(Lang::En, value).is_ascii());
        }
        assert_eq!(inquiry_category_in(Lang::En, "自由な種類"), "自由な種類");
    }
}
