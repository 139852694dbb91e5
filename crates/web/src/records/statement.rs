//! The 元請's view of its sites' records: who was on a site on a day
//! (`/ccus_owner/sites/{site}/day`), the month's 現場利用料 statement of one site
//! (`…/statement`, and every record of it as CSV at `…/statement.csv`), and the month over all
//! its sites (`/ccus_owner/statements`).

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use axum::Extension;
use ccus_app::i18n::yen;
use ccus_app::records::statement::{self, SiteStatement};
use ccus_domain::records::month_span;
use ccus_domain::Date;
use serde::Deserialize;

use super::views::{PrimeMonthPage, SiteRecordsPage, SiteRecordsRow};
use super::{files, month_param, parse_month, time_of};
use crate::error::{WebError, WebResult};
use crate::forms::lenient_query;
use crate::i18n;
use crate::pages::html;
use crate::security::CsrfCookie;
use crate::session::{CsrfToken, SignedIn};
use crate::sites::labels::{position, trade};
use crate::sites::{site_id, Reader};
use crate::AppState;
use ccus_documents::report_pdf::{Column, Report, Table};
use std::collections::BTreeMap;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct PeriodQuery {
    day: String,
    month: String,
}

fn month_label(d: Date) -> String {
    i18n::ta(
        "records-month",
        &[
            ("year", &d.year().to_string()),
            ("month", &u8::from(d.month()).to_string()),
        ],
    )
}

fn row(r: &statement::SiteRecordRow) -> SiteRecordsRow {
    SiteRecordsRow {
        day: ccus_domain::profile::format_date(r.day),
        worker: r.worker_name.clone(),
        company: r.company.clone(),
        trade: if r.trade.is_empty() {
            String::new()
        } else {
            trade(&r.trade)
        },
        position: r.position.map(position).unwrap_or_default(),
        first_in: time_of(r.first_in),
        last_out: time_of(r.last_out),
        how: i18n::t(&format!("records-source-{}", r.source.as_str())),
    }
}

fn page_of(
    r: &Reader,
    s: &SiteStatement,
    title: String,
    nav: (String, Option<String>),
    csv: Option<String>,
    rows: bool,
) -> SiteRecordsPage {
    SiteRecordsPage {
        chrome: r.chrome(&format!("{title} — {}", s.site.name)),
        heading: title,
        site_id: s.site.site_id.as_str().to_owned(),
        site_name: s.site.name.clone(),
        period: i18n::ta(
            "site-period",
            &[
                ("from", &ccus_domain::profile::format_date(s.from)),
                ("to", &ccus_domain::profile::format_date(s.to)),
            ],
        ),
        per_company: s
            .per_company
            .iter()
            .map(|(c, n)| (c.clone(), n.to_string()))
            .collect(),
        records: s.records.to_string(),
        fee: i18n::ta(
            "statement-fee",
            &[
                ("records", &s.records.to_string()),
                ("rate", &yen(s.rate)),
                ("total", &yen(s.total_yen)),
            ],
        ),
        previous: nav.0,
        next: nav.1,
        day_view: rows,
        pdf: csv
            .as_ref()
            .map(|c| c.replace("statement.csv", "statement.pdf")),
        csv,
        rows: if rows {
            s.rows.iter().map(row).collect()
        } else {
            Vec::new()
        },
    }
}

/// Who was on the site on a day (today when none is asked for).
pub(super) async fn day(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    Path(raw): Path<String>,
    uri: Uri,
) -> WebResult<Response> {
    let r = Reader::new(state, signed_in, csrf_cookie, csrf).await?;
    let id = site_id(&raw)?;
    let q: PeriodQuery = lenient_query(&uri);
    let today = ccus_app::sites::today(r.state.clock().now());
    let day = ccus_domain::calendar::parse_iso_date(q.day.trim())
        .unwrap_or(today)
        .min(today);
    let s = statement::day(&r.state, &r.ctx, &id, day)
        .await?
        .ok_or(WebError::NotFound)?;
    let param = |d: Date| format!("?day={}", ccus_domain::profile::format_date(d));
    let nav = (
        day.previous_day().map(param).unwrap_or_default(),
        (day < today).then(|| day.next_day().map(param)).flatten(),
    );
    let title = i18n::ta(
        "site-day-title",
        &[("day", &ccus_domain::profile::format_date(day))],
    );
    html(StatusCode::OK, &page_of(&r, &s, title, nav, None, true))
}

