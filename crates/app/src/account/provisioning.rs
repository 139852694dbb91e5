//! Provisioning: creating accounts and helpdesk staff — used by `ccus admin create-account`,
//! `ccus admin create-staff`, `ccus demo` and tests.

use ccus_domain::{AccountKind, LoginId, Password, SecurityCode};
use ccus_storage::{Account, NewAccount, StoreError};

use crate::error::{AppError, AppResult};

use crate::App;

/// What the operator asked for.
#[derive(Debug, Clone)]
pub struct AccountRequest {
    pub kind: AccountKind,
    pub name: String,
    pub email: String,
    pub password: Option<String>,
    pub security_code: Option<String>,
    /// The password is an initial one: it must be replaced (with the 本人確認番号) at first login.
    pub must_change_password: bool,
    pub profile: ProfileRequest,
}

/// Look-up data for the helpdesk (all optional).
#[derive(Debug, Clone, Default)]
pub struct ProfileRequest {
    /// フリガナ, in kana.
    pub furigana: String,
    /// 生年月日 as typed (`1985-04-01`, `1985/4/1`, `1985年4月1日`).
    pub birth_date: Option<String>,
    /// For a technician: the 事業者ID of the business they work for.
    pub employer: Option<String>,
}

/// A created account, with the secrets that were generated (to be shown exactly once).
#[derive(Debug)]
pub struct CreatedAccount {
    pub account: Account,
    pub initial_password: Option<Password>,
    pub security_code: Option<SecurityCode>,
}

#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    App(#[from] AppError),
}

impl CreateError {
    /// For a caller whose request was checked already: a refusal now is an internal error.
    pub(crate) fn into_app(self) -> AppError {
        match self {
            CreateError::App(e) => e,
            CreateError::Invalid(m) => AppError::Internal(m),
        }
    }
}

impl From<StoreError> for CreateError {
    fn from(e: StoreError) -> Self {
        CreateError::App(e.into())
    }
}

async fn check_profile(
    state: &App,
    kind: AccountKind,
    p: &ProfileRequest,
) -> Result<ccus_storage::Profile, CreateError> {
    use ccus_domain::profile::{is_kana, parse_birth_date};
    let furigana = p.furigana.trim().to_owned();
    if !furigana.is_empty() && (!is_kana(&furigana) || furigana.chars().count() > 100) {
        return Err(CreateError::Invalid(
            "furigana must be written in kana (up to 100 characters)".into(),
        ));
    }
    let birth_date = match p
        .birth_date
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(b) => Some(parse_birth_date(b).ok_or_else(|| {
            CreateError::Invalid(format!("{b:?} is not a birth date (YYYY-MM-DD)"))
        })?),
        None => None,
    };
    let employer_id = match p
        .employer
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(e) => {
            if kind != AccountKind::Technician {
                return Err(CreateError::Invalid(
                    "only a technician has an employer".into(),
                ));
            }
            let id = LoginId::parse(e)
                .map_err(|_| CreateError::Invalid(format!("{e:?} is not a login ID")))?;
            if id.kind() != AccountKind::Business {
                return Err(CreateError::Invalid(format!(
                    "{e:?} is not a business (事業者) ID"
                )));
            }
            let employer = state
                .store()
                .accounts()
                .account_by_login_id(&id)
                .await?
                .ok_or_else(|| CreateError::Invalid(format!("there is no business account {e}")))?;
            Some(employer.id)
        }
        None => None,
    };
    Ok(ccus_storage::Profile {
        furigana,
        birth_date,
        employer_id,
    })
}

