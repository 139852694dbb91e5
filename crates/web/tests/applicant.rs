//! The applicant's side of registration over HTTP: the one application form whose every button
//! keeps what was typed (a document added mid-form included), the limits on documents,
//! applications and uploads (shared by instances, exact under concurrency), face photos refused
//! from their headers, capital in yen and the fee it sets, パスワードをお忘れの方 for the
//! application login, ログアウト remembered, the 代行申請 worker's own address, and the English
//! form — on SQLite and, where storage matters, PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ccus_domain::{AccountKind, ApplicationId};

use ccus_testkit::*;
use ccus_web::Config;

const EMAIL: &str = "nguyen.an@example.jp";
const APPLY_PW: &str = "river stones in spring";

/// The number in `/apply/{n}…`.
fn application_id(location: &str) -> i64 {
    location
        .trim_start_matches("/apply/")
        .split(['?', '#'])
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// Makes the application login of `email` through the mailed link; returns its browser.
async fn applicant_as(app: &TestApp, email: &str) -> reqwest::Client {
    let b = app.browser();
    let r = app
        .submit(&b, "/apply/start", "/apply/start", &[("email", email)])
        .await;
    assert_eq!(r.status(), 200);
    let mail = app.wait_for_mail(email, "申請用IDの作成", 1).await;
    let link = link_in(&mail[0].body, "/apply/confirm");
    let token = link.split("token=").nth(1).unwrap().to_owned();
    let r = app
        .submit(
            &b,
            &link,
            "/apply/confirm",
            &[("token", &token), ("password", APPLY_PW)],
        )
        .await;
    assert_eq!(location(&r), "/apply/home");
    b
}

async fn applicant(app: &TestApp) -> reqwest::Client {
    applicant_as(app, EMAIL).await
}

async fn new_application(app: &TestApp, b: &reqwest::Client, kind: &str) -> i64 {
    let r = app
        .submit(b, "/apply/home", "/apply/new", &[("kind", kind)])
        .await;
    application_id(&location(&r))
}

/// Every item of a technician's form, as a foreign worker types it.
fn worker_form() -> Vec<(&'static str, &'static str)> {
    vec![
        ("plan", "detailed"),
        ("name", "NGUYEN VAN AN"),
        ("furigana", "グエン ヴァン アン"),
        ("birth_date", "1996-03-09"),
        ("gender", "male"),
        ("nationality", "ベトナム"),
        ("residence_card", "AB12345678CD"),
        ("postal_code", "100-0013"),
        ("address", "東京都千代田区霞が関2-1-3"),
        ("phone", "090-1234-5678"),
        ("insurance", "enrolled"),
        ("qualifications", "玉掛け技能講習 2020-06-01"),
    ]
}

/// A PNG of `w`×`h` pixels as far as its header goes (type and size are read from it),
/// `len` bytes long.
fn png_of(w: u32, h: u32, len: usize) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    b.extend_from_slice(&w.to_be_bytes());
    b.extend_from_slice(&h.to_be_bytes());
    b.extend_from_slice(&[8, 2, 0, 0, 0]);
    b.resize(len.max(b.len()), 0);
    b
}

fn photo() -> Vec<u8> {
    png_of(480, 640, 4096)
}

/// A JPEG of 480×640 whose EXIF says it was taken on `taken` ("YYYY:MM:DD HH:MM:SS").
fn jpeg_taken(taken: &str) -> Vec<u8> {
    let mut tiff = b"MM\0\x2a\0\0\0\x08".to_vec();
    // IFD0: the EXIF IFD pointer.
    tiff.extend_from_slice(&[0, 1, 0x87, 0x69, 0, 4, 0, 0, 0, 1, 0, 0, 0, 26, 0, 0, 0, 0]);
    // EXIF IFD: DateTimeOriginal, 20 ASCII bytes at 44.
    tiff.extend_from_slice(&[0, 1, 0x90, 0x03, 0, 2, 0, 0, 0, 20, 0, 0, 0, 44, 0, 0, 0, 0]);
    tiff.extend_from_slice(taken.as_bytes());
    tiff.push(0);
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let mut b = vec![0xFF, 0xD8, 0xFF, 0xE1];
    b.extend_from_slice(&u16::try_from(app1.len() + 2).unwrap().to_be_bytes());
    b.extend_from_slice(&app1);
    b.extend_from_slice(&[0xFF, 0xC0, 0, 17, 8]);
    b.extend_from_slice(&640u16.to_be_bytes());
    b.extend_from_slice(&480u16.to_be_bytes());
    b.extend_from_slice(&[3; 10]);
    b.extend_from_slice(&[0xFF, 0xDA, 0, 2]);
    b.extend_from_slice(&[0; 512]);
    b.extend_from_slice(&[0xFF, 0xD9]);
    b
}

