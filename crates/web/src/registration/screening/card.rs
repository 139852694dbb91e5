//! The registration card notice: its words as printed, and the page that shows it once.

use super::*;

/// The registration card's words as printed for the worker: Japanese, like the PDF.
fn card_words(kind: ccus_domain::AccountKind, name: &str, furigana: &str) -> CardWords {
    let ja = |key: &str| text_in(Lang::Ja, key, &[]);
    let kind_ja = text_in(
        Lang::Ja,
        match kind {
            ccus_domain::AccountKind::Technician => "kind-technician",
            ccus_domain::AccountKind::Business => "kind-business",
        },
        &[],
    );
    let with_kind = |key: &str| text_in(Lang::Ja, key, &[("kind", &kind_ja)]);
    CardWords {
        heading: with_kind("helpdesk-card-notice"),
        name: ja(match kind {
            ccus_domain::AccountKind::Business => "helpdesk-card-company",
            ccus_domain::AccountKind::Technician => "helpdesk-card-name",
        }),
        person: text_in(
            Lang::Ja,
            "helpdesk-paren",
            &[("main", name), ("detail", furigana)],
        ),
        id: with_kind("helpdesk-card-id"),
        password: ja("helpdesk-card-password"),
        issued: ja("helpdesk-card-issued"),
        expires: ja("helpdesk-card-expires"),
        code: ja("helpdesk-card-code"),
        first_login: with_kind("helpdesk-card-first-login"),
    }
}

/// The card notice of an account just issued (or whose card was just made again): shown this
/// once, never cached.
pub(super) async fn card_page(
    state: &AppState,
    staff: &StaffIn,
    csrf: &str,
    id: ApplicationId,
    created: &CreatedAccount,
    reissued: bool,
) -> WebResult<Response> {
    let acct = &created.account;
    let card = registration::card_notice(state, &staff.session.staff, id, created).await?;
    let page = CardNoticePage {
        chrome: Chrome {
            // No language switch: the secrets on this page are shown only once, and leaving
            // it would lose them.
            back: String::new(),
            ..staff.chrome(&i18n::t("helpdesk-card-title"), csrf)
        },
        login_id: acct.login_id.grouped(),
        initial_password: created
            .initial_password
            .as_ref()
            .map(|p| p.expose().to_owned())
            .unwrap_or_default(),
        security_code: created
            .security_code
            .as_ref()
            .map(|c| c.expose().to_owned())
            .unwrap_or_default(),
        card: card_words(acct.kind(), &acct.name, &acct.profile.furigana),
        issued: card.issued,
        expires: card.expires,
        application: id.get(),
        kind_label: i18n::kind(acct.kind()),
        reissued,
        pdf_href: format!(
            "data:application/pdf;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(&card.pdf)
        ),
        pdf_name: i18n::ta("helpdesk-card-file", &[("id", &id.to_string())]),
    };
    let mut resp = html(StatusCode::OK, &page)?;
    // Secrets on this page: never kept by a cache.
    resp.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(resp)
}
