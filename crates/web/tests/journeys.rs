//! Journeys in a real browser (headless Chromium and Firefox ESR over WebDriver): each test is
//! one story of a person getting into, or back into, the portal, told once per browser. The person opens the top page or a login
//! page, clicks what they can read, types into labelled fields and opens the links that
//! arrive by mail; the test checks what they see. The test only moves the clock (to wait) and
//! sets up what an operator would (accounts, staff, maintenance windows).
//!
//! In Chromium every page visited is checked with axe-core (serious or critical violations fail
//! the story) and photographed at desktop and phone width into
//! `artifacts/browser/<browser>/journeys/<story>/`; in Firefox each page is photographed once,
//! and with `CCUS_FIREFOX_FULL_CHECKS=1` checked as in Chromium.
//!
//! This target has its own runner (`ccus_testkit::harness`, see `main` at the end): a journey is
//! an `async fn …(b: Browser)` listed there. In a browser this machine lacks, the journeys are
//! reported as ignored with the reason (as failures when `CI` is set), never as passed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::time::Duration;

use base64::Engine as _;
use ccus_app::account::provisioning::{create_account, AccountRequest, ProfileRequest};
use ccus_domain::{totp, AccountKind};
use ccus_storage::StaffRole;
use ccus_testkit::browser::{Browser, Engine, Session, SessionOptions, IE11};
use ccus_testkit::{harness, journey, *};

const TECH: AccountKind = AccountKind::Technician;
const BIZ: AccountKind = AccountKind::Business;
const NEW_PASSWORD: &str = "maple syrup on snow";

/// An account with its own address (so its mail is not mixed with another account's).
async fn account_at(app: &TestApp, kind: AccountKind, email: &str, furigana: &str) -> Account {
    person_at(app, kind, "建設 太郎", email, furigana, None).await
}

/// An account with its own name and address; a technician may name their employer.
async fn person_at(
    app: &TestApp,
    kind: AccountKind,
    name: &str,
    email: &str,
    furigana: &str,
    employer: Option<&Account>,
) -> Account {
    let created = create_account(
        &app.state,
        AccountRequest {
            kind,
            name: name.into(),
            email: email.into(),
            password: Some("correct horse battery".into()),
            security_code: Some("1234".into()),
            must_change_password: false,
            profile: ProfileRequest {
                furigana: furigana.into(),
                birth_date: Some("1985-04-01".into()),
                employer: employer.map(|e| e.login_id.as_str().to_owned()),
            },
        },
    )
    .await
    .unwrap();
    Account {
        login_id: created.account.login_id,
        password: "correct horse battery".into(),
        name: name.into(),
    }
}

/// Types an ID and a password into the login form in front of the person and presses ログイン.
async fn log_in(p: &Session, kind: AccountKind, id: &str, password: &str) {
    p.fill(&format!("{}ID", kind.label_ja()), id).await;
    p.fill("パスワード", password).await;
    p.click_button("ログイン").await;
}

/// A staff member's first login in a browser: ID and password, then the authenticator enrolled
/// from the key on the page; ends on the console.
async fn staff_signed_in(b: &Browser, app: &TestApp, who: &str, staff_id: &str) -> Session {
    staff_signed_in_with(b, app, who, staff_id, SessionOptions::default()).await
}

async fn staff_signed_in_with(
    b: &Browser,
    app: &TestApp,
    who: &str,
    staff_id: &str,
    opts: SessionOptions,
) -> Session {
    let desk = b.person_with(who, opts).await;
    desk.go(&app.url("/helpdesk/login")).await;
    desk.wait_for_text("ヘルプデスク ログイン").await;
    desk.step("login").await;
    desk.fill("職員ID", staff_id).await;
    desk.fill("パスワード", STAFF_PW).await;
    desk.click_button("ログイン").await;
    desk.wait_for_text("確認コードの設定（初回）").await;
    desk.step("enrol").await;
    let secret = word_after(&desk.text().await, "次のキーを手で入力してください: ");
    let secret = totp::base32_decode(&secret).expect("a base32 key on the page");
    let code = format!(
        "{:06}",
        totp::code_at(&secret, totp::step_of(app.state.clock().now()))
    );
    desk.fill("確認コード（6桁）", &code).await;
    desk.click_button("設定を完了する").await;
    desk.wait_for_text("確認コードの設定が完了しました").await;
    desk.step("console").await;
    desk
}

/// The screener approves, records the fee and issues the ID; returns the card's ID, initial
/// password and 本人確認番号 as the printed notice shows them.
async fn approve_pay_and_issue(
    desk: &Session,
    record: &str,
    reference: &str,
    id_kind: &str,
    step: &str,
) -> (String, String, String) {
    desk.fill("審査の記録（確認した書類など）", record).await;
    desk.click_button("審査を完了する（承認）").await;
    desk.wait_for_text("審査を完了しました").await;
    desk.fill("振込の照会番号", reference).await;
    desk.click_button("入金を確認した").await;
    desk.wait_for_text("入金を記録しました").await;
    desk.click_button(&format!("登録を完了して{id_kind}IDを発行する"))
        .await;
    desk.wait_for_text(&format!("{id_kind}登録のお知らせ"))
        .await;
    desk.wait_for_text("登録カード（PDF）を保存する").await;
    desk.step(step).await;
    let read = |id: &'static str| async move {
        desk.script(&format!(
            "return document.getElementById('{id}').textContent;"
        ))
        .await
        .as_str()
        .unwrap()
        .trim()
        .to_owned()
    };
    (
        read("card_login_id").await,
        read("card_password").await,
        read("card_code").await,
    )
}

/// The first login with the card: its ID and initial password, then a password of one's own
/// with the 本人確認番号; ends at the menu.
async fn first_login_with_card(
    app: &TestApp,
    p: &Session,
    kind: AccountKind,
    (login_id, initial, code): (&str, &str, &str),
    name: &str,
) {
    p.go(&app.url(kind.login_path())).await;
    log_in(p, kind, login_id, initial).await;
    p.wait_for_text("パスワードの設定（初回）").await;
    p.fill("本人確認番号（4桁）", code).await;
    p.fill("新しいパスワード", NEW_PASSWORD).await;
    p.fill("新しいパスワード（確認）", NEW_PASSWORD).await;
    p.click_button("パスワードを設定する").await;
    at_home(p, kind, name).await;
}

