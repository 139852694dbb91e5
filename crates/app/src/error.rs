//! What can go wrong in a service, apart from the outcomes a service reports on purpose
//! (a wrong password, a lock, an invalid form): a dependency that fails. The cause is kept
//! as the error's source, so the log shows the whole chain.

/// The database's own error, kept as an [`AppError`]'s source; front ends map it to a page
/// or an exit code, never show it.
pub use ccus_storage::StoreError;

use crate::hashing::HashError;

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
    /// The signed-in person may not do this.
    #[error("forbidden")]
    Forbidden,
    /// Something that must not happen; the message says what.
    #[error("internal: {0}")]
    Internal(String),
}

impl AppError {
    /// True when a retry later may succeed (a 503 on the web, exit code 75 on the CLI).
    pub fn is_temporary(&self) -> bool {
        matches!(
            self,
            AppError::Store(StoreError::Unavailable(_))
                | AppError::Hash(HashError::Busy)
                | AppError::Unavailable(_)
        )
    }

    /// The whole cause chain in one line, for logs.
    pub fn chain(&self) -> String {
        let mut out = self.to_string();
        let mut source = std::error::Error::source(self);
        while let Some(s) = source {
            out.push_str(": ");
            out.push_str(&s.to_string());
            source = s.source();
        }
        out
    }
}

pub type AppResult<T> = Result<T, AppError>;
