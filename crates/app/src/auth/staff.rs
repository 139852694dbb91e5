//! Helpdesk staff signing in: staff ID, password and a TOTP code (RFC 6238), enrolled with a
//! QR code at the first login; their own lockout (same policy, counted under the staff ID, the
//! password staying counted until the code is right) and a per-address limit; a generated
//! password replaced before any work. TOTP secrets are sealed with `staff.totp_key`; without
//! that key the console is closed.

use ccus_domain::{totp, AddressBucket, AttemptDecision, GuardKey, Password, Timestamp};
use ccus_storage::{ClientInfo, Staff, StaffSession};

use crate::audit::{self, Actor, AuditAction, AuditDetail, AuditEvent, SignInRefusal};
use crate::auth::session_cache::CachedSession;
use crate::auth::sessions::{self, Kind, Outcome, Principal, Standing};
use crate::guard::{check_first_factor, Check, FirstFactor};
use crate::staff_crypto::SecretBox;
use crate::tokens::{random_token, token_hash};
use crate::{App, AppError, AppResult};

/// The sealing key for TOTP secrets, or "unavailable" when none is configured.
pub fn secret_box(app: &App) -> AppResult<SecretBox> {
    SecretBox::from_config(&app.config().staff.totp_key).ok_or_else(|| {
        AppError::Unavailable(
            "staff.totp_key is not configured; the helpdesk console is closed".into(),
        )
    })
}

/// A staff ID as typed: NFKC, trimmed, upper case.
pub fn normalise_staff_id(raw: &str) -> String {
    ccus_domain::input::nfkc(raw.trim()).to_uppercase()
}

/// Staff IDs have one shape (`S` and seven digits); anything else cannot be anyone's.
pub fn is_staff_id(id: &str) -> bool {
    id.len() == 8 && id.starts_with('S') && id[1..].bytes().all(|b| b.is_ascii_digit())
}

/// What a staff login attempt did.
#[derive(Debug)]
pub enum StaffLogin {
    /// A new staff session; `enrolled` false means the next page is the enrolment.
    SignedIn {
        session_token: String,
        enrolled: bool,
    },
    /// 「職員ID、パスワードまたは確認コードが違います」 — the same for every wrong part.
    Wrong,
    Locked {
        until: Timestamp,
    },
    /// Too many attempts from this address.
    TooMany,
    /// Every factor was right, but the staff member is stopped (利用停止). Said only after
    /// both factors passed, so it tells nothing to someone without them.
    Stopped,
}

/// Where a staff sign-in or sign-out came from, as the audit log keeps it.
fn where_from(client: &ClientInfo) -> AuditDetail {
    AuditDetail::Connection {
        address: client.address.clone(),
        user_agent: client.user_agent.clone(),
    }
}

/// Records a refused staff login in the audit log: the staff member when the ID is theirs,
/// else the ID as typed (already checked to have a staff ID's shape). `why` is for
/// supervisors; the person at the form is only told 「…が違います」 or the lock.
async fn audit_refusal(
    app: &App,
    staff_id: &str,
    staff: Option<&Staff>,
    client: &ClientInfo,
    why: SignInRefusal,
) -> AppResult<()> {
    let now = app.clock().now();
    let detail = AuditDetail::SignInRefused {
        address: client.address.clone(),
        user_agent: client.user_agent.clone(),
        why,
    };
    let actor = match staff {
        Some(s) => Actor::Staff { pk: s.id },
        None => Actor::Unrecognised {
            staff_id: staff_id.to_owned(),
        },
    };
    let mut tx = app.store().begin().await?;
    let event = AuditEvent::new(AuditAction::StaffLoginFailed, detail);
    audit::record(&mut tx, &actor, event, now).await?;
    tx.commit().await?;
    tracing::info!(staff = %staff_id, ?why, "staff login refused");
    Ok(())
}

/// Signs a staff member in.
pub async fn log_in(
    app: &App,
    staff_id: &str,
    password: &str,
    code: &str,
    client: &ClientInfo,
) -> AppResult<StaffLogin> {
    log_in_with(app, staff_id, password, SecondFactor::Code(code), client).await
}

/// The second factor of a staff login: the authenticator app's code, or one of the staff
/// member's passkeys (its ceremony and the browser's answer).
#[derive(Debug, Clone, Copy)]
pub enum SecondFactor<'a> {
    Code(&'a str),
    Passkey {
        ceremony: &'a str,
        credential: &'a str,
    },
}

