//! The console's page of partner-API clients (`/helpdesk/api-clients`), for supervisors: every
//! registered system with its state, scopes and how it proves itself; registering one (its JWK
//! Set pasted, or a secret shown this once); certifying, suspending or returning it to the
//! sandbox; replacing its keys. The same services as `ccus admin api-client`, audited as the
//! staff member's.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use ccus_app::api::clients::{self, ClientChange, ClientKeys, ClientOutcome, NewClient};
use ccus_app::audit::Actor;
use ccus_domain::api::{ClientState, Scope};
use serde::Deserialize;

use crate::error::{WebError, WebResult};
use crate::forms::{lenient_query, CheckedForm};
use crate::pages::html;
use crate::present::Notice;
use crate::session::{CsrfToken, StaffIn};
use crate::{i18n, AppState};

use super::systems::scope_words;
use super::views::{ClientRow, ClientsPage};

fn supervisor(staff: &StaffIn) -> WebResult<Actor> {
    if staff.session.staff.role == ccus_app::helpdesk::StaffRole::Supervisor {
        Ok(Actor::Staff {
            pk: staff.session.staff.id,
        })
    } else {
        Err(WebError::NotPermitted("helpdesk-refused-supervisor"))
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DoneQuery {
    done: String,
}

async fn page_of(
    state: &AppState,
    staff: &StaffIn,
    csrf: String,
    notice: Option<Notice>,
) -> WebResult<ClientsPage> {
    let rows = clients::list(state)
        .await?
        .into_iter()
        .map(|c| ClientRow {
            state_label: i18n::t(&format!("api-client-state-{}", c.state)),
            auth_label: i18n::t(&format!(
                "api-client-auth-{}",
                c.auth_method.replace('_', "-")
            )),
            scopes: c
                .scopes
                .split_ascii_whitespace()
                .filter_map(Scope::parse)
                .map(scope_words)
                .collect::<Vec<_>>()
                .join(&i18n::t("audit-list-separator")),
            client_id: c.client_id,
            name: c.name,
            vendor: c.vendor,
            contact: c.contact,
            state: c.state,
        })
        .collect();
    Ok(ClientsPage {
        chrome: staff.chrome(&i18n::t("api-clients-title"), &csrf),
        notice,
        rows,
        scopes: Scope::ALL
            .iter()
            .map(|s| (s.code(), scope_words(*s)))
            .collect(),
        states: ClientState::ALL
            .iter()
            .map(|s| (s.code(), i18n::t(&format!("api-client-state-{}", s.code()))))
            .collect(),
        secret: None,
        csrf_token: csrf,
    })
}

/// `GET /helpdesk/api-clients`.
pub(super) async fn page(
    State(state): State<AppState>,
    staff: StaffIn,
    CsrfToken(csrf): CsrfToken,
    uri: Uri,
) -> WebResult<Response> {
    supervisor(&staff)?;
    let q: DoneQuery = lenient_query(&uri);
    let notice = match q.done.as_str() {
        done @ ("state" | "keys") => Some(Notice::new(
            "success",
            i18n::t(&format!("api-clients-done-{done}")),
        )),
        _ => None,
    };
    html(
        StatusCode::OK,
        &page_of(&state, &staff, csrf, notice).await?,
    )
}

/// The page after a change: the secret made (shown this once), or the refusal.
async fn answer(
    state: &AppState,
    staff: &StaffIn,
    csrf: String,
    outcome: ClientOutcome,
    done: &str,
) -> WebResult<Response> {
    match outcome {
        ClientOutcome::Done {
            client,
            secret: Some(secret),
        } => {
            let mut page = page_of(state, staff, csrf, None).await?;
            page.notice = Some(Notice::new(
                "success",
                i18n::ta("api-clients-secret", &[("client", &client.client_id)]),
            ));
            page.secret = Some((client.client_id, secret));
            html(StatusCode::OK, &page)
        }
        ClientOutcome::Done { client, .. } if done == "registered" => {
            let page = page_of(
                state,
                staff,
                csrf,
                Some(Notice::new(
                    "success",
                    i18n::ta("api-clients-registered", &[("client", &client.client_id)]),
                )),
            )
            .await?;
            html(StatusCode::OK, &page)
        }
        ClientOutcome::Done { .. } => {
            Ok(Redirect::to(&format!("/helpdesk/api-clients?done={done}")).into_response())
        }
        ClientOutcome::Refused(problem) => {
            let notice = Notice::new("error", i18n::t(problem.key())).line(problem.to_string());
            let page = page_of(state, staff, csrf, Some(notice)).await?;
            html(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

/// `POST /helpdesk/api-clients`: name, vendor, contact, one field per scope (named by its
/// code), and `jwks` (a JWK Set) or `secret=yes`.
pub(super) async fn register(
    State(state): State<AppState>,
    staff: StaffIn,
    CsrfToken(csrf): CsrfToken,
    CheckedForm(form): CheckedForm<HashMap<String, String>>,
) -> WebResult<Response> {
    let actor = supervisor(&staff)?;
    let field = |k: &str| form.get(k).cloned().unwrap_or_default();
    let scopes: Vec<&str> = Scope::ALL
        .iter()
        .map(|s| s.code())
        .filter(|c| form.contains_key(*c))
        .collect();
    let keys = if field("auth") == "secret" {
        ClientKeys::Secret
    } else if !field("jwks_url").trim().is_empty() {
        ClientKeys::JwksUrl(field("jwks_url"))
    } else {
        ClientKeys::Jwks(field("jwks"))
    };
    let new = NewClient {
        name: field("name"),
        vendor: field("vendor"),
        contact: field("contact"),
        scopes: scopes.join(" "),
        keys,
        redirect_uris: field("redirect_uris"),
    };
    let outcome = clients::register(&state, &actor, &new).await?;
    answer(&state, &staff, csrf, outcome, "registered").await
}

/// `POST /helpdesk/api-clients/{client_id}/{state|keys|secret}`.
pub(super) async fn change(
    State(state): State<AppState>,
    staff: StaffIn,
    CsrfToken(csrf): CsrfToken,
    Path((client_id, what)): Path<(String, String)>,
    CheckedForm(form): CheckedForm<HashMap<String, String>>,
) -> WebResult<Response> {
    let actor = supervisor(&staff)?;
    let field = |k: &str| form.get(k).cloned().unwrap_or_default();
    let (change, done) = match what.as_str() {
        "state" => match ClientState::parse(&field("state")) {
            Some(s) => (ClientChange::State(s), "state"),
            None => return Err(WebError::NotFound),
        },
        "keys" if !field("jwks_url").trim().is_empty() => (
            ClientChange::Keys(ClientKeys::JwksUrl(field("jwks_url"))),
            "keys",
        ),
        "keys" => (ClientChange::Keys(ClientKeys::Jwks(field("jwks"))), "keys"),
        "redirect-uris" => (ClientChange::RedirectUris(field("redirect_uris")), "state"),
        "secret" => (ClientChange::Keys(ClientKeys::Secret), "keys"),
        _ => return Err(WebError::NotFound),
    };
    let outcome = clients::change(&state, &actor, &client_id, &change).await?;
    answer(&state, &staff, csrf, outcome, done).await
}
