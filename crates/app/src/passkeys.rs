//! Passkeys (WebAuthn, with the Kanidm team's `webauthn-rs` and its safe `Passkey` API):
//! registering one or more after logging in (named, listed, removable; each change in the
//! access history and announced by mail), and logging in with one — discoverable credentials,
//! so that the browser can offer them in the ID field's autofill. Challenges are single-use
//! and expire (ceremonies in the database, so any instance finishes what another began); the
//! library checks the origin, the RP ID, user verification and the signature counter, and
//! every successful use stores the new counter. Passwords, lockout, recovery and the
//! 本人確認番号 keep working for everyone.

use std::time::Duration;

use ccus_domain::{AccessEventKind, AccountKind, AddressBucket};
use ccus_storage::{Account, ClientInfo, StoredPasskey};
use serde_json::Value;
use webauthn_rs::prelude::{
    DiscoverableAuthentication, DiscoverableKey, Passkey, PasskeyRegistration, PublicKeyCredential,
    RegisterPublicKeyCredential, Url, Uuid, Webauthn, WebauthnBuilder,
};

use crate::login::{open_session, LoggedIn};
use crate::tokens::{random_token, token_hash};
use crate::{mails, App, AppError, AppResult};

/// How long a browser has to answer a challenge.
pub const CEREMONY_TTL: Duration = Duration::from_secs(5 * 60);

const REGISTER: &str = "register";
const LOGIN: &str = "login";

