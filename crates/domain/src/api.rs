//! The partner API's rules: what a client may ask for (its scopes), the states a registered
//! system goes through, and how it proves who it is.
//!
//! A scope is a stable code (`sites:read`); a client is registered with the scopes it may ask
//! for, a token carries those it asked for and was given, and every endpoint names the one it
//! needs. Unknown codes are refused, never ignored, so a typo cannot quietly grant less (or,
//! once a scope is added, more) than was meant.

use std::collections::BTreeSet;
use std::fmt;

macro_rules! scopes {
    ($($(#[$doc:meta])* $name:ident = $code:literal,)*) => {
        /// What a token lets its client do.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Scope {
            $($(#[$doc])* $name,)*
        }

        impl Scope {
            pub const ALL: &'static [Scope] = &[$(Scope::$name,)*];

            /// The code a client asks with and a token lists.
            pub fn code(self) -> &'static str {
                match self {
                    $(Scope::$name => $code,)*
                }
            }

            pub fn parse(code: &str) -> Option<Scope> {
                match code {
                    $($code => Some(Scope::$name),)*
                    _ => None,
                }
            }
        }
    };
}

scopes! {
    /// The granting businesses' sites: 現場情報, contracts and the 施工体制.
    SitesRead = "sites:read",
    /// Adding a company to a site's 施工体制 (a 要請, or at once under a 事業者間合意).
    SitesWrite = "sites:write",
    /// The 作業員名簿 a business sees on its sites.
    RosterRead = "roster:read",
    /// Listing the business's workers on a site's 名簿.
    RosterWrite = "roster:write",
    /// Sending touches from a gate on a site the business runs.
    TouchesWrite = "touches:write",
    /// 就業履歴 on the business's sites, each worker as their disclosure setting allows.
    RecordsRead = "records:read",
    /// Finding a technician on the caller's sites by card number.
    WorkersLookup = "workers:lookup",
    /// 「CCUSでログイン」: a technician logs in to the service (OpenID Connect); the service
    /// learns only a subject of its own for them.
    OpenId = "openid",
    /// With the login: the person's 氏名 (`name`).
    Profile = "profile",
    /// With the login: the person's 技能者ID (`ccus_technician_id`).
    TechnicianId = "ccus_id",
    /// With the login: the business the person is affiliated with (`ccus_affiliation`).
    Affiliation = "affiliation",
    /// With the login: the レベル the person's counted days reach per 職種 (`ccus_levels`).
    Level = "level",
}

impl Scope {
    /// Whether the scope belongs to 「CCUSでログイン」 (a person's login and claims) rather than
    /// to the partner API. A token of the one never carries scopes of the other.
    pub fn is_login(self) -> bool {
        matches!(
            self,
            Scope::OpenId
                | Scope::Profile
                | Scope::TechnicianId
                | Scope::Affiliation
                | Scope::Level
        )
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A set of scopes, written as OAuth writes them: codes separated by spaces.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scopes(BTreeSet<Scope>);

/// A scope list named a code that is no scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownScope(pub String);

impl Scopes {
    /// Parses `sites:read records:read`; the empty string is the empty set.
    pub fn parse(list: &str) -> Result<Scopes, UnknownScope> {
        list.split_ascii_whitespace()
            .map(|c| Scope::parse(c).ok_or_else(|| UnknownScope(c.to_owned())))
            .collect::<Result<BTreeSet<_>, _>>()
            .map(Scopes)
    }

    pub fn of(scopes: &[Scope]) -> Scopes {
        Scopes(scopes.iter().copied().collect())
    }

    pub fn all() -> Scopes {
        Scopes::of(Scope::ALL)
    }

    /// Every scope of the partner API.
    pub fn api() -> Scopes {
        Scopes(
            Scope::ALL
                .iter()
                .copied()
                .filter(|s| !s.is_login())
                .collect(),
        )
    }

    /// Every scope of 「CCUSでログイン」.
    pub fn login() -> Scopes {
        Scopes(
            Scope::ALL
                .iter()
                .copied()
                .filter(|s| s.is_login())
                .collect(),
        )
    }

    pub fn contains(&self, scope: Scope) -> bool {
        self.0.contains(&scope)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether every scope here is also in `other`.
    pub fn within(&self, other: &Scopes) -> bool {
        self.0.is_subset(&other.0)
    }

    /// The scopes in both.
    pub fn meet(&self, other: &Scopes) -> Scopes {
        Scopes(self.0.intersection(&other.0).copied().collect())
    }

    pub fn iter(&self) -> impl Iterator<Item = Scope> + '_ {
        self.0.iter().copied()
    }
}

impl fmt::Display for Scopes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for s in &self.0 {
            if !first {
                f.write_str(" ")?;
            }
            first = false;
            f.write_str(s.code())?;
        }
        Ok(())
    }
}

/// Where a registered system stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientState {
    /// Registered for testing: gets tokens only from a portal running as the sandbox.
    Sandbox,
    /// Passed the certification test: gets tokens from the live portal.
    Certified,
    /// Stopped: gets no token, and its tokens stop working at once.
    Suspended,
}

impl ClientState {
    pub const ALL: [ClientState; 3] = [
        ClientState::Sandbox,
        ClientState::Certified,
        ClientState::Suspended,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ClientState::Sandbox => "sandbox",
            ClientState::Certified => "certified",
            ClientState::Suspended => "suspended",
        }
    }

    pub fn parse(code: &str) -> Option<ClientState> {
        ClientState::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether a client in this state gets tokens from a portal that is (or is not) the
    /// sandbox. The sandbox serves sandbox clients and certified ones (who keep testing there).
    pub fn may_get_tokens(self, portal_is_sandbox: bool) -> bool {
        match self {
            ClientState::Certified => true,
            ClientState::Sandbox => portal_is_sandbox,
            ClientState::Suspended => false,
        }
    }
}

/// How a client proves who it is at the token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientAuthMethod {
    /// A JWT it signs with its own private key (RFC 7523), checked against the public keys it
    /// registered: nothing secret is ever held by the portal.
    PrivateKeyJwt,
    /// A secret shown once at registration and kept only as its hash, for a system that cannot
    /// sign.
    ClientSecret,
}

