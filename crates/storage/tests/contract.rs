//! The storage contract: every test runs against SQLite, and against PostgreSQL when
//! `CCUS_TEST_POSTGRES_URL` names a server (each test on a fresh database).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ccus_domain::{AccountId, MailId};
use std::time::Duration;

use ccus_domain::{
    AccessEventKind, AccountKind, AttemptDecision, LockoutPolicy, LoginId, Timestamp,
};
use std::collections::BTreeSet;

use ccus_storage::{
    testdb, AuditScope, Backend, ClientInfo, InquiryStatus, Lookup, MailStatus, MaintenanceWindow,
    NewAccount, NewAuditEntry, NewInquiry, NewInquiryFile, NewMail, NewStaff, Profile, StaffRole,
    Store, StoreError, TokenPurpose,
};
use sqlx::{AnyPool, Row};

/// A migrated store and the URL of its database, for cases that look past the [`Store`] (at
/// the schema itself).
struct Db {
    url: String,
    store: Store,
}

async fn sqlite_db() -> Option<Db> {
    let url = testdb::sqlite_url();
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    Some(Db { url, store })
}

async fn postgres_db() -> Option<Db> {
    let url = testdb::postgres_url().await?;
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    Some(Db { url, store })
}

async fn sqlite() -> Option<Store> {
    sqlite_db().await.map(|db| db.store)
}

async fn postgres() -> Option<Store> {
    postgres_db().await.map(|db| db.store)
}

/// A connection of our own to a test database (the store's pool is private).
async fn raw(url: &str) -> AnyPool {
    sqlx::any::install_default_drivers();
    AnyPool::connect(url).await.unwrap()
}

/// Cases that take a [`Store`], then cases that take a [`Db`]; each runs on SQLite and on
/// PostgreSQL.
macro_rules! contract {
    (stores: $($name:ident),* $(,)?; databases: $($db:ident),* $(,)?) => {
        mod on_sqlite {
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
               async fn $name() { super::$name(super::sqlite().await.unwrap()).await } )*
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
               async fn $db() { super::$db(super::sqlite_db().await.unwrap()).await } )*
        }
        mod on_postgres {
            $( #[ccus_test_macros::postgres_variant]
               #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
               async fn $name() {
                   match super::postgres().await {
                       Some(s) => super::$name(s).await,
                       None => eprintln!("skipped: {} is not set", ccus_storage::testdb::POSTGRES_ENV),
                   }
               } )*
            $( #[ccus_test_macros::postgres_variant]
               #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
               async fn $db() {
                   match super::postgres_db().await {
                       Some(db) => super::$db(db).await,
                       None => eprintln!("skipped: {} is not set", ccus_storage::testdb::POSTGRES_ENV),
                   }
               } )*
        }
    };
}

contract!(
    stores:
    accounts_are_created_once_and_found,
    migrations_are_idempotent,
    locks_at_threshold_and_unlocks,
    parallel_attempts_never_undercount_or_overshoot,
    address_attempts_count_per_window,
    sessions_live_and_die,
    access_history_is_newest_first_and_paginated,
    old_history_is_pruned_in_batches,
    secrets_are_shared,
    tokens_are_single_use_and_newer_voids_older,
    outbox_is_transactional_and_claims_are_exclusive,
    mail_claims_are_renewed_released_and_taken_over,
    a_hand_over_is_made_once_by_the_claim_holder_and_never_claimed_again,
    a_success_keeps_parallel_failures,
    devices_sessions_and_lookups,
    accounts_are_found_by_kana_birth_date_and_employer,
    short_names_match_the_start_longer_ones_anywhere,
    wildcards_and_quotes_in_a_name_are_literal,
    employer_birth_date_and_email_narrow_a_look_up,
    a_common_employer_name_finds_the_same_accounts,
    maintenance_notices_and_faq,
    staff_sessions_totp_steps_and_audit,
    inquiries_files_and_notes;
    databases:
    an_edited_migration_is_refused,
    migrations_applied_before_checksums_get_them,
    renamed_and_removed_accounts_are_found_by_their_current_names,
);

const T0: Timestamp = Timestamp(1_795_566_600_000);

fn id(kind: AccountKind) -> LoginId {
    LoginId::generate(kind, &mut rand::thread_rng())
}

fn new_account(login_id: &LoginId) -> NewAccount {
    NewAccount {
        login_id: login_id.clone(),
        name: "建設 太郎".into(),
        email: "taro@example.jp".into(),
        password_hash: "$argon2id$dummy".into(),
        security_code_hash: "$argon2id$code".into(),
        must_change_password: false,
        profile: Default::default(),
    }
}

fn client() -> ClientInfo {
    ClientInfo {
        address: "192.0.2.1".into(),
        user_agent: "Mozilla/5.0 Chrome/130.0".into(),
    }
}

async fn accounts_are_created_once_and_found(s: Store) {
    let lid = id(AccountKind::Technician);
    let a = s
        .accounts()
        .create_account(&new_account(&lid), T0)
        .await
        .unwrap();
    assert_eq!(a.kind(), AccountKind::Technician);
    let found = s
        .accounts()
        .account_by_login_id(&lid)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.id, a.id);
    assert_eq!(found.name, "建設 太郎");
    assert_eq!(found.created_at, T0);
    assert!(matches!(
        s.accounts().create_account(&new_account(&lid), T0).await,
        Err(StoreError::Conflict)
    ));
    assert!(s
        .accounts()
        .account_by_login_id(&id(AccountKind::Business))
        .await
        .unwrap()
        .is_none());
    s.accounts()
        .rehash_password(a.id, "$argon2id$new", T0)
        .await
        .unwrap();
    let found = s.accounts().credentials(&lid).await.unwrap().unwrap();
    assert_eq!(found.password_hash, "$argon2id$new");
    assert_eq!(
        s.accounts().password_hash(a.id).await.unwrap().as_deref(),
        Some("$argon2id$new")
    );
}

async fn migrations_are_idempotent(s: Store) {
    s.migrate().await.unwrap();
    s.migrate().await.unwrap();
    s.ping().await.unwrap();
}

fn policy() -> LockoutPolicy {
    LockoutPolicy {
        threshold: 5,
        duration: Duration::from_secs(1800),
        ..LockoutPolicy::default()
    }
}

async fn locks_at_threshold_and_unlocks(s: Store) {
    let lid = id(AccountKind::Business);
    let p = policy();
    for i in 1..=5 {
        let d = s
            .guards()
            .begin_attempt(lid.as_str(), &p, T0)
            .await
            .unwrap();
        match d {
            AttemptDecision::Proceed { locks_until, .. } => {
                assert_eq!(locks_until.is_some(), i == 5)
            }
            other => panic!("attempt {i}: {other:?}"),
        }
    }
    let until = T0.plus(Duration::from_secs(1800));
    assert_eq!(
        s.guards()
            .begin_attempt(lid.as_str(), &p, T0)
            .await
            .unwrap(),
        AttemptDecision::Locked { until }
    );
    // The lock ends by itself.
    assert!(matches!(
        s.guards()
            .begin_attempt(lid.as_str(), &p, until)
            .await
            .unwrap(),
        AttemptDecision::Proceed {
            locks_until: None,
            ..
        }
    ));
    // An unlock lifts a lock at once.
    for _ in 0..4 {
        s.guards()
            .begin_attempt(lid.as_str(), &p, until)
            .await
            .unwrap();
    }
    assert!(s
        .guards()
        .guard_state(lid.as_str())
        .await
        .unwrap()
        .is_locked(until));
    // The owner's own browser has a counter of its own; it is locked too, and another
    // ID's browser is not.
    s.recovery()
        .remember_device("dev-owner", lid.as_str(), until)
        .await
        .unwrap();
    s.recovery()
        .remember_device("dev-other", "29999999999999", until)
        .await
        .unwrap();
    for key in ["device:dev-owner", "device:dev-other"] {
        for _ in 0..5 {
            s.guards().begin_attempt(key, &p, until).await.unwrap();
        }
    }
    let devices = s.guards().device_locks(&lid, until).await.unwrap();
    assert_eq!(devices.count, 1);
    assert_eq!(
        devices.latest_until,
        Some(until.plus(Duration::from_secs(1800)))
    );
    let mut tx = s.begin().await.unwrap();
    let lifted = tx.guards().lift_locks(&lid, until).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        lifted,
        ccus_storage::LiftedLocks {
            id_was_locked: true,
            devices_were_locked: 1
        }
    );
    let mut tx = s.begin().await.unwrap();
    assert!(!tx.guards().lift_locks(&lid, until).await.unwrap().any());
    tx.commit().await.unwrap();
    assert_eq!(
        s.guards().guard_state(lid.as_str()).await.unwrap(),
        Default::default()
    );
    assert_eq!(
        s.guards().guard_state("device:dev-owner").await.unwrap(),
        Default::default()
    );
    assert!(s
        .guards()
        .guard_state("device:dev-other")
        .await
        .unwrap()
        .is_locked(until));
    assert_eq!(s.guards().device_locks(&lid, until).await.unwrap().count, 0);
    // A success clears the count.
    s.guards()
        .begin_attempt(lid.as_str(), &p, until)
        .await
        .unwrap();
    s.guards().clear_guard(lid.as_str()).await.unwrap();
    assert_eq!(
        s.guards().guard_state(lid.as_str()).await.unwrap().failures,
        0
    );
}

