//! Registration (技能者登録): an applicant makes an application login (申請用ID: an email
//! address confirmed by a mailed link, and a password), fills in the application with 一時保存,
//! sends it (申請); a screener approves it or returns it with 不備 per item; the applicant
//! fixes only those items and sends it again; the fee is recorded as received; and 登録完了
//! issues the 技能者ID with an initial password and 本人確認番号 for the card notice, the
//! 登録完了 mail carrying the ID (never the password). Every screening step is audited.
//! Screening is in `registration/screening.rs`, 登録完了 and the card in `issuing.rs`, and how
//! long a returned application is kept in `retention.rs`; this file holds the applicant's side.

pub mod mails;

use std::collections::HashMap;
use std::time::Instant;

use ccus_documents::photo::PhotoProblem;
use ccus_domain::password_policy::{ContextWord, PolicyViolation};
use ccus_domain::profile::{format_date, parse_birth_date, search_key};
use ccus_domain::registration::{
    business_fee_yen, field_problem, parse_yen, person_key, ApplicationKind, Field, FieldProblem,
    Plan, Status,
};
use ccus_domain::{AccountKind, AddressBucket, GuardKey, Password, PasswordContext, Timestamp};
use ccus_storage::{Account, ApplicationConsent, ClientInfo, Defect, Staff, StoreError};

/// Read models of the registration pages: the signed-in applicant (handed back to the services
/// that act for it), an application and a document sent with it.
pub use ccus_storage::{Applicant, Application, ApplicationDocument};

use crate::account::provisioning::{AccountRequest, CreatedAccount, ProfileRequest};
use crate::auth::session_cache::CachedSession;
use crate::auth::sessions::{self, Kind, Outcome, Principal, Standing};
use crate::guard::{check_secret, Check};
use crate::i18n::Msg;
use crate::tokens::{random_token, token_hash};
use crate::{App, AppError, AppResult};

pub mod limits;
mod password;

pub use limits::{UploadLimit, MAX_PHOTOS};
pub use password::{
    request_reset, reset_password, reset_target, ResetOutcome, ResetRequestOutcome,
};
mod issuing;
mod retention;
mod screening;
pub use issuing::*;
pub use retention::*;
pub use screening::*;

/// The answer to 申請用IDの作成; says nothing about whether the address already had one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartOutcome {
    Sent,
    InvalidEmail,
    TooMany,
}

/// Starts an application login for `email`: a confirmation link, or (when the address has one
/// already) a mail saying so. The same answer, no sooner than `recovery.response_floor`.
pub async fn start(
    app: &App,
    email: &str,
    client: &ClientInfo,
    lang: crate::i18n::Lang,
) -> AppResult<StartOutcome> {
    let begun = Instant::now();
    let email = email.trim();
    if !crate::account::provisioning::valid_email(email) {
        return Ok(StartOutcome::InvalidEmail);
    }
    let cfg = &app.config().recovery;
    let now = app.clock().now();
    let address = GuardKey::RecoveryAddress(AddressBucket::of(&client.address)).to_string();
    if app.store().hit_window(&address, cfg.window, now).await? > cfg.per_address_limit {
        return Ok(StartOutcome::TooMany);
    }
    let per_email = GuardKey::applicant_start(email).to_string();
    let email_ok =
        app.store().hit_window(&per_email, cfg.window, now).await? <= cfg.per_account_limit;
    if email_ok {
        let key = email.to_lowercase();
        let mail = if app.store().applicant_by_email_key(&key).await?.is_some() {
            crate::registration::mails::applicant_exists(app, lang, email)
        } else {
            let token = random_token();
            let hours = cfg.token_ttl.as_secs().div_ceil(3600).max(1);
            app.store()
                .create_applicant_token(&token_hash(&token), email, now, now.plus(cfg.token_ttl))
                .await?;
            crate::registration::mails::applicant_confirm(app, lang, email, &token, hours)
        };
        let mut tx = app.store().begin().await?;
        tx.enqueue_mail(&mail, now).await?;
        tx.commit().await?;
        app.wake_mail();
    }
    tokio::time::sleep_until((begun + cfg.response_floor).into()).await;
    Ok(StartOutcome::Sent)
}

/// The address a confirmation link is for, while it can be used.
pub async fn peek(app: &App, token: &str) -> AppResult<Option<String>> {
    Ok(app
        .store()
        .peek_applicant_token(&token_hash(token), app.clock().now())
        .await?)
}

#[derive(Debug)]
pub enum ConfirmOutcome {
    /// Created and signed in: the session token for the cookie.
    Created { session_token: String },
    /// The link is used, expired or unknown.
    BadLink,
    /// The password cannot be used; the reason to show.
    Password(Msg),
}

/// Makes the application login of a confirmation link with the chosen password.
pub async fn confirm(app: &App, token: &str, password: &str) -> AppResult<ConfirmOutcome> {
    let now = app.clock().now();
    let hash = token_hash(token);
    let Some(email) = app.store().peek_applicant_token(&hash, now).await? else {
        return Ok(ConfirmOutcome::BadLink);
    };
    let password = match Password::parse(password) {
        Ok(p) => p,
        Err(_) => return Ok(ConfirmOutcome::Password(Msg::new("password-empty"))),
    };
    let ctx = PasswordContext {
        login_id: "",
        name: "",
        email: &email,
    };
    if let Err(v) = ccus_domain::password_policy::check(&password, &ctx) {
        return Ok(ConfirmOutcome::Password(policy_msg(&v)));
    }
    let password_hash = app.hasher().hash(password).await?;
    let mut tx = app.store().begin().await?;
    let Some(email) = tx.consume_applicant_token(&hash, now).await? else {
        return Ok(ConfirmOutcome::BadLink);
    };
    let id = match tx
        .create_applicant(&email, &email.to_lowercase(), &password_hash, now)
        .await
    {
        Ok(id) => id,
        // Two links for one address: the first one used made the login.
        Err(StoreError::Conflict) => return Ok(ConfirmOutcome::BadLink),
        Err(e) => return Err(e.into()),
    };
    tx.commit().await?;
    let session_token = random_token();
    app.store()
        .create_applicant_session(&token_hash(&session_token), id, None, now)
        .await?;
    tracing::info!(applicant = id, "application login created");
    Ok(ConfirmOutcome::Created { session_token })
}

