//! An application's page: its items with their problems, the steps, the documents.

use super::*;
use ccus_domain::ApplicationId;

pub(super) async fn new_application(
    State(state): State<AppState>,
    ApplicantIn(applicant): ApplicantIn,
    CsrfToken(csrf): CsrfToken,
    CheckedForm(form): CheckedForm<HashMap<String, String>>,
) -> WebResult<Response> {
    let kind = form
        .get("kind")
        .and_then(|k| ApplicationKind::parse(k))
        .unwrap_or(ApplicationKind::Technician);
    match registration::new_application(&state, &applicant, kind).await? {
        NewApplication::Created(id) => Ok(Redirect::to(&format!("/apply/{id}")).into_response()),
        NewApplication::TooMany { max } => {
            let notice = Notice::new(
                "error",
                ta("apply-too-many-applications", &[("max", &max.to_string())]),
            )
            .line(t("apply-too-many-applications-line"));
            html(
                StatusCode::UNPROCESSABLE_ENTITY,
                &home_page(&state, applicant, csrf, Some(notice)).await?,
            )
        }
    }
}

/// 技能者登録 / 事業者登録 in the page's language.
pub(crate) fn kind_label(kind: ApplicationKind) -> String {
    t(&crate::present::labels::apply_key("kind", kind.as_str()))
}

/// 「商号（事業者ID …）」.
pub(super) fn business_with_id(name: &str, id: &str) -> String {
    ta("apply-business-with-id", &[("name", name), ("id", id)])
}

/// A problem with an item, with the item's label in the page's language (the applicant's page
/// and the screener's console alike).
pub(crate) fn field_problem(f: Field, m: &Msg) -> String {
    let label = field_label(f);
    let mut args: Vec<(&str, &str)> = m
        .args
        .iter()
        .filter(|(k, _)| *k != "label")
        .map(|(k, v)| (*k, v.as_str()))
        .collect();
    args.push(("label", &label));
    ta(m.key, &args)
}

/// The choices of a select item: (value, label in the page's language).
pub(super) fn choices(f: Field) -> Vec<(&'static str, String)> {
    let (prefix, values): (&str, Vec<&'static str>) = match f {
        Field::Plan => (
            "plan",
            [Plan::Basic, Plan::Detailed].map(Plan::as_str).to_vec(),
        ),
        Field::Gender => ("gender", GENDERS.iter().map(|(v, _)| *v).collect()),
        Field::Insurance => ("insurance", INSURANCE.iter().map(|(v, _)| *v).collect()),
        Field::SoleProprietor => ("sole", SOLE.iter().map(|(v, _)| *v).collect()),
        _ => return Vec::new(),
    };
    values
        .into_iter()
        .map(|v| (v, t(&crate::present::labels::apply_key(prefix, v))))
        .collect()
}

/// How each item is asked for.
pub(crate) fn item(f: Field, value: &str) -> ApplyItem {
    let (input, autocomplete, hint) = match f {
        Field::Plan => ("select", "off", true),
        Field::Name => ("text", "name", true),
        Field::Furigana => ("text", "off", true),
        Field::BirthDate => ("text", "bday", true),
        Field::Gender => ("select", "sex", false),
        Field::Nationality => ("text", "country-name", true),
        Field::ResidenceCard => ("text", "off", true),
        Field::PostalCode => ("text", "postal-code", true),
        Field::Address => ("text", "street-address", false),
        Field::Phone => ("tel", "tel", true),
        Field::Email => ("email", "email", true),
        Field::Employer => ("text", "off", true),
        Field::Insurance => ("select", "off", false),
        Field::Qualifications => ("textarea", "off", true),
        Field::CompanyName => ("text", "organization", true),
        Field::CompanyFurigana => ("text", "off", true),
        Field::Representative => ("text", "off", false),
        Field::SoleProprietor => ("select", "off", true),
        Field::Capital => ("text", "off", true),
        Field::Permit => ("text", "off", true),
        Field::Trades => ("text", "off", true),
        Field::Contact => ("text", "name", true),
    };
    let choices = choices(f);
    let shown = choices
        .iter()
        .find(|(v, _)| *v == value)
        .map_or_else(|| value.to_owned(), |(_, l)| l.clone());
    ApplyItem {
        key: f.key(),
        label: field_label(f),
        input,
        autocomplete,
        hint: hint.then(|| t(&crate::present::labels::apply_key("hint", f.key()))),
        choices,
        value: value.to_owned(),
        shown,
        required: !matches!(
            f,
            Field::Employer
                | Field::Email
                | Field::Qualifications
                | Field::ResidenceCard
                | Field::Permit
                | Field::Trades
                | Field::Capital
        ),
        // Optional for some, required for others: said next to the label, and checked on 申請.
        required_when: match f {
            Field::ResidenceCard => Some(t("apply-required-foreign")),
            Field::Capital => Some(t("apply-required-unless-sole")),
            _ => None,
        },
        error: None,
        defect: None,
        editable: true,
    }
}

