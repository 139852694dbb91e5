//! A worker stopped at each step of a delivery — after staging, after recording the
//! hand-over — and restarted: files end exactly once, an SMTP mail is never sent twice, and
//! one that may be lost is shown as handed over, unconfirmed. And the batch's SMTP connection,
//! closed by the server between two mails, is opened again.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ccus_domain::{Clock, ManualClock};
use ccus_storage::{testdb, MailStatus, NewMail, OutboxMail, Store};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use crate::{message, Deliverer, MailConfig, MailWaker};

const LEASE: Duration = Duration::from_secs(30);

/// Counts the messages an SMTP server accepted (the final dot arrived), by subject line.
#[derive(Clone, Default)]
struct Sink(Arc<Mutex<HashMap<String, usize>>>);

impl Sink {
    async fn start() -> (Sink, u16) {
        Sink::start_closing(false).await
    }

    /// With `close`, the server hangs up after each message it accepted (as one that limits
    /// messages per connection may).
    async fn start_closing(close: bool) -> (Sink, u16) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let sink = Sink::default();
        let got = sink.0.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let got = got.clone();
                tokio::spawn(async move {
                    let (r, mut w) = stream.into_split();
                    let mut r = BufReader::new(r);
                    let _ = w.write_all(b"220 sink\r\n").await;
                    let mut line = String::new();
                    loop {
                        line.clear();
                        if r.read_line(&mut line).await.unwrap_or(0) == 0 {
                            return;
                        }
                        let reply: &[u8] = if line.starts_with("DATA") {
                            let _ = w.write_all(b"354 go\r\n").await;
                            let mut id = String::new();
                            loop {
                                line.clear();
                                if r.read_line(&mut line).await.unwrap_or(0) == 0 {
                                    return; // cut off before the dot: discarded
                                }
                                if line == ".\r\n" {
                                    break;
                                }
                                if line.starts_with("Message-ID:") {
                                    id = line.trim_end().to_owned();
                                }
                            }
                            *got.lock().unwrap().entry(id).or_default() += 1;
                            if close {
                                let _ = w.write_all(b"250 queued\r\n").await;
                                return;
                            }
                            b"250 queued\r\n"
                        } else if line.starts_with("QUIT") {
                            let _ = w.write_all(b"221 bye\r\n").await;
                            return;
                        } else {
                            b"250 ok\r\n"
                        };
                        if w.write_all(reply).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        (sink, port)
    }

    fn accepted(&self) -> Vec<usize> {
        self.0.lock().unwrap().values().copied().collect()
    }
}

struct Setup {
    store: Store,
    clock: Arc<ManualClock>,
    dir: tempfile::TempDir,
}

impl Setup {
    async fn new() -> Setup {
        Setup::with_mails(1).await
    }

    async fn with_mails(n: usize) -> Setup {
        let store = Store::connect(&testdb::sqlite_url()).await.unwrap();
        store.migrate().await.unwrap();
        let s = Setup {
            store,
            clock: Arc::new(ManualClock::default()),
            dir: tempfile::tempdir().unwrap(),
        };
        let mut tx = s.store.begin().await.unwrap();
        for _ in 0..n {
            tx.outbox()
                .enqueue_mail(
                    &NewMail {
                        to: "taro@example.jp".into(),
                        subject: "件名".into(),
                        body: "本文".into(),
                    },
                    s.clock.now(),
                )
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
        s
    }

    fn worker(&self, instance: &str, url: &str) -> Deliverer {
        let config = MailConfig {
            url: url.to_owned(),
            lease: LEASE,
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

    fn files_url(&self) -> String {
        format!("file://{}", self.dir.path().display())
    }

    fn names(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(self.dir.path())
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    }

    async fn claim(&self, by: &str) -> OutboxMail {
        let mut m = self
            .store
            .outbox()
            .claim_mail(self.clock.now(), LEASE, 10, by)
            .await
            .unwrap();
        assert_eq!(m.len(), 1);
        m.remove(0)
    }

    async fn status(&self) -> (MailStatus, Option<String>) {
        let rows = self.store.outbox().list_mail(None, 10).await.unwrap();
        (rows[0].status, rows[0].last_error.clone())
    }

    /// Worker `w` stages mail `m` and, if `hand_over`, records the hand-over; then it "dies"
    /// (everything it held is dropped).
    async fn stop_after_staging(&self, w: &Deliverer, m: &OutboxMail, hand_over: bool) {
        let msg = message::build(&w.from, m).unwrap();
        let mut conn = None;
        let staged = w
            .transport
            .stage(
                m.id.get(),
                msg.envelope(),
                msg.formatted(),
                w.instance_id(),
                &mut conn,
            )
            .await
            .unwrap();
        if hand_over {
            let file = staged.file_name().map(str::to_owned);
            assert!(self
                .store
                .outbox()
                .hand_over_mail(m.id, w.instance_id(), self.clock.now(), file.as_deref())
                .await
                .unwrap());
        }
        drop(staged);
        drop(conn);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_handed_over_before_a_kill_is_put_in_place_at_restart_not_written_again() {
    let s = Setup::new().await;
    let a = s.worker("a", &s.files_url());
    let m = s.claim("a").await;
    s.stop_after_staging(&a, &m, true).await;
    assert!(
        s.names().iter().all(|n| n.ends_with(".tmp")),
        "{:?}",
        s.names()
    );
    // Restarted: the rename is finished and recorded; nothing is due any more.
    let a = s.worker("a", &s.files_url());
    a.release_own_claims().await.unwrap();
    assert_eq!(s.status().await.0, MailStatus::Sent);
    assert_eq!(a.deliver_due().await.unwrap(), 0);
    let names = s.names();
    assert_eq!(names.len(), 1, "{names:?}");
    assert!(names[0].ends_with(".eml"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_staged_but_not_handed_over_is_removed_and_written_once() {
    let s = Setup::new().await;
    let a = s.worker("a", &s.files_url());
    let m = s.claim("a").await;
    s.stop_after_staging(&a, &m, false).await;
    let a = s.worker("a", &s.files_url());
    a.release_own_claims().await.unwrap();
    assert!(
        s.names().is_empty(),
        "the leftover is gone: {:?}",
        s.names()
    );
    assert_eq!(a.deliver_due().await.unwrap(), 1);
    assert_eq!(s.status().await.0, MailStatus::Sent);
    assert_eq!(s.names().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_instance_finishes_a_dead_instances_file_after_its_lease() {
    let s = Setup::new().await;
    let a = s.worker("a", &s.files_url());
    let m = s.claim("a").await;
    s.stop_after_staging(&a, &m, true).await;
    let b = s.worker("b", &s.files_url());
    assert_eq!(
        b.finish_hand_overs().await.unwrap(),
        0,
        "a's lease still runs"
    );
    s.clock.advance(LEASE * 2);
    assert_eq!(b.finish_hand_overs().await.unwrap(), 1);
    assert_eq!(s.status().await.0, MailStatus::Sent);
    assert_eq!(s.names().len(), 1);
    assert!(s.names()[0].ends_with(".eml"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smtp_killed_after_the_hand_over_is_never_sent_again_and_shows_as_unconfirmed() {
    let s = Setup::new().await;
    let (sink, port) = Sink::start().await;
    let url = format!("smtp://127.0.0.1:{port}?tls=none");
    let a = s.worker("a", &url);
    let m = s.claim("a").await;
    s.stop_after_staging(&a, &m, true).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(sink.accepted().is_empty(), "no dot, no mail");
    let a = s.worker("a", &url);
    a.release_own_claims().await.unwrap();
    assert_eq!(a.deliver_due().await.unwrap(), 0, "not sent again");
    s.clock.advance(LEASE * 10);
    assert_eq!(s.worker("b", &url).deliver_due().await.unwrap(), 0);
    let (status, note) = s.status().await;
    assert_eq!(status, MailStatus::HandedOver);
    assert!(note.unwrap().contains("unconfirmed"));
    // The operator resends it.
    assert!(s
        .store
        .outbox()
        .requeue_mail(m.id, s.clock.now())
        .await
        .unwrap());
    assert_eq!(a.deliver_due().await.unwrap(), 1);
    assert_eq!(s.status().await.0, MailStatus::Sent);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(sink.accepted(), vec![1]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smtp_killed_before_the_hand_over_is_sent_once_at_restart() {
    let s = Setup::new().await;
    let (sink, port) = Sink::start().await;
    let url = format!("smtp://127.0.0.1:{port}?tls=none");
    let a = s.worker("a", &url);
    let m = s.claim("a").await;
    s.stop_after_staging(&a, &m, false).await;
    let a = s.worker("a", &url);
    a.release_own_claims().await.unwrap();
    assert_eq!(a.deliver_due().await.unwrap(), 1);
    assert_eq!(s.status().await.0, MailStatus::Sent);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(sink.accepted(), vec![1]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_that_lost_its_claim_abandons_the_message_before_the_dot() {
    let s = Setup::new().await;
    let (sink, port) = Sink::start().await;
    let url = format!("smtp://127.0.0.1:{port}?tls=none");
    let a = s.worker("a", &url);
    let m = s.claim("a").await;
    // "a" stalls past its lease; "b" takes the mail over and sends it.
    s.clock.advance(LEASE * 2);
    let b = s.worker("b", &url);
    assert_eq!(b.deliver_due().await.unwrap(), 1);
    // "a" wakes up with the message staged: its hand-over is refused and it never sends the
    // dot.
    a.deliver(m, &mut None).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(sink.accepted(), vec![1], "exactly once");
    assert_eq!(s.status().await.0, MailStatus::Sent);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_the_server_closed_between_mails_is_opened_again() {
    let s = Setup::with_mails(3).await;
    let (sink, port) = Sink::start_closing(true).await;
    let a = s.worker("a", &format!("smtp://127.0.0.1:{port}?tls=none"));
    assert_eq!(a.deliver_due().await.unwrap(), 3);
    let rows = s.store.outbox().list_mail(None, 10).await.unwrap();
    assert!(
        rows.iter().all(|r| r.status == MailStatus::Sent),
        "{rows:?}"
    );
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(sink.accepted(), vec![1, 1, 1]);
}
