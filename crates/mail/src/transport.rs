//! Where mails go: a folder of `.eml` files (written whole: temporary file, fsync, rename) or
//! an SMTP server (lettre, STARTTLS or TLS).

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

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

pub enum Transport {
    Files(PathBuf),
    Smtp(Box<AsyncSmtpTransport<Tokio1Executor>>),
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
    pub fn from_url(url: &str) -> Result<Transport, TransportError> {
        if let Some(dir) = url.strip_prefix("file://") {
            if dir.is_empty() {
                return Err(TransportError::Config("file:// needs a folder".into()));
            }
            return Ok(Transport::Files(PathBuf::from(dir)));
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
        let mode = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("tls="))
            .unwrap_or(if implicit_tls { "wrapper" } else { "required" });
        let params = || {
            TlsParameters::new(host.to_owned()).map_err(|e| TransportError::Config(e.to_string()))
        };
        let tls = match (implicit_tls, mode) {
            (true, _) => Tls::Wrapper(params()?),
            (false, "required") => Tls::Required(params()?),
            (false, "opportunistic") => Tls::Opportunistic(params()?),
            (false, "none") => Tls::None,
            (false, other) => {
                return Err(TransportError::Config(format!(
                    "tls={other} (use required, opportunistic or none)"
                )))
            }
        };
        let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(port)
            .tls(tls)
            .timeout(Some(Duration::from_secs(15)));
        if let Some(u) = userinfo {
            let (user, pass) = u.split_once(':').unwrap_or((u, ""));
            b = b.credentials(Credentials::new(percent_decode(user), percent_decode(pass)));
        }
        Ok(Transport::Smtp(Box::new(b.build())))
    }

    /// Hands one message over. For files, the `.eml` is complete and on disk when this returns.
    pub async fn send(&self, id: i64, msg: &Message) -> Result<(), TransportError> {
        match self {
            Transport::Files(dir) => {
                let dir = dir.clone();
                let bytes = msg.formatted();
                tokio::task::spawn_blocking(move || write_eml(&dir, id, &bytes))
                    .await
                    .map_err(|e| TransportError::Temporary(e.to_string()))?
                    .map_err(|e| TransportError::Temporary(format!("writing the mail file: {e}")))
            }
            Transport::Smtp(t) => match t.send(msg.clone()).await {
                Ok(_) => Ok(()),
                Err(e) if e.is_permanent() => Err(TransportError::Permanent(e.to_string())),
                Err(e) => Err(TransportError::Temporary(e.to_string())),
            },
        }
    }
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

fn write_eml(dir: &std::path::Path, id: i64, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let name = eml_name(id);
    let tmp = dir.join(format!(".{name}.tmp"));
    {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, dir.join(&name))?;
    // Make the rename itself durable.
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
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
    fn urls() {
        assert!(matches!(
            Transport::from_url("file://./data/mail"),
            Ok(Transport::Files(_))
        ));
        assert!(matches!(
            Transport::from_url("smtp://127.0.0.1:2525?tls=none"),
            Ok(Transport::Smtp(_))
        ));
        assert!(matches!(
            Transport::from_url("smtp://user:p%40ss@mail.example.jp"),
            Ok(Transport::Smtp(_))
        ));
        assert!(matches!(
            Transport::from_url("smtps://mail.example.jp"),
            Ok(Transport::Smtp(_))
        ));
        assert!(Transport::from_url("smtp://mail.example.jp?tls=maybe").is_err());
        assert!(Transport::from_url("http://x").is_err());
        assert_eq!(percent_decode("p%40ss"), "p@ss");
    }
}