/// Signs a staff member in with either second factor.
pub async fn log_in_with(
    app: &App,
    staff_id: &str,
    password: &str,
    second: SecondFactor<'_>,
    client: &ClientInfo,
) -> AppResult<StaffLogin> {
    let sbox = secret_box(app)?;
    let staff_id = normalise_staff_id(staff_id);
    let Ok(password) = Password::parse(password) else {
        return Ok(StaffLogin::Wrong);
    };
    if !is_staff_id(&staff_id) {
        return Ok(StaffLogin::Wrong);
    }
    // One address cannot spray passwords across many staff IDs.
    let limits = &app.config().lockout;
    let address_key = GuardKey::StaffAddress(AddressBucket::of(&client.address)).to_string();
    if app
        .store()
        .guards()
        .hit_window(&address_key, limits.address_window, app.clock().now())
        .await?
        > limits.address_limit
    {
        tracing::warn!(address = %client.address, "staff login refused: too many attempts from this address");
        return Ok(StaffLogin::TooMany);
    }
    let key = GuardKey::Staff(staff_id.clone()).to_string();
    let (staff, stored) = match app.store().staff().credentials(&staff_id).await? {
        Some(c) => (Some(c.holder), Some(c.password_hash)),
        None => (None, None),
    };
    // The password is only the first factor: the attempt stays counted until the code passes.
    let refused = |why: SignInRefusal, outcome: StaffLogin| {
        let staff = staff.as_ref();
        let staff_id = staff_id.as_str();
        async move {
            audit_refusal(app, staff_id, staff, client, why).await?;
            Ok(outcome)
        }
    };
    let (ticket, locks_until) =
        match check_first_factor(app, &key, password, async { Ok(stored) }).await? {
            FirstFactor::Refused(Check::Locked { until }) => {
                return refused(SignInRefusal::Locked, StaffLogin::Locked { until }).await
            }
            FirstFactor::Refused(Check::Failed {
                locks_until: Some(until),
            }) => {
                return refused(
                    SignInRefusal::WrongPasswordNowLocked,
                    StaffLogin::Locked { until },
                )
                .await
            }
            FirstFactor::Refused(_) => {
                let why = if staff.is_some() {
                    SignInRefusal::WrongPassword
                } else {
                    SignInRefusal::NoSuchStaffId
                };
                return refused(why, StaffLogin::Wrong).await;
            }
            FirstFactor::Matched {
                ticket,
                locks_until,
            } => (ticket, locks_until),
        };
    let Some(staff) = staff.clone() else {
        return refused(SignInRefusal::NoSuchStaffId, StaffLogin::Wrong).await;
    };
    let now = app.clock().now();
    if let SecondFactor::Passkey {
        ceremony,
        credential,
    } = second
    {
        // Only an enrolled staff member can have registered one.
        let ok = staff.totp_enrolled
            && crate::auth::passkeys::verify_staff(app, &staff, ceremony, credential).await?;
        if !ok {
            return refused(
                SignInRefusal::WrongPasskey,
                match locks_until {
                    Some(until) => StaffLogin::Locked { until },
                    None => StaffLogin::Wrong,
                },
            )
            .await;
        }
    } else if let (true, SecondFactor::Code(code)) = (staff.totp_enrolled, second) {
        let sealed = app.store().staff().totp_secret(staff.id).await?;
        let secret = sealed
            .as_deref()
            .and_then(|s| sbox.open(s, &staff.staff_id))
            .ok_or_else(|| {
                AppError::Internal(
                    "a staff TOTP secret cannot be opened (wrong staff.totp_key?)".into(),
                )
            })?;
        let fresh = match totp::verify(&secret, code, now, None) {
            Some(step) => app.store().staff().use_totp_step(staff.id, step).await?,
            None => false,
        };
        if !fresh {
            return refused(
                SignInRefusal::WrongCode,
                match locks_until {
                    Some(until) => StaffLogin::Locked { until },
                    None => StaffLogin::Wrong,
                },
            )
            .await;
        }
    }
    app.store()
        .guards()
        .settle_success(&key, app.policy(), ticket)
        .await?;
    if staff.disabled {
        return refused(SignInRefusal::Stopped, StaffLogin::Stopped).await;
    }
    let token = random_token();
    app.store()
        .staff()
        .create_staff_session(&token_hash(&token), staff.id, staff.totp_enrolled, now)
        .await?;
    let mut tx = app.store().begin().await?;
    let event = AuditEvent::new(AuditAction::StaffLogin, where_from(client));
    audit::record(&mut tx, &Actor::Staff { pk: staff.id }, event, now).await?;
    tx.commit().await?;
    tracing::info!(staff = %staff.staff_id, address = %client.address, "staff login");
    Ok(StaffLogin::SignedIn {
        session_token: token,
        enrolled: staff.totp_enrolled,
    })
}

