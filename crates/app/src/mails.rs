//! The mails the portal sends, in Japanese. Every link is built from the configured
//! `public_url`, never from the request. Subjects are fixed text; user data appears only in
//! bodies.

use ccus_domain::{AccountKind, Timestamp};
use ccus_storage::{Account, ClientInfo, NewMail};

use crate::i18n::{text_in, Lang};
use crate::App;

const SIGNATURE: &str = "\n――――――――――――――――――――――――――\n建設キャリアアップシステム（CCUS）\nこのメールは送信専用です。ご返信いただいてもお答えできません。\n";

fn base(state: &App) -> &str {
    state.config().public_url.trim_end_matches('/')
}

fn entrance(state: &App, kind: AccountKind) -> String {
    format!("{}{}", base(state), kind.login_path())
}

fn link(state: &App, kind: AccountKind, path: &str, token: &str) -> String {
    format!("{}/{}/{path}?token={token}", base(state), kind.portal())
}

fn mail(to: &str, subject: &str, body: String) -> NewMail {
    NewMail {
        to: to.to_owned(),
        subject: format!("【建設キャリアアップシステム】{subject}"),
        body: format!("{body}{SIGNATURE}"),
    }
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
    format!(
        "{}\n{}\n{}\n",
        text_in(lang, "mail-when", &[("at", &at.jst())]),
        text_in(lang, "mail-from", &[("address", &client.address)]),
        text_in(
            lang,
            "mail-browser",
            &[(
                "browser",
                ccus_domain::access::browser_label(&client.user_agent)
            )]
        )
    )
}

/// 技能者ID / 事業者ID / 管理者ID in the reader's language.
fn id_kind_in(lang: Lang, id: &ccus_domain::LoginId) -> String {
    text_in(
        lang,
        if id.is_manager() {
            "id-manager"
        } else {
            match id.kind() {
                AccountKind::Technician => "id-technician",
                AccountKind::Business => "id-business",
            }
        },
        &[],
    )
}

fn when_where(at: Timestamp, client: &ClientInfo) -> String {
    format!(
        "日時: {}（日本時間）\n接続元: {}\nブラウザ: {}\n",
        at.jst(),
        client.address,
        ccus_domain::access::browser_label(&client.user_agent)
    )
}

fn forgot_page(state: &App, kind: AccountKind) -> String {
    format!("{}/{}/password/forgot", base(state), kind.portal())
}

fn ttl_minutes(state: &App) -> u64 {
    (state.config().recovery.token_ttl.as_secs() / 60).max(1)
}

