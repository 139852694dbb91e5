//! CCUS Portal web front end — HTTP only: extractors (the anti-forgery check among them),
//! routes and templates by area, cookies and security headers, and the one mapping from an
//! error to a page in the reader's language. What a page *does* is a service of the application layer
//! ([`ccus_app`]), which the CLI and the tests call alike.

mod connections;
pub mod error;
mod forms;
pub mod i18n;
pub mod logging;
pub mod markdown;
pub mod middleware;
mod pages;
pub mod present;
mod request_id;
mod routes;
pub mod security;
pub mod session;

mod account;
mod api;
mod auth;
mod helpdesk;
mod inquiries;
mod ops;
mod org;
mod public;
mod records;
mod recovery;
mod registration;
mod sites;

pub use ccus_app::{App, Config, StartError};

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::Router;

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
    challenges: ccus_app::auth::challenge::Challenges,
}

/// How long a login page's challenge can be used: a person may take a while to find their ID.
const CHALLENGE_TTL: std::time::Duration = std::time::Duration::from_secs(30 * 60);

impl std::ops::Deref for AppState {
    type Target = App;
    fn deref(&self) -> &App {
        &self.0.app
    }
}

impl AppState {
    /// The web front end over an application, ready to serve. The anti-forgery key is kept
    /// in the database, so every instance on the same database accepts the same forms.
    pub async fn serving(app: App) -> Result<AppState, StartError> {
        let key = app.shared_key("csrf_key").await?;
        let challenge_key = app.shared_key("challenge_key").await?;
        app.seed_faq().await?;
        Ok(AppState(Arc::new(Inner {
            cookies: Cookies::new(app.config().is_https()),
            csrf: Csrf::new(key.into_bytes()),
            challenges: ccus_app::auth::challenge::Challenges::new(
                challenge_key.into_bytes(),
                app.config().hashing.challenge_bits,
                CHALLENGE_TTL,
            ),
            app,
        })))
    }

    /// The proof-of-work challenges of the login pages.
    pub fn challenges(&self) -> &ccus_app::auth::challenge::Challenges {
        &self.0.challenges
    }

