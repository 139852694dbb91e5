//! Passkeys (WebAuthn, with the Kanidm team's `webauthn-rs` and its safe `Passkey` API):
//! registering one or more after logging in (named, listed, removable; each change in the
//! access history and announced by mail), and logging in with one — discoverable credentials,
//! so that the browser can offer them in the ID field's autofill. Challenges are single-use
//! and expire (ceremonies in the database, so any instance finishes what another began); the
//! library checks the origin, the RP ID, user verification and the signature counter, and
//! every successful use stores the new counter. Passwords, lockout, recovery and the
//! 本人確認番号 keep working for everyone.

use std::time::Duration;

use ccus_domain::{AccessEventKind, AccountKind, AddressBucket, GuardKey};
use ccus_storage::{Account, ClientInfo, PasskeyOwner, Staff, StoredPasskey};
use serde_json::Value;
use webauthn_rs::prelude::{
    DiscoverableAuthentication, DiscoverableKey, Passkey, PasskeyRegistration, PublicKeyCredential,
    RegisterPublicKeyCredential, Url, Uuid, Webauthn, WebauthnBuilder,
};

use crate::audit::{self, Actor, AuditAction, AuditDetail, AuditEvent};
use crate::auth::login::{open_session, LoggedIn, Opening};
use crate::i18n::{Lang, Msg};
use crate::tokens::{random_token, token_hash};
use crate::{App, AppError, AppResult};

/// How long a browser has to answer a challenge.
pub const CEREMONY_TTL: Duration = Duration::from_secs(5 * 60);

const REGISTER: &str = "register";
const LOGIN: &str = "login";
const STAFF_LOGIN: &str = "staff-login";

/// Who registers or uses a passkey: a portal account, or a staff member (as the second
/// factor in place of the TOTP code).
#[derive(Debug, Clone, Copy)]
pub enum Holder<'a> {
    Account(&'a Account),
    Staff(&'a Staff),
}

impl Holder<'_> {
    fn owner(self) -> PasskeyOwner {
        match self {
            Holder::Account(a) => PasskeyOwner::Account(a.id.get()),
            Holder::Staff(s) => PasskeyOwner::Staff(s.id.get()),
        }
    }
    /// The ceremony's purpose: a staff registration is bound to that staff member.
    fn register_purpose(self) -> String {
        match self {
            Holder::Account(_) => REGISTER.to_owned(),
            Holder::Staff(s) => format!("staff-register:{}", s.id),
        }
    }
    fn names(self) -> (String, String) {
        match self {
            Holder::Account(a) => (a.login_id.as_str().to_owned(), a.name.clone()),
            Holder::Staff(s) => (s.staff_id.clone(), s.name.clone()),
        }
    }
    /// The ceremony's account, for a portal account.
    fn account_id(self) -> Option<i64> {
        match self {
            Holder::Account(a) => Some(a.id.get()),
            Holder::Staff(_) => None,
        }
    }
}

/// The relying party: the host of `public_url` (passkeys need a domain name, not an address).
fn webauthn(app: &App) -> AppResult<Webauthn> {
    let url =
        Url::parse(&app.config().public_url).map_err(|e| AppError::internal("public_url", e))?;
    let host = url
        .host_str()
        .ok_or_else(|| AppError::Internal("public_url has no host".into()))?
        .to_owned();
    WebauthnBuilder::new(&host, &url)
        .and_then(|b| b.rp_name("建設キャリアアップシステム").build())
        .map_err(|e| AppError::internal(format!("passkeys for {url}"), e))
}

/// Whether passkeys can be offered at all: `public_url` names a host (not an IP address).
pub fn available(app: &App) -> bool {
    Url::parse(&app.config().public_url).is_ok_and(|u| {
        u.host_str().is_some_and(|h| {
            h.trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<std::net::IpAddr>()
                .is_err()
        })
    })
}

fn to_json<T: serde::Serialize>(v: &T) -> AppResult<String> {
    serde_json::to_string(v).map_err(|e| AppError::internal("passkey state", e))
}

