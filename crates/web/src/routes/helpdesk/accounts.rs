//! Looking accounts up (by ID, kana, birth date, employer, email), acting on one for a
//! person who asked, and the audit log.

use super::*;

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
        (q.enrolled == "1").then(|| Notice::new("success", "確認コードの設定が完了しました。"));
    let results = if by_id {
        // An ID is exact: typed however (full-width, spaces), checked by its check digit.
        match ccus_domain::LoginId::parse(&q.login_id) {
            Ok(id) => state
                .store()
                .account_by_login_id(&id)
                .await?
                .into_iter()
                .collect(),
            Err(e) => {
                let why = match e {
                    ccus_domain::LoginIdError::CheckDigit => {
                        "14桁ですが、確認用の数字が合いません。1桁の打ち間違いか、隣り合う数字の入れ替わりがあります"
                    }
                    _ => "IDは14桁の数字です",
                };
                notice = Some(Notice::new(
                    "error",
                    format!("IDを確認してください。{why}。"),
                ));
                Vec::new()
            }
        }
    } else if searched {
        state.store().find_accounts(&lookup, 50).await?
    } else {
        Vec::new()
    };
    let page = HelpdeskHomePage {
        chrome: staff.chrome("アカウント検索", &csrf),
        notice,
        q_login_id: q.login_id,
        q_name: q.name,
        q_birth: q.birth_date,
        q_employer: q.employer,
        q_email: q.email,
        searched,
        results: results.into_iter().map(lookup_row).collect(),
        csrf_token: csrf,
    };
    html(StatusCode::OK, &page)
}

pub(super) const ACTIONS: &[StaffAction] = &[
    StaffAction { path: "send-id", title: "IDを登録メールアドレスへ送る", help: "IDは画面や電話では伝えず、登録メールアドレスへお送りします。" },
    StaffAction { path: "unlock", title: "ロックを解除する", help: "本人からの依頼を確認したうえで解除します。" },
    StaffAction { path: "reset", title: "パスワード再設定メールを送る", help: "登録メールアドレスへ再設定用のリンクを送ります。" },
    StaffAction { path: "email", title: "登録メールアドレスを変更する", help: "監督者のみ。添付の本人確認書類を確認してから変更してください。新旧両方のアドレスにお知らせが届き、古いアドレスに送ったリンクは使えなくなります。" },
];

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct DoneQuery {
    pub(super) done: String,
    /// The inquiry being handled, when the account was opened from it.
    pub(super) inquiry: String,
}

/// The inquiry named by `?inquiry=` / the `inquiry` form field, if it exists.
pub(super) async fn inquiry_context(
    state: &AppState,
    id: &str,
) -> WebResult<Option<InquiryContext>> {
    let Ok(id) = id.trim().parse::<i64>() else {
        return Ok(None);
    };
    Ok(state.store().inquiry(id).await?.map(|q| InquiryContext {
        id: q.id,
        receipt: q.receipt,
    }))
}

pub(super) async fn load_account(state: &AppState, id: &str) -> WebResult<ccus_storage::Account> {
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    state
        .store()
        .account_by_id(id)
        .await?
        .ok_or(WebError::NotFound)
}

