//! An applicant's login, its browser session and ログアウト.

use super::*;
use ccus_domain::AccountId;

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
        let found = app
            .store()
            .registrations()
            .applicant_credentials(&key)
            .await?
            .filter(|c| c.holder.business_account_id.is_none());
        Ok(found.map(|c| {
            applicant = Some(c.holder);
            c.password_hash
        }))
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
                .registrations()
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
pub(super) fn login_guard(email: &str) -> String {
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
        Ok(app.store().registrations().applicant_session(hash).await?)
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
        Ok(app
            .store()
            .registrations()
            .delete_applicant_session(hash)
            .await?)
    }
    async fn touch(app: &App, hash: &str, now: Timestamp) -> AppResult<()> {
        Ok(app
            .store()
            .registrations()
            .touch_applicant_session(hash, now)
            .await?)
    }
    async fn logged_out(app: &App, hash: &str) -> AppResult<bool> {
        Ok(app.store().sessions().ended_by_logout(hash).await?)
    }
    async fn log_out(
        app: &App,
        hash: &str,
        _s: &Self::Record,
        _client: &ClientInfo,
    ) -> AppResult<bool> {
        let mut tx = app.store().begin().await?;
        let ended = tx
            .applicants()
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
pub(super) async fn may_still_file_proxy(
    app: &App,
    opened_by: Option<AccountId>,
    business: AccountId,
) -> AppResult<bool> {
    let Some(opener) = opened_by else {
        return Ok(false);
    };
    let Some(account) = app.store().accounts().account_by_id(opener).await? else {
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