/// An address mail can actually be delivered to, in the plain form every mail server takes:
/// - a dot-atom local part (RFC 5322: letters, digits and ``!#$%&'*+-/=?^_`{|}~``, in
///   non-empty runs joined by single dots) of at most 64 bytes, without `=?` or `?=` (an RFC 2047
///   encoded word, which a mail system may decode into something else);
/// - a domain of at least two DNS labels, each 1–63 letters, digits and hyphens, not starting or
///   ending with a hyphen; the last label not all digits (so no IPv4 literal, and brackets are
///   not allowed at all). An internationalised domain is taken in its `xn--` form;
/// - at most 254 bytes in all.
///
/// So nothing in it can break a mail header (no space, control character, `<`, `>`, `,`, `"`).
pub fn valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    email.len() <= 254 && valid_local_part(local) && valid_domain(domain)
}

fn valid_local_part(local: &str) -> bool {
    const ATEXT_SPECIALS: &[u8] = b"!#$%&'*+-/=?^_`{|}~";
    local.len() <= 64
        && local.split('.').all(|atom| {
            !atom.is_empty()
                && atom
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || ATEXT_SPECIALS.contains(&b))
        })
        && !local.contains("=?")
        && !local.contains("?=")
}

fn valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|label| {
            (1..=63).contains(&label.len())
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
        && labels
            .last()
            .is_some_and(|tld| !tld.bytes().all(|b| b.is_ascii_digit()))
}

pub async fn create_account(
    state: &App,
    req: AccountRequest,
) -> Result<CreatedAccount, CreateError> {
    let prepared = prepare(state, req).await?;
    insert_prepared(state, prepared, |_, _| Box::pin(async { Ok(true) }))
        .await?
        .ok_or_else(|| CreateError::App(AppError::Internal("account not created".into())))
}

/// A checked request with its secrets hashed, ready to be inserted under a fresh ID.
pub(crate) struct Prepared {
    kind: AccountKind,
    template: NewAccount,
    password: Option<Password>,
    code: Option<SecurityCode>,
    /// A 管理者ID: its own ID kind, and no 登録完了 mail (the caller sends the invitation).
    manager: bool,
    /// The language of the 登録完了 mail.
    mail_lang: crate::i18n::Lang,
}

impl Prepared {
    /// Makes it a 管理者ID of a business.
    pub(crate) fn into_manager(mut self) -> Self {
        self.manager = true;
        self.template.login_id = LoginId::generate_manager(&mut rand::thread_rng());
        self
    }
    /// Sends its 登録完了 mail in `lang`.
    pub(crate) fn mail_in(mut self, lang: crate::i18n::Lang) -> Self {
        self.mail_lang = lang;
        self
    }
}

/// Checks a request and hashes its secrets (generated when not given).
pub(crate) async fn prepare(state: &App, req: AccountRequest) -> Result<Prepared, CreateError> {
    let name = req.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(CreateError::Invalid(
            "name must be 1–100 characters without control characters".into(),
        ));
    }
    let email = req.email.trim().to_owned();
    if !valid_email(&email) {
        return Err(CreateError::Invalid(format!(
            "{email:?} is not a valid email address"
        )));
    }
    let profile = check_profile(state, req.kind, &req.profile).await?;
    let (password, generated_password) = match req.password {
        Some(p) => (chosen_password(&p)?, false),
        None => (Password::generate_initial(&mut rand::thread_rng()), true),
    };
    let (code, generated_code) = match req.security_code {
        Some(c) => (
            SecurityCode::parse(&c)
                .map_err(|_| CreateError::Invalid("the security code must be 4 digits".into()))?,
            false,
        ),
        None => (SecurityCode::generate(&mut rand::thread_rng()), true),
    };
    let password_hash = state
        .hasher()
        .hash(password.clone())
        .await
        .map_err(AppError::from)?;
    let code_pw =
        Password::parse(code.expose()).map_err(|e| CreateError::Invalid(e.to_string()))?;
    let security_code_hash = state.hasher().hash(code_pw).await.map_err(AppError::from)?;
    Ok(Prepared {
        kind: req.kind,
        template: NewAccount {
            login_id: LoginId::generate(req.kind, &mut rand::thread_rng()),
            name,
            email,
            password_hash,
            security_code_hash,
            must_change_password: req.must_change_password,
            profile,
        },
        password: generated_password.then_some(password),
        code: generated_code.then_some(code),
        manager: false,
        mail_lang: crate::i18n::Lang::Ja,
    })
}