pub(super) async fn account(
    State(state): State<AppState>,
    staff: StaffIn,
    CsrfToken(csrf): CsrfToken,
    Path(id): Path<String>,
    uri: Uri,
) -> WebResult<Response> {
    let a = load_account(&state, &id).await?;
    let now = state.clock().now();
    let guard = state.store().guard_state(a.login_id.as_str()).await?;
    let lock = match guard.locked_until {
        Some(u) if u > now && u == ccus_domain::lockout::LOCKED_FOREVER => {
            "ロック中（解除されるまで）".to_owned()
        }
        Some(u) if u > now => format!("ロック中（{} まで）", u.jst_not_before()),
        _ => format!("なし（連続失敗 {} 回）", guard.consecutive),
    };
    // The owner's own browsers count on their own; a lock there is shown too.
    let devices = state.store().device_locks(&a.login_id, now).await?;
    let lock = match devices.latest_until {
        Some(until) if devices.count > 0 => format!(
            "{lock}。本人がログインしたことのあるブラウザ {} 台がロック中（{} まで）",
            devices.count,
            if until == ccus_domain::lockout::LOCKED_FOREVER {
                "解除されるまで".to_owned()
            } else {
                until.jst_not_before()
            }
        ),
        _ => lock,
    };
    let employer = match a.profile.employer_id {
        Some(e) => state
            .store()
            .account_by_id(e)
            .await?
            .map(|e| format!("{}（{}）", e.name, e.login_id.grouped()))
            .unwrap_or_default(),
        None => String::new(),
    };
    let history = state
        .store()
        .access_history(&a, 0, 10)
        .await?
        .into_iter()
        .map(|e| {
            format!(
                "{} {}（{}）",
                e.at.jst(),
                e.kind.label_ja(),
                e.client_address
            )
        })
        .collect();
    let org = ccus_app::org::for_helpdesk(&state, &a).await?;
    let done: DoneQuery = lenient_query(&uri);
    let notice = ACTIONS
        .iter()
        .find(|x| x.path == done.done)
        .map(|x| Notice::new("success", format!("「{}」を行いました。", x.title)));
    let page = HelpdeskAccountPage {
        chrome: staff.chrome(&a.name, &csrf),
        notice,
        id: a.id,
        kind: a.kind().label_ja(),
        login_id: a.login_id.grouped(),
        furigana: a.profile.furigana.clone(),
        birth_date: a.profile.birth_date.clone().unwrap_or_default(),
        employer,
        email: a.email.clone(),
        name: a.name.clone(),
        lock,
        actions: ACTIONS.to_vec(),
        history,
        csrf_token: csrf,
        inquiry: inquiry_context(&state, &done.inquiry).await?,
        org_tree: org.tree,
        membership: org.membership,
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
}

pub(super) async fn act(
    State(state): State<AppState>,
    staff: StaffIn,
    Path((id, action)): Path<(String, String)>,
    CheckedForm(form): CheckedForm<ActionForm>,
) -> WebResult<Response> {
    let a = load_account(&state, &id).await?;
    let back = |m: &str| {
        let page = MessagePage {
            chrome: staff_chrome("入力してください"),
            heading: "入力内容をご確認ください".into(),
            notice: Some(Notice::new("error", m.to_owned())),
            lines: vec![],
            links: vec![Link::new(
                format!("/helpdesk/accounts/{}", a.id),
                "アカウントに戻る",
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
        _ => return Err(WebError::NotFound),
    };
    let s = &staff.session.staff;
    match helpdesk::act_on_account(&state, s, &a, act, &form.reason).await? {
        ActionOutcome::Done => {}
        ActionOutcome::NeedsReason => {
            return back("理由（お問い合わせ番号、確認した書類など）を入力してください。")
        }
        ActionOutcome::InvalidEmail => return back("新しいメールアドレスの形式をご確認ください。"),
        ActionOutcome::NotAllowed => {
            return Err(WebError::Forbidden(
                "changing a registered email is for supervisors",
            ))
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
        return Err(WebError::Forbidden("the audit log is for supervisors"));
    }
    let entries = state
        .store()
        .audit_log(200)
        .await?
        .into_iter()
        .map(|e| AuditRow {
            at: e.at.jst_seconds(),
            staff: format!("{}（{}）", e.staff_name, e.staff_id),
            action: ccus_domain::audit::action_label(&e.action).to_owned(),
            account: e.account_login_id.unwrap_or_default(),
            reason: e.reason,
            detail: e.detail,
        })
        .collect();
    html(
        StatusCode::OK,
        &HelpdeskAuditPage {
            chrome: staff.chrome("操作記録", &csrf),
            entries,
        },
    )
}
