//! The mails of an inquiry: received, answered; the language an inquiry was sent in.

use ccus_domain::InquiryId;
use ccus_storage::NewMail;

use crate::i18n::{text_in, Lang};
use crate::mail::*;
use crate::{App, AppResult};

/// The language an inquiry was sent in (Japanese for those from before it was recorded).
pub async fn inquiry_language(app: &App, inquiry_id: InquiryId) -> AppResult<Lang> {
    Ok(app
        .store()
        .languages()
        .inquiry_language(inquiry_id)
        .await?
        .and_then(|c| Lang::parse(&c))
        .unwrap_or_default())
}

/// The kind of an inquiry in the reader's language: the form's kinds are stored as their
/// Japanese names; anything else is shown as stored.
pub(crate) fn inquiry_category_in(lang: Lang, category: &str) -> String {
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
