//! 「ログインできない方へ」 over HTTP: every ending is reached by following the answers' links,
//! the ID question sends to the right entrance with the ID filled in, an inquiry ending opens
//! the form with the category chosen and sends what was tried, the login pages and error
//! messages link to it, and supervisors see how often each ending was reached.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::Engine;
use ccus_domain::guide::Ending;
use ccus_domain::AccountKind;
use ccus_storage::StaffRole;
use ccus_testkit::*;
use reqwest::multipart::Form;

async fn app() -> TestApp {
    spawn_app_with(ccus_storage::testdb::sqlite_url(), |c| {
        c.staff.totp_key = base64::engine::general_purpose::STANDARD.encode([5u8; 32]);
    })
    .await
}

/// The `href` of the link whose text starts with `text`.
fn link_to(html: &str, text: &str) -> String {
    let at = html
        .find(&format!(">{text}"))
        .unwrap_or_else(|| panic!("no link 「{text}」 in:\n{html}"));
    let before = &html[..at];
    let start = before.rfind("href=\"").unwrap() + "href=\"".len();
    before[start..start + before[start..].find('"').unwrap()]
        .replace("&#38;", "&")
        .replace("&amp;", "&")
}

/// Follows the answers from the first question; returns the last page.
async fn answer(app: &TestApp, b: &reqwest::Client, answers: &[&str]) -> String {
    let mut page = app.get(b, "/help/login").await.text().await.unwrap();
    for a in answers {
        let next = link_to(&page, a);
        let r = app.get(b, &next).await;
        assert_eq!(r.status(), 200, "{next}");
        page = r.text().await.unwrap();
    }
    page.replace("&#38;", "&amp;")
}

