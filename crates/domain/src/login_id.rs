//! 技能者ID / 事業者ID — the 14-digit login IDs.
//!
//! Layout: `K NNNNNNNNNNNN C` — one kind digit (1 = 技能者ID, 2 = 事業者ID, 3 = 管理者ID: a
//! person's own login inside a business, at the 事業者 entrance), twelve random digits, one
//! Damm check digit. The kind digit lets the login page tell someone at the wrong entrance
//! where to go *without looking anything up*, so that guidance reveals nothing about which
//! accounts exist. The Damm check digit catches every single-digit error and every swap of two
//! adjacent digits, so typos are reported before any password is checked.

use std::fmt;

use rand::Rng;

use crate::input::compact_digits;

/// The kind digit of a 管理者ID.
const MANAGER_DIGIT: u8 = 3;

/// Number of digits in every login ID.
pub const LOGIN_ID_LEN: usize = 14;

/// Which entrance an account uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccountKind {
    /// 技能者 — a construction worker; logs in at `/ccus_skill/login`.
    Technician,
    /// 事業者 — a construction business; logs in at `/ccus_owner/login`.
    Business,
}

impl AccountKind {
    pub const ALL: [AccountKind; 2] = [AccountKind::Technician, AccountKind::Business];

    /// Stable machine name, used in the database, CLI and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountKind::Technician => "technician",
            AccountKind::Business => "business",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "technician" => Some(AccountKind::Technician),
            "business" => Some(AccountKind::Business),
            _ => None,
        }
    }

    /// 技能者 / 事業者.
    pub fn label_ja(self) -> &'static str {
        match self {
            AccountKind::Technician => "技能者",
            AccountKind::Business => "事業者",
        }
    }

    /// The URL path segment of this kind's portal.
    pub fn portal(self) -> &'static str {
        match self {
            AccountKind::Technician => "ccus_skill",
            AccountKind::Business => "ccus_owner",
        }
    }

    pub fn from_portal(segment: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.portal() == segment)
    }

    /// `/ccus_skill/login` or `/ccus_owner/login`.
    pub fn login_path(self) -> &'static str {
        match self {
            AccountKind::Technician => "/ccus_skill/login",
            AccountKind::Business => "/ccus_owner/login",
        }
    }

    fn kind_digit(self) -> u8 {
        match self {
            AccountKind::Technician => 1,
            AccountKind::Business => 2,
        }
    }

    fn from_kind_digit(d: u8) -> Option<Self> {
        match d {
            1 => Some(AccountKind::Technician),
            2 | MANAGER_DIGIT => Some(AccountKind::Business),
            _ => None,
        }
    }
}

impl fmt::Display for AccountKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a typed ID is not a valid login ID. Each has its own message on the login page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LoginIdError {
    #[error("the ID is empty")]
    Empty,
    #[error("the ID must be 14 digits")]
    Malformed,
    #[error("the ID's check digit does not match")]
    CheckDigit,
}

/// A login ID in canonical form: 14 ASCII digits whose check digit and kind digit are valid.
/// It can only be made by [`LoginId::parse`] or [`LoginId::generate`].
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct LoginId(String);

impl LoginId {
    /// Parses an ID however it was typed: full-width digits, spaces, hyphens and other
    /// separators are accepted and dropped.
    pub fn parse(raw: &str) -> Result<Self, LoginIdError> {
        let compact = compact_digits(raw);
        if compact.is_empty() {
            return Err(LoginIdError::Empty);
        }
        if compact.len() != LOGIN_ID_LEN || !compact.bytes().all(|b| b.is_ascii_digit()) {
            return Err(LoginIdError::Malformed);
        }
        let digits: Vec<u8> = compact.bytes().map(|b| b - b'0').collect();
        if damm_interim(&digits) != 0 {
            return Err(LoginIdError::CheckDigit);
        }
        if AccountKind::from_kind_digit(digits[0]).is_none() {
            // The check digit passed but no kind starts with this digit: still a typo to the user.
            return Err(LoginIdError::CheckDigit);
        }
        Ok(LoginId(compact))
    }

    /// Issues a new random ID of `kind`. Uniqueness is the caller's job (the database's
    /// unique key); with 10^12 IDs per kind collisions are rare and simply retried.
    pub fn generate<R: Rng + ?Sized>(kind: AccountKind, rng: &mut R) -> Self {
        Self::generate_with(kind.kind_digit(), rng)
    }

