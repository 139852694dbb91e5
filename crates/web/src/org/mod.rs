//! 組織と管理者ID at `/ccus_owner/org`: a business's tiers and people, issuing 管理者ID, and
//! self-service on one person (stop or resume, reset link, unlock, access history). Every
//! decision about who may do what is the application layer's ([`ccus_app::org`]).

pub mod affiliation;
pub mod views;

use crate::auth::views::HistoryRow;
use crate::forms::lenient_query;
use crate::forms::CheckedForm;
use crate::org::views::MemberPage;
use crate::org::views::OrgAuditRow;
use crate::org::views::OrgGroup;
use crate::org::views::OrgMemberRow;
use crate::org::views::OrgPage;
use crate::pages::html;
use crate::present::chrome;
use crate::present::labels::role_label;
use crate::present::MessagePage;
use crate::present::Notice;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use ccus_app::org::{self, MemberAction, OrgContext, OrgOutcome};
use ccus_domain::org::{Action, Role};
use ccus_domain::{AccountId, AccountKind, TierId};
use serde::Deserialize;

use crate::error::{WebError, WebResult};
use crate::security::CsrfCookie;
use crate::session::{CsrfToken, SignedIn};
use crate::{i18n, AppState};

pub(crate) fn routes() -> Router<AppState> {
    let p = AccountKind::Business.portal();
    Router::new()
        .route(&format!("/{p}/org"), get(organisation))
        .route(&format!("/{p}/org/tiers"), post(create_tier))
        .route(&format!("/{p}/org/members"), post(create_member))
        .route(&format!("/{p}/org/members/{{id}}"), get(member))
        .route(&format!("/{p}/org/members/{{id}}/{{action}}"), post(act))
}

/// The organisation of the signed-in person, or 404 for anyone who may not see it.
async fn context(state: &AppState, signed_in: &SignedIn) -> WebResult<OrgContext> {
    match org::context(state, &signed_in.session.account).await? {
        Some(ctx) if ctx.can(Action::ViewOrganisation) => Ok(ctx),
        _ => Err(WebError::NotFound),
    }
}

fn place_value(tier: Option<TierId>) -> String {
    tier.map_or_else(|| "top".to_owned(), |t| t.to_string())
}

fn parse_place(v: &str) -> Option<Option<TierId>> {
    match v.trim() {
        "top" | "" => Some(None),
        s => s.parse().ok().map(Some),
    }
}

/// Where a business ID comes with its name: 「name（事業者ID …）」.
pub(crate) fn business_line(name: &str, id: &ccus_domain::LoginId) -> String {
    i18n::ta(
        "org-business-line",
        &[("name", name), ("id", &id.grouped())],
    )
}

fn member_row(m: &ccus_app::org::Member) -> OrgMemberRow {
    OrgMemberRow {
        id: m.account.id,
        name: m.account.name.clone(),
        login_id: m.account.login_id.grouped(),
        role: role_label(m.role),
        status: i18n::t(if m.disabled_at.is_some() {
            "org-status-stopped"
        } else {
            "org-status-active"
        }),
        disabled: m.disabled_at.is_some(),
    }
}

/// The places the person sees, depth first, each with its people.
fn groups(ctx: &OrgContext) -> Vec<OrgGroup> {
    let members = ctx.visible_members();
    let tiers = ctx.visible_tiers();
    let mut out = Vec::new();
    if ctx.role() == Role::Owner {
        out.push(OrgGroup {
            label: i18n::msg(&ctx.place_msg(None)),
            level: 0,
            members: members
                .iter()
                .filter(|m| m.tier_id.is_none())
                .map(|m| member_row(m))
                .collect(),
        });
    }
    fn walk(
        ctx: &OrgContext,
        tiers: &[&ccus_domain::org::Tier],
        members: &[&ccus_app::org::Member],
        parent: Option<TierId>,
        out: &mut Vec<OrgGroup>,
    ) {
        for t in tiers.iter().filter(|t| t.parent == parent) {
            out.push(OrgGroup {
                label: i18n::msg(&ctx.place_msg(Some(t.id))),
                level: t.level,
                members: members
                    .iter()
                    .filter(|m| m.tier_id == Some(t.id))
                    .map(|m| member_row(m))
                    .collect(),
            });
            walk(ctx, tiers, members, Some(t.id), out);
        }
    }
    // A 階層管理者 sees its own tier as the root.
    let roots: Vec<Option<TierId>> = if ctx.role() == Role::Owner {
        vec![None]
    } else {
        ctx.actor.tier.map(|t| vec![Some(t)]).unwrap_or_default()
    };
    for root in roots {
        match root {
            None => walk(ctx, &tiers, &members, None, &mut out),
            Some(t) => {
                if let Some(tier) = tiers.iter().find(|x| x.id == t) {
                    out.push(OrgGroup {
                        label: i18n::msg(&ctx.place_msg(Some(t))),
                        level: tier.level,
                        members: members
                            .iter()
                            .filter(|m| m.tier_id == Some(t))
                            .map(|m| member_row(m))
                            .collect(),
                    });
                }
                walk(ctx, &tiers, &members, Some(t), &mut out);
            }
        }
    }
    out
}

