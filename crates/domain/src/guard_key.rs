//! The counters that limit attempts, each under one key in the database. One type names them
//! all, so no two flows can spell a key differently (and split a counter, the mistake behind
//! Authelia GHSA-m5mf) and no key of one kind can collide with another.

use std::fmt;
use std::net::IpAddr;

use crate::LoginId;

/// What a counter counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GuardKey {
    /// Login failures of an entered ID (whether or not an account has it). Stored as the
    /// bare ID, the key lock state has always had.
    LoginId(LoginId),
    /// Login failures from one browser in which the ID has logged in before (OWASP device
    /// cookies); the value is the hash of the device token.
    Device(String),
    /// Failed logins from one client address, across IDs.
    LoginAddress(AddressBucket),
    /// Refusals of one client address by its failure limit (to record the first only).
    LoginAddressRefused(AddressBucket),
    /// Helpdesk login failures of one staff ID.
    Staff(String),
    /// Helpdesk login attempts from one client address.
    StaffAddress(AddressBucket),
    /// Recovery requests (reset, ID reminder) from one client address.
    RecoveryAddress(AddressBucket),
    /// Password-reset requests for one ID.
    Reset(LoginId),
    /// ID reminders to one email address (compared in lower case).
    Reminder(String),
    /// Inquiries sent from one client address.
    Inquiry(AddressBucket),
    /// Documents uploaded by one application login (申請用ID), by its id.
    ApplicantUploads(i64),
    /// Password-reset requests for one application login's address (in lower case).
    ApplicantReset(String),
    /// Login failures of one application login (申請用ID), by its address in lower case.
    ApplicantLogin(String),
    /// Application logins started for one address (in lower case): the confirmation mails.
    ApplicantStart(String),
    /// Consent requests sent for one application, by its id.
    ConsentRequest(i64),
    /// 所属 requests sent by one business, by its account id.
    AffiliationRequest(i64),
    /// Mails a business causes on sites (要請, 合意 offered, a worker asked), by its account id.
    SiteMail(i64),
    /// Passkey ceremonies begun from one client address.
    PasskeyOptions(AddressBucket),
    /// Calls of one partner-API client, by its row id.
    ApiClient(i64),
    /// Token requests naming one partner-API client (its `client_id`), whether they prove it.
    ApiToken(String),
}

impl GuardKey {
    /// An ID reminder key: the address in lower case.
    pub fn reminder(email: &str) -> GuardKey {
        GuardKey::Reminder(email.trim().to_lowercase())
    }

    /// An application login's lockout key: the address in lower case.
    pub fn applicant_login(email: &str) -> GuardKey {
        GuardKey::ApplicantLogin(email.trim().to_lowercase())
    }

    /// The key counting confirmation mails to one address: in lower case.
    pub fn applicant_start(email: &str) -> GuardKey {
        GuardKey::ApplicantStart(email.trim().to_lowercase())
    }
}

impl fmt::Display for GuardKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GuardKey::LoginId(id) => write!(f, "{}", id.as_str()),
            GuardKey::Device(hash) => write!(f, "device:{hash}"),
            GuardKey::LoginAddress(a) => write!(f, "login:{a}"),
            GuardKey::LoginAddressRefused(a) => write!(f, "login-refused:{a}"),
            GuardKey::Staff(id) => write!(f, "staff:{id}"),
            GuardKey::StaffAddress(a) => write!(f, "staff-login:{a}"),
            GuardKey::RecoveryAddress(a) => write!(f, "recovery:{a}"),
            GuardKey::Reset(id) => write!(f, "reset:{}", id.as_str()),
            GuardKey::Reminder(email) => write!(f, "reminder:{email}"),
            GuardKey::Inquiry(a) => write!(f, "inquiry:{a}"),
            GuardKey::ApplicantUploads(id) => write!(f, "apply-upload:{id}"),
            GuardKey::ApplicantReset(email) => write!(f, "apply-reset:{email}"),
            // The stored spellings of these five predate the type and are kept, so that
            // counters running at an upgrade carry on.
            GuardKey::ApplicantLogin(email) => write!(f, "applicant:{email}"),
            GuardKey::ApplicantStart(email) => write!(f, "apply:reminder:{email}"),
            GuardKey::ConsentRequest(id) => write!(f, "consent:{id}"),
            GuardKey::AffiliationRequest(id) => write!(f, "reminder:affiliation:{id}"),
            GuardKey::SiteMail(id) => write!(f, "reminder:sites:{id}"),
            GuardKey::PasskeyOptions(a) => write!(f, "passkey-options:{a}"),
            GuardKey::ApiClient(id) => write!(f, "api-client:{id}"),
            GuardKey::ApiToken(client) => write!(f, "api-token:{client}"),
        }
    }
}

