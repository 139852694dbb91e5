//! 登録審査 over HTTP: a lost card made again (the old secrets refused), the same person
//! issued once even when two screeners issue at once, drafts that screeners never see, a
//! reason for every decision, returned applications deleted after the stated time with a
//! warning, the applicant's language on the console, the queue's rows, and the refusal a
//! staff member without the screening role reads — on SQLite and, where storage or
//! concurrency matters, PostgreSQL.
//!
//! The applications are made through the store (as the application form would leave them),
//! so that these tests follow the screening and not the form.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ccus_domain::{AccessEventKind, AccountKind, ApplicationId, Password};
use std::time::Duration;

use base64::Engine;
use ccus_app::audit::{AuditAction, AuditDetail};
use ccus_app::i18n::Lang;
use ccus_app::registration;
use ccus_domain::registration::{person_key, ApplicationKind, Status};
use ccus_storage::StaffRole;
use ccus_testkit::*;

const APPLY_PW: &str = "river stones in spring";
const DAY: Duration = Duration::from_secs(24 * 3600);

async fn app_on(url: String) -> TestApp {
    spawn_app_with(url, |c| {
        c.staff.totp_key = base64::engine::general_purpose::STANDARD.encode([42u8; 32]);
    })
    .await
}

async fn postgres() -> Option<String> {
    let url = ccus_storage::testdb::postgres_url().await;
    if url.is_none() {
        eprintln!("skipped: {} is not set", ccus_storage::testdb::POSTGRES_ENV);
    }
    url
}

/// A technician's items as the form stores them.
fn person(name: &str, furigana: &str, birth: &str) -> Vec<(&'static str, String)> {
    vec![
        ("plan", "basic".into()),
        ("name", name.into()),
        ("furigana", furigana.into()),
        ("birth_date", birth.into()),
        ("gender", "male".into()),
        ("nationality", "日本".into()),
        ("postal_code", "100-0013".into()),
        ("address", "東京都千代田区霞が関2-1-3".into()),
        ("phone", "090-1234-5678".into()),
        ("insurance", "enrolled".into()),
    ]
}

fn company(name: &str) -> Vec<(&'static str, String)> {
    vec![
        ("company_name", name.into()),
        ("company_furigana", "ミホンケンセツ".into()),
        ("representative", "見本 太郎".into()),
        ("sole_proprietor", "company".into()),
        ("capital", "10000000".into()),
        ("postal_code", "100-0013".into()),
        ("address", "東京都千代田区霞が関2-1-3".into()),
        ("phone", "03-1234-5678".into()),
        ("contact", "見本 花子".into()),
    ]
}

