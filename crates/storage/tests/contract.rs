//! The storage contract: every test runs against SQLite, and against PostgreSQL when
//! `CCUS_TEST_POSTGRES_URL` names a server (each test on a fresh database).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use ccus_domain::{
    AccessEventKind, AccountKind, AttemptDecision, LockoutPolicy, LoginId, Timestamp,
};
use ccus_storage::{testdb, ClientInfo, NewAccount, Store, StoreError};

async fn sqlite() -> Option<Store> {
    let s = Store::connect(&testdb::sqlite_url()).await.unwrap();
    s.migrate().await.unwrap();
    Some(s)
}

async fn postgres() -> Option<Store> {
    let url = testdb::postgres_url().await?;
    let s = Store::connect(&url).await.unwrap();
    s.migrate().await.unwrap();
    Some(s)
}

macro_rules! contract {
    ($($name:ident),* $(,)?) => {
        mod on_sqlite {
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
               async fn $name() { super::$name(super::sqlite().await.unwrap()).await } )*
        }
        mod on_postgres {
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
               async fn $name() {
                   match super::postgres().await {
                       Some(s) => super::$name(s).await,
                       None => eprintln!("skipped: {} is not set", ccus_storage::testdb::POSTGRES_ENV),
                   }
               } )*
        }
    };
}

contract!(
    accounts_are_created_once_and_found,
    migrations_are_idempotent,
    locks_at_threshold_and_unlocks,
    parallel_attempts_never_undercount_or_overshoot,
    address_attempts_count_per_window,
    sessions_live_and_die,
    access_history_is_newest_first_and_paginated,
    secrets_are_shared,
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
    let a = s.create_account(&new_account(&lid), T0).await.unwrap();
    assert_eq!(a.kind(), AccountKind::Technician);
    let found = s.account_by_login_id(&lid).await.unwrap().unwrap();
    assert_eq!(found.id, a.id);
    assert_eq!(found.name, "建設 太郎");
    assert_eq!(found.created_at, T0);
    assert!(matches!(
        s.create_account(&new_account(&lid), T0).await,
        Err(StoreError::Conflict)
    ));
    assert!(s
        .account_by_login_id(&id(AccountKind::Business))
        .await
        .unwrap()
        .is_none());
    s.set_password_hash(a.id, "$argon2id$new", T0)
        .await
        .unwrap();
    let found = s.account_by_login_id(&lid).await.unwrap().unwrap();
    assert_eq!(found.password_hash, "$argon2id$new");
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
        let d = s.begin_attempt(&lid, &p, T0).await.unwrap();
        match d {
            AttemptDecision::Proceed { locks_until } => assert_eq!(locks_until.is_some(), i == 5),
            other => panic!("attempt {i}: {other:?}"),
        }
    }
    let until = T0.plus(Duration::from_secs(1800));
    assert_eq!(
        s.begin_attempt(&lid, &p, T0).await.unwrap(),
        AttemptDecision::Locked { until }
    );
    // The lock ends by itself.
    assert!(matches!(
        s.begin_attempt(&lid, &p, until).await.unwrap(),
        AttemptDecision::Proceed { locks_until: None }
    ));
    // An unlock lifts a lock at once.
    for _ in 0..4 {
        s.begin_attempt(&lid, &p, until).await.unwrap();
    }
    assert!(s.guard_state(&lid).await.unwrap().is_locked(until));
    assert!(s.unlock(&lid, until).await.unwrap());
    assert!(!s.unlock(&lid, until).await.unwrap());
    assert_eq!(s.guard_state(&lid).await.unwrap(), Default::default());
    // A success clears the count.
    s.begin_attempt(&lid, &p, until).await.unwrap();
    s.clear_guard(&lid).await.unwrap();
    assert_eq!(s.guard_state(&lid).await.unwrap().failures, 0);
}

async fn parallel_attempts_never_undercount_or_overshoot(s: Store) {
    let lid = id(AccountKind::Technician);
    let p = policy();
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let (s, lid) = (s.clone(), lid.clone());
        tasks.push(tokio::spawn(async move {
            s.begin_attempt(&lid, &p, T0).await.unwrap()
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
    let st = s.guard_state(&lid).await.unwrap();
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
            s.reserve_address_attempt("198.51.100.7", w, T0)
                .await
                .unwrap(),
            n
        );
    }
    s.release_address_attempt("198.51.100.7").await.unwrap();
    assert_eq!(
        s.reserve_address_attempt("198.51.100.7", w, T0)
            .await
            .unwrap(),
        3
    );
    assert_eq!(
        s.reserve_address_attempt("198.51.100.8", w, T0)
            .await
            .unwrap(),
        1
    );
    // A new window starts over.
    let later = T0.plus(w);
    assert_eq!(
        s.reserve_address_attempt("198.51.100.7", w, later)
            .await
            .unwrap(),
        1
    );
    // Parallel reservations are all counted.
    let mut tasks = Vec::new();
    for _ in 0..30 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            s.reserve_address_attempt("203.0.113.9", w, T0)
                .await
                .unwrap()
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
    let a = s.create_account(&new_account(&lid), T0).await.unwrap();
    s.create_session("hash-1", a.id, &client(), T0)
        .await
        .unwrap();
    s.create_session("hash-2", a.id, &client(), T0)
        .await
        .unwrap();
    let got = s.session("hash-1").await.unwrap().unwrap();
    assert_eq!(got.account.id, a.id);
    assert_eq!(got.last_seen_at, T0);
    let later = T0.plus(Duration::from_secs(90));
    s.touch_session("hash-1", later).await.unwrap();
    assert_eq!(
        s.session("hash-1").await.unwrap().unwrap().last_seen_at,
        later
    );
    assert!(s.session("nope").await.unwrap().is_none());
    assert!(s.delete_session("hash-1").await.unwrap());
    assert!(!s.delete_session("hash-1").await.unwrap());
    assert_eq!(s.delete_sessions_of(a.id).await.unwrap(), 1);
    s.create_session("hash-3", a.id, &client(), T0)
        .await
        .unwrap();
    assert_eq!(s.delete_expired_sessions(later, T0).await.unwrap(), 1);
}

async fn access_history_is_newest_first_and_paginated(s: Store) {
    let lid = id(AccountKind::Business);
    // An event from before the account existed is never shown to it.
    s.record_event(
        &lid,
        AccessEventKind::LoginFailure,
        &client(),
        Timestamp(T0.0 - 1),
    )
    .await
    .unwrap();
    let a = s.create_account(&new_account(&lid), T0).await.unwrap();
    let kinds = [
        AccessEventKind::LoginFailure,
        AccessEventKind::Locked,
        AccessEventKind::Unlocked,
        AccessEventKind::LoginSuccess,
        AccessEventKind::Logout,
    ];
    for (i, k) in kinds.iter().enumerate() {
        s.record_event(&lid, *k, &client(), Timestamp(T0.0 + i as i64))
            .await
            .unwrap();
    }
    assert_eq!(s.access_history_len(&a).await.unwrap(), 5);
    let page1 = s.access_history(&a, 0, 2).await.unwrap();
    assert_eq!(
        page1.iter().map(|e| e.kind).collect::<Vec<_>>(),
        vec![AccessEventKind::Logout, AccessEventKind::LoginSuccess]
    );
    let page3 = s.access_history(&a, 4, 2).await.unwrap();
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
