//! 「ログインできない方へ」 at `/help/login`: one question a page, the answers so far in the
//! address (`e` entrance, `s` what the screen says, `m` mail, `id`), no JavaScript, ending at
//! the exact fix in at most four questions ([`ccus_domain::guide`]).

use crate::forms::lenient_query;
use crate::pages::html;
use crate::present::Chrome;
use crate::present::Link;
use crate::public::views::GuideChoice;
use crate::public::views::GuidePage;
use std::collections::HashMap;

use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use ccus_domain::guide::{self, Answers, Ending, Entrance, Screen, Step};
use ccus_domain::{AccountKind, LoginId, LoginIdError};

use crate::error::WebResult;
use crate::{i18n, AppState};

pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/help/login", get(guide_page))
}

/// The address of the page after answering `key = value`.
fn href(params: &[(&'static str, String)], key: &'static str, value: &str) -> String {
    let mut q: Vec<String> = params
        .iter()
        .filter(|(k, _)| *k != key)
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    q.push(format!("{key}={value}"));
    format!("/help/login?{}", q.join("&"))
}

fn choice(href: String, label: &str, sub: &str) -> GuideChoice {
    GuideChoice {
        href,
        label: label.to_owned(),
        sub: sub.to_owned(),
    }
}

fn page(question: &str, step: usize) -> GuidePage {
    GuidePage {
        chrome: Chrome::titled(i18n::ta("guide-title", &[("question", question)])),
        step,
        question: question.to_owned(),
        lines: Vec::new(),
        choices: Vec::new(),
        ask_id: false,
        hidden: Vec::new(),
        id_error: None,
        typed_id: String::new(),
        fix: None,
        more: Vec::new(),
        restart: step > 1 || step == 0,
    }
}

/// The portal the answers point at (the business one for 事業者 and 管理者ID).
fn kind_of(a: &Answers) -> AccountKind {
    match a.entrance {
        Some(Entrance::Business) => AccountKind::Business,
        _ => AccountKind::Technician,
    }
}

async fn guide_page(State(state): State<AppState>, uri: Uri) -> WebResult<Response> {
    let q: HashMap<String, String> = lenient_query(&uri);
    let a = crate::inquiries::guide_answers(&q);
    // The answers that are understood, to carry on.
    let mut params: Vec<(&'static str, String)> = Vec::new();
    if let Some(e) = a.entrance {
        params.push(("e", e.as_str().to_owned()));
    }
    if let Some(s) = a.screen {
        params.push(("s", s.as_str().to_owned()));
    }
    if let Some(m) = a.mail {
        params.push(("m", if m { "yes" } else { "no" }.to_owned()));
    }
    let asked = params.len() + 1;
    let p = match guide::next(&a) {
        Step::AskEntrance => {
            let mut p = page(&i18n::t("guide-q-entrance"), 1);
            p.lines.push(i18n::t("guide-q-entrance-line"));
            p.choices = vec![
                choice(
                    href(&params, "e", "technician"),
                    &i18n::t("guide-a-technician"),
                    &i18n::t("guide-a-technician-sub"),
                ),
                choice(
                    href(&params, "e", "business"),
                    &i18n::t("guide-a-business"),
                    &i18n::t("guide-a-business-sub"),
                ),
                choice(
                    href(&params, "e", "unknown"),
                    &i18n::t("guide-a-unknown"),
                    &i18n::t("guide-a-unknown-sub"),
                ),
            ];
            p.restart = false;
            p
        }
        Step::AskScreen => {
            let mut p = page(&i18n::t("guide-q-screen"), asked);
            let business = a.entrance == Some(Entrance::Business);
            p.choices = vec![
                choice(
                    href(&params, "s", Screen::WrongPassword.as_str()),
                    &i18n::t("guide-a-wrong-password"),
                    &i18n::t("guide-a-wrong-password-sub"),
                ),
                choice(
                    href(&params, "s", Screen::Locked.as_str()),
                    &i18n::t("guide-a-locked"),
                    "",
                ),
                choice(
                    href(&params, "s", Screen::WrongEntrance.as_str()),
                    &i18n::t("guide-a-wrong-entrance"),
                    &i18n::t("guide-a-wrong-entrance-sub"),
                ),
                choice(
                    href(&params, "s", Screen::Timeout.as_str()),
                    &i18n::t("guide-a-timeout"),
                    "",
                ),
                choice(
                    href(&params, "s", Screen::Maintenance.as_str()),
                    &i18n::t("guide-a-maintenance"),
                    "",
                ),
                choice(
                    href(&params, "s", Screen::NoId.as_str()),
                    &i18n::t("guide-a-no-id"),
                    &i18n::t("guide-a-no-id-sub"),
                ),
                choice(
                    href(&params, "s", Screen::Other.as_str()),
                    &i18n::t("guide-a-other"),
                    &i18n::t("guide-a-other-sub"),
                ),
            ];
            if business {
                p.choices.insert(
                    4,
                    choice(
                        href(&params, "s", Screen::Stopped.as_str()),
                        &i18n::t("guide-a-stopped"),
                        "",
                    ),
                );
            }
            p
        }
        Step::AskMail => {
            let mut p = page(&i18n::t("guide-q-mail"), asked);
            p.lines.push(i18n::t("guide-q-mail-line"));
            p.choices = vec![
                choice(href(&params, "m", "yes"), &i18n::t("guide-a-mail-yes"), ""),
                choice(
                    href(&params, "m", "no"),
                    &i18n::t("guide-a-mail-no"),
                    &i18n::t("guide-a-mail-no-sub"),
                ),
            ];
            p
        }
        Step::AskId => {
            let typed = q.get("id").map(|s| s.trim().to_owned()).unwrap_or_default();
            if typed.is_empty() {
                ask_id(&params, asked, None, "")
            } else {
                match LoginId::parse(&typed) {
                    Ok(id) => {
                        ccus_app::public::guide::reached(&state, Ending::RightEntrance).await;
                        let kind = id.kind();
                        let mut p = page(
                            &i18n::ta("guide-end-entrance", &[("kind", &i18n::kind(kind))]),
                            0,
                        );
                        p.lines.push(i18n::ta(
                            "guide-end-entrance-line",
                            &[
                                ("id_kind", &i18n::id_kind(&id)),
                                ("kind", &i18n::kind(kind)),
                            ],
                        ));
                        p.fix = Some(Link::new(
                            format!("{}?login_id={}", kind.login_path(), id.as_str()),
                            i18n::ta("wrong-entrance-link", &[("right", &i18n::kind(kind))]),
                        ));
                        p
                    }
                    Err(e) => {
                        let why = match e {
                            LoginIdError::CheckDigit => &i18n::t("guide-id-check-digit"),
                            _ => &i18n::t("guide-id-malformed"),
                        };
                        ask_id(&params, asked, Some(why.to_owned()), &typed)
                    }
                }
            }
        }
        Step::End(ending) => {
            ccus_app::public::guide::reached(&state, ending).await;
            ending_page(&state, ending, &a, &params)
        }
    };
    html(StatusCode::OK, &p)
}

fn ask_id(
    params: &[(&'static str, String)],
    step: usize,
    error: Option<String>,
    typed: &str,
) -> GuidePage {
    let mut p = page(&i18n::t("guide-q-id"), step);
    p.lines.push(i18n::t("guide-q-id-line"));
    p.ask_id = true;
    p.hidden = params.to_vec();
    p.id_error = error;
    p.typed_id = typed.to_owned();
    p.more = vec![Link::new(
        {
            let mut ps: Vec<(&'static str, String)> =
                params.iter().filter(|(k, _)| *k == "e").cloned().collect();
            if ps.is_empty() {
                ps.push(("e", "unknown".into()));
            }
            href(&ps, "s", Screen::NoId.as_str())
        },
        i18n::t("guide-a-no-id-either"),
    )];
    p
}

fn ending_page(
    state: &AppState,
    ending: Ending,
    a: &Answers,
    params: &[(&'static str, String)],
) -> GuidePage {
    let kind = kind_of(a);
    let portal = kind.portal();
    let inquiry = {
        let q: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
        format!("/inquiry?{}", q.join("&"))
    };
    let mut p = page("", 0);
    let (title, lines, fix, more): (String, Vec<String>, Link, Vec<Link>) = match ending {
        Ending::ResetForm => (
            i18n::t("guide-end-reset"),
            vec![
                i18n::t("guide-end-reset-line"),
                i18n::t("guide-end-reset-unlocks"),
            ],
            Link::new(
                format!("/{portal}/password/forgot"),
                i18n::t("guide-end-reset-go"),
            ),
            vec![],
        ),
        Ending::UnlockMail => (
            i18n::t("guide-end-unlock"),
            vec![
                i18n::t("guide-end-unlock-line"),
                i18n::t("guide-end-unlock-wait"),
            ],
            Link::new(
                format!("/{portal}/password/forgot"),
                i18n::t("guide-end-unlock-go"),
            ),
            vec![Link::new(
                kind.login_path(),
                i18n::ta("to-login", &[("kind", &i18n::kind(kind))]),
            )],
        ),
        Ending::IdReminder => {
            let mut more = vec![];
            if a.entrance == Some(Entrance::Unknown) {
                more.push(Link::new(
                    "/ccus_owner/id/forgot",
                    i18n::t("guide-end-ids-business"),
                ));
            }
            (
                i18n::t("guide-end-ids"),
                vec![i18n::t("guide-end-ids-line")],
                Link::new(
                    format!("/{portal}/id/forgot"),
                    i18n::ta("guide-end-ids-go", &[("kind", &i18n::kind(kind))]),
                ),
                more,
            )
        }
        Ending::LoginAgain => (
            i18n::t("guide-end-again"),
            vec![i18n::ta(
                "guide-end-again-line",
                &[
                    (
                        "minutes",
                        &(state.config().session.idle_timeout.as_secs() / 60).to_string(),
                    ),
                    (
                        "hours",
                        &(state.config().session.absolute_timeout.as_secs() / 3600).to_string(),
                    ),
                ],
            )],
            Link::new(
                kind.login_path(),
                i18n::ta("to-login", &[("kind", &i18n::kind(kind))]),
            ),
            vec![],
        ),
        Ending::Maintenance => (
            i18n::t("guide-end-maintenance"),
            vec![i18n::t("guide-end-maintenance-line")],
            Link::new("/notices", i18n::t("guide-end-maintenance-go")),
            vec![],
        ),
        Ending::AskBusiness => (
            i18n::t("guide-end-business"),
            vec![
                i18n::t("guide-end-business-line"),
                i18n::t("guide-end-business-owner"),
            ],
            Link::new("/ccus_owner/login", i18n::t("guide-end-business-go")),
            vec![],
        ),
        Ending::InquiryEmail | Ending::InquiryLock | Ending::InquiryId | Ending::InquiryOther => {
            let mut lines = vec![
                i18n::t("guide-end-inquiry-line"),
                i18n::t("guide-end-inquiry-filled"),
            ];
            if ending == Ending::InquiryOther {
                lines = vec![
                    i18n::t("guide-end-browsers"),
                    i18n::t("guide-end-browsers-inquiry"),
                ];
            }
            (
                i18n::t("guide-end-inquiry"),
                lines,
                Link::new(inquiry.clone(), i18n::t("guide-end-inquiry-go")),
                vec![Link::new("/faq", i18n::t("footer-faq"))],
            )
        }
        // Reached through the ID question, not here.
        Ending::RightEntrance => (
            i18n::t("guide-end-choose"),
            vec![],
            Link::new("/", i18n::t("guide-end-top")),
            vec![],
        ),
    };
    p.chrome = Chrome::titled(i18n::ta("guide-title", &[("question", &title)]));
    p.question = title.clone();
    p.lines = lines;
    p.fix = Some(fix);
    p.more = more;
    if !matches!(
        ending,
        Ending::InquiryEmail | Ending::InquiryLock | Ending::InquiryId | Ending::InquiryOther
    ) {
        p.more.push(Link::new(inquiry, i18n::t("guide-end-still")));
    }
    p
}