/// Why a new password was refused, for the page.
fn policy_msg(v: &PolicyViolation) -> Msg {
    use ccus_domain::password_policy::{MAX_CHARS, MIN_CHARS};
    match v {
        PolicyViolation::TooShort => Msg::new("apply-password-too-short").arg("min", MIN_CHARS),
        PolicyViolation::TooLong => Msg::new("apply-password-too-long").arg("max", MAX_CHARS),
        PolicyViolation::Common => Msg::new("apply-password-common"),
        // The application login has only an email address, and the service's own words.
        PolicyViolation::Context(ContextWord::Service(word)) => {
            Msg::new("apply-password-has-word").arg("word", *word)
        }
        PolicyViolation::Context(_) => Msg::new("apply-password-has-email"),
    }
}

/// The problem of one item of an application, for the page. Its `label` argument is the
/// item's Japanese label; a page in another language puts its own label in its place.
pub fn field_problem_msg(field: Field, problem: FieldProblem) -> Msg {
    let key = match problem {
        FieldProblem::TooLong => "apply-problem-too-long",
        FieldProblem::BadCharacters => "apply-problem-bad-characters",
        FieldProblem::Required => "apply-problem-required",
        FieldProblem::Choose => "apply-problem-choose",
        FieldProblem::ResidenceCardRequired => "apply-problem-residence-card-required",
        FieldProblem::FuriganaNotKana => "apply-problem-furigana",
        FieldProblem::BirthDateFormat => "apply-problem-birth-date-format",
        FieldProblem::BirthDateInFuture => "apply-problem-birth-date-future",
        FieldProblem::TooYoung => "apply-problem-too-young",
        FieldProblem::TooOld => "apply-problem-too-old",
        FieldProblem::PostalCode => "apply-problem-postal-code",
        FieldProblem::Phone => "apply-problem-phone",
        FieldProblem::ResidenceCardFormat => "apply-problem-residence-card",
        FieldProblem::EmployerFormat => "apply-problem-employer",
        FieldProblem::EmployerIsTechnician => "apply-problem-employer-technician",
        FieldProblem::CapitalFormat => "apply-problem-capital",
        FieldProblem::CapitalTooLarge => "apply-problem-capital-too-large",
    };
    Msg::new(key)
        .arg("label", field.label_ja())
        .arg("max", field.max_chars())
}

/// Why a face photo cannot be used, for the page.
pub fn photo_problem_msg(problem: PhotoProblem) -> Msg {
    use ccus_documents::photo::{MIN_PHOTO_HEIGHT, MIN_PHOTO_WIDTH};
    match problem {
        PhotoProblem::TooSmall { width, height } => Msg::new("apply-photo-too-small")
            .arg("width", width)
            .arg("height", height)
            .arg("min_width", MIN_PHOTO_WIDTH)
            .arg("min_height", MIN_PHOTO_HEIGHT),
        PhotoProblem::Sideways => Msg::new("apply-photo-sideways"),
        PhotoProblem::Unreadable => Msg::new("apply-photo-unreadable"),
        PhotoProblem::TooOld { taken } => Msg::new("apply-photo-too-old")
            .arg("year", taken.year())
            .arg("month", u8::from(taken.month()))
            .arg("day", taken.day())
            .arg("date", format_date(taken)),
        PhotoProblem::TakenInFuture { taken } => Msg::new("apply-photo-future")
            .arg("year", taken.year())
            .arg("month", u8::from(taken.month()))
            .arg("day", taken.day())
            .arg("date", format_date(taken)),
        PhotoProblem::ImpossibleSize { width, height } => Msg::new("apply-photo-impossible")
            .arg("width", width)
            .arg("height", height),
        PhotoProblem::TooManyPixels { width, height, max } => {
            Msg::new("apply-photo-too-many-pixels")
                .arg("width", width)
                .arg("height", height)
                .arg("megapixels", max / 1_000_000)
                .arg("man", max / 10_000)
        }
    }
}

#[derive(Debug)]
pub enum LoginOutcome {
    LoggedIn { session_token: String },
    Refused,
    Locked { until: Timestamp },
}

/// Logs in with an application login, under the same lockout rules as every login.
pub async fn log_in(app: &App, email: &str, password: &str) -> AppResult<LoginOutcome> {
    let key = email.trim().to_lowercase();
    let Ok(password) = Password::parse(password) else {
        return Ok(LoginOutcome::Refused);
    };
    let mut applicant: Option<Applicant> = None;
    let stored = async {
        // A business's 代行申請 login has no password: it is opened only from its portal.
        applicant = app
            .store()
            .applicant_by_email_key(&key)
            .await?
            .filter(|a| a.business_account_id.is_none());
        Ok(applicant.as_ref().map(|a| a.password_hash.clone()))
    };
    let guard = login_guard(&key);
    match check_secret(
        app,
        &guard,
        password,
        stored,
        crate::admission::Priority::Normal,
    )
    .await?
    {
        Check::Locked { until } => Ok(LoginOutcome::Locked { until }),
        Check::Failed { .. } => Ok(LoginOutcome::Refused),
        Check::Passed(_) => {
            let Some(a) = applicant else {
                return Err(AppError::Internal(
                    "a password matched without an applicant".into(),
                ));
            };
            let session_token = random_token();
            app.store()
                .create_applicant_session(
                    &token_hash(&session_token),
                    a.id,
                    None,
                    app.clock().now(),
                )
                .await?;
            Ok(LoginOutcome::LoggedIn { session_token })
        }
    }
}

/// The lockout counter of an application login (its address in lower case).
fn login_guard(email: &str) -> String {
    GuardKey::applicant_login(email).to_string()
}

/// An applicant's browser session, looked up for a request.
#[derive(Debug)]
pub enum Resumed {
    Active(Box<Applicant>),
    /// Ended by the idle or absolute timeout, or unknown: 「タイムアウトしました」.
    TimedOut,
    /// Ended by ログアウト (a browser that kept the cookie): not a timeout.
    LoggedOut,
    /// A 代行申請 session whose opener may no longer file 代行申請 (stopped, or no longer of a
    /// role that may): ended.
    NotAllowed,
}

