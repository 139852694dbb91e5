//! 所属: the link between a technician and the business that employs them, made by request and
//! consent (the business asks, the technician approves after logging in; or at registration,
//! where the application names the employer), ended by either side. And who sees what of a
//! technician: the employer always; any other business only what the technician's own
//! disclosure setting allows — by default 非開示, which shows nothing but the ID the business
//! already typed. Every business-facing page of technician data goes through [`seen_by`].

use ccus_domain::org::{Action, Target};
use ccus_domain::{AccountId, AccountKind, GuardKey, LoginId};
use ccus_storage::{Account, AffiliationRequest};

use crate::audit::{self, AuditAction, AuditDetail, AuditEvent};
use crate::i18n::Msg;
use crate::org::OrgContext;
use crate::{App, AppError, AppResult};

/// A technician's disclosure setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disclosure {
    /// 非開示 (the default): other businesses see nothing but the ID.
    Private,
    /// 開示: other businesses see the name and フリガナ.
    Public,
}

impl Disclosure {
    pub fn parse(s: &str) -> Disclosure {
        if s == "public" {
            Disclosure::Public
        } else {
            Disclosure::Private
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Disclosure::Private => "private",
            Disclosure::Public => "public",
        }
    }
    pub fn label_ja(self) -> &'static str {
        match self {
            Disclosure::Private => "非開示",
            Disclosure::Public => "開示",
        }
    }
}

/// A technician as one business may see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeenTechnician {
    pub account_id: AccountId,
    pub login_id: String,
    /// `None` where the rules hide it.
    pub name: Option<String>,
    pub furigana: Option<String>,
    pub birth_date: Option<ccus_domain::Date>,
    /// Why this much is shown.
    pub basis: Msg,
}

/// Whether a business is shown a technician's 氏名: their employer always, another business
/// only when the technician chose 開示.
pub fn name_shown(
    business_id: AccountId,
    employer_id: Option<AccountId>,
    disclosure: Disclosure,
) -> bool {
    employer_id == Some(business_id) || disclosure == Disclosure::Public
}

/// The rule, in one place: the employer sees 氏名, フリガナ and 生年月日; another business sees
/// 氏名 and フリガナ only when the technician chose 開示 ([`name_shown`]), else nothing but the ID.
pub fn seen_by(business_id: AccountId, t: &Account, disclosure: Disclosure) -> SeenTechnician {
    let employer = t.profile.employer_id == Some(business_id);
    let (name, furigana, birth_date, basis) = if employer {
        (
            Some(t.name.clone()),
            Some(t.profile.furigana.clone()),
            t.profile.birth_date,
            Msg::new("org-basis-employer"),
        )
    } else if name_shown(business_id, t.profile.employer_id, disclosure) {
        (
            Some(t.name.clone()),
            Some(t.profile.furigana.clone()),
            None,
            Msg::new("org-basis-disclosed"),
        )
    } else {
        (None, None, None, Msg::new("org-basis-private"))
    };
    SeenTechnician {
        account_id: t.id,
        login_id: t.login_id.grouped(),
        name,
        furigana,
        birth_date,
        basis,
    }
}

async fn seen(app: &App, business_id: AccountId, t: &Account) -> AppResult<SeenTechnician> {
    let d = Disclosure::parse(&app.store().org().disclosure(t.id).await?);
    Ok(seen_by(business_id, t, d))
}

/// The business's page: its technicians, and the requests it has sent that are still open.
pub struct BusinessView {
    pub technicians: Vec<SeenTechnician>,
    pub pending: Vec<SeenTechnician>,
    pub may_manage: bool,
}