/// The month's statement of one site.
pub(super) async fn month(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    Path(raw): Path<String>,
    uri: Uri,
) -> WebResult<Response> {
    let r = Reader::new(state, signed_in, csrf_cookie, csrf).await?;
    let id = site_id(&raw)?;
    let q: PeriodQuery = lenient_query(&uri);
    let today = ccus_app::sites::today(r.state.clock().now());
    let month = parse_month(&q.month).unwrap_or(today).min(today);
    let s = statement::month(&r.state, &r.ctx, &id, month)
        .await?
        .ok_or(WebError::NotFound)?;
    let (first, last) = month_span(month);
    let param = |d: Date| format!("?month={}", month_param(d));
    let nav = (
        first.previous_day().map(param).unwrap_or_default(),
        (last < today).then(|| last.next_day().map(param)).flatten(),
    );
    let title = i18n::ta("statement-title", &[("month", &month_label(first))]);
    let csv = format!(
        "/ccus_owner/sites/{}/statement.csv?month={}",
        id.as_str(),
        month_param(first)
    );
    html(
        StatusCode::OK,
        &page_of(&r, &s, title, nav, Some(csv), false),
    )
}

/// Every record of the month, one line each, with the total at the end (UTF-8 with a byte
/// order mark, so that spreadsheets in Japan read it as such).
pub(super) async fn month_csv(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(raw): Path<String>,
    uri: Uri,
) -> WebResult<Response> {
    let ctx = crate::sites::context(&state, &signed_in).await?;
    let id = site_id(raw.trim_end_matches(".csv"))?;
    let q: PeriodQuery = lenient_query(&uri);
    let today = ccus_app::sites::today(state.clock().now());
    let month = parse_month(&q.month).unwrap_or(today).min(today);
    let s = statement::month(&state, &ctx, &id, month)
        .await?
        .ok_or(WebError::NotFound)?;
    let mut lines = vec![[
        "records-day",
        "statement-worker-id",
        "statement-worker",
        "records-company",
        "site-worker-trade",
        "site-worker-position",
        "records-in",
        "records-out",
        "records-how",
    ]
    .map(i18n::t)
    .to_vec()];
    for r in &s.rows {
        let v = row(r);
        lines.push(vec![
            v.day,
            r.worker_login_id.clone(),
            v.worker,
            v.company,
            v.trade,
            v.position,
            v.first_in,
            v.last_out,
            v.how,
        ]);
    }
    lines.push(vec![fee_line(s.records, s.rate, s.total_yen)]);
    Ok(files::csv(
        &lines,
        &format!("statement-{}-{}.csv", id.as_str(), month_param(month)),
    ))
}

fn fee_line(records: i64, rate: i64, total: i64) -> String {
    i18n::ta(
        "statement-fee",
        &[
            ("records", &records.to_string()),
            ("rate", &yen(rate)),
            ("total", &yen(total)),
        ],
    )
}

