//! The SMTP client: one connection per batch of mails, each mail sent in two steps —
//! [`Connection::send_content`] (MAIL, RCPT, DATA and the message, everything but the final
//! dot) and [`Connection::finish`] (the dot and the server's answer) — so that the worker can
//! record the hand-over in between, before the point of no return.
//!
//! Why our own client: the server takes responsibility for a message when it receives the
//! end-of-data dot, and lettre's connection writes the message and the dot in one call
//! (`message`), so nothing can be recorded between them. The protocol needed here is small —
//! replies are a three-digit code and text lines, the content is dot-stuffed — and the parts
//! that are not small stay with kept libraries: lettre builds and encodes the message, rustls
//! (through tokio-rustls, with the webpki roots) does TLS. Replies are read with limits (line
//! length, line count) and every exchange has a timeout, so a hostile or stuck server costs a
//! bounded amount of memory and time.
//!
//! Errors: any problem before a mail's own commands (connecting, TLS, EHLO, AUTH) is
//! temporary — the server or the settings may be fixed, and the mail is retried with backoff —
//! and so is a lost connection or a 4xx reply; a 5xx reply to MAIL, RCPT, DATA or the message
//! itself refuses that mail for good.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use base64::Engine;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio_rustls::rustls;

use crate::TransportError;

/// How a connection is protected (`mail.url`: `smtps://`, or `smtp://` with `?tls=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Security {
    /// TLS from the first byte (`smtps://`, port 465).
    Implicit,
    /// STARTTLS, and no mail without it (`tls=required`, the default).
    Required,
    /// STARTTLS when the server offers it (`tls=opportunistic`).
    Opportunistic,
    /// Plain text (`tls=none`), for a relay on the same host or network.
    None,
}

/// Where and how to connect.
pub(crate) struct SmtpServer {
    host: String,
    port: u16,
    security: Security,
    credentials: Option<(String, String)>,
    tls: Option<(
        Arc<rustls::ClientConfig>,
        rustls::pki_types::ServerName<'static>,
    )>,
    /// For connecting and for each command.
    timeout: Duration,
    /// For the answer to the final dot, when the server queues the message.
    final_timeout: Duration,
}

const TIMEOUT: Duration = Duration::from_secs(15);
const FINAL_TIMEOUT: Duration = Duration::from_secs(120);
/// RFC 5321 allows reply lines of 512 octets; some servers send longer ones.
const MAX_REPLY_LINE: u64 = 2048;
const MAX_REPLY_LINES: usize = 100;

impl SmtpServer {
    pub(crate) fn new(
        host: &str,
        port: u16,
        security: Security,
        credentials: Option<(String, String)>,
    ) -> Result<SmtpServer, TransportError> {
        let tls = match security {
            Security::None => None,
            _ => Some((tls_config(web_roots())?, server_name(host)?)),
        };
        Ok(SmtpServer {
            host: host.to_owned(),
            port,
            security,
            credentials,
            tls,
            timeout: TIMEOUT,
            final_timeout: FINAL_TIMEOUT,
        })
    }

    #[cfg(test)]
    pub(crate) fn security(&self) -> Security {
        self.security
    }

    /// Trusts only `ca` (a test server's), instead of the public roots.
    #[cfg(test)]
    fn trusting(mut self, ca: rustls::pki_types::CertificateDer<'static>) -> SmtpServer {
        let mut roots = rustls::RootCertStore::empty();
        roots.add(ca).unwrap();
        if let Some((config, _)) = &mut self.tls {
            *config = tls_config(roots).unwrap();
        }
        self
    }