/// Sends the application form as a browser does: one multipart body, the anti-forgery token
/// first, the items, the document's kind and file, and the button pressed.
async fn send_form(
    app: &TestApp,
    b: &reqwest::Client,
    id: i64,
    fields: &[(&str, &str)],
    file: Option<(&str, &str, Vec<u8>)>,
    action: &str,
) -> reqwest::Response {
    let html = app
        .get(b, &format!("/apply/{id}"))
        .await
        .text()
        .await
        .unwrap();
    let mut form = reqwest::multipart::Form::new().text("csrf_token", csrf_in(&html));
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    form = match file {
        Some((kind, name, bytes)) => form.text("kind", kind.to_owned()).part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
        ),
        // No file chosen: browsers still send the part, empty and unnamed.
        None => form.text("kind", "identity").part(
            "file",
            reqwest::multipart::Part::bytes(Vec::new()).file_name(""),
        ),
    };
    form = form.text("action", action.to_owned());
    b.post(app.url(&format!("/apply/{id}")))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

/// The page shows every value typed, in its field.
fn shows_everything_typed(page: &str, fields: &[(&str, &str)]) {
    for (k, v) in fields {
        let shown = match *k {
            "plan" | "gender" | "insurance" | "sole_proprietor" => {
                format!("<option value=\"{v}\" selected>")
            }
            "qualifications" => format!(">{v}</textarea>"),
            _ => format!("value=\"{v}\""),
        };
        assert!(page.contains(&shown), "{k}: no {shown} in\n{page}");
    }
}

async fn stored_fields(app: &TestApp, id: i64) -> std::collections::HashMap<String, String> {
    app.state
        .store_for_tools()
        .registrations()
        .application_fields(ApplicationId::new(id))
        .await
        .unwrap()
        .into_iter()
        .collect()
}