/// The relying party: the host of `public_url` (passkeys need a domain name, not an address).
fn webauthn(app: &App) -> AppResult<Webauthn> {
    let url = Url::parse(&app.config().public_url)
        .map_err(|e| AppError::Internal(format!("public_url: {e}")))?;
    let host = url
        .host_str()
        .ok_or_else(|| AppError::Internal("public_url has no host".into()))?
        .to_owned();
    WebauthnBuilder::new(&host, &url)
        .and_then(|b| b.rp_name("建設キャリアアップシステム").build())
        .map_err(|e| AppError::Internal(format!("passkeys for {url}: {e}")))
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
    serde_json::to_string(v).map_err(|e| AppError::Internal(format!("passkey state: {e}")))
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

/// The options to register a passkey for `account` (its other passkeys excluded).
pub async fn registration_challenge(app: &App, account: &Account) -> AppResult<Challenge> {
    let w = webauthn(app)?;
    let now = app.clock().now();
    let handle = app
        .store()
        .ensure_user_handle(account.id, &Uuid::new_v4().to_string(), now)
        .await?;
    let user =
        Uuid::parse_str(&handle).map_err(|e| AppError::Internal(format!("user handle: {e}")))?;
    let existing: Vec<_> = app
        .store()
        .passkeys_of(account.id)
        .await?
        .iter()
        .filter_map(|p| serde_json::from_str::<Passkey>(&p.credential).ok())
        .map(|p| p.cred_id().clone())
        .collect();
    let (ccr, state) = w
        .start_passkey_registration(
            user,
            account.login_id.as_str(),
            &account.name,
            Some(existing),
        )
        .map_err(|e| AppError::Internal(format!("passkey registration: {e}")))?;
    let mut options = serde_json::to_value(&ccr)
        .map_err(|e| AppError::Internal(format!("passkey options: {e}")))?;
    // A discoverable credential where the authenticator can make one, so that the login page
    // can offer it without the ID being typed (autofill).
    if let Some(sel) = options.pointer_mut("/publicKey/authenticatorSelection") {
        sel["residentKey"] = Value::from("preferred");
        sel["requireResidentKey"] = Value::from(false);
    }
    let ceremony = random_token();
    app.store()
        .begin_ceremony(
            &token_hash(&ceremony),
            REGISTER,
            Some(account.id),
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
    Refused(&'static str),
}

/// Finishes a registration with the browser's answer; names the passkey.
pub async fn register(
    app: &App,
    account: &Account,
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
    let name = if name.is_empty() {
        "パスキー".to_owned()
    } else {
        name
    };
    let now = app.clock().now();
    let Some((owner, state)) = app
        .store()
        .take_ceremony(&token_hash(ceremony), REGISTER, now)
        .await?
    else {
        return Ok(RegisterOutcome::Refused(
            "時間がたったため、登録を完了できませんでした。もう一度お試しください。",
        ));
    };
    if owner != Some(account.id) {
        return Ok(RegisterOutcome::Refused(
            "登録を完了できませんでした。もう一度お試しください。",
        ));
    }
    let Ok(state) = serde_json::from_str::<PasskeyRegistration>(&state) else {
        return Err(AppError::Internal(
            "a stored passkey registration is unreadable".into(),
        ));
    };
    let Ok(answer) = serde_json::from_str::<RegisterPublicKeyCredential>(credential) else {
        return Ok(RegisterOutcome::Refused(
            "パスキーを作成できませんでした。もう一度お試しください。",
        ));
    };
    let passkey = match webauthn(app)?.finish_passkey_registration(&answer, &state) {
        Ok(p) => p,
        Err(e) => {
            tracing::info!(account = account.id, error = %e, "passkey registration refused");
            return Ok(RegisterOutcome::Refused(
                "パスキーを確認できませんでした。もう一度お試しください。",
            ));
        }
    };
    let mut tx = app.store().begin().await?;
    match tx
        .add_passkey(
            account.id,
            &name,
            &credential_id(&passkey),
            &to_json(&passkey)?,
            now,
        )
        .await
    {
        Ok(_) => {}
        Err(ccus_storage::StoreError::Conflict) => {
            return Ok(RegisterOutcome::Refused("このパスキーは登録済みです。"))
        }
        Err(e) => return Err(e.into()),
    }
    tx.record_event(
        &account.login_id,
        AccessEventKind::PasskeyAdded,
        client,
        now,
    )
    .await?;
    tx.enqueue_mail(
        &mails::passkey_changed(app, account, &name, true, client, now),
        now,
    )
    .await?;
    tx.commit().await?;
    app.wake_mail();
    tracing::info!(account = account.id, "passkey added");
    Ok(RegisterOutcome::Added)
}

pub async fn list(app: &App, account: &Account) -> AppResult<Vec<StoredPasskey>> {
    Ok(app.store().passkeys_of(account.id).await?)
}

/// Removes one of the account's passkeys; false when it was not theirs.
pub async fn remove(app: &App, account: &Account, id: i64, client: &ClientInfo) -> AppResult<bool> {
    let Some(p) = app
        .store()
        .passkeys_of(account.id)
        .await?
        .into_iter()
        .find(|p| p.id == id)
    else {
        return Ok(false);
    };
    let now = app.clock().now();
    let mut tx = app.store().begin().await?;
    if !tx.remove_passkey(account.id, id).await? {
        return Ok(false);
    }
    tx.record_event(
        &account.login_id,
        AccessEventKind::PasskeyRemoved,
        client,
        now,
    )
    .await?;
    tx.enqueue_mail(
        &mails::passkey_changed(app, account, &p.name, false, client, now),
        now,
    )
    .await?;
    tx.commit().await?;
    app.wake_mail();
    Ok(true)
}

/// Options to log in with any passkey of this site (the browser lists them). Limited per
/// address, since each one is a row until it is used or expires.
pub async fn login_challenge(app: &App, client: &ClientInfo) -> AppResult<Option<Challenge>> {
    let now = app.clock().now();
    let key = format!("passkey-options:{}", AddressBucket::of(&client.address));
    if app
        .store()
        .hit_window(&key, Duration::from_secs(60), now)
        .await?
        > 60
    {
        return Ok(None);
    }
    let (rcr, state) = webauthn(app)?
        .start_discoverable_authentication()
        .map_err(|e| AppError::Internal(format!("passkey login: {e}")))?;
    let options = serde_json::to_value(&rcr)
        .map_err(|e| AppError::Internal(format!("passkey options: {e}")))?;
    let ceremony = random_token();
    app.store()
        .begin_ceremony(
            &token_hash(&ceremony),
            LOGIN,
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
) -> AppResult<PasskeyLogin> {
    let now = app.clock().now();
    let Some((_, state)) = app
        .store()
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
        .account_of_user_handle(&user.to_string())
        .await?
    else {
        return Ok(PasskeyLogin::Refused);
    };
    let Some(account) = app.store().account_by_id(account_id).await? else {
        return Ok(PasskeyLogin::Refused);
    };
    if account.kind() != kind || !crate::org::member_active(app, &account).await? {
        return Ok(PasskeyLogin::Refused);
    }
    let stored = app.store().passkeys_of(account.id).await?;
    let mut keys: Vec<(i64, Passkey)> = stored
        .iter()
        .filter_map(|p| {
            serde_json::from_str::<Passkey>(&p.credential)
                .ok()
                .map(|k| (p.id, k))
        })
        .collect();
    let discoverable: Vec<DiscoverableKey> = keys.iter().map(|(_, k)| k.into()).collect();
    let result = match w.finish_discoverable_authentication(&answer, state, &discoverable) {
        Ok(r) => r,
        Err(e) => {
            tracing::warn!(account = account.id, error = %e, "passkey login refused");
            return Ok(PasskeyLogin::Refused);
        }
    };
    // The counter (and backup state) as the authenticator reports them now.
    if let Some((id, key)) = keys
        .iter_mut()
        .find(|(_, k)| k.cred_id() == result.cred_id())
    {
        key.update_credential(&result);
        let mut tx = app.store().begin().await?;
        tx.passkey_used(*id, &to_json(key)?, now).await?;
        tx.commit().await?;
    }
    let session_token = open_session(
        app,
        &account,
        client,
        previous_session,
        AccessEventKind::PasskeyLogin,
    )
    .await?;
    tracing::info!(account = account.id, "passkey login");
    Ok(PasskeyLogin::LoggedIn(Box::new(LoggedIn {
        must_change_password: account.must_change_password,
        account,
        session_token,
        new_device_token: None,
    })))
}
