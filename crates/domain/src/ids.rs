//! Typed ids: the number a row is kept under, with the kind of thing it names in its type, so
//! that an application's id can never be passed where an account's is meant. The database
//! keeps the plain number ([`AccountId::get`]); a row or a request's path makes one with
//! [`AccountId::new`], and a request's path reads one as its number (`Path<AccountId>`).

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {
        $(
            $(#[$doc])*
            #[derive(
                Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
                serde::Serialize, serde::Deserialize,
            )]
            #[serde(transparent)]
            pub struct $name(i64);

            impl $name {
                /// The id kept under `raw`.
                pub const fn new(raw: i64) -> Self {
                    Self(raw)
                }

                /// The number the database keeps.
                pub const fn get(self) -> i64 {
                    self.0
                }
            }

            impl std::fmt::Display for $name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    self.0.fmt(f)
                }
            }

            impl std::str::FromStr for $name {
                type Err = std::num::ParseIntError;
                fn from_str(s: &str) -> Result<Self, Self::Err> {
                    s.parse().map(Self)
                }
            }
        )*
    };
}

ids! {
    /// An account (a technician, a business, or a business's 管理者ID).
    AccountId;
    /// A staff member of the helpdesk or the screening office.
    StaffId;
    /// The application login of someone applying to register.
    ApplicantId;
    /// An application to register.
    ApplicationId;
    /// A document attached to an application.
    DocumentId;
    /// An inquiry to the helpdesk.
    InquiryId;
    /// A tier (階層) of a business.
    TierId;
    /// A mail in the outbox.
    MailId;
    /// A 現場 (its row; people see its 14-digit [`crate::SiteId`]).
    SiteKey;
    /// A company's place in a site's 施工体制 (one node of the tier tree).
    PlacementId;
    /// A 事業者間合意 between two businesses.
    AgreementId;
    /// A worker's line on a company's 作業員名簿 for a site.
    ListingId;
    /// A saved 施工体制パターン or 作業員名簿パターン.
    PatternId;
    /// A card reader (gate, phone app) a site's 現場管理者 issued a key to.
    ReaderId;
    /// One 就業履歴: a worker's day at a site.
    RecordId;
    /// A system registered to use the partner API (a 連携システム).
    ClientId;
    /// A business's standing grant of its data to a client.
    GrantId;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_keeps_its_number_and_shows_it() {
        let id = AccountId::new(42);
        assert_eq!(id.get(), 42);
        assert_eq!(id.to_string(), "42");
        assert_eq!("42".parse::<AccountId>(), Ok(id));
        assert!("x".parse::<AccountId>().is_err());
    }
}
