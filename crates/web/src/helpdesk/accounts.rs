//! Looking accounts up (by ID, kana, birth date, employer, email), acting on one for a
//! person who asked, and the audit log.

use super::*;
use crate::forms::lenient_query;
use crate::forms::CheckedForm;
use crate::helpdesk::views::AuditRow;
use crate::helpdesk::views::HelpdeskAccountPage;
use crate::helpdesk::views::HelpdeskAuditPage;
use crate::helpdesk::views::HelpdeskHomePage;
use crate::helpdesk::views::InquiryContext;
use crate::helpdesk::views::StaffAction;
use crate::pages::html;
use crate::present::labels::paren;
use crate::present::lookup_row;
use crate::present::staff_chrome;
use crate::present::Chrome;
use crate::present::Link;
use crate::present::MessagePage;
use crate::present::Notice;
use crate::session::StaffIn;
use ccus_domain::{AccountId, InquiryId};

// ---- console --------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct HomeQuery {
    login_id: String,
    name: String,
    birth_date: String,
    employer: String,
    email: String,
    enrolled: String,
}

pub(super) async fn home(
    State(state): State<AppState>,
    staff: StaffIn,
    CsrfToken(csrf): CsrfToken,
    uri: Uri,
) -> WebResult<Response> {
    let q: HomeQuery = lenient_query(&uri);
    let birth = if q.birth_date.trim().is_empty() {
        String::new()
    } else {
        ccus_domain::profile::parse_birth_date(&q.birth_date)
            .map(ccus_domain::profile::format_date)
            .unwrap_or_else(|| "invalid".into())
    };
    let lookup = Lookup {
        name: q.name.clone(),
        birth_date: birth,
        employer: q.employer.clone(),
        email: q.email.clone(),
    };
    let by_id = !q.login_id.trim().is_empty();
    let searched = by_id
        || !(q.name.trim().is_empty()
            && q.birth_date.trim().is_empty()
            && q.employer.trim().is_empty()
            && q.email.trim().is_empty());
    let mut notice =
        (q.enrolled == "1").then(|| Notice::new("success", i18n::t("helpdesk-enrolled")));
    let results = if by_id {
        // An ID is exact: typed however (full-width, spaces), checked by its check digit.
        match ccus_domain::LoginId::parse(&q.login_id) {
            Ok(id) => helpdesk::account_by_login_id(&state, &id)
                .await?
                .into_iter()
                .collect(),
            Err(e) => {
                let why = match e {
                    ccus_domain::LoginIdError::CheckDigit => "helpdesk-id-check-digit",
                    _ => "helpdesk-id-malformed",
                };
                notice = Some(Notice::new("error", i18n::t(why)));
                Vec::new()
            }
        }
    } else if searched {
        helpdesk::find_accounts(&state, &lookup, 50).await?
    } else {
        Vec::new()
    };
    let page = HelpdeskHomePage {
        chrome: staff.chrome(&i18n::t("helpdesk-nav-search"), &csrf),
        notice,
        q_login_id: q.login_id,
        q_name: q.name,
        q_birth: q.birth_date,
        q_employer: q.employer,
        q_email: q.email,
        searched,
        results: results.into_iter().map(lookup_row).collect(),
    };
    html(StatusCode::OK, &page)
}

/// What staff can do for an account's owner: the path of each action (its words are
/// `helpdesk-action-<path>` and `…-help`).
const ACTIONS: &[&str] = &["send-id", "unlock", "reset", "email"];

/// What the helpdesk does for a technician's IC card besides.
const CARD_ACTIONS: &[&str] = &["card-lost", "card-reissue"];

/// The actions in the page's language (a technician's card ones too).
fn actions(technician: bool) -> Vec<StaffAction> {
    let cards: &[&str] = if technician { CARD_ACTIONS } else { &[] };
    ACTIONS
        .iter()
        .chain(cards)
        .map(|path| StaffAction {
            path,
            title: i18n::t(&format!("helpdesk-action-{path}")),
            help: i18n::t(&format!("helpdesk-action-{path}-help")),
        })
        .collect()
}

