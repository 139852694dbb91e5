//! 組織と管理者ID at `/ccus_owner/org`: a business's tiers and people, issuing 管理者ID, and
//! self-service on one person (stop or resume, reset link, unlock, access history). Every
//! decision about who may do what is the application layer's ([`ccus_app::org`]).

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use ccus_app::org::{self, MemberAction, OrgContext, OrgOutcome};
use ccus_domain::org::{Action, Role};
use ccus_domain::AccountKind;
use serde::Deserialize;

use super::account::chrome;
use crate::error::{WebError, WebResult};
use crate::middleware::CsrfCookie;
use crate::routes::{html, lenient_query, CheckedForm};
use crate::session::{CsrfToken, SignedIn};
use crate::views::{
    HistoryRow, MemberPage, MessagePage, Notice, OrgAuditRow, OrgGroup, OrgMemberRow, OrgPage,
};
use crate::AppState;

pub(super) fn routes() -> Router<AppState> {
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

fn place_value(tier: Option<i64>) -> String {
    tier.map_or_else(|| "top".to_owned(), |t| t.to_string())
}

fn parse_place(v: &str) -> Option<Option<i64>> {
    match v.trim() {
        "top" | "" => Some(None),
        s => s.parse().ok().map(Some),
    }
}

fn member_row(m: &ccus_storage::Member) -> OrgMemberRow {
    OrgMemberRow {
        id: m.account.id,
        name: m.account.name.clone(),
        login_id: m.account.login_id.grouped(),
        role: m.role.label_ja(),
        status: if m.disabled_at.is_some() {
            "利用停止中"
        } else {
            "利用中"
        },
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
            label: "事業者全体".into(),
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
        members: &[&ccus_storage::Member],
        parent: Option<i64>,
        out: &mut Vec<OrgGroup>,
    ) {
        for t in tiers.iter().filter(|t| t.parent == parent) {
            out.push(OrgGroup {
                label: ctx.place_label(Some(t.id)),
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
    let roots: Vec<Option<i64>> = if ctx.role() == Role::Owner {
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
                        label: ctx.place_label(Some(t)),
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
            .map(|e| OrgAuditRow {
                at: e.at.jst_seconds(),
                actor: e.actor,
                action: e.action,
                target: e.target,
                detail: e.detail,
            })
            .collect()
    } else {
        Vec::new()
    };
    let roles = Role::MEMBER
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
        .map(|r| (r.as_str(), r.label_ja()))
        .collect();
    Ok(OrgPage {
        chrome: chrome(
            state,
            "組織と管理者ID",
            signed_in.kind,
            &signed_in.session,
            csrf_cookie,
        ),
        notice: None,
        business: format!(
            "{}（事業者ID {}）",
            ctx.business.name,
            ctx.business.login_id.grouped()
        ),
        me: format!(
            "{}（{}、{}）",
            ctx.me.name,
            ctx.role().label_ja(),
            ctx.place_label(ctx.actor.tier)
        ),
        groups: groups(ctx),
        tier_places: ctx
            .tier_places()
            .into_iter()
            .map(|(t, l)| (place_value(t), l))
            .collect(),
        tier_error: None,
        tier_name: String::new(),
        member_places: ctx
            .member_places()
            .into_iter()
            .map(|(t, l)| (place_value(t), l))
            .collect(),
        roles,
        member_error: None,
        member_name: String::new(),
        member_email: String::new(),
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
        "tier" => Some(Notice::new("success", "階層を作りました")),
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
        return Err(WebError::Forbidden(
            "not allowed for this role in this business",
        ));
    };
    match org::create_tier(&state, &ctx, parent, &form.name).await? {
        OrgOutcome::Done => Ok(Redirect::to("/ccus_owner/org?done=tier").into_response()),
        OrgOutcome::Forbidden => Err(WebError::Forbidden(
            "not allowed for this role in this business",
        )),
        OrgOutcome::Invalid(why) => {
            let mut p = page(&state, &signed_in, &ctx, &csrf_cookie, csrf).await?;
            p.tier_error = Some(why);
            p.tier_name = form.name;
            p.notice = Some(Notice::new("error", "階層を作れませんでした"));
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
        return Err(WebError::Forbidden(
            "not allowed for this role in this business",
        ));
    };
    match org::create_member(&state, &ctx, &form.name, &form.email, role, tier).await? {
        Ok(new) => {
            let a = &new.account;
            let page = MessagePage {
                chrome: chrome(
                    &state,
                    "管理者IDを発行しました",
                    signed_in.kind,
                    &signed_in.session,
                    &csrf_cookie,
                ),
                heading: "管理者IDを発行しました".into(),
                notice: Some(
                    Notice::new("success", format!("{} さんの管理者IDを発行しました", a.name))
                        .line(format!(
                            "{} へ、管理者IDとパスワード設定用のURLを送りました。",
                            a.email
                        )),
                ),
                lines: vec![
                    format!("管理者ID: {}", a.login_id.grouped()),
                    format!(
                        "本人確認番号（4桁）: {} — 本人に直接伝えてください。パスワードの変更に使います。この画面を閉じると二度と表示できません。",
                        new.security_code
                    ),
                ],
                links: vec![
                    crate::views::Link::new(
                        format!("/ccus_owner/org/members/{}", a.id),
                        format!("{} さんのページへ", a.name),
                    ),
                    crate::views::Link::new("/ccus_owner/org", "組織と管理者IDへ戻る"),
                ],
            };
            let mut resp = html(StatusCode::OK, &page)?;
            resp.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            Ok(resp)
        }
        Err(OrgOutcome::Invalid(why)) => {
            let mut p = page(&state, &signed_in, &ctx, &csrf_cookie, csrf).await?;
            p.member_error = Some(why);
            p.member_name = form.name;
            p.member_email = form.email;
            p.notice = Some(Notice::new("error", "管理者IDを発行できませんでした"));
            html(StatusCode::UNPROCESSABLE_ENTITY, &p)
        }
        Err(_) => Err(WebError::Forbidden(
            "not allowed for this role in this business",
        )),
    }
}

async fn member(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    Path(id): Path<i64>,
    uri: Uri,
) -> WebResult<Response> {
    let ctx = context(&state, &signed_in).await?;
    let Some(view) = org::member_view(&state, &ctx, id).await? else {
        return Err(WebError::NotFound);
    };
    let m = &view.member;
    let disabled = m.disabled_at.is_some();
    let mut actions = Vec::new();
    for (action, label) in [
        (MemberAction::SendReset, "パスワード再設定メールを送る"),
        (MemberAction::Unlock, "ロックを解除する"),
        (MemberAction::Disable, "利用を停止する"),
        (MemberAction::Enable, "利用を再開する"),
    ] {
        let fits = match action {
            MemberAction::Disable => !disabled,
            MemberAction::Enable => disabled,
            MemberAction::SendReset => !disabled,
            MemberAction::Unlock => view.locked,
        };
        if fits && ctx.may_member(action.permission(), m) {
            let code = match action {
                MemberAction::Disable => "disable",
                MemberAction::Enable => "enable",
                MemberAction::SendReset => "reset",
                MemberAction::Unlock => "unlock",
            };
            actions.push((code, label));
        }
    }
    let q: DoneQuery = lenient_query(&uri);
    let notice = match q.done.as_str() {
        "disable" => Some(Notice::new("success", "利用を停止しました").line(
            "この管理者IDのログイン中の端末はすべてログアウトしました。再開するまでログインできません。",
        )),
        "enable" => Some(Notice::new("success", "利用を再開しました")),
        "reset" => Some(Notice::new("success", "パスワード再設定メールを送りました").line(
            "本人の登録メールアドレスに送りました。本人がURLを開いて、自分でパスワードを設定します。",
        )),
        "unlock" => Some(Notice::new("success", "ロックを解除しました")),
        _ => None,
    };
    let page = MemberPage {
        chrome: chrome(
            &state,
            &format!("{}（管理者ID）", m.account.name),
            signed_in.kind,
            &signed_in.session,
            &csrf_cookie,
        ),
        notice,
        id,
        name: m.account.name.clone(),
        login_id: m.account.login_id.grouped(),
        email: m.account.email.clone(),
        role: m.role.label_ja(),
        place: ctx.place_label(m.tier_id),
        disabled,
        locked: view.locked,
        actions,
        show_history: ctx.may_member(Action::ViewHistory, m),
        history: view
            .history
            .into_iter()
            .map(|e| HistoryRow {
                at: e.at.jst_seconds(),
                label: e.kind.label_ja().to_owned(),
                failure: e.kind.is_failure(),
                address: e.client_address,
                browser: crate::i18n::browser(&e.user_agent),
                user_agent: e.user_agent,
            })
            .collect(),
        csrf_token: csrf,
    };
    html(StatusCode::OK, &page)
}

async fn act(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((id, action)): Path<(i64, String)>,
    CheckedForm(_): CheckedForm<HashMap<String, String>>,
) -> WebResult<Response> {
    let ctx = context(&state, &signed_in).await?;
    let Some(a) = MemberAction::parse(&action) else {
        return Err(WebError::NotFound);
    };
    match org::act_on_member(&state, &ctx, id, a).await? {
        OrgOutcome::Done => Ok(Redirect::to(&format!(
            "/ccus_owner/org/members/{id}?done={action}"
        ))
        .into_response()),
        OrgOutcome::Forbidden => Err(WebError::Forbidden(
            "not allowed for this role in this business",
        )),
        OrgOutcome::Invalid(_) => {
            Ok(Redirect::to(&format!("/ccus_owner/org/members/{id}")).into_response())
        }
    }
}
