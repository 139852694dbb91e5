//! The look-ups anyone can trigger without logging in use an index, not a scan of millions of
//! accounts (checked with SQLite's query planner; PostgreSQL gets the same index). So do the
//! helpdesk's look-ups by name, 生年月日, employer and email, on both databases.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ccus_storage::{testdb, Store};
use sqlx::Row;

#[tokio::test]
async fn the_id_reminder_looks_up_the_email_by_index() {
    let url = testdb::sqlite_url();
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    store.close().await;
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&format!("{url}?mode=rwc"))
        .await
        .unwrap();
    let plan = sqlx::query(
        "EXPLAIN QUERY PLAN SELECT a.id FROM accounts a WHERE LOWER(a.email) = LOWER('x@example.jp')",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let detail: Vec<String> = plan
        .iter()
        .map(|r| r.try_get::<String, _>("detail").unwrap())
        .collect();
    assert!(
        detail.iter().any(|d| d.contains("accounts_email_lower")),
        "{detail:?}"
    );
}

/// Fills a database with `n` generated accounts (a twentieth of them businesses, the rest their
/// technicians) and a few rare ones, then lets the database gather statistics.
async fn fill(store: &Store, n: usize) {
    use ccus_domain::{AccountKind, LoginId, Timestamp};
    use ccus_storage::{NewAccount, Profile};
    use rand::{Rng, SeedableRng};

    const FAMILY: &[&str] = &[
        "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村",
    ];
    const GIVEN: &[&str] = &["太郎", "一郎", "健太", "花子", "美咲", "誠", "亮", "直樹"];
    const KANA: &[&str] = &[
        "サトウ",
        "スズキ",
        "タカハシ",
        "タナカ",
        "イトウ",
        "ワタナベ",
    ];
    let mut rng = rand::rngs::StdRng::seed_from_u64(1);
    let now = Timestamp(1_795_566_600_000);
    let mut pick = |list: &[&'static str]| list[rng.gen_range(0..list.len())];
    let account =
        |kind, name: String, furigana: String, birth: Option<String>, employer| NewAccount {
            login_id: LoginId::generate(kind, &mut rand::thread_rng()),
            name,
            email: format!("{}@example.jp", rand::thread_rng().gen::<u64>()),
            password_hash: "$argon2id$dummy".into(),
            security_code_hash: "$argon2id$code".into(),
            must_change_password: false,
            profile: Profile {
                furigana,
                birth_date: birth
                    .as_deref()
                    .and_then(ccus_domain::profile::parse_birth_date),
                employer_id: employer,
            },
        };
    let businesses: Vec<NewAccount> = (0..n / 20)
        .map(|_| {
            account(
                AccountKind::Business,
                format!("株式会社 {}建設", pick(FAMILY)),
                format!("カブシキガイシャ {}ケンセツ", pick(KANA)),
                None,
                None,
            )
        })
        .collect();
    store
        .accounts()
        .insert_accounts_bulk(&businesses, now)
        .await
        .unwrap();
    let employers = store
        .accounts()
        .account_ids_of_kind(AccountKind::Business, u32::MAX)
        .await
        .unwrap();
    let technicians: Vec<NewAccount> = (0..n - n / 20)
        .map(|i| {
            account(
                AccountKind::Technician,
                format!("{} {}", pick(FAMILY), pick(GIVEN)),
                format!("{} {}", pick(KANA), pick(KANA)),
                Some(format!("19{:02}-0{}-1{}", 50 + i % 50, 1 + i % 9, i % 10)),
                Some(employers[i % employers.len()]),
            )
        })
        .collect();
    store
        .accounts()
        .insert_accounts_bulk(&technicians, now)
        .await
        .unwrap();
    let rare = [
        account(
            AccountKind::Business,
            "有限会社 鬼瓦工務店".into(),
            "ユウゲンガイシャ オニガワラコウムテン".into(),
            None,
            None,
        ),
        account(
            AccountKind::Technician,
            "鬼瓦 権左衛門".into(),
            "オニガワラ ゴンザエモン".into(),
            Some("1970-07-07".into()),
            None,
        ),
    ];
    store
        .accounts()
        .insert_accounts_bulk(&rare, now)
        .await
        .unwrap();
}

/// Asserts that every look-up of the helpdesk starts from an index and reads no table whole.
async fn assert_lookups_use_indexes(store: &Store) {
    use ccus_storage::{Backend, Lookup};

    let q = |name: &str, birth_date: &str, employer: &str, email: &str| Lookup {
        name: name.into(),
        birth_date: birth_date.into(),
        employer: employer.into(),
        email: email.into(),
    };
    // The indexes a name of three characters or more, and a shorter one, is found by.
    let (anywhere, start) = match store.backend() {
        Backend::Sqlite => ("VIRTUAL TABLE", "accounts_by_name_key"),
        Backend::Postgres => ("_key_trgm", "_key_trgm"),
    };
    let (birth, email, employer) = (
        "accounts_by_birth_date",
        "accounts_email_lower",
        "accounts_by_employer",
    );
    // (look-up, the indexes it may start from)
    let cases = [
        (q("鬼瓦権左衛門", "", "", ""), vec![anywhere]),
        (q("ごんざえもん", "", "", ""), vec![anywhere]),
        (q("鬼", "", "", ""), vec![start]),
        (q("鬼瓦", "", "", ""), vec![start]),
        (q("", "1970-07-07", "", ""), vec![birth]),
        (q("鬼瓦", "1970-07-07", "", ""), vec![birth, start]),
        (q("", "", "", "x@example.jp"), vec![email]),
        (q("たなか", "", "", "x@example.jp"), vec![email]),
        (q("", "", "鬼瓦工務店", ""), vec![employer]),
        (q("", "", "鬼瓦", ""), vec![employer]),
        (
            q("ごんざえもん", "", "鬼瓦工務店", ""),
            vec![anywhere, employer],
        ),
    ];
    for (lookup, indexes) in cases {
        let plan = store
            .lookup()
            .explain_find_accounts(&lookup, 50)
            .await
            .unwrap();
        // A whole table read: SQLite's `SCAN a`, PostgreSQL's `Seq Scan`, or every account
        // in id order (the primary key walked with a filter).
        let scans = plan.iter().any(|line| {
            let line = line.trim_start_matches([' ', '-', '>', '|', '`']);
            line.starts_with("SCAN a")
                || line.starts_with("SCAN e")
                || line.contains("Seq Scan")
                || line.contains("accounts_pkey on accounts a ")
        });
        let indexed = plan
            .iter()
            .any(|line| indexes.iter().any(|index| line.contains(index)));
        assert!(
            !scans && indexed,
            "{lookup:?} should start from {indexes:?}: {plan:#?}"
        );
    }
}

/// The helpdesk's look-ups start from an index, whatever the combination of criteria: never a
/// scan of every account. Checked with the planner of each database on 20 000 accounts.
async fn lookups_use_indexes(url: &str) {
    use ccus_storage::Backend;

    let store = Store::connect(url).await.unwrap();
    store.migrate().await.unwrap();
    fill(&store, 20_000).await;
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(url).await.unwrap();
    match store.backend() {
        Backend::Sqlite => {
            // Without statistics, as the portal runs SQLite, and with them.
            assert_lookups_use_indexes(&store).await;
            sqlx::raw_sql("ANALYZE").execute(&pool).await.unwrap();
        }
        Backend::Postgres => {
            // PostgreSQL plans from statistics, and a GIN index keeps entries added in bulk in
            // a pending list until a vacuum merges them: both come with autovacuum in time.
            sqlx::raw_sql("VACUUM ANALYZE accounts")
                .execute(&pool)
                .await
                .unwrap();
        }
    }
    assert_lookups_use_indexes(&store).await;
    pool.close().await;
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lookups_use_indexes_on_sqlite() {
    lookups_use_indexes(&testdb::sqlite_url()).await;
}

#[ccus_test_macros::postgres_variant]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lookups_use_indexes_on_postgres() {
    match testdb::postgres_url().await {
        Some(url) => lookups_use_indexes(&url).await,
        None => eprintln!("skipped: {} is not set", testdb::POSTGRES_ENV),
    }
}