/// Waits for the menu of `kind` with the person's name on it.
async fn at_home(p: &Session, kind: AccountKind, name: &str) {
    p.wait_for_text(&format!("{}メニュー", kind.label_ja()))
        .await;
    p.wait_for_text(&format!("{name} 様")).await;
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// The text right after `marker` on a page or in a mail, up to the next white space.
fn word_after(text: &str, marker: &str) -> String {
    let start = text
        .find(marker)
        .unwrap_or_else(|| panic!("no 「{marker}」 in:\n{text}"))
        + marker.len();
    text[start..]
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// A small real PNG (8×8, orange), as a photo of a card would be.
fn png_file(dir: &std::path::Path) -> PathBuf {
    let png = base64::engine::general_purpose::STANDARD
        .decode("iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEUlEQVR42mM4UaGBFTEMLQkAUtVaASL5fhoAAAAASUVORK5CYII=")
        .unwrap();
    let path = dir.join("card-photo.png");
    std::fs::write(&path, png).unwrap();
    path
}

/// A face photo as a phone would save it, as far as its header goes (480×640 PNG).
fn face_photo_file(dir: &std::path::Path) -> PathBuf {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    b.extend_from_slice(&480u32.to_be_bytes());
    b.extend_from_slice(&640u32.to_be_bytes());
    b.extend_from_slice(&[8, 2, 0, 0, 0]);
    b.extend_from_slice(&[0u8; 4096]);
    let path = dir.join("face-photo.png");
    std::fs::write(&path, b).unwrap();
    path
}

/// From the top page to the inquiry form, filled in and sent with a photo; returns the
/// receipt number shown on screen.
async fn send_inquiry(p: &Session, app: &TestApp, login_id: &str, email: &str) -> String {
    p.go(&app.url("/")).await;
    p.wait_for_text("はじめに、ご自分が").await;
    p.step("top").await;
    p.click_link("お問い合わせ").await;
    p.wait_for_text("お問い合わせフォーム（24時間受付）").await;
    p.step("support").await;
    p.click_link("お問い合わせフォーム").await;
    p.wait_for_text("24時間受け付けています").await;
    p.step("inquiry-form").await;
    p.select("お問い合わせの種類", "登録メールアドレス変更")
        .await;
    p.fill("技能者IDまたは事業者ID", login_id).await;
    p.fill("氏名", "建設 太郎").await;
    p.fill("フリガナ", "けんせつ　たろう").await;
    p.fill("生年月日", "1985-04-01").await;
    p.fill("所属事業者名", "見本建設").await;
    p.fill("連絡先メールアドレス", email).await;
    p.fill(
        "お問い合わせ内容",
        "前の会社のメールアドレスが使えなくなりました。\n新しいアドレスに変えてください。",
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    p.upload("添付ファイル", &png_file(dir.path())).await;
    p.step("inquiry-filled").await;
    p.click_button("送信する").await;
    p.wait_for_text("お問い合わせを受け付けました").await;
    p.wait_for_text("受付番号: Q").await;
    p.step("inquiry-received").await;
    word_after(&p.text().await, "受付番号: ")
}

// ---- 1 ---------------------------------------------------------------------------------------

async fn wrong_entrance_both_ways_leads_to_the_right_one_with_the_id_filled_in(b: Browser) {
    let app = spawn_app().await;
    let worker = app.account(TECH).await;
    let company = app.account(BIZ).await;
    let p = b.person("").await;
    for (acct, wrong, right) in [(&worker, BIZ, TECH), (&company, TECH, BIZ)] {
        let (w, r) = (wrong.label_ja(), right.label_ja());
        p.go(&app.url(wrong.login_path())).await;
        p.wait_for_text(&format!("{w}ログイン")).await;
        p.step(&format!("{}-login", wrong.portal())).await;
        log_in(&p, wrong, &acct.login_id.grouped(), &acct.password).await;
        p.wait_for_text(&format!("入力されたIDは{r}IDです")).await;
        p.step(&format!("told-it-is-a-{}-id", right.portal())).await;
        p.click_link(&format!("{r}ログイン画面へ（IDは入力済みです）"))
            .await;
        p.wait_for_text(&format!("{r}ログイン")).await;
        p.step(&format!("{}-login-id-filled", right.portal())).await;
        assert_eq!(
            digits(&p.value_of(&format!("{r}ID")).await),
            acct.login_id.as_str(),
            "the ID is filled in"
        );
        p.fill("パスワード", &acct.password).await;
        p.click_button("ログイン").await;
        at_home(&p, right, &acct.name).await;
        p.step(&format!("{}-home", right.portal())).await;
        p.click_button("ログアウト").await;
        p.wait_for_text("ログアウトしました").await;
    }
    b.finish(vec![p]).await;
}

// ---- 2 ---------------------------------------------------------------------------------------

async fn a_full_width_id_logs_in_and_a_mistyped_digit_is_caught_by_the_check_digit(b: Browser) {
    let app = spawn_app().await;
    let acct = app.account(TECH).await;
    let p = b.person("").await;
    p.go(&app.url("/")).await;
    p.wait_for_text("はじめに、ご自分が").await;
    p.step("top").await;
    p.click_link("技能者ログインへ").await;
    p.wait_for_text("技能者ログイン").await;
    p.step("login").await;
    log_in(&p, TECH, &typed_on_phone(&acct.login_id), &acct.password).await;
    at_home(&p, TECH, &acct.name).await;
    p.wait_for_text(&acct.login_id.grouped()).await;
    p.step("home").await;
    p.click_button("ログアウト").await;
    p.wait_for_text("ログアウトしました").await;

    // One digit off: the check digit catches it before any password is looked at.
    let mut typo: Vec<char> = acct.login_id.as_str().chars().collect();
    typo[6] = char::from_digit((typo[6].to_digit(10).unwrap() + 1) % 10, 10).unwrap();
    let typo: String = typo.into_iter().collect();
    log_in(&p, TECH, &typo, &acct.password).await;
    p.wait_for_text("技能者IDに誤りがあります").await;
    p.step("check-digit-message").await;
    let seen = p.text().await;
    assert!(
        !seen.contains("IDまたはパスワードが違います"),
        "no password was checked: {seen}"
    );
    b.finish(vec![p]).await;
}

// ---- 3 ---------------------------------------------------------------------------------------

async fn a_forgotten_password_is_reset_by_the_link_in_the_mail(b: Browser) {
    let app = spawn_app().await;
    let acct = account_at(&app, TECH, "taro@example.jp", "ケンセツ タロウ").await;
    let p = b.person("").await;
    p.go(&app.url("/ccus_skill/login")).await;
    p.wait_for_text("技能者ログイン").await;
    p.step("login").await;
    p.click_link("パスワードをお忘れの方").await;
    p.wait_for_text("パスワードの再設定").await;
    p.step("forgot-form").await;
    p.fill("技能者ID", &acct.login_id.grouped()).await;
    p.fill("登録メールアドレス", "taro@example.jp").await;
    p.click_button("再設定用のメールを送る").await;
    p.wait_for_text("受け付けました").await;
    p.step("request-received").await;

    let mail = app
        .wait_for_mail("taro@example.jp", "パスワード再設定のご案内", 1)
        .await
        .remove(0);
    p.go(&app.url(&link_in(&mail.body, "/ccus_skill/password/reset")))
        .await;
    p.wait_for_text("新しいパスワードの設定").await;
    p.step("reset-form").await;
    p.fill("新しいパスワード", NEW_PASSWORD).await;
    p.fill("新しいパスワード（確認）", NEW_PASSWORD).await;
    p.click_button("パスワードを設定する").await;
    p.wait_for_text("パスワードを再設定しました").await;
    p.step("reset-done").await;
    p.click_link("技能者ログイン画面へ").await;
    p.wait_for_text("技能者ログイン").await;
    log_in(&p, TECH, &acct.login_id.grouped(), NEW_PASSWORD).await;
    at_home(&p, TECH, &acct.name).await;
    p.step("home").await;
    b.finish(vec![p]).await;
}

// ---- 4 ---------------------------------------------------------------------------------------

async fn a_forgotten_id_arrives_by_mail(b: Browser) {
    let app = spawn_app().await;
    let acct = account_at(&app, TECH, "taro@example.jp", "ケンセツ タロウ").await;
    let p = b.person("").await;
    p.go(&app.url("/ccus_skill/login")).await;
    p.wait_for_text("技能者ログイン").await;
    p.click_link("IDをお忘れの方").await;
    p.wait_for_text("IDをメールで受け取る").await;
    p.step("forgot-id-form").await;
    p.fill("登録メールアドレス", "taro@example.jp").await;
    p.click_button("IDをメールで受け取る").await;
    p.wait_for_text("受け付けました").await;
    p.step("request-received").await;
    let mail = app
        .wait_for_mail("taro@example.jp", "IDのお知らせ", 1)
        .await
        .remove(0);
    assert!(
        mail.body.contains(&acct.login_id.grouped()),
        "{}",
        mail.body
    );
    // The ID from the mail, typed as it reads there, logs in at the mail's login link.
    let line = mail
        .body
        .lines()
        .find(|l| l.contains("技能者ID: "))
        .unwrap();
    let id_in_mail = line[line.find("技能者ID: ").unwrap() + "技能者ID: ".len()..]
        .split('（')
        .next()
        .unwrap()
        .trim()
        .to_owned();
    p.go(&app.url(&link_in(&mail.body, "/ccus_skill/login")))
        .await;
    p.wait_for_text("技能者ログイン").await;
    log_in(&p, TECH, &id_in_mail, &acct.password).await;
    at_home(&p, TECH, &acct.name).await;
    p.step("home").await;
    b.finish(vec![p]).await;
}

// ---- 5 ---------------------------------------------------------------------------------------

/// Five wrong passwords; the fifth locks the ID.
async fn lock_out(p: &Session, acct: &Account) {
    for i in 1..=5 {
        log_in(p, TECH, &acct.login_id.grouped(), "not my password").await;
        if i < 5 {
            p.wait_for_text("IDまたはパスワードが違います").await;
        }
    }
    p.wait_for_text("このIDは現在ロックされています").await;
}

async fn a_locked_id_unlocks_by_waiting_or_by_the_link_in_the_mail(b: Browser) {
    let app = spawn_app().await;
    let waits = account_at(&app, TECH, "waits@example.jp", "マツ ヒト").await;
    let mails = account_at(&app, TECH, "mails@example.jp", "メール ヒト").await;
    let p = b.person("").await;

    // Waiting: the lock ends by itself at the time shown.
    p.go(&app.url("/ccus_skill/login")).await;
    p.wait_for_text("技能者ログイン").await;
    lock_out(&p, &waits).await;
    p.wait_for_text("自動的にロックが解除されます").await;
    p.step("locked").await;
    log_in(&p, TECH, &waits.login_id.grouped(), &waits.password).await;
    p.wait_for_text("このIDは現在ロックされています").await;
    p.step("still-locked-with-the-right-password").await;
    app.clock.advance(Duration::from_secs(31 * 60));
    log_in(&p, TECH, &waits.login_id.grouped(), &waits.password).await;
    at_home(&p, TECH, &waits.name).await;
    p.step("home-after-waiting").await;
    p.click_button("ログアウト").await;
    p.wait_for_text("ログアウトしました").await;

    // The link in the lock mail.
    lock_out(&p, &mails).await;
    let mail = app
        .wait_for_mail("mails@example.jp", "アカウントがロックされました", 1)
        .await
        .remove(0);
    p.go(&app.url(&link_in(&mail.body, "/ccus_skill/unlock")))
        .await;
    p.wait_for_text("ロックの解除").await;
    p.step("unlock-confirm").await;
    p.click_button("ロックを解除する").await;
    p.wait_for_text("ロックを解除しました").await;
    p.step("unlocked").await;
    p.click_link("技能者ログイン画面へ").await;
    p.wait_for_text("技能者ログイン").await;
    p.step("login-id-filled").await;
    assert_eq!(
        digits(&p.value_of("技能者ID").await),
        mails.login_id.as_str()
    );
    p.fill("パスワード", &mails.password).await;
    p.click_button("ログイン").await;
    at_home(&p, TECH, &mails.name).await;
    p.step("home-after-unlock").await;
    b.finish(vec![p]).await;
}

// ---- 6 ---------------------------------------------------------------------------------------

async fn after_a_timeout_logging_in_again_returns_to_the_page(b: Browser) {
    let app = spawn_app().await;
    let acct = app.account(BIZ).await;
    let p = b.person("").await;
    p.go(&app.url("/ccus_owner/login")).await;
    p.wait_for_text("事業者ログイン").await;
    log_in(&p, BIZ, &acct.login_id.grouped(), &acct.password).await;
    at_home(&p, BIZ, &acct.name).await;
    p.step("home").await;
    p.click_link("アクセス履歴").await;
    p.wait_for_text("このアカウントへのログイン").await;
    p.step("history").await;

    // Away from the desk for longer than the idle timeout (30 minutes).
    app.clock.advance(Duration::from_secs(31 * 60));
    p.refresh().await;
    p.wait_for_text("タイムアウトしました").await;
    p.wait_for_text("ログインすると、元の画面に戻ります").await;
    p.step("timed-out").await;
    log_in(&p, BIZ, &acct.login_id.grouped(), &acct.password).await;
    p.wait_for_url("/ccus_owner/history").await;
    p.wait_for_text("このアカウントへのログイン").await;
    p.step("back-on-history").await;
    b.finish(vec![p]).await;
}

/// A form sent after the session ended: the login page offers the ID again, and after logging
/// in the person is back on the form with what they had typed (never the password).
async fn a_form_sent_after_a_timeout_comes_back_with_what_was_typed(b: Browser) {
    let app = spawn_app().await;
    let acct = account_at(&app, TECH, "slow@example.jp", "ケンセツ タロウ").await;
    let p = b.person("").await;
    p.go(&app.url("/ccus_skill/login")).await;
    p.wait_for_text("技能者ログイン").await;
    log_in(&p, TECH, &acct.login_id.grouped(), &acct.password).await;
    at_home(&p, TECH, &acct.name).await;
    p.click_link("メールアドレス変更").await;
    p.wait_for_text("登録メールアドレスの変更").await;
    p.fill("新しいメールアドレス", "new.address@example.jp")
        .await;
    p.fill("現在のパスワード", &acct.password).await;
    p.step("typing").await;

    // The phone rings; the form is sent after the idle timeout.
    app.clock.advance(Duration::from_secs(31 * 60));
    p.click_button("確認メールを送る").await;
    p.wait_for_text("タイムアウトしました").await;
    assert_eq!(
        digits(&p.value_of("技能者ID").await),
        acct.login_id.as_str(),
        "the ID is offered again"
    );
    p.step("timed-out").await;
    p.fill("パスワード", &acct.password).await;
    p.click_button("ログイン").await;
    p.wait_for_url("/ccus_skill/email/change").await;
    p.wait_for_text("入力していた内容を戻しました").await;
    assert_eq!(
        p.value_of("新しいメールアドレス").await,
        "new.address@example.jp"
    );
    assert_eq!(
        p.value_of("現在のパスワード").await,
        "",
        "a password is never kept"
    );
    p.step("back-with-what-was-typed").await;
    p.fill("現在のパスワード", &acct.password).await;
    p.click_button("確認メールを送る").await;
    p.wait_for_text("new.address@example.jp に確認メールをお送りしました")
        .await;
    b.finish(vec![p]).await;
}

// ---- 7 ---------------------------------------------------------------------------------------

async fn the_first_login_sets_a_password_with_the_security_code(b: Browser) {
    let app = spawn_app().await;
    let acct = app
        .account_with_initial_password(TECH, "hanako@example.jp")
        .await;
    let p = b.person("").await;
    p.go(&app.url("/ccus_skill/login")).await;
    p.wait_for_text("技能者ログイン").await;
    log_in(&p, TECH, &acct.login_id.grouped(), &acct.password).await;
    p.wait_for_text("パスワードの設定（初回）").await;
    p.wait_for_text("ご自分のパスワードを設定してください")
        .await;
    p.step("initial-password-form").await;
    p.fill("本人確認番号（4桁）", "2468").await;
    p.fill("新しいパスワード", NEW_PASSWORD).await;
    p.fill("新しいパスワード（確認）", NEW_PASSWORD).await;
    p.click_button("パスワードを設定する").await;
    p.wait_for_text("パスワードを設定しました").await;
    at_home(&p, TECH, &acct.name).await;
    p.step("home").await;
    b.finish(vec![p]).await;
}

// ---- 8 ---------------------------------------------------------------------------------------

async fn a_new_email_address_is_confirmed_by_the_link_sent_to_it(b: Browser) {
    let app = spawn_app().await;
    let acct = account_at(&app, BIZ, "old@example.jp", "ミホン").await;
    let p = b.person("").await;
    p.go(&app.url("/ccus_owner/login")).await;
    p.wait_for_text("事業者ログイン").await;
    log_in(&p, BIZ, &acct.login_id.grouped(), &acct.password).await;
    at_home(&p, BIZ, &acct.name).await;
    p.click_link("メールアドレス変更").await;
    p.wait_for_text("登録メールアドレスの変更").await;
    p.step("email-change-form").await;
    p.fill("現在のパスワード", &acct.password).await;
    p.fill("新しいメールアドレス", "new@example.jp").await;
    p.click_button("確認メールを送る").await;
    p.wait_for_text("new@example.jp に確認メールをお送りしました")
        .await;
    p.step("confirmation-sent").await;
    let mail = app
        .wait_for_mail("new@example.jp", "メールアドレス変更の確認", 1)
        .await
        .remove(0);
    p.go(&app.url(&link_in(&mail.body, "/ccus_owner/email/confirm")))
        .await;
    p.wait_for_text("new@example.jp に変更します").await;
    p.step("confirm-page").await;
    p.click_button("変更を確定する").await;
    p.wait_for_text("メールアドレスを変更しました").await;
    p.step("changed").await;
    app.wait_for_mail("old@example.jp", "登録メールアドレス変更のお知らせ", 1)
        .await;
    b.finish(vec![p]).await;
}

// ---- 9 ---------------------------------------------------------------------------------------

async fn an_inquiry_with_a_photo_gets_a_receipt_number_on_screen_and_by_mail(b: Browser) {
    let app = spawn_app().await;
    let p = b.person("").await;
    let receipt = send_inquiry(&p, &app, "", "now@example.jp").await;
    assert!(receipt.starts_with('Q'), "{receipt}");
    let mail = app
        .wait_for_mail("now@example.jp", "お問い合わせを受け付けました", 1)
        .await
        .remove(0);
    assert!(
        mail.body.contains(&format!("受付番号: {receipt}")),
        "{}",
        mail.body
    );
    b.finish(vec![p]).await;
}

// ---- 10 --------------------------------------------------------------------------------------

const STAFF_PW: &str = "helpdesk desk password";

async fn helpdesk_staff_enrol_then_change_an_email_and_send_a_reset_link_from_an_inquiry(
    b: Browser,
) {
    let app = spawn_app_with(ccus_storage::testdb::sqlite_url(), |c| {
        c.staff.totp_key = base64::engine::general_purpose::STANDARD.encode([42u8; 32]);
    })
    .await;
    let worker = account_at(&app, TECH, "old-job@example.jp", "ケンセツ タロウ").await;
    let (staff_id, _) = ccus_app::account::provisioning::create_staff(
        &app.state,
        "窓口 一郎",
        "desk@example.jp",
        StaffRole::Supervisor,
        Some(STAFF_PW.into()),
    )
    .await
    .unwrap();

    // The technician asks for help.
    let user = b.person("user").await;
    let receipt = send_inquiry(
        &user,
        &app,
        &worker.login_id.grouped(),
        "new-phone@example.jp",
    )
    .await;

    // The staff member's first login: enrol the authenticator.
    let desk = staff_signed_in(&b, &app, "staff", &staff_id).await;

    // The queue, the inquiry, the account it is about.
    desk.click_link("お問い合わせ一覧").await;
    desk.wait_for_text(&receipt).await;
    desk.step("queue").await;
    desk.click_link(&receipt).await;
    desk.wait_for_text("候補のアカウント").await;
    desk.wait_for_text("card-photo.png").await;
    desk.step("inquiry").await;
    desk.click_link(&worker.login_id.grouped()).await;
    desk.wait_for_text("登録メールアドレス").await;
    desk.wait_for_text("old-job@example.jp").await;
    desk.step("account").await;
    let reason = format!("お問い合わせ {receipt}: 運転免許証で本人確認");
    let change = "登録メールアドレスを変更する";
    desk.fill_in(change, "新しいメールアドレス", "new-phone@example.jp")
        .await;
    desk.fill_in(change, "理由", &reason).await;
    desk.click_button_in(change, change).await;
    desk.wait_for_text(&format!("「{change}」を行いました。"))
        .await;
    desk.wait_for_text("new-phone@example.jp").await;
    desk.step("email-changed").await;
    let reset = "パスワード再設定メールを送る";
    desk.fill_in(reset, "理由", &reason).await;
    desk.click_button_in(reset, reset).await;
    desk.wait_for_text(&format!("「{reset}」を行いました。"))
        .await;
    desk.step("reset-sent").await;

    // The technician gets the link at the new address.
    let mail = app
        .wait_for_mail("new-phone@example.jp", "パスワード再設定のご案内", 1)
        .await
        .remove(0);
    link_in(&mail.body, "/ccus_skill/password/reset");
    b.finish(vec![user, desk]).await;
}

// ---- 11 --------------------------------------------------------------------------------------

async fn maintenance_is_announced_before_and_explained_during_the_window(b: Browser) {
    let app = spawn_app().await;
    let jst = |t: ccus_domain::Timestamp| {
        let d = ccus_domain::calendar::jst_datetime(t).unwrap();
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02}",
            d.year(),
            u8::from(d.month()),
            d.day(),
            d.hour(),
            d.minute()
        )
    };
    let now = app.state.clock().now();
    // As an operator does with `ccus admin maintenance schedule`.
    ccus_app::ops::operations::run(
        &app.state,
        ccus_app::ops::operations::Operator::CommandLine,
        ccus_app::ops::operations::Operation::ScheduleMaintenance {
            from: jst(now.plus(Duration::from_secs(3600))),
            to: jst(now.plus(Duration::from_secs(3 * 3600))),
            message: "サーバー機器の更新".into(),
        },
    )
    .await
    .unwrap();
    let p = b.person("").await;
    p.go(&app.url("/")).await;
    p.wait_for_text("メンテナンスのお知らせ").await;
    p.wait_for_text("ログインできません").await;
    p.step("banner-before").await;

    app.clock.advance(Duration::from_secs(90 * 60));
    p.click_link("技能者ログインへ").await;
    p.wait_for_text("メンテナンス中").await;
    p.wait_for_text("サーバー機器の更新").await;
    p.step("during").await;
    b.finish(vec![p]).await;
}

// ---- 12 --------------------------------------------------------------------------------------

async fn internet_explorer_is_told_to_use_edge_or_chrome(b: Browser) {
    let app = spawn_app().await;
    let p = b
        .person_with(
            "",
            SessionOptions {
                user_agent: Some(IE11.into()),
                ..Default::default()
            },
        )
        .await;
    p.go(&app.url("/")).await;
    p.wait_for_text("Internet Explorerはご利用いただけません")
        .await;
    p.wait_for_text("Microsoft Edge").await;
    p.step("top").await;
    p.go(&app.url("/ccus_skill/login")).await;
    p.wait_for_text("Internet Explorerはご利用いただけません")
        .await;
    p.step("login").await;
    b.finish(vec![p]).await;
}

// ---- 13 --------------------------------------------------------------------------------------

async fn while_the_portal_is_busy_a_new_browser_pays_a_little_work_and_logs_in(b: Browser) {
    // As while a flood keeps every hashing worker busy: each login page asks for work.
    let app = spawn_app_with(ccus_storage::testdb::sqlite_url(), |c| {
        c.hashing.challenge = ccus_app::config::ChallengeMode::Always;
        c.hashing.challenge_bits = 14;
    })
    .await;
    let acct = app.account(TECH).await;
    let p = b.person("").await;
    p.go(&app.url("/ccus_skill/login")).await;
    p.wait_for_text("技能者ログイン").await;
    p.step("login").await;
    // The person types and presses ログイン at once; the page's script finishes its work (or
    // makes them wait a moment) and sends the form.
    log_in(&p, TECH, &acct.login_id.grouped(), &acct.password).await;
    at_home(&p, TECH, &acct.name).await;
    p.step("home").await;
    assert_eq!(
        app.state.challenges().accepted(),
        1,
        "the attempt carried a proof the portal accepted"
    );
    b.finish(vec![p]).await;
}

// ---- 14 --------------------------------------------------------------------------------------

async fn a_technician_applies_online_fixes_a_defect_and_logs_in_with_the_card(b: Browser) {
    let app = spawn_app_with(ccus_storage::testdb::sqlite_url(), |c| {
        c.staff.totp_key = base64::engine::general_purpose::STANDARD.encode([42u8; 32]);
    })
    .await;
    const EMAIL: &str = "ichiro.tanaka@example.jp";
    const APPLY_PW: &str = "river stones in spring";
    let (staff_id, _) = ccus_app::account::provisioning::create_staff(
        &app.state,
        "審査 花子",
        "screen@example.jp",
        StaffRole::Screener,
        Some(STAFF_PW.into()),
    )
    .await
    .unwrap();

    // The application login, from the link in the mail.
    let p = b.person("applicant").await;
    p.go(&app.url("/apply")).await;
    p.wait_for_text("申請の流れ").await;
    p.step("top").await;
    p.click_link("申請用IDを作成して申請を始める").await;
    p.fill("メールアドレス", EMAIL).await;
    p.click_button("確認メールを送る").await;
    p.wait_for_text("確認メールを送信しました").await;
    p.step("mail-sent").await;
    let mail = app.wait_for_mail(EMAIL, "申請用IDの作成", 1).await;
    p.go(&app.url(&link_in(&mail[0].body, "/apply/confirm")))
        .await;
    p.wait_for_text("申請用パスワードの設定").await;
    p.step("set-password").await;
    p.fill("申請用パスワード", APPLY_PW).await;
    p.click_button("パスワードを設定して申請を始める").await;
    p.wait_for_text("まだ申請はありません").await;

    // A draft, saved and resumed after logging in again.
    p.click_button("技能者登録の申請を新しく始める").await;
    p.wait_for_text("一時保存").await;
    p.select("登録の種類", "簡略型").await;
    p.fill("氏名", "田中 一郎").await;
    p.fill("フリガナ", "タナカ イチロウ").await;
    p.step("form").await;
    p.click_button("一時保存").await;
    p.wait_for_text("一時保存しました").await;
    p.step("draft-saved").await;
    p.click_link("← 申請の状況").await;
    p.click_button("ログアウト").await;
    p.wait_for_text("申請の流れ").await;
    p.click_link("申請用IDでログイン").await;
    p.fill("申請用ID（メールアドレス）", EMAIL).await;
    p.fill("申請用パスワード", APPLY_PW).await;
    p.click_button("ログイン").await;
    p.wait_for_text("作成中（一時保存）").await;
    p.step("status").await;
    let id = app
        .state
        .store_for_tools()
        .registrations()
        .applications_in(ccus_domain::registration::Status::Draft, 10)
        .await
        .unwrap()[0]
        .id
        .to_string();
    p.click_link(&id).await;
    p.wait_for_text("一時保存").await;
    assert_eq!(p.value_of("氏名").await, "田中 一郎");
    p.fill("生年月日", "1988-07-15").await;
    p.select("性別", "男性").await;
    p.fill("国籍", "日本").await;
    p.fill("郵便番号", "100-0013").await;
    p.fill("住所", "東京都千代田区霞が関2-1-3").await;
    p.fill("電話番号", "090-1234-5678").await;
    p.select("社会保険の加入状況", "健康保険").await;
    // The identity document and the face photo, photographed with the phone — uploaded
    // straight after typing, without 一時保存: nothing typed is lost by any button.
    let dir = tempfile::tempdir().unwrap();
    let card = png_file(dir.path());
    let photo = face_photo_file(dir.path());
    for (kind, file) in [("本人確認書類", &card), ("顔写真", &photo)] {
        p.select("書類の種類", kind).await;
        p.upload("ファイル", file).await;
        p.click_button("書類をアップロードする").await;
        p.wait_for_text("書類をアップロードしました").await;
        assert_eq!(p.value_of("住所").await, "東京都千代田区霞が関2-1-3");
        assert_eq!(p.value_of("電話番号").await, "090-1234-5678");
    }
    p.step("documents").await;
    p.click_button("申請する").await;
    p.wait_for_text("申請を受け付けました").await;
    p.step("submitted").await;

    // The screener returns the phone number.
    let desk = staff_signed_in(&b, &app, "screener", &staff_id).await;
    desk.click_link("登録審査").await;
    desk.wait_for_text("田中 一郎").await;
    desk.step("queue").await;
    desk.click_link(&format!("田中 一郎（申請番号 {id}）"))
        .await;
    desk.wait_for_text("タナカ イチロウ").await;
    desk.wait_for_text("顔写真").await;
    desk.step("application").await;
    desk.check("電話番号を不備として返す").await;
    desk.select("不備の理由（電話番号）", "本人確認書類の内容と一致しません")
        .await;
    desk.fill("申請者へのコメント（電話番号）", "書類の番号と違います")
        .await;
    desk.fill("記録に残す理由", "電話番号が本人確認書類と不一致")
        .await;
    desk.click_button("選んだ項目を不備として返す").await;
    desk.wait_for_text("不備として返しました").await;
    desk.step("returned").await;

    // The applicant opens the mail, fixes only that item and sends it again.
    let mail = app.wait_for_mail(EMAIL, "申請内容不備のお知らせ", 1).await;
    assert!(mail[0].body.contains("電話番号"));
    p.go(&app.url(&link_in(&mail[0].body, "/apply/home"))).await;
    p.wait_for_text("不備があります").await;
    p.click_link(&id).await;
    p.wait_for_text("不備: 本人確認書類の内容と一致しません")
        .await;
    p.step("defect").await;
    p.fill("電話番号", "03-1234-5678").await;
    p.click_button("申請する").await;
    p.wait_for_text("申請を受け付けました").await;

    // Approval, the fee, 登録完了 with the card notice.
    desk.go(&app.url(&format!("/helpdesk/registrations/{id}")))
        .await;
    desk.wait_for_text("03-1234-5678").await;
    let (login_id, initial, code) =
        approve_pay_and_issue(&desk, "運転免許証で確認", "FURIKOMI-0001", "技能者", "card").await;
    let mail = app.wait_for_mail(EMAIL, "登録完了のお知らせ", 1).await;
    assert!(mail[0].body.contains(&login_id));

    // The first login with the card.
    first_login_with_card(&app, &p, TECH, (&login_id, &initial, &code), "田中 一郎").await;
    p.step("home").await;
    b.finish(vec![p, desk]).await;
}

// ---- 15 --------------------------------------------------------------------------------------

async fn a_business_applies_online_and_its_holder_logs_in_at_the_business_entrance(b: Browser) {
    let app = spawn_app_with(ccus_storage::testdb::sqlite_url(), |c| {
        c.staff.totp_key = base64::engine::general_purpose::STANDARD.encode([42u8; 32]);
    })
    .await;
    const EMAIL: &str = "office@mihon-kensetsu.example.jp";
    const APPLY_PW: &str = "scaffold poles at dawn";
    let (staff_id, _) = ccus_app::account::provisioning::create_staff(
        &app.state,
        "審査 花子",
        "screen@example.jp",
        StaffRole::Screener,
        Some(STAFF_PW.into()),
    )
    .await
    .unwrap();

    let p = b.person("business").await;
    p.go(&app.url("/apply/start")).await;
    p.fill("メールアドレス", EMAIL).await;
    p.click_button("確認メールを送る").await;
    p.wait_for_text("確認メールを送信しました").await;
    let mail = app.wait_for_mail(EMAIL, "申請用IDの作成", 1).await;
    p.go(&app.url(&link_in(&mail[0].body, "/apply/confirm")))
        .await;
    p.fill("申請用パスワード", APPLY_PW).await;
    p.click_button("パスワードを設定して申請を始める").await;
    p.wait_for_text("まだ申請はありません").await;
    p.click_button("事業者登録の申請を新しく始める").await;
    p.wait_for_text("事業者登録の申請").await;
    p.fill("商号（会社名・屋号）", "株式会社 見本建設").await;
    p.fill("商号のフリガナ", "カブシキガイシャ ミホンケンセツ")
        .await;
    p.fill("代表者氏名", "見本 太郎").await;
    p.select("事業の形態", "法人").await;
    p.fill("資本金", "1000万").await;
    p.fill("郵便番号", "100-0013").await;
    p.fill("住所", "東京都千代田区霞が関2-1-3").await;
    p.fill("電話番号", "03-1234-5678").await;
    p.fill("登録責任者の氏名", "見本 花子").await;
    p.step("form").await;
    p.click_button("一時保存").await;
    p.wait_for_text("24,000円").await;
    let dir = tempfile::tempdir().unwrap();
    p.select("書類の種類", "登記事項証明書").await;
    p.upload("ファイル", &png_file(dir.path())).await;
    p.click_button("書類をアップロードする").await;
    p.wait_for_text("書類をアップロードしました").await;
    p.click_button("申請する").await;
    p.wait_for_text("申請を受け付けました").await;
    p.step("submitted").await;

    let desk = staff_signed_in(&b, &app, "screener", &staff_id).await;
    desk.click_link("登録審査").await;
    desk.click_link("株式会社 見本建設（申請番号 1）").await;
    desk.wait_for_text("株式会社 見本建設").await;
    desk.step("application").await;
    let (login_id, initial, code) = approve_pay_and_issue(
        &desk,
        "登記事項証明書で確認",
        "FURIKOMI-0100",
        "事業者",
        "notice",
    )
    .await;

    // The 事業者責任者 logs in at the business entrance.
    first_login_with_card(
        &app,
        &p,
        BIZ,
        (&login_id, &initial, &code),
        "株式会社 見本建設",
    )
    .await;
    p.step("home").await;
    b.finish(vec![p, desk]).await;
}

// ---- 16 --------------------------------------------------------------------------------------

async fn a_business_applies_for_its_worker_who_consents_and_logs_in_alone(b: Browser) {
    let app = spawn_app_with(ccus_storage::testdb::sqlite_url(), |c| {
        c.staff.totp_key = base64::engine::general_purpose::STANDARD.encode([42u8; 32]);
    })
    .await;
    const OFFICE: &str = "jimu@mihon-kensetsu.example.jp";
    const WORKER: &str = "nguyen.van.an@example.jp";
    let biz = account_at(&app, BIZ, OFFICE, "ミホンケンセツ").await;
    let (staff_id, _) = ccus_app::account::provisioning::create_staff(
        &app.state,
        "審査 花子",
        "screen@example.jp",
        StaffRole::Screener,
        Some(STAFF_PW.into()),
    )
    .await
    .unwrap();

    // The business opens 代行申請 from its menu and starts a draft for its worker.
    let p = b.person("business").await;
    p.go(&app.url("/ccus_owner/login")).await;
    log_in(&p, BIZ, &biz.login_id.to_string(), &biz.password).await;
    at_home(&p, BIZ, "建設 太郎").await;
    p.click_link("技能者の代行申請").await;
    p.wait_for_text("本人の同意が必要です").await;
    p.step("proxy-top").await;
    p.click_button("代行申請の画面を開く").await;
    p.wait_for_text("代行申請: ").await;
    p.click_button("技能者の代行申請を新しく始める").await;
    p.wait_for_text("本人の同意（代行申請）").await;
    p.select("登録の種類", "簡略型").await;
    p.fill("氏名", "グエン ヴァン アン").await;
    p.fill("フリガナ", "グエン ヴァン アン").await;
    p.fill("生年月日", "1995-03-10").await;
    p.fill("本人のメールアドレス", WORKER).await;
    p.click_button("一時保存").await;
    p.wait_for_text("一時保存しました").await;
    p.step("draft").await;

    // Later: back from the menu to the same draft.
    p.click_link("← 申請の状況").await;
    p.click_button("代行申請を終える").await;
    p.wait_for_text("申請の流れ").await;
    p.go(&app.url("/ccus_owner/home")).await;
    p.click_link("技能者の代行申請").await;
    p.click_button("代行申請の画面を開く").await;
    p.wait_for_text("作成中（一時保存）").await;
    let id = app
        .state
        .store_for_tools()
        .registrations()
        .applications_in(ccus_domain::registration::Status::Draft, 10)
        .await
        .unwrap()[0]
        .id
        .to_string();
    p.click_link(&id).await;
    p.wait_for_text("まだ同意を依頼していません").await;
    assert_eq!(p.value_of("本人のメールアドレス").await, WORKER);
    p.click_button("本人に同意を依頼するメールを送る").await;
    p.wait_for_text("本人に同意を依頼するメールを送りました")
        .await;
    p.step("consent-asked").await;

    // The worker opens the mail on their phone and consents.
    let w = b.person("worker").await;
    let mail = app
        .wait_for_mail(WORKER, "技能者登録の代行申請への同意のお願い", 1)
        .await;
    w.go(&app.url(&link_in(&mail[0].body, "/apply/consent")))
        .await;
    w.wait_for_text("代行申請への同意").await;
    w.wait_for_text("グエン ヴァン アン").await;
    w.step("consent").await;
    w.click_button("同意する").await;
    w.wait_for_text("代行申請に同意しました").await;
    w.step("consented").await;

    // The business completes the form, sends the documents and applies.
    app.wait_for_mail(OFFICE, "代行申請に本人が同意しました", 1)
        .await;
    p.go(&app.url(&format!("/apply/{id}"))).await;
    p.wait_for_text("本人が同意しました").await;
    p.select("性別", "男性").await;
    p.fill("国籍", "ベトナム").await;
    p.fill("在留カード番号", "AB12345678CD").await;
    p.fill("郵便番号", "100-0013").await;
    p.fill("住所", "東京都千代田区霞が関2-1-3").await;
    p.fill("電話番号", "090-1234-5678").await;
    p.select("社会保険の加入状況", "健康保険").await;
    p.click_button("一時保存").await;
    p.wait_for_text("一時保存しました").await;
    let dir = tempfile::tempdir().unwrap();
    let card = png_file(dir.path());
    let photo = face_photo_file(dir.path());
    for (kind, file) in [
        ("本人確認書類", &card),
        ("顔写真", &photo),
        ("在留カード", &card),
    ] {
        p.select("書類の種類", kind).await;
        p.upload("ファイル", file).await;
        p.click_button("書類をアップロードする").await;
        p.wait_for_text("書類をアップロードしました").await;
    }
    p.click_button("申請する").await;
    p.wait_for_text("申請を受け付けました").await;
    p.step("submitted").await;

    // The screener sees it is a 代行申請 with consent, and returns the phone number.
    let desk = staff_signed_in(&b, &app, "screener", &staff_id).await;
    desk.go(&app.url(&format!("/helpdesk/registrations/{id}")))
        .await;
    desk.wait_for_text("代行申請: ").await;
    desk.wait_for_text("本人が同意しました").await;
    desk.step("application").await;
    desk.check("電話番号を不備として返す").await;
    desk.select("不備の理由（電話番号）", "本人確認書類の内容と一致しません")
        .await;
    desk.fill("記録に残す理由", "電話番号が在留カードと不一致")
        .await;
    desk.click_button("選んだ項目を不備として返す").await;
    desk.wait_for_text("不備として返しました").await;

    // The business fixes the item from the mail's link.
    let mail = app.wait_for_mail(OFFICE, "申請内容不備のお知らせ", 1).await;
    p.go(&app.url(&link_in(&mail[0].body, "/apply/home"))).await;
    p.click_link(&id).await;
    p.wait_for_text("不備: 本人確認書類の内容と一致しません")
        .await;
    p.fill("電話番号", "080-2222-3333").await;
    p.click_button("申請する").await;
    p.wait_for_text("申請を受け付けました").await;

    // Approval, the fee, 登録完了.
    desk.go(&app.url(&format!("/helpdesk/registrations/{id}")))
        .await;
    desk.wait_for_text("080-2222-3333").await;
    let (login_id, initial, code) =
        approve_pay_and_issue(&desk, "在留カードで確認", "FURIKOMI-0300", "技能者", "card").await;

    // The ID reaches the worker; the business is told the ID and nothing secret.
    let mail = app.wait_for_mail(WORKER, "登録完了のお知らせ", 1).await;
    assert!(mail[0].body.contains(&login_id));
    let told = app
        .wait_for_mail(OFFICE, "代行申請の登録完了のお知らせ", 1)
        .await;
    assert!(!told[0].body.contains(&initial));
    p.go(&app.url(&format!("/apply/{id}"))).await;
    p.wait_for_text("ログインは本人だけが行います").await;
    p.step("issued").await;

    // The worker's own first login with the card.
    first_login_with_card(
        &app,
        &w,
        TECH,
        (&login_id, &initial, &code),
        "グエン ヴァン アン",
    )
    .await;
    w.step("home").await;
    b.finish(vec![p, w, desk]).await;
}

// ---- 17 --------------------------------------------------------------------------------------

async fn a_business_gives_each_person_a_login_and_links_a_technician(b: Browser) {
    let app = spawn_app_with(ccus_storage::testdb::sqlite_url(), |_| {}).await;
    const OWNER: &str = "sekinin@mihon-kensetsu.example.jp";
    const SITE: &str = "genba@mihon-kensetsu.example.jp";
    const SITE_PW: &str = "hard hats and boots";
    let owner = account_at(&app, BIZ, OWNER, "ミホンケンセツ").await;
    let tech = account_at(&app, TECH, "yamada@example.jp", "ヤマダ タロウ").await;

    // The 責任者 builds two tiers and issues a 現場管理者 in the lower one.
    let p = b.person("owner").await;
    p.go(&app.url("/ccus_owner/login")).await;
    log_in(&p, BIZ, &owner.login_id.to_string(), &owner.password).await;
    at_home(&p, BIZ, "建設 太郎").await;
    p.click_link("組織と管理者ID").await;
    p.wait_for_text("階層を作る").await;
    p.step("organisation").await;
    p.fill("階層の名前", "東京支店").await;
    p.click_button("階層を作る").await;
    p.wait_for_text("階層を作りました").await;
    p.select("作る場所", "第1階層「東京支店」の下").await;
    p.fill("階層の名前", "第一工事部").await;
    p.click_button("階層を作る").await;
    p.wait_for_text("第2階層「第一工事部」").await;
    p.fill("氏名", "現場 次郎").await;
    p.fill("メールアドレス（本人）", SITE).await;
    p.select("役割", "現場管理者").await;
    p.select("所属する階層", "第2階層「第一工事部」").await;
    p.step("tiers").await;
    p.click_button("管理者IDを発行する").await;
    p.wait_for_text("管理者IDを発行しました").await;
    p.step("issued").await;
    let text = p.text().await;
    let site_id: String = text[text.find("管理者ID: ").unwrap() + "管理者ID: ".len()..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ' ')
        .filter(char::is_ascii_digit)
        .collect();

    // The 現場管理者 chooses a password from the mail and logs in with their own ID.
    let s = b.person("site-manager").await;
    let mail = app.wait_for_mail(SITE, "管理者IDの発行のお知らせ", 1).await;
    s.go(&app.url(&link_in(&mail[0].body, "/ccus_owner/password/reset")))
        .await;
    s.wait_for_text("新しいパスワード").await;
    s.fill("新しいパスワード", SITE_PW).await;
    s.fill("新しいパスワード（確認）", SITE_PW).await;
    s.click_button("パスワードを設定する").await;
    s.wait_for_text("パスワードを再設定しました").await;
    s.go(&app.url("/ccus_owner/login")).await;
    s.fill("事業者ID", &site_id).await;
    s.fill("パスワード", SITE_PW).await;
    s.click_button("ログイン").await;
    s.wait_for_text("現場管理者・第2階層「第一工事部」").await;
    s.step("home").await;
    s.click_button("ログアウト").await;

    // Locked by wrong passwords, unlocked by the 責任者.
    for i in 1..=5 {
        s.go(&app.url("/ccus_owner/login")).await;
        s.fill("事業者ID", &site_id).await;
        s.fill("パスワード", "not my password").await;
        s.click_button("ログイン").await;
        if i < 5 {
            s.wait_for_text("IDまたはパスワードが違います").await;
        }
    }
    s.wait_for_text("このIDは現在ロックされています").await;
    s.step("locked").await;
    p.go(&app.url("/ccus_owner/org")).await;
    p.click_link("現場 次郎").await;
    p.wait_for_text("ロック中").await;
    p.wait_for_text("ログイン失敗が続いたためロック").await;
    p.step("member").await;
    p.click_button("ロックを解除する").await;
    p.wait_for_text("ロックを解除しました").await;
    s.go(&app.url("/ccus_owner/login")).await;
    s.fill("事業者ID", &site_id).await;
    s.fill("パスワード", SITE_PW).await;
    s.click_button("ログイン").await;
    s.wait_for_text("現場 次郎 様").await;

    // 所属: the business asks; it sees only the ID until the technician accepts.
    p.go(&app.url("/ccus_owner/home")).await;
    p.click_link("所属技能者").await;
    p.fill("技能者ID", &tech.login_id.grouped()).await;
    p.click_button("所属の依頼を送る").await;
    p.wait_for_text("所属の依頼を送りました").await;
    p.wait_for_text("本人の設定により非開示").await;
    p.step("request-sent").await;
    let t = b.person("technician").await;
    t.go(&app.url("/ccus_skill/login")).await;
    log_in(&t, TECH, &tech.login_id.to_string(), &tech.password).await;
    at_home(&t, TECH, "建設 太郎").await;
    t.click_link("所属事業者と情報の開示").await;
    t.wait_for_text("所属技能者として登録する依頼が届いています")
        .await;
    t.step("request").await;
    t.click_button("承認する").await;
    t.wait_for_text("所属の依頼を承認しました").await;
    t.step("accepted").await;
    p.go(&app.url("/ccus_owner/technicians")).await;
    p.wait_for_text("ヤマダ タロウ").await;
    p.wait_for_text("1985-04-01").await;
    p.step("technicians").await;
    // The 現場管理者 sees the list, without the request form.
    s.click_link("所属技能者").await;
    s.wait_for_text("ヤマダ タロウ").await;
    assert!(!s.text().await.contains("所属の依頼を送る"));
    s.step("technicians").await;
    b.finish(vec![p, s, t]).await;
}

// ---- 18 --------------------------------------------------------------------------------------

/// The distance in pixels between the bottom of the page's header and the top of what comes
/// first in its main part.
async fn gap_below_header(p: &Session) -> f64 {
    p.script(
        "var h = document.querySelector('header').getBoundingClientRect();\n\
         var m = document.querySelector('main').firstElementChild.getBoundingClientRect();\n\
         return m.top - h.bottom;",
    )
    .await
    .as_f64()
    .unwrap()
}

/// On a phone, a table's rows are cards whose labels sit in a column of their own: the widths
/// of that column and of the label `label` set on one line (the column must hold it whole: it
/// never breaks mid-word). `None` while the page is wider than a phone (Firefox, which has no
/// device emulation, is a phone only while its screenshots are taken).
async fn label_and_its_column(p: &Session, label: &str) -> Option<(f64, f64)> {
    let v = p
        .script(&format!(
            "if (innerWidth >= 600) {{ return null; }}\n\
             var td = [...document.querySelectorAll('td[data-label]')]\n\
               .find(function (e) {{ return e.getAttribute('data-label') === {label:?}; }});\n\
             if (!td) {{ return [0, 1]; }}\n\
             var style = getComputedStyle(td, '::before');\n\
             var probe = document.createElement('span');\n\
             probe.textContent = {label:?};\n\
             probe.style.cssText = 'position:absolute;visibility:hidden;white-space:nowrap';\n\
             probe.style.font = style.font;\n\
             probe.style.fontFamily = style.fontFamily;\n\
             probe.style.fontSize = style.fontSize;\n\
             probe.style.fontWeight = style.fontWeight;\n\
             probe.style.letterSpacing = style.letterSpacing;\n\
             td.appendChild(probe);\n\
             var width = probe.getBoundingClientRect().width;\n\
             probe.remove();\n\
             return [parseFloat(getComputedStyle(td).gridTemplateColumns.split(' ')[0]), width];"
        ))
        .await;
    if v.is_null() {
        return None;
    }
    Some((v[0].as_f64().unwrap_or(0.0), v[1].as_f64().unwrap_or(1.0)))
}

async fn someone_who_cannot_log_in_answers_a_few_questions_and_reaches_the_fix(b: Browser) {
    let app = spawn_app_with(ccus_storage::testdb::sqlite_url(), |_| {}).await;
    let p = b.person("worker").await;

    // From the wrong-password message on the login page.
    let worker = account_at(&app, TECH, "worker@example.jp", "ケンセツ").await;
    p.go(&app.url("/ccus_skill/login")).await;
    log_in(&p, TECH, &worker.login_id.grouped(), "not my password").await;
    p.wait_for_text("IDまたはパスワードが違います").await;
    p.click_link("パスワードを忘れた・メールが届かないなど、ログインできない方へ")
        .await;
    p.wait_for_text("登録メールアドレスで、いまメールを受け取れますか")
        .await;
    p.step("mail-question").await;
    p.click_link("受け取れない").await;
    p.wait_for_text("お問い合わせフォームからご連絡ください")
        .await;
    p.step("ending").await;
    p.click_link("お問い合わせフォームへ").await;
    p.wait_for_text("「ログインできない方へ」で確認したこと")
        .await;
    p.step("inquiry").await;

    // Every ending, by clicking the answers from the first question.
    let paths: &[(&[&str], &str)] = &[
        (
            &[
                "技能者（技能者ID）",
                "「IDまたはパスワードが違います」",
                "受け取れる",
            ],
            "パスワードを再設定してください",
        ),
        (
            &[
                "技能者（技能者ID）",
                "「このIDは現在ロックされています」",
                "受け取れる",
            ],
            "ロック解除のメールをご確認ください",
        ),
        (
            &[
                "事業者（事業者ID・管理者ID）",
                "「このIDは現在ロックされています」",
                "受け取れない",
            ],
            "お問い合わせフォームからご連絡ください",
        ),
        (
            &["技能者（技能者ID）", "IDが分からない", "受け取れる"],
            "IDをメールで受け取ってください",
        ),
        (
            &["分からない", "IDも分からない", "受け取れない"],
            "お問い合わせフォームからご連絡ください",
        ),
        (
            &["技能者（技能者ID）", "「タイムアウトしました」"],
            "もう一度ログインしてください",
        ),
        (
            &["技能者（技能者ID）", "メンテナンス中の案内"],
            "メンテナンスの終了をお待ちください",
        ),
        (
            &[
                "事業者（事業者ID・管理者ID）",
                "「この管理者IDは利用停止中です」",
            ],
            "事業者の管理者に、利用の再開を依頼してください",
        ),
        (
            &["技能者（技能者ID）", "そのほか"],
            "お問い合わせフォームからご連絡ください",
        ),
    ];
    // The guide's first words keep their distance from the header.
    p.go(&app.url("/help/login")).await;
    p.wait_for_text("どちらでログインしようとしていますか")
        .await;
    let gap = gap_below_header(&p).await;
    assert!(gap >= 16.0, "「質問 1」 sits {gap} px below the header");
    for (answers, ending) in paths {
        p.go(&app.url("/help/login")).await;
        p.wait_for_text("どちらでログインしようとしていますか")
            .await;
        for a in *answers {
            p.click_link(a).await;
        }
        p.wait_for_text(ending).await;
        // Whether the fix is the person's own or the helpdesk's, the inquiry form it links
        // opens with its category chosen.
        if ending.starts_with("お問い合わせ") {
            p.click_link("お問い合わせフォームへ").await;
        } else {
            p.click_link("それでも解決しない場合（お問い合わせ）").await;
        }
        p.wait_for_text("「ログインできない方へ」で確認したこと")
            .await;
        assert!(
            !p.value_of("お問い合わせの種類").await.is_empty(),
            "{ending}: the inquiry opens with a category"
        );
    }
    // The wrong entrance: the ID typed leads to the right login page, filled in.
    let biz = account_at(&app, BIZ, "office@example.jp", "ミホン").await;
    p.go(&app.url("/help/login")).await;
    p.click_link("分からない").await;
    p.fill("お持ちのID（14桁）", &biz.login_id.grouped()).await;
    p.click_button("次へ").await;
    p.wait_for_text("事業者ログイン画面からログインしてください")
        .await;
    p.step("right-entrance").await;
    p.click_link("事業者ログイン画面へ（IDは入力済みです）")
        .await;
    p.wait_for_text("事業者ログイン").await;
    assert_eq!(digits(&p.value_of("事業者ID").await), biz.login_id.as_str());
    b.finish(vec![p]).await;
}

// ---- 19 --------------------------------------------------------------------------------------

async fn on_a_phone_a_worker_registers_a_passkey_and_logs_in_with_it(b: Browser) {
    let app = TestApp::builder().localhost().start().await;
    const EMAIL: &str = "passkey.user@example.jp";
    let worker = account_at(&app, TECH, EMAIL, "ケンセツ タロウ").await;
    let p = b
        .person_with(
            "worker",
            // The phone's own authenticator (the browser's virtual one).
            SessionOptions {
                size: ccus_testkit::browser::PHONE,
                phone_emulation: true,
                authenticator: true,
                ..Default::default()
            },
        )
        .await;

    // Logged in with the password, the worker registers a passkey from the menu.
    p.go(&app.url("/ccus_skill/login")).await;
    log_in(&p, TECH, &worker.login_id.to_string(), &worker.password).await;
    at_home(&p, TECH, "建設 太郎").await;
    p.click_link("パスキー").await;
    p.wait_for_text("登録されたパスキーはありません").await;
    p.step("passkeys").await;
    p.fill("パスキーの名前", "仕事用スマートフォン").await;
    p.click_button("パスキーを登録する").await;
    p.wait_for_text("パスキーを登録しました").await;
    p.wait_for_text("仕事用スマートフォン").await;
    // At phone width the table's labels keep to one line.
    if let Some((column, label)) = label_and_its_column(&p, "最後に使った日時").await {
        assert!(
            column + 0.5 >= label,
            "the label column is {column} px for a label {label} px wide"
        );
    }
    // 取り消す shows only while the browser waits for an authenticator.
    assert_eq!(
        p.script(
            "return document.getElementById('passkey_register_cancel').getClientRects().length"
        )
        .await,
        serde_json::json!(0)
    );
    p.step("registered").await;
    let mail = app
        .wait_for_mail(EMAIL, "パスキーが登録されました", 1)
        .await;
    assert!(mail[0].body.contains("仕事用スマートフォン"));

    // Logged out, the worker logs in with the passkey alone: the login page offers it in the
    // ID field's autofill, and the phone's authenticator answers at once. (Firefox lists it in
    // the autofill's own drop-down, out of WebDriver's reach: there the worker presses
    // 「パスキーでログイン」.)
    p.go(&app.url("/ccus_skill/home")).await;
    p.click_button("ログアウト").await;
    p.go(&app.url("/ccus_skill/login")).await;
    if b.engine() == Engine::Firefox {
        p.wait_for_text("技能者ログイン").await;
        p.click_button("パスキーでログイン").await;
    }
    at_home(&p, TECH, "建設 太郎").await;
    p.step("home").await;
    p.click_link("アクセス履歴").await;
    p.wait_for_text("パスキーでログイン").await;
    p.wait_for_text("パスキーの登録").await;

    // Removed, it no longer logs in — neither from the autofill nor from the button — and
    // the password still does.
    p.go(&app.url("/ccus_skill/passkeys")).await;
    p.click_button("削除する（仕事用スマートフォン）").await;
    p.wait_for_text("パスキーを削除しました").await;
    app.wait_for_mail(EMAIL, "パスキーが削除されました", 1)
        .await;
    p.go(&app.url("/ccus_skill/home")).await;
    p.click_button("ログアウト").await;
    p.go(&app.url("/ccus_skill/login")).await;
    if b.engine() == Engine::Chromium {
        p.wait_for_text("パスキーでログインできませんでした").await;
        p.step("refused").await;
    }
    p.click_button("パスキーでログイン").await;
    p.wait_for_text("パスキーでログインできませんでした").await;
    if b.engine() == Engine::Firefox {
        p.step("refused").await;
    }
    log_in(&p, TECH, &worker.login_id.to_string(), &worker.password).await;
    at_home(&p, TECH, "建設 太郎").await;

    // A passkey registered again does not outlive a password reset: someone who had added one
    // while in the account would keep a way in. (The phone forgets the removed one first, so
    // that it holds one passkey for the portal and offers no choice between two.)
    p.forget_passkeys().await;
    p.click_link("パスキー").await;
    p.fill("パスキーの名前", "仕事用スマートフォン").await;
    p.click_button("パスキーを登録する").await;
    p.wait_for_text("パスキーを登録しました").await;
    p.go(&app.url("/ccus_skill/home")).await;
    p.click_button("ログアウト").await;
    p.go(&app.url("/ccus_skill/password/forgot")).await;
    p.fill("技能者ID", &worker.login_id.grouped()).await;
    p.fill("登録メールアドレス", EMAIL).await;
    p.click_button("再設定用のメールを送る").await;
    p.wait_for_text("受け付けました").await;
    let mail = app
        .wait_for_mail(EMAIL, "パスワード再設定のご案内", 1)
        .await
        .remove(0);
    p.go(&app.url(&link_in(&mail.body, "/ccus_skill/password/reset")))
        .await;
    p.fill("新しいパスワード", NEW_PASSWORD).await;
    p.fill("新しいパスワード（確認）", NEW_PASSWORD).await;
    p.click_button("パスワードを設定する").await;
    p.wait_for_text("登録されていたパスキー（1件）も、安全のため削除しました")
        .await;
    p.step("reset-removes-passkeys").await;
    p.go(&app.url("/ccus_skill/login")).await;
    p.wait_for_text("技能者ログイン").await;
    p.click_button("パスキーでログイン").await;
    p.wait_for_text("パスキーでログインできませんでした").await;
    log_in(&p, TECH, &worker.login_id.to_string(), NEW_PASSWORD).await;
    at_home(&p, TECH, "建設 太郎").await;
    b.finish(vec![p]).await;
}

// ---- 20 --------------------------------------------------------------------------------------

async fn a_foreign_worker_switches_to_english_or_easy_japanese_and_logs_in(b: Browser) {
    let app = spawn_app_with(ccus_storage::testdb::sqlite_url(), |_| {}).await;
    let worker = account_at(&app, TECH, "nguyen@example.jp", "グエン").await;
    let p = b
        .person_with(
            "worker",
            SessionOptions {
                size: ccus_testkit::browser::PHONE,
                phone_emulation: true,
                ..Default::default()
            },
        )
        .await;
    p.go(&app.url("/")).await;
    p.wait_for_text("技能者ログインへ").await;
    p.click_link("English").await;
    p.wait_for_text("First, check whether you are a technician or a business")
        .await;
    p.step("top-en").await;
    p.click_link("Technician login").await;
    p.wait_for_text("Forgot your password?").await;
    p.fill("Technician ID", &worker.login_id.grouped()).await;
    p.fill("Password", "not my password").await;
    p.click_button("Log in").await;
    p.wait_for_text("The ID or the password is wrong").await;
    p.step("wrong-en").await;
    // The choice is remembered; やさしい日本語 is one click away on every page.
    p.click_link("やさしい日本語").await;
    p.wait_for_text("技能者（ぎのうしゃ）の ログイン").await;
    p.step("login-easy").await;
    p.fill("技能者（ぎのうしゃ）の ID", &worker.login_id.grouped())
        .await;
    p.fill("パスワード", &worker.password).await;
    p.click_button("ログイン").await;
    p.wait_for_text("技能者（ぎのうしゃ）の メニュー").await;
    p.wait_for_text("建設 太郎 さん").await;
    p.step("home").await;
    // Back in English, the worker moves the registered address; the switch on the menu chose
    // English for the mail too, so both mails come in English.
    p.click_link("English").await;
    p.wait_for_text("Technician menu").await;
    p.click_link("Change email address").await;
    p.wait_for_text("Change your registered email address")
        .await;
    p.step("email-change-en").await;
    p.fill("Current password", &worker.password).await;
    p.fill("New email address", "nguyen.new@example.jp").await;
    p.click_button("Send the confirmation email").await;
    p.wait_for_text("We have sent a confirmation email to nguyen.new@example.jp")
        .await;
    p.step("email-sent-en").await;
    let mail = app
        .wait_for_mail("nguyen.new@example.jp", "Confirm your new email address", 1)
        .await
        .remove(0);
    assert!(mail.body.contains("Open this link to confirm the change."));
    p.go(&app.url(&link_in(&mail.body, "/ccus_skill/email/confirm")))
        .await;
    p.wait_for_text("will be changed to nguyen.new@example.jp")
        .await;
    p.step("email-confirm-en").await;
    p.click_button("Confirm the change").await;
    p.wait_for_text("Your email address is changed").await;
    p.step("email-changed-en").await;
    app.wait_for_mail(
        "nguyen@example.jp",
        "Your registered email address was changed",
        1,
    )
    .await;
    // The questions people ask most are answered in English too.
    p.click_link("FAQ").await;
    p.wait_for_text("I forgot my password").await;
    p.step("faq-en").await;
    p.click_link("Contact").await;
    p.wait_for_text("Contact us").await;
    p.step("support-en").await;
    b.finish(vec![p]).await;
}

// ---- 21 --------------------------------------------------------------------------------------

async fn a_helpdesk_staff_member_uses_a_passkey_instead_of_the_code(b: Browser) {
    let app = TestApp::builder()
        .localhost()
        .config(|c| {
            c.staff.totp_key = base64::engine::general_purpose::STANDARD.encode([42u8; 32]);
        })
        .start()
        .await;
    let (staff_id, _) = ccus_app::account::provisioning::create_staff(
        &app.state,
        "窓口 一郎",
        "madoguchi@example.jp",
        StaffRole::Operator,
        Some(STAFF_PW.into()),
    )
    .await
    .unwrap();
    // The desk's computer has an authenticator (the browser's virtual one).
    let desk = staff_signed_in_with(
        &b,
        &app,
        "staff",
        &staff_id,
        SessionOptions {
            authenticator: true,
            ..Default::default()
        },
    )
    .await;
    desk.click_link("パスキー").await;
    desk.fill("パスキーの名前", "窓口のパソコン").await;
    desk.click_button("パスキーを登録する").await;
    desk.wait_for_text("パスキーを登録しました").await;
    desk.step("registered").await;
    desk.click_button("ログアウト").await;

    // ID and password, then the passkey in place of the six-digit code.
    desk.go(&app.url("/helpdesk/login")).await;
    desk.fill("職員ID", &staff_id).await;
    desk.fill("パスワード", STAFF_PW).await;
    desk.step("login").await;
    desk.click_button("確認コードの代わりにパスキーで確認してログイン")
        .await;
    desk.wait_for_text("アカウント検索").await;
    desk.wait_for_text(&format!("窓口 一郎（{staff_id}）"))
        .await;
    desk.step("console").await;
    b.finish(vec![desk]).await;
}

// ---- 22 --------------------------------------------------------------------------------------

/// A page reads in `lang`: in English, hardly any kana is left outside what is marked
/// `lang="ja"` (data written in Japanese, the language switch); quoted screen messages are
/// allowed. In やさしい日本語, none of the polite forms easy Japanese avoids.
async fn reads_in(p: &Session, lang: &str, path: &str) {
    let text = p
        .script(
            "var b = document.body.cloneNode(true);\n\
             if (document.documentElement.lang === 'en') {\n\
               b.querySelectorAll('[lang=\"ja\"]').forEach(function (e) { e.remove(); });\n\
             }\n\
             return b.textContent;",
        )
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(text.trim().len() > 20, "{path}: the page has no text");
    match lang {
        "en" => {
            let kana = text
                .chars()
                .filter(|c| ('\u{3040}'..='\u{30ff}').contains(c))
                .count();
            let latin = text.chars().filter(char::is_ascii_alphabetic).count();
            assert!(
                kana * 8 < latin,
                "{path} in English still reads Japanese ({kana} kana, {latin} letters):\n{text}"
            );
        }
        _ => {
            for polite in ["いただ", "ご利用", "ご確認", "お願いいたします"] {
                assert!(
                    !text.contains(polite),
                    "{path} in やさしい日本語 says 「{polite}」:\n{text}"
                );
            }
        }
    }
}

async fn every_kind_of_page_reads_in_english_and_easy_japanese(b: Browser) {
    let app = spawn_app_with(ccus_storage::testdb::sqlite_url(), |c| {
        c.staff.totp_key = base64::engine::general_purpose::STANDARD.encode([42u8; 32]);
    })
    .await;
    let worker = account_at(&app, TECH, "worker@example.jp", "ケンセツ タロウ").await;
    let owner = account_at(&app, BIZ, "owner@example.jp", "ケンセツ コウギョウ").await;
    let (staff_id, _) = ccus_app::account::provisioning::create_staff(
        &app.state,
        "窓口 一郎",
        "desk@example.jp",
        StaffRole::Supervisor,
        Some(STAFF_PW.into()),
    )
    .await
    .unwrap();
    let (client_id, _) = login_service(&app, ccus_testkit::api::REDIRECT_URI).await;
    let consent = format!(
        "/ccus_skill/oauth/authorize?response_type=code&client_id={client_id}\
         &redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcallback&scope=openid%20profile%20ccus_id\
         &state=s1&nonce=n1&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM\
         &code_challenge_method=S256"
    );
    let public = [
        "/",
        "/ccus_skill/login",
        "/ccus_owner/login",
        "/ccus_skill/password/forgot",
        "/ccus_owner/id/forgot",
        "/help/login",
        "/faq",
        "/notices",
        "/support",
        "/inquiry",
        "/apply",
        "/apply/start",
        "/no-such-page",
    ];
    let technician = [
        "/ccus_skill/home",
        "/ccus_skill/history",
        "/ccus_skill/password/change",
        "/ccus_skill/email/change",
        "/ccus_skill/passkeys",
        "/ccus_skill/sessions",
        "/ccus_skill/affiliation",
        "/ccus_skill/sites",
        "/ccus_skill/records",
        "/ccus_skill/services",
        // The consent page of 「CCUSでログイン」, as a service's request opens it.
        &consent,
    ];
    let business = [
        "/ccus_owner/home",
        "/ccus_owner/org",
        "/ccus_owner/technicians",
        "/ccus_owner/proxy",
        "/ccus_owner/sites",
        "/ccus_owner/sites/new",
        "/ccus_owner/sites/pending",
        "/ccus_owner/agreements",
        "/ccus_owner/fees",
        "/ccus_owner/systems",
    ];
    let console = [
        "/helpdesk",
        "/helpdesk/inquiries",
        "/helpdesk/registrations",
        "/helpdesk/audit",
        "/helpdesk/operations",
        "/helpdesk/guide",
        "/helpdesk/passkeys",
        "/helpdesk/sites",
        "/helpdesk/api-clients",
    ];

    let w = b.person("worker").await;
    let o = b.person("owner").await;
    w.go(&app.url("/ccus_skill/login")).await;
    log_in(&w, TECH, &worker.login_id.grouped(), &worker.password).await;
    at_home(&w, TECH, &worker.name).await;
    o.go(&app.url("/ccus_owner/login")).await;
    log_in(&o, BIZ, &owner.login_id.grouped(), &owner.password).await;
    at_home(&o, BIZ, &owner.name).await;
    let desk = staff_signed_in(&b, &app, "desk", &staff_id).await;
    let visitor = b.person("visitor").await;

    for lang in ["en", "easy"] {
        for (p, paths) in [
            (&visitor, &public[..]),
            (&w, &technician[..]),
            (&o, &business[..]),
            (&desk, &console[..]),
        ] {
            p.go(&app.url(&format!("/lang/{lang}?back={}", paths[0])))
                .await;
            for path in paths {
                p.go(&app.url(path)).await;
                let page = path.split('?').next().unwrap_or_default();
                let slug = page.trim_matches('/').replace('/', "-");
                p.step(&format!(
                    "{lang}-{}",
                    if slug.is_empty() { "top" } else { &slug }
                ))
                .await;
                reads_in(p, lang, path).await;
            }
        }
    }
    b.finish(vec![visitor, w, o, desk]).await;
}

// ---- 24 --------------------------------------------------------------------------------------

/// A 元請 registers a site and asks a 一次, which approves; the 一次 places a 二次 at once under
/// the 事業者間合意 the two made; each lists a worker of its own, the worker sees the site on
/// their page, and the helpdesk sees the tree — on the database `url` names.
async fn sites_on(b: Browser, url: String) {
    let app = spawn_app_with(url, |c| {
        c.staff.totp_key = base64::engine::general_purpose::STANDARD.encode([42u8; 32]);
    })
    .await;
    let prime = person_at(
        &app,
        BIZ,
        "株式会社 元請建設",
        "prime@example.jp",
        "モトウケ",
        None,
    )
    .await;
    let first = person_at(
        &app,
        BIZ,
        "一次工業 株式会社",
        "first@example.jp",
        "イチジ",
        None,
    )
    .await;
    let second = person_at(
        &app,
        BIZ,
        "二次設備 有限会社",
        "second@example.jp",
        "ニジ",
        None,
    )
    .await;
    let kana = "ゲンバ サブロウ";
    let first_worker = person_at(
        &app,
        TECH,
        "現場 三郎",
        "ichiji@example.jp",
        kana,
        Some(&first),
    )
    .await
    .login_id;
    let second_worker = person_at(
        &app,
        TECH,
        "現場 三郎",
        "niji@example.jp",
        kana,
        Some(&second),
    )
    .await
    .login_id;
    let (staff_id, _) = ccus_app::account::provisioning::create_staff(
        &app.state,
        "窓口 一郎",
        "desk@example.jp",
        StaffRole::Operator,
        Some(STAFF_PW.into()),
    )
    .await
    .unwrap();

    // The 元請 registers the site.
    let p = b.person("prime").await;
    p.go(&app.url("/ccus_owner/login")).await;
    log_in(&p, BIZ, prime.login_id.as_str(), &prime.password).await;
    at_home(&p, BIZ, &prime.name).await;
    p.click_link("現場と施工体制").await;
    p.wait_for_text("現場一覧").await;
    p.step("sites").await;
    p.click_link("現場の登録").await;
    p.fill("現場名", "新宿駅西口ビル新築工事").await;
    p.check("民間").await;
    p.fill("就業履歴蓄積期間（開始日）", "2026-04-01").await;
    p.fill("就業履歴蓄積期間（終了日）", "2027-03-31").await;
    p.fill("施工場所", "東京都新宿区西新宿1-1").await;
    p.select("工事の種類", "建築・住宅").await;
    p.step("new-site").await;
    p.click_button("現場を登録する").await;
    p.wait_for_text("現場を登録しました").await;
    p.step("registered").await;
    // It asks its 一次 by 事業者ID.
    p.click_button("下位の事業者を登録する").await;
    p.fill("事業者ID", &first.login_id.grouped()).await;
    p.click_button("登録する").await;
    p.wait_for_text("一次工業 株式会社に要請を送りました").await;
    p.step("requested").await;

    // The 一次 approves from what waits for it.
    let f = b.person("first").await;
    f.go(&app.url("/ccus_owner/login")).await;
    log_in(&f, BIZ, first.login_id.as_str(), &first.password).await;
    at_home(&f, BIZ, &first.name).await;
    f.click_link("現場と施工体制").await;
    f.click_link("対応が必要なこと（1件）").await;
    f.wait_for_text("株式会社 元請建設（事業者ID").await;
    f.step("pending").await;
    f.click_button("「新宿駅西口ビル新築工事」への参加を承認する")
        .await;
    f.wait_for_text("要請を承認しました").await;
    f.step("approved").await;

    // The 二次 offers a standing agreement as the lower tier; the 一次 accepts it.
    let s = b.person("second").await;
    s.go(&app.url("/ccus_owner/login")).await;
    log_in(&s, BIZ, second.login_id.as_str(), &second.password).await;
    at_home(&s, BIZ, &second.name).await;
    s.click_link("現場と施工体制").await;
    s.click_link("事業者間合意").await;
    s.fill("相手の事業者ID", &first.login_id.grouped()).await;
    s.check("貴社が下位（相手に登録してもらう）").await;
    s.step("offer").await;
    s.click_button("申し出る").await;
    s.wait_for_text("合意を申し出ました").await;
    f.go(&app.url("/ccus_owner/sites")).await;
    f.click_link("事業者間合意").await;
    f.wait_for_text("二次設備 有限会社").await;
    f.click_button("承諾する").await;
    f.wait_for_text("合意が成立しました").await;
    f.step("agreed").await;

    // Under it, the 一次's registration of the 二次 takes effect at once; it lists its worker.
    f.go(&app.url("/ccus_owner/sites")).await;
    f.click_link("新宿駅西口ビル新築工事").await;
    f.click_button("下位の事業者を登録する").await;
    f.fill("事業者ID", second.login_id.as_str()).await;
    f.click_button("登録する").await;
    f.wait_for_text("事業者間合意により、二次設備 有限会社を施工体制に登録しました")
        .await;
    f.step("placed").await;
    f.click_button("作業員を追加する").await;
    f.fill("技能者ID", &first_worker.grouped()).await;
    f.select("職種", "とび").await;
    f.select("立場", "職長").await;
    f.fill("作業内容", "足場の組立").await;
    f.click_button("名簿に追加する").await;
    f.wait_for_text("作業員名簿に追加しました").await;
    f.step("roster").await;

    // The 二次 lists its own worker.
    s.go(&app.url("/ccus_owner/sites")).await;
    s.click_link("新宿駅西口ビル新築工事").await;
    s.wait_for_text("2次").await;
    s.click_button("作業員を追加する").await;
    s.fill("技能者ID", second_worker.as_str()).await;
    s.select("職種", "配管").await;
    s.click_button("名簿に追加する").await;
    s.wait_for_text("作業員名簿に追加しました").await;
    s.step("roster").await;

    // The worker sees the site on their own page.
    let w = b.person("worker").await;
    w.go(&app.url("/ccus_skill/login")).await;
    log_in(&w, TECH, second_worker.as_str(), "correct horse battery").await;
    at_home(&w, TECH, "現場 三郎").await;
    w.click_link("就業する現場").await;
    w.wait_for_text("新宿駅西口ビル新築工事").await;
    w.wait_for_text("配管").await;
    w.step("my-sites").await;

    // The 元請 sees the whole chain; the helpdesk sees it too.
    p.go(&app.url("/ccus_owner/sites")).await;
    p.click_link("新宿駅西口ビル新築工事").await;
    p.wait_for_text("二次設備 有限会社").await;
    p.wait_for_text("とび").await;
    p.step("chain").await;
    let site_id = p
        .url()
        .await
        .rsplit('/')
        .next()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let desk = staff_signed_in(&b, &app, "staff", &staff_id).await;
    desk.click_link("現場").await;
    desk.fill("現場ID", &site_id).await;
    desk.click_button("現場を表示する").await;
    desk.wait_for_text("二次設備 有限会社").await;
    desk.wait_for_text("現場 三郎").await;
    desk.step("helpdesk").await;
    b.finish(vec![p, f, s, w, desk]).await;
}

async fn a_main_contractor_builds_a_site_chain_that_each_company_staffs(b: Browser) {
    sites_on(b, ccus_storage::testdb::sqlite_url()).await;
}

async fn the_site_chain_on_postgresql(b: Browser) {
    let url = ccus_storage::testdb::postgres_url()
        .await
        .expect("listed only when a PostgreSQL server is named");
    sites_on(b, url).await;
}

// ---- the run ---------------------------------------------------------------------------------

/// A journey that needs the PostgreSQL server named by `CCUS_TEST_POSTGRES_URL`: without one
/// (outside CI) it is listed as ignored with the reason, never as passed.
fn postgres_only(case: harness::Case) -> harness::Case {
    let named = std::env::var(ccus_storage::testdb::POSTGRES_ENV).is_ok_and(|v| !v.is_empty());
    if named || std::env::var_os("CI").is_some() {
        return case;
    }
    let why = format!("{} is not set", ccus_storage::testdb::POSTGRES_ENV);
    case.not_in(Engine::Chromium, &why)
        .not_in(Engine::Firefox, &why)
}

// ---- 26 --------------------------------------------------------------------------------------

/// A browser that waits for an authenticator which never comes (a computer without one): the
/// replacement below never answers until the page aborts it, as such a browser does.
const NO_AUTHENTICATOR: &str = "
    var never = function (o) {
      return new Promise(function (resolve, reject) {
        if (o && o.signal) {
          o.signal.addEventListener('abort', function () {
            reject(new DOMException('The operation was aborted.', 'AbortError'));
          });
        }
      });
    };
    navigator.credentials.get = never;
    navigator.credentials.create = never;
    return true;";

async fn without_an_authenticator_the_page_says_it_waits_and_offers_to_cancel(b: Browser) {
    let app = TestApp::builder().localhost().start().await;
    let worker = account_at(&app, TECH, "no.authenticator@example.jp", "ケンセツ タロウ").await;
    let p = b.person("worker").await;
    p.go(&app.url("/ccus_skill/login")).await;
    p.wait_for_text("技能者ログイン").await;
    p.script(NO_AUTHENTICATOR).await;
    p.click_button("パスキーでログイン").await;
    p.wait_for_text("ブラウザがパスキーの確認を待っています")
        .await;
    p.step("login-waiting").await;
    p.click_button("取り消す").await;
    p.wait_for_text("取り消しました。").await;
    p.step("login-cancelled").await;
    // The ID and password still log in, on the same page.
    log_in(&p, TECH, &worker.login_id.to_string(), &worker.password).await;
    at_home(&p, TECH, "建設 太郎").await;

    p.click_link("パスキー").await;
    p.wait_for_text("登録されたパスキーはありません").await;
    p.script(NO_AUTHENTICATOR).await;
    p.fill("パスキーの名前", "会社のパソコン").await;
    p.click_button("パスキーを登録する").await;
    p.wait_for_text("ブラウザがパスキーの作成を待っています")
        .await;
    p.step("register-waiting").await;
    p.click_button("取り消す").await;
    p.wait_for_text("取り消しました。").await;
    p.wait_for_text("登録されたパスキーはありません").await;
    p.step("register-cancelled").await;
    b.finish(vec![p]).await;
}

// ---- 27 --------------------------------------------------------------------------------------

/// 株式会社 見本建設, its own worker (氏名, email, フリガナ), and a site of its whose
/// 就業履歴蓄積期間 began 100 days ago, with the place at the top of its tree.
async fn prime_and_worker(
    app: &TestApp,
    site_name: &str,
    (name, email, furigana): (&str, &str, &str),
) -> (
    Account,
    Account,
    ccus_app::org::OrgContext,
    ccus_domain::SiteId,
    ccus_domain::PlacementId,
) {
    use ccus_testkit::sites::{ctx, root, site_from};
    let today = ccus_app::sites::today(app.state.clock().now());
    let owner = person_at(
        app,
        BIZ,
        "株式会社 見本建設",
        "genba@example.jp",
        "ミホンケンセツ",
        None,
    )
    .await;
    let worker = person_at(app, TECH, name, email, furigana, Some(&owner)).await;
    let prime = ctx(app, &owner.login_id).await;
    let site = site_from(app, &prime, site_name, today - time::Duration::days(100)).await;
    let top = root(app, &site, &prime).await;
    (owner, worker, prime, site, top)
}

/// Lists the company's own worker on its 名簿 of the site as a 大工 (as journey 24 does in the
/// browser).
async fn list_carpenter(
    app: &TestApp,
    prime: &ccus_app::org::OrgContext,
    site: &ccus_domain::SiteId,
    top: ccus_domain::PlacementId,
    worker: &Account,
) {
    let listed = ccus_app::sites::roster::add_worker(
        &app.state,
        prime,
        site,
        top,
        &ccus_app::sites::roster::WorkerForm {
            login_id: worker.login_id.as_str().into(),
            trade: "carpenter".into(),
            position: "worker".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(listed, ccus_app::sites::roster::RosterOutcome::Listed);
}

async fn a_reader_key_is_issued_and_the_worker_sees_the_day_toward_level_2(b: Browser) {
    use ccus_testkit::sites::{card_of, evening, jst_at};
    let app = TestApp::builder().localhost().start().await;
    let today = evening(&app);
    // The site and its 名簿, as journey 24 builds them in the browser.
    let (owner, worker, prime, site, top) = prime_and_worker(
        &app,
        "見本ビル新築工事",
        ("建設 太郎", "taro@example.jp", "ケンセツ タロウ"),
    )
    .await;
    list_carpenter(&app, &prime, &site, top, &worker).await;

    // The 現場管理者 issues a key for the gate's reader.
    let m = b.person("manager").await;
    m.go(&app.url("/ccus_owner/login")).await;
    log_in(&m, BIZ, &owner.login_id.to_string(), &owner.password).await;
    m.click_link("現場と施工体制").await;
    m.click_link("見本ビル新築工事").await;
    m.click_link("カード読取機（就業履歴の記録）").await;
    m.wait_for_text("まだ鍵を発行していません").await;
    m.fill("読取機の名前", "正門ゲート").await;
    m.click_button("鍵を発行する").await;
    m.wait_for_text("鍵を発行しました").await;
    m.step("key-issued").await;
    let key = m
        .script("return document.getElementById('reader_key').textContent")
        .await
        .as_str()
        .unwrap()
        .to_owned();

    // The reader's script: a day's touches, out of order, sent twice, with an unknown card.
    let card = card_of(&app, &worker.login_id).await;
    let batch = serde_json::json!({"touches": [
        {"seq": 1, "card": card, "direction": "out", "at": jst_at(today, 17, 2).1},
        {"seq": 2, "card": card, "direction": "in", "at": jst_at(today, 7, 55).1},
        {"seq": 3, "card": "FFFFFFFFFFFFFFFF", "direction": "in", "at": jst_at(today, 7, 56).1},
    ]});
    for _ in 0..2 {
        let r = reqwest::Client::new()
            .post(app.url("/api/v1/touches"))
            .bearer_auth(&key)
            .json(&batch)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }
    m.go(&app.url(&format!("/ccus_owner/sites/{}/readers", site.as_str())))
        .await;
    m.wait_for_text("正門ゲート").await;
    m.step("reader-heard-from").await;

    // The employer enters yesterday, which had no touch, and the 現場管理者 approves it; a day
    // from over a month before is refused with the date it closed.
    let day = |d: i64| ccus_domain::profile::format_date(today - time::Duration::days(d));
    m.click_link("現場に戻る").await;
    m.click_link("就業履歴の直接入力と承認").await;
    m.fill("技能者ID（14桁）", &worker.login_id.to_string())
        .await;
    m.fill("就業日", &day(1)).await;
    m.fill("入場の時刻", "08:00").await;
    m.click_button("入力する").await;
    m.wait_for_text("入力しました").await;
    m.wait_for_text("承認を待っている日").await;
    m.step("day-entered").await;
    m.click_button("承認する").await;
    m.wait_for_text("承認しました").await;
    m.wait_for_text("承認を待っている日はありません").await;
    m.fill("技能者ID（14桁）", &worker.login_id.to_string())
        .await;
    m.fill("就業日", &day(70)).await;
    m.click_button("入力する").await;
    m.wait_for_text("締め切られました").await;
    m.step("too-late").await;
    // Who was on site today, and the month's statement: ¥10 a record.
    m.click_link("現場に戻る").await;
    m.click_link("今日の入場者").await;
    m.wait_for_text("07:55").await;
    m.step("on-site-today").await;
    m.click_link("現場に戻る").await;
    m.click_link("現場利用料の明細").await;
    m.wait_for_text("× 10円").await;
    m.wait_for_text("明細をCSVでダウンロード").await;
    m.step("statement").await;

    // The worker sees the day, and their days toward レベル2.
    let w = b.person("worker").await;
    w.go(&app.url("/ccus_skill/login")).await;
    log_in(&w, TECH, &worker.login_id.to_string(), &worker.password).await;
    at_home(&w, TECH, "建設 太郎").await;
    w.click_link("就業履歴").await;
    w.wait_for_text("見本ビル新築工事").await;
    w.wait_for_text("07:55").await;
    w.wait_for_text("17:02").await;
    w.wait_for_text("レベル2").await;
    // Two days: the touched one, and the one entered and approved.
    w.wait_for_text("2日（0.0年分）").await;
    w.wait_for_text("あと643日").await;
    w.step("records").await;
    b.finish(vec![m, w]).await;
}

// ---- 28 --------------------------------------------------------------------------------------

async fn an_employer_places_an_unplaced_day_and_the_helpdesk_corrects_it(b: Browser) {
    use ccus_testkit::sites::{card_of, evening, jst_at};
    let app = TestApp::builder()
        .localhost()
        .config(|c| {
            c.staff.totp_key = base64::engine::general_purpose::STANDARD.encode([42u8; 32]);
        })
        .start()
        .await;
    let today = evening(&app);
    let (owner, worker, prime, site, top) = prime_and_worker(
        &app,
        "見本倉庫新築工事",
        ("建設 次郎", "jiro@example.jp", "ケンセツ ジロウ"),
    )
    .await;
    let key = match ccus_app::records::readers::issue(&app.state, &prime, &site, "正門")
        .await
        .unwrap()
    {
        ccus_app::records::readers::IssueOutcome::Issued { key, .. } => key,
        other => panic!("{other:?}"),
    };
    // The worker touches in and out at a site whose 名簿 does not list them yet.
    let card = card_of(&app, &worker.login_id).await;
    let batch = serde_json::json!({"touches": [
        {"seq": 1, "card": card, "direction": "in", "at": jst_at(today, 7, 45).1},
        {"seq": 2, "card": card, "direction": "out", "at": jst_at(today, 17, 10).1},
    ]});
    let r = reqwest::Client::new()
        .post(app.url("/api/v1/touches"))
        .bearer_auth(&key)
        .json(&batch)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    // The employer finds the day under 未配置; placing it first says to list the worker.
    let e = b.person("employer").await;
    e.go(&app.url("/ccus_owner/login")).await;
    log_in(&e, BIZ, &owner.login_id.to_string(), &owner.password).await;
    e.click_link("就業履歴（自社の作業員）").await;
    e.wait_for_text("未配置の入場").await;
    e.wait_for_text("建設 次郎").await;
    e.step("unplaced").await;
    e.click_button("配置する").await;
    e.wait_for_text("まだその現場の作業員名簿に載っていません")
        .await;
    e.step("not-listed-yet").await;
    // Listed (as journey 24 does in the browser), the day is placed and counts.
    list_carpenter(&app, &prime, &site, top, &worker).await;
    e.click_button("配置する").await;
    e.wait_for_text("配置しました").await;
    e.wait_for_text("未配置の入場はありません").await;
    e.wait_for_text("07:45").await;
    e.step("placed").await;
    // The worker's page; the worker says the card is lost, and the employer stops it.
    e.click_link("建設 次郎").await;
    e.wait_for_text("建設 次郎（").await;
    e.wait_for_text("レベル2").await;
    e.click_button("カードをなくしたとき").await;
    e.check("本人からカードをなくしたと聞いたので、止めることに同意します")
        .await;
    e.click_button("カードの紛失を届け出る").await;
    e.wait_for_text("カードを止めました").await;
    e.step("card-stopped").await;

    // The helpdesk corrects the exit time, with a reason.
    let (staff_id, _) = ccus_app::account::provisioning::create_staff(
        &app.state,
        "窓口 二郎",
        "desk2@example.jp",
        StaffRole::Operator,
        Some(STAFF_PW.into()),
    )
    .await
    .unwrap();
    let desk = staff_signed_in(&b, &app, "helpdesk", &staff_id).await;
    desk.fill("技能者ID・事業者ID", &worker.login_id.to_string())
        .await;
    desk.click_button("検索").await;
    desk.click_link(&worker.login_id.grouped()).await;
    desk.click_link("就業履歴と補正").await;
    desk.wait_for_text("見本倉庫新築工事").await;
    desk.click_button("補正").await;
    desk.fill("退場", "17:50").await;
    desk.fill("理由", "元請から電話。退場のタッチ漏れ").await;
    desk.click_button("補正する").await;
    desk.wait_for_text("補正しました").await;
    desk.wait_for_text("17:50").await;
    desk.step("corrected").await;
    b.finish(vec![e, desk]).await;
}

/// A business lets a gate vendor's system in on its 連携システム page — the system's client ID
/// typed, its name and maker shown before anything is allowed — the system reads the site
/// through the API, and the business revokes it.
async fn a_business_lets_a_connected_system_in_and_revokes_it(b: Browser) {
    use ccus_testkit::api::{Vendor, KEY_1};
    let app = TestApp::builder().localhost().start().await;
    let (owner, _worker, _prime, site, _top) = prime_and_worker(
        &app,
        "見本駅前ビル新築工事",
        ("建設 三郎", "saburo@example.jp", "ケンセツ サブロウ"),
    )
    .await;
    let vendor = Vendor::register(&app, "ゲート太郎", "sites:read records:read", &KEY_1).await;
    let e = b.person("business").await;
    e.go(&app.url("/ccus_owner/login")).await;
    log_in(&e, BIZ, &owner.login_id.to_string(), &owner.password).await;
    e.click_link("連携システム").await;
    e.wait_for_text("利用を許可しているシステムはありません")
        .await;
    e.fill("クライアントID", &vendor.client_id).await;
    e.click_button("システムを確認する").await;
    e.wait_for_text("「ゲート太郎」（提供: テスト株式会社）")
        .await;
    e.step("look-up").await;
    e.click_button("許可する").await;
    e.wait_for_text("システムに利用を許可しました").await;
    e.wait_for_text("就業履歴を見る").await;
    e.step("allowed").await;
    // The system reads the site as the business sees it.
    let token = vendor.token(&app).await;
    let path = format!(
        "/api/v1/businesses/{}/sites/{}",
        owner.login_id.as_str(),
        site.as_str()
    );
    let read = |token: String| {
        let url = app.url(&path);
        async move {
            reqwest::Client::new()
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(read(token.clone()).await, 200);
    e.click_button("許可を取り消す").await;
    e.wait_for_text("許可を取り消しました").await;
    e.step("revoked").await;
    assert_eq!(read(token).await, 404);
    b.finish(vec![e]).await;
}

// ---- 30 --------------------------------------------------------------------------------------

/// A small web service of another company that offers 「CCUSでログイン」, as a relying party
/// built on the `openidconnect` crate would: its top page links to `/login`, which sends the
/// browser to the portal with PKCE, a nonce and a state kept in a cookie; `/signed-in` takes
/// the code back, exchanges it, verifies the ID token, reads userinfo and shows what it
/// received; `/refresh` asks the portal for fresh tokens and information, and says so when the
/// portal no longer gives any.
mod relying_party {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex};

    use axum::extract::{Query, State};
    use axum::http::{header, HeaderMap};
    use axum::response::{Html, IntoResponse, Redirect, Response};
    use axum::routing::{get, post};
    use openidconnect::core::{
        CoreAuthenticationFlow, CoreClient, CoreErrorResponseType, CoreGenderClaim,
    };
    use openidconnect::{
        AccessToken, AdditionalClaims, AuthorizationCode, CsrfToken, Nonce, OAuth2TokenResponse,
        PkceCodeChallenge, PkceCodeVerifier, RefreshToken, RequestTokenError, Scope,
        StandardErrorResponse, SubjectIdentifier, TokenResponse, UserInfoClaims,
    };
    use serde::{Deserialize, Serialize};

    /// The service's name, as the operator registers it.
    pub const NAME: &str = "安全書類サービス";

    pub type Rp = CoreClient<
        openidconnect::EndpointSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointMaybeSet,
        openidconnect::EndpointMaybeSet,
    >;

    /// The portal's own claims beside the standard ones.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    struct CcusClaims {
        ccus_technician_id: Option<String>,
    }
    impl AdditionalClaims for CcusClaims {}

    /// A login under way: what the callback needs to finish it.
    struct Pending {
        verifier: PkceCodeVerifier,
        nonce: Nonce,
    }

    /// What the service keeps of a person who logged in.
    #[derive(Clone)]
    pub struct Kept {
        pub access: AccessToken,
        pub refresh: Option<RefreshToken>,
        subject: SubjectIdentifier,
        name: String,
        technician_id: String,
    }

    pub struct Service {
        rp: Rp,
        http: openidconnect::reqwest::Client,
        /// By `state`.
        pending: Mutex<HashMap<String, Pending>>,
        /// By the service's own session cookie.
        sessions: Mutex<HashMap<String, Kept>>,
    }

    impl Service {
        pub fn new(rp: Rp, http: openidconnect::reqwest::Client) -> Arc<Service> {
            Arc::new(Service {
                rp,
                http,
                pending: Mutex::new(HashMap::new()),
                sessions: Mutex::new(HashMap::new()),
            })
        }

        /// The tokens of the person who logged in last.
        pub fn kept(&self) -> Option<Kept> {
            self.sessions.lock().unwrap().values().next().cloned()
        }

        /// Serves the service on `listener` until the test ends.
        pub fn serve(self: &Arc<Self>, listener: tokio::net::TcpListener) {
            let app = axum::Router::new()
                .route("/", get(top))
                .route("/login", get(login))
                .route("/signed-in", get(signed_in))
                .route("/refresh", post(refresh))
                .with_state(self.clone());
            tokio::spawn(async move { axum::serve(listener, app).await });
        }
    }

    fn escape(s: &str) -> String {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    }

    fn page(title: &str, body: &str) -> Response {
        Html(format!(
            "<!doctype html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>{title} — {NAME}</title></head>\
             <body><header><p>{NAME}</p></header><main><h1>{title}</h1>{body}</main></body></html>"
        ))
        .into_response()
    }

    fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|kv| kv.trim().split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_owned())
    }

    fn with_cookie(mut resp: Response, name: &str, value: &str) -> Response {
        let set = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
        resp.headers_mut()
            .append(header::SET_COOKIE, set.parse().unwrap());
        resp
    }

    fn person_page(k: &Kept, notice: &str) -> Response {
        page(
            &format!("ようこそ、{} さん", escape(&k.name)),
            &format!(
                "{notice}<p>「CCUSでログイン」で受け取った情報です。</p>\
                 <dl><dt>氏名</dt><dd>{}</dd><dt>技能者ID</dt><dd>{}</dd></dl>\
                 <form method=\"post\" action=\"/refresh\">\
                 <button type=\"submit\">CCUSから最新の情報を受け取る</button></form>",
                escape(&k.name),
                escape(&k.technician_id)
            ),
        )
    }

    async fn top(State(s): State<Arc<Service>>, headers: HeaderMap) -> Response {
        let kept = cookie(&headers, "rp_session")
            .and_then(|id| s.sessions.lock().unwrap().get(&id).cloned());
        match kept {
            Some(k) => person_page(&k, ""),
            None => page(
                "安全書類をかんたんに",
                "<p>建設キャリアアップシステムの技能者IDでログインできます。</p>\
                 <p><a href=\"/login\">CCUSでログイン</a></p>",
            ),
        }
    }

    async fn login(State(s): State<Arc<Service>>) -> Response {
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) =
            s.rp.authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("profile".into()))
            .add_scope(Scope::new("ccus_id".into()))
            .set_pkce_challenge(challenge)
            .url();
        s.pending
            .lock()
            .unwrap()
            .insert(state.secret().clone(), Pending { verifier, nonce });
        with_cookie(
            Redirect::to(url.as_str()).into_response(),
            "rp_state",
            state.secret(),
        )
    }

    #[derive(Deserialize)]
    struct Callback {
        code: Option<String>,
        state: Option<String>,
        error: Option<String>,
    }

    /// What the portal's token endpoint answered (`invalid_grant: …`), or why there was no
    /// answer.
    fn said<E: std::error::Error + 'static>(
        e: &RequestTokenError<E, StandardErrorResponse<CoreErrorResponseType>>,
    ) -> String {
        match e {
            RequestTokenError::ServerResponse(r) => r.to_string(),
            other => other.to_string(),
        }
    }

    fn failed(why: &str) -> Response {
        page(
            "ログインできませんでした",
            &format!("<p>{}</p><p><a href=\"/\">トップへ</a></p>", escape(why)),
        )
    }

    async fn signed_in(
        State(s): State<Arc<Service>>,
        headers: HeaderMap,
        Query(q): Query<Callback>,
    ) -> Response {
        if let Some(e) = q.error {
            return failed(&format!("CCUS: {e}"));
        }
        let (Some(code), Some(state)) = (q.code, q.state) else {
            return failed("no code or state");
        };
        // The state must be the one this browser was sent off with.
        if cookie(&headers, "rp_state").as_deref() != Some(state.as_str()) {
            return failed("the state is not this browser's");
        }
        let Some(p) = s.pending.lock().unwrap().remove(&state) else {
            return failed("no login under way");
        };
        let tokens = match s.rp.exchange_code(AuthorizationCode::new(code)) {
            Ok(req) => {
                req.set_pkce_verifier(p.verifier)
                    .request_async(&s.http)
                    .await
            }
            Err(e) => return failed(&format!("token endpoint: {e}")),
        };
        let tokens = match tokens {
            Ok(t) => t,
            Err(e) => return failed(&format!("code exchange: {}", said(&e))),
        };
        let Some(id_token) = tokens.id_token() else {
            return failed("no ID token");
        };
        let subject = match id_token.claims(&s.rp.id_token_verifier(), &p.nonce) {
            Ok(c) => c.subject().clone(),
            Err(e) => return failed(&format!("ID token: {e}")),
        };
        let kept = match userinfo(&s, tokens.access_token(), &subject).await {
            Ok((name, technician_id)) => Kept {
                access: tokens.access_token().clone(),
                refresh: tokens.refresh_token().cloned(),
                subject,
                name,
                technician_id,
            },
            Err(e) => return failed(&e),
        };
        let session = CsrfToken::new_random().secret().clone();
        s.sessions
            .lock()
            .unwrap()
            .insert(session.clone(), kept.clone());
        with_cookie(person_page(&kept, ""), "rp_session", &session)
    }

    /// The name and 技能者ID at userinfo.
    async fn userinfo(
        s: &Service,
        access: &AccessToken,
        subject: &SubjectIdentifier,
    ) -> Result<(String, String), String> {
        let req =
            s.rp.user_info(access.clone(), Some(subject.clone()))
                .map_err(|e| format!("userinfo: {e}"))?;
        let info: UserInfoClaims<CcusClaims, CoreGenderClaim> = req
            .request_async(&s.http)
            .await
            .map_err(|e| format!("userinfo: {e:?}"))?;
        let name = info
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.as_str().to_owned())
            .unwrap_or_default();
        let id = info
            .additional_claims()
            .ccus_technician_id
            .clone()
            .unwrap_or_default();
        Ok((name, id))
    }

    async fn refresh(State(s): State<Arc<Service>>, headers: HeaderMap) -> Response {
        let Some(session) = cookie(&headers, "rp_session") else {
            return Redirect::to("/").into_response();
        };
        let Some(k) = s.sessions.lock().unwrap().get(&session).cloned() else {
            return Redirect::to("/").into_response();
        };
        let Some(refresh) = &k.refresh else {
            return person_page(&k, "<p role=\"alert\">更新用のトークンがありません。</p>");
        };
        let fresh = match s.rp.exchange_refresh_token(refresh) {
            Ok(req) => req.request_async(&s.http).await.map_err(|e| said(&e)),
            Err(e) => Err(e.to_string()),
        };
        let got = match fresh {
            Ok(t) => {
                userinfo(&s, t.access_token(), &k.subject)
                    .await
                    .map(|(name, technician_id)| Kept {
                        access: t.access_token().clone(),
                        refresh: t.refresh_token().cloned().or(k.refresh.clone()),
                        subject: k.subject.clone(),
                        name,
                        technician_id,
                    })
            }
            Err(e) => Err(e),
        };
        match got {
            Ok(fresh) => {
                s.sessions.lock().unwrap().insert(session, fresh.clone());
                person_page(
                    &fresh,
                    "<p role=\"status\">最新の情報を受け取りました。</p>",
                )
            }
            Err(e) => person_page(
                &k,
                &format!(
                    "<p role=\"alert\">CCUSから情報を受け取れませんでした。\
                     もう一度ログインしてください。（{}）</p>",
                    escape(&e)
                ),
            ),
        }
    }
}

