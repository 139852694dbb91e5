//! Records as files people keep: PDF reports (set off the request threads, as setting type is
//! work for the processor) and CSV (UTF-8 with a byte order mark, so that spreadsheets in Japan
//! read it as such, each field safe from being read as a formula).

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use ccus_documents::report_pdf::{self, Report};

use crate::error::{WebError, WebResult};

/// A report as a PDF download named `filename`.
pub(super) async fn pdf(report: Report, filename: &str) -> WebResult<Response> {
    let bytes = tokio::task::spawn_blocking(move || report_pdf::render(&report))
        .await
        .map_err(|e| WebError::Unavailable(format!("pdf writer: {e}")))?;
    if bytes.is_empty() {
        return Err(WebError::Unavailable("pdf writer refused".into()));
    }
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// A CSV field: quoted when it holds a comma, a quote or a line break, and never read by a
/// spreadsheet as a formula.
pub(super) fn field(s: &str) -> String {
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

/// A CSV file of `lines` (each already a list of fields) as a download named `filename`.
pub(super) fn csv(lines: &[Vec<String>], filename: &str) -> Response {
    let mut out = String::from("\u{feff}");
    for l in lines {
        let line: Vec<String> = l.iter().map(|x| field(x)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        out,
    )
        .into_response()
}