async fn page(
    state: &AppState,
    signed_in: &SignedIn,
    ctx: &OrgContext,
    csrf_cookie: &Option<Extension<CsrfCookie>>,
    csrf: String,
) -> WebResult<OrgPage> {
    let audit = if ctx.role() == Role::Owner {
        org::audit(state, ctx)
            .await?
            .into_iter()
            .map(|e| {
                let lang = i18n::lang();
                OrgAuditRow {
                    at: e.at.jst_seconds(),
                    actor: e.actor_words(lang),
                    action: e.action_words(lang),
                    detail: e.detail_and_reason_words(lang),
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    // The least powerful role first: it is what the form offers unless changed.
    let mut member_roles = Role::MEMBER;
    member_roles.sort_by_key(|r| r.power());
    let roles = member_roles
        .into_iter()
        .filter(|r| {
            ctx.member_places().iter().any(|(tier, _)| {
                ctx.may(
                    Action::CreateMember,
                    ccus_domain::org::Target::Member {
                        account_id: None,
                        role: *r,
                        tier: *tier,
                    },
                )
            })
        })
        .map(|r| (r.as_str(), role_label(r)))
        .collect();
    Ok(OrgPage {
        chrome: chrome(
            state,
            &i18n::t("org-title"),
            signed_in.kind,
            &signed_in.session,
            csrf_cookie,
        ),
        notice: None,
        business: business_line(&ctx.business.name, &ctx.business.login_id),
        me: i18n::ta(
            "org-me",
            &[
                ("name", &ctx.me.name),
                ("role", &role_label(ctx.role())),
                ("place", &i18n::msg(&ctx.place_msg(ctx.actor.tier))),
            ],
        ),
        groups: groups(ctx),
        tier_places: ctx
            .tier_places()
            .into_iter()
            .map(|(t, l)| {
                (
                    place_value(t.map(TierId::get).map(TierId::new)),
                    i18n::msg(&l),
                )
            })
            .collect(),
        tier_error: None,
        tier_name: String::new(),
        member_places: ctx
            .member_places()
            .into_iter()
            .map(|(t, l)| {
                (
                    place_value(t.map(TierId::get).map(TierId::new)),
                    i18n::msg(&l),
                )
            })
            .collect(),
        roles,
        member_error: None,
        member_name: String::new(),
        member_email: String::new(),
        member_role: String::new(),
        member_tier: String::new(),
        tier_parent: String::new(),
        show_audit: ctx.role() == Role::Owner,
        audit,
        csrf_token: csrf,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DoneQuery {
    done: String,
}

async fn organisation(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    uri: Uri,
) -> WebResult<Response> {
    let ctx = context(&state, &signed_in).await?;
    let mut p = page(&state, &signed_in, &ctx, &csrf_cookie, csrf).await?;
    let q: DoneQuery = lenient_query(&uri);
    p.notice = match q.done.as_str() {
        "tier" => Some(Notice::new("success", i18n::t("org-tier-created"))),
        _ => None,
    };
    html(StatusCode::OK, &p)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TierForm {
    parent: String,
    name: String,
}

async fn create_tier(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    CheckedForm(form): CheckedForm<TierForm>,
) -> WebResult<Response> {
    let ctx = context(&state, &signed_in).await?;
    let Some(parent) = parse_place(&form.parent) else {
        return Err(WebError::NotPermitted("org-refused-tier"));
    };
    match org::create_tier(&state, &ctx, parent, &form.name).await? {
        OrgOutcome::Done => Ok(Redirect::to("/ccus_owner/org?done=tier").into_response()),
        OrgOutcome::Forbidden => Err(WebError::NotPermitted("org-refused-tier")),
        OrgOutcome::Invalid(why) => {
            let mut p = page(&state, &signed_in, &ctx, &csrf_cookie, csrf).await?;
            p.tier_error = Some(i18n::msg(&why));
            p.tier_name = form.name;
            p.tier_parent = form.parent;
            p.notice = Some(Notice::new("error", i18n::t("org-tier-failed")));
            html(StatusCode::UNPROCESSABLE_ENTITY, &p)
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct MemberForm {
    name: String,
    email: String,
    role: String,
    tier: String,
}

async fn create_member(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    CheckedForm(form): CheckedForm<MemberForm>,
) -> WebResult<Response> {
    let ctx = context(&state, &signed_in).await?;
    let (Some(role), Some(tier)) = (Role::parse(&form.role), parse_place(&form.tier)) else {
        return Err(WebError::NotPermitted("org-refused-member"));
    };
    match org::create_member(&state, &ctx, &form.name, &form.email, role, tier).await? {
        Ok(new) => {
            let a = &new.account;
            let title = i18n::t("org-issued-title");
            // The 本人確認番号 shows once: no language switch to lose it by.
            let mut page_chrome = chrome(
                &state,
                &title,
                signed_in.kind,
                &signed_in.session,
                &csrf_cookie,
            );
            page_chrome.back.clear();
            let page = MessagePage {
                chrome: page_chrome,
                heading: title.clone(),
                notice: Some(
                    Notice::new("success", i18n::ta("org-issued", &[("name", &a.name)]))
                        .line(i18n::ta("org-issued-mail", &[("email", &a.email)])),
                ),
                lines: vec![
                    i18n::ta("org-issued-id", &[("id", &a.login_id.grouped())]),
                    i18n::ta("org-issued-code", &[("code", &new.security_code)]),
                ],
                links: vec![
                    crate::present::Link::new(
                        format!("/ccus_owner/org/members/{}", a.id),
                        i18n::ta("org-to-member", &[("name", &a.name)]),
                    ),
                    crate::present::Link::new("/ccus_owner/org", i18n::t("org-back")),
                ],
            };
            let mut resp = html(StatusCode::OK, &page)?;
            resp.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            Ok(resp)
        }
        Err(OrgOutcome::Invalid(why)) => {
            let mut p = page(&state, &signed_in, &ctx, &csrf_cookie, csrf).await?;
            p.member_error = Some(i18n::msg(&why));
            p.member_name = form.name;
            p.member_email = form.email;
            p.member_role = form.role;
            p.member_tier = form.tier;
            p.notice = Some(Notice::new("error", i18n::t("org-member-failed")));
            html(StatusCode::UNPROCESSABLE_ENTITY, &p)
        }
        Err(_) => Err(WebError::NotPermitted("org-refused-member")),
    }
}

async fn member(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    Path(id): Path<AccountId>,
    uri: Uri,
) -> WebResult<Response> {
    let ctx = context(&state, &signed_in).await?;
    let q: DoneQuery = lenient_query(&uri);
    let done = |key: &str| Notice::new("success", i18n::t(key));
    let notice = match q.done.as_str() {
        "disable" => Some(done("org-done-disable").line(i18n::t("org-done-disable-line"))),
        "enable" => Some(done("org-done-enable")),
        "reset" => Some(done("org-done-reset").line(i18n::t("org-done-reset-line"))),
        "unlock" => Some(done("org-done-unlock")),
        _ => None,
    };
    let page = member_page(&state, &signed_in, &ctx, &csrf_cookie, csrf, id).await?;
    html(StatusCode::OK, &MemberPage { notice, ..page })
}

/// A person's page as the viewer may see it (no notice).
async fn member_page(
    state: &AppState,
    signed_in: &SignedIn,
    ctx: &org::OrgContext,
    csrf_cookie: &Option<Extension<CsrfCookie>>,
    csrf: String,
    id: AccountId,
) -> WebResult<MemberPage> {
    let Some(view) = org::member_view(state, ctx, id).await? else {
        return Err(WebError::NotFound);
    };
    let m = &view.member;
    let disabled = m.disabled_at.is_some();
    // Harmless actions side by side; stopping has its own section, with a reason and a
    // confirmation.
    let mut actions = Vec::new();
    for (action, code, label) in [
        (MemberAction::SendReset, "reset", "org-do-reset"),
        (MemberAction::Unlock, "unlock", "org-do-unlock"),
        (MemberAction::Enable, "enable", "org-do-enable"),
    ] {
        let fits = match action {
            MemberAction::Enable => disabled,
            MemberAction::SendReset => !disabled,
            MemberAction::Unlock => view.locked,
            MemberAction::Disable => false,
        };
        if fits && ctx.may_member(action.permission(), m) {
            actions.push((code, i18n::t(label)));
        }
    }
    let may_stop = !disabled && ctx.may_member(MemberAction::Disable.permission(), m);
    Ok(MemberPage {
        chrome: chrome(
            state,
            &i18n::ta("org-member-title", &[("name", &m.account.name)]),
            signed_in.kind,
            &signed_in.session,
            csrf_cookie,
        ),
        notice: None,
        id,
        name: m.account.name.clone(),
        login_id: m.account.login_id.grouped(),
        email: m.account.email.clone(),
        role: role_label(m.role),
        place: i18n::msg(&ctx.place_msg(m.tier_id.map(TierId::get).map(TierId::new))),
        disabled,
        locked: view.locked,
        actions,
        may_stop,
        stop_error: None,
        stop_reason: String::new(),
        show_history: ctx.may_member(Action::ViewHistory, m),
        history: view
            .history
            .into_iter()
            .map(|e| {
                let (address, browser) =
                    crate::i18n::history_source(&e.client_address, &e.user_agent);
                HistoryRow {
                    at: e.at.jst_seconds(),
                    label: i18n::t(&format!("event-{}", e.kind.as_str().replace('_', "-"))),
                    failure: e.kind.is_failure(),
                    address,
                    browser,
                    user_agent: e.user_agent,
                }
            })
            .collect(),
        csrf_token: csrf,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct MemberActionForm {
    /// Why a person is stopped (required for stopping).
    reason: String,
    /// The box 「…の利用を停止します」 was ticked.
    confirm: String,
}

async fn act(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    Path((id, action)): Path<(AccountId, String)>,
    CheckedForm(form): CheckedForm<MemberActionForm>,
) -> WebResult<Response> {
    let ctx = context(&state, &signed_in).await?;
    let Some(a) = MemberAction::parse(&action) else {
        return Err(WebError::NotFound);
    };
    let refused = |why: ccus_app::i18n::Msg| {
        let (state, signed_in, ctx, csrf_cookie) = (&state, &signed_in, &ctx, &csrf_cookie);
        let (csrf, reason) = (csrf.clone(), form.reason.clone());
        async move {
            let page = member_page(state, signed_in, ctx, csrf_cookie, csrf, id).await?;
            html(
                StatusCode::UNPROCESSABLE_ENTITY,
                &MemberPage {
                    notice: Some(Notice::new("error", i18n::t("org-stop-failed"))),
                    stop_error: Some(i18n::msg(&why)),
                    stop_reason: reason,
                    ..page
                },
            )
        }
    };
    let permitted = ctx
        .member(id)
        .is_some_and(|m| ctx.may_member(a.permission(), m));
    if !permitted {
        return Err(WebError::NotPermitted("org-refused-person"));
    }
    if a == MemberAction::Disable && form.confirm != "1" {
        return refused(ccus_app::i18n::Msg::new("org-stop-needs-confirm")).await;
    }
    match org::act_on_member(&state, &ctx, id, a, &form.reason).await? {
        OrgOutcome::Done => Ok(Redirect::to(&format!(
            "/ccus_owner/org/members/{id}?done={action}"
        ))
        .into_response()),
        OrgOutcome::Forbidden => Err(WebError::NotPermitted("org-refused-person")),
        OrgOutcome::Invalid(why) if a == MemberAction::Disable => refused(why).await,
        OrgOutcome::Invalid(_) => {
            Ok(Redirect::to(&format!("/ccus_owner/org/members/{id}")).into_response())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_read_as_the_permission_table_s_in_japanese() {
        for role in Role::ALL {
            assert_eq!(role_label(role), role.label_ja(), "{role:?}");
            for lang in [i18n::Lang::En, i18n::Lang::Easy] {
                let key = format!("org-role-{}", role.as_str().replace('_', "-"));
                assert_ne!(i18n::text_in(lang, &key, &[]), key, "{role:?} in {lang:?}");
            }
        }
    }
}
