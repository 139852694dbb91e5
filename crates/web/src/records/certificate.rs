//! The technician's 就業履歴 certificate at `/ccus_skill/records/certificate.pdf` and `.csv`:
//! the counted days of a period (`?from=YYYY-MM&to=YYYY-MM`, all of them when left empty),
//! with who they are and their days in it, to hand to an employer or keep.

use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use ccus_app::records::worker::{certificate, Certificate};
use ccus_documents::report_pdf::{Column, Report, Table};
use ccus_domain::records::month_span;
use ccus_domain::AccountKind;
use serde::Deserialize;

use super::statement::issued_line;
use super::{files, parse_month, time_of};
use crate::error::{WebError, WebResult};
use crate::forms::lenient_query;
use crate::session::SignedIn;
use crate::sites::labels::{position, trade};
use crate::{i18n, AppState};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct PeriodQuery {
    /// `YYYY-MM`.
    from: String,
    to: String,
}

async fn read(state: &AppState, signed_in: &SignedIn, uri: &Uri) -> WebResult<Certificate> {
    if signed_in.kind != AccountKind::Technician {
        return Err(WebError::NotFound);
    }
    let q: PeriodQuery = lenient_query(uri);
    let from = parse_month(&q.from);
    let to = parse_month(&q.to).map(|m| month_span(m).1);
    Ok(certificate(state, &signed_in.session.account, from, to).await?)
}

fn columns() -> Vec<(&'static str, f32)> {
    vec![
        ("records-day", 1.3),
        ("records-site", 2.6),
        ("records-company", 1.9),
        ("site-worker-trade", 1.0),
        ("site-worker-position", 0.8),
        ("records-in", 0.8),
        ("records-out", 0.8),
        ("records-how", 1.4),
    ]
}

fn lines(c: &Certificate) -> Vec<Vec<String>> {
    c.records
        .iter()
        .map(|r| {
            vec![
                ccus_domain::profile::format_date(r.day),
                crate::present::labels::paren(&r.site_name, &r.site_id),
                r.company.clone(),
                if r.trade.is_empty() {
                    String::new()
                } else {
                    trade(&r.trade)
                },
                r.position.map(position).unwrap_or_default(),
                time_of(r.first_in),
                time_of(r.last_out),
                i18n::t(&format!("records-source-{}", r.source.as_str())),
            ]
        })
        .collect()
}

fn file_name(c: &Certificate, login_id: &str, ext: &str) -> String {
    format!(
        "certificate-{login_id}-{}-{}.{ext}",
        ccus_domain::profile::format_date(c.from),
        ccus_domain::profile::format_date(c.to)
    )
}

fn days(n: u32) -> String {
    i18n::ta("records-total-days", &[("days", &n.to_string())])
}

pub(super) async fn pdf(
    State(state): State<AppState>,
    signed_in: SignedIn,
    uri: Uri,
) -> WebResult<Response> {
    let c = read(&state, &signed_in, &uri).await?;
    let me = &signed_in.session.account;
    let report = Report {
        title: i18n::t("certificate-title"),
        lang: i18n::lang().html_lang().to_owned(),
        facts: vec![
            (i18n::t("certificate-name"), me.name.clone()),
            (i18n::t("certificate-furigana"), me.profile.furigana.clone()),
            (
                i18n::t("certificate-birth"),
                me.profile
                    .birth_date
                    .map(ccus_domain::profile::format_date)
                    .unwrap_or_default(),
            ),
            (i18n::t("statement-worker-id"), me.login_id.grouped()),
            (
                i18n::t("statement-period"),
                i18n::ta(
                    "site-period",
                    &[
                        ("from", &ccus_domain::profile::format_date(c.from)),
                        ("to", &ccus_domain::profile::format_date(c.to)),
                    ],
                ),
            ),
            (i18n::t("certificate-days"), days(c.count.days)),
            (i18n::t("records-foreman"), days(c.count.foreman_days)),
            (i18n::t("records-leader"), days(c.count.leader_days)),
            (i18n::t("records-training"), days(c.count.training_days)),
        ],
        tables: vec![Table {
            heading: i18n::t("certificate-records"),
            columns: columns()
                .into_iter()
                .map(|(k, w)| Column::new(i18n::t(k), w))
                .collect(),
            rows: lines(&c),
            empty: i18n::t("statement-none"),
        }],
        closing: vec![i18n::t("certificate-closing"), issued_line(&state)],
        footer: i18n::ta("pdf-page", &[("page", "{page}"), ("pages", "{pages}")]),
    };
    files::pdf(report, &file_name(&c, me.login_id.as_str(), "pdf")).await
}

pub(super) async fn csv(
    State(state): State<AppState>,
    signed_in: SignedIn,
    uri: Uri,
) -> WebResult<Response> {
    let c = read(&state, &signed_in, &uri).await?;
    let me = &signed_in.session.account;
    let mut out = vec![columns().into_iter().map(|(k, _)| i18n::t(k)).collect()];
    out.extend(lines(&c));
    Ok(files::csv(
        &out,
        &file_name(&c, me.login_id.as_str(), "csv"),
    ))
}
