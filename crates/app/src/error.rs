//! What can go wrong in a service, apart from the outcomes a service reports on purpose
//! (a wrong password, a lock, an invalid form): a dependency that fails. The cause is kept
//! as the error's source, so the log shows the whole chain.

use std::borrow::Cow;

/// The database's own error, kept as an [`AppError`]'s source; front ends map it to a page
/// or an exit code, never show it.
pub use ccus_storage::StoreError;

use crate::hashing::HashError;

/// Any error kept as the source of another.
pub type Cause = Box<dyn std::error::Error + Send + Sync + 'static>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The database failed or did not answer.
    #[error("storage")]
    Store(#[from] StoreError),
    /// Password hashing is saturated or failed.
    #[error("password hashing")]
    Hash(#[from] HashError),
    /// A dependency or a configured feature is unavailable (e.g. no staff key); try later.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// A dependency failed in a way a retry later may mend (a full disk, a file store that
    /// does not answer); `source` is its own error.
    #[error("unavailable: {what}")]
    DependencyFailed {
        what: Cow<'static, str>,
        #[source]
        source: Cause,
    },
    /// The signed-in person may not do this.
    #[error("forbidden")]
    Forbidden,
    /// Something that must not happen; the message says what.
    #[error("internal: {0}")]
    Internal(String),
    /// Something that must not happen, caused by `source`.
    #[error("internal: {what}")]
    Failed {
        what: Cow<'static, str>,
        #[source]
        source: Cause,
    },
}

impl AppError {
    /// `what` is unavailable because of `source` (temporary: a 503, exit code 75).
    pub fn unavailable(what: impl Into<Cow<'static, str>>, source: impl Into<Cause>) -> Self {
        AppError::DependencyFailed {
            what: what.into(),
            source: source.into(),
        }
    }

    /// `what` failed because of `source`, and a retry will not help.
    pub fn internal(what: impl Into<Cow<'static, str>>, source: impl Into<Cause>) -> Self {
        AppError::Failed {
            what: what.into(),
            source: source.into(),
        }
    }

    /// True when a retry later may succeed (a 503 on the web, exit code 75 on the CLI).
    pub fn is_temporary(&self) -> bool {
        matches!(
            self,
            AppError::Store(StoreError::Unavailable(_))
                | AppError::Hash(HashError::Busy)
                | AppError::Unavailable(_)
                | AppError::DependencyFailed { .. }
        )
    }

    /// The whole cause chain in one line, for logs.
    pub fn chain(&self) -> String {
        chain(self)
    }
}

/// An error and every source below it in one line (`a: b: c`), for logs. A source whose text
/// its parent already ends with (an error that prints its cause and also returns it as its
/// source) is not repeated.
pub fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut out = error.to_string();
    let mut source = error.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.ends_with(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chain_names_every_cause_once() {
        let io = std::io::Error::other("disk full");
        let e = AppError::unavailable("attachment storage", io);
        assert!(e.is_temporary());
        assert_eq!(e.chain(), "unavailable: attachment storage: disk full");

        // StoreError prints its source and also returns it: said once.
        let e = AppError::Store(StoreError::Directory(std::io::Error::other("read-only")));
        assert_eq!(
            e.chain(),
            "storage: could not prepare the database directory: read-only"
        );

        let e = AppError::internal("issuing", std::io::Error::other("no id left"));
        assert!(!e.is_temporary());
        assert_eq!(e.chain(), "internal: issuing: no id left");
    }
}