    /// Connects, greets, secures and authenticates as `mail.url` says.
    pub(crate) async fn connect(&self) -> Result<Connection, TransportError> {
        let where_ = format!("{}:{}", self.host, self.port);
        let tcp = tokio::time::timeout(
            self.timeout,
            TcpStream::connect((self.host.as_str(), self.port)),
        )
        .await
        .map_err(|_| temporary(format!("connecting to {where_}: timed out")))?
        .map_err(|e| temporary(format!("connecting to {where_}: {e}")))?;
        // The message and its final dot are written separately; without this, the dot would
        // wait for the server's delayed acknowledgement of the message.
        let _ = tcp.set_nodelay(true);
        let hello_name = match tcp.local_addr() {
            Ok(a) if a.is_ipv4() => format!("[{}]", a.ip()),
            Ok(a) => format!("[IPv6:{}]", a.ip()),
            Err(_) => "localhost".to_owned(),
        };
        let stream = match self.security {
            Security::Implicit => self.handshake(tcp).await?,
            _ => Stream::Plain(tcp),
        };
        let mut c = Connection {
            io: BufReader::new(stream),
            ext: Extensions::default(),
            timeout: self.timeout,
            final_timeout: self.final_timeout,
            hello_name,
        };
        let greeting = c.reply().await?;
        if greeting.code != 220 {
            return Err(temporary(format!("{where_} greeted with {greeting}")));
        }
        c.hello().await?;
        let starttls = match self.security {
            Security::Required if !c.ext.starttls => {
                return Err(temporary(format!(
                    "{where_} does not offer STARTTLS, which mail.url requires \
                     (tls=opportunistic or tls=none allow mail without it)"
                )))
            }
            Security::Required => true,
            Security::Opportunistic => c.ext.starttls,
            Security::Implicit | Security::None => false,
        };
        if starttls {
            c = self.starttls(c).await?;
        }
        if let Some((user, pass)) = &self.credentials {
            c.authenticate(user, pass).await?;
        }
        Ok(c)
    }

    async fn handshake(&self, tcp: TcpStream) -> Result<Stream, TransportError> {
        let Some((config, name)) = &self.tls else {
            return Err(temporary("TLS is not configured".into()));
        };
        let connector = tokio_rustls::TlsConnector::from(config.clone());
        let tls = tokio::time::timeout(self.timeout, connector.connect(name.clone(), tcp))
            .await
            .map_err(|_| temporary(format!("TLS with {}: timed out", self.host)))?
            .map_err(|e| temporary(format!("TLS with {}: {e}", self.host)))?;
        Ok(Stream::Tls(Box::new(tls)))
    }

    async fn starttls(&self, mut c: Connection) -> Result<Connection, TransportError> {
        let r = c.command("STARTTLS").await?;
        if r.code != 220 {
            return Err(temporary(format!("STARTTLS refused: {r}")));
        }
        // Anything the server sent after its answer would be read as if it came through TLS
        // (a known injection): refuse it.
        if !c.io.buffer().is_empty() {
            return Err(temporary(
                "the server sent data before the TLS handshake".into(),
            ));
        }
        let Stream::Plain(tcp) = c.io.into_inner() else {
            return Err(temporary("STARTTLS on a TLS connection".into()));
        };
        c.io = BufReader::new(self.handshake(tcp).await?);
        // What the server offered before TLS is forgotten (RFC 3207); ask again.
        c.ext = Extensions::default();
        c.hello().await?;
        Ok(c)
    }
}

/// The public roots (Mozilla's, as webpki-roots ships them), as lettre used.
fn web_roots() -> rustls::RootCertStore {
    rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    }
}

fn tls_config(roots: rustls::RootCertStore) -> Result<Arc<rustls::ClientConfig>, TransportError> {
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| TransportError::Config(format!("TLS: {e}")))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(Arc::new(config))
}

fn server_name(host: &str) -> Result<rustls::pki_types::ServerName<'static>, TransportError> {
    rustls::pki_types::ServerName::try_from(host.to_owned())
        .map_err(|_| TransportError::Config(format!("{host:?} is not a host name for TLS")))
}

fn temporary(s: String) -> TransportError {
    TransportError::Temporary(s)
}

/// A refusal of this mail: for good on 5xx, to be retried on anything else.
fn refused(what: &str, r: &Reply) -> TransportError {
    let s = format!("{what} refused: {r}");
    if r.code >= 500 {
        TransportError::Permanent(s)
    } else {
        TransportError::Temporary(s)
    }
}

