//! The link-token service on a real (SQLite) database with a hand-moved clock.

use std::sync::Arc;

use ccus_domain::{LoginId, ManualClock};
use ccus_storage::NewAccount;

use super::*;

const BASE: &str = "https://ccus.example.jp";
/// A lifetime no default has, so the tests show where each one comes from.
const TTL: Duration = Duration::from_secs(17 * 60);

struct Fixture {
    app: App,
    clock: Arc<ManualClock>,
    _dir: tempfile::TempDir,
}

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}/ccus.db", dir.path().display()))
        .await
        .unwrap();
    store.migrate().await.unwrap();
    let mut c = Config::default();
    c.hashing.memory_kib = 1024;
    c.hashing.iterations = 1;
    c.public_url = format!("{BASE}/");
    c.recovery.token_ttl = TTL;
    let clock = Arc::new(ManualClock::at(Timestamp(1_800_000_000_000)));
    let app = App::new(c, store, clock.clone()).await.unwrap();
    Fixture {
        app,
        clock,
        _dir: dir,
    }
}

async fn account(f: &Fixture, kind: AccountKind) -> Account {
    let new = NewAccount {
        login_id: LoginId::generate(kind, &mut rand::thread_rng()),
        name: "建設 太郎".into(),
        email: "a@example.jp".into(),
        password_hash: String::new(),
        security_code_hash: String::new(),
        must_change_password: false,
        profile: Default::default(),
    };
    f.app
        .store()
        .accounts()
        .create_account(&new, f.app.clock().now())
        .await
        .unwrap()
}

/// An application login and a draft application of it.
async fn application(f: &Fixture) -> (Applicant, i64) {
    let now = f.app.clock().now();
    let mut tx = f.app.store().begin().await.unwrap();
    let id = tx
        .registrations()
        .create_applicant("ap@example.jp", "ap@example.jp", "", now)
        .await
        .unwrap();
    let application = tx
        .registrations()
        .create_application(id, "technician", now)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let applicant = f
        .app
        .store()
        .registrations()
        .applicant(id)
        .await
        .unwrap()
        .unwrap();
    (applicant, application.get())
}

