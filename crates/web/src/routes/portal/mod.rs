//! The two login portals — 技能者 at `/ccus_skill/…`, 事業者 at `/ccus_owner/…` — with the same
//! pages: log in, home, アクセス履歴 and ログアウト ([`login`]); getting back in without help
//! ([`recovery`]); the account's own changes ([`account`]).

mod account;
mod affiliation;
mod login;
mod org;
mod recovery;

use axum::Router;

use crate::AppState;

pub(crate) use login::locked_notice;
pub(crate) use recovery::validate_new_password;

pub(super) fn routes() -> Router<AppState> {
    login::routes()
        .merge(recovery::routes())
        .merge(account::routes())
        .merge(org::routes())
        .merge(affiliation::routes())
}