    /// Issues a new random 管理者ID (a person's own login inside a business).
    pub fn generate_manager<R: Rng + ?Sized>(rng: &mut R) -> Self {
        Self::generate_with(MANAGER_DIGIT, rng)
    }

    fn generate_with<R: Rng + ?Sized>(kind_digit: u8, rng: &mut R) -> Self {
        let mut digits = Vec::with_capacity(LOGIN_ID_LEN);
        digits.push(kind_digit);
        for _ in 0..LOGIN_ID_LEN - 2 {
            digits.push(rng.gen_range(0..10u8));
        }
        digits.push(damm_interim(&digits));
        LoginId(digits.iter().map(|d| char::from(b'0' + d)).collect())
    }

    pub fn kind(&self) -> AccountKind {
        let first = self.0.as_bytes()[0] - b'0';
        // parse() and generate() only ever produce known kind digits.
        AccountKind::from_kind_digit(first).unwrap_or(AccountKind::Technician)
    }

    /// A 管理者ID: a person inside a business, logging in at the 事業者 entrance.
    pub fn is_manager(&self) -> bool {
        self.0.as_bytes()[0] == b'0' + MANAGER_DIGIT
    }

    /// 技能者ID / 事業者ID / 管理者ID.
    pub fn label_ja(&self) -> &'static str {
        if self.is_manager() {
            "管理者ID"
        } else {
            match self.kind() {
                AccountKind::Technician => "技能者ID",
                AccountKind::Business => "事業者ID",
            }
        }
    }

    /// The canonical 14 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Grouped for reading: `1234 5678 9012 34`.
    pub fn grouped(&self) -> String {
        let mut out = String::with_capacity(LOGIN_ID_LEN + 3);
        for (i, c) in self.0.chars().enumerate() {
            if i > 0 && i % 4 == 0 {
                out.push(' ');
            }
            out.push(c);
        }
        out
    }
}

impl fmt::Display for LoginId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.grouped())
    }
}

impl fmt::Debug for LoginId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LoginId({})", self.0)
    }
}