#[tokio::test]
async fn every_ending_is_reached_by_its_answers_in_four_questions_at_most() {
    let app = app().await;
    let b = app.browser();
    let cases: &[(&[&str], &str, &str)] = &[
        (
            &[
                "技能者（技能者ID）",
                "「IDまたはパスワードが違います」",
                "受け取れる",
            ],
            "パスワードを再設定してください",
            "/ccus_skill/password/forgot",
        ),
        (
            &[
                "事業者（事業者ID・管理者ID）",
                "「IDまたはパスワードが違います」",
                "受け取れない",
            ],
            "お問い合わせフォームからご連絡ください",
            "/inquiry?e=business&amp;s=wrong_password&amp;m=no",
        ),
        (
            &[
                "技能者（技能者ID）",
                "「このIDは現在ロックされています」",
                "受け取れる",
            ],
            "ロック解除のメールをご確認ください",
            "/ccus_skill/password/forgot",
        ),
        (
            &[
                "事業者（事業者ID・管理者ID）",
                "「このIDは現在ロックされています」",
                "受け取れない",
            ],
            "お問い合わせフォームからご連絡ください",
            "s=locked&amp;m=no",
        ),
        (
            &["技能者（技能者ID）", "IDが分からない", "受け取れる"],
            "IDをメールで受け取ってください",
            "/ccus_skill/id/forgot",
        ),
        (
            &["技能者（技能者ID）", "IDが分からない", "受け取れない"],
            "お問い合わせフォームからご連絡ください",
            "s=no_id&amp;m=no",
        ),
        (
            &["分からない", "IDも分からない", "受け取れる"],
            "IDをメールで受け取ってください",
            "/ccus_owner/id/forgot",
        ),
        (
            &["技能者（技能者ID）", "「タイムアウトしました」"],
            "もう一度ログインしてください",
            "/ccus_skill/login",
        ),
        (
            &["技能者（技能者ID）", "メンテナンス中の案内"],
            "メンテナンスの終了をお待ちください",
            "/notices",
        ),
        (
            &[
                "事業者（事業者ID・管理者ID）",
                "「この管理者IDは利用停止中です」",
            ],
            "事業者の管理者に、利用の再開を依頼してください",
            "/ccus_owner/login",
        ),
        (
            &["技能者（技能者ID）", "そのほか"],
            "お問い合わせフォームからご連絡ください",
            "Microsoft Edge",
        ),
    ];
    for (answers, title, fix) in cases {
        assert!(answers.len() <= 4);
        let page = answer(&app, &b, answers).await;
        assert!(page.contains(title), "{answers:?} → {title}\n{page}");
        assert!(page.contains(fix), "{answers:?} → {fix}\n{page}");
    }
    // 管理者ID is offered only to businesses.
    let page = answer(&app, &b, &["技能者（技能者ID）"]).await;
    assert!(!page.contains("利用停止中"));

    // The ID question: the right entrance with the ID filled in; a typo is caught.
    let page = answer(
        &app,
        &b,
        &["技能者（技能者ID）", "「入力されたIDは…IDです」"],
    )
    .await;
    assert!(page.contains("お持ちのIDを入力してください"));
    let biz = app.account(AccountKind::Business).await;
    let r = app
        .get(
            &b,
            &format!(
                "/help/login?e=technician&s=wrong_entrance&id={}",
                biz.login_id.grouped().replace(' ', "+")
            ),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(r.contains(&format!(
        "/ccus_owner/login?login_id={}",
        biz.login_id.as_str()
    )));
    assert!(r.contains("事業者ログイン画面へ（IDは入力済みです）"));
    let mut typo = biz.login_id.as_str().to_owned().into_bytes();
    typo.swap(3, 4);
    if typo[3] == typo[4] {
        typo[5] = if typo[5] == b'9' { b'0' } else { typo[5] + 1 };
    }
    let r = app
        .get(
            &b,
            &format!(
                "/help/login?e=unknown&id={}",
                String::from_utf8(typo).unwrap()
            ),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(r.contains("IDに誤りがあります"));

    // Supervisors see how often each ending was reached; nobody else does.
    let (supervisor, _) = app.staff_browser(StaffRole::Supervisor).await;
    let page = app
        .get(&supervisor, "/helpdesk/guide")
        .await
        .text()
        .await
        .unwrap();
    for e in Ending::ALL {
        assert!(page.contains(e.label_ja()), "{e:?}");
    }
    let counts = app
        .state
        .store_for_tools()
        .public_info()
        .guide_endings()
        .await
        .unwrap();
    let count = |e: Ending| {
        counts
            .iter()
            .find(|(k, _)| k == e.as_str())
            .map_or(0, |(_, n)| *n)
    };
    assert_eq!(count(Ending::ResetForm), 1);
    assert_eq!(count(Ending::IdReminder), 2);
    assert_eq!(count(Ending::RightEntrance), 1);
    let (operator, _) = app.staff_browser(StaffRole::Operator).await;
    assert_eq!(app.get(&operator, "/helpdesk/guide").await.status(), 403);
}

#[tokio::test]
async fn an_inquiry_from_the_guide_says_what_was_tried() {
    let app = app().await;
    let b = app.browser();
    let page = answer(
        &app,
        &b,
        &[
            "技能者（技能者ID）",
            "「このIDは現在ロックされています」",
            "受け取れない",
        ],
    )
    .await;
    let form_path = link_to(&page, "お問い合わせフォームへ");
    let form = app.get(&b, &form_path).await.text().await.unwrap();
    assert!(form.contains("<option value=\"パスワード・ロック\" selected>"));
    assert!(form.contains("「ログインできない方へ」で確認したこと"));
    assert!(form.contains("登録メールアドレスでメールを受け取れない"));
    let token = csrf_in(&form);
    let r = b
        .post(app.url("/inquiry"))
        .multipart(
            Form::new()
                .text("csrf_token", token)
                .text("e", "technician")
                .text("s", "locked")
                .text("m", "no")
                .text("category", "パスワード・ロック")
                .text("login_id", "")
                .text("name", "建設 太郎")
                .text("furigana", "ケンセツ タロウ")
                .text("birth_date", "1985-04-01")
                .text("employer", "")
                .text("email", "now@example.jp")
                .text("phone", "")
                .text("message", "前の会社のアドレスでした。"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let stored = app
        .state
        .store_for_tools()
        .inquiries()
        .list(None, 10)
        .await
        .unwrap();
    let message = &stored[0].message;
    assert!(
        message.starts_with("【「ログインできない方へ」で確認済み】"),
        "{message}"
    );
    assert!(message.contains("・画面の表示: 「このIDは現在ロックされています」"));
    assert!(message.contains("・登録メールアドレスでメールを受け取れない"));
    assert!(message.ends_with("前の会社のアドレスでした。"));
}

#[tokio::test]
async fn the_login_pages_and_their_messages_lead_to_the_guide() {
    let app = app().await;
    let b = app.browser();
    for kind in AccountKind::ALL {
        let page = app.get(&b, kind.login_path()).await.text().await.unwrap();
        assert!(page.contains("/help/login?e="), "{kind:?}");
    }
    let t = app.account(AccountKind::Technician).await;
    let r = app
        .login(
            &b,
            AccountKind::Technician,
            t.login_id.as_str(),
            "wrong password",
        )
        .await;
    let page = r.text().await.unwrap().replace("&#38;", "&amp;");
    assert!(page.contains("IDまたはパスワードが違います"));
    assert!(page.contains("/help/login?e=technician&amp;s=wrong_password"));
    let faq = app.get(&b, "/faq").await.text().await.unwrap();
    assert!(faq.contains("href=\"/help/login\""));
}
