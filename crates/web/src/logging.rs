//! The log: human-readable lines on a terminal, or JSON lines (`CCUS_LOG_FORMAT=json`) for a
//! collector. Every line written while a request is handled carries that request's id (the
//! `request` span, opened by [`crate::middleware::request_id`]): in text as
//! `request{request_id=…}`, in JSON as `"span": {"request_id": …}`; the same id is on the
//! error page and in the `X-Request-Id` header, so one id finds every line of a request.
//!
//! What is logged never holds a secret: passwords, tokens, codes, cookies and mailed links are
//! not written (only hashes and ids), which `tests/logs.rs` checks over a whole journey.

use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::EnvFilter;

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

impl LogFormat {
    /// From `CCUS_LOG_FORMAT` (`text` or `json`; text when unset). `Err` names a wrong value.
    pub fn from_env() -> Result<LogFormat, String> {
        match std::env::var("CCUS_LOG_FORMAT").as_deref() {
            Err(_) | Ok("") | Ok("text") => Ok(LogFormat::Text),
            Ok("json") => Ok(LogFormat::Json),
            Ok(other) => Err(format!(
                "CCUS_LOG_FORMAT must be text or json, not {other:?}"
            )),
        }
    }
}

/// A subscriber writing `format` lines to `writer`, keeping what `filter` allows.
pub fn subscriber<W>(
    format: LogFormat,
    filter: EnvFilter,
    writer: W,
    ansi: bool,
) -> Box<dyn tracing::Subscriber + Send + Sync>
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer);
    match format {
        LogFormat::Text => Box::new(builder.with_ansi(ansi).finish()),
        LogFormat::Json => Box::new(
            builder
                .json()
                .with_ansi(false)
                .flatten_event(true)
                .with_current_span(true)
                .with_span_list(false)
                .finish(),
        ),
    }
}
