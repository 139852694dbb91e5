//! Mail delivery. Mails are queued in the database outbox (see
//! [`ccus_storage::StoreTx::enqueue_mail`]) in the same transaction as their cause; the
//! [`Deliverer`] here claims them, turns each into an RFC 5322 message and hands it to a
//! transport — `.eml` files in a folder (the default) or SMTP — with retries and backoff.

mod message;
mod transport;

use std::sync::Arc;
use std::time::Duration;

use ccus_domain::Clock;
use ccus_storage::{OutboxMail, Store};
use serde::Deserialize;
use tokio::sync::Notify;

pub use message::{build, decode_eml, Eml};
pub use transport::{Transport, TransportError};

/// `[mail]` configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MailConfig {
    /// `file://FOLDER` (one `.eml` per mail), `smtp://[user:pass@]host[:port][?tls=required|opportunistic|none]`
    /// (STARTTLS required unless told otherwise) or `smtps://[user:pass@]host[:port]` (TLS).
    pub url: String,
    /// The sender, e.g. `CCUS Portal <no-reply@ccus.example.jp>`.
    pub from: String,
    /// How often the outbox is looked at when nothing wakes the worker.
    #[serde(with = "humantime_serde")]
    pub poll_interval: Duration,
    /// Wait after the first failed attempt; doubles with each further failure (capped at 1 h).
    #[serde(with = "humantime_serde")]
    pub retry_base: Duration,
    /// Attempts before a mail is marked failed.
    pub max_attempts: u32,
    /// How long a claimed mail is reserved for this instance's worker. The worker renews its
    /// claims every third of this while it sends, so only a worker that died (or lost the
    /// database for this long) lets another instance take its mail over.
    #[serde(with = "humantime_serde")]
    pub lease: Duration,
    /// This instance's name in mail claims: unique among the running instances and the same
    /// across restarts, so a restarted instance releases its own unfinished claims at once.
    /// Empty: the host name and listening port.
    pub instance_id: String,
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            url: "file://./data/mail".into(),
            from: "CCUS Portal <no-reply@example.jp>".into(),
            poll_interval: Duration::from_secs(5),
            retry_base: Duration::from_secs(30),
            max_attempts: 10,
            lease: Duration::from_secs(30),
            instance_id: String::new(),
        }
    }
}

const BATCH: u32 = 20;
const MAX_BACKOFF: Duration = Duration::from_secs(3600);

/// Wakes the delivery worker right after a mail was committed.
#[derive(Clone, Default)]
pub struct MailWaker(Arc<Notify>);

impl MailWaker {
    pub fn wake(&self) {
        self.0.notify_one();
    }
}

/// The outbox worker. Several may run (one per instance): claims are leases carrying the
/// instance id, so no mail is handed to two of them at once. Delivery is at least once: a mail
/// is sent again only when a crash (or a database outage longer than the lease) falls between
/// the transport accepting it and its record as sent — and then with the same Message-ID.
pub struct Deliverer {
    store: Store,
    transport: Transport,
    from: lettre::message::Mailbox,
    config: MailConfig,
    clock: Arc<dyn Clock>,
    waker: MailWaker,
}

#[derive(Debug, thiserror::Error)]
pub enum MailSetupError {
    #[error("invalid configuration value for `mail.from`: {0}")]
    From(String),
    #[error(transparent)]
    Transport(#[from] TransportError),
}

impl Deliverer {
    pub fn new(
        store: Store,
        config: MailConfig,
        clock: Arc<dyn Clock>,
        waker: MailWaker,
    ) -> Result<Self, MailSetupError> {
        let from = config
            .from
            .parse()
            .map_err(|e: lettre::address::AddressError| MailSetupError::From(e.to_string()))?;
        let transport = Transport::from_url(&config.url)?;
        Ok(Deliverer {
            store,
            transport,
            from,
            config,
            clock,
            waker,
        })
    }

    /// This worker's instance id, as written into its claims.
    pub fn instance_id(&self) -> &str {
        &self.config.instance_id
    }

    /// Releases the claims this instance id still holds from a previous run (killed
    /// mid-send): its mails are due again at once instead of after their lease.
    pub async fn release_own_claims(&self) -> Result<u64, ccus_storage::StoreError> {
        let n = self
            .store
            .release_mail_claims(&self.config.instance_id)
            .await?;
        if n > 0 {
            tracing::info!(
                instance = %self.config.instance_id,
                mails = n,
                "released the mail claims of this instance's previous run"
            );
        }
        Ok(n)
    }

