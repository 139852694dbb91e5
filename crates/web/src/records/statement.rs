//! The 元請's view of its sites' records: who was on a site on a day
//! (`/ccus_owner/sites/{site}/day`), the month's 現場利用料 statement of one site
//! (`…/statement`, and every record of it as CSV at `…/statement.csv`), and the month over all
//! its sites (`/ccus_owner/statements`).

use axum::extract::{Path, State};
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use ccus_app::i18n::yen;
use ccus_app::records::statement::{self, SiteStatement};
use ccus_domain::records::month_span;
use ccus_domain::Date;
use serde::Deserialize;

use super::views::{PrimeMonthPage, SiteRecordsPage, SiteRecordsRow};
use super::{month_param, parse_month, time_of};
use crate::error::{WebError, WebResult};
use crate::forms::lenient_query;
use crate::i18n;
use crate::pages::html;
use crate::security::CsrfCookie;
use crate::session::{CsrfToken, SignedIn};
use crate::sites::labels::{position, trade};
use crate::sites::{site_id, Reader};
use crate::AppState;

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

/// A CSV field: quoted when it holds a comma, a quote or a line break, and never read by a
/// spreadsheet as a formula.
fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
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
    let mut out = String::from("\u{feff}");
    let header = [
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
    .map(|k| field(&i18n::t(k)))
    .join(",");
    out.push_str(&header);
    out.push_str("\r\n");
    for r in &s.rows {
        let v = row(r);
        let line = [
            v.day,
            r.worker_login_id.clone(),
            v.worker,
            v.company,
            v.trade,
            v.position,
            v.first_in,
            v.last_out,
            v.how,
        ]
        .map(|x| field(&x))
        .join(",");
        out.push_str(&line);
        out.push_str("\r\n");
    }
    out.push_str(&field(&i18n::ta(
        "statement-fee",
        &[
            ("records", &s.records.to_string()),
            ("rate", &yen(s.rate)),
            ("total", &yen(s.total_yen)),
        ],
    )));
    out.push_str("\r\n");
    let name = format!(
        "attachment; filename=\"statement-{}-{}.csv\"",
        id.as_str(),
        month_param(month)
    );
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, name),
        ],
        out,
    )
        .into_response())
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