async fn parallel_attempts_never_undercount_or_overshoot(s: Store) {
    let lid = id(AccountKind::Technician);
    let p = policy();
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let (s, lid) = (s.clone(), lid.clone());
        tasks.push(tokio::spawn(async move {
            s.guards()
                .begin_attempt(lid.as_str(), &p, T0)
                .await
                .unwrap()
        }));
    }
    let mut proceeded = 0;
    let mut refused = 0;
    for t in tasks {
        match t.await.unwrap() {
            AttemptDecision::Proceed { .. } => proceeded += 1,
            AttemptDecision::Locked { .. } => refused += 1,
        }
    }
    assert_eq!(
        proceeded, 5,
        "exactly threshold attempts reach a password check"
    );
    assert_eq!(refused, 45);
    let st = s.guards().guard_state(lid.as_str()).await.unwrap();
    assert_eq!(
        u64::from(st.consecutive) + st.refused,
        50,
        "every attempt counted"
    );
    assert!(st.is_locked(T0));
}

async fn address_attempts_count_per_window(s: Store) {
    let w = Duration::from_secs(600);
    for n in 1..=3 {
        assert_eq!(
            s.guards().hit_window("198.51.100.7", w, T0).await.unwrap(),
            n
        );
    }
    s.guards().release_window("198.51.100.7").await.unwrap();
    assert_eq!(
        s.guards().hit_window("198.51.100.7", w, T0).await.unwrap(),
        3
    );
    assert_eq!(
        s.guards().hit_window("198.51.100.8", w, T0).await.unwrap(),
        1
    );
    // A new window starts over.
    let later = T0.plus(w);
    assert_eq!(
        s.guards()
            .hit_window("198.51.100.7", w, later)
            .await
            .unwrap(),
        1
    );
    // Parallel reservations are all counted.
    let mut tasks = Vec::new();
    for _ in 0..30 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            s.guards().hit_window("203.0.113.9", w, T0).await.unwrap()
        }));
    }
    let mut seen = Vec::new();
    for t in tasks {
        seen.push(t.await.unwrap());
    }
    seen.sort_unstable();
    assert_eq!(seen, (1..=30).collect::<Vec<u64>>());
}

async fn sessions_live_and_die(s: Store) {
    let lid = id(AccountKind::Technician);
    let a = s
        .accounts()
        .create_account(&new_account(&lid), T0)
        .await
        .unwrap();
    s.sessions()
        .create_session("hash-1", a.id, &client(), T0)
        .await
        .unwrap();
    s.sessions()
        .create_session("hash-2", a.id, &client(), T0)
        .await
        .unwrap();
    let got = s.sessions().session("hash-1").await.unwrap().unwrap();
    assert_eq!(got.account.id, a.id);
    assert_eq!(got.last_seen_at, T0);
    let later = T0.plus(Duration::from_secs(90));
    s.sessions().touch_session("hash-1", later).await.unwrap();
    assert_eq!(
        s.sessions()
            .session("hash-1")
            .await
            .unwrap()
            .unwrap()
            .last_seen_at,
        later
    );
    assert!(s.sessions().session("nope").await.unwrap().is_none());
    assert!(s.sessions().delete_session("hash-1").await.unwrap());
    assert!(!s.sessions().delete_session("hash-1").await.unwrap());
    assert_eq!(s.sessions().delete_sessions_of(a.id).await.unwrap(), 1);
    s.sessions()
        .create_session("hash-3", a.id, &client(), T0)
        .await
        .unwrap();
    assert_eq!(
        s.sessions()
            .delete_expired_sessions(later, T0)
            .await
            .unwrap(),
        1
    );
    // ログアウト ends a session and remembers it, by hash, until pruned.
    s.sessions()
        .create_session("hash-4", a.id, &client(), T0)
        .await
        .unwrap();
    let mut tx = s.begin().await.unwrap();
    assert!(tx
        .sessions()
        .log_out_session("hash-4", later)
        .await
        .unwrap());
    assert!(!tx
        .sessions()
        .log_out_session("hash-4", later)
        .await
        .unwrap());
    tx.commit().await.unwrap();
    assert!(s.sessions().session("hash-4").await.unwrap().is_none());
    assert!(s.sessions().ended_by_logout("hash-4").await.unwrap());
    assert!(
        !s.sessions().ended_by_logout("hash-1").await.unwrap(),
        "deleted, not logged out"
    );
    assert_eq!(s.sessions().prune_ended_sessions(later).await.unwrap(), 0);
    assert_eq!(
        s.sessions()
            .prune_ended_sessions(later.plus(Duration::from_millis(1)))
            .await
            .unwrap(),
        1
    );
    assert!(!s.sessions().ended_by_logout("hash-4").await.unwrap());
}

async fn access_history_is_newest_first_and_paginated(s: Store) {
    let lid = id(AccountKind::Business);
    // An event from before the account existed is never shown to it.
    s.history()
        .record_event(
            &lid,
            AccessEventKind::LoginFailure,
            &client(),
            Timestamp(T0.0 - 1),
        )
        .await
        .unwrap();
    let a = s
        .accounts()
        .create_account(&new_account(&lid), T0)
        .await
        .unwrap();
    let kinds = [
        AccessEventKind::LoginFailure,
        AccessEventKind::Locked,
        AccessEventKind::Unlocked,
        AccessEventKind::LoginSuccess,
        AccessEventKind::Logout,
    ];
    for (i, k) in kinds.iter().enumerate() {
        s.history()
            .record_event(&lid, *k, &client(), Timestamp(T0.0 + i as i64))
            .await
            .unwrap();
    }
    assert_eq!(s.history().access_history_len(&a).await.unwrap(), 5);
    let page1 = s.history().access_history(&a, 0, 2).await.unwrap();
    assert_eq!(
        page1.iter().map(|e| e.kind).collect::<Vec<_>>(),
        vec![AccessEventKind::Logout, AccessEventKind::LoginSuccess]
    );
    let page3 = s.history().access_history(&a, 4, 2).await.unwrap();
    assert_eq!(page3.len(), 1);
    assert_eq!(page3[0].kind, AccessEventKind::LoginFailure);
    assert_eq!(page3[0].client_address, "192.0.2.1");
}

async fn secrets_are_shared(s: Store) {
    let a = s.secret("csrf", || "first".into()).await.unwrap();
    let b = s.secret("csrf", || "second".into()).await.unwrap();
    assert_eq!(a, "first");
    assert_eq!(b, "first");
}