fn credential_id(p: &Passkey) -> String {
    serde_json::to_value(p.cred_id())
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// A ceremony's options for the browser: its id (to send back) and the `publicKey` options.
#[derive(Debug, Clone)]
pub struct Challenge {
    pub ceremony: String,
    pub options: Value,
}

/// The options to register a passkey for `holder` (its other passkeys excluded).
pub async fn registration_challenge(app: &App, holder: Holder<'_>) -> AppResult<Challenge> {
    let w = webauthn(app)?;
    let now = app.clock().now();
    let handle = app
        .store()
        .passkeys()
        .ensure_user_handle(holder.owner(), &Uuid::new_v4().to_string(), now)
        .await?;
    let user = Uuid::parse_str(&handle).map_err(|e| AppError::internal("user handle", e))?;
    let existing: Vec<_> = app
        .store()
        .passkeys()
        .passkeys_of(holder.owner())
        .await?
        .iter()
        .filter_map(|p| serde_json::from_str::<Passkey>(&p.credential).ok())
        .map(|p| p.cred_id().clone())
        .collect();
    let (user_name, display_name) = holder.names();
    let (ccr, state) = w
        .start_passkey_registration(user, &user_name, &display_name, Some(existing))
        .map_err(|e| AppError::internal("passkey registration", e))?;
    let mut options =
        serde_json::to_value(&ccr).map_err(|e| AppError::internal("passkey options", e))?;
    // A discoverable credential where the authenticator can make one, so that the login page
    // can offer it without the ID being typed (autofill).
    if let Some(sel) = options.pointer_mut("/publicKey/authenticatorSelection") {
        sel["residentKey"] = Value::from("preferred");
        sel["requireResidentKey"] = Value::from(false);
    }
    let ceremony = random_token();
    app.store()
        .passkeys()
        .begin_ceremony(
            &token_hash(&ceremony),
            &holder.register_purpose(),
            holder.account_id(),
            &to_json(&state)?,
            now,
            now.plus(CEREMONY_TTL),
        )
        .await?;
    Ok(Challenge {
        ceremony,
        options: options.get("publicKey").cloned().unwrap_or(Value::Null),
    })
}

/// What registering did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegisterOutcome {
    Added,
    /// The browser's answer could not be used; why, for the person.
    Refused(Msg),
}

/// Finishes a registration with the browser's answer; names the passkey.
pub async fn register(
    app: &App,
    holder: Holder<'_>,
    ceremony: &str,
    name: &str,
    credential: &str,
    client: &ClientInfo,
) -> AppResult<RegisterOutcome> {
    let name: String = name
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .take(40)
        .collect();
    // A name is data, kept as it was given; one left empty gets the default name in Japanese
    // (the web layer names it in the reader's language first).
    let name = if name.is_empty() {
        crate::i18n::text_in(crate::i18n::Lang::Ja, "account-passkeys-default-name", &[])
    } else {
        name
    };
    let now = app.clock().now();
    let Some((owner, state)) = app
        .store()
        .passkeys()
        .take_ceremony(&token_hash(ceremony), &holder.register_purpose(), now)
        .await?
    else {
        return Ok(RegisterOutcome::Refused(Msg::new(
            "account-passkey-expired",
        )));
    };
    if owner != holder.account_id() {
        return Ok(RegisterOutcome::Refused(Msg::new(
            "account-passkey-not-finished",
        )));
    }
    let Ok(state) = serde_json::from_str::<PasskeyRegistration>(&state) else {
        return Err(AppError::Internal(
            "a stored passkey registration is unreadable".into(),
        ));
    };
    let Ok(answer) = serde_json::from_str::<RegisterPublicKeyCredential>(credential) else {
        return Ok(RegisterOutcome::Refused(Msg::new(
            "account-passkey-not-created",
        )));
    };
    let passkey = match webauthn(app)?.finish_passkey_registration(&answer, &state) {
        Ok(p) => p,
        Err(e) => {
            tracing::info!(owner = ?holder.owner(), error = %e, "passkey registration refused");
            return Ok(RegisterOutcome::Refused(Msg::new(
                "account-passkey-not-verified",
            )));
        }
    };
    let mut tx = app.store().begin().await?;
    match tx
        .passkeys()
        .add_passkey(
            holder.owner(),
            &name,
            &credential_id(&passkey),
            &to_json(&passkey)?,
            now,
        )
        .await
    {
        Ok(_) => {}
        Err(ccus_storage::StoreError::Conflict) => {
            return Ok(RegisterOutcome::Refused(Msg::new(
                "account-passkey-already",
            )))
        }
        Err(e) => return Err(e.into()),
    }
    announce(app, &mut tx, holder, &name, true, client).await?;
    tx.commit().await?;
    app.wake_mail();
    tracing::info!(owner = ?holder.owner(), "passkey added");
    Ok(RegisterOutcome::Added)
}

