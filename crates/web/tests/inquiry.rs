//! お問い合わせ end to end: the form with attachments, the receipt mail, the helpdesk queue and
//! inquiry page (candidates by kana, download, reply, status), and attacks on attachments.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::time::Duration;

use base64::Engine;
use ccus_app::account::provisioning::{create_account, AccountRequest, ProfileRequest};
use ccus_domain::{totp, AccountKind};
use ccus_storage::StaffRole;
use ccus_testkit::*;
use reqwest::multipart::{Form, Part};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR fake png body";
const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n";
const EXE: &[u8] = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff";

async fn app_with(max_file_bytes: u64) -> TestApp {
    spawn_app_with(ccus_storage::testdb::sqlite_url(), move |c| {
        c.staff.totp_key = base64::engine::general_purpose::STANDARD.encode([9u8; 32]);
        c.inquiry.max_file_bytes = max_file_bytes;
    })
    .await
}

fn base_form(token: &str) -> Form {
    Form::new()
        .text("csrf_token", token.to_owned())
        .text("category", "登録メールアドレス変更")
        .text("login_id", "")
        .text("name", "建設 太郎")
        .text("furigana", "けんせつ　たろう")
        .text("birth_date", "１９８５年４月１日")
        .text("employer", "見本建設")
        .text("email", "now@example.jp")
        .text("phone", "")
        .text(
            "message",
            "前の会社のメールアドレスが使えなくなりました。\n新しいアドレスに変えてください。",
        )
}

fn file(name: &str, bytes: &[u8], declared: &str) -> Part {
    Part::bytes(bytes.to_vec())
        .file_name(name.to_owned())
        .mime_str(declared)
        .unwrap()
}

