//! Where mails go: a folder of `.eml` files or an SMTP server. Each delivery is staged first —
//! the `.eml` written to a temporary file and synced, or the SMTP message sent up to its final
//! dot — and completed after the worker recorded the hand-over: the file renamed into place,
//! the dot sent and the server's answer read (see the crate docs for why).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::smtp::{self, Security, SmtpServer};

#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    #[error("invalid configuration value for `mail.url`: {0}")]
    Config(String),
    /// Worth retrying (server down, timeout, disk full…).
    #[error("{0}")]
    Temporary(String),
    /// Retrying cannot help (the message is unacceptable).
    #[error("{0}")]
    Permanent(String),
}

/// A transport, as `mail.url` names it.
pub struct Transport(pub(crate) Kind);

pub(crate) enum Kind {
    Files(MailFolder),
    Smtp(SmtpServer),
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl Transport {
    /// `file://FOLDER`, `smtp://[user:pass@]host[:port][?tls=required|opportunistic|none]`
    /// (port 587, STARTTLS required unless told otherwise) or
    /// `smtps://[user:pass@]host[:port]` (port 465, TLS from the start).
    pub fn from_url(url: &str) -> Result<Transport, TransportError> {
        if let Some(dir) = url.strip_prefix("file://") {
            if dir.is_empty() {
                return Err(TransportError::Config("file:// needs a folder".into()));
            }
            return Ok(Transport(Kind::Files(MailFolder {
                dir: PathBuf::from(dir),
            })));
        }
        let (implicit_tls, rest) = if let Some(r) = url.strip_prefix("smtps://") {
            (true, r)
        } else if let Some(r) = url.strip_prefix("smtp://") {
            (false, r)
        } else {
            return Err(TransportError::Config(format!(
                "{url:?} must start with file://, smtp:// or smtps://"
            )));
        };
        let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
        let rest = rest.trim_end_matches('/');
        let (userinfo, hostport) = match rest.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, rest),
        };
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) => (
                h,
                p.parse::<u16>()
                    .map_err(|_| TransportError::Config(format!("bad port {p:?}")))?,
            ),
            None => (hostport, if implicit_tls { 465 } else { 587 }),
        };
        if host.is_empty() {
            return Err(TransportError::Config("no SMTP host".into()));
        }
        let mode = query.split('&').find_map(|kv| kv.strip_prefix("tls="));
        let security = match (implicit_tls, mode) {
            (true, _) => Security::Implicit,
            (false, None | Some("required")) => Security::Required,
            (false, Some("opportunistic")) => Security::Opportunistic,
            (false, Some("none")) => Security::None,
            (false, Some(other)) => {
                return Err(TransportError::Config(format!(
                    "tls={other} (use required, opportunistic or none)"
                )))
            }
        };
        let credentials = userinfo.map(|u| {
            let (user, pass) = u.split_once(':').unwrap_or((u, ""));
            (percent_decode(user), percent_decode(pass))
        });
        Ok(Transport(Kind::Smtp(SmtpServer::new(
            host,
            port,
            security,
            credentials,
        )?)))
    }
}

/// The folder of the file transport.
pub(crate) struct MailFolder {
    dir: PathBuf,
}

/// A mail written to its temporary file and synced, not yet in place.
pub(crate) struct StagedFile {
    tmp: PathBuf,
    /// The name it gets in the folder (recorded with the hand-over).
    pub(crate) name: String,
}

/// The file name of a mail: when it was written (UTC, so names sort in the order mail was
/// sent), its outbox id, and random bits. A database made anew, or another instance writing
/// to the same folder, restarts or shares outbox ids; the names still never collide, so no
/// mail file ever replaces another.
fn eml_name(id: i64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let mut nonce = [0u8; 6];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut nonce);
    let nonce: String = nonce.iter().map(|b| format!("{b:02x}")).collect();
    format!("{:015}-{id:010}-{nonce}.eml", now.as_millis())
}

/// The temporary name of mail file `name` written by the worker `by`: hidden (a leading dot,
/// a `.tmp` end, so nothing reading `*.eml` sees it) and marked with the worker, so that a
/// restarted worker knows which leftovers are its own.
fn tmp_name(name: &str, by: &str) -> String {
    format!(".{name}.{}.tmp", worker_tag(by))
}

/// A short, stable mark for an instance id (FNV-1a; ids may hold characters unfit for file
/// names).
fn worker_tag(by: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in by.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> std::io::Result<T> + Send + 'static,
) -> std::io::Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(std::io::Error::other)?
}

