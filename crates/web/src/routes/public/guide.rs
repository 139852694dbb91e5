//! 「ログインできない方へ」 at `/help/login`: one question a page, the answers so far in the
//! address (`e` entrance, `s` what the screen says, `m` mail, `id`), no JavaScript, ending at
//! the exact fix in at most four questions ([`ccus_domain::guide`]).

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use ccus_domain::guide::{self, Answers, Ending, Entrance, Screen, Step};
use ccus_domain::{AccountKind, LoginId, LoginIdError};

use crate::error::WebResult;
use crate::routes::{html, lenient_query};
use crate::views::{Chrome, GuideChoice, GuidePage, Link};
use crate::AppState;

pub(super) fn routes() -> Router<AppState> {
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
        chrome: Chrome::titled(format!("ログインできない方へ — {question}")),
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
    let a = super::inquiry::guide_answers(&q);
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
            let mut p = page("どちらでログインしようとしていますか", 1);
            p.lines
                .push("答えを選ぶと、解決の方法をご案内します（質問は4つまでです）。".into());
            p.choices = vec![
                choice(
                    href(&params, "e", "technician"),
                    "技能者（技能者ID）",
                    "1から始まる14桁のIDでログインする方",
                ),
                choice(
                    href(&params, "e", "business"),
                    "事業者（事業者ID・管理者ID）",
                    "2または3から始まる14桁のIDでログインする方",
                ),
                choice(
                    href(&params, "e", "unknown"),
                    "分からない",
                    "お持ちのIDから入口をご案内します",
                ),
            ];
            p.restart = false;
            p
        }
        Step::AskScreen => {
            let mut p = page("画面に何と表示されますか", asked);
            let business = a.entrance == Some(Entrance::Business);
            p.choices = vec![
                choice(
                    href(&params, "s", Screen::WrongPassword.as_str()),
                    "「IDまたはパスワードが違います」",
                    "パスワードを忘れた場合も",
                ),
                choice(
                    href(&params, "s", Screen::Locked.as_str()),
                    "「このIDは現在ロックされています」",
                    "",
                ),
                choice(
                    href(&params, "s", Screen::WrongEntrance.as_str()),
                    "「入力されたIDは…IDです」",
                    "入口が違うという案内",
                ),
                choice(
                    href(&params, "s", Screen::Timeout.as_str()),
                    "「タイムアウトしました」",
                    "",
                ),
                choice(
                    href(&params, "s", Screen::Maintenance.as_str()),
                    "メンテナンス中の案内",
                    "",
                ),
                choice(
                    href(&params, "s", Screen::NoId.as_str()),
                    "IDが分からない",
                    "IDを忘れた、カードをなくした",
                ),
                choice(
                    href(&params, "s", Screen::Other.as_str()),
                    "そのほか",
                    "画面が表示されない、ボタンが動かない など",
                ),
            ];
            if business {
                p.choices.insert(
                    4,
                    choice(
                        href(&params, "s", Screen::Stopped.as_str()),
                        "「この管理者IDは利用停止中です」",
                        "",
                    ),
                );
            }
            p
        }
        Step::AskMail => {
            let mut p = page("登録メールアドレスで、いまメールを受け取れますか", asked);
            p.lines.push("登録したときのメールアドレスです。退職などで使えなくなったアドレスの場合は「受け取れない」を選んでください。".into());
            p.choices = vec![
                choice(href(&params, "m", "yes"), "受け取れる", ""),
                choice(
                    href(&params, "m", "no"),
                    "受け取れない",
                    "アドレスが使えない、分からない",
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
                        ccus_app::guide::reached(&state, Ending::RightEntrance).await;
                        let kind = id.kind();
                        let mut p = page(
                            &format!("{}ログイン画面からログインしてください", kind.label_ja()),
                            0,
                        );
                        p.lines.push(format!(
                            "入力されたIDは{}です。{}ログイン画面からログインしてください。IDは入力済みです。",
                            id.label_ja(),
                            kind.label_ja()
                        ));
                        p.fix = Some(Link::new(
                            format!("{}?login_id={}", kind.login_path(), id.as_str()),
                            format!("{}ログイン画面へ（IDは入力済みです）", kind.label_ja()),
                        ));
                        p
                    }
                    Err(e) => {
                        let why = match e {
                            LoginIdError::CheckDigit => "IDに誤りがあります。数字の打ち間違いや、隣り合う数字の入れ替わりがないか、ご確認ください。",
                            _ => "IDは14桁の数字です。入力内容をご確認ください。",
                        };
                        ask_id(&params, asked, Some(why.to_owned()), &typed)
                    }
                }
            }
        }
        Step::End(ending) => {
            ccus_app::guide::reached(&state, ending).await;
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
    let mut p = page("お持ちのIDを入力してください", step);
    p.lines.push(
        "IDの最初の数字で、どちらの入口かが分かります（1 技能者、2 事業者、3 管理者ID）。".into(),
    );
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
        "IDも分からない",
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
    let (title, lines, fix, more): (&str, Vec<String>, Link, Vec<Link>) = match ending {
        Ending::ResetForm => (
            "パスワードを再設定してください",
            vec![
                "IDと登録メールアドレスを入力すると、パスワード再設定用のURLをメールでお送りします。URLを開いて、新しいパスワードを決めてください。".into(),
                "再設定すると、ロックも解除されます。".into(),
            ],
            Link::new(format!("/{portal}/password/forgot"), "パスワード再設定へ"),
            vec![],
        ),
        Ending::UnlockMail => (
            "ロック解除のメールをご確認ください",
            vec![
                "ロックされたとき、登録メールアドレスへ「ロック解除のご案内」をお送りしています。メールのURLを開くと、すぐに解除できます。".into(),
                "ロックは、ログイン画面に表示された時刻を過ぎると自動で解除されます。メールが見つからない場合は、パスワードを再設定しても解除されます。".into(),
            ],
            Link::new(format!("/{portal}/password/forgot"), "パスワード再設定へ（ロックも解除されます）"),
            vec![Link::new(kind.login_path(), format!("{}ログイン画面へ", kind.label_ja()))],
        ),
        Ending::IdReminder => {
            let mut more = vec![];
            if a.entrance == Some(Entrance::Unknown) {
                more.push(Link::new("/ccus_owner/id/forgot", "事業者・管理者IDをメールで受け取る"));
            }
            (
                "IDをメールで受け取ってください",
                vec!["登録メールアドレスを入力すると、そのアドレスで登録されているIDをすべてメールでお送りします。".into()],
                Link::new(format!("/{portal}/id/forgot"), format!("{}IDをメールで受け取る", kind.label_ja())),
                more,
            )
        }
        Ending::LoginAgain => (
            "もう一度ログインしてください",
            vec![format!(
                "安全のため、{}分間操作がないとき、またはログインから{}時間たったときは、自動でログアウトします。もう一度ログインすると、元の画面に戻れます。",
                state.config().session.idle_timeout.as_secs() / 60,
                state.config().session.absolute_timeout.as_secs() / 3600
            )],
            Link::new(kind.login_path(), format!("{}ログイン画面へ", kind.label_ja())),
            vec![],
        ),
        Ending::Maintenance => (
            "メンテナンスの終了をお待ちください",
            vec!["メンテナンス中はログインできません。予定はお知らせのページでご確認いただけます。".into()],
            Link::new("/notices", "お知らせ（メンテナンスの予定）へ"),
            vec![],
        ),
        Ending::AskBusiness => (
            "事業者の管理者に、利用の再開を依頼してください",
            vec![
                "管理者IDの利用停止と再開は、所属する事業者の事業者責任者または階層管理者が行います。ヘルプデスクでは再開できません。".into(),
                "事業者責任者の方は、事業者IDでログインし「組織と管理者ID」から再開できます。".into(),
            ],
            Link::new("/ccus_owner/login", "事業者ログイン画面へ"),
            vec![],
        ),
        Ending::InquiryEmail | Ending::InquiryLock | Ending::InquiryId | Ending::InquiryOther => {
            let mut lines = vec![
                "登録メールアドレスでメールを受け取れない場合は、ヘルプデスクが本人確認のうえで対応します。".into(),
                "お問い合わせフォームには、ここで答えた内容が入力済みです。本人確認書類の画像を添付すると、対応が早くなります。".into(),
            ];
            if ending == Ending::InquiryOther {
                lines = vec![
                    "推奨ブラウザは Google Chrome または Microsoft Edge の最新版です（スマートフォンは標準ブラウザの最新版）。Internet Explorer では利用できません。".into(),
                    "ブラウザを変えても解決しない場合は、お問い合わせください。ここで答えた内容は入力済みです。".into(),
                ];
            }
            (
                "お問い合わせフォームからご連絡ください",
                lines,
                Link::new(inquiry.clone(), "お問い合わせフォームへ（確認した内容は入力済みです）"),
                vec![Link::new("/faq", "よくある質問")],
            )
        }
        // Reached through the ID question, not here.
        Ending::RightEntrance => (
            "ログイン画面をお選びください",
            vec![],
            Link::new("/", "トップページへ"),
            vec![],
        ),
    };
    p.chrome = Chrome::titled(format!("ログインできない方へ — {title}"));
    p.question = title.to_owned();
    p.lines = lines;
    p.fix = Some(fix);
    p.more = more;
    if !matches!(
        ending,
        Ending::InquiryEmail | Ending::InquiryLock | Ending::InquiryId | Ending::InquiryOther
    ) {
        p.more
            .push(Link::new(inquiry, "それでも解決しない場合（お問い合わせ）"));
    }
    p
}