pub async fn for_business(app: &App, ctx: &OrgContext) -> AppResult<BusinessView> {
    if !ctx.may(Action::ViewTechnicians, Target::Business) {
        return Err(AppError::Forbidden);
    }
    let b = ctx.business.id;
    let mut technicians = Vec::new();
    for t in app.store().org().technicians_of(b, 500).await? {
        technicians.push(seen(app, b, &t).await?);
    }
    let mut pending = Vec::new();
    for r in app.store().org().open_affiliation_requests(b, true).await? {
        pending.push(seen(app, b, &r.technician).await?);
    }
    Ok(BusinessView {
        technicians,
        pending,
        may_manage: ctx.may(Action::ManageAffiliations, Target::Business),
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestOutcome {
    /// Sent, if the ID is a technician's (the answer is the same either way).
    Sent,
    /// Already this business's technician.
    AlreadyOurs,
    /// Not a 技能者ID; why.
    Invalid(Msg),
    TooMany,
    Forbidden,
}

/// 所属の依頼 by 技能者ID. The technician approves (or not) after logging in.
pub async fn request(app: &App, ctx: &OrgContext, typed_id: &str) -> AppResult<RequestOutcome> {
    if !ctx.may(Action::ManageAffiliations, Target::Business) {
        return Ok(RequestOutcome::Forbidden);
    }
    let id = match LoginId::parse(typed_id) {
        Ok(id) if id.kind() == AccountKind::Technician => id,
        Ok(_) => {
            return Ok(RequestOutcome::Invalid(Msg::new(
                "org-request-not-technician",
            )))
        }
        Err(_) => return Ok(RequestOutcome::Invalid(Msg::new("org-request-malformed"))),
    };
    let cfg = &app.config().recovery;
    let now = app.clock().now();
    let key = GuardKey::AffiliationRequest(ctx.business.id.get()).to_string();
    if app
        .store()
        .guards()
        .hit_window(&key, cfg.window, now)
        .await?
        > 100
    {
        return Ok(RequestOutcome::TooMany);
    }
    let Some(t) = app.store().accounts().account_by_login_id(&id).await? else {
        return Ok(RequestOutcome::Sent);
    };
    if t.profile.employer_id == Some(ctx.business.id) {
        return Ok(RequestOutcome::AlreadyOurs);
    }
    let lang = crate::i18n::mail_language(app, t.id).await?;
    let mut tx = app.store().begin().await?;
    tx.org()
        .request_affiliation(t.id, ctx.business.id, ctx.me.id, now)
        .await?;
    tx.outbox()
        .enqueue_mail(
            &crate::org::mails::affiliation_requested(app, lang, &t, &ctx.business.name),
            now,
        )
        .await?;
    let detail = AuditDetail::Technician {
        login_id: t.login_id.as_str().to_owned(),
    };
    let event = AuditEvent::new(AuditAction::AffiliationRequested, detail).on(t.id);
    audit::record(&mut tx, &ctx.audit_actor(), event, now).await?;
    tx.commit().await?;
    app.wake_mail();
    Ok(RequestOutcome::Sent)
}

/// The business ends the link with one of its technicians; false when it was not linked.
pub async fn end_by_business(
    app: &App,
    ctx: &OrgContext,
    technician_id: AccountId,
) -> AppResult<bool> {
    if !ctx.may(Action::ManageAffiliations, Target::Business) {
        return Err(AppError::Forbidden);
    }
    let Some(t) = app.store().accounts().account_by_id(technician_id).await? else {
        return Ok(false);
    };
    if t.kind() != AccountKind::Technician || t.profile.employer_id != Some(ctx.business.id) {
        return Ok(false);
    }
    let now = app.clock().now();
    let lang = crate::i18n::mail_language(app, t.id).await?;
    let mut tx = app.store().begin().await?;
    tx.org().set_employer(t.id, None, now).await?;
    tx.outbox()
        .enqueue_mail(
            &crate::org::mails::affiliation_ended(app, lang, &t, &ctx.business.name),
            now,
        )
        .await?;
    let detail = AuditDetail::Technician {
        login_id: t.login_id.as_str().to_owned(),
    };
    let event = AuditEvent::new(AuditAction::AffiliationEnded, detail).on(t.id);
    audit::record(&mut tx, &ctx.audit_actor(), event, now).await?;
    tx.commit().await?;
    app.wake_mail();
    Ok(true)
}

/// The technician's page: their employer, the requests waiting for them, their setting.
pub struct TechnicianView {
    pub employer: Option<Account>,
    pub requests: Vec<AffiliationRequest>,
    pub disclosure: Disclosure,
}

pub async fn for_technician(app: &App, me: &Account) -> AppResult<TechnicianView> {
    if me.kind() != AccountKind::Technician {
        return Err(AppError::Forbidden);
    }
    let employer = match me.profile.employer_id {
        Some(b) => app.store().accounts().account_by_id(b).await?,
        None => None,
    };
    Ok(TechnicianView {
        employer,
        requests: app
            .store()
            .org()
            .open_affiliation_requests(me.id, false)
            .await?,
        disclosure: Disclosure::parse(&app.store().org().disclosure(me.id).await?),
    })
}

/// The technician approves or declines a request made to them; false when it is not theirs or
/// no longer open. Approving makes the business their employer (ending any other link, whose
/// business is told).
pub async fn answer(app: &App, me: &Account, request_id: i64, accept: bool) -> AppResult<bool> {
    let Some(r) = app.store().org().affiliation_request(request_id).await? else {
        return Ok(false);
    };
    if r.technician.id != me.id || r.status != "requested" {
        return Ok(false);
    }
    let now = app.clock().now();
    let previous = match me.profile.employer_id {
        Some(b) if b != r.business.id => app.store().accounts().account_by_id(b).await?,
        _ => None,
    };
    // Languages first: nothing else is read while the transaction holds its connection.
    let previous_lang = match &previous {
        Some(p) => crate::i18n::mail_language(app, p.id).await?,
        None => crate::i18n::Lang::Ja,
    };
    let business_lang = crate::i18n::mail_language(app, r.business.id).await?;
    let mut tx = app.store().begin().await?;
    if !tx
        .org()
        .answer_affiliation(
            request_id,
            if accept { "accepted" } else { "declined" },
            now,
        )
        .await?
    {
        return Ok(false);
    }
    let what = if accept {
        tx.org()
            .set_employer(me.id, Some(r.business.id.get()), now)
            .await?;
        if let Some(p) = &previous {
            tx.outbox()
                .enqueue_mail(
                    &crate::org::mails::affiliation_changed(
                        app,
                        previous_lang,
                        p,
                        me,
                        crate::org::mails::AffiliationChange::MovedAway,
                    ),
                    now,
                )
                .await?;
        }
        crate::org::mails::AffiliationChange::Accepted
    } else {
        crate::org::mails::AffiliationChange::Declined
    };
    tx.outbox()
        .enqueue_mail(
            &crate::org::mails::affiliation_changed(app, business_lang, &r.business, me, what),
            now,
        )
        .await?;
    tx.commit().await?;
    app.wake_mail();
    Ok(true)
}

/// The technician ends the link with their employer; false when there was none.
pub async fn leave(app: &App, me: &Account) -> AppResult<bool> {
    let Some(b) = me.profile.employer_id else {
        return Ok(false);
    };
    let Some(business) = app.store().accounts().account_by_id(b).await? else {
        return Ok(false);
    };
    let now = app.clock().now();
    let lang = crate::i18n::mail_language(app, business.id).await?;
    let mut tx = app.store().begin().await?;
    tx.org().set_employer(me.id, None, now).await?;
    tx.outbox()
        .enqueue_mail(
            &crate::org::mails::affiliation_changed(
                app,
                lang,
                &business,
                me,
                crate::org::mails::AffiliationChange::Left,
            ),
            now,
        )
        .await?;
    tx.commit().await?;
    app.wake_mail();
    Ok(true)
}

pub async fn set_disclosure(app: &App, me: &Account, d: Disclosure) -> AppResult<()> {
    if me.kind() != AccountKind::Technician {
        return Err(AppError::Forbidden);
    }
    let mut tx = app.store().begin().await?;
    tx.org()
        .set_disclosure(me.id, d.as_str(), app.clock().now())
        .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ccus_domain::Timestamp;
    use ccus_storage::Profile;

    fn technician(employer: Option<AccountId>) -> Account {
        Account {
            id: AccountId::new(7),
            login_id: LoginId::generate(AccountKind::Technician, &mut rand::thread_rng()),
            name: "建設 太郎".into(),
            email: "t@example.jp".into(),
            created_at: Timestamp(0),
            must_change_password: false,
            profile: Profile {
                furigana: "ケンセツ タロウ".into(),
                birth_date: ccus_domain::profile::parse_birth_date("1985-04-01"),
                employer_id: employer,
            },
        }
    }

    #[test]
    fn the_employer_sees_the_person_others_only_what_is_disclosed() {
        let t = technician(Some(AccountId::new(100)));
        let employer = seen_by(AccountId::new(100), &t, Disclosure::Private);
        assert_eq!(employer.name.as_deref(), Some("建設 太郎"));
        assert_eq!(
            employer
                .birth_date
                .map(ccus_domain::profile::format_date)
                .as_deref(),
            Some("1985-04-01")
        );
        let other = seen_by(AccountId::new(200), &t, Disclosure::Private);
        assert_eq!(
            (other.name, other.furigana, other.birth_date),
            (None, None, None)
        );
        let disclosed = seen_by(AccountId::new(200), &t, Disclosure::Public);
        assert_eq!(disclosed.name.as_deref(), Some("建設 太郎"));
        assert_eq!(
            disclosed.birth_date, None,
            "the birth date is the employer's only"
        );
        assert_eq!(
            Disclosure::parse("anything"),
            Disclosure::Private,
            "非開示 by default"
        );
    }
}
