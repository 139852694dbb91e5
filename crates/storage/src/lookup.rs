//! Finding accounts the way the helpdesk does: by name or フリガナ (folded for search), 生年月日,
//! employer and email — any combination.
//!
//! Names are compared on the folded keys `name_key` and `furigana_key` ([`search_key`]: NFKC,
//! no spaces, katakana as hiragana, lower case). A key of three characters or more matches
//! anywhere in a name; a shorter key matches the start of a name only. Spaces are removed, so
//! the family name starts the key: 「田中」 finds 「田中 太郎」, 「太郎」 does not (「たろう」 does).
//! The same rule applies to the employer's name.
//!
//! At CCUS size (millions of accounts) a look-up starts from an index, not from a scan:
//!
//! * SQLite: a trigram full-text index over the keys (`account_names`, kept in sync by
//!   triggers) finds the accounts containing a key of three characters or more, in id order;
//!   the B-tree indexes on the keys find those starting with a shorter key. Email and 生年月日
//!   have their own indexes. The query names one of these to start from — email, else
//!   生年月日 (each leaves a handful of accounts), else the name (intersected with the
//!   employer's technicians when both are given), else the employer — and the other criteria
//!   filter what it finds. An employer's name found in very many names (「株式会社」) is the
//!   exception: the accounts are read in id order until `limit` are found, which comes soon.
//! * PostgreSQL: trigram GIN indexes (`pg_trgm`) on the keys serve both `LIKE` forms, and the
//!   planner chooses where to start from its statistics (for a name found in very many
//!   accounts, reading them in id order until `limit` are found). The database's `LC_CTYPE`
//!   must be a UTF-8 locale for `pg_trgm` to index Japanese text (with `C`, the results are
//!   the same but the table is read).
//!
//! Either way the query holds only the criteria given (a condition such as `$1 = '' OR …` would
//! keep the planner from using an index), every value is bound, and `LIKE` on the keys decides
//! what matches, so the indexes only make it faster.

use ccus_domain::profile::search_key;
use sqlx::Row;

use crate::accounts::{account_from_row, ACCOUNT_COLUMNS};
use crate::{Account, Backend, Lookups, Result, Store};

/// A look-up; empty fields are ignored.
#[derive(Debug, Clone, Default)]
pub struct Lookup {
    /// 氏名 or フリガナ, any spacing, width or kana. Three characters or more match anywhere in
    /// the name, fewer match its start.
    pub name: String,
    /// `YYYY-MM-DD`.
    pub birth_date: String,
    /// The employer's name (a business account's name), matched like `name`.
    pub employer: String,
    pub email: String,
}

/// The shortest key matched anywhere in a name: trigram indexes need three characters.
const ANYWHERE_FROM: usize = 3;

