//! Logging in: the two portals' login, home, アクセス履歴 and ログアウト ([`login`]); the
//! helpdesk console's sign-in with its second factor, enrolment and passkeys ([`staff`]).

pub mod login;
pub mod staff;
pub mod views;