async fn tokens_are_single_use_and_newer_voids_older(s: Store) {
    let lid = id(AccountKind::Technician);
    let a = s
        .accounts()
        .create_account(&new_account(&lid), T0)
        .await
        .unwrap();
    let exp = T0.plus(Duration::from_secs(1800));
    let mut tx = s.begin().await.unwrap();
    tx.recovery()
        .create_token("old", TokenPurpose::Reset, a.id, None, T0, exp)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut tx = s.begin().await.unwrap();
    tx.recovery()
        .create_token("new", TokenPurpose::Reset, a.id, None, T0, exp)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(
        s.recovery()
            .peek_token("old", TokenPurpose::Reset, T0)
            .await
            .unwrap()
            .is_none(),
        "newer voids older"
    );
    assert!(
        s.recovery()
            .peek_token("new", TokenPurpose::Unlock, T0)
            .await
            .unwrap()
            .is_none(),
        "purpose checked"
    );
    assert!(
        s.recovery()
            .peek_token("new", TokenPurpose::Reset, exp)
            .await
            .unwrap()
            .is_none(),
        "expired"
    );
    assert_eq!(
        s.recovery()
            .peek_token("new", TokenPurpose::Reset, T0)
            .await
            .unwrap()
            .unwrap()
            .account
            .id,
        a.id
    );
    // Two simultaneous uses: exactly one wins.
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            let mut tx = s.begin().await.unwrap();
            let got = tx
                .recovery()
                .consume_token("new", TokenPurpose::Reset, T0)
                .await
                .unwrap()
                .is_some();
            tx.commit().await.unwrap();
            got
        }));
    }
    let mut wins = 0;
    for t in tasks {
        if t.await.unwrap() {
            wins += 1;
        }
    }
    assert_eq!(wins, 1);
    // A token with a new address carries it.
    let mut tx = s.begin().await.unwrap();
    tx.recovery()
        .create_token(
            "mail",
            TokenPurpose::EmailChange,
            a.id,
            Some("new@example.jp"),
            T0,
            exp,
        )
        .await
        .unwrap();
    let t = tx
        .recovery()
        .consume_token("mail", TokenPurpose::EmailChange, T0)
        .await
        .unwrap()
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(t.new_email.as_deref(), Some("new@example.jp"));
}

fn mail(n: u32) -> NewMail {
    NewMail {
        to: format!("user{n}@example.jp"),
        subject: "件名".into(),
        body: "本文".into(),
    }
}

async fn outbox_is_transactional_and_claims_are_exclusive(s: Store) {
    // A rolled-back transaction queues nothing.
    let mut tx = s.begin().await.unwrap();
    tx.outbox().enqueue_mail(&mail(0), T0).await.unwrap();
    drop(tx);
    assert!(s.outbox().list_mail(None, 10).await.unwrap().is_empty());
    let mut tx = s.begin().await.unwrap();
    for n in 0..30 {
        tx.outbox().enqueue_mail(&mail(n), T0).await.unwrap();
    }
    tx.commit().await.unwrap();
    // Parallel claimers never get the same mail.
    let mut tasks = Vec::new();
    for _ in 0..6 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            s.outbox()
                .claim_mail(T0, Duration::from_secs(60), 7, "w")
                .await
                .unwrap()
        }));
    }
    let mut ids = Vec::new();
    for t in tasks {
        ids.extend(t.await.unwrap().into_iter().map(|m| m.id));
    }
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "no mail claimed twice");
    assert_eq!(n, 30);
    // Claimed mail is not due again until its lease ends.
    assert!(s
        .outbox()
        .claim_mail(T0, Duration::from_secs(60), 50, "w")
        .await
        .unwrap()
        .is_empty());
    let later = T0.plus(Duration::from_secs(61));
    let again = s
        .outbox()
        .claim_mail(later, Duration::from_secs(60), 1, "w")
        .await
        .unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].attempts, 2);
    s.outbox().mark_mail_sent(again[0].id, later).await.unwrap();
    s.outbox()
        .mark_mail_failed(
            ids[1],
            "smtp down",
            Some(later.plus(Duration::from_secs(30))),
        )
        .await
        .unwrap();
    s.outbox()
        .mark_mail_failed(ids[2], "bad address", None)
        .await
        .unwrap();
    let sent = s
        .outbox()
        .list_mail(Some(MailStatus::Sent), 50)
        .await
        .unwrap();
    assert_eq!(sent.len(), 1);
    let failed = s
        .outbox()
        .list_mail(Some(MailStatus::Failed), 50)
        .await
        .unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].last_error.as_deref(), Some("bad address"));
    assert!(s.outbox().requeue_mail(ids[2], later).await.unwrap());
    assert!(!s
        .outbox()
        .requeue_mail(MailId::new(999_999), later)
        .await
        .unwrap());
}

async fn mail_claims_are_renewed_released_and_taken_over(s: Store) {
    let lease = Duration::from_secs(30);
    let mut tx = s.begin().await.unwrap();
    for n in 0..3 {
        tx.outbox().enqueue_mail(&mail(n), T0).await.unwrap();
    }
    tx.commit().await.unwrap();
    // Instance "a" claims two mails, "b" the third.
    let a = s.outbox().claim_mail(T0, lease, 2, "a").await.unwrap();
    assert_eq!(a.len(), 2);
    let b = s.outbox().claim_mail(T0, lease, 5, "b").await.unwrap();
    assert_eq!(b.len(), 1);
    // "a" renews while it sends: past its first lease, nobody can take its mails.
    let t1 = T0.plus(Duration::from_secs(20));
    assert_eq!(
        s.outbox()
            .renew_mail_claims("a", t1.plus(lease))
            .await
            .unwrap(),
        2
    );
    let t2 = T0.plus(Duration::from_secs(40));
    let taken = s.outbox().claim_mail(t2, lease, 5, "c").await.unwrap();
    assert_eq!(
        taken.iter().map(|m| m.id).collect::<Vec<_>>(),
        vec![b[0].id],
        "only the unrenewed claim lapsed and was taken over"
    );
    // A finished mail is no longer held, so it is not renewed.
    s.outbox().mark_mail_sent(a[0].id, t2).await.unwrap();
    assert_eq!(
        s.outbox()
            .renew_mail_claims("a", t2.plus(lease))
            .await
            .unwrap(),
        1
    );
    // "a" restarts: it releases its own claim at once, without waiting for the lease;
    // another instance's claims stay.
    assert_eq!(s.outbox().release_mail_claims("a").await.unwrap(), 1);
    let again = s.outbox().claim_mail(t2, lease, 5, "a").await.unwrap();
    assert_eq!(
        again.iter().map(|m| m.id).collect::<Vec<_>>(),
        vec![a[1].id]
    );
    assert_eq!(again[0].attempts, 2);
    assert_eq!(s.outbox().release_mail_claims("nobody").await.unwrap(), 0);
    assert!(s
        .outbox()
        .claim_mail(t2, lease, 5, "d")
        .await
        .unwrap()
        .is_empty());
}

