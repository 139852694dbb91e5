//! The inquiry queue with due dates, one inquiry with its candidates, answers, notes and
//! status, and attachment downloads.

use super::*;
use crate::forms::lenient_query;
use crate::forms::CheckedForm;
use crate::helpdesk::views::HelpdeskInquiryPage;
use crate::helpdesk::views::HelpdeskQueuePage;
use crate::helpdesk::views::QueueRow;
use crate::pages::html;
use crate::present::labels::inquiry_status;
use crate::present::lookup_row;
use crate::present::Notice;
use crate::session::StaffIn;
use ccus_domain::InquiryId;

// ---- inquiries ------------------------------------------------------------------------------

/// Today in Japan; `None` only for a clock out of range (then nothing is overdue).
pub(super) fn today(state: &AppState) -> Option<ccus_domain::Date> {
    ccus_domain::calendar::jst_datetime(state.clock().now()).map(|d| d.date())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct QueueQuery {
    status: String,
}

pub(super) async fn queue(
    State(state): State<AppState>,
    staff: StaffIn,
    CsrfToken(csrf): CsrfToken,
    uri: Uri,
) -> WebResult<Response> {
    let q: QueueQuery = lenient_query(&uri);
    let status = InquiryStatus::parse(&q.status);
    let today = today(&state);
    let rows = helpdesk::inquiry_queue(&state, status, 200)
        .await?
        .into_iter()
        .map(|i| QueueRow {
            id: i.id.get(),
            overdue: i.status != InquiryStatus::Done && today.is_some_and(|t| i.due_date < t),
            receipt: i.receipt,
            received: i.received_at.jst(),
            due: ccus_domain::profile::format_date(i.due_date),
            category: i.category,
            name: i.name,
            status: inquiry_status(i.status),
            assignee: i.assignee.unwrap_or_default(),
        })
        .collect();
    let mut filters = vec![(String::new(), i18n::t("helpdesk-open"))];
    filters.extend(
        InquiryStatus::ALL
            .iter()
            .map(|s| (format!("?status={}", s.as_str()), inquiry_status(*s))),
    );
    html(
        StatusCode::OK,
        &HelpdeskQueuePage {
            chrome: staff.chrome(&i18n::t("helpdesk-nav-inquiries"), &csrf),
            filters,
            rows,
        },
    )
}

pub(super) async fn load_inquiry(state: &AppState, id: &str) -> WebResult<helpdesk::Inquiry> {
    let id: InquiryId = id.parse().map_err(|_| WebError::NotFound)?;
    helpdesk::inquiry(state, id)
        .await?
        .ok_or(WebError::NotFound)
}

pub(super) async fn inquiry(
    State(state): State<AppState>,
    staff: StaffIn,
    CsrfToken(csrf): CsrfToken,
    Path(id): Path<String>,
    uri: Uri,
) -> WebResult<Response> {
    let q = load_inquiry(&state, &id).await?;
    let case = helpdesk::inquiry_case(&state, &q).await?;
    let files = case
        .files
        .into_iter()
        .map(|f| {
            (
                f.id,
                // The name it downloads under, so staff see what they will get.
                ccus_app::attachments::download_name(
                    &f.original_name,
                    ccus_app::attachments::FileType::from_content_type(&f.content_type),
                ),
                format!("{} KB", f.size.div_ceil(1024)),
            )
        })
        .collect();
    let notes = case
        .notes
        .into_iter()
        .map(|n| {
            i18n::ta(
                "helpdesk-note-line",
                &[
                    ("at", &n.at.jst()),
                    (
                        "kind",
                        &i18n::t(if n.kind == "reply" {
                            "helpdesk-note-reply"
                        } else {
                            "helpdesk-note-memo"
                        }),
                    ),
                    ("staff", &n.staff),
                    ("body", &n.body),
                ],
            )
        })
        .collect();
    let done: DoneQuery = lenient_query(&uri);
    let notice = match done.done.as_str() {
        "reply" => Some(Notice::new("success", i18n::t("helpdesk-replied"))),
        "note" => Some(Notice::new("success", i18n::t("helpdesk-noted"))),
        "status" => Some(Notice::new("success", i18n::t("helpdesk-status-changed"))),
        _ => None,
    };
    let page = HelpdeskInquiryPage {
        chrome: staff.chrome(&q.receipt, &csrf),
        notice,
        status: inquiry_status(q.status),
        current_status: q.status.as_str(),
        statuses: InquiryStatus::ALL
            .iter()
            .map(|s| (s.as_str(), inquiry_status(*s)))
            .collect(),
        received: q.received_at.jst(),
        overdue: q.status != InquiryStatus::Done && today(&state).is_some_and(|t| q.due_date < t),
        assignee: q
            .assignee
            .clone()
            .unwrap_or_else(|| i18n::t("helpdesk-unassigned")),
        files,
        candidates: case.candidates.into_iter().map(lookup_row).collect(),
        notes,
        q,
        csrf_token: csrf,
    };
    html(StatusCode::OK, &page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct InquiryActionForm {
    csrf_token: String,
    status: String,
    body: String,
}

pub(super) async fn inquiry_act(
    State(state): State<AppState>,
    staff: StaffIn,
    Path((id, action)): Path<(String, String)>,
    CheckedForm(form): CheckedForm<InquiryActionForm>,
) -> WebResult<Response> {
    let q = load_inquiry(&state, &id).await?;
    let act = match action.as_str() {
        "status" => InquiryAction::SetStatus(InquiryStatus::parse(&form.status).ok_or(
            WebError::BadRequest {
                status: StatusCode::BAD_REQUEST,
                detail: "status".into(),
            },
        )?),
        "note" => InquiryAction::Note(form.body),
        "reply" => InquiryAction::Reply(form.body),
        _ => return Err(WebError::NotFound),
    };
    if !helpdesk::act_on_inquiry(&state, &staff.session.staff, &q, act).await? {
        // An empty note or reply: nothing to do.
        return Ok(Redirect::to(&format!("/helpdesk/inquiries/{}", q.id)).into_response());
    }
    Ok(Redirect::to(&format!("/helpdesk/inquiries/{}?done={action}", q.id)).into_response())
}

/// An attachment, for staff only: always a download, never shown inline.
pub(super) async fn file(
    State(state): State<AppState>,
    staff: StaffIn,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let id: InquiryId = id.parse().map_err(|_| WebError::NotFound)?;
    let f = helpdesk::attachment(&state, id.get())
        .await?
        .ok_or(WebError::NotFound)?;
    let bytes = ccus_app::attachments::read_stored(&state, &f.stored_name)
        .await?
        .ok_or_else(|| WebError::Internal(format!("attachment {} is missing", f.stored_name)))?;
    let file_type = ccus_app::attachments::FileType::from_content_type(&f.content_type);
    let content_type = file_type
        .map(|t| t.content_type())
        .unwrap_or("application/octet-stream");
    helpdesk::record_download(&state, &staff.session.staff, &f).await?;
    // Named by the detected type, not the uploader's extension: a PDF sent as `x.html` is
    // saved as `x.pdf`.
    let disposition = HeaderValue::from_str(&ccus_app::attachments::content_disposition(
        &ccus_app::attachments::download_name(&f.original_name, file_type),
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}