async fn send(app: &TestApp, b: &reqwest::Client, form: Form) -> reqwest::Response {
    b.post(app.url("/inquiry"))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn token(app: &TestApp, b: &reqwest::Client) -> String {
    csrf_in(&app.get(b, "/inquiry").await.text().await.unwrap())
}

fn stored_files(app: &TestApp) -> Vec<String> {
    match std::fs::read_dir(&app.attachments_dir) {
        Ok(d) => d
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    }
}

async fn inquiry_count(app: &TestApp) -> usize {
    app.state
        .store_for_tools()
        .inquiries()
        .list(None, 100)
        .await
        .unwrap()
        .len()
}

async fn staff_browser(app: &TestApp) -> reqwest::Client {
    let id = ccus_app::account::provisioning::create_staff(
        &app.state,
        "窓口 花子",
        "desk@example.jp",
        StaffRole::Supervisor,
        Some("helpdesk desk password".into()),
    )
    .await
    .unwrap()
    .0;
    let b = app.browser();
    app.submit(
        &b,
        "/helpdesk/login",
        "/helpdesk/login",
        &[
            ("staff_id", &id),
            ("password", "helpdesk desk password"),
            ("code", ""),
        ],
    )
    .await;
    let page = app.get(&b, "/helpdesk/enroll").await.text().await.unwrap();
    let start = page.find("<span class=\"mono\">").unwrap() + "<span class=\"mono\">".len();
    let end = page[start..].find('<').unwrap() + start;
    let secret = totp::base32_decode(&page[start..end]).unwrap();
    let code = format!(
        "{:06}",
        totp::code_at(
            &secret,
            totp::step_of(ccus_domain::Clock::now(app.state.clock()))
        )
    );
    let r = app
        .submit(
            &b,
            "/helpdesk/enroll",
            "/helpdesk/enroll",
            &[("code", code.as_str())],
        )
        .await;
    assert_eq!(location(&r), "/helpdesk?enrolled=1");
    b
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inquiry_with_attachments_through_to_the_console() {
    let app = app_with(5 * 1024 * 1024).await;
    let worker = create_account(
        &app.state,
        AccountRequest {
            kind: AccountKind::Technician,
            name: "建設 太郎".into(),
            email: "old-job@example.jp".into(),
            password: Some("worker password here".into()),
            security_code: Some("2222".into()),
            must_change_password: false,
            profile: ProfileRequest {
                furigana: "ケンセツ タロウ".into(),
                birth_date: Some("1985-04-01".into()),
                employer: None,
            },
        },
    )
    .await
    .unwrap()
    .account;
    let b = app.browser();
    let t = token(&app, &b).await;
    let form = base_form(&t)
        .part("files", file("運転免許証.png", PNG, "image/png"))
        .part("files", file("保険証.pdf", PDF, "application/pdf"));
    let r = send(&app, &b, form).await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("お問い合わせを受け付けました") && html.contains("受付番号: Q"));
    // A 2xx means the inquiry and its files are stored.
    let files = stored_files(&app);
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(
        files.iter().all(|f| f.len() == 36 && !f.contains("運転")),
        "server-made names: {files:?}"
    );
    let mail = app
        .wait_for_mail("now@example.jp", "お問い合わせを受け付けました", 1)
        .await
        .remove(0);
    assert!(mail.body.contains("受付番号: Q"));

    // The console: queue, the inquiry with candidates found by kana, the files, a reply.
    let s = staff_browser(&app).await;
    let queue = app
        .get(&s, "/helpdesk/inquiries")
        .await
        .text()
        .await
        .unwrap();
    assert!(queue.contains("建設 太郎") && queue.contains("新規"));
    let q = app
        .state
        .store_for_tools()
        .inquiries()
        .list(None, 10)
        .await
        .unwrap()
        .remove(0);
    let page = app
        .get(&s, &format!("/helpdesk/inquiries/{}", q.id))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(&format!("/helpdesk/accounts/{}", worker.id)),
        "candidate by kana and birth date"
    );
    assert!(page.contains("運転免許証.png") && page.contains("保険証.pdf"));
    let f = app
        .state
        .store_for_tools()
        .inquiries()
        .inquiry_files(q.id)
        .await
        .unwrap();
    let png = f.iter().find(|f| f.content_type == "image/png").unwrap();
    let dl = app.get(&s, &format!("/helpdesk/files/{}", png.id)).await;
    assert_eq!(dl.status(), 200);
    let cd = dl
        .headers()
        .get("content-disposition")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cd.starts_with("attachment;") && cd.contains("filename*=UTF-8''"),
        "{cd}"
    );
    assert_eq!(
        dl.headers().get("x-content-type-options").unwrap(),
        "nosniff"
    );
    assert_eq!(dl.headers().get("content-type").unwrap(), "image/png");
    assert_eq!(dl.bytes().await.unwrap().as_ref(), PNG);
    // Only staff download.
    assert_eq!(
        location(
            &app.get(&app.browser(), &format!("/helpdesk/files/{}", png.id))
                .await
        ),
        "/helpdesk/login"
    );

    let inquiry_page = format!("/helpdesk/inquiries/{}", q.id);
    let r = app
        .submit(
            &s,
            &inquiry_page,
            &format!("{inquiry_page}/reply"),
            &[("body", "登録メールアドレスを変更しました。")],
        )
        .await;
    assert_eq!(location(&r), format!("{inquiry_page}?done=reply"));
    let reply = app
        .wait_for_mail("now@example.jp", "お問い合わせへの回答", 1)
        .await
        .remove(0);
    assert!(
        reply.body.contains("登録メールアドレスを変更しました。")
            && reply.body.contains(&q.receipt)
    );
    app.submit(
        &s,
        &inquiry_page,
        &format!("{inquiry_page}/note"),
        &[("body", "免許証で本人確認済み")],
    )
    .await;
    app.submit(
        &s,
        &inquiry_page,
        &format!("{inquiry_page}/status"),
        &[("status", "done")],
    )
    .await;
    let done = app
        .state
        .store_for_tools()
        .inquiries()
        .inquiry(q.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(done.status, ccus_storage::InquiryStatus::Done);
    assert_eq!(done.assignee.as_deref(), Some("窓口 花子"));
    let page = app.get(&s, &inquiry_page).await.text().await.unwrap();
    assert!(page.contains("免許証で本人確認済み") && page.contains("回答（窓口 花子）"));
    let audit = app.get(&s, "/helpdesk/audit").await.text().await.unwrap();
    for a in [
        "お問い合わせに返信",
        "お問い合わせにメモを追加",
        "お問い合わせの状態を変更",
        "添付ファイルをダウンロード",
    ] {
        assert!(audit.contains(a), "{a}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_attachments_are_refused_and_leave_nothing_behind() {
    let app = app_with(64 * 1024).await;
    let b = app.browser();
    // Names are cleaned; the type comes from the bytes (a PDF named .png is a PDF).
    let t = token(&app, &b).await;
    let form = base_form(&t)
        .part("files", file("../../etc/passwd.png", PDF, "image/png"))
        .part(
            "files",
            file(
                "..\\..\\boot.ini.jpg",
                b"\xFF\xD8\xFF\xE0 jpeg",
                "image/jpeg",
            ),
        )
        .part(
            "files",
            file("．．／．．／\u{202E}fdp.exe.pdf", PDF, "application/pdf"),
        );
    assert_eq!(send(&app, &b, form).await.status(), 200);
    let q = app
        .state
        .store_for_tools()
        .inquiries()
        .list(None, 10)
        .await
        .unwrap()
        .remove(0);
    let files = app
        .state
        .store_for_tools()
        .inquiries()
        .inquiry_files(q.id)
        .await
        .unwrap();
    let names: Vec<&str> = files.iter().map(|f| f.original_name.as_str()).collect();
    assert_eq!(names, vec!["passwd.png", "boot.ini.jpg", "fdp.exe.pdf"]);
    assert_eq!(files[0].content_type, "application/pdf", "decided by bytes");
    assert!(files
        .iter()
        .all(|f| !f.stored_name.contains('/') && !f.stored_name.contains("..")));
    let before = stored_files(&app).len();
    assert_eq!(before, 3);

    // Control characters in a part header: a clear 4xx, nothing stored.
    let t = token(&app, &b).await;
    let r = send(
        &app,
        &b,
        base_form(&t).part("files", file("bell\u{7}.png", PNG, "image/png")),
    )
    .await;
    assert!(r.status().is_client_error(), "{}", r.status());
    assert!(r.text().await.unwrap().contains("受け付けられませんでした"));
    assert_eq!(stored_files(&app).len(), 3);

    // An executable renamed .jpg.
    let t = token(&app, &b).await;
    let r = send(
        &app,
        &b,
        base_form(&t).part("files", file("photo.jpg", EXE, "image/jpeg")),
    )
    .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("添付できない種類のファイルです"));
    assert!(
        html.contains("前の会社のメールアドレス"),
        "what was typed is kept"
    );
    // Too large.
    let big = [PNG, &vec![0u8; 70 * 1024]].concat();
    let r = send(
        &app,
        &b,
        base_form(&t).part("files", file("big.png", &big, "image/png")),
    )
    .await;
    assert_eq!(r.status(), 413);
    assert!(r.text().await.unwrap().contains("大きすぎます"));
    // Too many.
    let mut form = base_form(&t);
    for i in 0..4 {
        form = form.part("files", file(&format!("{i}.png"), PNG, "image/png"));
    }
    assert_eq!(send(&app, &b, form).await.status(), 413);
    assert_eq!(
        stored_files(&app).len(),
        before,
        "nothing stored from refused uploads"
    );
    assert_eq!(inquiry_count(&app).await, 1);

    // A request cut off in the middle of a file.
    let addr = app.base.trim_start_matches("http://").to_owned();
    // The upload is streamed before the form's token is checked, so this exercises the
    // cut-off path whatever the cookie; nothing may be stored either way.
    let cookie = "ccus_csrf=x";
    let boundary = "XBOUNDARYX";
    let head = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{t}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"cut.png\"\r\nContent-Type: image/png\r\n\r\n"
    );
    let mut body = head.into_bytes();
    body.extend_from_slice(PNG);
    body.extend_from_slice(&[7u8; 4000]);
    let declared = body.len() + 50_000;
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    write!(
        stream,
        "POST /inquiry HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {declared}\r\n\r\n"
    )
    .unwrap();
    stream.write_all(&body).unwrap();
    stream.flush().unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    drop(stream);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        stored_files(&app).len(),
        before,
        "a cut-off upload leaves nothing: {:?}",
        stored_files(&app)
    );
    assert_eq!(inquiry_count(&app).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bot_trap_and_validation_never_store_anything() {
    let app = app_with(1024 * 1024).await;
    let b = app.browser();
    let t = token(&app, &b).await;
    let r = send(
        &app,
        &b,
        base_form(&t).text("website", "http://spam.example"),
    )
    .await;
    assert_eq!(r.status(), 200, "a bot is not told it was caught");
    assert_eq!(inquiry_count(&app).await, 0);
    let r = send(
        &app,
        &b,
        Form::new()
            .text("csrf_token", t.clone())
            .text("category", "その他")
            .text("name", "")
            .text("furigana", "建設")
            .text("birth_date", "いつか")
            .text("email", "x")
            .text("message", ""),
    )
    .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    for m in [
        "氏名を入力してください",
        "フリガナをカタカナまたはひらがなで",
        "生年月日を",
        "メールアドレスの形式",
        "お問い合わせ内容を入力してください",
    ] {
        assert!(html.contains(m), "{m}");
    }
    assert_eq!(inquiry_count(&app).await, 0);
    // The support page and the footer lead to the form.
    assert!(app
        .get(&b, "/support")
        .await
        .text()
        .await
        .unwrap()
        .contains("href=\"/inquiry\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_a_crash_left_behind_are_swept() {
    let app = app_with(1024 * 1024).await;
    let b = app.browser();
    let t = token(&app, &b).await;
    assert_eq!(
        send(
            &app,
            &b,
            base_form(&t).part("files", file("a.png", PNG, "image/png"))
        )
        .await
        .status(),
        200
    );
    let kept = stored_files(&app);
    assert_eq!(kept.len(), 1);
    // What a crash between rename and commit, or in the middle of a stream, leaves.
    std::fs::write(
        app.attachments_dir
            .join("0123456789abcdef0123456789abcdef.png"),
        PNG,
    )
    .unwrap();
    std::fs::write(app.attachments_dir.join(".upload-deadbeef"), b"partial").unwrap();
    let removed = ccus_app::attachments::sweep_orphans(&app.state, Duration::ZERO, Duration::ZERO)
        .await
        .unwrap();
    assert_eq!(removed, 2);
    assert_eq!(
        stored_files(&app),
        kept,
        "files of committed inquiries stay"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn downloads_are_named_by_the_detected_type_not_the_uploaders_extension() {
    let app = app_with(1024 * 1024).await;
    let b = app.browser();
    let t = token(&app, &b).await;
    let form = base_form(&t)
        .part("files", file("請求書.html", PDF, "text/html"))
        .part("files", file("tool.exe", PNG, "application/octet-stream"));
    assert_eq!(send(&app, &b, form).await.status(), 200);
    let q = app
        .state
        .store_for_tools()
        .inquiries()
        .list(None, 10)
        .await
        .unwrap()
        .remove(0);
    let s = staff_browser(&app).await;
    let page = app
        .get(&s, &format!("/helpdesk/inquiries/{}", q.id))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("請求書.pdf") && page.contains("tool.png"),
        "listed under the download name"
    );
    assert!(!page.contains("請求書.html") && !page.contains("tool.exe"));
    let files = app
        .state
        .store_for_tools()
        .inquiries()
        .inquiry_files(q.id)
        .await
        .unwrap();
    let mut seen = Vec::new();
    for f in &files {
        let dl = app.get(&s, &format!("/helpdesk/files/{}", f.id)).await;
        assert_eq!(dl.status(), 200);
        let ct = dl
            .headers()
            .get("content-type")
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        let cd = dl
            .headers()
            .get("content-disposition")
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        seen.push((ct, cd));
    }
    let (pdf_ct, pdf_cd) = &seen[0];
    assert_eq!(pdf_ct, "application/pdf");
    // 請求書 in UTF-8, percent-encoded.
    assert!(
        pdf_cd.contains("filename=\"___.pdf\"")
            && pdf_cd.ends_with("filename*=UTF-8''%E8%AB%8B%E6%B1%82%E6%9B%B8.pdf"),
        "{pdf_cd}"
    );
    let (png_ct, png_cd) = &seen[1];
    assert_eq!(png_ct, "image/png");
    assert!(
        png_cd.contains("filename=\"tool.png\"") && png_cd.ends_with("UTF-8''tool.png"),
        "{png_cd}"
    );
    assert!(seen
        .iter()
        .all(|(_, cd)| !cd.contains(".html") && !cd.contains(".exe")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_utf8_in_a_text_field_is_refused() {
    let app = app_with(1024 * 1024).await;
    let b = app.browser();
    let t = token(&app, &b).await;
    let mut message = "お問い合わせ".as_bytes().to_vec();
    message.extend_from_slice(b"\xFF\xFE\xE5\xB1");
    let form = base_form(&t).part("message", Part::bytes(message));
    let r = send(&app, &b, form).await;
    assert_eq!(r.status(), 400);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("入力内容を読み取れませんでした"));
    assert_eq!(inquiry_count(&app).await, 0);
    assert!(stored_files(&app).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_over_the_limit_is_refused_with_everything_kept() {
    let app = app_with(1024 * 1024).await;
    let b = app.browser();
    let form_page = app.get(&b, "/inquiry").await.text().await.unwrap();
    assert!(
        form_page.contains("8,000文字以内で入力してください"),
        "the limit is on the form"
    );
    let t = csrf_in(&form_page);
    // One character too many (line breaks count once, as CR LF or LF).
    let long = format!("{}\r\n{}末尾", "あ".repeat(4000), "い".repeat(3998));
    assert_eq!(long.replace("\r\n", "\n").chars().count(), 8001);
    let r = send(&app, &b, base_form(&t).text("message", long.clone())).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("お問い合わせ内容は8,000文字以内で入力してください（現在8,001文字です）"),
        "a clear message"
    );
    assert!(
        html.contains(&format!("{}\n{}末尾", "あ".repeat(4000), "い".repeat(3998))),
        "the message is shown back whole"
    );
    for kept in [
        "建設 太郎",
        "けんせつ　たろう",
        "見本建設",
        "now@example.jp",
    ] {
        assert!(html.contains(kept), "{kept} is kept");
    }
    assert!(html.contains("<option value=\"登録メールアドレス変更\" selected>"));
    assert_eq!(inquiry_count(&app).await, 0);

    // Exactly the limit is received whole.
    let exact = "う".repeat(8000);
    let r = send(&app, &b, base_form(&t).text("message", exact.clone())).await;
    assert_eq!(r.status(), 200);
    let q = app
        .state
        .store_for_tools()
        .inquiries()
        .list(None, 10)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(q.message, exact);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contact_addresses_mail_cannot_reach_are_refused() {
    let app = app_with(1024 * 1024).await;
    let b = app.browser();
    let t = token(&app, &b).await;
    for bad in [
        "a@[127.0.0.1]",
        "=?utf-8?q?taro?=@example.jp",
        "a@127.0.0.1",
    ] {
        let r = send(&app, &b, base_form(&t).text("email", bad)).await;
        assert_eq!(r.status(), 422, "{bad}");
        assert!(
            r.text()
                .await
                .unwrap()
                .contains("メールアドレスの形式をご確認ください"),
            "{bad}"
        );
    }
    assert_eq!(inquiry_count(&app).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_files_of_a_killed_instance_are_swept_at_start_but_not_uploads_in_progress() {
    let app = spawn_app_with(ccus_storage::testdb::sqlite_url(), |c| {
        c.server.body_timeout = Duration::from_secs(60);
    })
    .await;
    std::fs::create_dir_all(&app.attachments_dir).unwrap();
    let aged = |name: &str, age: Duration| {
        let path = app.attachments_dir.join(name);
        std::fs::write(&path, b"partial").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(std::time::SystemTime::now() - age)
            .unwrap();
    };
    // Left by a killed instance: last written well over body_timeout + margin ago.
    aged(".upload-killed", Duration::from_secs(10 * 60));
    // Another instance's upload in progress: written to a moment ago.
    aged(".upload-in-progress", Duration::from_secs(5));
    // A stored file waiting for its commit stays for the longer grace.
    aged(
        "0123456789abcdef0123456789abcdef.png",
        Duration::from_secs(10 * 60),
    );
    let cleanup = ccus_web::spawn_cleanup(app.state.clone());
    let mut left = stored_files(&app);
    for _ in 0..50 {
        if !left.contains(&".upload-killed".to_owned()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        left = stored_files(&app);
    }
    cleanup.abort();
    left.sort();
    assert_eq!(
        left,
        vec![
            ".upload-in-progress".to_owned(),
            "0123456789abcdef0123456789abcdef.png".to_owned()
        ],
        "only the killed instance's temporary file is removed"
    );
}

#[ccus_test_macros::postgres_variant]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_attachment_uploaded_through_one_instance_downloads_through_another() {
    let Some(url) = ccus_storage::testdb::postgres_url().await else {
        eprintln!("skipped: {} is not set", ccus_storage::testdb::POSTGRES_ENV);
        return;
    };
    // Two instances on one PostgreSQL, each with its own folder (as on two machines).
    let key = base64::engine::general_purpose::STANDARD.encode([9u8; 32]);
    let a = spawn_app_with(url.clone(), {
        let key = key.clone();
        move |c| c.staff.totp_key = key
    })
    .await;
    let b = spawn_app_with(url, move |c| c.staff.totp_key = key).await;
    assert_ne!(a.attachments_dir, b.attachments_dir);
    let png = {
        let mut v = b"\x89PNG\r\n\x1a\n".to_vec();
        v.extend_from_slice(&[7u8; 2048]);
        v
    };
    let user = a.browser();
    let form =
        base_form(&token(&a, &user).await).part("files", file("写真.png", &png, "image/png"));
    assert_eq!(send(&a, &user, form).await.status(), 200);
    // Staff on the other instance download it.
    let q = &b
        .state
        .store_for_tools()
        .inquiries()
        .list(None, 10)
        .await
        .unwrap()[0];
    let f = &b
        .state
        .store_for_tools()
        .inquiries()
        .inquiry_files(q.id)
        .await
        .unwrap()[0];
    let staff = staff_browser(&b).await;
    let r = b.get(&staff, &format!("/helpdesk/files/{}", f.id)).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.bytes().await.unwrap().to_vec(), png);
    assert!(
        stored_files(&b).is_empty(),
        "read from the database, not a local copy"
    );
}

/// A browser that has chosen `lang` with the switch.
async fn browser_in(app: &TestApp, lang: &str) -> reqwest::Client {
    let b = app.browser();
    app.get(&b, &format!("/lang/{lang}?back=/")).await;
    b
}

#[tokio::test]
async fn the_form_and_its_answers_speak_english() {
    let app = app_with(1024 * 1024).await;
    let b = browser_in(&app, "en").await;
    let form = app.get(&b, "/inquiry").await.text().await.unwrap();
    assert!(form.contains("<h1>Contact form</h1>"));
    assert!(form.contains(
        "<option value=\"登録メールアドレス変更\">Changing your registered email address (登録メールアドレス変更)</option>"
    ));
    assert!(form.contains("Up to 8,000 characters."));
    assert!(form.contains("Attachments (optional, up to 3 files, 1 MB each, JPEG, PNG or PDF)"));
    assert!(form.contains("Name in katakana (フリガナ)") && form.contains(">Send</button>"));
    for japanese in ["お問い合わせ内容", "選択してください", "送信する", "必須"]
    {
        assert!(!form.contains(japanese), "{japanese}");
    }

    // Problems with the fields, in English.
    let t = csrf_in(&form);
    let r = send(
        &app,
        &b,
        Form::new()
            .text("csrf_token", t.clone())
            .text("category", "Other")
            .text("name", "")
            .text("furigana", "Taro")
            .text("birth_date", "someday")
            .text("email", "x")
            .text("message", ""),
    )
    .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    for m in [
        "Please check what you entered. Choose your attachments again.",
        "Please choose the type of question.",
        "Enter your name.",
        "Write your name in katakana or hiragana.",
        "Enter your date of birth like this: 1985-04-01.",
        "Please check the email address",
        "Enter your message.",
    ] {
        assert!(html.contains(m), "{m}");
    }

    // An attachment refused, in English.
    let r = send(
        &app,
        &b,
        base_form(&t).part("files", file("photo.jpg", EXE, "image/jpeg")),
    )
    .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("We could not accept the attachments."));
    assert!(html.contains("“photo.jpg” is a kind of file that cannot be attached."));
    let big = [PNG, &vec![0u8; 1100 * 1024]].concat();
    let r = send(
        &app,
        &b,
        base_form(&t).part("files", file("big.png", &big, "image/png")),
    )
    .await;
    assert_eq!(r.status(), 413);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("“big.png” is too large. Each file can be up to 1 MB."));
    assert_eq!(inquiry_count(&app).await, 0);

    // Received: the category is stored as before, in Japanese, for the helpdesk.
    let r = send(&app, &b, base_form(&t)).await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("<h1>We received your message</h1>"));
    assert!(html.contains("Reference number (受付番号): Q"));
    assert!(html.contains("Answer expected by: "));
    assert!(!html.contains("お問い合わせを受け付けました"));
    let stored = app
        .state
        .store_for_tools()
        .inquiries()
        .list(None, 10)
        .await
        .unwrap();
    assert_eq!(stored[0].category, "登録メールアドレス変更");
}

#[tokio::test]
async fn the_form_speaks_easy_japanese_and_shows_what_was_tried() {
    let app = app_with(1024 * 1024).await;
    let b = browser_in(&app, "easy").await;
    let form = app
        .get(&b, "/inquiry?e=technician&s=locked&m=no")
        .await
        .text()
        .await
        .unwrap();
    assert!(form.contains("<h1>といあわせの フォーム</h1>"));
    assert!(
        form.contains("<option value=\"パスワード・ロック\" selected>パスワード・ロック</option>")
    );
    assert!(form.contains("「ログインできない方へ」で たしかめた こと"));
    assert!(form.contains("とうろくした メールアドレスで メールを うけとれない"));
    assert!(!form.contains("お問い合わせの種類") && !form.contains("送信する"));
    let r = send(&app, &b, base_form(&csrf_in(&form)).text("name", "")).await;
    let html = r.text().await.unwrap();
    assert!(html.contains("なまえを 書いて ください。"), "{html}");

    let en = browser_in(&app, "en").await;
    let form = app
        .get(&en, "/inquiry?e=technician&s=locked&m=no")
        .await
        .text()
        .await
        .unwrap();
    assert!(form.contains("What you checked in “Cannot log in?”"));
    assert!(form.contains("I cannot receive email at my registered address"));
    assert!(form.contains("(this ID is locked)"));
}

/// The anti-forgery token is the form's first part and is checked before any file is read: a
/// form whose files come first, or whose token is wrong, is refused and nothing is stored. (The
/// portal answers 403 without reading the rest; a client still sending may instead see the
/// connection closed under it.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_inquiry_is_refused_before_its_files_are_read() {
    let app = app_with(5 * 1024 * 1024).await;
    let b = app.browser();
    let t = token(&app, &b).await;
    let refused = |r: Result<reqwest::Response, reqwest::Error>| match r {
        Ok(r) => r.status() == 403,
        Err(e) => e.is_request(),
    };
    let files_first = Form::new()
        .part("files", file("photo.png", PNG, "image/png"))
        .text("csrf_token", t.clone())
        .text("message", "ファイルが先");
    let r = b
        .post(app.url("/inquiry"))
        .multipart(files_first)
        .send()
        .await;
    assert!(refused(r));
    let wrong_token = base_form("not-the-token").part("files", file("photo.png", PNG, "image/png"));
    let r = b
        .post(app.url("/inquiry"))
        .multipart(wrong_token)
        .send()
        .await;
    assert!(refused(r));
    assert!(stored_files(&app).is_empty());
    assert_eq!(inquiry_count(&app).await, 0);
    // The same form in the right order goes through.
    let b = app.browser();
    let t = token(&app, &b).await;
    let ok = base_form(&t).part("files", file("photo.png", PNG, "image/png"));
    assert!(send(&app, &b, ok).await.status().is_success());
    assert_eq!(inquiry_count(&app).await, 1);
}