async fn a_hand_over_is_made_once_by_the_claim_holder_and_never_claimed_again(s: Store) {
    let lease = Duration::from_secs(30);
    let mut tx = s.begin().await.unwrap();
    for n in 0..3 {
        tx.outbox().enqueue_mail(&mail(n), T0).await.unwrap();
    }
    tx.commit().await.unwrap();
    let a = s.outbox().claim_mail(T0, lease, 2, "a").await.unwrap();
    let b = s.outbox().claim_mail(T0, lease, 5, "b").await.unwrap();
    let (m1, m2, m3) = (a[0].id, a[1].id, b[0].id);
    // Only the holder of the claim hands a mail over, and only once.
    assert!(!s.outbox().hand_over_mail(m1, "b", T0, None).await.unwrap());
    assert!(s
        .outbox()
        .hand_over_mail(m1, "a", T0, Some("m1.eml"))
        .await
        .unwrap());
    assert!(!s.outbox().hand_over_mail(m1, "a", T0, None).await.unwrap());
    // A handed-over mail is held (renewed) but neither released nor claimed again.
    assert_eq!(
        s.outbox()
            .renew_mail_claims("a", T0.plus(lease))
            .await
            .unwrap(),
        2
    );
    let later = T0.plus(lease * 3);
    let taken = s.outbox().claim_mail(later, lease, 5, "c").await.unwrap();
    assert_eq!(
        taken.iter().map(|m| m.id).collect::<Vec<_>>(),
        vec![m2, m3],
        "the lapsed claims are taken over, the hand-over is not"
    );
    // A worker whose claim was taken over can no longer hand the mail over.
    assert!(!s
        .outbox()
        .hand_over_mail(m2, "a", later, None)
        .await
        .unwrap());
    assert_eq!(s.outbox().release_mail_claims("a").await.unwrap(), 0);
    // Unfinished hand-overs: a restarted "a" sees its own at once, others after the lease.
    let own = s.outbox().unfinished_hand_overs("a", T0).await.unwrap();
    assert_eq!(own.len(), 1);
    assert_eq!((own[0].id, own[0].by.as_str()), (m1, "a"));
    assert_eq!(own[0].mail_file.as_deref(), Some("m1.eml"));
    assert!(s
        .outbox()
        .unfinished_hand_overs("z", T0)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        s.outbox()
            .unfinished_hand_overs("z", later)
            .await
            .unwrap()
            .len(),
        1
    );
    // Settled: handed over, unconfirmed, with the reason, and nobody's any more.
    s.outbox()
        .settle_hand_over(m1, "interrupted")
        .await
        .unwrap();
    assert!(s
        .outbox()
        .unfinished_hand_overs("a", later)
        .await
        .unwrap()
        .is_empty());
    let unconfirmed = s
        .outbox()
        .list_mail(Some(MailStatus::HandedOver), 10)
        .await
        .unwrap();
    assert_eq!(unconfirmed.len(), 1);
    assert_eq!(unconfirmed[0].last_error.as_deref(), Some("interrupted"));
    assert_eq!(unconfirmed[0].handed_over_at, Some(T0));
    assert!(s
        .outbox()
        .claim_mail(later, lease, 5, "d")
        .await
        .unwrap()
        .is_empty());
    // Refused at the end of the transport: back to pending, the hand-over forgotten.
    assert!(s
        .outbox()
        .hand_over_mail(m3, "c", later, None)
        .await
        .unwrap());
    s.outbox()
        .mark_mail_failed(m3, "451 try later", Some(later))
        .await
        .unwrap();
    let retried = s.outbox().claim_mail(later, lease, 5, "c").await.unwrap();
    assert_eq!(retried.iter().map(|m| m.id).collect::<Vec<_>>(), vec![m3]);
    assert!(s
        .outbox()
        .hand_over_mail(m3, "c", later, None)
        .await
        .unwrap());
    s.outbox().mark_mail_sent(m3, later).await.unwrap();
    // An operator resends the unconfirmed one.
    assert!(s.outbox().requeue_mail(m1, later).await.unwrap());
    let resent = s.outbox().claim_mail(later, lease, 5, "c").await.unwrap();
    assert_eq!(resent.iter().map(|m| m.id).collect::<Vec<_>>(), vec![m1]);
}

async fn a_success_keeps_parallel_failures(s: Store) {
    let lid = id(AccountKind::Business);
    let p = policy();
    let mine = match s
        .guards()
        .begin_attempt(lid.as_str(), &p, T0)
        .await
        .unwrap()
    {
        AttemptDecision::Proceed { ticket, .. } => ticket,
        other => panic!("{other:?}"),
    };
    for _ in 0..4 {
        s.guards()
            .begin_attempt(lid.as_str(), &p, T0)
            .await
            .unwrap();
    }
    assert!(s
        .guards()
        .guard_state(lid.as_str())
        .await
        .unwrap()
        .is_locked(T0));
    s.guards()
        .settle_success(lid.as_str(), &p, mine)
        .await
        .unwrap();
    let st = s.guards().guard_state(lid.as_str()).await.unwrap();
    assert_eq!(st.consecutive, 4);
    assert!(st.is_locked(T0), "the others' lock stands");
    // Alone, a success clears everything.
    let other = id(AccountKind::Business);
    let t = match s
        .guards()
        .begin_attempt(other.as_str(), &p, T0)
        .await
        .unwrap()
    {
        AttemptDecision::Proceed { ticket, .. } => ticket,
        d => panic!("{d:?}"),
    };
    s.guards()
        .settle_success(other.as_str(), &p, t)
        .await
        .unwrap();
    assert_eq!(
        s.guards().guard_state(other.as_str()).await.unwrap(),
        Default::default()
    );
}

async fn devices_sessions_and_lookups(s: Store) {
    let lid = id(AccountKind::Technician);
    let a = s
        .accounts()
        .create_account(&new_account(&lid), T0)
        .await
        .unwrap();
    s.recovery()
        .remember_device("dev", lid.as_str(), T0)
        .await
        .unwrap();
    assert_eq!(
        s.recovery()
            .device_login_id("dev")
            .await
            .unwrap()
            .as_deref(),
        Some(lid.as_str())
    );
    assert!(s
        .recovery()
        .device_login_id("nope")
        .await
        .unwrap()
        .is_none());
    let found = s
        .recovery()
        .accounts_by_email("TARO@example.jp")
        .await
        .unwrap();
    assert!(found.iter().any(|f| f.id == a.id));
    s.sessions()
        .create_session("h1", a.id, &client(), T0)
        .await
        .unwrap();
    s.sessions()
        .create_session("h2", a.id, &client(), T0.plus(Duration::from_secs(5)))
        .await
        .unwrap();
    let list = s.sessions().sessions_of(a.id).await.unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].token_hash, "h2", "most recent first");
    let mut tx = s.begin().await.unwrap();
    assert_eq!(
        tx.sessions()
            .delete_sessions_of(a.id, Some("h2"))
            .await
            .unwrap(),
        1
    );
    tx.accounts()
        .set_email(a.id, "new@example.jp", T0)
        .await
        .unwrap();
    tx.accounts()
        .set_password(a.id, "$argon2id$x", true, T0)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let again = s
        .accounts()
        .account_by_login_id(&lid)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.email, "new@example.jp");
    assert!(again.must_change_password);
    assert_eq!(s.sessions().sessions_of(a.id).await.unwrap().len(), 1);
    assert_eq!(
        s.accounts().security_code_hash(a.id).await.unwrap(),
        "$argon2id$code"
    );
}

