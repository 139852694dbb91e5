//! Logging in: the two portals' login, home, アクセス履歴 and ログアウト ([`login`]); the
//! helpdesk console's sign-in with its second factor, enrolment and passkeys ([`staff`]).

pub mod login;
pub mod staff;
pub mod views;

use crate::error::WebError;
use crate::pages::script_json;
use crate::AppState;

/// What every passkey page shows for `holder`: its passkeys, and (when passkeys can be used)
/// the registration options as JSON for the page's script with their ceremony.
pub(crate) async fn passkey_page_parts(
    state: &AppState,
    holder: ccus_app::auth::passkeys::Holder<'_>,
) -> Result<(Vec<views::PasskeyRow>, Option<String>, String), WebError> {
    let rows = ccus_app::auth::passkeys::list(state, holder)
        .await?
        .into_iter()
        .map(|p| views::PasskeyRow {
            id: p.id,
            name: p.name,
            created: p.created_at.jst(),
            last_used: p.last_used_at.map(|t| t.jst()).unwrap_or_default(),
        })
        .collect();
    if !ccus_app::auth::passkeys::available(state) {
        return Ok((rows, None, String::new()));
    }
    let c = ccus_app::auth::passkeys::registration_challenge(state, holder).await?;
    let json = script_json(&serde_json::json!({ "publicKey": c.options }));
    Ok((rows, Some(json), c.ceremony))
}
