//! What anyone can open without logging in: the top page ([`top`]), お知らせ, よくある質問 and
//! お問い合わせ ([`info`]), the inquiry form ([`inquiry`]), and 「ログインできない方へ」 ([`guide`]).

mod guide;
mod info;
mod inquiry;
mod top;

use axum::Router;

use crate::AppState;

pub(super) fn routes(state: &AppState) -> Router<AppState> {
    top::routes()
        .merge(info::routes())
        .merge(inquiry::routes(state))
        .merge(guide::routes())
}
