//! The id of the request being handled: given by the request-id middleware, read by every log
//! line and error page of the request.

tokio::task_local! {
    pub(crate) static REQUEST_ID: String;
}

/// The id of the request being handled ("-" outside a request).
pub fn current_request_id() -> String {
    REQUEST_ID
        .try_with(Clone::clone)
        .unwrap_or_else(|_| "-".into())
}