/// The operator registers and certifies a service for 「CCUSでログイン」 that asks for the name
/// and 技能者ID and comes back to `redirect`; its client ID and secret.
async fn login_service(app: &TestApp, redirect: &str) -> (String, String) {
    ccus_testkit::api::client_with_secret(
        app,
        relying_party::NAME,
        "openid profile ccus_id",
        redirect,
    )
    .await
}

/// A worker logs in to another company's service with 「CCUSでログイン」: the service sends
/// them to the portal, they log in there, see what the service will receive and allow it, and
/// the service greets them by name with their 技能者ID; later they end the service on their
/// 連携サービス page, and the service receives nothing more.
async fn a_worker_logs_in_to_a_service_with_ccus_and_ends_it(b: Browser) {
    use openidconnect::core::{CoreClient, CoreProviderMetadata};
    use openidconnect::{ClientId, ClientSecret, IssuerUrl, RedirectUrl};
    use relying_party::{Service, NAME};

    // The real clock: the service checks the ID token's times against its own.
    let app = TestApp::builder().localhost().system_clock().start().await;
    let worker = person_at(
        &app,
        TECH,
        "建設 四郎",
        "shiro@example.jp",
        "ケンセツ シロウ",
        None,
    )
    .await;

    // The operator registers the service, with its address on this machine.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let service_url = format!("http://{}", listener.local_addr().unwrap());
    let redirect = format!("{service_url}/signed-in");
    let (client_id, secret) = login_service(&app, &redirect).await;

    // The service discovers the portal and starts.
    let http = openidconnect::reqwest::Client::builder()
        .redirect(openidconnect::reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let issuer = IssuerUrl::new(app.state.config().public_url.clone()).unwrap();
    let meta = CoreProviderMetadata::discover_async(issuer, &http)
        .await
        .expect("discovery");
    let rp = CoreClient::from_provider_metadata(
        meta,
        ClientId::new(client_id),
        Some(ClientSecret::new(secret)),
    )
    .set_redirect_uri(RedirectUrl::new(redirect).unwrap());
    let service = Service::new(rp, http);
    service.serve(listener);

    // The worker, not signed in to the portal, logs in at the service with CCUS.
    let w = b.person("worker").await;
    w.go(&format!("{service_url}/")).await;
    w.wait_for_text("技能者IDでログインできます").await;
    w.step("service").await;
    w.click_link("CCUSでログイン").await;
    w.wait_for_text("技能者ログイン").await;
    w.step("portal-login").await;
    log_in(&w, TECH, &worker.login_id.to_string(), &worker.password).await;
    w.wait_for_text(&format!(
        "「{NAME}」（提供: テスト株式会社）に、CCUSのIDでログインしようとしています。"
    ))
    .await;
    w.wait_for_text("許可すると、このサービスに次の情報が伝わります。")
        .await;
    w.wait_for_text("氏名").await;
    w.wait_for_text("技能者ID").await;
    w.step("consent").await;
    w.click_button("許可してログインする").await;
    w.wait_for_text("ようこそ、建設 四郎 さん").await;
    w.wait_for_text(worker.login_id.as_str()).await;
    w.step("signed-in-at-the-service").await;
    let kept = service.kept().expect("the service kept the tokens");
    let userinfo = |token: String| {
        let url = app.url("/oauth/userinfo");
        async move {
            reqwest::Client::new()
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(userinfo(kept.access.secret().clone()).await, 200);
    assert!(kept.refresh.is_some(), "a refresh token");

    // On the portal, the worker finds the service under 連携サービス and ends it.
    w.go(&app.url("/ccus_skill/home")).await;
    at_home(&w, TECH, "建設 四郎").await;
    w.click_link("連携サービス").await;
    w.wait_for_text(NAME).await;
    w.wait_for_text("氏名、技能者ID").await;
    w.step("services").await;
    w.click_button("許可を取り消す").await;
    w.wait_for_text("許可を取り消しました").await;
    w.wait_for_text("許可しているサービスはありません").await;
    w.step("revoked").await;
    assert_eq!(userinfo(kept.access.secret().clone()).await, 401);

    // Back at the service, asking the portal for fresh information fails.
    w.go(&format!("{service_url}/")).await;
    w.wait_for_text("ようこそ、建設 四郎 さん").await;
    w.click_button("CCUSから最新の情報を受け取る").await;
    w.wait_for_text("CCUSから情報を受け取れませんでした").await;
    w.wait_for_text("invalid_grant").await;
    w.step("service-refused").await;
    b.finish(vec![w]).await;
}

/// Every journey in every browser (`chromium::<name>`, `firefox::<name>`); a browser this
/// machine lacks makes its journeys "ignored", with the reason printed before and after.
fn main() -> std::process::ExitCode {
    let journeys = vec![
        journey!(
            "01-wrong-entrance",
            wrong_entrance_both_ways_leads_to_the_right_one_with_the_id_filled_in
        ),
        journey!(
            "02-full-width-and-typo",
            a_full_width_id_logs_in_and_a_mistyped_digit_is_caught_by_the_check_digit
        ),
        journey!(
            "03-forgotten-password",
            a_forgotten_password_is_reset_by_the_link_in_the_mail
        ),
        journey!("04-forgotten-id", a_forgotten_id_arrives_by_mail),
        journey!(
            "05-locked",
            a_locked_id_unlocks_by_waiting_or_by_the_link_in_the_mail
        ),
        journey!(
            "06-session-timeout",
            after_a_timeout_logging_in_again_returns_to_the_page
        ),
        journey!(
            "07-first-login",
            the_first_login_sets_a_password_with_the_security_code
        ),
        journey!(
            "08-email-change",
            a_new_email_address_is_confirmed_by_the_link_sent_to_it
        ),
        journey!(
            "09-inquiry",
            an_inquiry_with_a_photo_gets_a_receipt_number_on_screen_and_by_mail
        ),
        journey!(
            "10-helpdesk",
            helpdesk_staff_enrol_then_change_an_email_and_send_a_reset_link_from_an_inquiry
        ),
        journey!(
            "11-maintenance",
            maintenance_is_announced_before_and_explained_during_the_window
        ),
        journey!(
            "12-internet-explorer",
            internet_explorer_is_told_to_use_edge_or_chrome
        ),
        journey!(
            "13-busy-proof-of-work",
            while_the_portal_is_busy_a_new_browser_pays_a_little_work_and_logs_in
        ),
        journey!(
            "14-registration",
            a_technician_applies_online_fixes_a_defect_and_logs_in_with_the_card
        ),
        journey!(
            "15-business-registration",
            a_business_applies_online_and_its_holder_logs_in_at_the_business_entrance
        ),
        journey!(
            "16-proxy-registration",
            a_business_applies_for_its_worker_who_consents_and_logs_in_alone
        ),
        journey!(
            "17-organisation",
            a_business_gives_each_person_a_login_and_links_a_technician
        ),
        journey!(
            "18-cannot-log-in",
            someone_who_cannot_log_in_answers_a_few_questions_and_reaches_the_fix
        ),
        journey!(
            "19-passkey",
            on_a_phone_a_worker_registers_a_passkey_and_logs_in_with_it
        ),
        journey!(
            "20-languages",
            a_foreign_worker_switches_to_english_or_easy_japanese_and_logs_in
        ),
        journey!(
            "21-staff-passkey",
            a_helpdesk_staff_member_uses_a_passkey_instead_of_the_code
        ),
        journey!(
            "22-every-page-in-three-languages",
            every_kind_of_page_reads_in_english_and_easy_japanese
        ),
        journey!(
            "23-timeout-during-a-form",
            a_form_sent_after_a_timeout_comes_back_with_what_was_typed
        ),
        journey!(
            "24-sites",
            a_main_contractor_builds_a_site_chain_that_each_company_staffs
        ),
        postgres_only(journey!("25-sites-postgres", the_site_chain_on_postgresql)),
        journey!(
            "26-passkey-without-an-authenticator",
            without_an_authenticator_the_page_says_it_waits_and_offers_to_cancel
        ),
        journey!(
            "27-work-records",
            a_reader_key_is_issued_and_the_worker_sees_the_day_toward_level_2
        ),
        journey!(
            "28-unplaced-and-correction",
            an_employer_places_an_unplaced_day_and_the_helpdesk_corrects_it
        ),
        journey!(
            "29-connected-system",
            a_business_lets_a_connected_system_in_and_revokes_it
        ),
        journey!(
            "30-login-with-ccus",
            a_worker_logs_in_to_a_service_with_ccus_and_ends_it
        ),
    ];
    let names = journeys.iter().map(|j| j.name().to_owned()).collect();
    harness::run(
        ["journey", "journeys"],
        journeys,
        vec![
            harness::all_registered(include_str!("journeys.rs"), names),
            harness::missing_browsers_are_not_run(
                "wrong_entrance_both_ways_leads_to_the_right_one_with_the_id_filled_in",
            ),
        ],
    )
}
