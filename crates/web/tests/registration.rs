//! 技能者登録 end to end over HTTP: the application login from a mailed link, 一時保存 and
//! resuming, checks on 申請, screening with 不備 per item, fixing only those items, approval,
//! the fee, 登録完了 with the card notice, and the first login with the card's password and
//! 本人確認番号 — on SQLite and, when configured, PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::Engine;
use ccus_app::audit::{AuditAction, AuditDetail};
use ccus_app::i18n::Lang;
use ccus_domain::{AccountKind, ApplicationId};
use ccus_storage::StaffRole;
use ccus_testkit::*;

const EMAIL: &str = "tanaka.ichiro@example.jp";
const APPLY_PW: &str = "river stones in spring";

async fn app_on(url: String) -> TestApp {
    spawn_app_with(url, |c| {
        c.staff.totp_key = base64::engine::general_purpose::STANDARD.encode([42u8; 32]);
    })
    .await
}

/// The number in `/apply/{n}`.
fn application_id(location: &str) -> i64 {
    location
        .trim_start_matches("/apply/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// Makes the application login through the mailed link; returns the applicant's browser.
async fn applicant(app: &TestApp) -> reqwest::Client {
    let b = app.browser();
    let r = app
        .submit(&b, "/apply/start", "/apply/start", &[("email", EMAIL)])
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("確認メールを送信しました"));
    let mail = app.wait_for_mail(EMAIL, "申請用IDの作成", 1).await;
    let link = link_in(&mail[0].body, "/apply/confirm");
    let page = app.get(&b, &link).await;
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["referrer-policy"], "same-origin");
    let token = link.split("token=").nth(1).unwrap().to_owned();
    // A weak password is refused with the reason.
    let weak = app
        .submit(
            &b,
            &link,
            "/apply/confirm",
            &[("token", &token), ("password", "password")],
        )
        .await;
    assert_eq!(weak.status(), 422);
    let r = app
        .submit(
            &b,
            &link,
            "/apply/confirm",
            &[("token", &token), ("password", APPLY_PW)],
        )
        .await;
    assert_eq!(location(&r), "/apply/home");
    // The link is used up.
    assert_eq!(app.get(&app.browser(), &link).await.status(), 410);
    b
}

fn complete_form(plan: &str) -> Vec<(&'static str, String)> {
    vec![
        ("plan", plan.into()),
        ("name", "田中 一郎".into()),
        ("furigana", "タナカ イチロウ".into()),
        ("birth_date", "1988年7月15日".into()),
        ("gender", "male".into()),
        ("nationality", "日本".into()),
        ("postal_code", "１００－００１３".into()),
        ("address", "東京都千代田区霞が関2-1-3".into()),
        ("phone", "090-1234-5678".into()),
        ("insurance", "enrolled".into()),
        ("qualifications", "玉掛け技能講習 2015-06-01".into()),
    ]
}

async fn post_application(
    app: &TestApp,
    b: &reqwest::Client,
    id: i64,
    fields: &[(&str, String)],
    action: &str,
) -> reqwest::Response {
    let path = format!("/apply/{id}");
    let mut form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    form.push(("action", action));
    // The token from the applicant's page (a sent application shows no form).
    app.submit(b, "/apply/home", &path, &form).await
}

/// A PNG of 480×640 pixels as far as its header goes (the type and size are read from it).
fn png() -> Vec<u8> {
    png_of(480, 640)
}

fn png_of(w: u32, h: u32) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    b.extend_from_slice(&w.to_be_bytes());
    b.extend_from_slice(&h.to_be_bytes());
    b.extend_from_slice(&[8, 2, 0, 0, 0]);
    b.extend_from_slice(&[0u8; 2048]);
    b
}

async fn upload(
    app: &TestApp,
    b: &reqwest::Client,
    id: i64,
    kind: &str,
    name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let html = app.get(b, "/apply/home").await.text().await.unwrap();
    let token = csrf_in(&html);
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", token)
        .text("kind", kind.to_owned())
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
        );
    b.post(app.url(&format!("/apply/{id}/documents")))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

/// The identity document and the face photo every application needs, and a copy of the
/// qualification the complete form lists.
async fn required_documents(app: &TestApp, b: &reqwest::Client, id: i64) {
    for (kind, name) in [
        ("identity", "免許証.png"),
        ("photo", "顔写真.png"),
        ("qualification", "玉掛け.png"),
    ] {
        let r = upload(app, b, id, kind, name, png()).await;
        assert_eq!(location(&r), format!("/apply/{id}?done=document#documents"));
    }
}

/// The ID, initial password and 本人確認番号 of a card notice page.
fn card_secrets(card: &str) -> (String, String, String) {
    let grab = |id: &str| {
        let marker = format!("id=\"{id}\">");
        let start = card.find(&marker).unwrap() + marker.len();
        card[start..start + card[start..].find('<').unwrap()].to_owned()
    };
    (
        grab("card_login_id"),
        grab("card_password"),
        grab("card_code"),
    )
}

