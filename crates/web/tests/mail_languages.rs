//! Mail in the reader's language over HTTP: an account's mail follows the language of its last
//! login; a request without an account (an application login, an inquiry) is answered in the
//! language it was made in, also when the answer comes later (the helpdesk's reply, screening).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ccus_app::helpdesk::{act_on_inquiry, InquiryAction};
use ccus_app::registration::{self, DecideOutcome, Decision};
use ccus_domain::registration::{ApplicationKind, DefectCode, Field, Status};
use ccus_domain::{AccountKind, ApplicationId};
use ccus_storage::StaffRole;
use ccus_testkit::*;

const TECH: AccountKind = AccountKind::Technician;

/// A browser that reads the portal in `lang` (`en`, `easy`).
async fn browser_in(app: &TestApp, lang: &str) -> reqwest::Client {
    let b = app.browser();
    app.get(&b, &format!("/lang/{lang}?back=/")).await;
    b
}

async fn ask_email_change(app: &TestApp, b: &reqwest::Client, t: &Account, to: &str) {
    let page = "/ccus_skill/email/change";
    let r = app
        .submit(
            b,
            page,
            page,
            &[("current_password", &t.password), ("new_email", to)],
        )
        .await;
    assert_eq!(r.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_email_change_mails_follow_the_language_of_the_last_login() {
    let app = spawn_app().await;
    let t = app.account(TECH).await;
    let en = browser_in(&app, "en").await;
    let r = app.login(&en, TECH, t.login_id.as_str(), &t.password).await;
    assert_eq!(location(&r), "/ccus_skill/home");
    ask_email_change(&app, &en, &t, "new@example.jp").await;
    let confirm = app
        .wait_for_mail(
            "new@example.jp",
            "[Construction Career Up System] Confirm your new email address",
            1,
        )
        .await
        .remove(0);
    assert!(
        confirm.body.starts_with("Dear 建設 太郎,"),
        "{}",
        confirm.body
    );
    assert!(confirm
        .body
        .contains("Open this link to confirm the change."));
    assert!(!confirm.body.contains("変更を確定"));
    let link = link_in(&confirm.body, "/ccus_skill/email/confirm");
    let html = app.get(&en, &link).await.text().await.unwrap();
    let token = link.split("token=").nth(1).unwrap();
    en.post(app.url("/ccus_skill/email/confirm"))
        .form(&[("token", token), ("csrf_token", csrf_in(&html).as_str())])
        .send()
        .await
        .unwrap();
    let old = app
        .wait_for_mail(
            "someone@example.jp",
            "Your registered email address was changed",
            1,
        )
        .await
        .remove(0);
    assert!(old.body.contains(&format!(
        "The registered email address of technician ID {} was changed.",
        t.login_id.grouped()
    )));
    assert!(old.body.contains("Browser: "));
    assert!(old.body.contains("Construction Career Up System (CCUS)"));

    // The next login is in やさしい日本語: so is the next mail.
    let easy = browser_in(&app, "easy").await;
    app.login(&easy, TECH, t.login_id.as_str(), &t.password)
        .await;
    ask_email_change(&app, &easy, &t, "third@example.jp").await;
    let confirm = app
        .wait_for_mail("third@example.jp", "メールアドレスを かえる かくにん", 1)
        .await
        .remove(0);
    assert!(
        confirm.body.starts_with("建設 太郎 さん"),
        "{}",
        confirm.body
    );
    assert!(confirm.body.contains("/ccus_skill/email/confirm?token="));

    // And back to Japanese: the mail is exactly the Japanese one.
    let ja = app.browser();
    app.login(&ja, TECH, t.login_id.as_str(), &t.password).await;
    ask_email_change(&app, &ja, &t, "fourth@example.jp").await;
    let confirm = app
        .wait_for_mail(
            "fourth@example.jp",
            "【建設キャリアアップシステム】メールアドレス変更の確認",
            1,
        )
        .await
        .remove(0);
    assert!(
        confirm.body.replace("\r\n", "\n").starts_with(
            "建設 太郎 様\n\n登録メールアドレスをこのアドレスに変更するお申し込みを受け付けました。\n"
        ),
        "{}",
        confirm.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn switching_language_while_logged_in_switches_the_mail_too_but_not_from_another_site() {
    let app = spawn_app().await;
    let t = app.account(TECH).await;
    let b = app.browser();
    app.login(&b, TECH, t.login_id.as_str(), &t.password).await;
    let id = app
        .state
        .store_for_tools()
        .accounts()
        .account_by_login_id(&t.login_id)
        .await
        .unwrap()
        .unwrap()
        .id;
    let stored = || async {
        app.state
            .store_for_tools()
            .accounts()
            .account_language(id)
            .await
            .unwrap()
    };
    assert_eq!(stored().await.as_deref(), Some("ja"));
    // A link on another site changes what this browser shows, not the account's mail.
    let r = b
        .get(app.url("/lang/en?back=/ccus_skill/home"))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success() || r.status().is_redirection());
    assert_eq!(stored().await.as_deref(), Some("ja"));
    // The switch on our own page: the mail follows.
    b.get(app.url("/lang/en?back=/ccus_skill/home"))
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .unwrap();
    assert_eq!(stored().await.as_deref(), Some("en"));
    ask_email_change(&app, &b, &t, "switched@example.jp").await;
    app.wait_for_mail("switched@example.jp", "Confirm your new email address", 1)
        .await;
    // Logged out, the switch only sets the cookie.
    let other = app.browser();
    other
        .get(app.url("/lang/easy?back=/"))
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .unwrap();
    assert_eq!(stored().await.as_deref(), Some("en"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_application_login_is_confirmed_in_the_language_it_was_asked_in() {
    let app = spawn_app().await;
    for (lang, subject, line) in [
        (
            "en",
            "Create your application ID",
            "Open this link and choose a password for your application",
        ),
        (
            "easy",
            "申請用ID（しんせいよう ID）を つくる",
            "つぎの リンクを ひらいて",
        ),
    ] {
        let b = browser_in(&app, lang).await;
        let to = format!("{lang}@example.jp");
        app.submit(&b, "/apply/start", "/apply/start", &[("email", &to)])
            .await;
        let mail = app.wait_for_mail(&to, subject, 1).await.remove(0);
        assert!(mail.body.contains(line), "{}", mail.body);
        assert!(mail.body.contains("/apply/confirm?token="));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_inquiry_in_english_is_received_and_answered_in_english() {
    let app = spawn_app().await;
    let b = browser_in(&app, "en").await;
    let html = app.get(&b, "/inquiry").await.text().await.unwrap();
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", csrf_in(&html))
        .text("category", "ID照会")
        .text("login_id", "")
        .text("name", "Nguyen Van An")
        .text("furigana", "グエン　バン　アン")
        .text("birth_date", "1995年4月1日")
        .text("employer", "見本建設")
        .text("email", "an@example.jp")
        .text("phone", "")
        .text("message", "I forgot my technician ID.");
    let r = b
        .post(app.url("/inquiry"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success() || r.status().is_redirection());
    let received = app
        .wait_for_mail("an@example.jp", "We received your inquiry", 1)
        .await
        .remove(0);
    let q = app
        .state
        .store_for_tools()
        .inquiries()
        .list(None, 10)
        .await
        .unwrap()
        .remove(0);
    assert!(received
        .body
        .contains(&format!("Receipt number: {}", q.receipt)));
    assert!(received.body.contains("Type: Your ID"));

    let (staff_id, _) = ccus_app::account::provisioning::create_staff(
        &app.state,
        "窓口 花子",
        "desk@example.jp",
        StaffRole::Operator,
        Some("helpdesk desk password".into()),
    )
    .await
    .unwrap();
    let staff = app
        .state
        .store_for_tools()
        .staff()
        .staff_by_staff_id(&staff_id)
        .await
        .unwrap()
        .unwrap();
    assert!(act_on_inquiry(
        &app.state,
        &staff,
        &q,
        InquiryAction::Reply("Your technician ID was sent to you.".into()),
    )
    .await
    .unwrap());
    let reply = app
        .wait_for_mail("an@example.jp", "Answer to your inquiry", 1)
        .await
        .remove(0);
    assert!(reply.body.starts_with(&format!(
        "This is the answer to your inquiry (receipt number: {}).",
        q.receipt
    )));
    assert!(reply.body.contains("Your technician ID was sent to you."));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn screening_answers_in_the_language_the_application_was_sent_in() {
    let app = spawn_app().await;
    let store = app.state.store_for_tools();
    let now = app.state.clock().now();
    let (staff_id, _) = ccus_app::account::provisioning::create_staff(
        &app.state,
        "審査 花子",
        "screen@example.jp",
        StaffRole::Screener,
        Some("helpdesk desk password".into()),
    )
    .await
    .unwrap();
    let staff = store
        .staff()
        .staff_by_staff_id(&staff_id)
        .await
        .unwrap()
        .unwrap();
    // Two submitted applications, one sent in English and one in やさしい日本語.
    let mut ids = Vec::new();
    for (email, lang) in [("en@example.jp", "en"), ("easy@example.jp", "easy")] {
        let mut tx = store.begin().await.unwrap();
        let applicant = tx
            .registrations()
            .create_applicant(email, email, "not a hash", now)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let applicant = store
            .registrations()
            .applicant(applicant)
            .await
            .unwrap()
            .unwrap();
        let registration::NewApplication::Created(id) =
            registration::new_application(&app.state, &applicant, ApplicationKind::Technician)
                .await
                .unwrap()
        else {
            panic!("no application started");
        };
        let mut tx = store.begin().await.unwrap();
        assert!(tx
            .registrations()
            .move_application(
                ApplicationId::new(id),
                Status::Draft,
                Status::Submitted,
                now
            )
            .await
            .unwrap());
        tx.languages()
            .set_application_language(ApplicationId::new(id), lang, now)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        ids.push(id);
    }
    assert_eq!(
        registration::decide(
            &app.state,
            &staff,
            ApplicationId::new(ids[0]),
            Decision::Return(vec![(
                Field::BirthDate,
                DefectCode::Mismatch,
                "See the residence card".into()
            )]),
            "在留カードと不一致",
        )
        .await
        .unwrap(),
        DecideOutcome::Done
    );
    let returned = app
        .wait_for_mail("en@example.jp", "Please correct your application", 1)
        .await
        .remove(0);
    assert!(returned
        .body
        .contains(&format!("(application number {})", ids[0])));
    assert!(returned.body.contains(
        "- Date of birth: Does not match your identity document (the screener's comment: See the residence card)"
    ));
    assert_eq!(
        registration::decide(
            &app.state,
            &staff,
            ApplicationId::new(ids[1]),
            Decision::Approve,
            "書類確認済み"
        )
        .await
        .unwrap(),
        DecideOutcome::Done
    );
    let approved = app
        .wait_for_mail(
            "easy@example.jp",
            "とうろくの おかねを はらって ください",
            1,
        )
        .await
        .remove(0);
    assert!(approved.body.contains(&format!("申請番号「{}」", ids[1])));
}