    /// Delivers until the process ends. First releases this instance's leftover claims.
    pub fn spawn(self) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut released = false;
            loop {
                if !released {
                    match self.release_own_claims().await {
                        Ok(_) => released = true,
                        Err(e) => {
                            tracing::warn!(error = %e, "mail outbox unavailable; will retry")
                        }
                    }
                }
                if released {
                    match self.deliver_due().await {
                        Ok(n) if n > 0 => continue,
                        Ok(_) => {}
                        Err(e) => tracing::warn!(error = %e, "mail outbox unavailable; will retry"),
                    }
                }
                let _ =
                    tokio::time::timeout(self.config.poll_interval, self.waker.0.notified()).await;
            }
        })
    }

    /// Sends every mail that is due now; returns how many were attempted. The claims are
    /// renewed while the batch is being sent.
    pub async fn deliver_due(&self) -> Result<usize, ccus_storage::StoreError> {
        let now = self.clock.now();
        let batch = self
            .store
            .claim_mail(now, self.config.lease, BATCH, &self.config.instance_id)
            .await?;
        let n = batch.len();
        if n == 0 {
            return Ok(0);
        }
        self.holding_claims(async {
            for mail in batch {
                self.deliver(mail).await?;
            }
            Ok(n)
        })
        .await
    }

    /// Runs `work` while renewing this instance's claims every third of the lease.
    pub async fn holding_claims<T>(&self, work: impl std::future::Future<Output = T>) -> T {
        let every = (self.config.lease / 3).max(Duration::from_millis(10));
        let renew = async {
            loop {
                tokio::time::sleep(every).await;
                let until = self.clock.now().plus(self.config.lease);
                if let Err(e) = self
                    .store
                    .renew_mail_claims(&self.config.instance_id, until)
                    .await
                {
                    tracing::warn!(error = %e, "could not renew mail claims; will retry");
                }
            }
        };
        tokio::pin!(work);
        tokio::select! {
            out = &mut work => out,
            never = renew => never,
        }
    }

    /// Records a mail the transport accepted. Retried while the database is unavailable, for
    /// at most the lease (renewed meanwhile), so that a short outage right after the hand-over
    /// does not make another worker send the mail again.
    async fn record_sent(&self, id: i64) -> Result<(), ccus_storage::StoreError> {
        let deadline = tokio::time::Instant::now() + self.config.lease;
        loop {
            match self.store.mark_mail_sent(id, self.clock.now()).await {
                Err(ccus_storage::StoreError::Unavailable(e))
                    if tokio::time::Instant::now() < deadline =>
                {
                    tracing::warn!(mail = id, error = %e, "could not record a sent mail yet; will retry");
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                other => return other,
            }
        }
    }

    async fn deliver(&self, mail: OutboxMail) -> Result<(), ccus_storage::StoreError> {
        let outcome = match message::build(&self.from, &mail) {
            Ok(msg) => self.transport.send(mail.id, &msg).await,
            Err(e) => Err(TransportError::Permanent(e)),
        };
        let now = self.clock.now();
        match outcome {
            Ok(()) => {
                tracing::info!(mail = mail.id, "mail delivered");
                self.record_sent(mail.id).await
            }
            Err(e) => {
                let permanent = matches!(e, TransportError::Permanent(_));
                let retry_at = (!permanent && mail.attempts < self.config.max_attempts)
                    .then(|| now.plus(backoff(self.config.retry_base, mail.attempts)));
                tracing::warn!(mail = mail.id, attempts = mail.attempts, error = %e, gives_up = retry_at.is_none(), "mail not delivered");
                self.store
                    .mark_mail_failed(mail.id, &e.to_string(), retry_at)
                    .await
            }
        }
    }
}

/// Whether `s` is usable as `mail.from`.
pub fn valid_sender(s: &str) -> bool {
    s.parse::<lettre::message::Mailbox>().is_ok()
}

/// `base · 2^(attempts-1)`, capped at an hour.
fn backoff(base: Duration, attempts: u32) -> Duration {
    let factor = 1u32 << attempts.saturating_sub(1).min(16);
    base.saturating_mul(factor).min(MAX_BACKOFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let b = Duration::from_secs(30);
        assert_eq!(backoff(b, 1), Duration::from_secs(30));
        assert_eq!(backoff(b, 2), Duration::from_secs(60));
        assert_eq!(backoff(b, 100), MAX_BACKOFF);
    }
}