async fn the_whole_registration(app: TestApp) {
    let b = applicant(&app).await;
    // A new application; 一時保存 with only the name, then log out and come back.
    let r = app.submit(&b, "/apply/home", "/apply/new", &[]).await;
    let id = application_id(&location(&r));
    let r = post_application(&app, &b, id, &[("name", "田中 一郎".into())], "save").await;
    assert_eq!(location(&r), format!("/apply/{id}?done=saved"));
    app.submit(&b, "/apply/home", "/apply/logout", &[]).await;
    assert_eq!(
        location(&app.get(&b, &format!("/apply/{id}")).await),
        "/apply/login"
    );
    let wrong = app
        .submit(
            &b,
            "/apply/login",
            "/apply/login",
            &[("email", EMAIL), ("password", "not it at all")],
        )
        .await;
    assert_eq!(wrong.status(), 401);
    let r = app
        .submit(
            &b,
            "/apply/login",
            "/apply/login",
            &[("email", EMAIL), ("password", APPLY_PW)],
        )
        .await;
    assert_eq!(location(&r), "/apply/home");
    let home = app.get(&b, "/apply/home").await.text().await.unwrap();
    assert!(home.contains("作成中（一時保存）"));
    let page = app
        .get(&b, &format!("/apply/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("value=\"田中 一郎\""), "the draft is kept");

    // 申請 with items missing or wrong: nothing is lost, each item says what is wrong.
    let mut partial = complete_form("basic");
    partial.retain(|(k, _)| *k != "phone");
    partial.push(("furigana", "田中".into()));
    let r = post_application(&app, &b, id, &partial, "submit").await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("電話番号を入力してください。"));
    assert!(page.contains("フリガナはカタカナで入力してください。"));
    assert!(
        page.contains("東京都千代田区霞が関2-1-3"),
        "what was typed stays"
    );

    // No 申請 without the identity document and the face photo.
    let r = post_application(&app, &b, id, &complete_form("basic"), "submit").await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("申請に必要な書類がまだ提出されていません") && page.contains("顔写真"));
    assert!(
        page.contains("資格証の写し"),
        "the qualification listed needs its copy"
    );
    // A face photo must be an image; a file that is neither image nor PDF is refused.
    let pdf = b"%PDF-1.4\n%\xe2\xe3\n".to_vec();
    let r = upload(&app, &b, id, "photo", "photo.pdf", pdf).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("JPEGまたはPNG"));
    let r = upload(
        &app,
        &b,
        id,
        "identity",
        "card.png",
        b"<html>not an image".to_vec(),
    )
    .await;
    assert_eq!(r.status(), 422);
    required_documents(&app, &b, id).await;
    let page = app
        .get(&b, &format!("/apply/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("免許証.png") && page.contains("顔写真.png"));

    // A complete 申請.
    let r = post_application(&app, &b, id, &complete_form("basic"), "submit").await;
    assert_eq!(location(&r), format!("/apply/{id}?done=submitted"));
    app.wait_for_mail(EMAIL, "登録申請を受け付けました", 1)
        .await;
    let page = app
        .get(&b, &format!("/apply/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("data-status=\"submitted\""));
    assert!(page.contains("2,500円"));
    // Sent applications cannot be changed by the applicant.
    post_application(&app, &b, id, &[("name", "別人".into())], "save").await;
    assert!(!app
        .get(&b, &format!("/apply/{id}"))
        .await
        .text()
        .await
        .unwrap()
        .contains("別人"));

    // Another applicant cannot see it.
    let other = app.browser();
    assert_eq!(
        location(&app.get(&other, &format!("/apply/{id}")).await),
        "/apply/login"
    );

    // An operator cannot screen; a screener can.
    let (operator, _) = app.staff_browser(StaffRole::Operator).await;
    assert_eq!(
        app.get(&operator, "/helpdesk/registrations").await.status(),
        403
    );
    let (screener, _) = app.staff_browser(StaffRole::Screener).await;
    let queue = app
        .get(&screener, "/helpdesk/registrations")
        .await
        .text()
        .await
        .unwrap();
    assert!(queue.contains("田中 一郎"));
    let detail_path = format!("/helpdesk/registrations/{id}");
    let detail = app.get(&screener, &detail_path).await.text().await.unwrap();
    assert!(detail.contains("タナカ イチロウ") && detail.contains("1988-07-15"));
    // The documents open for the screener, and each opening is audited.
    let docs = app
        .state
        .store_for_tools()
        .registrations()
        .application_documents(ApplicationId::new(id))
        .await
        .unwrap();
    assert_eq!(docs.len(), 3);
    let r = app
        .get(
            &screener,
            &format!("{detail_path}/documents/{}", docs[0].id),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(r.bytes().await.unwrap().to_vec(), png());
    assert_eq!(
        app.get(
            &operator,
            &format!("{detail_path}/documents/{}", docs[0].id)
        )
        .await
        .status(),
        403
    );

    // 不備: the phone number does not match the documents.
    let r = app
        .submit(
            &screener,
            &detail_path,
            &format!("{detail_path}/return"),
            &[
                ("flag_phone", "1"),
                ("code_phone", "mismatch"),
                ("comment_phone", "本人確認書類の番号と違います"),
                ("reason", "電話番号の不一致"),
            ],
        )
        .await;
    assert_eq!(location(&r), format!("{detail_path}?done=returned"));
    let mail = app.wait_for_mail(EMAIL, "申請内容不備のお知らせ", 1).await;
    assert!(mail[0]
        .body
        .contains("電話番号: 本人確認書類の内容と一致しません（審査担当者のコメント: 本人確認書類の番号と違います）"));

    // The applicant sees exactly what to fix, and can change only that.
    let page = app
        .get(&b, &format!("/apply/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(
        "不備: 本人確認書類の内容と一致しません（審査担当者のコメント: 本人確認書類の番号と違います）"
    ));
    assert!(page.contains("id=\"phone\" name=\"phone\""));
    assert!(!page.contains("name=\"name\""), "other items are read-only");
    let r = post_application(
        &app,
        &b,
        id,
        &[
            ("phone", "03-1234-5678".into()),
            ("name", "書き換え".into()),
        ],
        "submit",
    )
    .await;
    assert_eq!(location(&r), format!("/apply/{id}?done=submitted"));
    let detail = app.get(&screener, &detail_path).await.text().await.unwrap();
    assert!(detail.contains("03-1234-5678") && detail.contains("田中 一郎"));
    assert!(
        !detail.contains("書き換え"),
        "only the flagged item changed"
    );
    assert!(detail.contains("修正済み"));

    // Approval, the fee, 登録完了.
    let r = app
        .submit(
            &screener,
            &detail_path,
            &format!("{detail_path}/approve"),
            &[("reason", "書類確認済み")],
        )
        .await;
    assert_eq!(location(&r), format!("{detail_path}?done=approved"));
    app.wait_for_mail(EMAIL, "審査完了", 1).await;
    // Not issued before the fee is in.
    let r = app
        .submit(
            &screener,
            &detail_path,
            &format!("{detail_path}/issue"),
            &[],
        )
        .await;
    assert_eq!(location(&r), format!("{detail_path}?done=stale"));
    let r = app
        .submit(
            &screener,
            &detail_path,
            &format!("{detail_path}/payment"),
            &[("reference", "FURIKOMI-0001")],
        )
        .await;
    assert_eq!(location(&r), format!("{detail_path}?done=paid"));
    let card = app
        .submit(
            &screener,
            &detail_path,
            &format!("{detail_path}/issue"),
            &[],
        )
        .await;
    assert_eq!(card.status(), 200);
    assert_eq!(card.headers()["cache-control"], "no-store");
    let card = card.text().await.unwrap();
    let (login_id, initial, code) = card_secrets(&card);
    assert_eq!(code.len(), 4);
    // The card notice as a PDF, inline: the ID and the 本人確認番号 in it, never stored.
    let marker = "href=\"data:application/pdf;base64,";
    let start = card.find(marker).expect("the card PDF link") + marker.len();
    let b64 = &card[start..start + card[start..].find('"').unwrap()];
    let pdf = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    assert!(pdf.starts_with(b"%PDF-") && pdf.trim_ascii_end().ends_with(b"%%EOF"));
    let text = ccus_documents::testing::pdf_text(&pdf);
    assert!(text.contains(&login_id), "the ID is on the card");
    assert!(text.contains(&code), "the 本人確認番号 is on the card");
    assert!(text.contains("田中 一郎"));
    // The 登録完了 mail has the ID, never the password.
    let mail = app.wait_for_mail(EMAIL, "登録完了のお知らせ", 1).await;
    assert!(mail[0].body.contains(&login_id));
    assert!(!mail[0].body.contains(&initial));
    // Issued once only: a second click is told so (and offered the card again).
    let again = app
        .submit(
            &screener,
            &detail_path,
            &format!("{detail_path}/issue"),
            &[],
        )
        .await;
    assert_eq!(location(&again), format!("{detail_path}?done=issued"));
    let page = app
        .get(&b, &format!("/apply/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("登録が完了しました"));

    // The first login with the card: initial password, then the 本人確認番号 and a new one.
    let person = app.browser();
    let r = app
        .login(&person, AccountKind::Technician, &login_id, &initial)
        .await;
    assert_eq!(location(&r), "/ccus_skill/password/initial");
    let r = app
        .submit(
            &person,
            "/ccus_skill/password/initial",
            "/ccus_skill/password/initial",
            &[
                ("security_code", code.as_str()),
                ("password", "cedar beams and mortar"),
                ("password_confirm", "cedar beams and mortar"),
            ],
        )
        .await;
    assert_eq!(location(&r), "/ccus_skill/home?done=password");

    // Every decision is in the audit log.
    let audit = ccus_app::audit::helpdesk_log(&app.state, 50).await.unwrap();
    for a in [
        AuditAction::ApplicationReturned,
        AuditAction::ApplicationApproved,
        AuditAction::FeePaid,
        AuditAction::RegistrationIssued,
    ] {
        assert!(audit.iter().any(|e| e.is(a)), "{a:?} in {audit:?}");
    }

    // The same person cannot be registered twice.
    let r = app.submit(&b, "/apply/home", "/apply/new", &[]).await;
    let second = application_id(&location(&r));
    required_documents(&app, &b, second).await;
    let r = post_application(&app, &b, second, &complete_form("detailed"), "submit").await;
    assert_eq!(r.status(), 409);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("すでに技能者として登録されています"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_technician_applies_is_screened_and_logs_in_with_the_card_on_sqlite() {
    the_whole_registration(app_on(ccus_storage::testdb::sqlite_url()).await).await;
}

#[ccus_test_macros::postgres_variant]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_technician_applies_is_screened_and_logs_in_with_the_card_on_postgres() {
    let Some(url) = ccus_storage::testdb::postgres_url().await else {
        eprintln!("skipped: {} is not set", ccus_storage::testdb::POSTGRES_ENV);
        return;
    };
    the_whole_registration(app_on(url).await).await;
}

#[tokio::test]
async fn starting_twice_says_nothing_about_the_address_and_mails_the_owner() {
    let app = app_on(ccus_storage::testdb::sqlite_url()).await;
    let _ = applicant(&app).await;
    let b = app.browser();
    let r = app
        .submit(&b, "/apply/start", "/apply/start", &[("email", EMAIL)])
        .await;
    assert_eq!(r.status(), 200, "the same answer as for a new address");
    assert!(r.text().await.unwrap().contains("確認メールを送信しました"));
    app.wait_for_mail(EMAIL, "申請用IDはすでに作成されています", 1)
        .await;
    let bad = app
        .submit(
            &b,
            "/apply/start",
            "/apply/start",
            &[("email", "not an address")],
        )
        .await;
    assert_eq!(bad.status(), 422);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn abandoned_drafts_are_deleted_after_the_stated_period() {
    let app = app_on(ccus_storage::testdb::sqlite_url()).await;
    let b = applicant(&app).await;
    let r = app.submit(&b, "/apply/home", "/apply/new", &[]).await;
    let abandoned = application_id(&location(&r));
    post_application(&app, &b, abandoned, &[("name", "途中 太郎".into())], "save").await;
    let r = upload(&app, &b, abandoned, "photo", "face.png", png()).await;
    assert_eq!(r.status(), 303);
    let file = app
        .state
        .store_for_tools()
        .registrations()
        .application_documents(ApplicationId::new(abandoned))
        .await
        .unwrap()[0]
        .stored_name
        .clone();
    assert!(app.attachments_dir.join(&file).exists());
    let r = app.submit(&b, "/apply/home", "/apply/new", &[]).await;
    let sent = application_id(&location(&r));
    required_documents(&app, &b, sent).await;
    let r = post_application(&app, &b, sent, &complete_form("basic"), "submit").await;
    assert_eq!(location(&r), format!("/apply/{sent}?done=submitted"));
    let store = app.state.store_for_tools();
    // Kept within the period…
    app.clock
        .advance(std::time::Duration::from_secs(179 * 24 * 3600));
    app.state.clean_up_once().await;
    assert!(store
        .registrations()
        .application(ApplicationId::new(abandoned))
        .await
        .unwrap()
        .is_some());
    // …and gone with its items after it; a sent application stays.
    app.clock
        .advance(std::time::Duration::from_secs(2 * 24 * 3600));
    app.state.clean_up_once().await;
    assert!(store
        .registrations()
        .application(ApplicationId::new(abandoned))
        .await
        .unwrap()
        .is_none());
    assert!(store
        .registrations()
        .application_fields(ApplicationId::new(abandoned))
        .await
        .unwrap()
        .is_empty());
    assert!(store
        .registrations()
        .application(ApplicationId::new(sent))
        .await
        .unwrap()
        .is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_screener_corrects_a_trivial_item_on_record_and_an_applicant_withdraws() {
    let app = app_on(ccus_storage::testdb::sqlite_url()).await;
    let b = applicant(&app).await;
    let r = app.submit(&b, "/apply/home", "/apply/new", &[]).await;
    let id = application_id(&location(&r));
    required_documents(&app, &b, id).await;
    let r = post_application(&app, &b, id, &complete_form("basic"), "submit").await;
    assert_eq!(location(&r), format!("/apply/{id}?done=submitted"));
    let (screener, _) = app.staff_browser(StaffRole::Screener).await;
    let detail = format!("/helpdesk/registrations/{id}");
    let correct = format!("{detail}/correct");
    // A reason is required, and the value must be valid for the item.
    let r = app
        .submit(
            &screener,
            &detail,
            &correct,
            &[
                ("field", "postal_code"),
                ("value", "100-0014"),
                ("reason", ""),
            ],
        )
        .await;
    // The page again, with the reason said at the box and the value kept.
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("根拠（確認した書類）を入力してください。"));
    assert!(page.contains("value=\"100-0014\""));
    let r = app
        .submit(
            &screener,
            &detail,
            &correct,
            &[
                ("field", "postal_code"),
                ("value", "1000"),
                ("reason", "住民票"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("郵便番号は7桁の数字で入力してください"));
    let r = app
        .submit(
            &screener,
            &detail,
            &correct,
            &[
                ("field", "postal_code"),
                ("value", "100-0014"),
                ("reason", "住民票の写しで確認"),
            ],
        )
        .await;
    assert_eq!(location(&r), format!("{detail}?done=corrected"));
    let fields = app
        .state
        .store_for_tools()
        .registrations()
        .application_fields(ApplicationId::new(id))
        .await
        .unwrap();
    assert!(fields.contains(&("postal_code".into(), "100-0014".into())));
    let audit = ccus_app::audit::helpdesk_log(&app.state, 10).await.unwrap();
    let entry = audit
        .iter()
        .find(|e| e.is(AuditAction::ApplicationCorrected))
        .unwrap();
    assert_eq!(entry.reason, "住民票の写しで確認");
    assert!(
        matches!(&entry.detail, AuditDetail::Corrected { field, old, new, .. }
            if field == "postal_code" && old == "１００－００１３" && new == "100-0014"),
        "{:?}",
        entry.detail
    );
    assert!(entry
        .detail_words(Lang::Ja)
        .contains("「１００－００１３」→「100-0014」"));

    // The applicant withdraws; it can no longer be screened or changed.
    let r = app
        .submit(
            &b,
            &format!("/apply/{id}"),
            &format!("/apply/{id}/withdraw"),
            &[],
        )
        .await;
    assert_eq!(location(&r), format!("/apply/{id}?done=withdrawn"));
    let page = app
        .get(&b, &format!("/apply/{id}?done=withdrawn"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("申請を取り下げました") && page.contains("data-status=\"closed\""));
    let page = app
        .get(&b, &format!("/apply/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("この申請は終了しています") && !page.contains("申請を取り下げる"));
    let r = app
        .submit(
            &screener,
            &detail,
            &format!("{detail}/approve"),
            &[("reason", "x")],
        )
        .await;
    assert_eq!(location(&r), format!("{detail}?done=stale"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_business_applies_pays_by_capital_and_its_holder_logs_in_at_the_business_entrance() {
    let app = app_on(ccus_storage::testdb::sqlite_url()).await;
    let b = applicant(&app).await;
    let r = app
        .submit(&b, "/apply/home", "/apply/new", &[("kind", "business")])
        .await;
    let id = application_id(&location(&r));
    let page = app
        .get(&b, &format!("/apply/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("事業者登録の申請") && page.contains("資本金"));
    assert!(
        !page.contains("生年月日"),
        "a business is not asked a birth date"
    );
    let form: Vec<(&str, String)> = vec![
        ("company_name", "株式会社 見本建設".into()),
        ("company_furigana", "カブシキガイシャ ミホンケンセツ".into()),
        ("representative", "見本 太郎".into()),
        ("sole_proprietor", "company".into()),
        ("capital", "3,000万".into()),
        ("permit", "東京都知事許可（般-5）第123456号".into()),
        ("trades", "土木一式".into()),
        ("postal_code", "100-0013".into()),
        ("address", "東京都千代田区霞が関2-1-3".into()),
        ("phone", "03-1234-5678".into()),
        ("contact", "見本 花子".into()),
    ];
    // The registry certificate and, with a permit, the permit are needed.
    let r = post_application(&app, &b, id, &form, "submit").await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("登記事項証明書") && page.contains("建設業許可通知書"));
    for (kind, name) in [("company_registry", "登記.pdf"), ("permit", "許可.pdf")] {
        let r = upload(&app, &b, id, kind, name, b"%PDF-1.4\n%\xe2\xe3\n".to_vec()).await;
        assert_eq!(r.status(), 303, "{kind}");
    }
    // A technician's document kind is not taken for a business.
    let r = upload(&app, &b, id, "photo", "face.png", png()).await;
    assert_eq!(r.status(), 422);
    let r = post_application(&app, &b, id, &form, "submit").await;
    assert_eq!(location(&r), format!("/apply/{id}?done=submitted"));
    // 3,000万円 of capital: ¥48,000 for 5 years.
    let page = app
        .get(&b, &format!("/apply/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("48,000円"), "{page}");

    let (screener, _) = app.staff_browser(StaffRole::Screener).await;
    let detail = format!("/helpdesk/registrations/{id}");
    let queue = app
        .get(&screener, "/helpdesk/registrations")
        .await
        .text()
        .await
        .unwrap();
    assert!(queue.contains("株式会社 見本建設"));
    app.submit(
        &screener,
        &detail,
        &format!("{detail}/approve"),
        &[("reason", "登記で確認")],
    )
    .await;
    app.submit(
        &screener,
        &detail,
        &format!("{detail}/payment"),
        &[("reference", "FURIKOMI-0002")],
    )
    .await;
    let card = app
        .submit(&screener, &detail, &format!("{detail}/issue"), &[])
        .await
        .text()
        .await
        .unwrap();
    assert!(card.contains("事業者登録のお知らせ"));
    let grab = |id: &str| {
        let marker = format!("id=\"{id}\">");
        let start = card.find(&marker).unwrap() + marker.len();
        card[start..start + card[start..].find('<').unwrap()].to_owned()
    };
    let (login_id, initial) = (grab("card_login_id"), grab("card_password"));
    assert!(login_id.starts_with('2'), "a 事業者ID: {login_id}");
    let r = app
        .login(&app.browser(), AccountKind::Business, &login_id, &initial)
        .await;
    assert_eq!(location(&r), "/ccus_owner/password/initial");
    let mail = app.wait_for_mail(EMAIL, "登録完了のお知らせ", 1).await;
    assert!(mail[0].body.contains("事業者ID"));
}

const WORKER: &str = "tanaka.worker@example.jp";

fn body_has(page: &str, parts: &[&str]) {
    for p in parts {
        assert!(page.contains(p), "no 「{p}」 in:\n{page}");
    }
}

/// 代行申請: a business applies for its worker from its portal, the worker consents by the
/// mailed link (asked again when the person named changes, or shown by a signed 同意書), and
/// the issued login goes to the worker alone.
async fn a_business_applies_for_its_worker(app: TestApp) {
    let biz = app.account(AccountKind::Business).await;
    let b = app.browser();
    app.login(
        &b,
        AccountKind::Business,
        &biz.login_id.to_string(),
        &biz.password,
    )
    .await;
    let menu = app.get(&b, "/ccus_owner/home").await.text().await.unwrap();
    assert!(menu.contains("href=\"/ccus_owner/proxy\""));
    assert_eq!(app.get(&b, "/ccus_owner/proxy").await.status(), 200);
    let r = app
        .submit(&b, "/ccus_owner/proxy", "/ccus_owner/proxy", &[])
        .await;
    assert_eq!(location(&r), "/apply/home");
    let home = app.get(&b, "/apply/home").await.text().await.unwrap();
    body_has(
        &home,
        &[
            "代行申請: ",
            "株式会社 見本建設",
            "技能者の代行申請を新しく始める",
        ],
    );
    // Only technicians' applications, with the business as employer.
    let r = app
        .submit(&b, "/apply/home", "/apply/new", &[("kind", "business")])
        .await;
    let id = application_id(&location(&r));
    let a = app
        .state
        .store_for_tools()
        .registrations()
        .application(ApplicationId::new(id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(a.kind, "technician");
    let page = app
        .get(&b, &format!("/apply/{id}"))
        .await
        .text()
        .await
        .unwrap();
    body_has(
        &page,
        &[
            &biz.login_id.to_string(),
            "まだ同意を依頼していません",
            "代行申請同意書",
        ],
    );
    required_documents(&app, &b, id).await;

    // The worker's own address is needed, and the business's own is refused.
    let r = post_application(&app, &b, id, &complete_form("basic"), "submit").await;
    assert_eq!(r.status(), 422);
    body_has(
        &r.text().await.unwrap(),
        &["本人のメールアドレスが必要です"],
    );
    let mut form = complete_form("basic");
    form.push(("email", "someone@example.jp".into()));
    let r = post_application(&app, &b, id, &form, "submit").await;
    assert_eq!(r.status(), 422);
    body_has(
        &r.text().await.unwrap(),
        &["代行申請する事業者や、その管理者IDのメールアドレス"],
    );
    let mut form = complete_form("basic");
    form.push(("email", WORKER.into()));
    // Not without the worker's consent.
    let r = post_application(&app, &b, id, &form, "submit").await;
    assert_eq!(r.status(), 422);
    body_has(
        &r.text().await.unwrap(),
        &["本人の同意がまだ確認できません"],
    );
    let r = post_application(&app, &b, id, &form, "save").await;
    assert_eq!(location(&r), format!("/apply/{id}?done=saved"));

    // The request goes to the worker, who consents from the link.
    let r = app
        .submit(
            &b,
            &format!("/apply/{id}"),
            &format!("/apply/{id}/consent"),
            &[],
        )
        .await;
    assert_eq!(location(&r), format!("/apply/{id}?done=consent"));
    let mail = app
        .wait_for_mail(WORKER, "技能者登録の代行申請への同意のお願い", 1)
        .await;
    body_has(&mail[0].body, &["株式会社 見本建設", "田中 一郎"]);
    let link = link_in(&mail[0].body, "/apply/consent");
    let worker = app.browser();
    let page = app.get(&worker, &link).await;
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["referrer-policy"], "same-origin");
    body_has(
        &page.text().await.unwrap(),
        &["株式会社 見本建設", "田中 一郎", "1988-07-15", WORKER],
    );
    let token = link.split("token=").nth(1).unwrap().to_owned();
    let r = app
        .submit(
            &worker,
            &link,
            "/apply/consent",
            &[("token", &token), ("answer", "yes")],
        )
        .await;
    assert_eq!(r.status(), 200);
    body_has(&r.text().await.unwrap(), &["代行申請に同意しました"]);
    app.wait_for_mail("someone@example.jp", "代行申請に本人が同意しました", 1)
        .await;
    // Answered once only.
    assert_eq!(app.get(&worker, &link).await.status(), 410);
    let page = app
        .get(&b, &format!("/apply/{id}"))
        .await
        .text()
        .await
        .unwrap();
    body_has(&page, &["本人が同意しました"]);

    // Changing who the application names asks again; a signed 同意書 also shows consent.
    let mut changed = form.clone();
    changed.retain(|(k, _)| *k != "birth_date");
    changed.push(("birth_date", "1988-07-16".into()));
    let r = post_application(&app, &b, id, &changed, "submit").await;
    assert_eq!(r.status(), 422);
    body_has(
        &r.text().await.unwrap(),
        &["本人の同意がまだ確認できません"],
    );
    let r = upload(
        &app,
        &b,
        id,
        "proxy_consent",
        "同意書.pdf",
        b"%PDF-1.4\n%\xe2\xe3\n".to_vec(),
    )
    .await;
    assert_eq!(location(&r), format!("/apply/{id}?done=document#documents"));
    let r = post_application(&app, &b, id, &changed, "submit").await;
    assert_eq!(location(&r), format!("/apply/{id}?done=submitted"));

    // The screener sees who applied and how the worker consented.
    let (screener, _) = app.staff_browser(StaffRole::Screener).await;
    let detail_path = format!("/helpdesk/registrations/{id}");
    let detail = app.get(&screener, &detail_path).await.text().await.unwrap();
    body_has(
        &detail,
        &[
            "代行申請: 株式会社 見本建設",
            "代行申請同意書を提出済みです",
        ],
    );
    for (action, form) in [
        ("approve", vec![("reason", "同意書と本人確認書類で確認")]),
        ("payment", vec![("reference", "FURIKOMI-0200")]),
    ] {
        app.submit(
            &screener,
            &detail_path,
            &format!("{detail_path}/{action}"),
            &form,
        )
        .await;
    }
    let card = app
        .submit(
            &screener,
            &detail_path,
            &format!("{detail_path}/issue"),
            &[],
        )
        .await;
    assert_eq!(card.status(), 200);
    let card = card.text().await.unwrap();
    let (login_id, initial, code) = card_secrets(&card);

    // The ID goes to the worker; the business is told the ID, never the secrets.
    let mail = app.wait_for_mail(WORKER, "登録完了のお知らせ", 1).await;
    assert!(mail[0].body.contains(&login_id));
    let told = app
        .wait_for_mail("someone@example.jp", "代行申請の登録完了のお知らせ", 1)
        .await;
    assert!(told[0].body.contains(&login_id));
    assert!(!told[0].body.contains(&initial) && !told[0].body.contains(&code));
    assert!(app
        .mails_to("someone@example.jp")
        .iter()
        .all(|m| !m.body.contains(&initial)));
    let id_digits: String = login_id.chars().filter(char::is_ascii_digit).collect();
    let account = app
        .state
        .store_for_tools()
        .accounts()
        .account_by_login_id(&ccus_domain::LoginId::parse(&id_digits).unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(account.email, WORKER);
    let page = app
        .get(&b, &format!("/apply/{id}"))
        .await
        .text()
        .await
        .unwrap();
    body_has(&page, &["ログインは本人だけが行います"]);

    // The worker's first login with the card.
    let w = app.browser();
    let r = app
        .login(&w, AccountKind::Technician, &id_digits, &initial)
        .await;
    assert_eq!(location(&r), "/ccus_skill/password/initial");

    // The 代行申請 login has no password of its own.
    let biz_id = app
        .state
        .store_for_tools()
        .accounts()
        .account_by_login_id(&biz.login_id)
        .await
        .unwrap()
        .unwrap()
        .id;
    let r = app
        .submit(
            &app.browser(),
            "/apply/login",
            "/apply/login",
            &[("email", &format!("#business-{biz_id}")), ("password", "x")],
        )
        .await;
    assert_eq!(r.status(), 401);
    // A technician has no 代行申請.
    let t = app.account(AccountKind::Technician).await;
    let tb = app.browser();
    app.login(
        &tb,
        AccountKind::Technician,
        &t.login_id.to_string(),
        &t.password,
    )
    .await;
    assert_ne!(app.get(&tb, "/ccus_owner/proxy").await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_business_applies_for_its_worker_with_consent_on_sqlite() {
    a_business_applies_for_its_worker(app_on(ccus_storage::testdb::sqlite_url()).await).await;
}

#[ccus_test_macros::postgres_variant]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_business_applies_for_its_worker_with_consent_on_postgres() {
    let Some(url) = ccus_storage::testdb::postgres_url().await else {
        eprintln!("skipped: {} is not set", ccus_storage::testdb::POSTGRES_ENV);
        return;
    };
    a_business_applies_for_its_worker(app_on(url).await).await;
}

/// Japanese text of the registration pages that must not be left on a page in another language.
const JAPANESE_ONLY: &[&str] = &[
    "技能者登録の申請",
    "申請の状況",
    "入力してください",
    "選んでください",
    "一時保存しました",
    "申請に必要な書類がまだ提出されていません",
    "（未入力）",
];

fn none_of(page: &str, parts: &[&str]) {
    for p in parts {
        assert!(!page.contains(p), "「{p}」 left in:\n{page}");
    }
}

/// An applicant reads the registration pages, their problems and refusals in English.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_applicant_applies_in_english() {
    let app = app_on(ccus_storage::testdb::sqlite_url()).await;
    // The top page and the start of the application login, before anyone is signed in.
    let guest = app.browser();
    app.get(&guest, "/lang/en?back=/apply").await;
    let top = app.get(&guest, "/apply").await.text().await.unwrap();
    body_has(
        &top,
        &[
            "<html lang=\"en\">",
            "Apply for technician registration",
            "Make an application ID (申請用ID)",
            "Basic (簡略型)",
        ],
    );
    none_of(&top, JAPANESE_ONLY);
    let r = app
        .submit(
            &guest,
            "/apply/start",
            "/apply/start",
            &[("email", "not an address")],
        )
        .await;
    assert_eq!(r.status(), 422);
    body_has(
        &r.text().await.unwrap(),
        &["This email address is not valid. Please check what you typed."],
    );
    let gone = app.get(&guest, "/apply/consent?token=nothing").await;
    assert_eq!(gone.status(), 410);
    body_has(
        &gone.text().await.unwrap(),
        &["This link has expired or has already been answered"],
    );

    let b = applicant(&app).await;
    app.get(&b, "/lang/en?back=/apply/home").await;
    let home = app.get(&b, "/apply/home").await.text().await.unwrap();
    body_has(
        &home,
        &["Your applications", "Start a new technician registration"],
    );
    none_of(&home, JAPANESE_ONLY);
    let r = app.submit(&b, "/apply/home", "/apply/new", &[]).await;
    let id = application_id(&location(&r));
    let page = app
        .get(&b, &format!("/apply/{id}"))
        .await
        .text()
        .await
        .unwrap();
    body_has(
        &page,
        &[
            &format!("Technician registration (application no. {id})"),
            "Name (氏名)",
            "Date of birth",
            "Please choose",
            "Save draft",
            "Draft (saved)",
            "Face photo (taken in the last 6 months",
        ],
    );
    none_of(&page, JAPANESE_ONLY);

    // Problems with the items, each next to its item, with the item's English label.
    let mut form = complete_form("basic");
    form.retain(|(k, _)| *k != "phone");
    form.iter_mut().find(|(k, _)| *k == "furigana").unwrap().1 = "田中 一郎".into();
    let r = post_application(&app, &b, id, &form, "submit").await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    body_has(
        &page,
        &[
            "Please check what you typed (2 items)",
            "Please fill in “Phone number”.",
            "Write the furigana in katakana.",
            "The application is not submitted yet.",
        ],
    );
    none_of(&page, JAPANESE_ONLY);
    let r = post_application(&app, &b, id, &complete_form("basic"), "submit").await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    body_has(
        &page,
        &[
            "Documents needed for the application are not uploaded yet",
            "• Face photo (taken in the last 6 months",
        ],
    );
    none_of(&page, JAPANESE_ONLY);

    // A refused photo says why.
    let r = upload(&app, &b, id, "photo", "small.png", png_of(100, 120)).await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    body_has(
        &page,
        &[
            "The document could not be uploaded",
            "The face photo is too small (100×120 pixels)",
        ],
    );
    let r = post_application(&app, &b, id, &complete_form("basic"), "save").await;
    assert_eq!(location(&r), format!("/apply/{id}?done=saved"));
    let page = app
        .get(&b, &format!("/apply/{id}?done=saved"))
        .await
        .text()
        .await
        .unwrap();
    body_has(
        &page,
        &[
            "Your draft is saved",
            "Basic (簡略型)",
            "Registration fee: ¥2,500",
        ],
    );
    none_of(&page, JAPANESE_ONLY);
}

/// The same pages in やさしい日本語, and a business's 代行申請 entrance in English.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_applicant_applies_in_easy_japanese_and_a_business_opens_proxy_in_english() {
    let app = app_on(ccus_storage::testdb::sqlite_url()).await;
    let b = applicant(&app).await;
    app.get(&b, "/lang/easy?back=/apply/home").await;
    let top = app.get(&b, "/apply").await.text().await.unwrap();
    body_has(
        &top,
        &[
            "技能者（ぎのうしゃ）の とうろくを 申請（しんせい）する",
            "申請用ID（しんせいよう ID）を つくる",
        ],
    );
    let home = app.get(&b, "/apply/home").await.text().await.unwrap();
    body_has(&home, &["申請の じょうきょう"]);
    let r = app.submit(&b, "/apply/home", "/apply/new", &[]).await;
    let id = application_id(&location(&r));
    let mut form = complete_form("basic");
    form.retain(|(k, _)| *k != "phone");
    let r = post_application(&app, &b, id, &form, "submit").await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    body_has(
        &page,
        &[
            "生年月日（うまれた 日）",
            "電話番号（でんわ ばんごう）を 書いて ください。",
            "書いた ことを 見て ください（1か所）",
            "一時保存（いちじ ほぞん）",
        ],
    );
    none_of(
        &page,
        &["電話番号を入力してください。", "入力内容を確認してください"],
    );

    let biz = app.account(AccountKind::Business).await;
    let owner = app.browser();
    app.login(
        &owner,
        AccountKind::Business,
        &biz.login_id.to_string(),
        &biz.password,
    )
    .await;
    app.get(&owner, "/lang/en?back=/ccus_owner/proxy").await;
    let page = app
        .get(&owner, "/ccus_owner/proxy")
        .await
        .text()
        .await
        .unwrap();
    body_has(
        &page,
        &[
            "Apply for a technician (代行申請)",
            "Open the application page",
        ],
    );
    app.submit(&owner, "/ccus_owner/proxy", "/ccus_owner/proxy", &[])
        .await;
    let home = app.get(&owner, "/apply/home").await.text().await.unwrap();
    body_has(
        &home,
        &[
            "Applying on behalf of workers as: <strong>株式会社 見本建設 (business ID",
            "Start a new application for a worker",
        ],
    );
}