/// The unit a per-address limit counts: an IPv4 address, or an IPv6 /64 (one subscriber's
/// network, since a client can rotate addresses within it at will).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressBucket(String);

impl AddressBucket {
    pub fn of(address: &str) -> AddressBucket {
        AddressBucket(match address.parse::<IpAddr>() {
            Ok(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
                Some(v4) => v4.to_string(),
                None => {
                    let s = v6.segments();
                    format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
                }
            },
            Ok(IpAddr::V4(v4)) => v4.to_string(),
            Err(_) => address.to_owned(),
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AddressBucket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_keep_their_stored_spelling() {
        let id = LoginId::generate(crate::AccountKind::Technician, &mut rand::thread_rng());
        assert_eq!(GuardKey::LoginId(id.clone()).to_string(), id.as_str());
        assert_eq!(
            GuardKey::Reset(id.clone()).to_string(),
            format!("reset:{}", id.as_str())
        );
        assert_eq!(GuardKey::Device("ab".into()).to_string(), "device:ab");
        assert_eq!(
            GuardKey::reminder(" Taro@Example.JP ").to_string(),
            "reminder:taro@example.jp"
        );
        let a = AddressBucket::of("198.51.100.7");
        assert_eq!(
            GuardKey::LoginAddress(a.clone()).to_string(),
            "login:198.51.100.7"
        );
        assert_eq!(GuardKey::Inquiry(a).to_string(), "inquiry:198.51.100.7");
        assert_eq!(GuardKey::ApplicantUploads(7).to_string(), "apply-upload:7");
        assert_eq!(
            GuardKey::ApplicantReset("a@example.jp".into()).to_string(),
            "apply-reset:a@example.jp"
        );
        assert_eq!(
            GuardKey::applicant_login(" A@Example.JP").to_string(),
            "applicant:a@example.jp"
        );
        assert_eq!(
            GuardKey::applicant_start("A@example.jp").to_string(),
            "apply:reminder:a@example.jp"
        );
        assert_eq!(GuardKey::ConsentRequest(3).to_string(), "consent:3");
        assert_eq!(
            GuardKey::AffiliationRequest(4).to_string(),
            "reminder:affiliation:4"
        );
        assert_eq!(GuardKey::SiteMail(5).to_string(), "reminder:sites:5");
        let b = AddressBucket::of("198.51.100.8");
        assert_eq!(
            GuardKey::PasskeyOptions(b).to_string(),
            "passkey-options:198.51.100.8"
        );
    }

    #[test]
    fn ipv6_counts_per_64_and_mapped_v4_as_v4() {
        assert_eq!(
            AddressBucket::of("2001:db8:1:2:3:4:5:6"),
            AddressBucket::of("2001:db8:1:2:ffff::1")
        );
        assert_eq!(
            AddressBucket::of("2001:db8:1:2::9").as_str(),
            "2001:db8:1:2::/64"
        );
        assert_eq!(AddressBucket::of("::ffff:192.0.2.1").as_str(), "192.0.2.1");
        assert_eq!(AddressBucket::of("helpdesk").as_str(), "helpdesk");
    }
}
