//! CCUS Portal web front end — HTTP only: extractors (the anti-forgery check among them),
//! routes and templates by area, cookies and security headers, and the one mapping from an
//! error to a Japanese page. What a page *does* is a service of the application layer
//! ([`ccus_app`]), which the CLI and the tests call alike.

pub mod error;
pub mod markdown;
pub mod middleware;
mod routes;
pub mod security;
pub mod session;
pub mod views;

pub use ccus_app::{App, Config, StartError};

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::Router;
use ccus_domain::Clock;
use ccus_storage::Store;

use security::{Cookies, Csrf};

/// Largest request body accepted by any form.
pub const MAX_FORM_BYTES: usize = 16 * 1024;

/// Everything a request handler needs: the application, plus what only the web needs (the
/// anti-forgery key and the cookie rules). Cheap to clone; dereferences to the [`App`].
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

struct Inner {
    app: App,
    csrf: Csrf,
    cookies: Cookies,
}

impl std::ops::Deref for AppState {
    type Target = App;
    fn deref(&self) -> &App {
        &self.0.app
    }
}

impl AppState {
    /// Builds the state over a migrated store, ready to serve. The anti-forgery key is kept
    /// in the database, so every instance on the same database accepts the same forms.
    pub async fn new(
        config: Config,
        store: Store,
        clock: Arc<dyn Clock>,
    ) -> Result<AppState, StartError> {
        let app = App::new(config, store, clock).await?;
        AppState::serving(app).await
    }

    /// The web front end over an application.
    pub async fn serving(app: App) -> Result<AppState, StartError> {
        let key = app
            .store()
            .secret("csrf_key", ccus_app::tokens::random_token)
            .await?;
        app.seed_faq().await?;
        Ok(AppState(Arc::new(Inner {
            cookies: Cookies::new(app.config().is_https()),
            csrf: Csrf::new(key.into_bytes()),
            app,
        })))
    }

    pub fn app(&self) -> &App {
        &self.0.app
    }
    pub fn csrf(&self) -> &Csrf {
        &self.0.csrf
    }
    pub fn cookies(&self) -> &Cookies {
        &self.0.cookies
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

/// Starts the clean-up of expired sessions, old counters and orphan files.
pub fn spawn_cleanup(state: AppState) -> tokio::task::JoinHandle<()> {
    state.app().spawn_cleanup()
}