/// The sessions of application logins, for the session kernel.
pub(crate) struct ApplicantSessions;

impl Kind for ApplicantSessions {
    type Record = ccus_storage::ApplicantSession;
    const PRINCIPAL: Principal = Principal::Applicant;

    fn to_cached(r: &Self::Record) -> CachedSession {
        CachedSession::Applicant(r.clone())
    }
    fn from_cached(c: CachedSession) -> Option<Self::Record> {
        match c {
            CachedSession::Applicant(r) => Some(r),
            _ => None,
        }
    }
    fn touched(r: &mut Self::Record, now: Timestamp) {
        r.last_seen_at = now;
    }

    async fn load(app: &App, hash: &str) -> AppResult<Option<Self::Record>> {
        Ok(app.store().applicant_session(hash).await?)
    }
    fn times(s: &Self::Record) -> (Timestamp, Timestamp) {
        (s.created_at, s.last_seen_at)
    }
    async fn standing(app: &App, s: &Self::Record) -> AppResult<Standing> {
        if let Some(business) = s.applicant.business_account_id {
            // A 代行申請 login acts for a business through the person who opened it: that
            // person must still be active and still allowed to file 代行申請 for this business.
            if !may_still_file_proxy(app, s.opened_by, business).await? {
                return Ok(Standing::NotAllowed);
            }
        }
        Ok(Standing::Allowed)
    }
    async fn end(app: &App, hash: &str) -> AppResult<bool> {
        Ok(app.store().delete_applicant_session(hash).await?)
    }
    async fn touch(app: &App, hash: &str, now: Timestamp) -> AppResult<()> {
        Ok(app.store().touch_applicant_session(hash, now).await?)
    }
    async fn logged_out(app: &App, hash: &str) -> AppResult<bool> {
        Ok(app.store().ended_by_logout(hash).await?)
    }
    async fn log_out(
        app: &App,
        hash: &str,
        _s: &Self::Record,
        _client: &ClientInfo,
    ) -> AppResult<bool> {
        let mut tx = app.store().begin().await?;
        let ended = tx
            .log_out_applicant_session(hash, app.clock().now())
            .await?;
        tx.commit().await?;
        Ok(ended)
    }
}

/// The applicant behind a session cookie, while the session lasts (the same timeouts as the
/// portals). A cookie of a session ended by ログアウト reads as logged out, as at the portals.
pub async fn resume(app: &App, token: &str) -> AppResult<Resumed> {
    // An applicant's timeout is not written to any history: the client is not needed.
    let nobody = ClientInfo::default();
    Ok(
        match sessions::resume::<ApplicantSessions>(app, token, &nobody).await? {
            Outcome::Active(s) => Resumed::Active(Box::new(s.applicant)),
            Outcome::TimedOut(_) | Outcome::Unknown { logged_out: false } => Resumed::TimedOut,
            Outcome::Unknown { logged_out: true } => Resumed::LoggedOut,
            Outcome::Stopped(_) | Outcome::NotAllowed(_) => Resumed::NotAllowed,
        },
    )
}

/// Whether the account that opened a 代行申請 session may still file 代行申請 for `business`:
/// it exists, is not stopped (利用停止), belongs to that business and holds a role that may.
async fn may_still_file_proxy(app: &App, opened_by: Option<i64>, business: i64) -> AppResult<bool> {
    let Some(opener) = opened_by else {
        return Ok(false);
    };
    let Some(account) = app.store().account_by_id(opener).await? else {
        return Ok(false);
    };
    let Some(standing) = crate::org::standing(app, &account).await? else {
        return Ok(false);
    };
    Ok(standing.business.id == business
        && standing.may_for_business(ccus_domain::org::Action::ProxyApply))
}

/// ログアウト: ends the session behind the cookie, remembered (by hash) so that the same cookie
/// coming back reads as logged out rather than timed out.
pub async fn log_out(app: &App, token: &str) -> AppResult<()> {
    sessions::log_out::<ApplicantSessions>(app, token, &ClientInfo::default()).await
}

/// An application with its items and 不備, as its applicant or a screener sees it.
#[derive(Debug, Clone)]
pub struct ApplicationView {
    pub application: Application,
    pub values: HashMap<Field, String>,
    pub defects: Vec<Defect>,
    /// For a 代行申請: the business that applies for the worker.
    pub business: Option<Account>,
    /// For a 代行申請: the worker's consent, once asked for.
    pub consent: Option<ApplicationConsent>,
    /// The documents sent with it so far.
    pub documents: Vec<ApplicationDocument>,
}

impl ApplicationView {
    pub fn value(&self, f: Field) -> String {
        self.values.get(&f).cloned().unwrap_or_default()
    }
    /// The open 不備 of an item.
    pub fn open_defect(&self, f: Field) -> Option<&Defect> {
        self.defects
            .iter()
            .find(|d| d.resolved_at.is_none() && d.field == f.key())
    }
    pub fn plan(&self) -> Option<Plan> {
        Plan::parse(&self.value(Field::Plan))
    }
    pub fn kind(&self) -> ApplicationKind {
        ApplicationKind::parse(&self.application.kind).unwrap_or(ApplicationKind::Technician)
    }
    /// Who the application is for: 氏名, or a business's 商号.
    pub fn display_name(&self) -> String {
        match self.kind() {
            ApplicationKind::Technician => self.value(Field::Name),
            ApplicationKind::Business => self.value(Field::CompanyName),
        }
    }
    /// The fee for what is entered now, if it can be told.
    pub fn fee_yen(&self) -> Option<i64> {
        fee_of(self.kind(), &|f| self.value(f))
    }
    /// Whether a business applies for the worker (代行申請).
    pub fn is_proxy(&self) -> bool {
        self.business.is_some()
    }
    /// Whether the worker's consent to a 代行申請 is on record: answered yes online, or a
    /// 代行申請同意書 among the documents.
    pub fn consent_on_record(&self, documents: &[ccus_storage::ApplicationDocument]) -> bool {
        self.consent
            .as_ref()
            .is_some_and(ApplicationConsent::consented)
            || documents.iter().any(|d| d.kind == PROXY_CONSENT_DOCUMENT)
    }
    /// The worker's consent to a 代行申請 as it stands, for a page.
    pub fn consent_msg(
        &self,
        documents: &[ccus_storage::ApplicationDocument],
        now: Timestamp,
    ) -> Msg {
        let by_document = documents.iter().any(|d| d.kind == PROXY_CONSENT_DOCUMENT);
        match &self.consent {
            Some(c) if c.consented() => Msg::new("apply-consent-given")
                .arg("at", c.answered_at.map(|t| t.jst()).unwrap_or_default())
                .arg("email", &c.email),
            _ if by_document => Msg::new("apply-consent-by-document"),
            Some(c) if c.answer == "declined" => Msg::new("apply-consent-refused"),
            Some(c) if c.expires_at <= now => Msg::new("apply-consent-expired"),
            Some(c) => Msg::new("apply-consent-waiting").arg("email", &c.email),
            None => Msg::new("apply-consent-not-asked"),
        }
    }
    /// Where the account's mail goes once issued: the person's own address, or the
    /// application login's.
    pub fn person_email(&self, applicant_email: &str) -> String {
        let own = self.value(Field::Email);
        if own.trim().is_empty() {
            applicant_email.to_owned()
        } else {
            own.trim().to_owned()
        }
    }
}

