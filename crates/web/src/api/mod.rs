//! The partner API on the web: the OAuth 2.0 endpoints (`/oauth/token`, `/oauth/introspect`,
//! `/oauth/revoke`, in [`oauth`]), the resources under `/api/v1` ([`v1`]), and the OpenAPI 3.1
//! document generated from the handlers and their types, served at `/api/v1/openapi.json`; and
//! a business's 連携システム page ([`systems`]), where its grants are made and ended, and the
//! consent page a system sends a business's 管理者ID to ([`consent`]); and the
//! console's page of registered clients ([`console`]); and 「CCUSでログイン」, the OpenID
//! Connect provider ([`login`]).
//! docs/api.md tells a vendor how to connect.

mod consent;
mod console;
mod login;
mod oauth;
mod problem;
mod systems;
mod v1;
mod views;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::AppState;

/// The largest body a token request or an API write may have.
const MAX_BODY: usize = 256 * 1024;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "CCUS Portal partner API",
        description = "Sites, their company trees, rosters, touches and work records for \
                       certified systems. \
                       Tokens: POST /oauth/token (client_credentials; private_key_jwt or a \
                       client secret). Writes need an Idempotency-Key; refusals are RFC 9457 \
                       problem details."
    ),
    paths(
        v1::grants,
        v1::sites_list,
        v1::site,
        v1::places_write,
        v1::roster_read,
        v1::roster_write,
        v1::touches,
        v1::records,
        v1::lookup,
        v1::worker_records,
    ),
    modifiers(&Bearer),
    tags(
        (name = "grants", description = "The businesses that let the client use their data"),
        (name = "sites", description = "Sites and the tree of companies on each"),
        (name = "roster", description = "The workers each company lists on a site"),
        (name = "records", description = "Touches and the work records made of them"),
    )
)]
pub(crate) struct ApiDoc;

/// Declares the bearer token every endpoint takes.
struct Bearer;

impl Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An access token from POST /oauth/token"))
                    .build(),
            ),
        );
    }
}

/// `GET /api/v1/openapi.json`.
async fn openapi() -> impl IntoResponse {
    let json = ApiDoc::openapi().to_json().unwrap_or_default();
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        json,
    )
}

pub(crate) fn routes() -> Router<AppState> {
    let b = "/api/v1/businesses/{business}";
    Router::new()
        .route("/oauth/token", post(oauth::token))
        .route("/oauth/introspect", post(oauth::introspect))
        .route("/oauth/revoke", post(oauth::revoke))
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/grants", get(v1::grants))
        .route(&format!("{b}/sites"), get(v1::sites_list))
        .route(&format!("{b}/sites/{{site}}"), get(v1::site))
        .route(
            &format!("{b}/sites/{{site}}/places"),
            post(v1::places_write),
        )
        .route(
            &format!("{b}/sites/{{site}}/roster"),
            get(v1::roster_read).post(v1::roster_write),
        )
        .route(&format!("{b}/sites/{{site}}/touches"), post(v1::touches))
        .route(&format!("{b}/sites/{{site}}/records"), get(v1::records))
        .route(&format!("{b}/workers"), get(v1::lookup))
        .route(
            &format!("{b}/workers/{{technician}}/records"),
            get(v1::worker_records),
        )
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .route(
            "/ccus_owner/systems",
            get(systems::page).post(systems::grant),
        )
        .route("/ccus_owner/systems/{grant}/revoke", post(systems::revoke))
        .route(
            "/ccus_owner/oauth/authorize",
            get(consent::page).post(consent::decide),
        )
        .route("/.well-known/openid-configuration", get(login::discovery))
        .route("/oauth/jwks", get(login::jwks))
        .route(
            "/oauth/userinfo",
            get(login::userinfo).post(login::userinfo),
        )
        .route(
            "/oauth/logout",
            get(login::logout_page).post(login::logout_confirm),
        )
        .route(
            "/ccus_skill/oauth/authorize",
            get(login::authorize_page).post(login::authorize_decide),
        )
        .route("/ccus_skill/services", get(login::services_page))
        .route(
            "/ccus_skill/services/{id}/revoke",
            post(login::services_revoke),
        )
        .route(
            "/helpdesk/api-clients",
            get(console::page).post(console::register),
        )
        .route(
            "/helpdesk/api-clients/{client}/{what}",
            post(console::change),
        )
}