/// The application login of `email` (made the first time), which can log in with
/// [`APPLY_PW`].
async fn applicant(app: &TestApp, email: &str) -> ccus_storage::Applicant {
    let store = app.state.store_for_tools();
    if let Some(a) = store
        .registrations()
        .applicant_by_email_key(&email.to_lowercase())
        .await
        .unwrap()
    {
        return a;
    }
    let hash = app
        .state
        .hasher()
        .hash(Password::parse(APPLY_PW).unwrap())
        .await
        .unwrap();
    let mut tx = store.begin().await.unwrap();
    let id = tx
        .registrations()
        .create_applicant(email, &email.to_lowercase(), &hash, app.state.clock().now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    store.registrations().applicant(id).await.unwrap().unwrap()
}

/// A draft of `who` with `fields`.
async fn draft(
    app: &TestApp,
    who: &ccus_storage::Applicant,
    kind: ApplicationKind,
    fields: &[(&'static str, String)],
) -> i64 {
    let registration::NewApplication::Created(id) =
        registration::new_application(&app.state, who, kind)
            .await
            .unwrap()
    else {
        panic!("a draft could not be started")
    };
    let mut tx = app.state.store_for_tools().begin().await.unwrap();
    tx.registrations()
        .set_application_fields(id, fields, app.state.clock().now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

/// Sends a draft (申請) as the form does: who it is about, the fee, the language.
async fn send(app: &TestApp, id: i64, lang: &str) {
    let store = app.state.store_for_tools();
    let fields = store
        .registrations()
        .application_fields(ApplicationId::new(id))
        .await
        .unwrap();
    let get = |k: &str| {
        fields
            .iter()
            .find(|(f, _)| f == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let now = app.state.clock().now();
    let mut tx = store.begin().await.unwrap();
    tx.registrations()
        .set_application_terms(
            ApplicationId::new(id),
            &person_key(&get("furigana"), &get("birth_date")),
            2500,
        )
        .await
        .unwrap();
    let from = store
        .registrations()
        .application(ApplicationId::new(id))
        .await
        .unwrap()
        .unwrap()
        .status;
    assert!(tx
        .registrations()
        .move_application(ApplicationId::new(id), from, Status::Submitted, now)
        .await
        .unwrap());
    tx.languages()
        .set_application_language(ApplicationId::new(id), lang, now)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// A technician's application waiting for screening.
async fn submitted(app: &TestApp, email: &str, fields: &[(&'static str, String)]) -> i64 {
    let who = applicant(app, email).await;
    let id = draft(app, &who, ApplicationKind::Technician, fields).await;
    send(app, id, "ja").await;
    id
}

fn detail(id: i64) -> String {
    format!("/helpdesk/registrations/{id}")
}

/// Posts a decision from the application's page.
async fn act(
    app: &TestApp,
    staff: &reqwest::Client,
    id: i64,
    action: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    app.submit(
        staff,
        &detail(id),
        &format!("{}/{action}", detail(id)),
        form,
    )
    .await
}

/// Approves and records the fee.
async fn approve_and_pay(app: &TestApp, staff: &reqwest::Client, id: i64) {
    let r = act(
        app,
        staff,
        id,
        "approve",
        &[("reason", "本人確認書類で確認")],
    )
    .await;
    assert_eq!(location(&r), format!("{}?done=approved", detail(id)));
    let reference = format!("FURIKOMI-{id}");
    let r = act(app, staff, id, "payment", &[("reference", &reference)]).await;
    assert_eq!(location(&r), format!("{}?done=paid", detail(id)));
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

fn has(page: &str, parts: &[&str]) {
    for p in parts {
        assert!(page.contains(p), "missing 「{p}」 in:\n{page}");
    }
}

// ---- a lost card ---------------------------------------------------------------------------

async fn a_lost_card_is_made_again(app: TestApp) {
    const EMAIL: &str = "tanaka.ichiro@example.jp";
    let id = submitted(
        &app,
        EMAIL,
        &person("田中 一郎", "タナカ イチロウ", "1988-07-15"),
    )
    .await;
    let (screener, _) = app.staff_browser(StaffRole::Screener).await;
    approve_and_pay(&app, &screener, id).await;

    // The issue click's answer is lost (the browser gave up): only the ID is known, from the
    // mail, and the old secrets only to this test.
    let lost = act(&app, &screener, id, "issue", &[]).await;
    assert_eq!(lost.status(), 200);
    let (login_id, old_password, old_code) = card_secrets(&lost.text().await.unwrap());
    let mail = app.wait_for_mail(EMAIL, "登録完了のお知らせ", 1).await;
    assert!(mail[0].body.contains(&login_id));

    // A second click says it is issued, and the page offers the card again.
    let again = act(&app, &screener, id, "issue", &[]).await;
    assert_eq!(location(&again), format!("{}?done=issued", detail(id)));
    let page = app
        .get(&screener, &format!("{}?done=issued", detail(id)))
        .await
        .text()
        .await
        .unwrap();
    has(
        &page,
        &[
            "この申請はすでに登録完了です",
            "登録カードを再発行する",
            &login_id,
        ],
    );

    // A new card needs its reason, said at the box.
    let r = act(&app, &screener, id, "reissue", &[("reason", "  ")]).await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    has(&page, &["理由を入力してください", "aria-invalid=\"true\""]);
    let r = act(
        &app,
        &screener,
        id,
        "reissue",
        &[("reason", "発行の画面が表示されなかった")],
    )
    .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let card = r.text().await.unwrap();
    has(
        &card,
        &["再発行した登録カードです", "登録カード（PDF）を保存する"],
    );
    let (same_id, password, code) = card_secrets(&card);
    assert_eq!(same_id, login_id, "the same ID");
    assert_ne!(password, old_password);
    assert_eq!(code.len(), 4);

    // The old card no longer works; the new one leads to the forced first change.
    let person = app.browser();
    let r = app
        .login(&person, AccountKind::Technician, &login_id, &old_password)
        .await;
    assert_eq!(r.status(), 401, "the old initial password is void");
    let r = app
        .login(&person, AccountKind::Technician, &login_id, &password)
        .await;
    assert_eq!(location(&r), "/ccus_skill/password/initial");
    if old_code != code {
        let r = app
            .submit(
                &person,
                "/ccus_skill/password/initial",
                "/ccus_skill/password/initial",
                &[
                    ("security_code", old_code.as_str()),
                    ("password", "cedar beams and mortar"),
                    ("password_confirm", "cedar beams and mortar"),
                ],
            )
            .await;
        assert_ne!(
            location(&r),
            "/ccus_skill/home?done=password",
            "the old 本人確認番号 is void"
        );
    }
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

    // Recorded: the person's access history, the audit log with the reason, a mail to them.
    let store = app.state.store_for_tools();
    let account = store
        .accounts()
        .account_by_login_id(&ccus_domain::LoginId::parse(&login_id).unwrap())
        .await
        .unwrap()
        .unwrap();
    let history = store
        .history()
        .access_history(&account, 0, 50)
        .await
        .unwrap();
    assert!(history
        .iter()
        .any(|e| e.kind == AccessEventKind::HelpdeskCardReissued));
    let audit = ccus_app::audit::helpdesk_log(&app.state, 50).await.unwrap();
    let entry = audit
        .iter()
        .find(|e| e.is(AuditAction::CardReissued))
        .unwrap();
    assert_eq!(entry.reason, "発行の画面が表示されなかった");
    assert!(
        matches!(&entry.detail, AuditDetail::CardReissued { application, .. } if *application == ApplicationId::new(id)),
        "{:?}",
        entry.detail
    );
    assert!(entry
        .detail_words(Lang::Ja)
        .contains(&format!("申請番号 {id}")));
    let told = app
        .wait_for_mail(EMAIL, "登録カードを再発行しました", 1)
        .await;
    assert!(told[0].body.contains(&login_id) && !told[0].body.contains(&password));

    // After the first login the person has their own password: no new card.
    let page = app.get(&screener, &detail(id)).await.text().await.unwrap();
    has(&page, &["初めてのログインを済ませ"]);
    assert!(!page.contains("/reissue\""));
    let r = act(&app, &screener, id, "reissue", &[("reason", "もう一度")]).await;
    assert_eq!(r.status(), 409);
    has(&r.text().await.unwrap(), &["登録カードは再発行できません"]);
    let r = app
        .login(
            &app.browser(),
            AccountKind::Technician,
            &login_id,
            "cedar beams and mortar",
        )
        .await;
    assert_eq!(
        location(&r),
        "/ccus_skill/home",
        "their own password stands"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_card_is_made_again_and_the_old_one_stops_working_on_sqlite() {
    a_lost_card_is_made_again(app_on(ccus_storage::testdb::sqlite_url()).await).await;
}

#[ccus_test_macros::postgres_variant]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_card_is_made_again_and_the_old_one_stops_working_on_postgres() {
    let Some(url) = postgres().await else {
        return;
    };
    a_lost_card_is_made_again(app_on(url).await).await;
}

// ---- the same person -------------------------------------------------------------------------

async fn the_same_person_is_issued_once(app: TestApp) {
    // The same person written three ways: spaces, full-width and half-width kana, the date.
    let first = submitted(
        &app,
        "a@example.jp",
        &person("田中 一郎", "タナカ イチロウ", "1988-07-15"),
    )
    .await;
    let second = submitted(
        &app,
        "b@example.jp",
        &person("田中　一郎", "たなか いちろう", "1988/7/15"),
    )
    .await;
    let third = submitted(
        &app,
        "c@example.jp",
        &person("田中一郎", "ﾀﾅｶｲﾁﾛｳ", "1988年7月15日"),
    )
    .await;
    // Another person with the same kana and birthday is not the same person.
    let namesake = submitted(
        &app,
        "d@example.jp",
        &person("田中 一朗", "タナカ イチロウ", "1988-07-15"),
    )
    .await;
    let (screener, _) = app.staff_browser(StaffRole::Screener).await;
    let page = app
        .get(&screener, &detail(second))
        .await
        .text()
        .await
        .unwrap();
    has(
        &page,
        &[
            "同じ氏名・フリガナ・生年月日の申請がほかにもあります",
            &format!("/helpdesk/registrations/{first}\""),
            &format!("/helpdesk/registrations/{third}\""),
        ],
    );
    let block = &page[page.find("id=\"same_applications\"").unwrap()..];
    let block = &block[..block.find("</div>").unwrap()];
    assert!(
        !block.contains(&format!("/helpdesk/registrations/{namesake}\"")),
        "another 氏名 is not the same person"
    );
    approve_and_pay(&app, &screener, first).await;
    approve_and_pay(&app, &screener, second).await;

    let card = act(&app, &screener, first, "issue", &[]).await;
    assert_eq!(card.status(), 200);
    let (login_id, _, _) = card_secrets(&card.text().await.unwrap());

    // The second is refused at issue, naming the ID and the application that has it.
    let r = act(&app, &screener, second, "issue", &[]).await;
    assert_eq!(r.status(), 409);
    let page = r.text().await.unwrap();
    has(
        &page,
        &[
            &format!("技能者ID {login_id}（申請番号 {first} で登録）としてすでに登録されています"),
            "同じ氏名・フリガナ・生年月日の技能者がすでに登録されています",
        ],
    );
    assert_eq!(
        app.state
            .store_for_tools()
            .registrations()
            .application(ApplicationId::new(second))
            .await
            .unwrap()
            .unwrap()
            .status,
        Status::Approved,
        "nothing was issued"
    );
    // The third cannot even be approved; the namesake can.
    let r = act(&app, &screener, third, "approve", &[("reason", "確認")]).await;
    assert_eq!(r.status(), 409);
    has(&r.text().await.unwrap(), &[&login_id]);
    approve_and_pay(&app, &screener, namesake).await;
    let r = act(&app, &screener, namesake, "issue", &[]).await;
    assert_eq!(
        r.status(),
        200,
        "another person with the same kana and birthday"
    );

    // The screener refuses the duplicate; its applicant is told why, in the screener's words.
    let r = act(&app, &screener, second, "reject", &[("reason", "")]).await;
    assert_eq!(r.status(), 422);
    let r = act(
        &app,
        &screener,
        second,
        "reject",
        &[(
            "reason",
            "すでに登録されています。IDをお忘れの方からIDを確かめてください。",
        )],
    )
    .await;
    assert_eq!(location(&r), format!("{}?done=rejected", detail(second)));
    let mail = app
        .wait_for_mail("b@example.jp", "登録の申請をお受けできませんでした", 1)
        .await;
    assert!(mail[0]
        .body
        .contains("審査担当者のコメント: すでに登録されています。"));
    let a = app
        .state
        .store_for_tools()
        .registrations()
        .application(ApplicationId::new(second))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(a.status, Status::Closed);
    // Its applicant reads it on their page.
    let b = app.browser();
    let r = app
        .submit(
            &b,
            "/apply/login",
            "/apply/login",
            &[("email", "b@example.jp"), ("password", APPLY_PW)],
        )
        .await;
    assert_eq!(location(&r), "/apply/home");
    let page = app
        .get(&b, &format!("/apply/{second}"))
        .await
        .text()
        .await
        .unwrap();
    has(
        &page,
        &[
            "この申請はお受けできませんでした",
            "審査担当者のコメント: すでに登録されています。",
        ],
    );
    let audit = ccus_app::audit::helpdesk_log(&app.state, 50).await.unwrap();
    assert!(audit
        .iter()
        .any(|e| e.is(AuditAction::ApplicationRejected) && e.reason.starts_with("すでに")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_person_is_issued_once_on_sqlite() {
    the_same_person_is_issued_once(app_on(ccus_storage::testdb::sqlite_url()).await).await;
}

#[ccus_test_macros::postgres_variant]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_person_is_issued_once_on_postgres() {
    let Some(url) = postgres().await else {
        return;
    };
    the_same_person_is_issued_once(app_on(url).await).await;
}

/// Screeners issuing the applications of one person at the same moment: exactly one ID.
async fn concurrent_issues(app: TestApp) {
    let (one, _) = app.staff_browser(StaffRole::Screener).await;
    let (two, _) = app.staff_browser(StaffRole::Supervisor).await;
    for round in 0..4u32 {
        let name = format!("並行 {round}郎");
        let birth = format!("1990-01-{:02}", round + 1);
        let mut ids = Vec::new();
        for n in 0..4u32 {
            let id = submitted(
                &app,
                &format!("p{round}-{n}@example.jp"),
                &person(&name, "ヘイコウ タロウ", &birth),
            )
            .await;
            approve_and_pay(&app, &one, id).await;
            ids.push(id);
        }
        // Each screener's page first (its token), then every click at once.
        let mut forms = Vec::new();
        for (i, id) in ids.iter().enumerate() {
            let b = if i % 2 == 0 { one.clone() } else { two.clone() };
            let html = app.get(&b, &detail(*id)).await.text().await.unwrap();
            forms.push((b, *id, csrf_in(&html)));
        }
        let mut clicks = tokio::task::JoinSet::new();
        for (b, id, token) in forms {
            let url = app.url(&format!("{}/issue", detail(id)));
            clicks.spawn(async move {
                b.post(url)
                    .form(&[("csrf_token", token.as_str())])
                    .send()
                    .await
                    .unwrap()
                    .status()
            });
        }
        let statuses: Vec<_> = clicks.join_all().await;
        let issued = statuses.iter().filter(|s| s.as_u16() == 200).count();
        assert_eq!(issued, 1, "round {round}: {statuses:?}");
        assert!(
            statuses.iter().all(|s| [200, 409].contains(&s.as_u16())),
            "round {round}: {statuses:?}"
        );
        let who = ccus_domain::registration::PersonIdentity::of(&name, "ヘイコウ タロウ", &birth)
            .unwrap();
        let registered = app
            .state
            .store_for_tools()
            .registrations()
            .technicians_same_as(&who, None)
            .await
            .unwrap();
        assert_eq!(registered.len(), 1, "round {round}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_screeners_issuing_one_person_at_once_make_one_id_on_sqlite() {
    concurrent_issues(app_on(ccus_storage::testdb::sqlite_url()).await).await;
}

#[ccus_test_macros::postgres_variant]
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_screeners_issuing_one_person_at_once_make_one_id_on_postgres() {
    let Some(url) = postgres().await else {
        return;
    };
    concurrent_issues(app_on(url).await).await;
}

// ---- drafts ----------------------------------------------------------------------------------

async fn drafts_are_not_screened(app: TestApp) {
    let who = applicant(&app, "draft@example.jp").await;
    let draft_id = draft(
        &app,
        &who,
        ApplicationKind::Technician,
        &person("下書 花子", "シタガキ ハナコ", "1991-02-03"),
    )
    .await;
    // A document of the draft, and a draft withdrawn before it was ever sent.
    let now = app.state.clock().now();
    let mut tx = app.state.store_for_tools().begin().await.unwrap();
    let doc = tx
        .registrations()
        .add_application_document(
            ApplicationId::new(draft_id),
            "identity",
            "draft-document",
            "免許証.png",
            "image/png",
            10,
            now,
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let withdrawn = draft(
        &app,
        &who,
        ApplicationKind::Technician,
        &person("下書 次郎", "シタガキ ジロウ", "1992-03-04"),
    )
    .await;
    assert!(
        registration::withdraw(&app.state, &who, ApplicationId::new(withdrawn))
            .await
            .unwrap()
    );
    let sent = submitted(
        &app,
        "sent@example.jp",
        &person("申請 太郎", "シンセイ タロウ", "1985-05-05"),
    )
    .await;

    let (screener, _) = app.staff_browser(StaffRole::Supervisor).await;
    let queue = app
        .get(&screener, "/helpdesk/registrations")
        .await
        .text()
        .await
        .unwrap();
    has(&queue, &["申請 太郎"]);
    assert!(!queue.contains("下書"));
    assert_eq!(app.get(&screener, &detail(sent)).await.status(), 200);
    for id in [draft_id, withdrawn] {
        assert_eq!(app.get(&screener, &detail(id)).await.status(), 404);
        let token = csrf_in(
            &app.get(&screener, &detail(sent))
                .await
                .text()
                .await
                .unwrap(),
        );
        for action in [
            "approve", "return", "reject", "correct", "payment", "issue", "reissue",
        ] {
            let r = screener
                .post(app.url(&format!("{}/{action}", detail(id))))
                .form(&[
                    ("csrf_token", token.as_str()),
                    ("reason", "確認"),
                    ("reference", "X-1"),
                    ("field", "phone"),
                    ("value", "03-1234-5678"),
                    ("flag_phone", "1"),
                    ("code_phone", "missing"),
                ])
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 404, "{action} on application {id}");
        }
    }
    assert_eq!(
        app.get(&screener, &format!("{}/documents/{doc}", detail(draft_id)))
            .await
            .status(),
        404
    );
    let store = app.state.store_for_tools();
    assert_eq!(
        store
            .registrations()
            .application(ApplicationId::new(draft_id))
            .await
            .unwrap()
            .unwrap()
            .status,
        Status::Draft
    );
    assert!(
        !ccus_app::audit::helpdesk_log(&app.state, 50)
            .await
            .unwrap()
            .iter()
            .any(|e| e
                .detail_words(Lang::Ja)
                .contains(&format!("申請番号 {draft_id}"))),
        "nothing was done to the draft"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn screeners_never_see_an_application_that_was_not_sent() {
    drafts_are_not_screened(app_on(ccus_storage::testdb::sqlite_url()).await).await;
}

// ---- reasons ---------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_decision_needs_its_reason_said_at_the_box() {
    let app = app_on(ccus_storage::testdb::sqlite_url()).await;
    let id = submitted(
        &app,
        "r@example.jp",
        &person("理由 太郎", "リユウ タロウ", "1980-01-01"),
    )
    .await;
    let (screener, _) = app.staff_browser(StaffRole::Screener).await;
    let status = |app: &TestApp| {
        let store = app.state.store_for_tools().clone();
        async move {
            store
                .registrations()
                .application(ApplicationId::new(id))
                .await
                .unwrap()
                .unwrap()
                .status
        }
    };

    // Approve without a reason: refused at the box, still waiting.
    let r = act(&app, &screener, id, "approve", &[("reason", " ")]).await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    has(
        &page,
        &[
            "id=\"approve_reason_error\"",
            "理由を入力してください。審査の判断は、すべて理由とともに記録されます。",
            "aria-describedby=\"approve_reason_error\"",
        ],
    );
    assert_eq!(status(&app).await, Status::Submitted);

    // 不備 without a reason, and 「その他」 without a comment: both said, what was typed kept.
    let r = act(
        &app,
        &screener,
        id,
        "return",
        &[
            ("flag_phone", "1"),
            ("code_phone", "mismatch"),
            ("comment_phone", "番号が違います"),
            ("flag_address", "1"),
            ("code_address", "other"),
            ("comment_address", ""),
            ("reason", ""),
        ],
    )
    .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    has(
        &page,
        &[
            "id=\"return_reason_error\"",
            "「その他」を選んだ住所には、申請者へのコメントを入力してください",
            "id=\"flag_phone\" name=\"flag_phone\" value=\"1\" checked",
            "value=\"番号が違います\"",
            "<option value=\"mismatch\" selected>",
        ],
    );
    assert_eq!(status(&app).await, Status::Submitted);
    // Nothing ticked: said above the items.
    let r = act(&app, &screener, id, "return", &[("reason", "確認")]).await;
    assert_eq!(r.status(), 422);
    has(
        &r.text().await.unwrap(),
        &["不備として返す項目を1つ以上選んでください。"],
    );
    // Refusing needs a reason; so does recording the fee (its reference).
    let r = act(&app, &screener, id, "reject", &[("reason", "")]).await;
    assert_eq!(r.status(), 422);
    has(&r.text().await.unwrap(), &["id=\"reject_reason_error\""]);

    // With reasons, each decision is done and recorded with its reason.
    let r = act(
        &app,
        &screener,
        id,
        "return",
        &[
            ("flag_phone", "1"),
            ("code_phone", "mismatch"),
            ("comment_phone", "番号が違います"),
            ("reason", "電話番号の不一致"),
        ],
    )
    .await;
    assert_eq!(location(&r), format!("{}?done=returned", detail(id)));
    send(&app, id, "ja").await;
    let r = act(&app, &screener, id, "approve", &[("reason", "書類で確認")]).await;
    assert_eq!(location(&r), format!("{}?done=approved", detail(id)));
    let r = act(&app, &screener, id, "payment", &[("reference", " ")]).await;
    assert_eq!(r.status(), 422);
    has(
        &r.text().await.unwrap(),
        &["振込の照会番号を入力してください"],
    );
    let audit = ccus_app::audit::helpdesk_log(&app.state, 50).await.unwrap();
    for (action, reason) in [
        (AuditAction::ApplicationReturned, "電話番号の不一致"),
        (AuditAction::ApplicationApproved, "書類で確認"),
    ] {
        assert!(
            audit.iter().any(|e| e.is(action) && e.reason == reason),
            "{action:?}"
        );
    }
}

// ---- returned applications -------------------------------------------------------------------

async fn returned_applications_expire(app: TestApp) {
    const EMAIL: &str = "late@example.jp";
    let store = app.state.store_for_tools().clone();
    let id = submitted(
        &app,
        EMAIL,
        &person("遅延 太郎", "チエン タロウ", "1980-02-02"),
    )
    .await;
    let fixed = submitted(
        &app,
        "fixed@example.jp",
        &person("修正 花子", "シュウセイ ハナコ", "1981-03-03"),
    )
    .await;
    // A document with its file, to be deleted with the application.
    let file = "returned-document-file";
    std::fs::create_dir_all(&app.attachments_dir).unwrap();
    std::fs::write(app.attachments_dir.join(file), b"%PDF-1.4\n").unwrap();
    let mut tx = store.begin().await.unwrap();
    tx.registrations()
        .add_application_document(
            ApplicationId::new(id),
            "identity",
            file,
            "id.pdf",
            "application/pdf",
            9,
            app.state.clock().now(),
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let (screener, _) = app.staff_browser(StaffRole::Screener).await;
    for n in [id, fixed] {
        let r = act(
            &app,
            &screener,
            n,
            "return",
            &[
                ("flag_address", "1"),
                ("code_address", "missing"),
                ("reason", "番地の記載漏れ"),
            ],
        )
        .await;
        assert_eq!(location(&r), format!("{}?done=returned", detail(n)));
    }
    let returned_at = store
        .registrations()
        .application(ApplicationId::new(id))
        .await
        .unwrap()
        .unwrap()
        .decided_at
        .unwrap();
    let deadline = returned_at.plus(90 * DAY).jst_not_before();
    // The 不備 mail and the applicant's page say until when.
    let mail = app.wait_for_mail(EMAIL, "申請内容不備のお知らせ", 1).await;
    has(
        &mail[0].body,
        &[&format!(
            "{deadline}までに修正して申請し直さない場合、この申請と提出された書類は削除されます。"
        )],
    );
    let b = app.browser();
    app.submit(
        &b,
        "/apply/login",
        "/apply/login",
        &[("email", EMAIL), ("password", APPLY_PW)],
    )
    .await;
    let page = app
        .get(&b, &format!("/apply/{id}"))
        .await
        .text()
        .await
        .unwrap();
    has(
        &page,
        &[&format!(
            "{deadline}までに修正して申請し直さない場合、この申請と提出した書類は削除されます"
        )],
    );
    let console = app.get(&screener, &detail(id)).await.text().await.unwrap();
    has(
        &console,
        &[&format!("{deadline}を過ぎると書類とともに削除されます")],
    );
    // One of them is sent again in time.
    send(&app, fixed, "ja").await;

    let warning = "不備のある申請の削除が近づいています";
    let hour = Duration::from_secs(3600);
    app.clock.advance(75 * DAY);
    app.state.clean_up_once().await;
    assert!(app
        .mails_to(EMAIL)
        .iter()
        .all(|m| !m.subject.contains(warning)));
    // 14 days before: warned once, even with two passes (or two instances). Deleted no sooner
    // than 14 days after the warning (here an hour after the first date).
    app.clock.advance(DAY + hour);
    app.state.clean_up_once().await;
    app.state.clean_up_once().await;
    let warned = app.wait_for_mail(EMAIL, warning, 1).await;
    let deadline = returned_at.plus(90 * DAY + hour).jst_not_before();
    assert!(
        warned[0]
            .body
            .contains(&format!("{deadline}までに修正して申請し直さない場合")),
        "{}",
        warned[0].body
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        app.mails_to(EMAIL)
            .iter()
            .filter(|m| m.subject.contains(warning))
            .count(),
        1
    );
    assert!(app
        .mails_to("fixed@example.jp")
        .iter()
        .all(|m| !m.subject.contains(warning)));
    // Kept until the date, deleted with its items and documents after it.
    app.clock.advance(14 * DAY - 2 * hour);
    app.state.clean_up_once().await;
    assert!(store
        .registrations()
        .application(ApplicationId::new(id))
        .await
        .unwrap()
        .is_some());
    app.clock.advance(3 * hour);
    app.state.clean_up_once().await;
    assert!(store
        .registrations()
        .application(ApplicationId::new(id))
        .await
        .unwrap()
        .is_none());
    assert!(store
        .registrations()
        .application_fields(ApplicationId::new(id))
        .await
        .unwrap()
        .is_empty());
    assert!(store
        .registrations()
        .application_documents(ApplicationId::new(id))
        .await
        .unwrap()
        .is_empty());
    assert!(!app.attachments_dir.join(file).exists());
    assert_eq!(
        store
            .registrations()
            .application(ApplicationId::new(fixed))
            .await
            .unwrap()
            .unwrap()
            .status,
        Status::Submitted,
        "sent again in time: kept"
    );

    // Returned long ago and never warned (e.g. before this rule): warned first, and kept for
    // the whole warning period from then.
    let old = submitted(
        &app,
        "old@example.jp",
        &person("古 太郎", "フル タロウ", "1970-04-04"),
    )
    .await;
    let (screener, _) = app.staff_browser(StaffRole::Screener).await;
    let r = act(
        &app,
        &screener,
        old,
        "return",
        &[
            ("flag_phone", "1"),
            ("code_phone", "missing"),
            ("reason", "記載漏れ"),
        ],
    )
    .await;
    assert_eq!(location(&r), format!("{}?done=returned", detail(old)));
    app.clock.advance(200 * DAY);
    // Warned without the pass that deletes (as after an upgrade, by the first pass).
    assert_eq!(
        registration::warn_before_deleting_returned(&app.state)
            .await
            .unwrap(),
        1
    );
    app.state.clean_up_once().await;
    assert!(
        store
            .registrations()
            .application(ApplicationId::new(old))
            .await
            .unwrap()
            .is_some(),
        "not deleted on its warning"
    );
    app.wait_for_mail("old@example.jp", warning, 1).await;
    app.clock.advance(15 * DAY);
    app.state.clean_up_once().await;
    assert!(store
        .registrations()
        .application(ApplicationId::new(old))
        .await
        .unwrap()
        .is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn returned_applications_not_sent_again_are_deleted_after_a_warning_on_sqlite() {
    returned_applications_expire(app_on(ccus_storage::testdb::sqlite_url()).await).await;
}

#[ccus_test_macros::postgres_variant]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn returned_applications_not_sent_again_are_deleted_after_a_warning_on_postgres() {
    let Some(url) = postgres().await else {
        return;
    };
    returned_applications_expire(app_on(url).await).await;
}

// ---- languages -------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_screener_sees_the_applicant_s_language_and_writes_to_them_in_it() {
    let app = app_on(ccus_storage::testdb::sqlite_url()).await;
    const EMAIL: &str = "worker@example.com";
    let who = applicant(&app, EMAIL).await;
    let id = draft(
        &app,
        &who,
        ApplicationKind::Technician,
        &person("NGUYEN VAN AN", "グエン バン アン", "1995-06-07"),
    )
    .await;
    send(&app, id, "en").await;
    let (screener, _) = app.staff_browser(StaffRole::Screener).await;
    let queue = app
        .get(&screener, "/helpdesk/registrations")
        .await
        .text()
        .await
        .unwrap();
    has(&queue, &["<td data-label=\"言語\">English</td>"]);
    let page = app.get(&screener, &detail(id)).await.text().await.unwrap();
    has(
        &page,
        &[
            "申請者が読む言語: English",
            "この申請者はEnglishで読みます",
            "記載漏れ（English: Missing）",
            "本人確認書類の内容と一致しません（English: Does not match your identity document）",
        ],
    );
    // A staff member reading the console in English is told only when the languages differ.
    app.get(&screener, "/lang/en").await;
    let page = app.get(&screener, &detail(id)).await.text().await.unwrap();
    has(
        &page,
        &["<html lang=\"en\"", "The applicant reads: English"],
    );
    assert!(!page.contains("(English: Missing)") && !page.contains("This applicant reads"));
    app.get(&screener, "/lang/ja").await;

    let r = act(
        &app,
        &screener,
        id,
        "return",
        &[
            ("flag_address", "1"),
            ("code_address", "missing"),
            (
                "comment_address",
                "Please add the building and room number.",
            ),
            ("reason", "住所の記載漏れ"),
        ],
    )
    .await;
    assert_eq!(location(&r), format!("{}?done=returned", detail(id)));
    let mail = app
        .wait_for_mail(EMAIL, "Please correct your application", 1)
        .await;
    has(
        &mail[0].body,
        &["- Address: Missing (the screener's comment: Please add the building and room number.)"],
    );
    let b = app.browser();
    b.get(app.url("/lang/en")).send().await.unwrap();
    app.submit(
        &b,
        "/apply/login",
        "/apply/login",
        &[("email", EMAIL), ("password", APPLY_PW)],
    )
    .await;
    let page = app
        .get(&b, &format!("/apply/{id}"))
        .await
        .text()
        .await
        .unwrap();
    has(
        &page,
        &[
            "To fix: Missing (the screener",
            "s comment: Please add the building and room number.)",
        ],
    );
}

// ---- the queue -------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_queue_links_each_row_by_name_and_says_its_kind() {
    let app = app_on(ccus_storage::testdb::sqlite_url()).await;
    let tech = submitted(
        &app,
        "t@example.jp",
        &person("田中 一郎", "タナカ イチロウ", "1988-07-15"),
    )
    .await;
    let who = applicant(&app, "office@example.jp").await;
    let biz = draft(
        &app,
        &who,
        ApplicationKind::Business,
        &company("株式会社 見本建設"),
    )
    .await;
    send(&app, biz, "ja").await;
    let business = app.account(AccountKind::Business).await;
    let business = app
        .state
        .store_for_tools()
        .accounts()
        .account_by_login_id(&business.login_id)
        .await
        .unwrap()
        .unwrap();
    let mut tx = app.state.store_for_tools().begin().await.unwrap();
    let proxy_id = tx
        .registrations()
        .create_proxy_applicant(business.id, &business.email, app.state.clock().now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let proxy_applicant = app
        .state
        .store_for_tools()
        .registrations()
        .applicant(proxy_id)
        .await
        .unwrap()
        .unwrap();
    let proxy = draft(
        &app,
        &proxy_applicant,
        ApplicationKind::Technician,
        &person("山田 次郎", "ヤマダ ジロウ", "1990-10-10"),
    )
    .await;
    send(&app, proxy, "ja").await;

    let (screener, _) = app.staff_browser(StaffRole::Screener).await;
    let queue = app
        .get(&screener, "/helpdesk/registrations")
        .await
        .text()
        .await
        .unwrap();
    has(
        &queue,
        &[
            "<th scope=\"col\">氏名・名称</th>",
            "<th scope=\"col\">種別</th>",
            &format!(
                "<td class=\"row-head\" data-label=\"氏名・名称\"><a href=\"/helpdesk/registrations/{tech}\">田中 一郎（申請番号 {tech}）</a></td>"
            ),
            &format!(
                "<a href=\"/helpdesk/registrations/{biz}\">株式会社 見本建設（申請番号 {biz}）</a>"
            ),
            &format!("<a href=\"/helpdesk/registrations/{proxy}\">山田 次郎（申請番号 {proxy}）</a>"),
            "<td data-label=\"種別\">技能者</td>",
            "<td data-label=\"種別\">事業者</td>",
            "<td data-label=\"種別\">代行申請（技能者）</td>",
        ],
    );
    // At phone width each row opens by its name, across the whole row.
    let css = app
        .get(&screener, "/static/ccus.css")
        .await
        .text()
        .await
        .unwrap();
    has(&css, &[".history td.row-head a { display: block;"]);
    let page = app.get(&screener, &detail(biz)).await.text().await.unwrap();
    has(&page, &["種別: 事業者"]);
}

// ---- who may screen --------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_staff_member_who_does_not_screen_is_told_what_was_refused_and_why() {
    let app = app_on(ccus_storage::testdb::sqlite_url()).await;
    let id = submitted(
        &app,
        "x@example.jp",
        &person("権限 太郎", "ケンゲン タロウ", "1980-01-01"),
    )
    .await;
    let (operator, _) = app.staff_browser(StaffRole::Operator).await;
    let r = app.get(&operator, "/helpdesk/registrations").await;
    assert_eq!(r.status(), 403);
    let page = r.text().await.unwrap();
    has(
        &page,
        &[
            "登録審査を使う権限がありません",
            "審査担当（screener）または管理者（supervisor）",
        ],
    );
    assert!(
        !page.contains("別のサイトから送信された"),
        "not the anti-forgery text"
    );
    // A decision posted with a good token is refused the same way.
    let token = csrf_in(&app.get(&operator, "/helpdesk").await.text().await.unwrap());
    let r = operator
        .post(app.url(&format!("{}/approve", detail(id))))
        .form(&[("csrf_token", token.as_str()), ("reason", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    has(
        &r.text().await.unwrap(),
        &["登録審査を使う権限がありません"],
    );
    assert_eq!(
        app.state
            .store_for_tools()
            .registrations()
            .application(ApplicationId::new(id))
            .await
            .unwrap()
            .unwrap()
            .status,
        Status::Submitted
    );
}

/// Correcting a business from 一人親方 to a company leaves its fee to its 資本金: without a
/// usable one the correction is refused, never recorded as ¥0.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_correction_never_leaves_a_business_fee_at_zero() {
    let app = app_on(ccus_storage::testdb::sqlite_url()).await;
    let who = applicant(&app, "sole@example.jp").await;
    let mut fields = company("見本 一郎");
    fields.retain(|(k, _)| *k != "capital" && *k != "sole_proprietor");
    fields.push(("sole_proprietor", "sole".into()));
    let id = draft(&app, &who, ApplicationKind::Business, &fields).await;
    send(&app, id, "ja").await;
    let (id_s, _) = ccus_app::account::provisioning::create_staff(
        &app.state,
        "審査 次郎",
        "screen2@example.jp",
        StaffRole::Screener,
        Some("helpdesk desk password".into()),
    )
    .await
    .unwrap();
    let staff = app
        .state
        .store_for_tools()
        .staff()
        .staff_by_staff_id(&id_s)
        .await
        .unwrap()
        .unwrap();
    let out = registration::correct_item(
        &app.state,
        &staff,
        ApplicationId::new(id),
        ccus_domain::registration::Field::SoleProprietor,
        "company",
        "登記事項証明書で確認",
    )
    .await
    .unwrap();
    assert!(
        matches!(out, registration::CorrectOutcome::Invalid(_)),
        "{out:?}"
    );
    let a = app
        .state
        .store_for_tools()
        .registrations()
        .application(ApplicationId::new(id))
        .await
        .unwrap()
        .unwrap();
    assert_ne!(
        a.fee_yen, 0,
        "the fee of a 一人親方 was set when sent; unchanged"
    );
    // With a capital first, the change goes through at that capital's fee.
    for (field, value) in [
        (ccus_domain::registration::Field::Capital, "10,000,000"),
        (ccus_domain::registration::Field::SoleProprietor, "company"),
    ] {
        let out = registration::correct_item(
            &app.state,
            &staff,
            ApplicationId::new(id),
            field,
            value,
            "書類で確認",
        )
        .await
        .unwrap();
        assert!(
            matches!(out, registration::CorrectOutcome::Corrected),
            "{field:?}: {out:?}"
        );
    }
    let a = app
        .state
        .store_for_tools()
        .registrations()
        .application(ApplicationId::new(id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(a.fee_yen, 24_000);
}

/// A business that applied as a 一人親方 is issued as one: its 管理者ID利用料 is the lower rate
/// from the start, and a company is not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sole_proprietor_is_issued_as_one() {
    let app = app_on(ccus_storage::testdb::sqlite_url()).await;
    let (screener, _) = app.staff_browser(StaffRole::Screener).await;
    let mut issued = Vec::new();
    for (email, name, sole) in [
        ("oyakata@example.jp", "見本 一郎", true),
        ("kaisha@example.jp", "見本 次郎", false),
    ] {
        let who = applicant(&app, email).await;
        let mut fields = company(name);
        if sole {
            fields.retain(|(k, _)| *k != "capital" && *k != "sole_proprietor");
            fields.push(("sole_proprietor", "sole".into()));
        }
        let id = draft(&app, &who, ApplicationKind::Business, &fields).await;
        send(&app, id, "ja").await;
        approve_and_pay(&app, &screener, id).await;
        let r = act(&app, &screener, id, "issue", &[]).await;
        assert_eq!(r.status(), 200);
        let account = app
            .state
            .store_for_tools()
            .registrations()
            .application(ApplicationId::new(id))
            .await
            .unwrap()
            .unwrap()
            .account_id
            .expect("issued");
        issued.push((account, sole));
    }
    for (account, sole) in issued {
        assert_eq!(
            app.state
                .store_for_tools()
                .sites()
                .is_sole_proprietor(account)
                .await
                .unwrap(),
            sole
        );
    }
}