/// What else is written in the account's transaction; `false` abandons the account.
pub(crate) type Also<'t> =
    std::pin::Pin<Box<dyn std::future::Future<Output = AppResult<bool>> + Send + 't>>;

/// Inserts a prepared account under a fresh random ID (drawn again on the rare collision), with
/// its 登録完了 mail and whatever `also` writes, in one transaction. `None` when `also` said no.
pub(crate) async fn insert_prepared<F>(
    state: &App,
    prepared: Prepared,
    mut also: F,
) -> Result<Option<CreatedAccount>, CreateError>
where
    F: for<'t> FnMut(&'t mut ccus_storage::StoreTx, &'t Account) -> Also<'t>,
{
    let mut locked_retries = 5;
    for _ in 0..10 {
        let mut new = prepared.template.clone();
        new.login_id = if prepared.manager {
            LoginId::generate_manager(&mut rand::thread_rng())
        } else {
            LoginId::generate(prepared.kind, &mut rand::thread_rng())
        };
        let now = state.clock().now();
        // A write transaction from its start: on SQLite two accounts made at once wait their
        // turn instead of one being refused.
        let mut tx = state.store().begin_write().await?;
        match tx.accounts().create_account(&new, now).await {
            Ok(account) => {
                // A technician's IC card is recorded with the ID: readers at the site gates
                // know the worker by its number from the start.
                if account.kind() == ccus_domain::AccountKind::Technician {
                    let today = ccus_domain::calendar::jst_datetime(now)
                        .map_or(ccus_domain::Date::MIN, |t| t.date());
                    tx.records()
                        .add_card(
                            account.id,
                            &crate::tokens::new_card_number(),
                            ccus_domain::records::card_expiry(today),
                            now,
                        )
                        .await?;
                }
                if !also(&mut tx, &account).await? {
                    return Ok(None);
                }
                if !prepared.manager {
                    tx.outbox()
                        .enqueue_mail(
                            &crate::account::mails::registered(state, prepared.mail_lang, &account),
                            now,
                        )
                        .await?;
                }
                tx.commit().await?;
                state.wake_mail();
                return Ok(Some(CreatedAccount {
                    account,
                    initial_password: prepared.password.clone(),
                    security_code: prepared.code.clone(),
                }));
            }
            Err(StoreError::Conflict) => continue,
            // SQLite may refuse a write at once ("database is locked") instead of waiting, e.g.
            // right after another connection of a starting instance wrote; nothing was
            // written, so the account is tried again shortly.
            Err(e) if locked_retries > 0 && e.to_string().contains("database is locked") => {
                locked_retries -= 1;
                drop(tx);
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                continue;
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(CreateError::App(AppError::Internal(
        "could not find a free login ID".into(),
    )))
}

/// An operator-chosen password: the same length rules as everywhere (8 to 128 characters).
fn chosen_password(p: &str) -> Result<Password, CreateError> {
    let p = Password::parse(p).map_err(|e| CreateError::Invalid(format!("the password: {e}")))?;
    if p.expose().chars().count() < 8 {
        return Err(CreateError::Invalid(
            "the password must be at least 8 characters".into(),
        ));
    }
    Ok(p)
}

/// Creates a helpdesk staff account; returns its staff ID and, when it was generated, the
/// initial password (shown this once; it must be replaced at the first login).
pub async fn create_staff(
    app: &App,
    name: &str,
    email: &str,
    role: ccus_storage::StaffRole,
    password: Option<String>,
) -> Result<(String, Option<String>), CreateError> {
    use rand::Rng;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(CreateError::Invalid(
            "name must be 1–100 characters without control characters".into(),
        ));
    }
    let email = email.trim();
    if !valid_email(email) {
        return Err(CreateError::Invalid(format!(
            "{email:?} is not a valid email address"
        )));
    }
    let (password, generated) = match password {
        Some(p) => (chosen_password(&p)?, false),
        None => (Password::generate_initial(&mut rand::thread_rng()), true),
    };
    let hash = app
        .hasher()
        .hash(password.clone())
        .await
        .map_err(AppError::from)?;
    for _ in 0..10 {
        let staff_id = format!("S{:07}", rand::thread_rng().gen_range(0..10_000_000u32));
        let new = ccus_storage::NewStaff {
            staff_id: staff_id.clone(),
            name: name.to_owned(),
            email: email.to_owned(),
            role,
            password_hash: hash.clone(),
            must_change_password: generated,
        };
        match app
            .store()
            .staff()
            .create_staff(&new, app.clock().now())
            .await
        {
            Ok(_) => return Ok((staff_id, generated.then(|| password.expose().to_owned()))),
            Err(StoreError::Conflict) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(CreateError::App(AppError::Internal(
        "could not find a free staff ID".into(),
    )))
}

#[cfg(test)]
mod tests {
    use super::valid_email;

    #[test]
    fn emails() {
        assert!(valid_email("taro@example.jp"));
        assert!(!valid_email("taro@example.jp\r\nBcc: x@y.z"));
        assert!(!valid_email("taro"));
        assert!(!valid_email("@example.jp"));
        assert!(!valid_email("a@b"));
        assert!(!valid_email("a b@example.jp"));
    }

    #[test]
    fn addresses_the_tests_use_stay_valid() {
        for ok in [
            "taro@example.jp",
            "Someone@Example.jp",
            "SOMEONE@example.jp",
            "taro.kensetsu@example.jp",
            "yamada.taro@example.jp",
            "new-phone@example.jp",
            "old-job@example.jp",
            "office@mihon-kensetsu.example.jp",
            "user12@example.jp",
            "b@example.jp",
            "taro+ccus@example.jp",
            "o'brien@example.co.uk",
            "a_b-c@xn--eckwd4c7c.xn--zckzah",
            "x@a1.example",
        ] {
            assert!(valid_email(ok), "{ok}");
        }
    }

    #[test]
    fn undeliverable_forms_are_refused() {
        for bad in [
            // IP literals and anything bracketed.
            "a@[127.0.0.1]",
            "a@[IPv6:::1]",
            "a@127.0.0.1",
            // RFC 2047 encoded words in the local part.
            "=?utf-8?q?taro?=@example.jp",
            "=?utf-8?b?dGFybw==?=@example.jp",
            "x=?utf-8?q?y@example.jp",
            "x?=@example.jp",
            // Not a dot-atom.
            ".taro@example.jp",
            "taro.@example.jp",
            "ta..ro@example.jp",
            "\"taro\"@example.jp",
            "ta(ro)@example.jp",
            "ta\\ro@example.jp",
            "たろう@example.jp",
            "a@b@example.jp",
            // Not DNS labels.
            "a@example",
            "a@.example.jp",
            "a@example.jp.",
            "a@exa..mple.jp",
            "a@-example.jp",
            "a@example-.jp",
            "a@exa_mple.jp",
            "a@例え.jp",
            "a@example.jp\r\nBcc: x@y.z",
            "a@example.jp>",
            "a,b@example.jp",
        ] {
            assert!(!valid_email(bad), "{bad}");
        }
        let long_local = format!("{}@example.jp", "a".repeat(65));
        assert!(!valid_email(&long_local));
        let long_label = format!("a@{}.jp", "a".repeat(64));
        assert!(!valid_email(&long_label));
        let long = format!("a@{}.jp", ["abcdefghij"; 25].join("."));
        assert!(long.len() > 254 && !valid_email(&long));
    }
}