impl ClientAuthMethod {
    pub fn code(self) -> &'static str {
        match self {
            ClientAuthMethod::PrivateKeyJwt => "private_key_jwt",
            ClientAuthMethod::ClientSecret => "client_secret",
        }
    }

    pub fn parse(code: &str) -> Option<ClientAuthMethod> {
        match code {
            "private_key_jwt" => Some(ClientAuthMethod::PrivateKeyJwt),
            "client_secret" => Some(ClientAuthMethod::ClientSecret),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scope_list_reads_back_as_written_in_order() {
        let s = Scopes::parse(" records:read  sites:read ").unwrap_or_default();
        assert_eq!(s.to_string(), "sites:read records:read");
        assert!(s.contains(Scope::RecordsRead));
        assert!(!s.contains(Scope::TouchesWrite));
        assert_eq!(Scopes::parse(""), Ok(Scopes::default()));
    }

    #[test]
    fn an_unknown_code_is_refused_not_dropped() {
        assert_eq!(
            Scopes::parse("sites:read sites:admin"),
            Err(UnknownScope("sites:admin".into()))
        );
    }

    #[test]
    fn every_code_parses_back() {
        for s in Scope::ALL {
            assert_eq!(Scope::parse(s.code()), Some(*s));
        }
        for s in ClientState::ALL {
            assert_eq!(ClientState::parse(s.code()), Some(s));
        }
    }

    #[test]
    fn subsets_and_meets() {
        let all = Scopes::all();
        let some = Scopes::of(&[Scope::SitesRead, Scope::TouchesWrite]);
        assert!(some.within(&all));
        assert!(!all.within(&some));
        assert_eq!(
            all.meet(&Scopes::of(&[Scope::RecordsRead])),
            Scopes::of(&[Scope::RecordsRead])
        );
    }

    #[test]
    fn api_and_login_scopes_split_every_scope() {
        assert!(Scopes::api().meet(&Scopes::login()).is_empty());
        assert_eq!(
            Scopes::api().iter().count() + Scopes::login().iter().count(),
            Scope::ALL.len()
        );
        assert!(Scopes::login().contains(Scope::OpenId));
    }

    #[test]
    fn only_certified_clients_get_live_tokens() {
        assert!(ClientState::Certified.may_get_tokens(false));
        assert!(ClientState::Certified.may_get_tokens(true));
        assert!(ClientState::Sandbox.may_get_tokens(true));
        assert!(!ClientState::Sandbox.may_get_tokens(false));
        assert!(!ClientState::Suspended.may_get_tokens(true));
    }
}