// ---- one form: nothing typed is lost ---------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_document_added_mid_form_keeps_everything_typed() {
    let app = spawn_app().await;
    let b = applicant(&app).await;
    let id = new_application(&app, &b, "technician").await;
    let typed = worker_form();

    // The form is one multipart form whose first part is the anti-forgery token.
    let page = app
        .get(&b, &format!("/apply/{id}"))
        .await
        .text()
        .await
        .unwrap();
    let form_start = page
        .find(&format!(
            "action=\"/apply/{id}\" enctype=\"multipart/form-data\""
        ))
        .expect("one multipart form");
    let after = &page[form_start..];
    assert!(after.find("name=\"csrf_token\"").unwrap() < after.find("name=\"plan\"").unwrap());
    for button in ["value=\"save\"", "value=\"upload\"", "value=\"submit\""] {
        assert!(after.contains(button), "{button}");
    }
    // Enter in a field presses the form's first button: 一時保存.
    let first = &after[after.find("<button type=\"submit\"").unwrap()..];
    assert!(first.starts_with("<button type=\"submit\" name=\"action\" value=\"save\""));

    // Typed top to bottom, then the face photo uploaded: the items are saved, the photo added.
    let r = send_form(
        &app,
        &b,
        id,
        &typed,
        Some(("photo", "顔写真.png", photo())),
        "upload",
    )
    .await;
    assert_eq!(location(&r), format!("/apply/{id}?done=document#documents"));
    let page = app
        .get(&b, &format!("/apply/{id}?done=document"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("書類をアップロードしました"));
    assert!(page.contains("入力した内容も一時保存しました"));
    shows_everything_typed(&page, &typed);
    assert_eq!(stored_fields(&app, id).await["name"], "NGUYEN VAN AN");

    // A refused photo: the form comes back with what was typed and the reason; what was typed
    // (a change included) is saved.
    let mut changed = typed.clone();
    changed.retain(|(k, _)| *k != "phone");
    changed.push(("phone", "080-9999-0000"));
    let r = send_form(
        &app,
        &b,
        id,
        &changed,
        Some(("photo", "small.png", png_of(100, 120, 2048))),
        "upload",
    )
    .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("顔写真が小さすぎます（100×120ピクセル）"));
    assert!(page.contains("入力した内容は一時保存しました"));
    shows_everything_typed(&page, &changed);
    assert_eq!(stored_fields(&app, id).await["phone"], "080-9999-0000");

    // A mistake in an item and a document at once: the document is taken, the items are shown
    // again with the problem, nothing of them stored.
    let mut wrong = changed.clone();
    wrong.retain(|(k, _)| *k != "postal_code");
    wrong.push(("postal_code", "100-001"));
    let r = send_form(
        &app,
        &b,
        id,
        &wrong,
        Some(("identity", "在留カード.png", photo())),
        "upload",
    )
    .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("郵便番号は7桁の数字で入力してください"));
    assert!(page.contains("書類はアップロードしました"));
    shows_everything_typed(&page, &wrong);
    assert_eq!(stored_fields(&app, id).await["postal_code"], "100-0013");

    // 書類をアップロードする with no file chosen (or Enter in a field): saved, and said so.
    let r = send_form(&app, &b, id, &changed, None, "upload").await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("ファイルを選んでください"));
    assert!(page.contains("入力した内容は一時保存しました"));
    shows_everything_typed(&page, &changed);

    // 申請する with the last document chosen: added, then sent.
    let r = send_form(
        &app,
        &b,
        id,
        &changed,
        Some(("residence_card", "在留カード.png", photo())),
        "save",
    )
    .await;
    assert_eq!(location(&r), format!("/apply/{id}?done=document#documents"));
    let r = send_form(
        &app,
        &b,
        id,
        &changed,
        Some((
            "qualification",
            "玉掛け.pdf",
            b"%PDF-1.4\n%\xe2\xe3\n".to_vec(),
        )),
        "submit",
    )
    .await;
    assert_eq!(location(&r), format!("/apply/{id}?done=submitted"));
    let kinds: Vec<String> = app
        .state
        .store_for_tools()
        .registrations()
        .application_documents(ApplicationId::new(id))
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.kind)
        .collect();
    assert_eq!(
        kinds,
        ["photo", "identity", "residence_card", "qualification"]
    );
    assert!(app.wait_for_mail(EMAIL, "申請を受け付けました", 1).await[0]
        .body
        .contains("4,900"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_upload_is_refused_before_its_file_is_read() {
    let app = spawn_app().await;
    let b = applicant(&app).await;
    let id = new_application(&app, &b, "technician").await;
    let html = app
        .get(&b, &format!("/apply/{id}"))
        .await
        .text()
        .await
        .unwrap();
    let token = csrf_in(&html);
    // A foreign token, or the token anywhere but first.
    let forms = |first: &'static str, value: String| {
        reqwest::multipart::Form::new()
            .text(first, value)
            .text("csrf_token", token.clone())
            .text("kind", "photo")
            .part(
                "file",
                reqwest::multipart::Part::bytes(photo()).file_name("a.png"),
            )
            .text("action", "upload")
    };
    for (first, value) in [
        ("csrf_token", "not-the-token".to_owned()),
        ("name", "田中".to_owned()),
        ("kind", "photo".to_owned()),
    ] {
        for path in [format!("/apply/{id}"), format!("/apply/{id}/documents")] {
            let r = b
                .post(app.url(&path))
                .multipart(forms(first, value.clone()))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 403, "{path} with {first} first");
        }
    }
    let files = std::fs::read_dir(&app.attachments_dir)
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(files, 0, "no file was written");
    assert!(app
        .state
        .store_for_tools()
        .registrations()
        .application_documents(ApplicationId::new(id))
        .await
        .unwrap()
        .is_empty());
    // The plain form keeps the limit of every form.
    let big = "あ".repeat(20 * 1024);
    let r = app
        .submit(
            &b,
            &format!("/apply/{id}"),
            &format!("/apply/{id}"),
            &[("name", big.as_str()), ("action", "save")],
        )
        .await;
    assert_eq!(r.status(), 413);
}

// ---- limits ----------------------------------------------------------------------------------

fn small_limits(c: &mut Config) {
    // The test moves the clock past the upload window: sessions outlast it.
    c.session.idle_timeout = std::time::Duration::from_secs(3 * 3600);
    c.registration.max_documents = 5;
    c.registration.max_documents_per_kind = 2;
    c.registration.upload_limit = 9;
    c.registration.max_open_applications = 2;
}