/// The TOTP secret being enrolled: one until it is confirmed (a reload shows the same one).
pub async fn enrolment_secret(app: &App, staff: &Staff) -> AppResult<Vec<u8>> {
    let sbox = secret_box(app)?;
    let sealed = app.store().staff().totp_secret(staff.id).await?;
    if let Some(secret) = sealed
        .as_deref()
        .and_then(|t| sbox.open(t, &staff.staff_id))
    {
        return Ok(secret);
    }
    let secret = totp::generate_secret();
    let sealed = sbox
        .seal(&secret, &staff.staff_id)
        .ok_or_else(|| AppError::Internal("cannot encrypt a TOTP secret".into()))?;
    app.store()
        .staff()
        .set_staff_totp(staff.id, &sealed, false)
        .await?;
    Ok(secret)
}

/// What confirming the enrolment did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enrolment {
    Done,
    /// Not the current code; try again.
    Wrong,
    /// Wrong codes locked the staff ID; the session has ended.
    Locked {
        until: Timestamp,
    },
    /// There is no secret to confirm (the enrolment page was never opened).
    NoSecret,
}

/// Confirms the enrolment with a code from the app. A wrong code counts toward the lock.
pub async fn confirm_enrolment(
    app: &App,
    staff: &Staff,
    session_hash: &str,
    code: &str,
) -> AppResult<Enrolment> {
    let sbox = secret_box(app)?;
    let Some(sealed) = app.store().staff().totp_secret(staff.id).await? else {
        return Ok(Enrolment::NoSecret);
    };
    let Some(secret) = sbox.open(&sealed, &staff.staff_id) else {
        return Ok(Enrolment::NoSecret);
    };
    let now = app.clock().now();
    let ok = match totp::verify(&secret, code, now, None) {
        Some(step) => app.store().staff().use_totp_step(staff.id, step).await?,
        None => false,
    };
    if !ok {
        let key = GuardKey::Staff(staff.staff_id.clone()).to_string();
        let locked = match app
            .store()
            .guards()
            .begin_attempt(&key, app.policy(), now)
            .await?
        {
            AttemptDecision::Locked { until } => Some(until),
            AttemptDecision::Proceed { locks_until, .. } => locks_until,
        };
        if let Some(until) = locked {
            app.store()
                .staff()
                .delete_staff_session(session_hash)
                .await?;
            return Ok(Enrolment::Locked { until });
        }
        return Ok(Enrolment::Wrong);
    }
    app.store()
        .staff()
        .set_staff_totp(staff.id, &sealed, true)
        .await?;
    app.store().staff().complete_staff_mfa(session_hash).await?;
    // Any other password-only session of this person ends now.
    app.store()
        .staff()
        .delete_unfinished_staff_sessions(staff.id)
        .await?;
    tracing::info!(staff = %staff.staff_id, "staff TOTP enrolled");
    Ok(Enrolment::Done)
}

/// Replaces a password someone else chose (checked by the caller against the policy); audited
/// in the same transaction.
pub async fn set_own_password(app: &App, staff: &Staff, password: Password) -> AppResult<()> {
    let hash = app.hasher().hash(password).await?;
    let now = app.clock().now();
    let mut tx = app.store().begin().await?;
    tx.staff().set_staff_password(staff.id, &hash).await?;
    let event = AuditEvent::new(
        AuditAction::StaffPasswordSet,
        AuditDetail::InitialPasswordReplaced,
    );
    audit::record(&mut tx, &Actor::Staff { pk: staff.id }, event, now).await?;
    tx.commit().await?;
    Ok(())
}

/// A staff session, looked up for a request.
#[derive(Debug)]
pub enum StaffResumed {
    /// Valid; its last-seen time has been kept up to date.
    Active(Box<StaffSession>),
    /// Ended by the idle or absolute timeout.
    TimedOut,
    /// Unknown, ended, or no longer allowed: a password-only session of someone who has since
    /// enrolled, or a staff member who was stopped.
    Ended,
}