/// 登録完了: the ID and how to log in (never the password).
pub fn registered(state: &App, a: &Account) -> NewMail {
    let kind = a.kind();
    mail(
        &a.email,
        "登録完了のお知らせ",
        format!(
            "{name} 様\n\n{label}としての登録が完了しました。\n\n{label}ID: {id}\nログイン画面: {url}\n\n\
             初めてログインするときは、登録時にお渡しした初期パスワードを使います。ログイン後、\
             本人確認番号（4桁）を入力して、ご自分のパスワードに変更していただきます。\n\
             このメールは、IDを忘れたときのために大切に保管してください。\n",
            name = a.name,
            label = kind.label_ja(),
            id = a.login_id.grouped(),
            url = entrance(state, kind),
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

/// 管理者IDの発行: the new person's ID and the link to choose their own password.
pub fn member_invitation(
    state: &App,
    a: &Account,
    business: &str,
    role: &str,
    token: &str,
) -> NewMail {
    mail(
        &a.email,
        "管理者IDの発行のお知らせ",
        format!(
            "{name} 様\n\n{business} の{role}として、建設キャリアアップシステムの管理者IDが発行されました。\n\n\
             管理者ID: {id}\nログイン画面: {login}\n\n\
             次のURLを開き、ご自分のパスワードを設定してください（有効期限{ttl}分、一度だけ使えます）。\n{url}\n\n\
             期限が切れたときは、ログイン画面の「パスワードをお忘れの方」から、管理者IDとこのメールアドレスで設定できます。\n\
             パスワードは、あなた以外の誰も（事業者の管理者もヘルプデスクも）知ることはできません。\n\
             本人確認番号（4桁）は、発行した方から直接受け取ってください。パスワードの変更に使います。\n",
            name = a.name,
            id = a.login_id.grouped(),
            login = entrance(state, a.kind()),
            url = link(state, a.kind(), "password/reset", token),
            ttl = ttl_minutes(state),
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
            honor = text_in(lang, "mail-honorific", &[("name", &a.name)]),
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
        PasswordSet::Reset => "mail-changed-reset",
    };
    mail_in(
        lang,
        &a.email,
        "mail-changed-subject",
        format!(
            "{honor}\n\n{what}\n{sessions}\n\n{ww}\n{not_you}\n{url}\n",
            honor = text_in(lang, "mail-honorific", &[("name", &a.name)]),
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
    /// With a reset link.
    Reset,
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
            honor = text_in(lang, "mail-honorific", &[("name", &a.name)]),
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

/// The inquiry was received: its number and when to expect an answer.
pub fn inquiry_received(
    state: &App,
    to: &str,
    receipt: &str,
    category: &str,
    due: &str,
) -> NewMail {
    mail(
        to,
        "お問い合わせを受け付けました",
        format!(
            "お問い合わせを受け付けました。\n\n受付番号: {receipt}\n種類: {category}\n回答の目安: {due} まで（平日のみ回答します）\n\n\
             ヘルプデスクからの回答は、このアドレスにお送りします。ヘルプデスクがパスワードをお尋ねすることはありません。\n\
             よくある質問: {base}/faq\n",
            base = base(state),
        ),
    )
}

/// The helpdesk's answer to an inquiry.
pub fn inquiry_reply(to: &str, receipt: &str, body: &str) -> NewMail {
    mail(
        to,
        "お問い合わせへの回答",
        format!("お問い合わせ（受付番号: {receipt}）への回答です。\n\n{body}\n\nこのメールにご返信いただいてもお答えできません。続けてのご質問は、お問い合わせフォームから受付番号を添えてお送りください。\n"),
    )
}

/// To the new address: confirm it.
pub fn email_confirm(state: &App, a: &Account, new_email: &str, token: &str) -> NewMail {
    mail(
        new_email,
        "メールアドレス変更の確認",
        format!(
            "{name} 様\n\n登録メールアドレスをこのアドレスに変更するお申し込みを受け付けました。\n\
             次のURLを開いて変更を確定してください。\n\n{url}\n\nこのURLの有効期限は{ttl}分です。\n\
             お心当たりのない場合は、このメールを破棄してください。\n",
            name = a.name,
            url = link(state, a.kind(), "email/confirm", token),
            ttl = ttl_minutes(state),
        ),
    )
}

/// To the old address: the registered address was changed.
pub fn email_changed(
    state: &App,
    a: &Account,
    old_email: &str,
    client: &ClientInfo,
    at: Timestamp,
) -> NewMail {
    mail(
        old_email,
        "登録メールアドレス変更のお知らせ",
        format!(
            "{name} 様\n\n{label}ID {id} の登録メールアドレスが変更されました。今後のお知らせは新しいアドレスにお送りします。\n\n{ww}\n\
             お心当たりのない場合は、すぐに{helpdesk}へご連絡ください。\n",
            name = a.name,
            label = a.kind().label_ja(),
            id = a.login_id.grouped(),
            ww = when_where(at, client),
            helpdesk = state.config().recovery.helpdesk,
        ),
    )
}

// ---- registration ----------------------------------------------------------------------------

/// The confirmation link that makes an application login (申請用ID).
pub fn applicant_confirm(state: &App, email: &str, token: &str, hours: u64) -> NewMail {
    mail(
        email,
        "申請用IDの作成（メールアドレスの確認）",
        format!(
            "建設キャリアアップシステムの登録申請を始めるため、このメールアドレスで申請用IDを作成します。\n\n\
             次のリンクを開いて、申請用のパスワードを決めてください（{hours}時間有効・1回限り）。\n{base}/apply/confirm?token={token}\n\n\
             お心当たりがない場合は、このメールを破棄してください。申請用IDは作成されません。\n",
            base = base(state),
        ),
    )
}

/// Sent instead of a link when the address already has an application login.
pub fn applicant_exists(state: &App, email: &str) -> NewMail {
    mail(
        email,
        "申請用IDはすでに作成されています",
        format!(
            "このメールアドレスの申請用IDは、すでに作成されています。\n\n\
             次の画面から、メールアドレスと申請用のパスワードでログインして、申請を続けてください。\n{base}/apply/login\n\n\
             お心当たりがない場合は、このメールを破棄してください。\n",
            base = base(state),
        ),
    )
}

/// 申請受付: the application was sent to screening.
pub fn application_received(
    state: &App,
    email: &str,
    number: i64,
    kind: &str,
    fee_yen: i64,
) -> NewMail {
    mail(
        email,
        "登録申請を受け付けました",
        format!(
            "{kind}の申請（申請番号 {number}）を受け付けました。\n\n\
             審査の結果はメールでお知らせします。審査の状況は、次の画面でいつでも確認できます。\n{base}/apply/home\n\n\
             登録料: {fee}円（審査完了後にお支払いいただきます）\n",
            base = base(state),
            fee = yen(fee_yen),
        ),
    )
}

/// 申請内容不備のお知らせ: what to fix.
pub fn application_returned(
    state: &App,
    email: &str,
    number: i64,
    defects: &[(String, String, String)],
) -> NewMail {
    let items: String = defects
        .iter()
        .map(|(field, code, comment)| {
            if comment.is_empty() {
                format!("・{field}: {code}\n")
            } else {
                format!("・{field}: {code}（{comment}）\n")
            }
        })
        .collect();
    mail(
        email,
        "申請内容不備のお知らせ",
        format!(
            "登録の申請（申請番号 {number}）の審査で、次の項目に不備がありました。\n\n{items}\n\
             申請用IDでログインし、この項目だけを修正して、もう一度「申請する」を押してください。\n{base}/apply/home\n",
            base = base(state),
        ),
    )
}

/// 審査完了: the fee and how to pay it.
pub fn application_approved(state: &App, email: &str, number: i64, fee_yen: i64) -> NewMail {
    mail(
        email,
        "審査完了・登録料のお支払いのお願い",
        format!(
            "登録の申請（申請番号 {number}）の審査が完了しました。\n\n\
             登録料 {fee}円を、銀行振込でお支払いください。振込名義の前に申請番号「{number}」を付けてください。\n\
             入金を確認すると登録が完了し、IDをお知らせします。\n\n\
             申請の状況: {base}/apply/home\n",
            base = base(state),
            fee = yen(fee_yen),
        ),
    )
}

/// 代行申請への同意のお願い: to the worker a business applies for, with the link to answer.
pub fn consent_request(
    state: &App,
    email: &str,
    worker: &str,
    business: &str,
    token: &str,
    days: u64,
) -> NewMail {
    mail(
        email,
        "技能者登録の代行申請への同意のお願い",
        format!(
            "{worker} 様\n\n{business} が、あなたの建設キャリアアップシステムへの技能者登録を、\
             あなたに代わって申請（代行申請）しようとしています。\n\n\
             次のリンクを開いて申請の内容を確かめ、同意するかどうかを選んでください（{days}日間有効）。\n\
             {base}/apply/consent?token={token}\n\n\
             登録が完了すると、技能者IDはこのメールアドレスへ、初期パスワードと本人確認番号は登録カードで\
             あなたにお知らせします。ログインできるのはあなただけです。\n\
             心当たりがない場合は、リンクを開いて「同意しない」を選ぶか、このメールを破棄してください。\n",
            base = base(state),
        ),
    )
}

/// The worker's answer, to the business that asked.
pub fn consent_answered(state: &App, email: &str, number: i64, worker: &str, yes: bool) -> NewMail {
    let (subject, line) = if yes {
        (
            "代行申請に本人が同意しました",
            "本人が代行申請に同意しました。書類がそろったら「申請する」を押してください。",
        )
    } else {
        (
            "代行申請に本人が同意しませんでした",
            "本人が代行申請に同意しませんでした。この申請は提出できません。本人と相談してください。",
        )
    };
    mail(
        email,
        subject,
        format!(
            "代行申請（申請番号 {number}、{worker} 様）について\n\n{line}\n\n申請の状況: {base}/apply/home\n",
            base = base(state),
        ),
    )
}

/// 登録完了 of a 代行申請, to the business that applied: the ID, never the secrets.
pub fn proxy_issued(
    state: &App,
    email: &str,
    number: i64,
    worker: &str,
    login_id: &str,
) -> NewMail {
    mail(
        email,
        "代行申請の登録完了のお知らせ",
        format!(
            "代行申請（申請番号 {number}）の登録が完了しました。\n\n\
             {worker} 様の技能者ID: {login_id}\n\n\
             初期パスワードと本人確認番号は、本人あての登録カードでお知らせします。\
             ログインとパスワードの設定は、本人だけが行います。\n\n申請の状況: {base}/apply/home\n",
            base = base(state),
        ),
    )
}

/// 所属の依頼: a business asks a technician to link to it.
pub fn affiliation_requested(state: &App, technician: &Account, business: &str) -> NewMail {
    mail(
        &technician.email,
        "所属の依頼が届きました",
        format!(
            "{name} 様\n\n{business} から、あなたを所属技能者として登録する依頼が届きました。\n\
             技能者IDでログインし、「所属事業者と情報の開示」で承認するか辞退するかを選んでください。\n\
             承認すると、この事業者はあなたの氏名・フリガナ・生年月日を見ることができます。\n\n{url}\n",
            name = technician.name,
            url = entrance(state, AccountKind::Technician),
        ),
    )
}

/// The technician's answer, or the end of the link, to the business.
pub fn affiliation_changed(state: &App, business: &Account, what: &str) -> NewMail {
    mail(
        &business.email,
        "所属技能者のお知らせ",
        format!(
            "{name} 様\n\n{what}\n\n所属技能者: {base}/ccus_owner/technicians\n",
            name = business.name,
            base = base(state),
        ),
    )
}

/// The end of a link, to the technician.
pub fn affiliation_ended(state: &App, technician: &Account, business: &str) -> NewMail {
    mail(
        &technician.email,
        "所属が終了しました",
        format!(
            "{name} 様\n\n{business} との所属が終了しました。この事業者は、今後あなたの情報を所属技能者として見ることはできません。\n\
             心当たりがない場合は、ログインしてご確認ください。\n{url}\n",
            name = technician.name,
            url = entrance(state, AccountKind::Technician),
        ),
    )
}

/// A passkey was registered or removed: the owner is told, with where it happened.
pub fn passkey_changed(
    state: &App,
    a: &Account,
    name: &str,
    added: bool,
    client: &ClientInfo,
    at: Timestamp,
) -> NewMail {
    let (subject, what) = if added {
        ("パスキーが登録されました", "登録されました")
    } else {
        ("パスキーが削除されました", "削除されました")
    };
    mail(
        &a.email,
        subject,
        format!(
            "{name_} 様\n\nあなたの{label}に、パスキー「{name}」が{what}。\n\n{ctx}\n\
             心当たりのない場合は、すぐにログインしてパスキーの一覧を確認し、パスワードを変更してください。\n{url}\n",
            name_ = a.name,
            label = a.login_id.label_ja(),
            ctx = when_where(at, client),
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