/// Uploads `kind` (a valid face-photo PNG, or `bytes`) to application `id` through `base` (an
/// instance); (status, page, Retry-After).
async fn upload_to(
    b: &reqwest::Client,
    base: &str,
    id: i64,
    kind: &str,
    bytes: Vec<u8>,
) -> (u16, String, Option<String>) {
    let html = b
        .get(format!("{base}/apply/{id}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", csrf_in(&html))
        .text("kind", kind.to_owned())
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name("a.png"),
        )
        .text("action", "upload");
    let r = b
        .post(format!("{base}/apply/{id}"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let retry = r
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    (status, r.text().await.unwrap(), retry)
}

async fn limits_hold(url: String) {
    let app = spawn_app_with(url, small_limits).await;
    // A second instance on the same database counts the same documents and uploads.
    let other = app.second_instance(small_limits).await;
    let b = applicant(&app).await;
    let id = new_application(&app, &b, "technician").await;

    // Per kind: two face photos, the third refused with the reason.
    assert_eq!(upload_to(&b, &app.base, id, "photo", photo()).await.0, 303);
    assert_eq!(
        upload_to(&b, &other.base, id, "photo", photo()).await.0,
        303
    );
    let (status, page, _) = upload_to(&b, &app.base, id, "photo", photo()).await;
    assert_eq!(status, 422);
    assert!(
        page.contains("「顔写真」は、1つの申請に2件まで提出できます"),
        "{page}"
    );

    // Per application, five sent at once through both instances: exactly the limit is kept.
    let kinds = [
        "identity",
        "identity",
        "qualification",
        "qualification",
        "insurance",
    ];
    let mut tasks = Vec::new();
    for (i, kind) in kinds.into_iter().enumerate() {
        let base = if i % 2 == 0 { &app.base } else { &other.base }.clone();
        let b = b.clone();
        tasks.push(tokio::spawn(async move {
            upload_to(&b, &base, id, kind, photo()).await
        }));
    }
    let mut kept = 0;
    for t in tasks {
        let (status, page, _) = t.await.unwrap();
        match status {
            303 => kept += 1,
            422 => assert!(
                page.contains("1つの申請に提出できる書類は5件までです"),
                "{page}"
            ),
            s => panic!("unexpected {s}: {page}"),
        }
    }
    assert_eq!(kept, 3, "2 photos + 3 = the limit of 5");
    assert_eq!(
        app.state
            .store_for_tools()
            .registrations()
            .application_documents(ApplicationId::new(id))
            .await
            .unwrap()
            .len(),
        5
    );

    // Open applications: two at most; the third is refused with the reason, until one is
    // withdrawn.
    let second = new_application(&other, &b, "technician").await;
    let r = app
        .submit(&b, "/apply/home", "/apply/new", &[("kind", "business")])
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("進行中の申請が2件あるため、新しい申請を始められません"));
    app.submit(
        &b,
        &format!("/apply/{id}"),
        &format!("/apply/{id}/withdraw"),
        &[],
    )
    .await;
    let r = app
        .submit(&b, "/apply/home", "/apply/new", &[("kind", "business")])
        .await;
    assert_eq!(r.status(), 303);

    // Per hour, counted in the database: another applicant sends photos that are refused
    // (each still counts: it cost the upload) through either instance; past the limit even a
    // good one is refused (429, with when to try again), until the hour is over.
    let c = applicant_as(&app, "another@example.jp").await;
    let mine = new_application(&app, &c, "technician").await;
    for i in 0..9 {
        let base = if i % 2 == 0 { &app.base } else { &other.base };
        let (status, page, _) = upload_to(&c, base, mine, "photo", png_of(100, 120, 512)).await;
        assert_eq!(status, 422, "{i}: {page}");
    }
    let (status, page, retry) = upload_to(&c, &other.base, mine, "photo", photo()).await;
    assert_eq!(status, 429, "{page}");
    assert!(page.contains("60分ほど待ってから"), "{page}");
    assert_eq!(retry.as_deref(), Some("3600"));
    app.clock.advance(std::time::Duration::from_secs(3601));
    assert_eq!(
        upload_to(&c, &app.base, mine, "photo", photo()).await.0,
        303
    );
    // The first applicant's uploads were counted on their own.
    assert_eq!(
        upload_to(&b, &app.base, second, "identity", photo())
            .await
            .0,
        303
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documents_applications_and_uploads_are_limited_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("ccus.db").display());
    limits_hold(url).await;
}

#[ccus_test_macros::postgres_variant]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documents_applications_and_uploads_are_limited_on_postgres() {
    let Some(url) = ccus_storage::testdb::postgres_url().await else {
        eprintln!("skipped: {} is not set", ccus_storage::testdb::POSTGRES_ENV);
        return;
    };
    limits_hold(url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opening_many_applications_at_once_keeps_to_the_limit() {
    let app = spawn_app_with(ccus_storage::testdb::sqlite_url(), |c| {
        c.registration.max_open_applications = 3
    })
    .await;
    let b = applicant(&app).await;
    let html = app.get(&b, "/apply/home").await.text().await.unwrap();
    let token = csrf_in(&html);
    let mut tasks = Vec::new();
    for _ in 0..12 {
        let (b, url, token) = (b.clone(), app.url("/apply/new"), token.clone());
        tasks.push(tokio::spawn(async move {
            b.post(url)
                .form(&[("kind", "technician"), ("csrf_token", token.as_str())])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    let mut made = 0;
    for t in tasks {
        match t.await.unwrap() {
            303 => made += 1,
            422 => {}
            s => panic!("{s}"),
        }
    }
    assert_eq!(made, 3);
}

// ---- face photos -----------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn photos_are_refused_from_their_header_alone() {
    let app = spawn_app().await;
    let b = applicant(&app).await;
    let id = new_application(&app, &b, "technician").await;
    let cases: Vec<(Vec<u8>, &str)> = vec![
        // 62 KB declaring 4000×4000: more pixels than are ever decoded.
        (
            png_of(4000, 4000, 62 * 1024),
            "顔写真の画素数が多すぎます（4000×4000ピクセル）。400万画素以下",
        ),
        (png_of(0, 640, 4096), "顔写真としてありえない"),
        (png_of(100_000, 100_000, 4096), "顔写真としてありえない"),
        (
            jpeg_taken("2031:01:01 09:00:00"),
            "撮影日が未来の日付（2031年1月1日）",
        ),
    ];
    for (bytes, why) in cases {
        let started = std::time::Instant::now();
        let r = send_form(&app, &b, id, &[], Some(("photo", "p.png", bytes)), "upload").await;
        assert_eq!(r.status(), 422);
        assert!(r.text().await.unwrap().contains(why), "{why}");
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }
    assert!(app
        .state
        .store_for_tools()
        .registrations()
        .application_documents(ApplicationId::new(id))
        .await
        .unwrap()
        .is_empty());
    // Today's date (the test clock's) is fine.
    let today = ccus_domain::calendar::jst_datetime(app.state.clock().now())
        .unwrap()
        .date();
    let taken = format!(
        "{:04}:{:02}:{:02} 08:00:00",
        today.year(),
        u8::from(today.month()),
        today.day()
    );
    let r = send_form(
        &app,
        &b,
        id,
        &[],
        Some(("photo", "p.jpg", jpeg_taken(&taken))),
        "upload",
    )
    .await;
    assert_eq!(r.status(), 303);
}

// ---- capital and fees ------------------------------------------------------------------------

fn business_form(sole: &'static str, capital: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("company_name", "株式会社 見本建設"),
        ("company_furigana", "カブシキガイシャ ミホンケンセツ"),
        ("representative", "見本 太郎"),
        ("sole_proprietor", sole),
        ("capital", capital),
        ("postal_code", "100-0013"),
        ("address", "東京都千代田区霞が関2-1-3"),
        ("phone", "03-1234-5678"),
        ("contact", "見本 花子"),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn capital_is_checked_at_the_field_and_only_a_one_person_contractor_pays_nothing() {
    let app = spawn_app_with(ccus_storage::testdb::sqlite_url(), |c| {
        c.registration.max_open_applications = 5
    })
    .await;
    let b = applicant(&app).await;
    let id = new_application(&app, &b, "business").await;
    // The required document comes first in the list and in the select.
    let page = app
        .get(&b, &format!("/apply/{id}"))
        .await
        .text()
        .await
        .unwrap();
    let registry = page.find("登記事項証明書（個人事業主は").unwrap();
    let insurance = page.find("社会保険の加入を確認できる書類").unwrap();
    assert!(registry < insurance);
    assert!(page.contains("<option value=\"company_registry\" selected>登記事項証明書</option>"));
    for bad in ["-1", "abc", "10^20", "1.5", "１０００万ドル"] {
        let r = send_form(&app, &b, id, &business_form("company", bad), None, "save").await;
        assert_eq!(r.status(), 422, "{bad}");
        let page = r.text().await.unwrap();
        assert!(
            page.contains("資本金は円単位の数字で入力してください"),
            "{bad}: {page}"
        );
        assert!(page.contains(&format!("value=\"{bad}\"")), "kept: {bad}");
    }
    let r = send_form(
        &app,
        &b,
        id,
        &business_form("company", "100000000000000000000"),
        None,
        "save",
    )
    .await;
    assert!(r.text().await.unwrap().contains("資本金が大きすぎます"));
    // A company that leaves it empty cannot send; a 一人親方 can.
    let r = send_form(
        &app,
        &b,
        id,
        &business_form("company", ""),
        Some(("company_registry", "登記.pdf", b"%PDF-1.4\n".to_vec())),
        "submit",
    )
    .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("資本金を入力してください"));
    // ¥50 billion: the top tier, ¥2,400,000.
    let r = send_form(
        &app,
        &b,
        id,
        &business_form("company", "５０，０００，０００，０００"),
        None,
        "submit",
    )
    .await;
    assert_eq!(location(&r), format!("/apply/{id}?done=submitted"));
    let a = app
        .state
        .store_for_tools()
        .registrations()
        .application(ApplicationId::new(id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(a.fee_yen, 2_400_000);
    let page = app
        .get(&b, &format!("/apply/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("2,400,000円"));
    // Just under ¥50 billion: ¥1,200,000; a 一人親方 without capital: ¥0.
    for (sole, capital, fee) in [
        ("company", "49,999,999,999", 1_200_000),
        ("sole", "", 0),
        ("company", "0", 6_000),
    ] {
        let id = new_application(&app, &b, "business").await;
        let r = send_form(
            &app,
            &b,
            id,
            &business_form(sole, capital),
            Some(("company_registry", "登記.pdf", b"%PDF-1.4\n".to_vec())),
            "submit",
        )
        .await;
        assert_eq!(
            location(&r),
            format!("/apply/{id}?done=submitted"),
            "{sole} {capital}"
        );
        let a = app
            .state
            .store_for_tools()
            .registrations()
            .application(ApplicationId::new(id))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(a.fee_yen, fee, "{sole} {capital}");
    }
}

// ---- ログアウト, and パスワードをお忘れの方 -----------------------------------------------------

/// Logs in with the application login in a new browser; the browser and its session cookie
/// (`name=value`, to replay it later).
async fn logged_in(app: &TestApp, email: &str) -> (reqwest::Client, String) {
    let b = app.browser();
    let r = app
        .submit(
            &b,
            "/apply/login",
            "/apply/login",
            &[("email", email), ("password", APPLY_PW)],
        )
        .await;
    assert_eq!(location(&r), "/apply/home");
    let cookie = set_cookies(r.headers())
        .into_iter()
        .find(|c| c.starts_with("ccus_apply="))
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    (b, cookie)
}

/// `/apply/home` with nothing but `cookie`: where it sends the browser, and the cookies set.
async fn home_with(app: &TestApp, cookie: &str) -> (String, Vec<String>) {
    let r = app
        .browser()
        .get(app.url("/apply/home"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    (location(&r), set_cookies(r.headers()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cookie_kept_after_logout_says_logged_out_not_timed_out() {
    let app = spawn_app().await;
    applicant(&app).await;
    let (b, kept) = logged_in(&app, EMAIL).await;
    let (_, other) = logged_in(&app, EMAIL).await;
    assert_eq!(home_with(&app, &kept).await.0, "");
    let r = app.submit(&b, "/apply/home", "/apply/logout", &[]).await;
    assert_eq!(location(&r), "/apply");
    // The old cookie coming back: the login page saying so, and the cookie dropped.
    let (to, cookies) = home_with(&app, &kept).await;
    assert_eq!(to, "/apply/login?logged_out=1");
    assert!(cookies
        .iter()
        .any(|c| c.starts_with("ccus_apply=;") && c.contains("Max-Age=0")));
    let page = app.get(&app.browser(), &to).await.text().await.unwrap();
    assert!(page.contains("ログアウトしました"));
    assert!(!page.contains("タイムアウト"));
    // A session that timed out still says so.
    app.clock.advance(std::time::Duration::from_secs(31 * 60));
    assert_eq!(home_with(&app, &other).await.0, "/apply/login?timeout=1");
}

async fn a_forgotten_application_password_is_reset(app: TestApp) {
    let b = applicant(&app).await;
    let (_, before) = logged_in(&app, EMAIL).await;
    // 「パスワードをお忘れの方」 on the application login page.
    let login = app
        .get(&app.browser(), "/apply/login")
        .await
        .text()
        .await
        .unwrap();
    assert!(login.contains("<a href=\"/apply/password/forgot\">パスワードをお忘れの方</a>"));
    // The same answer whether or not the address has an application login.
    let ask = |email: &'static str| {
        let app = &app;
        async move {
            let r = app
                .submit(
                    &app.browser(),
                    "/apply/password/forgot",
                    "/apply/password/forgot",
                    &[("email", email)],
                )
                .await;
            let status = r.status();
            let body = r.text().await.unwrap();
            (status, body.replace(&csrf_in_or_empty(&body), ""))
        }
    };
    let known = ask(EMAIL).await;
    let unknown = ask("nobody@example.jp").await;
    assert_eq!(known.0, 200);
    assert_eq!(known, unknown);
    assert!(known
        .1
        .contains("パスワード再設定用のメールをお送りしました"));
    let mail = app
        .wait_for_mail(EMAIL, "申請用パスワードの再設定", 1)
        .await;
    assert!(app.mails_to("nobody@example.jp").is_empty());
    let first = link_in(&mail[0].body, "/apply/password/reset");
    // A newer link voids the older one.
    ask(EMAIL).await;
    let mail = app
        .wait_for_mail(EMAIL, "申請用パスワードの再設定", 2)
        .await;
    let link = link_in(&mail[1].body, "/apply/password/reset");
    assert_ne!(first, link);
    assert_eq!(app.get(&app.browser(), &first).await.status(), 410);
    // The link's page: the address, and no Referer for other sites.
    let c = app.browser();
    let page = app.get(&c, &link).await;
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["referrer-policy"], "same-origin");
    assert!(page.text().await.unwrap().contains(EMAIL));
    let token = link.split("token=").nth(1).unwrap().to_owned();
    let set = |pw: &'static str, confirm: &'static str| {
        let (app, c, link, token) = (&app, &c, &link, &token);
        async move {
            app.submit(
                c,
                link,
                "/apply/password/reset",
                &[
                    ("token", token.as_str()),
                    ("password", pw),
                    ("password_confirm", confirm),
                ],
            )
            .await
        }
    };
    let r = set("password", "password").await;
    assert_eq!(r.status(), 422);
    let r = set("a brand new phrase", "a different phrase").await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("一致しません"));
    let r = set("a brand new phrase", "a brand new phrase").await;
    assert_eq!(r.status(), 200);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("申請用パスワードを再設定しました"));
    // Used once; every session of the login ended; the new password works, the old not.
    let again = app
        .submit(
            &c,
            "/apply/login",
            "/apply/password/reset",
            &[
                ("token", token.as_str()),
                ("password", "another new phrase"),
                ("password_confirm", "another new phrase"),
            ],
        )
        .await;
    assert_eq!(again.status(), 410);
    assert_eq!(app.get(&app.browser(), &link).await.status(), 410);
    assert_eq!(home_with(&app, &before).await.0, "/apply/login?timeout=1");
    assert_eq!(
        location(&app.get(&b, "/apply/home").await),
        "/apply/login?timeout=1"
    );
    let log_in = |pw: &'static str| {
        let app = &app;
        async move {
            app.submit(
                &app.browser(),
                "/apply/login",
                "/apply/login",
                &[("email", EMAIL), ("password", pw)],
            )
            .await
        }
    };
    assert_eq!(log_in(APPLY_PW).await.status(), 401);
    assert_eq!(location(&log_in("a brand new phrase").await), "/apply/home");
    let told = app
        .wait_for_mail(EMAIL, "申請用パスワードを再設定しました", 1)
        .await;
    assert!(told[0].body.contains("/apply/password/forgot"));
    // An expired link cannot be used.
    ask(EMAIL).await;
    let mail = app
        .wait_for_mail(EMAIL, "申請用パスワードの再設定", 3)
        .await;
    let late = link_in(&mail[2].body, "/apply/password/reset");
    app.clock
        .advance(app.state.config().recovery.token_ttl + std::time::Duration::from_secs(1));
    assert_eq!(app.get(&app.browser(), &late).await.status(), 410);
    // Past the limit per address asked for, no more mail, and the same answer.
    let sent = app.mails_to(EMAIL).len();
    for _ in 0..app.state.config().recovery.per_account_limit + 2 {
        assert_eq!(ask(EMAIL).await.0, 200);
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let now = app.mails_to(EMAIL).len();
    assert!(
        now - sent <= usize::try_from(app.state.config().recovery.per_account_limit).unwrap(),
        "{sent} → {now}"
    );
}

fn csrf_in_or_empty(html: &str) -> String {
    if html.contains("name=\"csrf_token\" value=\"") {
        csrf_in(html)
    } else {
        String::new()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forgotten_application_password_is_reset_by_mail_on_sqlite() {
    a_forgotten_application_password_is_reset(spawn_app().await).await;
}

#[ccus_test_macros::postgres_variant]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forgotten_application_password_is_reset_by_mail_on_postgres() {
    let Some(url) = ccus_storage::testdb::postgres_url().await else {
        eprintln!("skipped: {} is not set", ccus_storage::testdb::POSTGRES_ENV);
        return;
    };
    a_forgotten_application_password_is_reset(spawn_app_with(url, |_| {}).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_application_login_is_unlocked_by_the_reset() {
    let app = spawn_app().await;
    applicant(&app).await;
    for _ in 0..app.state.config().lockout.threshold {
        app.submit(
            &app.browser(),
            "/apply/login",
            "/apply/login",
            &[("email", EMAIL), ("password", "wrong wrong wrong")],
        )
        .await;
    }
    let r = app
        .submit(
            &app.browser(),
            "/apply/login",
            "/apply/login",
            &[("email", EMAIL), ("password", APPLY_PW)],
        )
        .await;
    assert_eq!(r.status(), 423);
    app.submit(
        &app.browser(),
        "/apply/password/forgot",
        "/apply/password/forgot",
        &[("email", EMAIL)],
    )
    .await;
    let mail = app
        .wait_for_mail(EMAIL, "申請用パスワードの再設定", 1)
        .await;
    let link = link_in(&mail[0].body, "/apply/password/reset");
    let token = link.split("token=").nth(1).unwrap().to_owned();
    let c = app.browser();
    let r = app
        .submit(
            &c,
            &link,
            "/apply/password/reset",
            &[
                ("token", token.as_str()),
                ("password", "a brand new phrase"),
                ("password_confirm", "a brand new phrase"),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    let r = app
        .submit(
            &app.browser(),
            "/apply/login",
            "/apply/login",
            &[("email", EMAIL), ("password", "a brand new phrase")],
        )
        .await;
    assert_eq!(location(&r), "/apply/home");
}

// ---- 代行申請: the worker's own address -------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_s_address_is_not_the_business_s_own_whatever_its_case_or_tag() {
    let app = spawn_app().await;
    let biz = app.account(AccountKind::Business).await;
    let business = app
        .state
        .store_for_tools()
        .accounts()
        .account_by_login_id(&biz.login_id)
        .await
        .unwrap()
        .unwrap();
    // A 管理者ID of the business, with its own address.
    let clerk = ccus_app::account::provisioning::create_account(
        &app.state,
        ccus_app::account::provisioning::AccountRequest {
            kind: AccountKind::Business,
            name: "代行 一郎".into(),
            email: "Clerk.Office@Mihon.example.jp".into(),
            password: Some("correct horse battery".into()),
            security_code: Some("1234".into()),
            must_change_password: false,
            profile: Default::default(),
        },
    )
    .await
    .unwrap();
    let mut tx = app.state.store_for_tools().begin().await.unwrap();
    tx.org()
        .add_member(
            clerk.account.id,
            business.id,
            ccus_domain::org::Role::ProxyClerk,
            None,
            business.id,
            app.state.clock().now(),
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let b = app.browser();
    app.login(
        &b,
        AccountKind::Business,
        &biz.login_id.to_string(),
        &biz.password,
    )
    .await;
    let r = app
        .submit(&b, "/ccus_owner/proxy", "/ccus_owner/proxy", &[])
        .await;
    assert_eq!(location(&r), "/apply/home");
    let id = new_application(&app, &b, "technician").await;
    // The business's account address is someone@example.jp (the test kit's).
    for own in [
        "someone+w@example.jp",
        "SOMEONE@EXAMPLE.JP",
        "Someone+worker1@Example.jp",
        "clerk.office@mihon.example.jp",
        "clerk.office+tanaka@MIHON.example.jp",
    ] {
        let r = send_form(
            &app,
            &b,
            id,
            &[("name", "田中 一郎"), ("email", own)],
            None,
            "save",
        )
        .await;
        assert_eq!(r.status(), 422, "{own}");
        let page = r.text().await.unwrap();
        assert!(
            page.contains("代行申請する事業者や、その管理者IDのメールアドレス"),
            "{own}"
        );
        assert!(page.contains(&format!("value=\"{own}\"")), "kept: {own}");
    }
    let r = send_form(
        &app,
        &b,
        id,
        &[("name", "田中 一郎"), ("email", "tanaka+home@example.jp")],
        None,
        "save",
    )
    .await;
    assert_eq!(location(&r), format!("/apply/{id}?done=saved"));
}

// ---- the form in English ---------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_english_form_says_what_a_foreign_worker_must_give() {
    let app = spawn_app().await;
    let b = applicant(&app).await;
    app.get(&b, "/lang/en").await;
    let id = new_application(&app, &b, "technician").await;
    let page = app
        .get(&b, &format!("/apply/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("lang=\"en\""), "the page is in English");
    // The residence card is required for non-Japanese nationals, and says so.
    let label = page.find("for=\"residence_card\"").unwrap();
    let label = &page[label..label + page[label..].find("</label>").unwrap()];
    assert!(
        label.contains("Required if not a Japanese national"),
        "{label}"
    );
    assert!(!label.contains("Optional"), "{label}");
    // A katakana example for a foreign name.
    assert!(page.contains("グエン ヴァン アン"));
    // The progress is a step indicator with the current step marked.
    assert!(page.contains("aria-current=\"step\""));
    // What a foreign worker types, without the residence card: one item to fix.
    let mut typed = worker_form();
    typed.retain(|(k, _)| *k != "residence_card");
    let r = send_form(&app, &b, id, &typed, None, "submit").await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("Please check what you typed (1 item)"),
        "{page}"
    );
    assert!(page.contains("If you are not a Japanese national, enter your residence card number"));
    // A nationality typed in English as Japanese does not ask for one.
    typed.retain(|(k, _)| *k != "nationality");
    typed.push(("nationality", "Japanese"));
    let r = send_form(&app, &b, id, &typed, None, "save").await;
    assert_eq!(location(&r), format!("/apply/{id}?done=saved"));
    let page = app
        .get(&b, &format!("/apply/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Registration fee: ¥4,900 (pay by bank transfer"),
        "{page}"
    );
}