/// A passkey added or removed: in a portal account's access history and mailed to it, or in the
/// staff audit log.
async fn announce(
    app: &App,
    tx: &mut ccus_storage::StoreTx,
    holder: Holder<'_>,
    name: &str,
    added: bool,
    client: &ClientInfo,
) -> AppResult<()> {
    let now = app.clock().now();
    match holder {
        Holder::Account(a) => {
            let kind = if added {
                AccessEventKind::PasskeyAdded
            } else {
                AccessEventKind::PasskeyRemoved
            };
            tx.history()
                .record_event(&a.login_id, kind, client, now)
                .await?;
            let lang = crate::i18n::mail_language_in(tx, a.id).await?;
            tx.outbox()
                .enqueue_mail(
                    &crate::auth::mails::passkey_changed(app, lang, a, name, added, client, now),
                    now,
                )
                .await?;
        }
        Holder::Staff(s) => {
            let action = if added {
                AuditAction::StaffPasskeyAdded
            } else {
                AuditAction::StaffPasskeyRemoved
            };
            let detail = AuditDetail::Passkey {
                name: name.to_owned(),
            };
            audit::record(
                tx,
                &Actor::Staff { pk: s.id },
                AuditEvent::new(action, detail),
                now,
            )
            .await?;
        }
    }
    Ok(())
}

pub async fn list(app: &App, holder: Holder<'_>) -> AppResult<Vec<StoredPasskey>> {
    Ok(app.store().passkeys().passkeys_of(holder.owner()).await?)
}

/// Removes one of the holder's passkeys; false when it was not theirs.
pub async fn remove(
    app: &App,
    holder: Holder<'_>,
    id: i64,
    client: &ClientInfo,
) -> AppResult<bool> {
    let Some(p) = app
        .store()
        .passkeys()
        .passkeys_of(holder.owner())
        .await?
        .into_iter()
        .find(|p| p.id == id)
    else {
        return Ok(false);
    };
    let mut tx = app.store().begin().await?;
    if !tx.passkeys().remove_passkey(holder.owner(), id).await? {
        return Ok(false);
    }
    announce(app, &mut tx, holder, &p.name, false, client).await?;
    tx.commit().await?;
    app.wake_mail();
    Ok(true)
}

/// Removes every passkey of an account, in the caller's transaction (a password reset, the
/// helpdesk changing the registered address), recording it in the access history when there
/// were any. Returns how many there were; the caller's own notice mentions them.
pub async fn remove_all(
    tx: &mut ccus_storage::StoreTx,
    a: &ccus_storage::Account,
    client: &ClientInfo,
    now: ccus_domain::Timestamp,
) -> AppResult<u64> {
    let n = tx
        .passkeys()
        .remove_all_passkeys(PasskeyOwner::Account(a.id.get()))
        .await?;
    if n > 0 {
        tx.history()
            .record_event(&a.login_id, AccessEventKind::PasskeysRemoved, client, now)
            .await?;
    }
    Ok(n)
}

/// Options to log in with any passkey of this site (the browser lists them). Limited per
/// address, since each one is a row until it is used or expires.
pub async fn login_challenge(app: &App, client: &ClientInfo) -> AppResult<Option<Challenge>> {
    challenge_for(app, client, LOGIN).await
}

/// Options for a staff member's passkey, the second factor of a helpdesk login.
pub async fn staff_challenge(app: &App, client: &ClientInfo) -> AppResult<Option<Challenge>> {
    challenge_for(app, client, STAFF_LOGIN).await
}

async fn challenge_for(
    app: &App,
    client: &ClientInfo,
    purpose: &str,
) -> AppResult<Option<Challenge>> {
    let now = app.clock().now();
    let key = GuardKey::PasskeyOptions(AddressBucket::of(&client.address)).to_string();
    if app
        .store()
        .guards()
        .hit_window(&key, Duration::from_secs(60), now)
        .await?
        > 60
    {
        return Ok(None);
    }
    let (rcr, state) = webauthn(app)?
        .start_discoverable_authentication()
        .map_err(|e| AppError::internal("passkey login", e))?;
    let options =
        serde_json::to_value(&rcr).map_err(|e| AppError::internal("passkey options", e))?;
    let ceremony = random_token();
    app.store()
        .passkeys()
        .begin_ceremony(
            &token_hash(&ceremony),
            purpose,
            None,
            &to_json(&state)?,
            now,
            now.plus(CEREMONY_TTL),
        )
        .await?;
    Ok(Some(Challenge {
        ceremony,
        options: options.get("publicKey").cloned().unwrap_or(Value::Null),
    }))
}

/// What a passkey login did.
#[derive(Debug)]
pub enum PasskeyLogin {
    LoggedIn(Box<LoggedIn>),
    /// Unknown, expired or used challenge; a passkey of the other entrance or of nobody; a
    /// failed check (signature, origin, counter); a stopped 管理者ID.
    Refused,
}

