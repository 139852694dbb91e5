//! What anyone can open without logging in: the top page ([`top`]), お知らせ, よくある質問 and
//! お問い合わせ ([`info`]), the inquiry form ([`inquiry`]), and 「ログインできない方へ」 ([`guide`]).

pub mod guide;
pub mod info;
pub mod top;
pub mod views;

use axum::Router;

use crate::AppState;

pub(crate) fn routes(_state: &AppState) -> Router<AppState> {
    top::routes().merge(info::routes()).merge(guide::routes())
}
