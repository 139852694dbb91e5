//! Card readers of a site. The person who runs the site (its 元請's 現場管理者, or anyone the
//! permission table lets run it) issues a key per reader — shown once, kept only as its hash —
//! and revokes it; both are in the 操作の記録.

use ccus_domain::{ClientId, ReaderId, SiteId};
use ccus_storage::{Reader, ReaderAuth, Site};

use crate::audit::{self, AuditAction, AuditDetail, AuditEvent};
use crate::i18n::Msg;
use crate::org::OrgContext;
use crate::sites::may_run;
use crate::tokens::{random_token, token_hash};
use crate::{App, AppResult};

/// What every reader key starts with, so that one pasted in the wrong place is recognised.
pub const KEY_PREFIX: &str = "ccusr_";

/// How many characters of a key its list shows.
const HINT_CHARS: usize = 10;

/// The longest reader name.
pub const MAX_NAME: usize = 60;

/// The answer to issuing a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IssueOutcome {
    /// The key, to be shown this once.
    Issued { reader: ReaderId, key: String },
    /// The name is missing or too long.
    Invalid(Msg),
    /// The site is closed: it takes no new readers.
    Closed,
    /// No such site, or not one the person runs.
    NotFound,
}

/// A site and its readers, for the person who runs it; `None` when they do not.
pub async fn readers(
    app: &App,
    ctx: &OrgContext,
    site_id: &SiteId,
) -> AppResult<Option<(Site, Vec<Reader>)>> {
    let Some(site) = app.store().sites().site(site_id).await? else {
        return Ok(None);
    };
    if !may_run(ctx, &site) {
        return Ok(None);
    }
    let list = app.store().records().readers_of(site.key).await?;
    Ok(Some((site, list)))
}

/// Issues a key for a new reader named `name` (「正門ゲート」).
pub async fn issue(
    app: &App,
    ctx: &OrgContext,
    site_id: &SiteId,
    name: &str,
) -> AppResult<IssueOutcome> {
    let name = name.trim();
    if name.is_empty() {
        return Ok(IssueOutcome::Invalid(Msg::new("reader-name-empty")));
    }
    if name.chars().count() > MAX_NAME {
        return Ok(IssueOutcome::Invalid(
            Msg::new("reader-name-long").arg("limit", MAX_NAME.to_string()),
        ));
    }
    let now = app.clock().now();
    let mut tx = app.store().begin_write().await?;
    let Some(site_key) = app.store().sites().site(site_id).await?.map(|s| s.key) else {
        return Ok(IssueOutcome::NotFound);
    };
    // The site's turn: a reader is not added beside its closing.
    let Some(site) = tx
        .sites()
        .lock_site(site_key)
        .await?
        .filter(|s| may_run(ctx, s))
    else {
        return Ok(IssueOutcome::NotFound);
    };
    if site.state == ccus_domain::site::SiteState::Closed {
        return Ok(IssueOutcome::Closed);
    }
    let key = format!("{KEY_PREFIX}{}", random_token());
    let hint: String = key.chars().take(HINT_CHARS).collect();
    let reader = tx
        .records()
        .add_reader(site.key, name, &token_hash(&key), &hint, ctx.me.id, now)
        .await?;
    let event = AuditEvent::new(
        AuditAction::ReaderIssued,
        AuditDetail::Reader {
            site_id: site.site_id.as_str().to_owned(),
            name: site.name.clone(),
            reader: name.to_owned(),
            hint,
        },
    );
    audit::record(&mut tx, &ctx.audit_actor(), event, now).await?;
    tx.commit().await?;
    tracing::info!(site = %site.key, reader = %reader, "reader key issued");
    Ok(IssueOutcome::Issued { reader, key })
}

/// Revokes a reader's key: its touches are refused from now on. False when the site has no
/// such reader still in use, or the person does not run the site.
pub async fn revoke(
    app: &App,
    ctx: &OrgContext,
    site_id: &SiteId,
    reader: ReaderId,
) -> AppResult<bool> {
    let Some(site) = app.store().sites().site(site_id).await? else {
        return Ok(false);
    };
    if !may_run(ctx, &site) {
        return Ok(false);
    }
    let now = app.clock().now();
    let mut tx = app.store().begin_write().await?;
    let Some(gone) = tx
        .records()
        .revoke_reader(site.key, reader, ctx.me.id, now)
        .await?
    else {
        return Ok(false);
    };
    let event = AuditEvent::new(
        AuditAction::ReaderRevoked,
        AuditDetail::Reader {
            site_id: site.site_id.as_str().to_owned(),
            name: site.name.clone(),
            reader: gone.name,
            hint: gone.hint,
        },
    );
    audit::record(&mut tx, &ctx.audit_actor(), event, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// The reader of a partner-API client on a site the person runs (the client acts for them),
/// made — and recorded in the 操作の記録 — the first time the client sends touches there.
/// `None` when the person does not run the site.
pub async fn client_reader(
    app: &App,
    ctx: &OrgContext,
    site_id: &SiteId,
    client: ClientId,
    client_name: &str,
) -> AppResult<Option<ReaderAuth>> {
    let Some(site) = app.store().sites().site(site_id).await? else {
        return Ok(None);
    };
    if !may_run(ctx, &site) {
        return Ok(None);
    }
    let key = ccus_storage::client_reader_key(client, site.key);
    if let Some(reader) = app.store().records().reader_by_key(&key).await? {
        return Ok(Some(reader));
    }
    let now = app.clock().now();
    let mut tx = app.store().begin_write().await?;
    // The site's turn, as for any new reader.
    if tx.sites().lock_site(site.key).await?.is_none() {
        return Ok(None);
    }
    let name: String = client_name.chars().take(MAX_NAME).collect();
    tx.api()
        .client_reader(site.key, client, &name, ctx.me.id, now)
        .await?;
    let event = AuditEvent::new(
        AuditAction::ReaderIssued,
        AuditDetail::Reader {
            site_id: site.site_id.as_str().to_owned(),
            name: site.name.clone(),
            reader: name,
            hint: String::new(),
        },
    );
    audit::record(&mut tx, &ctx.audit_actor(), event, now).await?;
    tx.commit().await?;
    Ok(app.store().records().reader_by_key(&key).await?)
}