/// The inquiry named by `?inquiry=` / the `inquiry` form field, if it exists.
pub(super) async fn inquiry_context(
    state: &AppState,
    id: &str,
) -> WebResult<Option<InquiryContext>> {
    let Ok(id) = id.trim().parse::<i64>() else {
        return Ok(None);
    };
    Ok(helpdesk::inquiry(state, InquiryId::new(id))
        .await?
        .map(|q| InquiryContext {
            id: q.id.get(),
            receipt: q.receipt,
        }))
}

/// The account ID in a console path.
fn account_id(id: &str) -> WebResult<i64> {
    id.parse().map_err(|_| WebError::NotFound)
}

pub(super) async fn account(
    State(state): State<AppState>,
    staff: StaffIn,
    CsrfToken(csrf): CsrfToken,
    Path(id): Path<String>,
    uri: Uri,
) -> WebResult<Response> {
    let a = helpdesk::account(&state, AccountId::new(account_id(&id)?))
        .await?
        .ok_or(WebError::NotFound)?;
    let now = state.clock().now();
    let status = helpdesk::account_status(&state, &a, now, 10).await?;
    let guard = &status.guard;
    let lock = match guard.locked_until {
        Some(u) if u > now && u == ccus_domain::lockout::LOCKED_FOREVER => {
            i18n::t("helpdesk-lock-forever")
        }
        Some(u) if u > now => i18n::ta("helpdesk-lock-until", &[("until", &u.jst_not_before())]),
        _ => i18n::ta(
            "helpdesk-lock-none",
            &[("count", &guard.consecutive.to_string())],
        ),
    };
    // The owner's own browsers count on their own; a lock there is shown too.
    let lock = match status.browsers_locked_until {
        Some(until) if status.locked_browsers > 0 => i18n::ta(
            "helpdesk-lock-browsers",
            &[
                ("lock", &lock),
                ("count", &status.locked_browsers.to_string()),
                (
                    "until",
                    &if until == ccus_domain::lockout::LOCKED_FOREVER {
                        i18n::t("helpdesk-until-lifted")
                    } else {
                        until.jst_not_before()
                    },
                ),
            ],
        ),
        _ => lock,
    };
    let employer = status
        .employer
        .as_ref()
        .map(|e| paren(&e.name, &e.login_id.grouped()))
        .unwrap_or_default();
    let history = status
        .history
        .into_iter()
        .map(|e| {
            i18n::ta(
                "helpdesk-history-line",
                &[
                    ("at", &e.at.jst()),
                    (
                        "event",
                        &i18n::t(&format!("event-{}", e.kind.as_str().replace('_', "-"))),
                    ),
                    (
                        "address",
                        &crate::i18n::history_source(&e.client_address, &e.user_agent).0,
                    ),
                ],
            )
        })
        .collect();
    let org = ccus_app::org::for_helpdesk(&state, &a, i18n::lang()).await?;
    let done: DoneQuery = lenient_query(&uri);
    let technician = a.kind() == ccus_domain::AccountKind::Technician;
    let actions = actions(technician);
    let card = if technician {
        ccus_app::records::cards::card_of(&state, a.id)
            .await?
            .map(|c| (c.number, ccus_domain::profile::format_date(c.expires_on)))
    } else {
        None
    };
    let notice = actions.iter().find(|x| x.path == done.done).map(|x| {
        Notice::new(
            "success",
            i18n::ta("helpdesk-action-done", &[("action", &x.title)]),
        )
    });
    let s = &status.summary;
    let page = HelpdeskAccountPage {
        chrome: staff.chrome(&s.name, &csrf),
        notice,
        id: s.id.get(),
        kind: i18n::kind(s.kind),
        login_id: s.login_id.grouped(),
        furigana: s.furigana.clone(),
        birth_date: s
            .birth_date
            .map(ccus_domain::profile::format_date)
            .unwrap_or_default(),
        employer,
        email: s.email.clone(),
        name: s.name.clone(),
        lock,
        actions,
        history,
        csrf_token: csrf,
        inquiry: inquiry_context(&state, &done.inquiry).await?,
        org_tree: org.tree,
        membership: org.membership,
        technician,
        card,
        passkeys: ccus_app::auth::passkeys::list(
            &state,
            ccus_app::auth::passkeys::Holder::Account(&a),
        )
        .await?
        .into_iter()
        .map(|p| crate::auth::views::PasskeyRow {
            id: p.id,
            name: p.name,
            created: p.created_at.jst(),
            last_used: p.last_used_at.map(|t| t.jst()).unwrap_or_default(),
        })
        .collect(),
    };
    html(StatusCode::OK, &page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct ActionForm {
    csrf_token: String,
    reason: String,
    new_email: String,
    inquiry: String,
    /// The passkey to remove.
    passkey: String,
}

pub(super) async fn act(
    State(state): State<AppState>,
    staff: StaffIn,
    Path((id, action)): Path<(String, String)>,
    CheckedForm(form): CheckedForm<ActionForm>,
) -> WebResult<Response> {
    let a = helpdesk::account(&state, AccountId::new(account_id(&id)?))
        .await?
        .ok_or(WebError::NotFound)?;
    let account_path = format!("/helpdesk/accounts/{}", a.id);
    let back = |key: &str| {
        let page = MessagePage {
            chrome: Chrome {
                // The switch returns to the account, not to this form's address.
                back: account_path.clone(),
                ..staff_chrome(&i18n::t("helpdesk-input-title"))
            },
            heading: i18n::t("helpdesk-check-input"),
            notice: Some(Notice::new("error", i18n::t(key))),
            lines: vec![],
            links: vec![Link::new(
                account_path.clone(),
                i18n::t("helpdesk-back-to-account"),
            )],
        };
        html(StatusCode::UNPROCESSABLE_ENTITY, &page)
    };
    let act = match action.as_str() {
        "send-id" => AccountAction::SendId,
        "unlock" => AccountAction::Unlock,
        "reset" => AccountAction::SendReset,
        "email" => AccountAction::ChangeEmail {
            new_email: form.new_email.clone(),
        },
        "card-lost" => AccountAction::ReportCardLost,
        "card-reissue" => AccountAction::ReissueCard,
        "passkey-remove" => AccountAction::RemovePasskey {
            id: form
                .passkey
                .trim()
                .parse()
                .map_err(|_| WebError::NotFound)?,
        },
        _ => return Err(WebError::NotFound),
    };
    let s = &staff.session.staff;
    match helpdesk::act_on_account(&state, s, &a, act, &form.reason).await? {
        ActionOutcome::Done => {}
        ActionOutcome::NeedsReason => return back("helpdesk-needs-reason"),
        ActionOutcome::InvalidEmail => return back("helpdesk-invalid-email"),
        ActionOutcome::NoSuchPasskey => return back("helpdesk-no-such-passkey"),
        ActionOutcome::NoCard => return back("helpdesk-no-card"),
        ActionOutcome::NotAllowed => {
            return Err(WebError::NotPermitted("helpdesk-refused-supervisor"))
        }
    }
    let back_to = match form.inquiry.trim().parse::<i64>() {
        Ok(q) => format!("/helpdesk/accounts/{}?done={action}&inquiry={q}", a.id),
        Err(_) => format!("/helpdesk/accounts/{}?done={action}", a.id),
    };
    Ok(Redirect::to(&back_to).into_response())
}

pub(super) async fn audit(
    State(state): State<AppState>,
    staff: StaffIn,
    CsrfToken(csrf): CsrfToken,
) -> WebResult<Response> {
    if staff.session.staff.role != StaffRole::Supervisor {
        return Err(WebError::NotPermitted("helpdesk-refused-supervisor"));
    }
    let entries = helpdesk::audit_log(&state, 200)
        .await?
        .into_iter()
        .map(|e| {
            let lang = i18n::lang();
            AuditRow {
                at: e.at.jst_seconds(),
                staff: e.actor_words(lang),
                action: e.action_words(lang),
                detail: e.detail_words(lang),
                account: e.subject.unwrap_or_default(),
                reason: e.reason,
            }
        })
        .collect();
    html(
        StatusCode::OK,
        &HelpdeskAuditPage {
            chrome: staff.chrome(&i18n::t("helpdesk-nav-audit"), &csrf),
            entries,
        },
    )
}
