//! A worker's 就業履歴 in the console at `/helpdesk/accounts/{id}/records`, a month at a time,
//! each record with its 補正 (new times, or withdrawn), which needs a reason and is audited.

use super::*;
use crate::forms::{lenient_query, CheckedForm};
use crate::helpdesk::views::{HelpdeskRecordsPage, StaffRecordRow};
use crate::pages::html;
use crate::present::Notice;
use crate::records::{month_param, parse_month, time_of};
use crate::session::StaffIn;
use ccus_app::helpdesk::records::{correct_record, Correction, CorrectionOutcome};
use ccus_domain::records::RecordState;
use ccus_domain::{AccountId, AccountKind, RecordId};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct RecordsQuery {
    month: String,
    done: String,
    closed: String,
}

/// `HH:MM` of a time, or empty.
fn hh_mm(t: Option<ccus_domain::Timestamp>) -> String {
    match time_of(t) {
        s if s == "—" => String::new(),
        s => s,
    }
}

async fn technician(state: &AppState, id: &str) -> WebResult<helpdesk::Account> {
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    helpdesk::account(state, AccountId::new(id))
        .await?
        .filter(|a| a.kind() == AccountKind::Technician)
        .ok_or(WebError::NotFound)
}

pub(super) async fn page(
    State(state): State<AppState>,
    staff: StaffIn,
    CsrfToken(csrf): CsrfToken,
    Path(id): Path<String>,
    uri: Uri,
) -> WebResult<Response> {
    let a = technician(&state, &id).await?;
    let q: RecordsQuery = lenient_query(&uri);
    let v = ccus_app::records::worker::my_records(&state, &a, parse_month(&q.month)).await?;
    let notice = match q.done.as_str() {
        "corrected" => Some(Notice::new("success", i18n::t("helpdesk-record-corrected"))),
        "needs-reason" => Some(Notice::new("error", i18n::t("helpdesk-needs-reason"))),
        "invalid-time" => Some(Notice::new(
            "error",
            i18n::t("helpdesk-record-invalid-time"),
        )),
        "too-late" => Some(Notice::new(
            "error",
            i18n::ta("helpdesk-record-too-late", &[("date", q.closed.trim())]),
        )),
        "gone" => Some(Notice::new("warning", i18n::t("helpdesk-record-gone"))),
        _ => None,
    };
    let heading = i18n::ta(
        "helpdesk-records-title",
        &[("name", &a.name), ("id", &a.login_id.grouped())],
    );
    let page = HelpdeskRecordsPage {
        chrome: staff.chrome(&heading, &csrf),
        notice,
        csrf_token: csrf,
        account_id: a.id.get(),
        heading,
        total: i18n::ta("records-total-days", &[("days", &v.total.days.to_string())]),
        month_label: i18n::ta(
            "records-month",
            &[
                ("year", &v.month.year().to_string()),
                ("month", &u8::from(v.month.month()).to_string()),
            ],
        ),
        month: month_param(v.month),
        previous: month_param(v.previous),
        next: v.next.map(month_param),
        rows: v
            .records
            .iter()
            .map(|r| StaffRecordRow {
                id: r.id.get(),
                day: ccus_domain::profile::format_date(r.day),
                site: r.site_name.clone(),
                company: r.company.clone(),
                how: i18n::t(&format!("records-source-{}", r.source.as_str())),
                state: i18n::t(&format!("records-state-{}", r.state.as_str())),
                first_in: hh_mm(r.first_in),
                last_out: hh_mm(r.last_out),
                withdrawn: r.state == RecordState::Withdrawn,
            })
            .collect(),
    };
    html(StatusCode::OK, &page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct CorrectForm {
    record: String,
    day: String,
    month: String,
    first_in: String,
    last_out: String,
    withdraw: String,
    reason: String,
}

pub(super) async fn correct(
    State(state): State<AppState>,
    staff: StaffIn,
    Path(id): Path<String>,
    CheckedForm(form): CheckedForm<CorrectForm>,
) -> WebResult<Response> {
    let a = technician(&state, &id).await?;
    let month = parse_month(&form.month)
        .map(month_param)
        .unwrap_or_default();
    let back = |done: &str| {
        Ok(Redirect::to(&format!(
            "/helpdesk/accounts/{}/records?month={month}&done={done}#month",
            a.id
        ))
        .into_response())
    };
    let (Some(day), Ok(record)) = (
        ccus_domain::calendar::parse_iso_date(form.day.trim()),
        form.record.trim().parse::<i64>(),
    ) else {
        return back("gone");
    };
    let c = Correction {
        day,
        record: RecordId::new(record),
        first_in: form.first_in.clone(),
        last_out: form.last_out.clone(),
        withdraw: form.withdraw == "yes",
    };
    match correct_record(&state, &staff.session.staff, &a, &c, &form.reason).await? {
        CorrectionOutcome::Done => back("corrected"),
        CorrectionOutcome::NeedsReason => back("needs-reason"),
        CorrectionOutcome::InvalidTime => back("invalid-time"),
        CorrectionOutcome::TooLate(closed) => back(&format!(
            "too-late&closed={}",
            ccus_domain::profile::format_date(closed)
        )),
        CorrectionOutcome::Gone => back("gone"),
    }
}