/// The registration fee for the values of an application, if they tell it: never ¥0 but for a
/// 一人親方, and `None` while the capital of any other business is not a number of yen.
fn fee_of(kind: ApplicationKind, value: &dyn Fn(Field) -> String) -> Option<i64> {
    match kind {
        ApplicationKind::Technician => {
            Plan::parse(&value(Field::Plan)).map(|p| i64::from(p.fee_yen()))
        }
        ApplicationKind::Business => {
            let sole = value(Field::SoleProprietor) == "sole";
            let capital = parse_yen(&value(Field::Capital));
            if sole {
                Some(0)
            } else {
                capital.map(|c| i64::from(business_fee_yen(c, false)))
            }
        }
    }
}

async fn load(app: &App, application: Application) -> AppResult<ApplicationView> {
    let values = app
        .store()
        .application_fields(application.id)
        .await?
        .into_iter()
        .filter_map(|(k, v)| Field::parse(&k).map(|f| (f, v)))
        .collect();
    let defects = app.store().application_defects(application.id).await?;
    let business = match app.store().applicant(application.applicant_id).await? {
        Some(Applicant {
            business_account_id: Some(b),
            ..
        }) => app.store().account_by_id(b).await?,
        _ => None,
    };
    let consent = if business.is_some() {
        app.store().application_consent(application.id).await?
    } else {
        None
    };
    let documents = app.store().application_documents(application.id).await?;
    Ok(ApplicationView {
        application,
        values,
        defects,
        business,
        consent,
        documents,
    })
}

/// The applicant's applications, for their home page.
pub async fn applications_of(app: &App, applicant: &Applicant) -> AppResult<Vec<Application>> {
    Ok(app.store().applications_of(applicant.id).await?)
}

/// An application of this applicant (another's reads as none).
pub async fn own(app: &App, applicant: &Applicant, id: i64) -> AppResult<Option<ApplicationView>> {
    match app.store().application(id).await? {
        Some(a) if a.applicant_id == applicant.id => Ok(Some(load(app, a).await?)),
        _ => Ok(None),
    }
}

/// The answer to starting an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewApplication {
    Created(i64),
    /// The login holds `max` open applications already (`registration.max_open_applications`).
    TooMany {
        max: u64,
    },
}

/// Starts an application (a draft). A business's 代行申請 login starts only technicians'
/// applications, with itself as the employer until changed. An application login holds at
/// most [`limits::max_open_applications`] open ones.
pub async fn new_application(
    app: &App,
    applicant: &Applicant,
    kind: ApplicationKind,
) -> AppResult<NewApplication> {
    let now = app.clock().now();
    let business = match applicant.business_account_id {
        Some(b) => app.store().account_by_id(b).await?,
        None => None,
    };
    let kind = if business.is_some() {
        ApplicationKind::Technician
    } else {
        kind
    };
    let max = limits::max_open_applications(app, applicant);
    let mut tx = app.store().begin().await?;
    // The applicant's row first: two requests at once count one after the other.
    tx.lock_applicant(applicant.id).await?;
    if tx.open_applications_of(applicant.id).await? >= max {
        return Ok(NewApplication::TooMany { max });
    }
    let id = tx
        .create_application(applicant.id, kind.as_str(), now)
        .await?;
    if let Some(b) = &business {
        tx.set_application_fields(id, &[(Field::Employer.key(), b.login_id.to_string())], now)
            .await?;
    }
    tx.commit().await?;
    Ok(NewApplication::Created(id))
}

// ---- 代行申請 -----------------------------------------------------------------------------------

/// The document kind of a 代行申請同意書.
pub const PROXY_CONSENT_DOCUMENT: &str = "proxy_consent";

/// How long a consent request mailed to a worker can be answered.
pub const CONSENT_DAYS: u64 = 14;

/// Opens the 代行申請 login of the business of a signed-in person (made on first use; it has no
/// password and is reached only this way), returning a session token for it. `None` for anyone
/// the permission table does not let file 代行申請 (a technician, a 現場管理者…).
pub async fn proxy_session(app: &App, me: &Account) -> AppResult<Option<String>> {
    let Some(standing) = crate::org::standing(app, me).await? else {
        return Ok(None);
    };
    if !standing.may_for_business(ccus_domain::org::Action::ProxyApply) {
        return Ok(None);
    }
    let business = &standing.business;
    let now = app.clock().now();
    let applicant_id = match app.store().proxy_applicant(business.id).await? {
        Some(a) => a.id,
        None => {
            let mut tx = app.store().begin().await?;
            match tx
                .create_proxy_applicant(business.id, &business.email, now)
                .await
            {
                Ok(id) => {
                    tx.commit().await?;
                    id
                }
                // Made at the same moment by another request.
                Err(StoreError::Conflict) => {
                    drop(tx);
                    match app.store().proxy_applicant(business.id).await? {
                        Some(a) => a.id,
                        None => return Err(AppError::Unavailable("proxy applicant".into())),
                    }
                }
                Err(e) => return Err(e.into()),
            }
        }
    };
    let token = random_token();
    app.store()
        .create_applicant_session(&token_hash(&token), applicant_id, Some(me.id), now)
        .await?;
    Ok(Some(token))
}