/// The month's statement of one site as PDF: the fee, the records per company and per day.
pub(super) async fn month_pdf(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(raw): Path<String>,
    uri: Uri,
) -> WebResult<Response> {
    let ctx = crate::sites::context(&state, &signed_in).await?;
    let id = site_id(&raw)?;
    let q: PeriodQuery = lenient_query(&uri);
    let today = ccus_app::sites::today(state.clock().now());
    let month = parse_month(&q.month).unwrap_or(today).min(today);
    let s = statement::month(&state, &ctx, &id, month)
        .await?
        .ok_or(WebError::NotFound)?;
    let (first, _) = month_span(month);
    let mut per_day: BTreeMap<Date, i64> = BTreeMap::new();
    for r in &s.rows {
        *per_day.entry(r.day).or_default() += 1;
    }
    let yen_of = |n: i64| {
        i18n::ta(
            "statement-yen-value",
            &[("yen", &yen(n.saturating_mul(s.rate)))],
        )
    };
    let counts = |title: &str, first: &str, lines: Vec<(String, i64)>| Table {
        heading: i18n::t(title),
        columns: vec![
            Column::new(i18n::t(first), 3.0),
            Column::figures(i18n::t("statement-records"), 1.2),
            Column::figures(i18n::t("statement-yen"), 1.2),
        ],
        rows: lines
            .into_iter()
            .map(|(k, n)| vec![k, n.to_string(), yen_of(n)])
            .collect(),
        empty: i18n::t("statement-none"),
    };
    let report = Report {
        title: i18n::ta("statement-title", &[("month", &month_label(first))]),
        lang: i18n::lang().html_lang().to_owned(),
        facts: vec![
            (i18n::t("statement-prime"), ctx.business.name.clone()),
            (i18n::t("records-site"), s.site.name.clone()),
            (i18n::t("site-id"), s.site.site_id.as_str().to_owned()),
            (
                i18n::t("statement-period"),
                i18n::ta(
                    "site-period",
                    &[
                        ("from", &ccus_domain::profile::format_date(s.from)),
                        ("to", &ccus_domain::profile::format_date(s.to)),
                    ],
                ),
            ),
            (i18n::t("statement-records"), s.records.to_string()),
            (
                i18n::t("statement-fee-label"),
                fee_line(s.records, s.rate, s.total_yen),
            ),
        ],
        tables: vec![
            counts(
                "statement-per-company",
                "records-company",
                s.per_company.clone(),
            ),
            counts(
                "statement-per-day",
                "records-day",
                per_day
                    .into_iter()
                    .map(|(d, n)| (ccus_domain::profile::format_date(d), n))
                    .collect(),
            ),
        ],
        closing: vec![issued_line(&state)],
        footer: i18n::ta("pdf-page", &[("page", "{page}"), ("pages", "{pages}")]),
    };
    files::pdf(
        report,
        &format!("statement-{}-{}.pdf", id.as_str(), month_param(month)),
    )
    .await
}

/// 「発行日 …」 and who issued it, closing every report.
pub(super) fn issued_line(state: &AppState) -> String {
    i18n::ta(
        "pdf-issued",
        &[(
            "date",
            &ccus_domain::profile::format_date(ccus_app::sites::today(state.clock().now())),
        )],
    )
}

/// The month over all the 元請's sites.
pub(super) async fn prime_month(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    uri: Uri,
) -> WebResult<Response> {
    let r = Reader::new(state, signed_in, csrf_cookie, csrf).await?;
    let q: PeriodQuery = lenient_query(&uri);
    let today = ccus_app::sites::today(r.state.clock().now());
    let month = parse_month(&q.month).unwrap_or(today).min(today);
    let m = statement::prime_month(&r.state, &r.ctx, month)
        .await?
        .ok_or(WebError::NotPermitted("statement-refused"))?;
    let (first, last) = month_span(month);
    let title = i18n::ta("statements-title", &[("month", &month_label(first))]);
    let page = PrimeMonthPage {
        chrome: r.chrome(&title),
        heading: title,
        month: month_param(first),
        lines: m
            .lines
            .iter()
            .map(|l| {
                (
                    l.site_id.clone(),
                    l.name.clone(),
                    l.records.to_string(),
                    yen(l.yen),
                )
            })
            .collect(),
        fee: i18n::ta(
            "statement-fee",
            &[
                ("records", &m.records.to_string()),
                ("rate", &yen(m.rate)),
                ("total", &yen(m.total_yen)),
            ],
        ),
        previous: first.previous_day().map(month_param).unwrap_or_default(),
        next: (last < today)
            .then(|| last.next_day().map(month_param))
            .flatten(),
    };
    html(StatusCode::OK, &page)
}