    /// A challenge for a login page now, if the page should carry one.
    pub fn login_challenge(&self) -> Option<ccus_app::auth::challenge::Challenge> {
        use ccus_app::config::ChallengeMode;
        let h = &self.app().config().hashing;
        let wanted = match h.challenge {
            ChallengeMode::Off => false,
            ChallengeMode::Always => true,
            ChallengeMode::Pressure => self.app().hasher().under_pressure(h.challenge_hold),
        };
        wanted.then(|| self.0.challenges.issue(self.app().clock().now()))
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
        .layer(from_fn_with_state(
            state.clone(),
            middleware::own_changes_fresh,
        ))
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
        .layer(from_fn_with_state(state.clone(), middleware::count))
        .layer(from_fn_with_state(state.clone(), error::negotiate))
        .layer(from_fn_with_state(state.clone(), middleware::language))
        .layer(DefaultBodyLimit::max(MAX_FORM_BYTES))
        .with_state(state)
}

/// Serves the metrics (`GET /metrics`, Prometheus text format) on their own `listener`.
pub async fn serve_metrics(
    listener: tokio::net::TcpListener,
    state: AppState,
) -> std::io::Result<()> {
    use axum::http::header;
    use axum::response::IntoResponse;
    let app = Router::new()
        .route(
            "/metrics",
            axum::routing::get(
                |axum::extract::State(state): axum::extract::State<AppState>| async move {
                    (
                        [(
                            header::CONTENT_TYPE,
                            "text/plain; version=0.0.4; charset=utf-8",
                        )],
                        ccus_app::metrics::render(&state).await,
                    )
                        .into_response()
                },
            ),
        )
        .with_state(state);
    axum::serve(listener, app).await
}

/// Serves the application on `listener` until `shutdown` completes, then lets the requests
/// in progress finish (for at most 10 s).
///
/// Each connection has a slot (`server.max_connections`). At the cap one connection is closed
/// to make room: the oldest that has not begun a request (a silent or slowloris client — a
/// real browser sends its request at once), else the one whose request body arrives slowest
/// (a connection made less than a second ago is left its chance to send its request first).
/// A request whose body is complete is never closed to make room: only when every connection
/// is handling one does a new connection get a short 503 with Retry-After. So neither a flood
/// of idle connections nor one of trickling bodies can take the file descriptors or keep real
/// users and `/healthz` out.
///
/// Headers must arrive within `server.header_read_timeout` (which also ends idle kept-alive
/// connections). A body may pause at most `server.body_timeout` between two pieces (a 4xx
/// page), may start up to `server.body_grace` late and must then keep up
/// `server.body_min_rate` on average, and must be complete within `server.body_deadline`.
/// A connection whose body breaks those rules is closed by its own task, even while the
/// handler is not reading the body; a request without a body is complete at once.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use tower::ServiceExt;
    let cfg = state.config().server.clone();
    let rules = connections::BodyRules::of(&cfg);
    let stopping = state.clone();
    let app = router(state).layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
        cfg.body_timeout,
    ));
    // Made before the first overload, so that refusing costs nothing then.
    std::sync::LazyLock::force(&BUSY_BODY);
    let slots = Arc::new(tokio::sync::Semaphore::new(cfg.max_connections));
    let open = Arc::new(connections::Connections::new());
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    tokio::pin!(shutdown);
    // After the stop signal: new connections are still taken until this ends, while /readyz
    // already answers 503 (the balancer stops sending first).
    let mut drain: Option<std::pin::Pin<Box<tokio::time::Sleep>>> = None;
    loop {
        let stop_heard = drain.is_some();
        let drained = async {
            match drain.as_mut() {
                Some(d) => d.await,
                None => std::future::pending().await,
            }
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(c) => c,
                Err(e) => {
                    // Out of file descriptors, or the client left before accept: wait a
                    // moment instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown, if !stop_heard => {
                stopping.start_draining();
                tracing::info!(
                    delay = ?cfg.drain_delay,
                    "stopping: /readyz answers 503; requests are still served for the delay"
                );
                drain = Some(Box::pin(tokio::time::sleep(cfg.drain_delay)));
                continue;
            }
            () = drained => break,
        };
        let slot = match slots.clone().try_acquire_owned() {
            Ok(slot) => slot,
            Err(_) if open.make_room() => {
                // The closed connection gives its slot back as soon as its task sees it.
                match tokio::time::timeout(
                    std::time::Duration::from_millis(200),
                    slots.clone().acquire_owned(),
                )
                .await
                {
                    Ok(Ok(slot)) => slot,
                    _ => {
                        tokio::spawn(refuse_busy(stream));
                        continue;
                    }
                }
            }
            Err(_) => {
                tokio::spawn(refuse_busy(stream));
                continue;
            }
        };
        let app = app.clone();
        let mut stop = stop_rx.clone();
        let header_timeout = cfg.header_read_timeout;
        let conn_state = open.register();
        tokio::spawn(async move {
            let _slot = slot;
            let counted = conn_state.clone();
            let service = hyper::service::service_fn(
                move |mut req: hyper::Request<hyper::body::Incoming>| {
                    use hyper::body::Body as _;
                    let body = req.body();
                    counted.begin(!body.is_end_stream(), body.size_hint().exact());
                    req.extensions_mut()
                        .insert(axum::extract::ConnectInfo(peer));
                    let conn = counted.clone();
                    app.clone().oneshot(req.map(|body| {
                        axum::body::Body::new(connections::CountedBody::new(body, conn))
                    }))
                },
            );
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(header_timeout)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
            tokio::pin!(conn);
            let period = rules.tick();
            let mut watchdog =
                tokio::time::interval_at(tokio::time::Instant::now() + period, period);
            watchdog.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let mut stopping = false;
            loop {
                tokio::select! {
                    r = conn.as_mut() => {
                        if let Err(e) = r {
                            tracing::debug!(error = %e, "connection ended");
                        }
                        break;
                    }
                    () = conn_state.closed_to_make_room() => {
                        tracing::debug!(peer = %peer, "connection closed to make room");
                        break;
                    }
                    _ = watchdog.tick() => {
                        if let Some(why) = conn_state.too_slow(&rules) {
                            tracing::debug!(peer = %peer, ?why, "request body too slow; connection closed");
                            break;
                        }
                    }
                    _ = stop.changed(), if !stopping => {
                        // Requests in progress finish; slow bodies are still cut off.
                        conn.as_mut().graceful_shutdown();
                        stopping = true;
                    }
                }
            }
        });
    }
    let _ = stop_tx.send(true);
    let all = u32::try_from(cfg.max_connections).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(std::time::Duration::from_secs(10), slots.acquire_many(all)).await;
    Ok(())
}

/// The body of [`refuse_busy`]: the request is never read, so its language is unknown; the
/// words come in Japanese and in English, made once.
static BUSY_BODY: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    use ccus_app::i18n::{text_in, Lang};
    format!(
        "{}\n{}\n",
        text_in(Lang::Ja, "public-busy-plain", &[]),
        text_in(Lang::En, "public-busy-plain", &[])
    )
});

/// The answer to a connection past the cap: short, final, and without reading the request.
async fn refuse_busy(mut stream: tokio::net::TcpStream) {
    use tokio::io::AsyncWriteExt;
    let body: &str = &BUSY_BODY;
    let head = format!(
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n\
         Retry-After: {}\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
        error::RETRY_AFTER_SECS,
        body.len()
    );
    let write = async {
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(body.as_bytes()).await?;
        stream.shutdown().await
    };
    let _ = tokio::time::timeout(std::time::Duration::from_secs(1), write).await;
}

/// Starts the clean-up of expired sessions, old counters and orphan files.
pub fn spawn_cleanup(state: AppState) -> tokio::task::JoinHandle<()> {
    state.app().spawn_cleanup()
}

#[cfg(test)]
mod tests {
    /// Whoever is turned away can read why: Japanese first, then English.
    #[test]
    fn the_busy_answer_is_in_japanese_and_english() {
        assert_eq!(
            *super::BUSY_BODY,
            "ただいま混み合っています。しばらくしてから、もう一度お試しください。\n\
             The system is busy right now. Please wait a little and try again.\n"
        );
    }
}
