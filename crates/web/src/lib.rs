//! CCUS Portal web front end: the two login portals, sessions, access history and the public
//! pages, as an axum router over a [`ccus_storage::Store`].

pub mod accounts;
pub mod attachments;
pub mod config;
pub mod error;
mod faq_seed;
mod guard;
pub mod hashing;
pub mod mails;
pub mod markdown;
pub mod middleware;
pub mod operations;
mod routes;
pub use routes::helpdesk::create_staff;
pub mod security;
pub mod session;
pub mod staff_crypto;
pub mod unlock;
pub mod views;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::Router;
use ccus_domain::{Clock, LockoutPolicy};
use ccus_storage::Store;

pub use config::Config;
use hashing::Hasher;
use security::{Cookies, Csrf};

/// Largest request body accepted by any form.
pub const MAX_FORM_BYTES: usize = 16 * 1024;

/// Everything a request handler needs. Cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

struct Inner {
    config: Config,
    store: Store,
    clock: Arc<dyn Clock>,
    hasher: Hasher,
    csrf: Csrf,
    cookies: Cookies,
    policy: LockoutPolicy,
    mail_waker: ccus_mail::MailWaker,
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    #[error(transparent)]
    Store(#[from] ccus_storage::StoreError),
    #[error(transparent)]
    Hash(#[from] hashing::HashError),
    #[error("cannot listen: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Mail(#[from] ccus_mail::MailSetupError),
}

impl AppState {
    /// Builds the state over a migrated store. The anti-forgery key is kept in the database,
    /// so every instance on the same database accepts the same forms.
    pub async fn new(
        config: Config,
        store: Store,
        clock: Arc<dyn Clock>,
    ) -> Result<AppState, StartError> {
        config.validate()?;
        let key = store.secret("csrf_key", security::random_token).await?;
        store.seed_faq(faq_seed::ENTRIES).await?;
        let hashing_cfg = config.hashing.clone();
        let hasher = tokio::task::spawn_blocking(move || Hasher::new(&hashing_cfg))
            .await
            .map_err(|e| hashing::HashError::Failed(e.to_string()))??;
        Ok(AppState(Arc::new(Inner {
            cookies: Cookies::new(config.is_https()),
            policy: config.lockout_policy(),
            csrf: Csrf::new(key.into_bytes()),
            config,
            store,
            clock,
            hasher,
            mail_waker: ccus_mail::MailWaker::default(),
        })))
    }

    pub fn config(&self) -> &Config {
        &self.0.config
    }
    pub fn store(&self) -> &Store {
        &self.0.store
    }
    pub fn clock(&self) -> &dyn Clock {
        self.0.clock.as_ref()
    }
    pub fn hasher(&self) -> &Hasher {
        &self.0.hasher
    }
    pub fn csrf(&self) -> &Csrf {
        &self.0.csrf
    }
    pub fn cookies(&self) -> &Cookies {
        &self.0.cookies
    }
    pub fn policy(&self) -> &LockoutPolicy {
        &self.0.policy
    }
    /// Call after committing a mail so it goes out at once.
    pub fn wake_mail(&self) {
        self.0.mail_waker.wake();
    }

    /// Starts the outbox delivery worker for this instance.
    pub fn spawn_mail_delivery(
        &self,
    ) -> Result<tokio::task::JoinHandle<()>, ccus_mail::MailSetupError> {
        let d = ccus_mail::Deliverer::new(
            self.0.store.clone(),
            self.0.config.mail.clone(),
            self.0.clock.clone(),
            self.0.mail_waker.clone(),
        )?;
        Ok(d.spawn())
    }
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    use axum::middleware::{from_fn, from_fn_with_state};
    routes::routes(&state)
        .layer(from_fn_with_state(state.clone(), middleware::csrf_cookie))
        .layer(from_fn_with_state(state.clone(), middleware::maintenance))
        .layer(from_fn_with_state(
            state.clone(),
            middleware::same_origin_posts,
        ))
        .layer(from_fn(middleware::unsupported_browser))
        .layer(from_fn_with_state(
            state.clone(),
            middleware::security_headers,
        ))
        .layer(from_fn(middleware::request_id))
        .layer(DefaultBodyLimit::max(MAX_FORM_BYTES))
        .with_state(state)
}

/// Serves the application on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}

/// Starts the clean-up that removes sessions nobody can use any more. Runs until the process
/// ends; each instance may run it (the deletes are idempotent).
pub fn spawn_cleanup(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        loop {
            tick.tick().await;
            let now = state.clock().now();
            let s = &state.config().session;
            match state
                .store()
                .delete_expired_sessions(now.minus(s.idle_timeout), now.minus(s.absolute_timeout))
                .await
            {
                Ok(n) if n > 0 => tracing::info!(removed = n, "expired sessions removed"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "session clean-up failed; will retry"),
            }
            let l = &state.config().lockout;
            let window = l.address_window.max(state.config().recovery.window);
            if let Err(e) = state
                .store()
                .prune_guards(now, now.minus(window), now.minus(l.max_duration * 2))
                .await
            {
                tracing::warn!(error = %e, "guard clean-up failed; will retry");
            }
            match attachments::sweep_orphans(&state, Duration::from_secs(3600)).await {
                Ok(n) if n > 0 => tracing::info!(removed = n, "orphan attachment files removed"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "attachment clean-up failed; will retry"),
            }
        }
    })
}