/// Logs in at the `kind` entrance with the browser's answer to a login challenge.
pub async fn log_in(
    app: &App,
    kind: AccountKind,
    ceremony: &str,
    credential: &str,
    client: &ClientInfo,
    previous_session: Option<&str>,
    language: Lang,
) -> AppResult<PasskeyLogin> {
    let now = app.clock().now();
    let Some((_, state)) = app
        .store()
        .passkeys()
        .take_ceremony(&token_hash(ceremony), LOGIN, now)
        .await?
    else {
        return Ok(PasskeyLogin::Refused);
    };
    let Ok(state) = serde_json::from_str::<DiscoverableAuthentication>(&state) else {
        return Err(AppError::Internal(
            "a stored passkey login is unreadable".into(),
        ));
    };
    let Ok(answer) = serde_json::from_str::<PublicKeyCredential>(credential) else {
        return Ok(PasskeyLogin::Refused);
    };
    let w = webauthn(app)?;
    let Ok((user, _)) = w.identify_discoverable_authentication(&answer) else {
        return Ok(PasskeyLogin::Refused);
    };
    let Some(account_id) = app
        .store()
        .passkeys()
        .account_of_user_handle(&user.to_string())
        .await?
    else {
        return Ok(PasskeyLogin::Refused);
    };
    let Some(account) = app.store().accounts().account_by_id(account_id).await? else {
        return Ok(PasskeyLogin::Refused);
    };
    if account.kind() != kind || !crate::auth::login::member_active(app, &account).await? {
        return Ok(PasskeyLogin::Refused);
    }
    if !verify(
        app,
        &w,
        PasskeyOwner::Account(account.id.get()),
        &answer,
        state,
    )
    .await?
    {
        return Ok(PasskeyLogin::Refused);
    }
    let session_token = open_session(
        app,
        &account,
        client,
        previous_session,
        AccessEventKind::PasskeyLogin,
        Opening {
            language: Some(language),
            ..Opening::default()
        },
    )
    .await?;
    tracing::info!(account = %account.id, "passkey login");
    Ok(PasskeyLogin::LoggedIn(Box::new(LoggedIn {
        must_change_password: account.must_change_password,
        account,
        session_token,
        new_device_token: None,
    })))
}

/// Checks an answer against the owner's passkeys (signature, origin, user verification,
/// counter) and stores the new counter.
async fn verify(
    app: &App,
    w: &Webauthn,
    owner: PasskeyOwner,
    answer: &PublicKeyCredential,
    state: DiscoverableAuthentication,
) -> AppResult<bool> {
    let stored = app.store().passkeys().passkeys_of(owner).await?;
    let mut keys: Vec<(i64, Passkey)> = stored
        .iter()
        .filter_map(|p| {
            serde_json::from_str::<Passkey>(&p.credential)
                .ok()
                .map(|k| (p.id, k))
        })
        .collect();
    let discoverable: Vec<DiscoverableKey> = keys.iter().map(|(_, k)| k.into()).collect();
    let result = match w.finish_discoverable_authentication(answer, state, &discoverable) {
        Ok(r) => r,
        Err(e) => {
            tracing::warn!(?owner, error = %e, "passkey refused");
            return Ok(false);
        }
    };
    // The counter (and backup state) as the authenticator reports them now.
    if let Some((id, key)) = keys
        .iter_mut()
        .find(|(_, k)| k.cred_id() == result.cred_id())
    {
        key.update_credential(&result);
        let mut tx = app.store().begin().await?;
        tx.passkeys()
            .passkey_used(owner, *id, &to_json(key)?, app.clock().now())
            .await?;
        tx.commit().await?;
    }
    Ok(true)
}

/// A staff member's second factor by passkey: the answer to a staff challenge, from one of
/// that staff member's own passkeys.
pub async fn verify_staff(
    app: &App,
    staff: &Staff,
    ceremony: &str,
    credential: &str,
) -> AppResult<bool> {
    let now = app.clock().now();
    let Some((_, state)) = app
        .store()
        .passkeys()
        .take_ceremony(&token_hash(ceremony), STAFF_LOGIN, now)
        .await?
    else {
        return Ok(false);
    };
    let Ok(state) = serde_json::from_str::<DiscoverableAuthentication>(&state) else {
        return Err(AppError::Internal(
            "a stored passkey login is unreadable".into(),
        ));
    };
    let Ok(answer) = serde_json::from_str::<PublicKeyCredential>(credential) else {
        return Ok(false);
    };
    let w = webauthn(app)?;
    let Ok((user, _)) = w.identify_discoverable_authentication(&answer) else {
        return Ok(false);
    };
    if app
        .store()
        .passkeys()
        .staff_of_user_handle(&user.to_string())
        .await?
        != Some(staff.id)
    {
        return Ok(false);
    }
    verify(app, &w, PasskeyOwner::Staff(staff.id.get()), &answer, state).await
}