async fn mint_one(f: &Fixture, new: NewLink<'_>) -> MailedLink {
    let mut tx = f.app.store().begin().await.unwrap();
    let link = mint(&f.app, &mut tx, new, f.app.clock().now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    link
}

fn token(link: &MailedLink) -> &str {
    link.url.rsplit_once("?token=").unwrap().1
}

async fn usable(f: &Fixture, purpose: LinkPurpose, link: &MailedLink) -> bool {
    peek(&f.app, purpose, token(link)).await.unwrap().is_some()
}

/// Uses a link up in its own transaction, committed only when it was usable.
async fn use_up(f: &Fixture, purpose: LinkPurpose, link: &MailedLink) -> bool {
    let now = f.app.clock().now();
    let mut tx = f.app.store().begin().await.unwrap();
    let used = if purpose == LinkPurpose::Consent {
        consume_consent(&mut tx, token(link), "consented", "192.0.2.1", now)
            .await
            .unwrap()
    } else {
        consume(&mut tx, purpose, token(link), now)
            .await
            .unwrap()
            .is_some()
    };
    if used {
        tx.commit().await.unwrap();
    }
    used
}

/// One link of every purpose, minted now: a technician's, but the invitation of a business's
/// 管理者ID (an invitation and a reset of one account would void each other).
async fn one_of_each(f: &Fixture) -> Vec<MailedLink> {
    let t = account(f, AccountKind::Technician).await;
    let m = account(f, AccountKind::Business).await;
    let (applicant, application_id) = application(f).await;
    let mut out = Vec::new();
    for new in [
        NewLink::Reset(&t),
        NewLink::Invite(&m),
        NewLink::Unlock(&t),
        NewLink::EmailConfirm {
            account: &t,
            new_email: "new@example.jp",
        },
        NewLink::ApplicantConfirm {
            email: "new-applicant@example.jp",
        },
        NewLink::ApplicantReset(&applicant),
        NewLink::Consent {
            application_id,
            email: "w@example.jp",
        },
    ] {
        out.push(mint_one(f, new).await);
    }
    out
}

#[test]
fn each_purpose_has_its_lifetime() {
    let mut c = Config::default();
    c.recovery.token_ttl = TTL;
    for p in LinkPurpose::all() {
        let expected = match p {
            LinkPurpose::Consent => Duration::from_secs(14 * 24 * 60 * 60),
            _ => TTL,
        };
        assert_eq!(p.lifetime(&c), expected, "{p:?}");
    }
    // Today's defaults: 30 minutes for every link but the consent.
    assert_eq!(
        LinkPurpose::Reset(AccountKind::Business).lifetime(&Config::default()),
        Duration::from_secs(30 * 60)
    );
}

#[tokio::test]
async fn links_open_the_pages_they_always_opened() {
    let f = fixture().await;
    let expected = [
        (
            LinkPurpose::Reset(AccountKind::Technician),
            "/ccus_skill/password/reset",
        ),
        (
            LinkPurpose::Reset(AccountKind::Business),
            "/ccus_owner/password/reset",
        ),
        (
            LinkPurpose::Invite(AccountKind::Business),
            "/ccus_owner/password/reset",
        ),
        (
            LinkPurpose::Unlock(AccountKind::Technician),
            "/ccus_skill/unlock",
        ),
        (
            LinkPurpose::EmailConfirm(AccountKind::Business),
            "/ccus_owner/email/confirm",
        ),
        (LinkPurpose::ApplicantConfirm, "/apply/confirm"),
        (LinkPurpose::ApplicantReset, "/apply/password/reset"),
        (LinkPurpose::Consent, "/apply/consent"),
    ];
    for (p, page) in expected {
        assert_eq!(url(&f.app, p, "T"), format!("{BASE}{page}?token=T"));
    }
}

#[tokio::test]
async fn a_minted_link_is_256_bit_random_kept_hashed_and_expires_with_its_purpose() {
    let f = fixture().await;
    let now = f.app.clock().now();
    let links = one_of_each(&f).await;
    for link in &links {
        assert_eq!(
            base64::Engine::decode(
                &base64::engine::general_purpose::URL_SAFE_NO_PAD,
                token(link)
            )
            .unwrap()
            .len(),
            32
        );
        assert_eq!(link.lifetime, link.purpose.lifetime(f.app.config()));
        assert_eq!(link.expires_at, now.plus(link.lifetime));
        assert!(link
            .url
            .starts_with(&url(&f.app, link.purpose, "").replace("?token=", "")));
    }
    // Only the hash is stored.
    let t = token(&links[0]).to_owned();
    assert!(f
        .app
        .store()
        .recovery()
        .peek_token(&t, TokenPurpose::Reset, now)
        .await
        .unwrap()
        .is_none());
    assert!(f
        .app
        .store()
        .recovery()
        .peek_token(&token_hash(&t), TokenPurpose::Reset, now)
        .await
        .unwrap()
        .is_some());
}

#[tokio::test]
async fn peeking_uses_nothing_up_and_a_link_is_used_once() {
    let f = fixture().await;
    for link in one_of_each(&f).await {
        let p = link.purpose;
        for _ in 0..3 {
            assert!(usable(&f, p, &link).await, "{p:?}");
        }
        assert!(use_up(&f, p, &link).await, "{p:?}");
        assert!(!usable(&f, p, &link).await, "{p:?}");
        assert!(!use_up(&f, p, &link).await, "{p:?}");
    }
}

#[tokio::test]
async fn a_link_expires_at_the_end_of_its_lifetime() {
    let f = fixture().await;
    let links = one_of_each(&f).await;
    f.clock.advance(TTL - Duration::from_millis(1));
    for link in &links {
        assert!(usable(&f, link.purpose, link).await, "{:?}", link.purpose);
    }
    f.clock.advance(Duration::from_millis(1));
    for link in &links {
        let p = link.purpose;
        let still = p == LinkPurpose::Consent;
        assert_eq!(usable(&f, p, link).await, still, "{p:?}");
        if !still {
            assert!(!use_up(&f, p, link).await, "{p:?}");
        }
    }
    let consent = links.last().unwrap();
    f.clock
        .advance(consent.lifetime - TTL - Duration::from_millis(1));
    assert!(usable(&f, LinkPurpose::Consent, consent).await);
    f.clock.advance(Duration::from_millis(1));
    assert!(!usable(&f, LinkPurpose::Consent, consent).await);
    assert!(!use_up(&f, LinkPurpose::Consent, consent).await);
}

#[tokio::test]
async fn a_link_of_another_purpose_or_portal_is_refused() {
    let f = fixture().await;
    let links = one_of_each(&f).await;
    let others = |p: LinkPurpose| {
        let mut all = LinkPurpose::all();
        // An invitation is a reset link: each opens the other's page.
        all.retain(|q| {
            *q != p
                && !matches!(
                    (p, *q),
                    (LinkPurpose::Reset(a), LinkPurpose::Invite(b))
                        | (LinkPurpose::Invite(a), LinkPurpose::Reset(b)) if a == b
                )
        });
        all
    };
    for link in &links {
        for q in others(link.purpose) {
            assert!(
                !usable(&f, q, link).await,
                "{:?} opened as {q:?}",
                link.purpose
            );
            if q != LinkPurpose::Consent {
                assert!(
                    !use_up(&f, q, link).await,
                    "{:?} used as {q:?}",
                    link.purpose
                );
            }
        }
        // Refused uses changed nothing.
        assert!(usable(&f, link.purpose, link).await, "{:?}", link.purpose);
    }
    // A consent link is used by answering it.
    let mut tx = f.app.store().begin().await.unwrap();
    assert!(consume(
        &mut tx,
        LinkPurpose::Consent,
        token(&links[6]),
        f.app.clock().now()
    )
    .await
    .is_err());
    // Unknown tokens are refused the same way.
    for p in LinkPurpose::all() {
        assert!(peek(&f.app, p, "nothing").await.unwrap().is_none());
    }
}

#[tokio::test]
async fn an_invitation_is_used_on_the_reset_page() {
    let f = fixture().await;
    let m = account(&f, AccountKind::Business).await;
    let invite = mint_one(&f, NewLink::Invite(&m)).await;
    assert!(invite.url.contains("/ccus_owner/password/reset?token="));
    match peek(
        &f.app,
        LinkPurpose::Reset(AccountKind::Business),
        token(&invite),
    )
    .await
    .unwrap()
    {
        Some(LinkFor::Account(a)) => assert_eq!(a.id, m.id),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_newer_link_voids_the_older_where_it_always_did() {
    let f = fixture().await;
    let t = account(&f, AccountKind::Technician).await;
    let (applicant, application_id) = application(&f).await;

    let invite = mint_one(&f, NewLink::Invite(&t)).await;
    let reset = mint_one(&f, NewLink::Reset(&t)).await;
    let reset_kind = LinkPurpose::Reset(AccountKind::Technician);
    assert!(!usable(&f, reset_kind, &invite).await);
    assert!(usable(&f, reset_kind, &reset).await);

    let unlock_1 = mint_one(&f, NewLink::Unlock(&t)).await;
    let unlock_2 = mint_one(&f, NewLink::Unlock(&t)).await;
    let unlock = LinkPurpose::Unlock(AccountKind::Technician);
    assert!(!usable(&f, unlock, &unlock_1).await);
    assert!(usable(&f, unlock, &unlock_2).await);
    // Another purpose is left alone.
    assert!(usable(&f, reset_kind, &reset).await);

    let a1 = mint_one(&f, NewLink::ApplicantReset(&applicant)).await;
    let a2 = mint_one(&f, NewLink::ApplicantReset(&applicant)).await;
    assert!(!usable(&f, LinkPurpose::ApplicantReset, &a1).await);
    assert!(usable(&f, LinkPurpose::ApplicantReset, &a2).await);

    let consent = |email| NewLink::Consent {
        application_id,
        email,
    };
    let c1 = mint_one(&f, consent("w@example.jp")).await;
    let c2 = mint_one(&f, consent("w2@example.jp")).await;
    assert!(!usable(&f, LinkPurpose::Consent, &c1).await);
    match peek(&f.app, LinkPurpose::Consent, token(&c2))
        .await
        .unwrap()
    {
        Some(LinkFor::Consent(c)) => assert_eq!(c.email, "w2@example.jp"),
        other => panic!("{other:?}"),
    }

    // Confirmation links of an address all stay usable: the first one used makes the login.
    let email = "ap2@example.jp";
    let n1 = mint_one(&f, NewLink::ApplicantConfirm { email }).await;
    let n2 = mint_one(&f, NewLink::ApplicantConfirm { email }).await;
    assert!(usable(&f, LinkPurpose::ApplicantConfirm, &n1).await);
    assert!(usable(&f, LinkPurpose::ApplicantConfirm, &n2).await);

    // Voiding an account's links ends every purpose of it.
    let mut tx = f.app.store().begin().await.unwrap();
    void_account_links(&mut tx, t.id.get(), f.app.clock().now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(!usable(&f, reset_kind, &reset).await);
    assert!(!usable(&f, unlock, &unlock_2).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn of_two_uses_at_once_exactly_one_gets_the_link() {
    let f = fixture().await;
    for link in one_of_each(&f).await {
        let p = link.purpose;
        let mut tasks = Vec::new();
        for _ in 0..2 {
            let (app, token) = (f.app.clone(), token(&link).to_owned());
            tasks.push(tokio::spawn(async move {
                let now = app.clock().now();
                let mut tx = app.store().begin().await.unwrap();
                let got = if p == LinkPurpose::Consent {
                    consume_consent(&mut tx, &token, "declined", "192.0.2.1", now)
                        .await
                        .unwrap()
                } else {
                    consume(&mut tx, p, &token, now).await.unwrap().is_some()
                };
                // Hold the use a moment, as a page would while it does its work.
                tokio::task::yield_now().await;
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
        assert_eq!(wins, 1, "{p:?}");
    }
}

#[tokio::test]
async fn what_a_link_opens() {
    let f = fixture().await;
    let links = one_of_each(&f).await;
    let opened = |i: usize| {
        let link = links[i].clone();
        let app = f.app.clone();
        async move { peek(&app, link.purpose, token(&link)).await.unwrap() }
    };
    assert!(matches!(opened(0).await, Some(LinkFor::Account(_))));
    assert!(matches!(opened(3).await, Some(LinkFor::NewEmail(_, e)) if e == "new@example.jp"));
    assert!(
        matches!(opened(4).await, Some(LinkFor::NewApplicant(e)) if e == "new-applicant@example.jp")
    );
    assert!(matches!(opened(5).await, Some(LinkFor::Applicant(a)) if a.email == "ap@example.jp"));
    assert!(matches!(opened(6).await, Some(LinkFor::Consent(c)) if c.answer.is_empty()));
}
