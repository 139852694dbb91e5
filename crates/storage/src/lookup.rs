//! Finding accounts the way the helpdesk does: by name or フリガナ (folded for search), 生年月日,
//! employer and email — any combination.

use ccus_domain::profile::search_key;

use crate::accounts::{account_from_row, ACCOUNT_COLUMNS};
use crate::{Account, Result, Store};

/// A look-up; empty fields are ignored.
#[derive(Debug, Clone, Default)]
pub struct Lookup {
    /// 氏名 or フリガナ, any spacing, width or kana.
    pub name: String,
    /// `YYYY-MM-DD`.
    pub birth_date: String,
    /// The employer's name (a business account's name).
    pub employer: String,
    pub email: String,
}

fn like_pattern(key: &str) -> String {
    let escaped = key
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

impl Store {
    /// Candidate accounts for a look-up (at most `limit`). Without any criterion, none.
    pub async fn find_accounts(&self, q: &Lookup, limit: u32) -> Result<Vec<Account>> {
        let name = search_key(&q.name);
        let employer = search_key(&q.employer);
        let birth = q.birth_date.trim().to_owned();
        let email = q.email.trim().to_owned();
        if name.is_empty() && employer.is_empty() && birth.is_empty() && email.is_empty() {
            return Ok(Vec::new());
        }
        let rows = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts a LEFT JOIN accounts e ON e.id = a.employer_id \
             WHERE ($1 = '' OR a.name_key LIKE $2 ESCAPE '\\' OR a.furigana_key LIKE $2 ESCAPE '\\') \
               AND ($3 = '' OR a.birth_date = $3) \
               AND ($4 = '' OR e.name_key LIKE $5 ESCAPE '\\' OR e.furigana_key LIKE $5 ESCAPE '\\') \
               AND ($6 = '' OR LOWER(a.email) = LOWER($6)) \
             ORDER BY a.id LIMIT $7"
        ))
        .bind(&name)
        .bind(like_pattern(&name))
        .bind(&birth)
        .bind(&employer)
        .bind(like_pattern(&employer))
        .bind(&email)
        .bind(i64::from(limit))
        .fetch_all(self.db())
        .await?;
        rows.iter().map(account_from_row).collect()
    }
}
