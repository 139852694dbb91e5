//! Every route of the portal, assembled from the feature folders (each folder's `routes()`);
//! the method-not-allowed answer for all of them.

use axum::Router;

use crate::error::WebError;
use crate::AppState;

pub(crate) fn routes(state: &AppState) -> Router<AppState> {
    crate::public::routes(state)
        .merge(crate::inquiries::routes(state))
        .merge(crate::registration::routes(state))
        .merge(crate::auth::login::routes())
        .merge(crate::recovery::routes())
        .merge(crate::account::routes())
        .merge(crate::org::routes())
        .merge(crate::org::affiliation::routes())
        .merge(crate::sites::routes())
        .merge(crate::records::routes())
        .merge(crate::api::routes())
        .merge(crate::auth::staff::routes())
        .merge(crate::helpdesk::routes())
        .merge(crate::registration::screening::routes())
        .merge(crate::ops::routes())
        // Set last: it applies to every route registered before it.
        .method_not_allowed_fallback(|| async { WebError::MethodNotAllowed })
}