pub(super) fn steps(status: Status) -> Vec<ApplyStep> {
    let reached = match status {
        Status::Draft => 0,
        Status::Submitted | Status::Returned => 1,
        Status::Approved => 2,
        Status::Issued => 4,
        Status::Closed => 0,
    };
    ["input", "submit", "screened", "paid", "issued"]
        .into_iter()
        .enumerate()
        .map(|(i, s)| ApplyStep {
            label: t(&crate::present::labels::apply_key("step", s)),
            done: i <= reached && !(status == Status::Draft && i > 0),
            current: i == reached && status != Status::Closed,
        })
        .collect()
}

/// The kinds of documents of an application, those it needs (by what is typed now) first; the
/// select starts on the first needed one not sent yet, or on what was chosen last.
pub(super) fn document_rows(
    view: &ApplicationView,
    documents: &[registration::ApplicationDocument],
    typed: Option<&HashMap<String, String>>,
) -> Vec<DocumentKindRow> {
    let mut values = view.values.clone();
    if let Some(typed) = typed {
        for f in view.kind().fields() {
            if let Some(v) = typed.get(f.key()) {
                values.insert(*f, v.clone());
            }
        }
    }
    let needed = registration::required_documents(view.kind(), &values);
    let mut rows: Vec<DocumentKindRow> = registration::document_kinds(view.kind(), view.is_proxy())
        .into_iter()
        .map(|(code, _)| DocumentKindRow {
            code,
            label: document_label(code),
            short: t(&crate::present::labels::apply_key("document-short", code)),
            required: needed.contains(&code),
            sent: documents.iter().filter(|d| d.kind == code).count(),
            selected: false,
        })
        .collect();
    // Needed first, each group in its own order.
    rows.sort_by_key(|r| !r.required);
    let chosen = typed.and_then(|t| t.get("kind")).map(String::as_str);
    let pick = rows
        .iter()
        .position(|r| Some(r.code) == chosen)
        .or_else(|| rows.iter().position(|r| r.required && r.sent == 0))
        .unwrap_or(0);
    if let Some(r) = rows.get_mut(pick) {
        r.selected = true;
    }
    rows
}

