//! 代行申請: a business applies for its worker; the worker's consent page.

use super::*;
use ccus_domain::ApplicationId;

// ---- 代行申請 -----------------------------------------------------------------------------------

/// The business portal's entry to 代行申請: what it is, and the button that opens it.
pub(super) async fn proxy_top(
    State(state): State<AppState>,
    signed_in: SignedIn,
    CsrfToken(csrf): CsrfToken,
) -> WebResult<Response> {
    let may = ccus_app::org::standing(&state, &signed_in.session.account)
        .await?
        .is_some_and(|c| c.can(ccus_domain::org::Action::ProxyApply));
    if !may {
        return Err(WebError::NotFound);
    }
    let page = FormPage {
        chrome: Chrome::titled(t("apply-proxy-title")),
        heading: t("apply-proxy-title"),
        notice: None,
        intro: vec![
            t("apply-proxy-intro"),
            t("apply-proxy-intro-consent"),
            t("apply-proxy-intro-login"),
        ],
        action: format!("/{}/proxy", ccus_domain::AccountKind::Business.portal()),
        csrf_token: csrf,
        hidden: vec![],
        fields: vec![],
        submit: t("apply-proxy-open"),
        links: vec![Link::new(
            format!("/{}/home", ccus_domain::AccountKind::Business.portal()),
            t("menu-back"),
        )],
        passkey: None,
    };
    html(StatusCode::OK, &page)
}

/// Opens the business's 代行申請 login in this browser.
pub(super) async fn proxy_start(
    State(state): State<AppState>,
    me: SignedIn,
    CheckedForm(_): CheckedForm<HashMap<String, String>>,
) -> WebResult<Response> {
    match registration::proxy_session(&state, &me.session.account).await? {
        Some(token) => Ok(signed_in(&state, &token, "/apply/home")),
        None => Err(WebError::NotFound),
    }
}

pub(super) async fn ask_consent(
    State(state): State<AppState>,
    ApplicantIn(applicant): ApplicantIn,
    CsrfToken(csrf): CsrfToken,
    Path(id): Path<ApplicationId>,
    CheckedForm(_): CheckedForm<HashMap<String, String>>,
) -> WebResult<Response> {
    use registration::ConsentRequestOutcome as O;
    let outcome =
        registration::request_consent(&state, &applicant, id, crate::i18n::lang()).await?;
    if outcome == O::Sent {
        return Ok(Redirect::to(&format!("/apply/{id}?done=consent")).into_response());
    }
    let Some(view) = registration::own(&state, &applicant, id).await? else {
        return Err(WebError::NotFound);
    };
    let mut page = application_page(&state, &view, &view.documents, None, csrf);
    let (status, notice) = match outcome {
        O::Incomplete(field, why) => {
            let why = field_problem(field, &why);
            if let Some(it) = page.items.iter_mut().find(|i| i.key == field.key()) {
                it.error = Some(why.clone());
            }
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                Notice::new("error", t("apply-consent-failed")).line(why),
            )
        }
        O::TooMany => (
            StatusCode::TOO_MANY_REQUESTS,
            Notice::new("error", t("apply-consent-too-many"))
                .line(t("apply-consent-too-many-line")),
        ),
        O::NotPossible | O::Sent => (
            StatusCode::CONFLICT,
            Notice::new("error", t("apply-consent-not-possible")),
        ),
    };
    page.notice = Some(notice);
    html(status, &page)
}

pub(super) fn consent_gone() -> MessagePage {
    message(
        &t("apply-link-unusable-title"),
        Some(Notice::new("error", t("apply-consent-gone"))),
        vec![t("apply-consent-gone-line")],
        vec![Link::new("/", t("apply-to-site-top"))],
    )
}

pub(super) async fn consent_form(
    State(state): State<AppState>,
    CsrfToken(csrf): CsrfToken,
    uri: Uri,
) -> WebResult<Response> {
    let q: TokenQuery = lenient_query(&uri);
    let resp = match registration::consent_request(&state, &q.token).await? {
        Some(cv) if cv.open => {
            let v = &cv.view;
            let plan = v
                .plan()
                .map(|p| t(&crate::present::labels::apply_key("plan", p.as_str())))
                .unwrap_or_default();
            let page = ConsentPage {
                chrome: Chrome::titled(t("apply-consent-title")),
                business: business_with_id(&cv.business_name, &cv.business_id),
                number: v.application.id.get(),
                summary: vec![
                    (field_label(Field::Name), v.value(Field::Name)),
                    (field_label(Field::Furigana), v.value(Field::Furigana)),
                    (field_label(Field::BirthDate), v.value(Field::BirthDate)),
                    (t("apply-email"), cv.consent.email.clone()),
                    (field_label(Field::Plan), plan),
                ],
                token: q.token.clone(),
                csrf_token: csrf,
            };
            html(StatusCode::OK, &page)?
        }
        _ => html(StatusCode::GONE, &consent_gone())?,
    };
    Ok(token_page(resp))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct ConsentForm {
    token: String,
    answer: String,
}

pub(super) async fn consent_answer(
    State(state): State<AppState>,
    Client(client): Client,
    CheckedForm(form): CheckedForm<ConsentForm>,
) -> WebResult<Response> {
    let yes = form.answer == "yes";
    let resp = if registration::answer_consent(&state, &form.token, yes, &client).await? {
        let (title, line) = if yes {
            (t("apply-consented"), t("apply-consented-line"))
        } else {
            (t("apply-declined"), t("apply-declined-line"))
        };
        html(
            StatusCode::OK,
            &message(
                &title,
                Some(Notice::new("success", title.clone())),
                vec![line],
                vec![Link::new("/", t("apply-to-site-top"))],
            ),
        )?
    } else {
        html(StatusCode::GONE, &consent_gone())?
    };
    Ok(token_page(resp))
}