impl MailFolder {
    /// Writes the message to its temporary file and syncs it.
    pub(crate) async fn stage(
        &self,
        id: i64,
        bytes: Vec<u8>,
        by: &str,
    ) -> Result<StagedFile, TransportError> {
        let name = eml_name(id);
        let tmp = self.dir.join(tmp_name(&name, by));
        let (dir, path) = (self.dir.clone(), tmp.clone());
        blocking(move || {
            std::fs::create_dir_all(&dir)?;
            let written = std::fs::File::create(&path).and_then(|mut f| {
                f.write_all(&bytes)?;
                f.sync_all()
            });
            if written.is_err() {
                let _ = std::fs::remove_file(&path);
            }
            written
        })
        .await
        .map_err(|e| TransportError::Temporary(format!("writing the mail file: {e}")))?;
        Ok(StagedFile { tmp, name })
    }

    /// Puts a staged file in place (rename, then sync the folder so the rename lasts). A file
    /// already in place (another worker finished this hand-over) counts as done.
    pub(crate) async fn publish(&self, staged: StagedFile) -> Result<(), TransportError> {
        let dir = self.dir.clone();
        let done = dir.join(&staged.name);
        blocking(move || {
            match std::fs::rename(&staged.tmp, &done) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && done.exists() => {}
                other => other?,
            }
            sync_dir(&dir);
            Ok(())
        })
        .await
        .map_err(|e| TransportError::Temporary(format!("putting the mail file in place: {e}")))
    }

    /// Removes a staged file that will not be published.
    pub(crate) async fn discard(&self, staged: StagedFile) {
        let _ = blocking(move || std::fs::remove_file(&staged.tmp)).await;
    }

    /// Finishes a hand-over whose worker (`by`) died: puts its file in place if it is still
    /// the temporary one. Returns whether the mail file is in place now.
    pub(crate) async fn finish(&self, name: &str, by: &str) -> std::io::Result<bool> {
        let dir = self.dir.clone();
        let done = dir.join(name);
        let tmp = dir.join(tmp_name(name, by));
        blocking(move || {
            if tmp.exists() {
                std::fs::rename(&tmp, &done)?;
                sync_dir(&dir);
            }
            Ok(done.exists())
        })
        .await
    }

    /// Removes the temporary files a dead run of the worker `by` left behind (call after
    /// [`MailFolder::finish`] for its hand-overs: what is left was never handed over), and any
    /// worker's that are older than `stale` (an instance that never came back).
    pub(crate) async fn sweep(&self, by: &str, stale: std::time::Duration) -> usize {
        let dir = self.dir.clone();
        let own = format!(".{}.tmp", worker_tag(by));
        blocking(move || {
            let mut removed = 0;
            let Ok(entries) = std::fs::read_dir(&dir) else {
                return Ok(0);
            };
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if !(name.starts_with('.') && name.ends_with(".tmp") && name.contains(".eml.")) {
                    continue;
                }
                let old = e
                    .metadata()
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.elapsed().ok())
                    .is_some_and(|age| age > stale);
                if (name.ends_with(&own) || old) && std::fs::remove_file(e.path()).is_ok() {
                    removed += 1;
                }
            }
            Ok(removed)
        })
        .await
        .unwrap_or(0)
    }
}

/// A delivery staged: everything done but the point of no return.
pub(crate) enum Staged<'a> {
    File(&'a MailFolder, StagedFile),
    Smtp(&'a mut Option<smtp::Connection>),
}

impl Staged<'_> {
    /// The mail file's name, to record with the hand-over.
    pub(crate) fn file_name(&self) -> Option<&str> {
        match self {
            Staged::File(_, f) => Some(&f.name),
            Staged::Smtp(_) => None,
        }
    }

    /// Passes the point of no return: the file is put in place, the SMTP dot sent and the
    /// server's answer read.
    pub(crate) async fn complete(self) -> Result<(), TransportError> {
        match self {
            Staged::File(folder, f) => folder.publish(f).await,
            Staged::Smtp(slot) => {
                let Some(conn) = slot.as_mut() else {
                    return Err(TransportError::Temporary("no SMTP connection".into()));
                };
                let r = conn.finish().await;
                if r.is_err() {
                    // Unusable for the next mail whatever happened.
                    *slot = None;
                }
                r
            }
        }
    }

    /// Gives the delivery up before the point of no return: the temporary file is removed;
    /// the SMTP connection is dropped, which makes the server discard the message.
    pub(crate) async fn abandon(self) {
        match self {
            Staged::File(folder, f) => folder.discard(f).await,
            Staged::Smtp(slot) => *slot = None,
        }
    }
}

