//! RFC 5322 messages: UTF-8 text, headers MIME-encoded by lettre, the body in base64. Only the
//! fixed sender, a stored (validated) address and our own subjects reach a header; lettre
//! encodes them, so a CR/LF can never start a new header or add a recipient.

use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Mailbox, SinglePart};
use lettre::Message;

use ccus_storage::OutboxMail;

/// Builds the message for an outbox mail. Errors (an address that does not parse) are
/// permanent: retrying cannot help.
pub fn build(from: &Mailbox, mail: &OutboxMail) -> Result<Message, String> {
    let to: Mailbox = mail
        .to
        .parse()
        .map_err(|e: lettre::address::AddressError| format!("recipient: {e}"))?;
    let domain = from.email.domain().to_owned();
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(mail.subject.clone())
        .message_id(Some(format!(
            "<ccus-outbox-{}-{}@{domain}>",
            mail.id, mail.created_at.0
        )))
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .header(ContentTransferEncoding::Base64)
                .body(mail.body.clone()),
        )
        .map_err(|e| format!("message: {e}"))
}

/// A `.eml` file read back (for tests and operators): decoded headers we set, and the body.
#[derive(Debug, Clone)]
pub struct Eml {
    pub to: String,
    pub subject: String,
    pub body: String,
    /// Every header line as written, unfolded.
    pub headers: Vec<(String, String)>,
}

/// Decodes what [`build`] produced: unfolds headers, decodes `=?utf-8?b?…?=` words and the
/// base64 body.
pub fn decode_eml(raw: &str) -> Option<Eml> {
    let (head, body) = raw.split_once("\r\n\r\n")?;
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in head.split("\r\n") {
        if line.starts_with(' ') || line.starts_with('\t') {
            // Unfolding removes the line break only: the space is the text's own (between
            // encoded words it is dropped when they are decoded).
            if let Some(last) = headers.last_mut() {
                last.1.push_str(line);
            }
        } else if let Some((k, v)) = line.split_once(':') {
            headers.push((k.trim().to_owned(), v.trim().to_owned()));
        }
    }
    let get = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let body_bytes = b64(&body.replace(['\r', '\n'], ""))?;
    Some(Eml {
        to: decode_words(&get("To")),
        subject: decode_words(&get("Subject")),
        body: String::from_utf8(body_bytes).ok()?,
        headers,
    })
}

fn decode_words(v: &str) -> String {
    let mut out = String::new();
    let mut rest = v;
    while let Some(start) = rest.find("=?") {
        out.push_str(rest[..start].trim_end());
        let after = &rest[start + 2..];
        let parts: Vec<&str> = after.splitn(3, '?').collect();
        if parts.len() < 3 {
            out.push_str(&rest[start..]);
            return out;
        }
        let (enc, tail) = (parts[1], parts[2]);
        let Some(end) = tail.find("?=") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let text = &tail[..end];
        if enc.eq_ignore_ascii_case("b") {
            if let Some(bytes) = b64(text) {
                out.push_str(&String::from_utf8_lossy(&bytes));
            }
        } else {
            out.push_str(text);
        }
        rest = tail[end + 2..].trim_start();
    }
    out.push_str(rest);
    out
}

fn b64(s: &str) -> Option<Vec<u8>> {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut buf = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        if c == b'=' {
            break;
        }
        let v = T.iter().position(|&t| t == c)? as u32;
        buf = (buf << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ccus_domain::MailId;
    use ccus_domain::Timestamp;

    fn mail(to: &str, subject: &str) -> OutboxMail {
        OutboxMail {
            id: MailId::new(7),
            created_at: Timestamp(1),
            to: to.into(),
            subject: subject.into(),
            body:
                "建設 太郎 様\nパスワード再設定のご案内です。\nhttps://ccus.example.jp/x?token=abc"
                    .into(),
            attempts: 1,
        }
    }

    #[test]
    fn japanese_text_round_trips() {
        let from: Mailbox = "CCUS Portal <no-reply@example.jp>".parse().unwrap();
        let m = build(
            &from,
            &mail("taro@example.jp", "【CCUS】パスワード再設定のご案内"),
        )
        .unwrap();
        let raw = String::from_utf8(m.formatted()).unwrap();
        assert!(raw.is_ascii(), "7-bit safe");
        let eml = decode_eml(&raw).unwrap();
        assert_eq!(eml.subject, "【CCUS】パスワード再設定のご案内");
        assert_eq!(eml.to, "taro@example.jp");
        assert!(eml.body.contains("https://ccus.example.jp/x?token=abc"));
    }

    #[test]
    fn a_long_english_subject_round_trips_with_its_spaces() {
        let from: Mailbox = "CCUS Portal <no-reply@example.jp>".parse().unwrap();
        let subject = "[Construction Career Up System] Your registered email address was changed";
        let m = build(&from, &mail("taro@example.jp", subject)).unwrap();
        let raw = String::from_utf8(m.formatted()).unwrap();
        assert_eq!(decode_eml(&raw).unwrap().subject, subject, "{raw}");
        let long = format!(
            "【建設キャリアアップシステム】{}",
            "とても ながい 件名の メール ".repeat(4).trim_end()
        );
        let m = build(&from, &mail("taro@example.jp", &long)).unwrap();
        let raw = String::from_utf8(m.formatted()).unwrap();
        assert_eq!(decode_eml(&raw).unwrap().subject, long, "{raw}");
    }

    #[test]
    fn crlf_cannot_add_headers_or_recipients() {
        let from: Mailbox = "CCUS Portal <no-reply@example.jp>".parse().unwrap();
        assert!(build(
            &from,
            &mail("taro@example.jp\r\nBcc: evil@example.com", "x")
        )
        .is_err());
        let m = build(
            &from,
            &mail("taro@example.jp", "件名\r\nBcc: evil@example.com"),
        )
        .unwrap();
        let raw = String::from_utf8(m.formatted()).unwrap();
        let eml = decode_eml(&raw).unwrap();
        assert!(
            !eml.headers
                .iter()
                .any(|(k, _)| k.eq_ignore_ascii_case("bcc")),
            "{raw}"
        );
        assert_eq!(
            eml.headers
                .iter()
                .filter(|(k, _)| k.eq_ignore_ascii_case("to"))
                .count(),
            1
        );
    }
}
