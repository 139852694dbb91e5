//! What anyone may read without logging in: 「ログインできない方へ」.

pub mod guide;