/// How a folded key is compared with an account's keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyMatch<'k> {
    /// The key occurs anywhere in the name or フリガナ.
    Anywhere(&'k str),
    /// The name or フリガナ starts with the key.
    Start(&'k str),
}

/// On PostgreSQL, a name of this many characters or more is looked up through its trigram
/// index whatever the planner expects (see [`lookup_query`]).
const GIN_FIRST_FROM: usize = 4;

impl<'k> KeyMatch<'k> {
    fn of(key: &'k str) -> Option<Self> {
        if key.is_empty() {
            None
        } else if key.chars().count() >= ANYWHERE_FROM {
            Some(KeyMatch::Anywhere(key))
        } else {
            Some(KeyMatch::Start(key))
        }
    }

    /// The `LIKE` pattern (escape character `\`); `%` and `_` in the key are literal.
    fn like_pattern(self) -> String {
        let escape = |key: &str| {
            key.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        };
        match self {
            KeyMatch::Anywhere(key) => format!("%{}%", escape(key)),
            KeyMatch::Start(key) => format!("{}%", escape(key)),
        }
    }
}

/// The full-text query (FTS5) for the names containing `key`: one quoted string, which the
/// trigram tokenizer matches as a substring; no character of the key is query syntax.
fn fts_phrase(key: &str) -> String {
    format!("\"{}\"", key.replace('"', "\"\""))
}

/// The smallest string above every string that starts with `prefix`, in the order of code
/// points (SQLite's binary order of UTF-8 text); `None` when no string is above them.
fn prefix_end(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let next = match u32::from(last) + 1 {
            0xD800 => Some('\u{E000}'),
            n => char::from_u32(n),
        };
        if let Some(next) = next {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

/// A value bound to the query.
enum Arg {
    Text(String),
    Int(i64),
}

/// The bound values of a query being built; adding one returns its placeholder.
#[derive(Default)]
struct Args(Vec<Arg>);

impl Args {
    fn text(&mut self, value: impl Into<String>) -> String {
        self.0.push(Arg::Text(value.into()));
        format!("${}", self.0.len())
    }

    fn int(&mut self, value: i64) -> String {
        self.0.push(Arg::Int(value));
        format!("${}", self.0.len())
    }
}

/// The look-up's criteria, folded and trimmed; `None` when not given.
struct Criteria<'a> {
    name: Option<KeyMatch<'a>>,
    birth_date: Option<&'a str>,
    employer: Option<KeyMatch<'a>>,
    email: Option<&'a str>,
    /// SQLite, a look-up by employer alone: the employer's name is found in more than
    /// [`MANY_EMPLOYERS`] names.
    many_employers: bool,
}

/// SQLite, a look-up by employer alone: up to this many names found for the employer, their
/// technicians are gathered through `employer_id` and sorted; beyond it (「株式会社」) the
/// accounts are read in id order and each one's employer checked, as the first `limit` then
/// come soon.
const MANY_EMPLOYERS: i64 = 1000;

/// `alias`'s name or フリガナ matches `m` — the condition that decides, on both databases.
fn keys_match(args: &mut Args, alias: &str, m: KeyMatch<'_>) -> String {
    let p = args.text(m.like_pattern());
    format!("({alias}.name_key LIKE {p} ESCAPE '\\' OR {alias}.furigana_key LIKE {p} ESCAPE '\\')")
}

/// SQLite: `alias`'s name or フリガナ starts with `prefix`, as ranges of keys that the B-tree
/// indexes on the keys serve (SQLite's `LIKE` ignores ASCII case and so never uses them; the
/// keys are lower case, so the ranges find what `LIKE` does).
fn key_ranges(args: &mut Args, alias: &str, prefix: &str) -> String {
    let from = args.text(prefix);
    match prefix_end(prefix) {
        Some(end) => {
            let to = args.text(end);
            format!(
                "({alias}.name_key >= {from} AND {alias}.name_key < {to} \
                 OR {alias}.furigana_key >= {from} AND {alias}.furigana_key < {to})"
            )
        }
        None => format!("({alias}.name_key >= {from} OR {alias}.furigana_key >= {from})"),
    }
}

/// SQLite: `SELECT` of the ids of the accounts whose name or フリガナ may match `m`, read from
/// an index alone. The full-text index folds case, so it may find more than match, never
/// fewer; [`keys_match`] decides.
fn sqlite_candidate_ids(args: &mut Args, alias: &str, m: KeyMatch<'_>) -> String {
    match m {
        KeyMatch::Anywhere(key) => format!(
            "SELECT {alias}.rowid FROM account_names {alias} WHERE {alias}.account_names MATCH {}",
            args.text(fts_phrase(key))
        ),
        KeyMatch::Start(prefix) => format!(
            "SELECT {alias}.id FROM accounts {alias} WHERE {}",
            key_ranges(args, alias, prefix)
        ),
    }
}

/// SQLite: `SELECT` of the ids of the employers whose name or フリガナ matches `m`.
fn sqlite_employer_ids(args: &mut Args, m: KeyMatch<'_>) -> String {
    let filter = keys_match(args, "e", m);
    let ids = sqlite_candidate_ids(args, "ce", m);
    format!("SELECT e.id FROM accounts e WHERE e.id IN ({ids}) AND {filter}")
}

/// The query for `c` on `backend` and its bound values.
fn lookup_query(backend: Backend, c: &Criteria<'_>, limit: u32) -> (String, Args) {
    let mut args = Args::default();
    let mut from = "accounts a".to_owned();
    let mut order = "a.id".to_owned();
    let mut conditions = Vec::new();
    if let Some(email) = c.email {
        conditions.push(format!("LOWER(a.email) = LOWER({})", args.text(email)));
    }
    if let Some(birth_date) = c.birth_date {
        conditions.push(format!("a.birth_date = {}", args.text(birth_date)));
    }
    let narrowed = !conditions.is_empty();
    if let Some(name) = c.name {
        conditions.push(keys_match(&mut args, "a", name));
    }
    match backend {
        // The planner knows how many accounts each index would find…
        Backend::Postgres => {
            if let Some(employer) = c.employer {
                let filter = keys_match(&mut args, "e", employer);
                conditions.push(format!(
                    "a.employer_id IN (SELECT e.id FROM accounts e WHERE {filter})"
                ));
            }
            // …except for a name of four or more characters: its trigram estimate is far too
            // high, so the planner walks the accounts in id order hoping to meet 50 matches
            // soon, which reads hundreds of thousands of rows when the matches come late (78
            // ms against 15 ms at 2.65 M accounts). `a.id + 0` keeps it on the trigram index:
            // every match is found, then the first `limit` by id.
            if let Some(KeyMatch::Anywhere(key)) = c.name {
                if !narrowed && key.chars().count() >= GIN_FIRST_FROM {
                    order = "a.id + 0".to_owned();
                }
            }
        }
        // Email and 生年月日 leave a handful of accounts: SQLite starts from their index and
        // checks the names on those.
        Backend::Sqlite if narrowed => {
            if let Some(employer) = c.employer {
                let filter = keys_match(&mut args, "e", employer);
                conditions.push(format!(
                    "EXISTS (SELECT 1 FROM accounts e WHERE e.id = a.employer_id AND {filter})"
                ));
            }
        }
        // Otherwise the query names where SQLite starts: the name, the employer, or both.
        Backend::Sqlite => match (c.name, c.employer) {
            (Some(KeyMatch::Anywhere(key)), None) => {
                // The full-text index yields the accounts in id order: the first `limit`
                // found are the answer, the rest are never read.
                let phrase = args.text(fts_phrase(key));
                from = "account_names n JOIN accounts a ON a.id = n.rowid".to_owned();
                conditions.push(format!("n.account_names MATCH {phrase}"));
                order = "n.rowid".to_owned();
            }
            (Some(KeyMatch::Start(prefix)), None) => {
                conditions.push(key_ranges(&mut args, "a", prefix));
            }
            (Some(name), Some(employer)) => {
                let employers = sqlite_employer_ids(&mut args, employer);
                let staff =
                    format!("SELECT t.id FROM accounts t WHERE t.employer_id IN ({employers})");
                // Ids from two indexes, intersected before any account is read.
                let named = sqlite_candidate_ids(&mut args, "n", name);
                conditions.push(format!("a.id IN ({named} INTERSECT {staff})"));
            }
            (None, Some(employer)) if c.many_employers => {
                let filter = keys_match(&mut args, "e", employer);
                conditions.push(format!(
                    "EXISTS (SELECT 1 FROM accounts e WHERE e.id = a.employer_id AND {filter})"
                ));
            }
            (None, Some(employer)) => {
                let employers = sqlite_employer_ids(&mut args, employer);
                conditions.push(format!("a.employer_id IN ({employers})"));
            }
            // Not reached: a look-up without any criterion is not run.
            (None, None) => {}
        },
    }
    let limit = args.int(i64::from(limit));
    let sql = format!(
        "SELECT {ACCOUNT_COLUMNS} FROM {from} WHERE {} ORDER BY {order} LIMIT {limit}",
        conditions.join(" AND ")
    );
    (sql, args)
}

/// `sql` with `args` bound. Not kept as a prepared statement: PostgreSQL then plans each
/// look-up for its own values (a generic plan cannot tell a rare name from a common one).
fn bound(sql: &str, args: Args) -> sqlx::query::Query<'_, sqlx::Any, sqlx::any::AnyArguments<'_>> {
    let mut query = sqlx::query(sql).persistent(false);
    for arg in args.0 {
        query = match arg {
            Arg::Text(s) => query.bind(s),
            Arg::Int(n) => query.bind(n),
        };
    }
    query
}

impl Lookups<&Store> {
    /// Candidate accounts for a look-up (at most `limit`), in id order. Without any
    /// criterion, none.
    pub async fn find_accounts(self, q: &Lookup, limit: u32) -> Result<Vec<Account>> {
        let Some((sql, args)) = self.lookup_query(q, limit).await? else {
            return Ok(Vec::new());
        };
        let rows = bound(&sql, args).fetch_all(self.db()).await?;
        rows.iter().map(account_from_row).collect()
    }

    /// The query for a look-up; `None` without any criterion.
    async fn lookup_query(self, q: &Lookup, limit: u32) -> Result<Option<(String, Args)>> {
        // NUL is dropped: no name holds one (PostgreSQL refuses it in text) and FTS5 would
        // take it for the end of the query.
        let name = search_key(&q.name).replace('\0', "");
        let employer = search_key(&q.employer).replace('\0', "");
        let birth = q.birth_date.trim();
        let email = q.email.trim();
        let mut criteria = Criteria {
            name: KeyMatch::of(&name),
            birth_date: (!birth.is_empty()).then_some(birth),
            employer: KeyMatch::of(&employer),
            email: (!email.is_empty()).then_some(email),
            many_employers: false,
        };
        if criteria.name.is_none() && criteria.birth_date.is_none() && criteria.email.is_none() {
            let Some(employer) = criteria.employer else {
                return Ok(None);
            };
            if self.backend() == Backend::Sqlite {
                criteria.many_employers = self.many_names(employer).await?;
            }
        }
        Ok(Some(lookup_query(self.backend(), &criteria, limit)))
    }

    /// SQLite: whether the name indexes find `m` in more than [`MANY_EMPLOYERS`] names.
    async fn many_names(self, m: KeyMatch<'_>) -> Result<bool> {
        let mut args = Args::default();
        let ids = sqlite_candidate_ids(&mut args, "c", m);
        let cap = args.int(MANY_EMPLOYERS + 1);
        let sql = format!("SELECT COUNT(*) AS n FROM ({ids} LIMIT {cap})");
        let n: i64 = bound(&sql, args).fetch_one(self.db()).await?.try_get("n")?;
        Ok(n > MANY_EMPLOYERS)
    }

    /// How the database would run [`Lookups::find_accounts`]: the lines of SQLite's
    /// `EXPLAIN QUERY PLAN` or PostgreSQL's `EXPLAIN`. For tests that check the look-up uses
    /// the indexes.
    #[doc(hidden)]
    pub async fn explain_find_accounts(self, q: &Lookup, limit: u32) -> Result<Vec<String>> {
        let Some((sql, args)) = self.lookup_query(q, limit).await? else {
            return Ok(Vec::new());
        };
        let (explain, column) = match self.backend() {
            Backend::Sqlite => (format!("EXPLAIN QUERY PLAN {sql}"), "detail"),
            Backend::Postgres => (format!("EXPLAIN {sql}"), "QUERY PLAN"),
        };
        let rows = bound(&explain, args).fetch_all(self.db()).await?;
        rows.iter()
            .map(|r| Ok(r.try_get::<String, _>(column)?))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_keys_match_the_start_and_longer_ones_anywhere() {
        assert_eq!(KeyMatch::of(""), None);
        assert_eq!(KeyMatch::of("林"), Some(KeyMatch::Start("林")));
        assert_eq!(KeyMatch::of("田中"), Some(KeyMatch::Start("田中")));
        assert_eq!(KeyMatch::of("たなか"), Some(KeyMatch::Anywhere("たなか")));
        assert_eq!(KeyMatch::Start("a%").like_pattern(), "a\\%%");
        assert_eq!(KeyMatch::Anywhere("a_\\b").like_pattern(), "%a\\_\\\\b%");
    }

    #[test]
    fn the_full_text_query_is_one_quoted_string() {
        assert_eq!(fts_phrase("たなか"), "\"たなか\"");
        assert_eq!(fts_phrase("a\"b OR c*"), "\"a\"\"b OR c*\"");
    }

    #[test]
    fn the_end_of_a_prefix_range_is_the_next_string() {
        assert_eq!(prefix_end("田中").as_deref(), Some("田丮"));
        assert_eq!(prefix_end("a").as_deref(), Some("b"));
        assert_eq!(prefix_end("a\u{D7FF}").as_deref(), Some("a\u{E000}"));
        assert_eq!(prefix_end("a\u{10FFFF}").as_deref(), Some("b"));
        assert_eq!(prefix_end("\u{10FFFF}"), None);
    }
}