async fn accounts_are_found_by_kana_birth_date_and_employer(s: Store) {
    let company = NewAccount {
        name: "株式会社 見本建設".into(),
        profile: Profile {
            furigana: "カブシキガイシャ ミホンケンセツ".into(),
            ..Default::default()
        },
        ..new_account(&id(AccountKind::Business))
    };
    let company = s.accounts().create_account(&company, T0).await.unwrap();
    let worker = NewAccount {
        name: "建設 太郎".into(),
        profile: Profile {
            furigana: "ケンセツ タロウ".into(),
            birth_date: ccus_domain::profile::parse_birth_date("1985-04-01"),
            employer_id: Some(company.id),
        },
        ..new_account(&id(AccountKind::Technician))
    };
    let worker = s.accounts().create_account(&worker, T0).await.unwrap();
    assert_eq!(worker.profile.employer_id, Some(company.id));
    let find = |name: &str, birth: &str, employer: &str| Lookup {
        name: name.into(),
        birth_date: birth.into(),
        employer: employer.into(),
        email: String::new(),
    };
    for q in ["けんせつ　たろう", "ｹﾝｾﾂﾀﾛｳ", "建設太郎", "タロウ"] {
        let got = s
            .lookup()
            .find_accounts(&find(q, "", ""), 10)
            .await
            .unwrap();
        assert!(got.iter().any(|a| a.id == worker.id), "{q}");
    }
    let got = s
        .lookup()
        .find_accounts(&find("", "1985-04-01", "みほんけんせつ"), 10)
        .await
        .unwrap();
    assert_eq!(
        got.iter().map(|a| a.id).collect::<Vec<_>>(),
        vec![worker.id]
    );
    assert!(s
        .lookup()
        .find_accounts(&find("たろう", "1990-01-01", ""), 10)
        .await
        .unwrap()
        .is_empty());
    assert!(
        s.lookup()
            .find_accounts(&find("%", "", ""), 10)
            .await
            .unwrap()
            .is_empty(),
        "wildcards are literal"
    );
    assert!(s
        .lookup()
        .find_accounts(&Lookup::default(), 10)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        s.accounts()
            .account_by_id(worker.id)
            .await
            .unwrap()
            .unwrap()
            .profile
            .birth_date
            .map(ccus_domain::profile::format_date)
            .as_deref(),
        Some("1985-04-01")
    );
}

/// Creates an account with a name, a フリガナ and the rest of the profile; returns its id.
async fn person(s: &Store, kind: AccountKind, name: &str, furigana: &str, profile: Profile) -> i64 {
    let new = NewAccount {
        name: name.into(),
        profile: Profile {
            furigana: furigana.into(),
            ..profile
        },
        ..new_account(&id(kind))
    };
    (s.accounts().create_account(&new, T0).await.unwrap().id).get()
}

/// The ids a look-up finds (at most 50).
async fn found(s: &Store, q: Lookup) -> Vec<i64> {
    s.lookup()
        .find_accounts(&q, 50)
        .await
        .unwrap()
        .iter()
        .map(|a| a.id.get())
        .collect()
}

fn by_name(name: &str) -> Lookup {
    Lookup {
        name: name.into(),
        ..Lookup::default()
    }
}

async fn short_names_match_the_start_longer_ones_anywhere(s: Store) {
    let t = AccountKind::Technician;
    let tanaka = person(&s, t, "田中 太郎", "タナカ タロウ", Profile::default()).await;
    let yamada = person(&s, t, "山田 中也", "ヤマダ ナカヤ", Profile::default()).await;
    let hayashi = person(&s, t, "林 誠", "ハヤシ マコト", Profile::default()).await;
    let cases: &[(&str, &[i64])] = &[
        // Fewer than three characters: the start of the name or フリガナ.
        ("田中", &[tanaka]),
        ("林", &[hayashi]),
        ("林誠", &[hayashi]),
        ("はや", &[hayashi]),
        ("ﾊﾔ", &[hayashi]),
        ("太郎", &[]),
        ("やし", &[]),
        // Three or more: anywhere.
        ("田中也", &[yamada]),
        ("中太郎", &[tanaka]),
        ("かたろ", &[tanaka]),
        ("たろう", &[tanaka]),
        ("ハヤシマコト", &[hayashi]),
        ("ﾀﾅｶ ﾀﾛｳ", &[tanaka]),
        ("タナカ　タロウ", &[tanaka]),
        ("ＴＡＮＡＫＡ", &[]),
        ("なか", &[]),
        ("なかや", &[yamada]),
        ("田中 太郎 様", &[]),
        // NUL is no character of any name.
        ("田中\0太郎", &[tanaka]),
        ("\0", &[]),
    ];
    for (q, want) in cases {
        assert_eq!(found(&s, by_name(q)).await, *want, "{q}");
    }
}

async fn wildcards_and_quotes_in_a_name_are_literal(s: Store) {
    let b = AccountKind::Business;
    let odd = person(
        &s,
        b,
        "100%\"品質\"_建設",
        "ヒャク パーセント",
        Profile::default(),
    )
    .await;
    let plain = person(
        &s,
        b,
        "1000 品質 建設",
        "センヒンシツケンセツ",
        Profile::default(),
    )
    .await;
    let other = person(&s, b, "見本建設", "ミホンケンセツ", Profile::default()).await;
    let cases: &[(&str, &[i64])] = &[
        ("10", &[odd, plain]),
        ("%", &[]),
        ("1%", &[]),
        ("0%\"", &[odd]),
        ("100", &[odd, plain]),
        ("100%", &[odd]),
        ("\"品質\"", &[odd]),
        ("_建設", &[odd]),
        ("品質建設", &[plain]),
        ("本建設", &[other]),
        // Full-text query syntax is text like any other.
        ("品質\" OR \"建設", &[]),
        ("品質 OR 建設", &[]),
        ("建設*", &[]),
    ];
    for (q, want) in cases {
        assert_eq!(found(&s, by_name(q)).await, *want, "{q}");
    }
}

async fn employer_birth_date_and_email_narrow_a_look_up(s: Store) {
    let (b, t) = (AccountKind::Business, AccountKind::Technician);
    let mihon = person(
        &s,
        b,
        "株式会社 見本建設",
        "カブシキガイシャ ミホンケンセツ",
        Profile::default(),
    )
    .await;
    let kogyo = person(
        &s,
        b,
        "見本工業 株式会社",
        "ミホンコウギョウ カブシキガイシャ",
        Profile::default(),
    )
    .await;
    let worker = |birth: &str, employer: i64| Profile {
        birth_date: ccus_domain::profile::parse_birth_date(birth),
        employer_id: Some(AccountId::new(employer)),
        ..Profile::default()
    };
    let w1 = person(
        &s,
        t,
        "建設 太郎",
        "ケンセツ タロウ",
        worker("1985-04-01", mihon),
    )
    .await;
    let w2 = person(
        &s,
        t,
        "建設 次郎",
        "ケンセツ ジロウ",
        worker("1985-04-01", kogyo),
    )
    .await;
    let w3 = NewAccount {
        name: "建設 太郎".into(),
        email: "Taro3@Example.jp".into(),
        profile: Profile {
            furigana: "ケンセツ タロウ".into(),
            ..worker("1990-01-01", kogyo)
        },
        ..new_account(&id(t))
    };
    let w3 = s.accounts().create_account(&w3, T0).await.unwrap().id;
    let q = |name: &str, birth_date: &str, employer: &str, email: &str| Lookup {
        name: name.into(),
        birth_date: birth_date.into(),
        employer: employer.into(),
        email: email.into(),
    };
    let cases: &[(Lookup, &[i64])] = &[
        (q("", "", "見本建設", ""), &[w1]),
        (q("", "", "みほん", ""), &[w1, w2, w3.get()]),
        (q("", "", "見本", ""), &[w2, w3.get()]),
        (q("", "", "株式", ""), &[w1]),
        (q("", "", "ｶﾌﾞｼｷｶﾞｲｼｬ", ""), &[w1, w2, w3.get()]),
        (q("", "", "存在しない会社", ""), &[]),
        (q("建設太郎", "1985-04-01", "", ""), &[w1]),
        (q("建設", "1985-04-01", "", ""), &[w1, w2]),
        (q("設太郎", "1990-01-01", "", ""), &[w3.get()]),
        (q("太郎", "1985-04-01", "", ""), &[]),
        (q("", "1985-04-01", "", ""), &[w1, w2]),
        (q("たろう", "", "みほんこうぎょう", ""), &[w3.get()]),
        (q("建設", "", "見本", ""), &[w2, w3.get()]),
        (q("けんせつ", "", "株式", ""), &[w1]),
        (q("", "1985-04-01", "見本建設", ""), &[w1]),
        (q("", "", "", "taro3@example.JP"), &[w3.get()]),
        (q("じろう", "", "", "taro3@example.jp"), &[]),
        (q("", "", "見本工業", "taro3@example.jp"), &[w3.get()]),
        (
            q("けんせつ", "1990-01-01", "見本", "taro3@example.jp"),
            &[w3.get()],
        ),
        // Businesses are found by their own names too, in id order.
        (q("けんせつ", "", "", ""), &[mihon, w1, w2, w3.get()]),
    ];
    for (lookup, want) in cases {
        assert_eq!(found(&s, lookup.clone()).await, *want, "{lookup:?}");
    }
    let first_two = s
        .lookup()
        .find_accounts(&by_name("けんせつ"), 2)
        .await
        .unwrap();
    assert_eq!(
        first_two.iter().map(|a| a.id.get()).collect::<Vec<_>>(),
        vec![mihon, w1]
    );
    let first_two = s.lookup().find_accounts(&by_name("建設"), 2).await.unwrap();
    assert_eq!(
        first_two.iter().map(|a| a.id.get()).collect::<Vec<_>>(),
        vec![w1, w2]
    );
}