/// The business a 代行申請 login applies for.
pub async fn proxy_business(app: &App, applicant: &Applicant) -> AppResult<Option<Account>> {
    match applicant.business_account_id {
        Some(b) => Ok(app.store().account_by_id(b).await?),
        None => Ok(None),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsentRequestOutcome {
    Sent,
    /// Not a 代行申請, or no longer editable.
    NotPossible,
    /// An item the request needs is missing or unusable; why.
    Incomplete(Field, Msg),
    TooMany,
}

/// Mails the worker of a 代行申請 a link to consent (or not); an earlier link stops working.
pub async fn request_consent(
    app: &App,
    applicant: &Applicant,
    id: i64,
    lang: crate::i18n::Lang,
) -> AppResult<ConsentRequestOutcome> {
    let Some(view) = own(app, applicant, id).await? else {
        return Ok(ConsentRequestOutcome::NotPossible);
    };
    let Some(business) = &view.business else {
        return Ok(ConsentRequestOutcome::NotPossible);
    };
    if !view.application.status.editable() {
        return Ok(ConsentRequestOutcome::NotPossible);
    }
    let email = view.value(Field::Email);
    let own = business_addresses(app, business).await?;
    if let Some(why) = proxy_email_problem(&email, &own) {
        return Ok(ConsentRequestOutcome::Incomplete(Field::Email, why));
    }
    // The worker consents to an application that names them; changing these asks again.
    let name = view.value(Field::Name);
    if let Some(f) = [Field::Name, Field::Furigana, Field::BirthDate]
        .into_iter()
        .find(|f| view.value(*f).trim().is_empty())
    {
        return Ok(ConsentRequestOutcome::Incomplete(
            f,
            Msg::new("apply-problem-consent-needs-person"),
        ));
    }
    let cfg = &app.config().recovery;
    let now = app.clock().now();
    if app
        .store()
        .hit_window(&GuardKey::ConsentRequest(id).to_string(), cfg.window, now)
        .await?
        > cfg.per_account_limit
    {
        return Ok(ConsentRequestOutcome::TooMany);
    }
    let token = random_token();
    let ttl = std::time::Duration::from_secs(CONSENT_DAYS * 24 * 3600);
    let mut tx = app.store().begin().await?;
    tx.request_consent(id, &token_hash(&token), &email, now, now.plus(ttl))
        .await?;
    tx.enqueue_mail(
        &crate::registration::mails::consent_request(
            app,
            lang,
            &email,
            &name,
            &business.name,
            &token,
            CONSENT_DAYS,
        ),
        now,
    )
    .await?;
    tx.commit().await?;
    app.wake_mail();
    tracing::info!(application = id, "consent requested");
    Ok(ConsentRequestOutcome::Sent)
}

/// An address as the mailbox it reaches: lower case, without a `+tag` (`Office+W@Example.jp`
/// and `office@example.jp` reach the same person).
fn mailbox(email: &str) -> String {
    let email = email.trim().to_lowercase();
    match email.rsplit_once('@') {
        Some((local, domain)) => {
            let local = local.split('+').next().unwrap_or(local);
            format!("{local}@{domain}")
        }
        None => email,
    }
}

/// The addresses of a business and of each of its 管理者ID: none can be a worker's own.
async fn business_addresses(app: &App, business: &Account) -> AppResult<Vec<String>> {
    let mut out = vec![business.email.clone()];
    out.extend(
        app.store()
            .org_members(business.id)
            .await?
            .into_iter()
            .map(|m| m.account.email),
    );
    Ok(out)
}

/// Why an address cannot be the worker's own in a 代行申請, if it cannot: missing, not an
/// address, or (once case and `+tag` are set aside) one of the business's own addresses.
fn proxy_email_problem(email: &str, business_addresses: &[String]) -> Option<Msg> {
    let email = email.trim();
    if email.is_empty() {
        return Some(Msg::new("apply-problem-proxy-email-missing"));
    }
    if !crate::account::provisioning::valid_email(email) {
        return Some(Msg::new("apply-problem-email"));
    }
    let mine = mailbox(email);
    if business_addresses.iter().any(|b| mailbox(b) == mine) {
        return Some(Msg::new("apply-problem-proxy-email-business"));
    }
    None
}

/// A consent request as the worker sees it from the mailed link.
#[derive(Debug, Clone)]
pub struct ConsentView {
    pub business_name: String,
    pub business_id: String,
    pub view: ApplicationView,
    pub consent: ApplicationConsent,
    /// Whether it can still be answered.
    pub open: bool,
}

/// The 代行申請 a consent link is for.
pub async fn consent_request(app: &App, token: &str) -> AppResult<Option<ConsentView>> {
    let Some(consent) = app.store().consent_by_token(&token_hash(token)).await? else {
        return Ok(None);
    };
    let Some(a) = app.store().application(consent.application_id).await? else {
        return Ok(None);
    };
    let view = load(app, a).await?;
    let Some(business) = view.business.clone() else {
        return Ok(None);
    };
    let open = consent.answer.is_empty()
        && consent.expires_at > app.clock().now()
        && view.application.status.editable();
    Ok(Some(ConsentView {
        business_name: business.name.clone(),
        business_id: business.login_id.grouped(),
        view,
        consent,
        open,
    }))
}

/// The worker answers a consent request; false when the link can no longer be answered. The
/// business is told either way.
pub async fn answer_consent(
    app: &App,
    token: &str,
    consented: bool,
    client: &ClientInfo,
) -> AppResult<bool> {
    let Some(cv) = consent_request(app, token).await? else {
        return Ok(false);
    };
    if !cv.open {
        return Ok(false);
    }
    let Some(applicant) = app
        .store()
        .applicant(cv.view.application.applicant_id)
        .await?
    else {
        return Ok(false);
    };
    let now = app.clock().now();
    let answer = if consented { "consented" } else { "declined" };
    let lang =
        crate::registration::mails::application_language(app, &applicant, cv.view.application.id)
            .await?;
    let mut tx = app.store().begin().await?;
    if !tx
        .answer_consent(&token_hash(token), answer, &client.address, now)
        .await?
    {
        return Ok(false);
    }
    tx.enqueue_mail(
        &crate::registration::mails::consent_answered(
            app,
            lang,
            &applicant.email,
            cv.view.application.id,
            &cv.view.value(Field::Name),
            consented,
        ),
        now,
    )
    .await?;
    tx.commit().await?;
    app.wake_mail();
    tracing::info!(
        application = cv.view.application.id,
        answer,
        "consent answered"
    );
    Ok(true)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveOutcome {
    /// 一時保存 done.
    Saved,
    /// 申請 done: waiting for screening.
    Submitted,
    /// Items to fix (nothing was stored); the form shows them next to the items.
    Invalid(Vec<(Field, Msg)>),
    /// The person is registered already (same フリガナ and 生年月日).
    AlreadyRegistered,
    /// The application cannot be changed now (sent, approved…).
    NotEditable,
    /// 申請 needs these documents first (their kinds, as in [`DOCUMENT_KINDS`]).
    MissingDocuments(Vec<&'static str>),
    /// A 代行申請 needs the worker's consent first.
    NoConsent,
}

fn today(now: Timestamp) -> time::Date {
    ccus_domain::calendar::jst_datetime(now).map_or(time::Date::MIN, |t| t.date())
}

/// Stores what was typed (一時保存), or sends the application (申請) when `submit`. While the
/// application is returned with 不備, only the items named can change.
pub async fn save(
    app: &App,
    applicant: &Applicant,
    id: i64,
    typed: Vec<(Field, String)>,
    submit: bool,
    lang: crate::i18n::Lang,
) -> AppResult<SaveOutcome> {
    let Some(view) = own(app, applicant, id).await? else {
        return Ok(SaveOutcome::NotEditable);
    };
    let status = view.application.status;
    if !status.editable() {
        return Ok(SaveOutcome::NotEditable);
    }
    let kind = view.kind();
    let mut merged = view.values.clone();
    let mut changes: Vec<(&str, String)> = Vec::new();
    for (f, v) in typed {
        if !kind.fields().contains(&f)
            || (status == Status::Returned && view.open_defect(f).is_none())
        {
            continue;
        }
        let v = v.trim().to_owned();
        let v = match f {
            Field::BirthDate => parse_birth_date(&v).map(format_date).unwrap_or(v),
            _ => v,
        };
        if merged.get(&f).map(String::as_str).unwrap_or("") != v {
            changes.push((f.key(), v.clone()));
        }
        merged.insert(f, v);
    }
    let all = |f: Field| merged.get(&f).cloned().unwrap_or_default();
    let today = today(app.clock().now());
    let mut errors: Vec<(Field, Msg)> = kind
        .fields()
        .iter()
        .filter_map(|f| {
            field_problem(*f, &all(*f), &all, today, submit).map(|p| (*f, field_problem_msg(*f, p)))
        })
        .collect();
    if kind.fields().contains(&Field::Email) && !errors.iter().any(|(f, _)| *f == Field::Email) {
        let email = all(Field::Email);
        let problem = match &view.business {
            Some(b) if submit || !email.trim().is_empty() => {
                proxy_email_problem(&email, &business_addresses(app, b).await?)
            }
            _ if !email.trim().is_empty()
                && !crate::account::provisioning::valid_email(email.trim()) =>
            {
                Some(Msg::new("apply-problem-email"))
            }
            _ => None,
        };
        if let Some(p) = problem {
            errors.push((Field::Email, p));
        }
    }
    if !errors.is_empty() {
        return Ok(SaveOutcome::Invalid(errors));
    }
    // The worker consented to a 代行申請 naming them at their address: changing who it names
    // or where their login goes asks them again.
    let names_changed = changes.iter().any(|(k, _)| {
        [Field::Name, Field::Furigana, Field::BirthDate, Field::Email]
            .iter()
            .any(|f| f.key() == *k)
    });
    let now = app.clock().now();
    let key = match kind {
        ApplicationKind::Technician => person_key(&all(Field::Furigana), &all(Field::BirthDate)),
        ApplicationKind::Business => String::new(),
    };
    if submit {
        let have = app.store().application_documents(id).await?;
        let missing: Vec<&'static str> = required_documents(kind, &merged)
            .into_iter()
            .filter(|k| !have.iter().any(|d| d.kind == *k))
            .collect();
        if !missing.is_empty() {
            return Ok(SaveOutcome::MissingDocuments(missing));
        }
        let consented_online = !names_changed
            && view
                .consent
                .as_ref()
                .is_some_and(ApplicationConsent::consented);
        let signed = have.iter().any(|d| d.kind == PROXY_CONSENT_DOCUMENT);
        if view.is_proxy() && !consented_online && !signed {
            return Ok(SaveOutcome::NoConsent);
        }
        let registered = if kind == ApplicationKind::Technician {
            app.store()
                .accounts_of_person(&search_key(&all(Field::Furigana)), &all(Field::BirthDate))
                .await?
        } else {
            Vec::new()
        };
        if registered
            .iter()
            .any(|a| search_key(&a.name) == search_key(&all(Field::Name)))
        {
            return Ok(SaveOutcome::AlreadyRegistered);
        }
    }
    // Never ¥0 by mistake: without a fee the items must say why (checked above); if they do
    // not, the capital is what is missing.
    let fee = match fee_of(kind, &all) {
        Some(fee) => fee,
        None if submit => {
            return Ok(SaveOutcome::Invalid(vec![(
                Field::Capital,
                field_problem_msg(Field::Capital, FieldProblem::CapitalFormat),
            )]))
        }
        None => 0,
    };
    let mut tx = app.store().begin().await?;
    tx.set_application_fields(id, &changes, now).await?;
    if view.is_proxy() && names_changed && view.consent.is_some() {
        tx.clear_consent(id).await?;
    }
    if submit {
        tx.set_application_terms(id, &key, fee).await?;
        tx.resolve_defects(id, now).await?;
        if !tx
            .move_application(id, status, Status::Submitted, now)
            .await?
        {
            return Ok(SaveOutcome::NotEditable);
        }
        tx.set_application_language(id, lang.code(), now).await?;
        tx.enqueue_mail(
            &crate::registration::mails::application_received(
                app,
                lang,
                &applicant.email,
                id,
                kind,
                fee,
            ),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    if submit {
        app.wake_mail();
        tracing::info!(application = id, "application submitted");
        Ok(SaveOutcome::Submitted)
    } else {
        Ok(SaveOutcome::Saved)
    }
}

/// 取り下げ: the applicant withdraws an application that is not yet approved. Its data is then
/// deleted after `registration.closed_retention`.
pub async fn withdraw(app: &App, applicant: &Applicant, id: i64) -> AppResult<bool> {
    let Some(view) = own(app, applicant, id).await? else {
        return Ok(false);
    };
    let from = view.application.status;
    if !matches!(from, Status::Draft | Status::Submitted | Status::Returned) {
        return Ok(false);
    }
    let mut tx = app.store().begin().await?;
    if !tx
        .move_application(id, from, Status::Closed, app.clock().now())
        .await?
    {
        return Ok(false);
    }
    tx.commit().await?;
    tracing::info!(application = id, "application withdrawn");
    Ok(true)
}

// ---- documents ---------------------------------------------------------------------------------

/// The kinds of documents: (code, label).
pub const DOCUMENT_KINDS: &[(&str, &str)] = &[
    (
        "identity",
        "本人確認書類（マイナンバーカード・運転免許証・パスポートと住所の確認書類・在留カード）",
    ),
    (
        "photo",
        "顔写真（6か月以内に撮影したもの。登録後は変更できません）",
    ),
    ("residence_card", "在留カード（日本国籍以外の方）"),
    ("qualification", "資格証の写し"),
    ("insurance", "社会保険の加入を確認できる書類"),
    (
        "company_registry",
        "登記事項証明書（個人事業主は開業届や確定申告書の写し）",
    ),
    ("permit", "建設業許可通知書の写し"),
    (
        PROXY_CONSENT_DOCUMENT,
        "代行申請同意書（本人が署名したもの）",
    ),
];

/// The kinds of documents an application of `kind` may carry, those every such application
/// needs first; a 代行申請 (`proxy`) also its 代行申請同意書.
pub fn document_kinds(kind: ApplicationKind, proxy: bool) -> Vec<(&'static str, &'static str)> {
    const BUSINESS: [&str; 3] = ["company_registry", "permit", "insurance"];
    match kind {
        ApplicationKind::Business => BUSINESS
            .iter()
            .filter_map(|b| DOCUMENT_KINDS.iter().copied().find(|(k, _)| k == b))
            .collect(),
        ApplicationKind::Technician => DOCUMENT_KINDS
            .iter()
            .copied()
            .filter(|(k, _)| !BUSINESS[..2].contains(k) && (proxy || *k != PROXY_CONSENT_DOCUMENT))
            .collect(),
    }
}

/// Needed before 申請 by every technician's application.
pub const REQUIRED_DOCUMENTS: &[&str] = &["identity", "photo"];

/// The documents an application needs, by what it says: a technician's identity document and
/// face photo, the residence card of a foreign national, a copy of the qualifications listed;
/// a business's registry certificate and, when it has one, its construction permit.
pub fn required_documents(
    kind: ApplicationKind,
    values: &HashMap<Field, String>,
) -> Vec<&'static str> {
    let v = |f: Field| {
        values
            .get(&f)
            .map(|s| s.trim().to_owned())
            .unwrap_or_default()
    };
    if kind == ApplicationKind::Business {
        let mut out = vec!["company_registry"];
        if !v(Field::Permit).is_empty() {
            out.push("permit");
        }
        return out;
    }
    let mut out = REQUIRED_DOCUMENTS.to_vec();
    let nationality = v(Field::Nationality);
    if !nationality.is_empty() && !ccus_domain::registration::is_japanese(&nationality) {
        out.push("residence_card");
    }
    if !v(Field::Qualifications).is_empty() {
        out.push("qualification");
    }
    out
}

pub fn document_label(kind: &str) -> &'static str {
    DOCUMENT_KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("書類", |(_, l)| l)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentOutcome {
    Added,
    NotEditable,
    UnknownKind,
    /// A face photo must be a JPEG or PNG image.
    PhotoMustBeImage,
    /// The face photo cannot be used (too small, sideways, older than 6 months); why.
    PhotoRefused(Msg),
    /// A limit on documents or uploads ([`limits`]).
    Limited(UploadLimit),
}

/// Adds a document (already stored, typed by its content) to an application the applicant may
/// still change. The row (and, on a shared database, the bytes) is committed before the file is
/// kept, so a failure leaves nothing behind.
pub async fn add_document(
    app: &App,
    applicant: &Applicant,
    id: i64,
    kind: &str,
    stored: crate::attachments::Stored,
) -> AppResult<DocumentOutcome> {
    let Some(view) = own(app, applicant, id).await? else {
        return Ok(DocumentOutcome::NotEditable);
    };
    if !view.application.status.editable() {
        return Ok(DocumentOutcome::NotEditable);
    }
    if !document_kinds(view.kind(), view.is_proxy())
        .iter()
        .any(|(k, _)| *k == kind)
    {
        return Ok(DocumentOutcome::UnknownKind);
    }
    // Every upload that gets this far counts, taken or not: it cost the upload.
    if let Some(limit) = limits::count_upload(app, applicant).await? {
        return Ok(DocumentOutcome::Limited(limit));
    }
    if kind == "photo" {
        if stored.file_type == crate::attachments::FileType::Pdf {
            return Ok(DocumentOutcome::PhotoMustBeImage);
        }
        let bytes = stored
            .bytes()
            .map_err(|e| AppError::unavailable(format!("document {}", stored.name), e))?;
        if let Some(why) =
            ccus_documents::photo::face_photo_problem(&bytes, today(app.clock().now()))
        {
            return Ok(DocumentOutcome::PhotoRefused(photo_problem_msg(why)));
        }
    }
    let now = app.clock().now();
    let mut tx = app.store().begin().await?;
    // The application's row first (still editable): uploads at the same moment count one
    // after the other.
    if !tx.touch_editable_application(id, now).await? {
        return Ok(DocumentOutcome::NotEditable);
    }
    if let Some(limit) = limits::document_fits(app, &mut tx, id, kind).await? {
        return Ok(DocumentOutcome::Limited(limit));
    }
    tx.add_application_document(
        id,
        kind,
        &stored.name,
        &stored.original_name,
        stored.file_type.content_type(),
        i64::try_from(stored.size).unwrap_or(i64::MAX),
        now,
    )
    .await?;
    if crate::attachments::shared(app) {
        let bytes = stored
            .bytes()
            .map_err(|e| AppError::unavailable(format!("document {}", stored.name), e))?;
        tx.put_attachment_bytes(&stored.name, &bytes).await?;
    }
    tx.commit().await?;
    stored.keep();
    Ok(DocumentOutcome::Added)
}

/// A document for a screener to look at, with its bytes; the download is audited.
pub async fn document_for_screener(
    app: &App,
    staff: &Staff,
    application_id: i64,
    document_id: i64,
) -> AppResult<Option<(ccus_storage::ApplicationDocument, Vec<u8>)>> {
    if !may_see(app, staff, application_id).await? {
        return Ok(None);
    }
    let Some(d) = app.store().application_document(document_id).await? else {
        return Ok(None);
    };
    if d.application_id != application_id {
        return Ok(None);
    }
    let Some(bytes) = crate::attachments::read_stored(app, &d.stored_name).await? else {
        return Ok(None);
    };
    let now = app.clock().now();
    let mut tx = app.store().begin().await?;
    tx.audit(
        staff.id,
        "registration-document",
        None,
        "",
        &format!(
            "申請番号 {application_id}: {}（{}）",
            document_label(&d.kind),
            d.original_name
        ),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Some((d, bytes)))
}

// ---- bulk import -------------------------------------------------------------------------------

/// One person of a bulk import (registered elsewhere, e.g. on paper).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    pub line: usize,
    pub name: String,
    pub furigana: String,
    pub birth_date: String,
    pub email: String,
    pub employer: String,
}

/// The columns of an import file, in this order, after a header line.
pub const IMPORT_COLUMNS: [&str; 5] = ["name", "furigana", "birth_date", "email", "employer"];

/// Splits one CSV line (RFC 4180: fields may be quoted, `""` inside quotes is a quote).
fn csv_fields(line: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    let mut was_quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() && !was_quoted => {
                quoted = true;
                was_quoted = true;
            }
            (false, ',') => {
                out.push(std::mem::take(&mut field));
                was_quoted = false;
            }
            (false, c) => field.push(c),
        }
    }
    if quoted {
        return Err("a quoted field is not closed".into());
    }
    out.push(field);
    Ok(out)
}

/// Reads an import file: a header line naming [`IMPORT_COLUMNS`], then one person per line.
pub fn parse_import(text: &str) -> Result<Vec<ImportRow>, String> {
    let text = text.trim_start_matches('\u{feff}');
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let Some((_, header)) = lines.next() else {
        return Err("the file is empty".into());
    };
    let header = csv_fields(header)?;
    if header.iter().map(|h| h.trim()).ne(IMPORT_COLUMNS) {
        return Err(format!(
            "the first line must be the header {}",
            IMPORT_COLUMNS.join(",")
        ));
    }
    lines
        .map(|(i, l)| {
            let f = csv_fields(l).map_err(|e| format!("line {}: {e}", i + 1))?;
            if f.len() != IMPORT_COLUMNS.len() {
                return Err(format!(
                    "line {}: {} fields, expected {}",
                    i + 1,
                    f.len(),
                    IMPORT_COLUMNS.len()
                ));
            }
            Ok(ImportRow {
                line: i + 1,
                name: f[0].trim().to_owned(),
                furigana: f[1].trim().to_owned(),
                birth_date: f[2].trim().to_owned(),
                email: f[3].trim().to_owned(),
                employer: f[4].trim().to_owned(),
            })
        })
        .collect()
}

/// What became of one imported person.
#[derive(Debug)]
pub enum Imported {
    Created(Box<CreatedAccount>),
    /// Registered already (same 氏名, フリガナ and 生年月日): nothing was created.
    Duplicate,
    /// The row cannot be used; why.
    Invalid(String),
}

/// Creates a technician account for each person registered elsewhere, with an initial password
/// and 本人確認番号 to print on their card; a person registered already is skipped.
pub async fn import_registered(app: &App, rows: &[ImportRow]) -> AppResult<Vec<Imported>> {
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let birth = parse_birth_date(&r.birth_date).map(format_date);
        if let Some(b) = &birth {
            let same = app
                .store()
                .accounts_of_person(&search_key(&r.furigana), b)
                .await?;
            if same
                .iter()
                .any(|a| search_key(&a.name) == search_key(&r.name))
            {
                out.push(Imported::Duplicate);
                continue;
            }
        }
        let req = AccountRequest {
            kind: AccountKind::Technician,
            name: r.name.clone(),
            email: r.email.clone(),
            password: None,
            security_code: None,
            must_change_password: true,
            profile: ProfileRequest {
                furigana: r.furigana.clone(),
                birth_date: Some(r.birth_date.clone()),
                employer: Some(r.employer.clone()).filter(|e| !e.is_empty()),
            },
        };
        out.push(
            match crate::account::provisioning::create_account(app, req).await {
                Ok(c) => Imported::Created(Box::new(c)),
                Err(crate::account::provisioning::CreateError::Invalid(why)) => {
                    Imported::Invalid(why)
                }
                Err(crate::account::provisioning::CreateError::App(e)) => return Err(e),
            },
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_files_are_read_as_csv() {
        let rows = parse_import(
            "\u{feff}name,furigana,birth_date,email,employer\n\
             田中 一郎,タナカ イチロウ,1988-07-15,a@example.jp,\n\
             \"山田, 花子\",ヤマダ ハナコ,1990/1/2,\"b@example.jp\",\n",
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].name, "山田, 花子");
        assert_eq!(rows[1].line, 3);
        assert!(parse_import("name,email\nx,y").is_err());
        assert!(
            parse_import("name,furigana,birth_date,email,employer\n\"open,b,c,d,e")
                .unwrap_err()
                .contains("line 2")
        );
        assert_eq!(
            csv_fields("a,\"b \"\"c\"\"\",").unwrap(),
            vec!["a", "b \"c\"", ""]
        );
    }
}