enum Stream {
    Plain(TcpStream),
    Tls(Box<tokio_rustls::client::TlsStream<TcpStream>>),
}

impl AsyncRead for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_flush(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

/// What the server said after EHLO.
#[derive(Debug, Default)]
struct Extensions {
    starttls: bool,
    eight_bit_mime: bool,
    smtputf8: bool,
    auth: Vec<String>,
}

/// A server reply: its code and its text lines.
#[derive(Debug)]
struct Reply {
    code: u16,
    lines: Vec<String>,
}

impl std::fmt::Display for Reply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.code, self.lines.join(" / "))
    }
}

/// One reply line: the code, whether more lines follow, the text.
fn parse_reply_line(line: &str) -> Option<(u16, bool, &str)> {
    let code = line.get(..3)?;
    if !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let code = code.parse().ok()?;
    match line.as_bytes().get(3) {
        None => Some((code, false, "")),
        Some(b' ') => Some((code, false, &line[4..])),
        Some(b'-') => Some((code, true, &line[4..])),
        Some(_) => None,
    }
}

/// Doubles a dot that starts a line (RFC 5321 4.5.2), writes every line break as CRLF and
/// ends the content with one, so that the final `.` CRLF stands on a line of its own.
fn dot_stuff(content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + content.len() / 64 + 2);
    let mut line_start = true;
    let mut prev = 0u8;
    for &b in content {
        if line_start && b == b'.' {
            out.push(b'.');
        }
        if b == b'\n' && prev != b'\r' {
            out.push(b'\r');
        }
        out.push(b);
        line_start = b == b'\n';
        prev = b;
    }
    if !out.ends_with(b"\r\n") {
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// An open, greeted (and secured, and authenticated) connection.
pub(crate) struct Connection {
    io: BufReader<Stream>,
    ext: Extensions,
    timeout: Duration,
    final_timeout: Duration,
    hello_name: String,
}

impl Connection {
    async fn reply(&mut self) -> Result<Reply, TransportError> {
        let mut lines = Vec::new();
        let mut code = None;
        let mut buf = Vec::new();
        loop {
            buf.clear();
            let n = (&mut self.io)
                .take(MAX_REPLY_LINE)
                .read_until(b'\n', &mut buf)
                .await
                .map_err(|e| temporary(format!("reading from the SMTP server: {e}")))?;
            if n == 0 {
                return Err(temporary("the SMTP server closed the connection".into()));
            }
            if !buf.ends_with(b"\n") {
                return Err(temporary("the SMTP server sent an overlong line".into()));
            }
            let line = String::from_utf8_lossy(&buf);
            let line = line.trim_end_matches(['\r', '\n']);
            let Some((c, more, text)) = parse_reply_line(line) else {
                return Err(temporary(format!(
                    "the SMTP server sent {:?}, not a reply",
                    line.chars().take(80).collect::<String>()
                )));
            };
            if code.is_some_and(|first| first != c) {
                return Err(temporary("the SMTP server mixed reply codes".into()));
            }
            code = Some(c);
            lines.push(text.to_owned());
            if !more {
                return Ok(Reply { code: c, lines });
            }
            if lines.len() >= MAX_REPLY_LINES {
                return Err(temporary("the SMTP server sent an overlong reply".into()));
            }
        }
    }

    async fn write(&mut self, bytes: &[u8]) -> Result<(), TransportError> {
        let io = self.io.get_mut();
        let write = async {
            io.write_all(bytes).await?;
            io.flush().await
        };
        tokio::time::timeout(self.timeout, write)
            .await
            .map_err(|_| temporary("writing to the SMTP server: timed out".into()))?
            .map_err(|e| temporary(format!("writing to the SMTP server: {e}")))
    }

    /// Sends one command line and reads the reply.
    async fn command(&mut self, line: &str) -> Result<Reply, TransportError> {
        if line.contains(['\r', '\n']) {
            return Err(TransportError::Permanent(
                "a line break in an SMTP command".into(),
            ));
        }
        self.write(format!("{line}\r\n").as_bytes()).await?;
        let verb = line.split(' ').next().unwrap_or(line).to_owned();
        tokio::time::timeout(self.timeout, self.reply())
            .await
            .map_err(|_| temporary(format!("no answer to {verb} within {:?}", self.timeout)))?
    }

    async fn hello(&mut self) -> Result<(), TransportError> {
        let r = self.command(&format!("EHLO {}", self.hello_name)).await?;
        if r.code == 250 {
            for line in r.lines.iter().skip(1) {
                let mut words = line.split([' ', '=']);
                let keyword = words.next().unwrap_or("").to_ascii_uppercase();
                match keyword.as_str() {
                    "STARTTLS" => self.ext.starttls = true,
                    "8BITMIME" => self.ext.eight_bit_mime = true,
                    "SMTPUTF8" => self.ext.smtputf8 = true,
                    "AUTH" => self.ext.auth.extend(
                        words
                            .filter(|w| !w.is_empty())
                            .map(|w| w.to_ascii_uppercase()),
                    ),
                    _ => {}
                }
            }
            return Ok(());
        }
        // A server without extensions.
        let r = self.command(&format!("HELO {}", self.hello_name)).await?;
        if r.code != 250 {
            return Err(temporary(format!("HELO refused: {r}")));
        }
        Ok(())
    }

    async fn authenticate(&mut self, user: &str, pass: &str) -> Result<(), TransportError> {
        let b64 = |s: &[u8]| base64::engine::general_purpose::STANDARD.encode(s);
        let offers = |m: &str| self.ext.auth.iter().any(|a| a == m);
        let r = if offers("PLAIN") {
            let token = b64(format!("\0{user}\0{pass}").as_bytes());
            self.command(&format!("AUTH PLAIN {token}")).await?
        } else if offers("LOGIN") {
            let r = self.command("AUTH LOGIN").await?;
            if r.code != 334 {
                return Err(temporary(format!("AUTH LOGIN refused: {r}")));
            }
            let r = self.command(&b64(user.as_bytes())).await?;
            if r.code != 334 {
                return Err(temporary(format!("AUTH LOGIN refused the user name: {r}")));
            }
            self.command(&b64(pass.as_bytes())).await?
        } else {
            return Err(temporary(
                "mail.url has a user and password, but the SMTP server offers neither \
                 AUTH PLAIN nor AUTH LOGIN"
                    .into(),
            ));
        };
        if r.code != 235 {
            return Err(temporary(format!("authentication failed: {r}")));
        }
        Ok(())
    }

    /// MAIL, RCPT, DATA and the message: everything but the final dot. After this the server
    /// holds the whole message and delivers nothing until [`Connection::finish`]; dropping
    /// the connection instead abandons the message.
    pub(crate) async fn send_content(
        &mut self,
        from: Option<&str>,
        to: &[String],
        message: &[u8],
    ) -> Result<(), TransportError> {
        let mut params = String::new();
        if !from.unwrap_or("").is_ascii() || to.iter().any(|a| !a.is_ascii()) {
            if !self.ext.smtputf8 {
                return Err(TransportError::Permanent(
                    "an address is not ASCII and the SMTP server does not offer SMTPUTF8".into(),
                ));
            }
            params.push_str(" SMTPUTF8");
        }
        if !message.is_ascii() {
            if !self.ext.eight_bit_mime {
                return Err(TransportError::Permanent(
                    "the message is not 7-bit and the SMTP server does not offer 8BITMIME".into(),
                ));
            }
            params.push_str(" BODY=8BITMIME");
        }
        let r = self
            .command(&format!("MAIL FROM:<{}>{params}", from.unwrap_or("")))
            .await?;
        if r.code != 250 {
            return Err(refused("the sender", &r));
        }
        for rcpt in to {
            let r = self.command(&format!("RCPT TO:<{rcpt}>")).await?;
            if r.code != 250 && r.code != 251 {
                return Err(refused(&format!("the recipient {rcpt}"), &r));
            }
        }
        let r = self.command("DATA").await?;
        if r.code != 354 {
            return Err(refused("DATA", &r));
        }
        self.write(&dot_stuff(message)).await
    }

    /// The final dot: from here the server delivers the message. Returns the server's answer:
    /// `Ok` when it accepted, a refusal, or a temporary error when the connection broke before
    /// it answered (then the message may or may not have been accepted).
    pub(crate) async fn finish(&mut self) -> Result<(), TransportError> {
        self.write(b".\r\n").await?;
        let r = tokio::time::timeout(self.final_timeout, self.reply())
            .await
            .map_err(|_| {
                temporary(format!(
                    "no answer to the end of the message within {:?}",
                    self.final_timeout
                ))
            })??;
        if r.code != 250 {
            return Err(refused("the message", &r));
        }
        Ok(())
    }

    /// Ends the session politely.
    pub(crate) async fn quit(mut self) {
        let _ = self.command("QUIT").await;
        let _ = self.io.get_mut().shutdown().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;
    use tokio::net::TcpListener;

    #[test]
    fn dots_are_doubled_at_line_starts_and_lines_end_in_crlf() {
        assert_eq!(
            dot_stuff(b".a\r\nb.\r\n.\r\n..x"),
            b"..a\r\nb.\r\n..\r\n...x\r\n"
        );
        assert_eq!(dot_stuff(b"a\nb"), b"a\r\nb\r\n");
        assert_eq!(dot_stuff(b"a\r\n"), b"a\r\n");
    }

    #[test]
    fn reply_lines() {
        assert_eq!(
            parse_reply_line("250-mx.example"),
            Some((250, true, "mx.example"))
        );
        assert_eq!(parse_reply_line("250 OK"), Some((250, false, "OK")));
        assert_eq!(parse_reply_line("354"), Some((354, false, "")));
        assert_eq!(parse_reply_line("25O OK"), None);
        assert_eq!(parse_reply_line("250+OK"), None);
        assert_eq!(parse_reply_line(""), None);
    }

    /// A scripted server: answers each line it reads with the next reply that matches the
    /// line's start, and keeps what it read.
    async fn scripted(
        greeting: &'static str,
        replies: Vec<(&'static str, &'static str)>,
    ) -> (u16, Arc<Mutex<Vec<String>>>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        tokio::spawn(async move {
            let (stream, _) = listener.accept().await.unwrap();
            let (r, mut w) = stream.into_split();
            let mut r = BufReader::new(r);
            w.write_all(greeting.as_bytes()).await.unwrap();
            let mut in_data = false;
            let mut line = String::new();
            loop {
                line.clear();
                if r.read_line(&mut line).await.unwrap_or(0) == 0 {
                    return;
                }
                log.lock().unwrap().push(line.clone());
                if in_data {
                    if line != ".\r\n" {
                        continue;
                    }
                    in_data = false;
                }
                let key = if line == ".\r\n" { "." } else { line.as_str() };
                let reply = replies
                    .iter()
                    .find(|(k, _)| key.to_ascii_uppercase().starts_with(k))
                    .map(|(_, v)| *v)
                    .unwrap_or("502 not here\r\n");
                if key.starts_with("DATA") && reply.starts_with("354") {
                    in_data = true;
                }
                if w.write_all(reply.as_bytes()).await.is_err() {
                    return;
                }
            }
        });
        (port, seen)
    }

    fn plain(port: u16, creds: Option<(&str, &str)>) -> SmtpServer {
        SmtpServer::new(
            "127.0.0.1",
            port,
            Security::None,
            creds.map(|(u, p)| (u.to_owned(), p.to_owned())),
        )
        .unwrap()
    }

    #[tokio::test]
    async fn a_mail_goes_out_in_two_steps_with_auth_plain() {
        let (port, seen) = scripted(
            "220 mx ESMTP\r\n",
            vec![
                ("EHLO", "250-mx\r\n250-AUTH LOGIN PLAIN\r\n250 8BITMIME\r\n"),
                ("AUTH PLAIN", "235 ok\r\n"),
                ("MAIL", "250 ok\r\n"),
                ("RCPT", "250 ok\r\n"),
                ("DATA", "354 go\r\n"),
                (".", "250 queued\r\n"),
                ("QUIT", "221 bye\r\n"),
            ],
        )
        .await;
        let server = plain(port, Some(("user@example.jp", "p@ss")));
        let mut c = server.connect().await.unwrap();
        c.send_content(
            Some("no-reply@example.jp"),
            &["taro@example.jp".to_owned()],
            b"Subject: x\r\n\r\n.hidden\r\n",
        )
        .await
        .unwrap();
        // Everything but the dot has been sent.
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!seen.lock().unwrap().iter().any(|l| l == ".\r\n"));
        c.finish().await.unwrap();
        c.quit().await;
        let seen = seen.lock().unwrap().clone();
        let token = base64::engine::general_purpose::STANDARD.encode("\0user@example.jp\0p@ss");
        assert!(seen[0].starts_with("EHLO [127.0.0.1]"), "{seen:?}");
        assert_eq!(seen[1], format!("AUTH PLAIN {token}\r\n"));
        assert_eq!(seen[2], "MAIL FROM:<no-reply@example.jp>\r\n");
        assert_eq!(seen[3], "RCPT TO:<taro@example.jp>\r\n");
        assert_eq!(seen[4], "DATA\r\n");
        assert_eq!(seen[7], "..hidden\r\n", "dot-stuffed");
        assert_eq!(seen[8], ".\r\n");
        assert_eq!(seen[9], "QUIT\r\n");
    }

    #[tokio::test]
    async fn auth_login_when_plain_is_not_offered() {
        let (port, seen) = scripted(
            "220 mx\r\n",
            vec![
                ("EHLO", "250-mx\r\n250 AUTH=LOGIN\r\n"),
                ("AUTH LOGIN", "334 VXNlcm5hbWU6\r\n"),
                ("DQ==", "334 UGFzc3dvcmQ6\r\n"),
                ("CA==", "235 ok\r\n"),
            ],
        )
        .await;
        plain(port, Some(("u", "p"))).connect().await.unwrap();
        let seen = seen.lock().unwrap().clone();
        assert_eq!(&seen[1..], ["AUTH LOGIN\r\n", "dQ==\r\n", "cA==\r\n"]);
    }

    #[tokio::test]
    async fn refusals_are_permanent_on_5xx_and_temporary_on_4xx() {
        let (port, _) = scripted(
            "220 mx\r\n",
            vec![
                ("EHLO", "250 mx\r\n"),
                ("MAIL", "250 ok\r\n"),
                ("RCPT TO:<GONE", "550 no such user\r\n"),
                ("RCPT", "250 ok\r\n"),
                ("DATA", "354 go\r\n"),
                (".", "451 try again later\r\n"),
            ],
        )
        .await;
        let mut c = plain(port, None).connect().await.unwrap();
        let gone = c
            .send_content(Some("a@example.jp"), &["gone@example.jp".into()], b"x")
            .await;
        assert!(
            matches!(gone, Err(TransportError::Permanent(_))),
            "{gone:?}"
        );
        c.send_content(Some("a@example.jp"), &["b@example.jp".into()], b"x")
            .await
            .unwrap();
        let later = c.finish().await;
        assert!(
            matches!(later, Err(TransportError::Temporary(_))),
            "{later:?}"
        );
    }

    #[tokio::test]
    async fn tls_required_never_falls_back_to_plain_text() {
        let (port, seen) = scripted("220 mx\r\n", vec![("EHLO", "250 mx\r\n")]).await;
        let server = SmtpServer::new("127.0.0.1", port, Security::Required, None).unwrap();
        let e = server.connect().await.err().unwrap();
        assert!(e.to_string().contains("STARTTLS"), "{e}");
        assert!(matches!(e, TransportError::Temporary(_)));
        assert_eq!(seen.lock().unwrap().len(), 1, "nothing after EHLO");
    }

    #[tokio::test]
    async fn opportunistic_tls_sends_in_plain_text_when_not_offered() {
        let (port, _) = scripted("220 mx\r\n", vec![("EHLO", "250 mx\r\n")]).await;
        let server = SmtpServer::new("127.0.0.1", port, Security::Opportunistic, None).unwrap();
        assert!(server.connect().await.is_ok());
    }

    /// What the TLS test server read: each line, and whether it came through TLS.
    type Seen = Arc<Mutex<Vec<(bool, String)>>>;

    /// The test certificate authority and the server's certificate for `localhost` and
    /// 127.0.0.1 (valid 2020–2120; made for these tests only).
    fn test_ca() -> rustls::pki_types::CertificateDer<'static> {
        use rustls::pki_types::pem::PemObject;
        rustls::pki_types::CertificateDer::from_pem_slice(include_bytes!("testdata/ca.pem"))
            .unwrap()
    }

    fn acceptor() -> tokio_rustls::TlsAcceptor {
        use rustls::pki_types::pem::PemObject;
        let certs = rustls::pki_types::CertificateDer::pem_slice_iter(include_bytes!(
            "testdata/server.pem"
        ))
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
        let key =
            rustls::pki_types::PrivateKeyDer::from_pem_slice(include_bytes!("testdata/server.key"))
                .unwrap();
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
        tokio_rustls::TlsAcceptor::from(Arc::new(config))
    }

    /// Serves one session on `io`; returns whether the client asked for STARTTLS.
    async fn session<S: AsyncRead + AsyncWrite + Unpin>(
        io: &mut BufReader<S>,
        tls: bool,
        greet: bool,
        seen: &Seen,
    ) -> bool {
        if greet {
            io.write_all(b"220 mx\r\n").await.unwrap();
        }
        let mut line = String::new();
        loop {
            line.clear();
            if io.read_line(&mut line).await.unwrap_or(0) == 0 {
                return false;
            }
            seen.lock().unwrap().push((tls, line.clone()));
            let reply: &[u8] = match line.get(..4).unwrap_or("") {
                // AUTH only once encrypted, as real servers do.
                "EHLO" if tls => b"250-mx\r\n250 AUTH PLAIN\r\n",
                "EHLO" => b"250-mx\r\n250 STARTTLS\r\n",
                "STAR" => {
                    io.write_all(b"220 go ahead\r\n").await.unwrap();
                    return true;
                }
                "DATA" => {
                    io.write_all(b"354 go\r\n").await.unwrap();
                    loop {
                        line.clear();
                        if io.read_line(&mut line).await.unwrap_or(0) == 0 {
                            return false;
                        }
                        seen.lock().unwrap().push((tls, line.clone()));
                        if line == ".\r\n" {
                            break;
                        }
                    }
                    b"250 queued\r\n"
                }
                "AUTH" => b"235 ok\r\n",
                "QUIT" => {
                    let _ = io.write_all(b"221 bye\r\n").await;
                    return false;
                }
                _ => b"250 ok\r\n",
            };
            if io.write_all(reply).await.is_err() {
                return false;
            }
        }
    }

    async fn tls_server(implicit: bool) -> (u16, Seen) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen: Seen = Arc::default();
        let log = seen.clone();
        tokio::spawn(async move {
            let (tcp, _) = listener.accept().await.unwrap();
            if implicit {
                let Ok(tls) = acceptor().accept(tcp).await else {
                    return;
                };
                session(&mut BufReader::new(tls), true, true, &log).await;
                return;
            }
            let mut plain = BufReader::new(tcp);
            if session(&mut plain, false, true, &log).await {
                let Ok(tls) = acceptor().accept(plain.into_inner()).await else {
                    return;
                };
                session(&mut BufReader::new(tls), true, false, &log).await;
            }
        });
        (port, seen)
    }

    async fn send_one(server: &SmtpServer) -> Result<(), TransportError> {
        let mut c = server.connect().await?;
        c.send_content(
            Some("no-reply@example.jp"),
            &["taro@example.jp".to_owned()],
            b"Subject: x\r\n\r\nbody\r\n",
        )
        .await?;
        c.finish().await?;
        c.quit().await;
        Ok(())
    }

    #[tokio::test]
    async fn starttls_carries_the_login_and_the_mail_encrypted() {
        let (port, seen) = tls_server(false).await;
        let server = SmtpServer::new(
            "localhost",
            port,
            Security::Required,
            Some(("user".into(), "secret".into())),
        )
        .unwrap()
        .trusting(test_ca());
        send_one(&server).await.unwrap();
        let seen = seen.lock().unwrap().clone();
        let plain: Vec<&str> = seen
            .iter()
            .filter(|(tls, _)| !tls)
            .map(|(_, l)| l.as_str())
            .collect();
        assert_eq!(
            plain.len(),
            2,
            "only EHLO and STARTTLS in the clear: {seen:?}"
        );
        assert!(plain[0].starts_with("EHLO") && plain[1] == "STARTTLS\r\n");
        let encrypted: Vec<&str> = seen
            .iter()
            .filter(|(tls, _)| *tls)
            .map(|(_, l)| l.as_str())
            .collect();
        assert!(encrypted[0].starts_with("EHLO"), "asked again after TLS");
        assert!(encrypted[1].starts_with("AUTH PLAIN "), "{encrypted:?}");
        assert!(encrypted.contains(&"MAIL FROM:<no-reply@example.jp>\r\n"));
        assert!(encrypted.contains(&"body\r\n") && encrypted.contains(&".\r\n"));
    }

    #[tokio::test]
    async fn implicit_tls_carries_the_mail_encrypted() {
        let (port, seen) = tls_server(true).await;
        let server = SmtpServer::new("127.0.0.1", port, Security::Implicit, None)
            .unwrap()
            .trusting(test_ca());
        send_one(&server).await.unwrap();
        let seen = seen.lock().unwrap().clone();
        assert!(seen.iter().all(|(tls, _)| *tls), "{seen:?}");
        assert!(seen.iter().any(|(_, l)| l == ".\r\n"));
    }

    #[tokio::test]
    async fn a_certificate_that_is_not_trusted_stops_before_the_mail() {
        // The public roots do not include the test authority.
        let (port, seen) = tls_server(false).await;
        let server = SmtpServer::new("localhost", port, Security::Opportunistic, None).unwrap();
        let e = send_one(&server).await.err().unwrap();
        assert!(matches!(e, TransportError::Temporary(_)));
        assert!(e.to_string().contains("TLS"), "{e}");
        let seen = seen.lock().unwrap().clone();
        assert_eq!(seen.len(), 2, "nothing after STARTTLS: {seen:?}");
    }

    #[tokio::test]
    async fn a_reply_slipped_in_before_the_tls_handshake_is_refused() {
        let (port, _) = scripted(
            "220 mx\r\n",
            vec![
                ("EHLO", "250-mx\r\n250 STARTTLS\r\n"),
                ("STARTTLS", "220 go ahead\r\n250 injected\r\n"),
            ],
        )
        .await;
        let server = SmtpServer::new("localhost", port, Security::Required, None)
            .unwrap()
            .trusting(test_ca());
        let e = server.connect().await.err().unwrap();
        assert!(e.to_string().contains("before the TLS handshake"), "{e}");
    }

    #[tokio::test]
    async fn hostile_replies_are_bounded() {
        let long: &'static str =
            Box::leak(format!("220 {}\r\n", "x".repeat(5000)).into_boxed_str());
        let (port, _) = scripted(long, vec![]).await;
        let e = plain(port, None).connect().await.err().unwrap();
        assert!(e.to_string().contains("overlong"), "{e}");
        let many: &'static str = Box::leak("220-x\r\n".repeat(500).into_boxed_str());
        let (port, _) = scripted(many, vec![]).await;
        let e = plain(port, None).connect().await.err().unwrap();
        assert!(e.to_string().contains("overlong"), "{e}");
    }
}