/// An employer's name shared by more businesses than the look-up gathers technicians for
/// (「有限会社」) is looked up another way, with the same answer.
async fn a_common_employer_name_finds_the_same_accounts(s: Store) {
    let businesses: Vec<NewAccount> = (0..1100)
        .map(|n| NewAccount {
            name: format!("有限会社 見本{n}"),
            profile: Profile {
                furigana: "ユウゲンガイシャ ミホン".into(),
                ..Profile::default()
            },
            ..new_account(&id(AccountKind::Business))
        })
        .collect();
    s.accounts()
        .insert_accounts_bulk(&businesses, T0)
        .await
        .unwrap();
    let employers = s
        .accounts()
        .account_ids_of_kind(AccountKind::Business, 2000)
        .await
        .unwrap();
    let other = person(
        &s,
        AccountKind::Business,
        "株式会社 他社",
        "タシャ",
        Profile::default(),
    )
    .await;
    let t = AccountKind::Technician;
    let works_for = |employer| Profile {
        employer_id: Some(employer),
        ..Profile::default()
    };
    let w1 = person(&s, t, "見本 太郎", "ミホン タロウ", works_for(employers[0])).await;
    let w2 = person(
        &s,
        t,
        "見本 次郎",
        "ミホン ジロウ",
        works_for(employers[1099]),
    )
    .await;
    person(
        &s,
        t,
        "他社 三郎",
        "タシャ サブロウ",
        works_for(AccountId::new(other)),
    )
    .await;
    person(&s, t, "無職 四郎", "ムショク シロウ", Profile::default()).await;
    let by_employer = |employer: &str| Lookup {
        employer: employer.into(),
        ..Lookup::default()
    };
    for q in ["有限会社", "ゆうげんがいしゃ", "有限", "みほん", "見本1099"] {
        let want = if q == "見本1099" {
            vec![w2]
        } else {
            vec![w1, w2]
        };
        assert_eq!(found(&s, by_employer(q)).await, want, "{q}");
    }
    let first = s
        .lookup()
        .find_accounts(&by_employer("有限会社"), 1)
        .await
        .unwrap();
    assert_eq!(
        first.iter().map(|a| a.id.get()).collect::<Vec<_>>(),
        vec![w1]
    );
}

async fn maintenance_notices_and_faq(s: Store) {
    let h = Duration::from_secs(3600);
    let w = MaintenanceWindow {
        id: 0,
        starts_at: T0.plus(h),
        ends_at: T0.plus(h * 3),
        announce_from: T0.minus(h),
        message: "作業".into(),
    };
    let id = s
        .public_info()
        .schedule_maintenance(&w, "メンテナンスのお知らせ", "本文", T0)
        .await
        .unwrap();
    let now = s
        .public_info()
        .current_maintenance(T0)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(now.id, id);
    assert!(!now.is_active(T0) && now.is_active(T0.plus(h)));
    assert!(
        s.public_info()
            .current_maintenance(T0.minus(h * 2))
            .await
            .unwrap()
            .is_none(),
        "not yet announced"
    );
    assert!(
        s.public_info()
            .current_maintenance(T0.plus(h * 3))
            .await
            .unwrap()
            .is_none(),
        "over"
    );
    assert_eq!(s.public_info().notices(T0, 10).await.unwrap().len(), 1);
    assert!(s.public_info().cancel_maintenance(id, T0).await.unwrap());
    assert!(s
        .public_info()
        .current_maintenance(T0)
        .await
        .unwrap()
        .is_none());
    assert!(
        s.public_info().notices(T0, 10).await.unwrap().is_empty(),
        "its notice is withdrawn"
    );
    s.public_info().publish_notice("a", "b", T0).await.unwrap();
    // Someone adds an entry before the first start: the seed goes beside it.
    s.public_info().add_faq("d", "q0", "a0").await.unwrap();
    assert!(s
        .public_info()
        .seed_faq(&[("c", "q1", "a1"), ("c", "q2", "a2")])
        .await
        .unwrap());
    assert!(
        !s.public_info()
            .seed_faq(&[("c", "q3", "a3")])
            .await
            .unwrap(),
        "seeded once"
    );
    s.public_info().add_faq("d", "q4", "a4").await.unwrap();
    // Translations seeded later go with the entries they translate, by question.
    assert!(s
        .public_info()
        .seed_faq_translations(
            "en",
            &[
                ("q1", "c", "e1", "a1"),
                ("q2", "c", "e2", "a2"),
                ("gone", "c", "x", "x")
            ]
        )
        .await
        .unwrap());
    assert!(!s
        .public_info()
        .seed_faq_translations("en", &[("q1", "c", "e3", "a3")])
        .await
        .unwrap());
    let questions = |faq: Vec<ccus_storage::FaqEntry>| {
        faq.iter()
            .map(|f| format!("{}:{}", f.lang, f.question))
            .collect::<Vec<_>>()
    };
    let ja = s.public_info().faq("ja").await.unwrap();
    assert_eq!(
        ja.len(),
        4,
        "every Japanese entry is listed: {:?}",
        questions(ja.clone())
    );
    assert!(questions(ja.clone()).iter().all(|q| q.starts_with("ja:")));
    let en = questions(s.public_info().faq("en").await.unwrap());
    assert_eq!(en.len(), 4);
    assert!(en.contains(&"en:e1".to_owned()) && en.contains(&"en:e2".to_owned()));
    assert!(
        en.contains(&"ja:q0".to_owned()) && en.contains(&"ja:q4".to_owned()),
        "untranslated entries stay in Japanese"
    );
    assert!(!en.contains(&"en:x".to_owned()));
    assert!(questions(s.public_info().faq("easy").await.unwrap())
        .iter()
        .all(|q| q.starts_with("ja:")));
    // A translation added later, once per language and only of a Japanese entry.
    let q4 = ja.iter().find(|e| e.question == "q4").unwrap().id;
    let e1 = s
        .public_info()
        .faq("en")
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.question == "e1")
        .unwrap()
        .id;
    let mut tx = s.begin().await.unwrap();
    assert!(tx
        .public_info()
        .add_faq_translation(q4, "easy", "d", "y4", "a4")
        .await
        .unwrap()
        .is_some());
    assert!(
        tx.public_info()
            .add_faq_translation(q4, "easy", "d", "z4", "a4")
            .await
            .unwrap()
            .is_none(),
        "one per language"
    );
    assert!(
        tx.public_info()
            .add_faq_translation(e1, "easy", "d", "z1", "a1")
            .await
            .unwrap()
            .is_none(),
        "only a Japanese entry is translated"
    );
    tx.commit().await.unwrap();
    assert!(questions(s.public_info().faq("easy").await.unwrap()).contains(&"easy:y4".to_owned()));
    let overview = s.public_info().faq_overview().await.unwrap();
    assert_eq!(overview.len(), 4);
    let langs_of = |q: &str| {
        overview
            .iter()
            .find(|(e, _)| e.question == q)
            .map(|(_, l)| l.clone())
            .unwrap()
    };
    assert_eq!(langs_of("q1"), vec!["en"]);
    assert_eq!(langs_of("q4"), vec!["easy"]);
    assert!(langs_of("q0").is_empty());
}