/// The sessions of helpdesk staff, for the session kernel.
pub(crate) struct StaffSessions;

impl Kind for StaffSessions {
    type Record = StaffSession;
    const PRINCIPAL: Principal = Principal::Staff;

    fn to_cached(r: &Self::Record) -> CachedSession {
        CachedSession::Staff(r.clone())
    }
    fn from_cached(c: CachedSession) -> Option<Self::Record> {
        match c {
            CachedSession::Staff(r) => Some(r),
            _ => None,
        }
    }
    fn touched(r: &mut Self::Record, now: Timestamp) {
        r.last_seen_at = now;
    }

    async fn load(app: &App, hash: &str) -> AppResult<Option<Self::Record>> {
        Ok(app.store().staff().staff_session(hash).await?)
    }
    fn times(r: &Self::Record) -> (Timestamp, Timestamp) {
        (r.created_at, r.last_seen_at)
    }
    async fn standing(_app: &App, r: &Self::Record) -> AppResult<Standing> {
        // A stopped member's sessions end when they are stopped; this also holds for one made
        // in the same moment. A password-only session of someone who has since enrolled may
        // never see or confirm the secret.
        Ok(if r.staff.disabled {
            Standing::Stopped
        } else if !r.mfa_done && r.staff.totp_enrolled {
            Standing::NotAllowed
        } else {
            Standing::Allowed
        })
    }
    async fn end(app: &App, hash: &str) -> AppResult<bool> {
        Ok(app.store().staff().delete_staff_session(hash).await?)
    }
    async fn touch(app: &App, hash: &str, now: Timestamp) -> AppResult<()> {
        Ok(app.store().staff().touch_staff_session(hash, now).await?)
    }
    async fn log_out(
        app: &App,
        hash: &str,
        r: &Self::Record,
        client: &ClientInfo,
    ) -> AppResult<bool> {
        // The end and its audit entry stand or fall together: no unaudited staff logout.
        let now = app.clock().now();
        let mut tx = app.store().begin().await?;
        let ended = tx.staff().delete_staff_session(hash).await?;
        if ended {
            let event = AuditEvent::new(AuditAction::StaffLogout, where_from(client));
            audit::record(&mut tx, &Actor::Staff { pk: r.staff.id }, event, now).await?;
        }
        tx.commit().await?;
        if ended {
            tracing::info!(staff = %r.staff.staff_id, "staff logout");
        }
        Ok(ended)
    }
}

/// Looks up the staff session behind a console cookie and enforces, on the server, its
/// timeouts and that its staff member may still work (not stopped).
pub async fn resume_session(app: &App, token: &str) -> AppResult<StaffResumed> {
    // A staff timeout is not written to any history: the client is not needed.
    let nobody = ClientInfo::default();
    Ok(
        match sessions::resume::<StaffSessions>(app, token, &nobody).await? {
            Outcome::Active(s) => StaffResumed::Active(Box::new(s)),
            Outcome::TimedOut(_) => StaffResumed::TimedOut,
            Outcome::Unknown { .. } | Outcome::Stopped(_) | Outcome::NotAllowed(_) => {
                StaffResumed::Ended
            }
        },
    )
}

/// Ends a staff session (ログアウト), audited once even on a double click.
pub async fn log_out(app: &App, token: &str, client: &ClientInfo) -> AppResult<()> {
    sessions::log_out::<StaffSessions>(app, token, client).await
}

/// Stops (利用停止) or resumes a staff member, from the command line: a stopped member cannot
/// sign in and every session of theirs ends. Audited. `Ok(None)` when there is no such staff
/// ID; `Ok(Some(false))` when nothing changed.
pub async fn set_disabled(app: &App, staff_id: &str, disabled: bool) -> AppResult<Option<bool>> {
    let staff_id = normalise_staff_id(staff_id);
    let Some(staff) = app.store().staff().staff_by_staff_id(&staff_id).await? else {
        return Ok(None);
    };
    let now = app.clock().now();
    let mut tx = app.store().begin().await?;
    let changed = tx
        .staff()
        .set_staff_disabled(staff.id, disabled.then_some(now))
        .await?;
    if changed {
        let action = if disabled {
            AuditAction::StaffDisabled
        } else {
            AuditAction::StaffEnabled
        };
        let detail = AuditDetail::StaffMember {
            staff_id: staff.staff_id.clone(),
        };
        audit::record(
            &mut tx,
            &Actor::Operator,
            AuditEvent::new(action, detail),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Some(changed))
}
