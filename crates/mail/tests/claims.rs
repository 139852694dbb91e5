//! Claims and crashes: a restarted instance sends its own unfinished mail at once, another
//! instance takes a dead one's mail over after the (short) lease, and a worker that is still
//! sending renews its lease so nobody takes its mail over.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Duration;

use ccus_domain::{Clock, ManualClock};
use ccus_mail::{Deliverer, MailConfig, MailWaker};
use ccus_storage::{testdb, MailStatus, NewMail, Store};

struct Setup {
    store: Store,
    clock: Arc<ManualClock>,
    dir: tempfile::TempDir,
}

async fn setup() -> Setup {
    let store = Store::connect(&testdb::sqlite_url()).await.unwrap();
    store.migrate().await.unwrap();
    Setup {
        store,
        clock: Arc::new(ManualClock::default()),
        dir: tempfile::tempdir().unwrap(),
    }
}

impl Setup {
    fn worker(&self, instance: &str, lease: Duration) -> Deliverer {
        let config = MailConfig {
            url: format!("file://{}", self.dir.path().display()),
            lease,
            instance_id: instance.into(),
            ..MailConfig::default()
        };
        Deliverer::new(
            self.store.clone(),
            config,
            self.clock.clone(),
            MailWaker::default(),
        )
        .unwrap()
    }

    async fn enqueue(&self) -> i64 {
        let mut tx = self.store.begin().await.unwrap();
        let id = tx
            .outbox()
            .enqueue_mail(
                &NewMail {
                    to: "user@example.jp".into(),
                    subject: "件名".into(),
                    body: "本文".into(),
                },
                self.clock.now(),
            )
            .await
            .unwrap();
        tx.commit().await.unwrap();
        id.get()
    }

    fn files(&self) -> usize {
        std::fs::read_dir(self.dir.path()).unwrap().count()
    }

    async fn sent(&self) -> usize {
        self.store
            .outbox()
            .list_mail(Some(MailStatus::Sent), 100)
            .await
            .unwrap()
            .len()
    }
}

const LEASE: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restarted_instance_sends_its_own_unfinished_mail_at_once() {
    let s = setup().await;
    s.enqueue().await;
    // Instance "a" claimed the mail, then was killed before recording anything.
    let claimed = s
        .store
        .outbox()
        .claim_mail(s.clock.now(), LEASE, 10, "a")
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    // Another instance must wait for the lease…
    let b = s.worker("b", LEASE);
    assert_eq!(b.deliver_due().await.unwrap(), 0);
    // …but "a", restarted, releases its own claim and sends at once (the clock has not moved).
    let a = s.worker("a", LEASE);
    assert_eq!(a.release_own_claims().await.unwrap(), 1);
    assert_eq!(a.deliver_due().await.unwrap(), 1);
    assert_eq!(s.sent().await, 1);
    assert_eq!(s.files(), 1);
    // Nothing is left for anyone.
    assert_eq!(b.deliver_due().await.unwrap(), 0);
    assert_eq!(a.deliver_due().await.unwrap(), 0);
    assert_eq!(s.files(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_instances_mail_is_taken_over_after_the_short_lease() {
    let s = setup().await;
    s.enqueue().await;
    s.store
        .outbox()
        .claim_mail(s.clock.now(), LEASE, 10, "dead")
        .await
        .unwrap();
    let b = s.worker("b", LEASE);
    assert_eq!(b.deliver_due().await.unwrap(), 0);
    s.clock.advance(LEASE + Duration::from_secs(1));
    assert_eq!(b.deliver_due().await.unwrap(), 1);
    assert_eq!(s.sent().await, 1);
    assert_eq!(s.files(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_send_keeps_its_claim() {
    let s = setup().await;
    s.enqueue().await;
    // A short lease (renewed every 100 ms) so the test is quick.
    let lease = Duration::from_millis(300);
    let a = s.worker("a", lease);
    let b = s.worker("b", lease);
    let claimed = s
        .store
        .outbox()
        .claim_mail(s.clock.now(), lease, 10, "a")
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    // "a" is still sending while ten leases pass; "b" keeps trying to take the mail over.
    // Each step moves the clock by half a lease and then gives the renewal (every third of
    // the lease, in real time) three chances to run before "b" tries.
    let taken = a
        .holding_claims(async {
            let mut taken = 0;
            for _ in 0..20 {
                s.clock.advance(lease / 2);
                tokio::time::sleep(lease).await;
                taken += b.deliver_due().await.unwrap();
            }
            taken
        })
        .await;
    assert_eq!(taken, 0, "a renewed claim was never taken over");
    assert_eq!(s.files(), 0);
    // Without renewal the lease lapses and the mail is taken over.
    s.clock.advance(lease * 2);
    assert_eq!(b.deliver_due().await.unwrap(), 1);
    assert_eq!(s.files(), 1);
}