async fn staff_sessions_totp_steps_and_audit(s: Store) {
    let pk = s
        .staff()
        .create_staff(
            &NewStaff {
                staff_id: "S0000001".into(),
                name: "窓口".into(),
                email: "desk@example.jp".into(),
                role: StaffRole::Supervisor,
                password_hash: "$argon2id$x".into(),
                must_change_password: false,
            },
            T0,
        )
        .await
        .unwrap();
    let st = s
        .staff()
        .staff_by_staff_id("S0000001")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(st.role, StaffRole::Supervisor);
    assert!(!st.totp_enrolled);
    s.staff().set_staff_totp(pk, "sealed", true).await.unwrap();
    assert!(s.staff().use_totp_step(pk, 100).await.unwrap());
    assert!(
        !s.staff().use_totp_step(pk, 100).await.unwrap(),
        "a code works once"
    );
    assert!(!s.staff().use_totp_step(pk, 99).await.unwrap());
    assert!(s.staff().use_totp_step(pk, 101).await.unwrap());
    s.staff()
        .create_staff_session("h", pk, false, T0)
        .await
        .unwrap();
    assert!(
        !s.staff()
            .staff_session("h")
            .await
            .unwrap()
            .unwrap()
            .mfa_done
    );
    s.staff().complete_staff_mfa("h").await.unwrap();
    assert!(
        s.staff()
            .staff_session("h")
            .await
            .unwrap()
            .unwrap()
            .mfa_done
    );
    assert!(s.staff().delete_staff_session("h").await.unwrap());
    let lid = id(AccountKind::Technician);
    let a = s
        .accounts()
        .create_account(&new_account(&lid), T0)
        .await
        .unwrap();
    let mut tx = s.begin().await.unwrap();
    let staff_entry = NewAuditEntry {
        actor_kind: "staff".into(),
        staff_pk: Some(pk),
        subject_account_id: Some(a.id),
        action: "unlock".into(),
        reason: "理由".into(),
        data: r#"{"kind":"nothing"}"#.into(),
        ..NewAuditEntry::default()
    };
    tx.audit().record_audit(&staff_entry, T0).await.unwrap();
    // A business's entry is in its own log only.
    let business_entry = NewAuditEntry {
        actor_kind: "member".into(),
        actor_account_id: Some(a.id),
        business_id: Some(a.id),
        action: "org-tier-created".into(),
        data: "{}".into(),
        ..NewAuditEntry::default()
    };
    tx.audit().record_audit(&business_entry, T0).await.unwrap();
    tx.commit().await.unwrap();
    let log = s
        .audit()
        .audit_entries(AuditScope::Helpdesk, 10)
        .await
        .unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].subject_login_id.as_deref(), Some(lid.as_str()));
    assert_eq!(log[0].staff_id.as_deref(), Some("S0000001"));
    assert_eq!(
        (log[0].actor_kind.as_str(), log[0].action.as_str()),
        ("staff", "unlock")
    );
    assert_eq!(log[0].reason, "理由");
    assert_eq!(log[0].data.as_deref(), Some(r#"{"kind":"nothing"}"#));
    let theirs = s
        .audit()
        .audit_entries(AuditScope::Business(a.id), 10)
        .await
        .unwrap();
    assert_eq!(theirs.len(), 1);
    assert_eq!(theirs[0].actor_login_id.as_deref(), Some(lid.as_str()));
    assert_eq!(theirs[0].action, "org-tier-created");
    assert!(s
        .audit()
        .audit_entries(AuditScope::Business(AccountId::new(a.id.get() + 1)), 10)
        .await
        .unwrap()
        .is_empty());
}

async fn inquiries_files_and_notes(s: Store) {
    let pk = s
        .staff()
        .create_staff(
            &NewStaff {
                staff_id: "S0000002".into(),
                name: "担当".into(),
                email: "desk@example.jp".into(),
                role: StaffRole::Operator,
                password_hash: "$argon2id$x".into(),
                must_change_password: false,
            },
            T0,
        )
        .await
        .unwrap();
    let new = |receipt: &str, due: &str| NewInquiry {
        receipt: receipt.into(),
        due_date: ccus_domain::calendar::parse_iso_date(due).unwrap(),
        category: "ID照会".into(),
        login_id: String::new(),
        name: "建設 太郎".into(),
        furigana: "ケンセツ タロウ".into(),
        birth_date: "1985-04-01".into(),
        employer: String::new(),
        email: "now@example.jp".into(),
        phone: String::new(),
        message: "IDを忘れました".into(),
        client_address: "192.0.2.1".into(),
    };
    let mut tx = s.begin().await.unwrap();
    let later = tx
        .inquiries()
        .create_inquiry(&new("Q2", "2026-12-03"), &[], T0)
        .await
        .unwrap();
    let file = NewInquiryFile {
        stored_name: "abc.png".into(),
        original_name: "写真.png".into(),
        content_type: "image/png".into(),
        size: 10,
    };
    let first = tx
        .inquiries()
        .create_inquiry(&new("Q1", "2026-12-01"), &[file], T0)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    // A rolled-back inquiry leaves nothing.
    let mut tx = s.begin().await.unwrap();
    tx.inquiries()
        .create_inquiry(&new("Q3", "2026-12-02"), &[], T0)
        .await
        .unwrap();
    drop(tx);
    let queue = s.inquiries().list(None, 10).await.unwrap();
    assert_eq!(
        queue.iter().map(|q| q.id).collect::<Vec<_>>(),
        vec![first, later],
        "due first"
    );
    assert_eq!(
        s.inquiries().inquiry_files(first).await.unwrap()[0].original_name,
        "写真.png"
    );
    assert_eq!(
        s.inquiries().all_stored_file_names().await.unwrap(),
        vec!["abc.png".to_owned()]
    );
    let mut tx = s.begin().await.unwrap();
    tx.inquiries()
        .set_inquiry_status(first, InquiryStatus::Done, Some(pk.get()), T0)
        .await
        .unwrap();
    tx.inquiries()
        .add_inquiry_note(first, pk, "reply", "回答", T0)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        s.inquiries().list(None, 10).await.unwrap().len(),
        1,
        "done leaves the open queue"
    );
    assert_eq!(
        s.inquiries()
            .list(Some(InquiryStatus::Done), 10)
            .await
            .unwrap()
            .len(),
        1
    );
    let q = s.inquiries().inquiry(first).await.unwrap().unwrap();
    assert_eq!(q.assignee.as_deref(), Some("担当"));
    assert_eq!(
        s.inquiries().inquiry_notes(first).await.unwrap()[0].body,
        "回答"
    );
}

/// Applied migrations and their checksums, in order.
async fn checksums(db: &AnyPool) -> Vec<(i64, Option<String>)> {
    sqlx::query("SELECT version, checksum FROM schema_migrations ORDER BY version")
        .fetch_all(db)
        .await
        .unwrap()
        .iter()
        .map(|r| {
            (
                r.try_get("version").unwrap(),
                r.try_get("checksum").unwrap(),
            )
        })
        .collect()
}