pub(super) fn application_page(
    state: &AppState,
    view: &ApplicationView,
    documents: &[registration::ApplicationDocument],
    typed: Option<&HashMap<String, String>>,
    csrf: String,
) -> ApplicationPage {
    let a = &view.application;
    let returned = a.status == Status::Returned;
    let items = view
        .kind()
        .fields()
        .iter()
        .copied()
        .map(|f| {
            let value = typed
                .and_then(|t| t.get(f.key()).cloned())
                .unwrap_or_else(|| view.value(f));
            let mut it = item(f, &value);
            it.required |= f == Field::Email && view.is_proxy();
            if let Some(d) = view.open_defect(f) {
                it.defect = Some(if d.comment.is_empty() {
                    defect_label(d.code)
                } else {
                    ta(
                        "apply-defect-comment",
                        &[("code", &defect_label(d.code)), ("comment", &d.comment)],
                    )
                });
            }
            it.editable = a.status.editable() && (!returned || it.defect.is_some());
            it
        })
        .collect();
    let fee = view.fee_yen().map(ccus_app::i18n::yen).unwrap_or_default();
    let kind = kind_label(view.kind());
    ApplicationPage {
        chrome: Chrome::titled(ta(
            "apply-application-title",
            &[("kind", &kind), ("id", &a.id.to_string())],
        )),
        kind_label: kind,
        business: view.kind() == ApplicationKind::Business,
        notice: None,
        id: a.id,
        status: status_label(a.status),
        status_code: a.status.as_str(),
        editable: a.status.editable(),
        withdrawable: matches!(
            a.status,
            Status::Draft | Status::Submitted | Status::Returned
        ),
        returned,
        fee,
        items,
        csrf_token: csrf,
        steps: steps(a.status),
        documents: documents
            .iter()
            .map(|d| {
                ta(
                    "apply-document-row",
                    &[
                        ("kind", &document_label(&d.kind)),
                        ("name", &d.original_name),
                        ("size", &crate::present::labels::size_label(d.size)),
                    ],
                )
            })
            .collect(),
        document_kinds: document_rows(view, documents, typed),
        max_mb: state.config().inquiry.max_file_bytes / (1024 * 1024),
        document_error: None,
        proxy: view.business.as_ref().map(|b| {
            let consent = msg(&view.consent_msg(documents, state.clock().now()));
            ProxyPanel {
                business: business_with_id(&b.name, &b.login_id.grouped()),
                consent,
                consented: view.consent_on_record(documents),
            }
        }),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct DoneQuery {
    done: String,
}

pub(super) async fn application(
    State(state): State<AppState>,
    ApplicantIn(applicant): ApplicantIn,
    CsrfToken(csrf): CsrfToken,
    Path(id): Path<ApplicationId>,
    uri: Uri,
) -> WebResult<Response> {
    let Some(view) = registration::own(&state, &applicant, id).await? else {
        return Err(WebError::NotFound);
    };
    let mut page = application_page(&state, &view, &view.documents, None, csrf);
    let q: DoneQuery = lenient_query(&uri);
    let done = |title: &str, line: &str| Some(Notice::new("success", t(title)).line(t(line)));
    page.notice = match (q.done.as_str(), view.application.status) {
        ("document", _) => done("apply-done-document", "apply-done-document-line"),
        ("withdrawn", _) => done("apply-done-withdrawn", "apply-done-withdrawn-line"),
        ("consent", _) => done("apply-done-consent", "apply-done-consent-line"),
        ("saved", _) => done("apply-done-saved", "apply-done-saved-line"),
        ("submitted", _) => done("apply-done-submitted", "apply-done-submitted-line"),
        (_, Status::Returned) => {
            let notice = Notice::new("error", t("apply-returned")).line(t("apply-returned-line"));
            Some(
                match registration::returned_deleted_after(&state, &view.application) {
                    Some(at) => notice.line(ta(
                        "apply-returned-deadline",
                        &[("date", &at.jst_not_before())],
                    )),
                    None => notice,
                },
            )
        }
        (_, Status::Approved) => Some(Notice::new("success", t("apply-approved")).line(ta(
            "apply-approved-line",
            &[
                ("fee", &ccus_app::i18n::yen(view.application.fee_yen)),
                ("id", &view.application.id.to_string()),
            ],
        ))),
        (_, Status::Issued) if view.is_proxy() => done("apply-issued", "apply-issued-proxy-line"),
        (_, Status::Issued) => Some(
            Notice::new("success", t("apply-issued"))
                .line(t("apply-issued-line"))
                .link("/ccus_skill/login", t("apply-to-technician-login")),
        ),
        (_, Status::Closed) if !view.application.rejection.is_empty() => {
            Some(Notice::new("warning", t("apply-rejected")).line(ta(
                "apply-rejected-line",
                &[("reason", &view.application.rejection)],
            )))
        }
        (_, Status::Closed) => {
            Some(Notice::new("warning", t("apply-closed")).line(t("apply-closed-line")))
        }
        _ => None,
    };
    html(StatusCode::OK, &page)
}
