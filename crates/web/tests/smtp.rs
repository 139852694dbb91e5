//! Real SMTP: a small SMTP server started inside the test receives the mail. With the server
//! down, requests still succeed and mail waits in the outbox; when it comes back each mail
//! arrives exactly once. Addresses with CR/LF never become headers or recipients.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use ccus_domain::AccountKind;
use ccus_storage::{MailStatus, NewMail};
use ccus_testkit::*;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One message as the server received it.
#[derive(Debug, Clone)]
struct Received {
    rcpt: Vec<String>,
    data: String,
}

/// A minimal SMTP server (RFC 5321 happy path, no TLS) that keeps what it receives.
#[derive(Clone, Default)]
struct Sink {
    got: Arc<Mutex<Vec<Received>>>,
}

impl Sink {
    async fn start_on(listener: TcpListener) -> Sink {
        let sink = Sink::default();
        let got = sink.got.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let got = got.clone();
                tokio::spawn(async move {
                    let (r, mut w) = stream.into_split();
                    let mut r = BufReader::new(r);
                    let _ = w.write_all(b"220 sink.test ESMTP\r\n").await;
                    let mut rcpt = Vec::new();
                    let mut line = String::new();
                    loop {
                        line.clear();
                        if r.read_line(&mut line).await.unwrap_or(0) == 0 {
                            return;
                        }
                        let cmd = line.trim_end().to_ascii_uppercase();
                        let reply: &[u8] = if cmd.starts_with("EHLO") {
                            b"250-sink.test\r\n250 8BITMIME\r\n"
                        } else if cmd.starts_with("HELO")
                            || cmd.starts_with("MAIL FROM")
                            || cmd.starts_with("RSET")
                            || cmd.starts_with("NOOP")
                        {
                            b"250 OK\r\n"
                        } else if cmd.starts_with("RCPT TO") {
                            rcpt.push(line.trim_end()[8..].trim().to_owned());
                            b"250 OK\r\n"
                        } else if cmd.starts_with("DATA") {
                            let _ = w.write_all(b"354 go ahead\r\n").await;
                            let mut data = String::new();
                            loop {
                                line.clear();
                                if r.read_line(&mut line).await.unwrap_or(0) == 0 {
                                    return;
                                }
                                if line == ".\r\n" {
                                    break;
                                }
                                data.push_str(&line);
                            }
                            got.lock().unwrap().push(Received {
                                rcpt: std::mem::take(&mut rcpt),
                                data,
                            });
                            b"250 queued\r\n"
                        } else if cmd.starts_with("QUIT") {
                            let _ = w.write_all(b"221 bye\r\n").await;
                            return;
                        } else {
                            b"502 not implemented\r\n"
                        };
                        if w.write_all(reply).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        sink
    }

    fn received(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }

    async fn wait_for(&self, n: usize) -> Vec<Received> {
        let deadline = std::time::Instant::now() + Duration::from_secs(15);
        loop {
            let got = self.received();
            if got.len() >= n {
                return got;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "only {} of {n} mails arrived",
                got.len()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

fn smtp_url(port: u16) -> String {
    format!("smtp://127.0.0.1:{port}?tls=none")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_goes_out_over_smtp() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let sink = Sink::start_on(listener).await;
    let app = spawn_app_with(ccus_storage::testdb::sqlite_url(), |c| {
        c.mail.url = smtp_url(port)
    })
    .await;
    let acct = app.account(AccountKind::Technician).await;
    let got = sink.wait_for(1).await;
    assert_eq!(got[0].rcpt, vec!["<someone@example.jp>".to_owned()]);
    let eml = ccus_mail::decode_eml(&got[0].data).unwrap();
    assert!(eml.subject.contains("登録完了"));
    assert!(eml.body.contains(&acct.login_id.grouped()));
    let sent = app
        .state
        .store_for_tools()
        .outbox()
        .list_mail(Some(MailStatus::Sent), 10)
        .await
        .unwrap();
    assert_eq!(sent.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_smtp_down_mail_waits_and_then_arrives_exactly_once() {
    // A port with nothing listening yet.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let app = spawn_app_with(ccus_storage::testdb::sqlite_url(), |c| {
        c.mail.url = smtp_url(port)
    })
    .await;
    let acct = app.account(AccountKind::Business).await;
    // The request that causes a mail still succeeds.
    let b = app.browser();
    let r = app
        .submit(
            &b,
            "/ccus_owner/password/forgot",
            "/ccus_owner/password/forgot",
            &[
                ("login_id", acct.login_id.as_str()),
                ("email", "someone@example.jp"),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    // Both mails wait, with the reason recorded.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let rows = app
            .state
            .store_for_tools()
            .outbox()
            .list_mail(None, 10)
            .await
            .unwrap();
        if rows.len() == 2
            && rows.iter().all(|m| {
                m.status == MailStatus::Pending && m.attempts >= 1 && m.last_error.is_some()
            })
        {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{rows:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The server comes back; once the retry is due, each mail arrives once.
    let listener = TcpListener::bind(("127.0.0.1", port)).await.unwrap();
    let sink = Sink::start_on(listener).await;
    app.clock.advance(Duration::from_secs(60));
    app.state.wake_mail();
    let got = sink.wait_for(2).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    app.clock.advance(Duration::from_secs(3600));
    app.state.wake_mail();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(sink.received().len(), 2, "exactly once each");
    let subjects: Vec<String> = got
        .iter()
        .map(|g| ccus_mail::decode_eml(&g.data).unwrap().subject)
        .collect();
    assert!(subjects.iter().any(|s| s.contains("登録完了")));
    assert!(subjects.iter().any(|s| s.contains("パスワード再設定")));
    assert_eq!(
        app.state
            .store_for_tools()
            .outbox()
            .list_mail(Some(MailStatus::Sent), 10)
            .await
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crlf_in_an_address_never_adds_a_header_or_recipient() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let sink = Sink::start_on(listener).await;
    // A mail to a forged address must end as failed: that is what this test checks.
    let app = TestApp::builder()
        .config(|c| c.mail.url = smtp_url(port))
        .allow_failed_mail()
        .start()
        .await;
    // Such an address cannot be registered at all...
    let refused = ccus_app::account::provisioning::create_account(
        &app.state,
        ccus_app::account::provisioning::AccountRequest {
            kind: AccountKind::Technician,
            name: "x".into(),
            email: "a@example.jp\r\nBcc: evil@example.com".into(),
            password: Some("a long enough password".into()),
            security_code: Some("1234".into()),
            must_change_password: false,
            profile: Default::default(),
        },
    )
    .await;
    assert!(refused.is_err());
    // ...and one that got into the outbox anyway is refused by the deliverer, permanently.
    let now = ccus_domain::Clock::now(app.state.clock());
    let mut tx = app.state.store_for_tools().begin().await.unwrap();
    tx.outbox()
        .enqueue_mail(
            &NewMail {
                to: "a@example.jp\r\nBcc: evil@example.com".into(),
                subject: "件名\r\nBcc: evil@example.com".into(),
                body: "本文".into(),
            },
            now,
        )
        .await
        .unwrap();
    tx.outbox()
        .enqueue_mail(
            &NewMail {
                to: "good@example.jp".into(),
                subject: "件名\r\nBcc: evil@example.com".into(),
                body: "本文".into(),
            },
            now,
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    app.state.wake_mail();
    let got = sink.wait_for(1).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let got_all = sink.received();
    assert_eq!(got_all.len(), 1, "{got:?}");
    assert_eq!(got_all[0].rcpt, vec!["<good@example.jp>".to_owned()]);
    let eml = ccus_mail::decode_eml(&got_all[0].data).unwrap();
    assert!(!eml
        .headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("bcc")));
    assert!(!got_all[0].data.contains("\r\nBcc:"));
    let failed = app
        .state
        .store_for_tools()
        .outbox()
        .list_mail(Some(MailStatus::Failed), 10)
        .await
        .unwrap();
    assert_eq!(failed.len(), 1);
}