/// The name index follows every change to the keys, also ones made outside the store.
async fn renamed_and_removed_accounts_are_found_by_their_current_names(db: Db) {
    let s = &db.store;
    let t = AccountKind::Technician;
    let renamed = person(s, t, "田中 太郎", "タナカ タロウ", Profile::default()).await;
    let removed = person(s, t, "田中 一郎", "タナカ イチロウ", Profile::default()).await;
    let kept = person(s, t, "鈴木 花子", "スズキ ハナコ", Profile::default()).await;
    assert_eq!(found(s, by_name("たなか")).await, vec![renamed, removed]);
    let pool = raw(&db.url).await;
    sqlx::query(
        "UPDATE accounts SET name = $1, furigana = $2, name_key = $3, furigana_key = $4 WHERE id = $5",
    )
    .bind("佐藤 花子")
    .bind("サトウ ハナコ")
    .bind("佐藤花子")
    .bind("さとうはなこ")
    .bind(renamed)
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("DELETE FROM accounts WHERE id = $1")
        .bind(removed)
        .execute(&pool)
        .await
        .unwrap();
    // Changes to other columns leave the index alone.
    sqlx::query("UPDATE accounts SET email = $1 WHERE id = $2")
        .bind("new@example.jp")
        .bind(kept)
        .execute(&pool)
        .await
        .unwrap();
    let cases: &[(&str, &[i64])] = &[
        ("たなか", &[]),
        ("田中", &[]),
        ("いちろう", &[]),
        ("佐藤", &[renamed]),
        ("藤花子", &[renamed]),
        ("はなこ", &[renamed, kept]),
        ("すずき", &[kept]),
    ];
    for (q, want) in cases {
        assert_eq!(found(s, by_name(q)).await, *want, "{q}");
    }
    if s.backend() == Backend::Sqlite {
        // FTS5 compares its index with the accounts table and fails when they differ.
        sqlx::query(
            "INSERT INTO account_names (account_names, rank) VALUES ('integrity-check', 1)",
        )
        .execute(&pool)
        .await
        .unwrap();
    }
    pool.close().await;
}

async fn an_edited_migration_is_refused(db: Db) {
    let pool = raw(&db.url).await;
    let recorded = checksums(&pool).await;
    assert!(recorded.len() >= 8);
    assert!(
        recorded
            .iter()
            .all(|(_, c)| c.as_ref().is_some_and(|c| c.len() == 64)),
        "every applied migration has a SHA-256: {recorded:?}"
    );
    // What a database sees when migration 3 was edited after it applied it.
    sqlx::query("UPDATE schema_migrations SET checksum = $1 WHERE version = 3")
        .bind("0".repeat(64))
        .execute(&pool)
        .await
        .unwrap();
    match db.store.migrate().await {
        Err(StoreError::MigrationChanged {
            version,
            applied,
            embedded,
        }) => {
            assert_eq!(version, 3);
            assert_eq!(applied, "0".repeat(64));
            assert_eq!(Some(embedded), recorded[2].1);
        }
        other => panic!("an edited migration must be refused: {other:?}"),
    }
    // At every start, not only the first.
    let again = Store::connect(&db.url).await.unwrap();
    let refused = again.migrate().await.unwrap_err();
    assert!(
        refused.to_string().contains("migration 3"),
        "the error names the migration: {refused}"
    );
    again.close().await;
    // Put back, it is accepted again.
    sqlx::query("UPDATE schema_migrations SET checksum = $1 WHERE version = 3")
        .bind(recorded[2].1.as_deref())
        .execute(&pool)
        .await
        .unwrap();
    db.store.migrate().await.unwrap();
    pool.close().await;
}

async fn migrations_applied_before_checksums_get_them(db: Db) {
    let pool = raw(&db.url).await;
    let recorded = checksums(&pool).await;
    // A database migrated by a build that recorded no checksums: the column is missing.
    sqlx::raw_sql("ALTER TABLE schema_migrations DROP COLUMN checksum")
        .execute(&pool)
        .await
        .unwrap();
    db.store.migrate().await.unwrap();
    assert_eq!(checksums(&pool).await, recorded, "filled in, not refused");
    // A row without a checksum (the column was added, the row not yet filled).
    sqlx::query("UPDATE schema_migrations SET checksum = NULL WHERE version = 5")
        .execute(&pool)
        .await
        .unwrap();
    db.store.migrate().await.unwrap();
    assert_eq!(checksums(&pool).await, recorded);
    pool.close().await;
}

/// Every column of every table: (table, column, NOT NULL). A primary key counts as NOT NULL
/// (PostgreSQL makes it so; SQLite only for `INTEGER PRIMARY KEY`, but the migrations declare
/// the other keys alike on both).
type Columns = BTreeSet<(String, String, bool)>;

/// On SQLite, tables only: the name look-up's full-text index (a virtual table and the shadow
/// tables holding it) stands for PostgreSQL's trigram indexes.
async fn sqlite_columns(db: &AnyPool) -> Columns {
    sqlx::query(
        "SELECT m.name AS table_name, p.name AS column_name, \
                CASE WHEN p.\"notnull\" <> 0 OR p.pk > 0 THEN 1 ELSE 0 END AS not_null \
         FROM pragma_table_list m JOIN pragma_table_info(m.name) p \
         WHERE m.schema = 'main' AND m.type = 'table' AND m.name NOT LIKE 'sqlite_%'",
    )
    .fetch_all(db)
    .await
    .unwrap()
    .iter()
    .map(|r| {
        (
            r.try_get("table_name").unwrap(),
            r.try_get("column_name").unwrap(),
            r.try_get::<i64, _>("not_null").unwrap() != 0,
        )
    })
    .collect()
}

async fn postgres_columns(db: &AnyPool) -> Columns {
    sqlx::query(
        "SELECT c.table_name::text AS table_name, c.column_name::text AS column_name, \
                (c.is_nullable = 'NO') AS not_null \
         FROM information_schema.columns c \
         JOIN information_schema.tables t \
           ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
         JOIN pg_class k ON k.oid = to_regclass(quote_ident(c.table_schema) || '.' || quote_ident(c.table_name)) \
         WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' \
         AND NOT k.relispartition",
    )
    .fetch_all(db)
    .await
    .unwrap()
    .iter()
    .map(|r| {
        (
            r.try_get("table_name").unwrap(),
            r.try_get("column_name").unwrap(),
            r.try_get::<bool, _>("not_null").unwrap(),
        )
    })
    .collect()
}

/// The two migration lists must build the same tables with the same columns (types are
/// spelled differently and are not compared; PostgreSQL's monthly partitions of a table are
/// that table).
#[ccus_test_macros::postgres_variant]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_and_postgres_schemas_agree() {
    let Some(pg) = postgres_db().await else {
        eprintln!("skipped: {} is not set", testdb::POSTGRES_ENV);
        return;
    };
    let lite = sqlite_db().await.unwrap();
    let (lite_pool, pg_pool) = (raw(&lite.url).await, raw(&pg.url).await);
    let on_sqlite = sqlite_columns(&lite_pool).await;
    let on_postgres = postgres_columns(&pg_pool).await;
    assert!(
        on_sqlite.iter().any(|(t, _, _)| t == "accounts"),
        "the schema was read: {on_sqlite:?}"
    );
    let only_sqlite: Vec<_> = on_sqlite.difference(&on_postgres).collect();
    let only_postgres: Vec<_> = on_postgres.difference(&on_sqlite).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "(table, column, NOT NULL) only on SQLite: {only_sqlite:?}; only on PostgreSQL: {only_postgres:?}"
    );
}

async fn old_history_is_pruned_in_batches(s: Store) {
    let lid = id(AccountKind::Technician);
    let day = Duration::from_secs(86_400);
    for d in 0..10u32 {
        s.history()
            .record_event(
                &lid,
                AccessEventKind::LoginFailure,
                &client(),
                T0.plus(day * d),
            )
            .await
            .unwrap();
    }
    // Everything before day 6 goes, three rows at a time; days 6–9 stay.
    let before = T0.plus(day * 6);
    assert_eq!(s.history().prune_history(before, 3).await.unwrap(), 3);
    assert_eq!(s.history().prune_history(before, 3).await.unwrap(), 3);
    assert_eq!(s.history().prune_history(before, 3).await.unwrap(), 0);
    let a = s
        .accounts()
        .create_account(&new_account(&lid), T0)
        .await
        .unwrap();
    assert_eq!(s.history().access_history_len(&a).await.unwrap(), 4);
}