impl Transport {
    /// Stages a delivery of the message `bytes` for outbox mail `id`, sent by worker `by`.
    /// For SMTP, `conn` is the batch's connection: opened when there is none, dropped after
    /// any error.
    pub(crate) async fn stage<'a>(
        &'a self,
        id: i64,
        envelope: &lettre::address::Envelope,
        bytes: Vec<u8>,
        by: &str,
        conn: &'a mut Option<smtp::Connection>,
    ) -> Result<Staged<'a>, TransportError> {
        match &self.0 {
            Kind::Files(folder) => Ok(Staged::File(folder, folder.stage(id, bytes, by).await?)),
            Kind::Smtp(server) => {
                let from = envelope.from().map(|a| a.to_string());
                let to: Vec<String> = envelope.to().iter().map(|a| a.to_string()).collect();
                // A connection kept from the previous mail of the batch may have been closed
                // by the server meanwhile: then once more on a new one (nothing was handed
                // over, so nothing can be sent twice).
                let mut reused = conn.is_some();
                loop {
                    if conn.is_none() {
                        *conn = Some(server.connect().await?);
                    }
                    let Some(c) = conn.as_mut() else {
                        return Err(TransportError::Temporary("no SMTP connection".into()));
                    };
                    match c.send_content(from.as_deref(), &to, &bytes).await {
                        Ok(()) => return Ok(Staged::Smtp(conn)),
                        Err(TransportError::Temporary(_)) if reused => {
                            *conn = None;
                            reused = false;
                        }
                        Err(e) => {
                            *conn = None;
                            return Err(e);
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mail_file_names_never_collide_and_sort_by_time() {
        let a = eml_name(1);
        let b = eml_name(1);
        assert_ne!(a, b, "the same outbox id twice (a database made anew)");
        assert!(a.ends_with(".eml") && a.contains("-0000000001-"));
        std::thread::sleep(std::time::Duration::from_millis(2));
        assert!(eml_name(0) > a, "later mail sorts later");
    }

    #[test]
    fn temporary_names_are_hidden_and_marked_by_worker() {
        let t = tmp_name("x.eml", "host:8080");
        assert!(t.starts_with(".x.eml.") && t.ends_with(".tmp"));
        assert_ne!(t, tmp_name("x.eml", "host:8081"));
        assert_eq!(t, tmp_name("x.eml", "host:8080"), "stable across restarts");
    }

    fn security(url: &str) -> Option<Security> {
        match Transport::from_url(url) {
            Ok(Transport(Kind::Smtp(s))) => Some(s.security()),
            _ => None,
        }
    }

    #[test]
    fn urls() {
        assert!(matches!(
            Transport::from_url("file://./data/mail"),
            Ok(Transport(Kind::Files(_)))
        ));
        assert_eq!(
            security("smtp://127.0.0.1:2525?tls=none"),
            Some(Security::None)
        );
        assert_eq!(
            security("smtp://user:p%40ss@mail.example.jp"),
            Some(Security::Required)
        );
        assert_eq!(
            security("smtp://mail.example.jp?tls=opportunistic"),
            Some(Security::Opportunistic)
        );
        assert_eq!(
            security("smtps://mail.example.jp"),
            Some(Security::Implicit)
        );
        assert!(Transport::from_url("smtp://mail.example.jp?tls=maybe").is_err());
        assert!(Transport::from_url("smtp://mail.example.jp:99999").is_err());
        assert!(Transport::from_url("http://x").is_err());
        assert_eq!(percent_decode("p%40ss"), "p@ss");
    }

    #[tokio::test]
    async fn a_staged_file_is_hidden_until_published_and_a_dead_workers_is_finished() {
        let dir = tempfile::tempdir().unwrap();
        let folder = MailFolder {
            dir: dir.path().to_owned(),
        };
        let eml = |d: &Path| {
            std::fs::read_dir(d)
                .unwrap()
                .filter_map(|e| e.ok())
                .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
                .count()
        };
        let a = folder.stage(1, b"one".to_vec(), "w").await.unwrap();
        assert_eq!(eml(dir.path()), 0, "not visible before it is published");
        folder.publish(a).await.unwrap();
        assert_eq!(eml(dir.path()), 1);
        // A worker died after recording the hand-over of mail 2 and before the rename, and
        // before recording mail 3's.
        let b = folder.stage(2, b"two".to_vec(), "w").await.unwrap();
        let _c = folder.stage(3, b"three".to_vec(), "w").await.unwrap();
        let other = folder.stage(4, b"four".to_vec(), "other").await.unwrap();
        assert!(folder.finish(&b.name, "w").await.unwrap());
        assert!(folder.finish(&b.name, "w").await.unwrap(), "idempotent");
        assert!(!folder.finish("gone.eml", "w").await.unwrap());
        assert_eq!(
            folder
                .sweep("w", std::time::Duration::from_secs(3600))
                .await,
            1
        );
        assert_eq!(eml(dir.path()), 2);
        // Another live worker's file is left alone, and can still be published.
        folder.publish(other).await.unwrap();
        assert_eq!(eml(dir.path()), 3);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 3);
    }
}