/// A totally anti-symmetric quasigroup of order 10 (H. M. Damm, 2004): every row and every
/// column is a permutation, and `T[T[s][a]][b] != T[T[s][b]][a]` whenever `a != b`.
const DAMM: [[u8; 10]; 10] = [
    [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
    [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
    [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
    [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
    [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
    [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
    [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
    [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
    [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
    [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

/// Runs the Damm automaton over `digits`; a full ID (with its check digit) ends in 0, and for
/// an ID without its check digit the result *is* the check digit.
pub(crate) fn damm_interim(digits: &[u8]) -> u8 {
    digits
        .iter()
        .fold(0u8, |state, &d| DAMM[state as usize][d as usize])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rand::SeedableRng;

    /// Exhaustive proof over the table: for every interim state, a changed digit changes the
    /// state (rows are permutations), a changed state stays changed (columns are permutations),
    /// and a swap of two different adjacent digits changes the state (anti-symmetry). Together
    /// these mean every single-digit error and every adjacent swap, at any position of an ID
    /// of any length, ends in a non-zero state and is rejected.
    #[test]
    fn damm_table_has_the_properties_that_catch_typos() {
        for s in 0..10 {
            let mut row = DAMM[s].to_vec();
            row.sort_unstable();
            assert_eq!(row, (0..10).collect::<Vec<u8>>(), "row {s}");
            let mut col: Vec<u8> = (0..10).map(|r| DAMM[r][s]).collect();
            col.sort_unstable();
            assert_eq!(col, (0..10).collect::<Vec<u8>>(), "column {s}");
            for a in 0..10 {
                for b in 0..10 {
                    if a != b {
                        let ab = DAMM[DAMM[s][a] as usize][b];
                        let ba = DAMM[DAMM[s][b] as usize][a];
                        assert_ne!(ab, ba, "swap {a}{b} from state {s}");
                    }
                }
            }
        }
    }

    #[test]
    fn every_single_digit_error_and_adjacent_swap_is_caught_on_sample_ids() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        for kind in AccountKind::ALL {
            for _ in 0..300 {
                let id = LoginId::generate(kind, &mut rng);
                let digits: Vec<u8> = id.as_str().bytes().collect();
                for pos in 0..LOGIN_ID_LEN {
                    for d in b'0'..=b'9' {
                        if d == digits[pos] {
                            continue;
                        }
                        let mut typo = digits.clone();
                        typo[pos] = d;
                        let typo = String::from_utf8(typo).unwrap_or_default();
                        assert!(LoginId::parse(&typo).is_err(), "{typo} from {id:?}");
                    }
                    if pos + 1 < LOGIN_ID_LEN && digits[pos] != digits[pos + 1] {
                        let mut swapped = digits.clone();
                        swapped.swap(pos, pos + 1);
                        let swapped = String::from_utf8(swapped).unwrap_or_default();
                        assert!(LoginId::parse(&swapped).is_err(), "{swapped} from {id:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn a_manager_id_is_a_business_login_with_its_own_label() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(12);
        let id = LoginId::generate_manager(&mut rng);
        assert!(id.as_str().starts_with('3'));
        assert!(id.is_manager());
        assert_eq!(id.kind(), AccountKind::Business);
        assert_eq!(id.label_ja(), "管理者ID");
        let parsed = LoginId::parse(&id.grouped()).unwrap();
        assert!(parsed.is_manager());
        let holder = LoginId::generate(AccountKind::Business, &mut rng);
        assert!(!holder.is_manager());
        assert_eq!(holder.label_ja(), "事業者ID");
    }

    #[test]
    fn kind_is_read_from_the_id() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        for kind in AccountKind::ALL {
            let id = LoginId::generate(kind, &mut rng);
            assert_eq!(LoginId::parse(id.as_str()).map(|i| i.kind()), Ok(kind));
        }
    }

    #[test]
    fn messages_for_each_kind_of_bad_input() {
        assert_eq!(LoginId::parse("  "), Err(LoginIdError::Empty));
        assert_eq!(LoginId::parse("123"), Err(LoginIdError::Malformed));
        assert_eq!(
            LoginId::parse("1234567890123a"),
            Err(LoginIdError::Malformed)
        );
        assert_eq!(
            LoginId::parse("123456789012345"),
            Err(LoginIdError::Malformed)
        );
    }

    #[test]
    fn grouped_display() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(3);
        let id = LoginId::generate(AccountKind::Business, &mut rng);
        let g = id.grouped();
        assert_eq!(g.len(), 17);
        assert_eq!(g.replace(' ', ""), id.as_str());
        assert_eq!(LoginId::parse(&g), Ok(id));
    }

    fn full_width(s: &str) -> String {
        s.chars()
            .map(|c| match c.to_digit(10) {
                Some(d) => char::from_u32('０' as u32 + d).unwrap_or(c),
                None => c,
            })
            .collect()
    }

    proptest! {
        #[test]
        fn typed_forms_parse_to_the_same_id(seed in any::<u64>(), seps in proptest::collection::vec(prop::sample::select(vec!["", " ", "　", "-", "－", "ー", "\t"]), 14), fw in any::<bool>()) {
            let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
            let kind = if seed % 2 == 0 { AccountKind::Technician } else { AccountKind::Business };
            let id = LoginId::generate(kind, &mut rng);
            let mut typed = String::new();
            for (c, sep) in id.as_str().chars().zip(seps.iter()) {
                typed.push_str(sep);
                typed.push(c);
            }
            if fw { typed = full_width(&typed); }
            prop_assert_eq!(LoginId::parse(&typed), Ok(id));
        }

        #[test]
        fn random_digit_strings_with_a_bad_check_digit_are_rejected(n in 0u64..100_000_000_000_000u64) {
            let s = format!("{n:014}");
            let digits: Vec<u8> = s.bytes().map(|b| b - b'0').collect();
            let ok = damm_interim(&digits) == 0 && (1..=3).contains(&digits[0]);
            prop_assert_eq!(LoginId::parse(&s).is_ok(), ok);
        }

        #[test]
        fn generated_ids_are_not_sequential(seed in any::<u64>()) {
            let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
            let a = LoginId::generate(AccountKind::Technician, &mut rng);
            let b = LoginId::generate(AccountKind::Technician, &mut rng);
            prop_assert_ne!(a, b);
        }
    }
}
