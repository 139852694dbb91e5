//! 就業履歴 over HTTP: the person running a site issues a key to a card reader on its page; the
//! reader posts touches (late, twice, out of order, an unknown card, a worker on no 名簿, one in
//! the future, one too old, one unreadable) and each is answered; a batch sent again changes
//! nothing; the worker's day is one record with the first entry and the last exit, and their
//! page shows it with their days toward each レベル; a revoked key and a closed site are
//! refused — on SQLite and, when configured, PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ccus_app::org::OrgContext;
use ccus_app::sites;
use ccus_app::sites::roster::{self, RosterOutcome, WorkerForm};
use ccus_domain::records::work_day;
use ccus_domain::{AccountKind, LoginId, SiteId};
use ccus_storage::testdb;
use ccus_testkit::sites::*;
use ccus_testkit::*;
use serde_json::{json, Value};

const BIZ: AccountKind = AccountKind::Business;
const TECH: AccountKind = AccountKind::Technician;

/// Issues a reader's key from the site's readers page; the key shown once.
async fn issue_key(app: &TestApp, b: &reqwest::Client, site: &SiteId, name: &str) -> String {
    let page = format!("/ccus_owner/sites/{}/readers", site.as_str());
    let r = app.submit(b, &page, &page, &[("name", name)]).await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("鍵を発行しました"), "{html}");
    let marker = "id=\"reader_key\">";
    let start = html.find(marker).unwrap() + marker.len();
    html[start..start + html[start..].find('<').unwrap()].to_owned()
}

async fn post(app: &TestApp, key: Option<&str>, body: &Value) -> reqwest::Response {
    let mut req = reqwest::Client::new()
        .post(app.url("/api/v1/touches"))
        .json(body);
    if let Some(k) = key {
        req = req.bearer_auth(k);
    }
    req.send().await.unwrap()
}

fn touch(seq: i64, card: &str, direction: &str, when: &str) -> Value {
    json!({"seq": seq, "card": card, "direction": direction, "at": when})
}

/// Sends a batch with the reader's key; every touch in it must be accepted.
async fn all_accepted(app: &TestApp, key: &str, touches: Vec<Value>) {
    let r = post(app, Some(key), &json!({ "touches": touches })).await;
    assert_eq!(r.status(), 200);
    let got = answers(&r.json().await.unwrap());
    assert!(got.iter().all(|(_, a, _)| a == "accepted"), "{got:?}");
}

/// (seq, status, reason or work day) of each result.
fn answers(v: &Value) -> Vec<(i64, String, String)> {
    v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["seq"].as_i64().unwrap(),
                r["status"].as_str().unwrap().to_owned(),
                r["reason"]
                    .as_str()
                    .or(r["work_day"].as_str())
                    .unwrap_or_default()
                    .to_owned(),
            )
        })
        .collect()
}

/// A 元請, its own technician, and a site whose 就業履歴蓄積期間 starts `from` with the
/// technician on the 元請's 名簿 as (職種, 立場).
async fn listed_worker(
    app: &TestApp,
    name: &str,
    from: ccus_domain::Date,
    (trade, position): (&str, &str),
) -> (LoginId, LoginId, OrgContext, SiteId) {
    let prime_id = person(app, BIZ, "株式会社 元請建設", "prime@example.jp", None).await;
    let worker_id = person(app, TECH, "建設 太郎", "worker@example.jp", Some(&prime_id)).await;
    let prime = ctx(app, &prime_id).await;
    let site = site_from(app, &prime, name, from).await;
    let top = root(app, &site, &prime).await;
    let form = WorkerForm {
        login_id: worker_id.as_str().into(),
        trade: trade.into(),
        position: position.into(),
        ..WorkerForm::default()
    };
    assert_eq!(
        roster::add_worker(&app.state, &prime, &site, top, &form)
            .await
            .unwrap(),
        RosterOutcome::Listed
    );
    (prime_id, worker_id, prime, site)
}

async fn readers_and_touches(app: TestApp) {
    let today = evening(&app);
    let stranger_id = person(&app, TECH, "応援 次郎", "stranger@example.jp", None).await;
    let (prime_id, worker_id, prime, site) = listed_worker(
        &app,
        "記録 テスト現場",
        today.previous_day().unwrap(),
        ("tobi", "foreman"),
    )
    .await;
    let card = card_of(&app, &worker_id).await;
    let stranger_card = card_of(&app, &stranger_id).await;

    // The person running the site issues a key from its page; the page links to the readers.
    let b = logged_in(&app, BIZ, &prime_id).await;
    let site_page = text(&app, &b, &format!("/ccus_owner/sites/{}", site.as_str())).await;
    assert!(site_page.contains("カード読取機（就業履歴の記録）"));
    let key = issue_key(&app, &b, &site, "正門ゲート").await;
    assert!(key.starts_with("ccusr_"));
    // Shown once: the list has only its first characters.
    let list = text(
        &app,
        &b,
        &format!("/ccus_owner/sites/{}/readers", site.as_str()),
    )
    .await;
    assert!(list.contains("正門ゲート") && !list.contains(&key));
    // An empty name is refused at the field, and nothing is issued.
    let page = format!("/ccus_owner/sites/{}/readers", site.as_str());
    let r = app.submit(&b, &page, &page, &[("name", "  ")]).await;
    assert_eq!(r.status(), 422);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("読取機の名前を入力してください"));

    // A day's touches, out of order, with a repeat, and every kind of refusal.
    let (_, in_late) = jst_at(today, 7, 58);
    let (_, out) = jst_at(today, 17, 5);
    let (_, in_early) = jst_at(today, 7, 50);
    let (_, future) = jst_at(today.next_day().unwrap(), 8, 0);
    let (_, too_old) = jst_at(today - time::Duration::days(40), 8, 0);
    let batch = json!({"touches": [
        touch(1, &card, "in", &in_late),
        touch(2, &card.to_lowercase(), "out", &out),
        touch(3, &card, "in", &in_early),
        touch(4, "FFFFFFFFFFFFFFFF", "in", &in_early),
        touch(5, &stranger_card, "in", &in_early),
        touch(6, &card, "in", &future),
        touch(7, &card, "in", &too_old),
        touch(8, &card, "sideways", &in_early),
        touch(3, &card, "in", &in_early),
    ]});
    let r = post(&app, Some(&key), &batch).await;
    assert_eq!(r.status(), 200);
    let day = ccus_domain::profile::format_date(today);
    let expected: Vec<(i64, String, String)> = [
        (1, "accepted", day.as_str()),
        (2, "accepted", day.as_str()),
        (3, "accepted", day.as_str()),
        (4, "refused", "unknown_card"),
        (5, "refused", "not_listed"),
        (6, "refused", "in_future"),
        (7, "refused", "too_old"),
        (8, "refused", "malformed"),
        (3, "duplicate", ""),
    ]
    .into_iter()
    .map(|(s, a, b)| (s, a.to_owned(), b.to_owned()))
    .collect();
    assert_eq!(answers(&r.json().await.unwrap()), expected);

    // Sent again after a time-out: each touch taken is a duplicate, each refused is refused
    // again for its first reason, and nothing changes.
    let r = post(&app, Some(&key), &batch).await;
    let again = answers(&r.json().await.unwrap());
    let expected_again: Vec<(i64, String, String)> = expected
        .iter()
        .map(|(s, a, why)| match a.as_str() {
            "refused" => (*s, a.clone(), why.clone()),
            _ => (*s, "duplicate".to_owned(), String::new()),
        })
        .collect();
    assert_eq!(again, expected_again);

    // One record for the day: the first entry and the last exit.
    let worker = account(&app, &worker_id).await;
    let records = app
        .state
        .store_for_tools()
        .records()
        .records_of(worker.id, today, today)
        .await
        .unwrap();
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0].first_in, Some(jst_at(today, 7, 50).0));
    assert_eq!(records[0].last_out, Some(jst_at(today, 17, 5).0));
    assert_eq!(records[0].trade, "tobi");
    assert_eq!(work_day(jst_at(today, 7, 50).0), Some(today));

    // The worker reads it, with their days toward each レベル.
    let w = logged_in(&app, TECH, &worker_id).await;
    // A day entered by hand, then touched after all: the touch's times replace the typed
    // ones, and the day counts as touched.
    let yesterday = today.previous_day().unwrap();
    let r = app
        .submit(
            &w,
            "/ccus_skill/records",
            "/ccus_skill/records/direct",
            &[
                ("site", site.as_str()),
                ("day", &ccus_domain::profile::format_date(yesterday)),
                ("first_in", "05:00"),
                ("last_out", "23:00"),
            ],
        )
        .await;
    assert_eq!(location(&r), "/ccus_skill/records?done=entered");
    let r = post(
        &app,
        Some(&key),
        &json!({"touches": [touch(60, &card, "in", &jst_at(yesterday, 9, 0).1)]}),
    )
    .await;
    assert_eq!(answers(&r.json().await.unwrap())[0].1, "accepted");
    let y = app
        .state
        .store_for_tools()
        .records()
        .records_of(worker.id, yesterday, yesterday)
        .await
        .unwrap();
    assert_eq!(
        (y[0].source, y[0].state, y[0].first_in, y[0].last_out),
        (
            ccus_domain::records::Source::Touch,
            ccus_domain::records::RecordState::Counted,
            Some(jst_at(yesterday, 9, 0).0),
            None
        )
    );
    let home = text(&app, &w, "/ccus_skill/home").await;
    assert!(home.contains("就業履歴"));
    let page = text(&app, &w, "/ccus_skill/records").await;
    for part in [
        "記録 テスト現場",
        "07:50",
        "17:05",
        "株式会社 元請建設",
        "カードのタッチ",
        "これまでの就業日数",
        "2日（0.0年分）",
        "レベル2",
        "レベル3",
        "あと1718日",
        &card,
    ] {
        assert!(page.contains(part), "missing 「{part}」");
    }

    // The 元請 sees who was on site, the month's statement and its CSV, and the month over
    // all its sites: ¥10 a record.
    let day_page = text(
        &app,
        &b,
        &format!("/ccus_owner/sites/{}/day", site.as_str()),
    )
    .await;
    assert!(day_page.contains("建設 太郎") && day_page.contains("07:50"));
    let month = &ccus_domain::profile::format_date(today)[..7];
    let statement = text(
        &app,
        &b,
        &format!(
            "/ccus_owner/sites/{}/statement?month={month}",
            site.as_str()
        ),
    )
    .await;
    // Yesterday's day is in this month's statement unless today is the 1st.
    let n = if yesterday.month() == today.month() {
        2
    } else {
        1
    };
    let fee = format!("{n}件 × 10円 ＝ {}円", n * 10);
    assert!(statement.contains(&fee), "{statement}");
    let csv = app
        .get(
            &b,
            &format!(
                "/ccus_owner/sites/{}/statement.csv?month={month}",
                site.as_str()
            ),
        )
        .await;
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let csv = csv.text().await.unwrap();
    assert!(csv.starts_with('\u{feff}'));
    let lines: Vec<&str> = csv.trim_end().lines().collect();
    assert_eq!(lines.len(), 2 + n, "{csv}");
    assert!(lines[n].contains(worker_id.as_str()) && lines[n].contains("07:50"));
    let all = text(&app, &b, &format!("/ccus_owner/statements?month={month}")).await;
    assert!(all.contains("記録 テスト現場") && all.contains(&fee));
    // The statement as PDF: the fee, per company and per day.
    let r = app
        .get(
            &b,
            &format!(
                "/ccus_owner/sites/{}/statement.pdf?month={month}",
                site.as_str()
            ),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let pdf = ccus_documents::testing::pdf_text(&r.bytes().await.unwrap());
    for part in [
        &fee,
        "株式会社 元請建設",
        "会社ごとの件数",
        "日ごとの件数",
        "記録 テスト現場",
    ] {
        assert!(pdf.contains(part), "statement PDF lacks 「{part}」: {pdf}");
    }
    // The worker's certificate, as PDF and CSV, of every day and of one month.
    let r = app.get(&w, "/ccus_skill/records/certificate.pdf").await;
    assert_eq!(r.status(), 200);
    let pdf = ccus_documents::testing::pdf_text(&r.bytes().await.unwrap());
    for part in [
        "就業履歴証明書",
        "建設 太郎",
        "記録 テスト現場",
        "2日",
        "07:50",
        "17:05",
    ] {
        assert!(pdf.contains(part), "certificate lacks 「{part}」: {pdf}");
    }
    let r = app
        .get(
            &w,
            &format!("/ccus_skill/records/certificate.csv?from={month}&to={month}"),
        )
        .await;
    assert_eq!(r.status(), 200);
    let csv = r.text().await.unwrap();
    assert_eq!(csv.trim_end().lines().count(), 1 + n, "{csv}");
    assert!(csv.contains("07:50") && csv.contains("記録 テスト現場"));
    // A business's session is no technician's: it is sent to log in.
    assert_eq!(
        app.get(&b, "/ccus_skill/records/certificate.pdf")
            .await
            .status(),
        303
    );
    // Another business sees none of it.
    let other_id = person(&app, BIZ, "無関係 工業", "other@example.jp", None).await;
    let other = logged_in(&app, BIZ, &other_id).await;
    for path in ["day", "statement", "statement.csv", "statement.pdf"] {
        let r = app
            .get(
                &other,
                &format!("/ccus_owner/sites/{}/{path}", site.as_str()),
            )
            .await;
        assert_eq!(r.status(), 404, "{path}");
    }

    // The worker reports the card lost (after ticking the box): it stops at once, as their
    // アクセス履歴 says; the helpdesk issues a new one, whose touches count.
    let lost = "/ccus_skill/records/card-lost";
    let r = app.submit(&w, "/ccus_skill/records", lost, &[]).await;
    assert_eq!(location(&r), "/ccus_skill/records?done=card-confirm#card");
    let r = app
        .submit(&w, "/ccus_skill/records", lost, &[("confirm", "yes")])
        .await;
    assert_eq!(location(&r), "/ccus_skill/records?done=card-lost#card");
    let r = post(
        &app,
        Some(&key),
        &json!({"touches": [touch(50, &card, "out", &out)]}),
    )
    .await;
    assert_eq!(
        answers(&r.json().await.unwrap()),
        vec![(50, "refused".to_owned(), "card_stopped".to_owned())]
    );
    assert!(text(&app, &w, "/ccus_skill/history")
        .await
        .contains("カードの紛失の届出"));
    let (desk, _) = app.staff_browser(ccus_storage::StaffRole::Operator).await;
    let desk_page = format!("/helpdesk/accounts/{}", worker.id.get());
    assert!(text(&app, &desk, &desk_page)
        .await
        .contains("使用中のカードなし"));
    let r = app
        .submit(
            &desk,
            &desk_page,
            &format!("{desk_page}/card-reissue"),
            &[("reason", "本人から電話。再発行手数料の入金を確認")],
        )
        .await;
    assert_eq!(location(&r), format!("{desk_page}?done=card-reissue"));
    let new_card = card_of(&app, &worker_id).await;
    assert_ne!(new_card, card);
    let r = post(
        &app,
        Some(&key),
        &json!({"touches": [touch(51, &new_card, "out", &out)]}),
    )
    .await;
    assert_eq!(answers(&r.json().await.unwrap())[0].1, "accepted");

    // Without a key, or with an unknown one: 401, a problem, and how to authenticate.
    for k in [None, Some("ccusr_not-a-key")] {
        let r = post(&app, k, &batch).await;
        assert_eq!(r.status(), 401);
        assert!(r.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Bearer"));
        assert_eq!(
            r.headers()["content-type"].to_str().unwrap(),
            "application/problem+json"
        );
    }
    // Not JSON of touches: 400, as a problem.
    let r = reqwest::Client::new()
        .post(app.url("/api/v1/touches"))
        .bearer_auth(&key)
        .body("{\"touches\": 1}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);

    // More than 500 touches in one batch: 413, and none of them taken.
    let many: Vec<Value> = (100..601)
        .map(|seq| touch(seq, &card, "in", &in_early))
        .collect();
    let r = post(&app, Some(&key), &json!({ "touches": many })).await;
    assert_eq!(r.status(), 413);

    // A second reader, then the first revoked from the page: its key stops working.
    let key2 = issue_key(&app, &b, &site, "資材搬入口").await;
    let reader = app
        .state
        .store_for_tools()
        .records()
        .readers_of(records[0].site)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.name == "正門ゲート")
        .unwrap();
    let r = app
        .submit(
            &b,
            &page_path(&site),
            &format!("{}/{}/revoke", page_path(&site), reader.id.get()),
            &[],
        )
        .await;
    assert_eq!(location(&r), format!("{}?done=revoked", page_path(&site)));
    let r = post(
        &app,
        Some(&key),
        &json!({"touches": [touch(9, &card, "out", &out)]}),
    )
    .await;
    assert_eq!(r.status(), 401);

    // A site not yet in its 就業履歴蓄積期間, and a closed site, refuse with their reasons.
    let later = site_from(
        &app,
        &prime,
        "来月からの現場",
        today + time::Duration::days(10),
    )
    .await;
    let key3 = issue_key(&app, &b, &later, "ゲート").await;
    let r = post(
        &app,
        Some(&key3),
        &json!({"touches": [touch(1, &card, "in", &in_early)]}),
    )
    .await;
    assert_eq!(
        answers(&r.json().await.unwrap()),
        vec![(1, "refused".to_owned(), "outside_period".to_owned())]
    );
    sites::set_closed(&app.state, &prime, &site, true)
        .await
        .unwrap();
    let r = post(
        &app,
        Some(&key2),
        &json!({"touches": [touch(1, &card, "in", &in_early)]}),
    )
    .await;
    assert_eq!(
        answers(&r.json().await.unwrap()),
        vec![(1, "refused".to_owned(), "site_closed".to_owned())]
    );
    // A closed site takes no new readers.
    let r = app
        .submit(
            &b,
            &page_path(&site),
            &page_path(&site),
            &[("name", "追加")],
        )
        .await;
    assert_eq!(r.status(), 409);
}

/// A day entered by hand: by the worker, refused when already entered or too late, approved
/// by whoever runs the site (a rejection needs its reason); a business enters a day of a
/// worker on its own 名簿, and a business not on the site sees nothing.
async fn direct_entries(app: TestApp) {
    let today = evening(&app);
    let other_id = person(&app, BIZ, "無関係 工業", "other@example.jp", None).await;
    let (prime_id, worker_id, _, site) = listed_worker(
        &app,
        "直接入力 テスト現場",
        today - time::Duration::days(100),
        ("electrical", "leader"),
    )
    .await;
    let day = |d: i64| ccus_domain::profile::format_date(today - time::Duration::days(d));

    // The worker enters yesterday from their page.
    let w = logged_in(&app, TECH, &worker_id).await;
    let page = text(&app, &w, "/ccus_skill/records").await;
    assert!(page.contains("直接入力（タッチを忘れた日）") && page.contains("直接入力 テスト現場"));
    let own = |d: String| {
        vec![
            ("site", site.as_str().to_owned()),
            ("day", d),
            ("first_in", "８:００".to_owned()),
            ("last_out", "17:00".to_owned()),
        ]
    };
    let send = |fields: Vec<(&'static str, String)>| {
        let w = w.clone();
        let app = &app;
        async move {
            let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.submit(&w, "/ccus_skill/records", "/ccus_skill/records/direct", &f)
                .await
        }
    };
    let r = send(own(day(1))).await;
    assert_eq!(location(&r), "/ccus_skill/records?done=entered");
    let page = text(
        &app,
        &w,
        &format!("/ccus_skill/records?month={}", &day(1)[..7]),
    )
    .await;
    assert!(
        page.contains("承認待ち") && page.contains("直接入力"),
        "{page}"
    );
    // The same day again, a day too late, a time that is no time: each told why.
    let r = send(own(day(1))).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("すでに記録されているか"));
    let r = send(own(day(70))).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("締め切られました"));
    let mut bad = own(day(2));
    bad[2].1 = "朝".into();
    let r = send(bad).await;
    assert_eq!(r.status(), 422);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("時刻は「08:00」のように入力してください"));

    // The site's runner sees it waiting; a rejection needs a reason; the approval counts.
    let b = logged_in(&app, BIZ, &prime_id).await;
    let path = format!("/ccus_owner/sites/{}/records", site.as_str());
    let page = text(&app, &b, &path).await;
    assert!(page.contains("承認を待っている日") && page.contains("建設 太郎"));
    let worker = account(&app, &worker_id).await;
    let d1 = today - time::Duration::days(1);
    let pending = app
        .state
        .store_for_tools()
        .records()
        .records_of(worker.id, d1, d1)
        .await
        .unwrap();
    let id = pending[0].id.get();
    let action = |step: &str| format!("{path}/{}/{id}/{step}", day(1));
    let r = app
        .submit(&b, &path, &action("reject"), &[("reason", " ")])
        .await;
    assert_eq!(r.status(), 422);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("否認するときは理由を入力してください"));
    let r = app.submit(&b, &path, &action("approve"), &[]).await;
    assert_eq!(location(&r), format!("{path}?done=approved"));
    let r = app.submit(&b, &path, &action("approve"), &[]).await;
    assert_eq!(location(&r), format!("{path}?done=gone"));
    let counted = app
        .state
        .store_for_tools()
        .records()
        .counted_days(worker.id)
        .await
        .unwrap();
    assert_eq!(counted.len(), 1);
    assert_eq!(
        counted[0].position,
        Some(ccus_domain::site::Position::Leader)
    );

    // The business enters a day of its worker; a company not on the site sees nothing.
    let r = app
        .submit(
            &b,
            &path,
            &path,
            &[
                ("login_id", worker_id.as_str()),
                ("day", &day(3)),
                ("first_in", ""),
                ("last_out", ""),
            ],
        )
        .await;
    assert_eq!(location(&r), format!("{path}?done=entered"));
    // Rejected with a reason, which the worker reads beside the day.
    let d3 = today - time::Duration::days(3);
    let id3 = app
        .state
        .store_for_tools()
        .records()
        .records_of(worker.id, d3, d3)
        .await
        .unwrap()[0]
        .id
        .get();
    let r = app
        .submit(
            &b,
            &path,
            &format!("{path}/{}/{id3}/reject", day(3)),
            &[("reason", "この日は休工日でした")],
        )
        .await;
    assert_eq!(location(&r), format!("{path}?done=rejected"));
    let page = text(
        &app,
        &w,
        &format!("/ccus_skill/records?month={}", &day(3)[..7]),
    )
    .await;
    assert!(
        page.contains("否認（理由：この日は休工日でした）"),
        "{page}"
    );
    let stranger = logged_in(&app, BIZ, &other_id).await;
    assert_eq!(app.get(&stranger, &path).await.status(), 404);
    let r = app
        .submit(
            &stranger,
            "/ccus_owner/sites",
            &path,
            &[("login_id", worker_id.as_str()), ("day", &day(4))],
        )
        .await;
    assert_eq!(r.status(), 404);
    let d4 = today - time::Duration::days(4);
    assert!(app
        .state
        .store_for_tools()
        .records()
        .records_of(worker.id, d4, d4)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missed_day_is_entered_and_approved_by_the_site_on_sqlite() {
    direct_entries(app_on(testdb::sqlite_url()).await).await;
}

#[ccus_test_macros::postgres_variant]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missed_day_is_entered_and_approved_by_the_site_on_postgres() {
    let Some(url) = testdb::postgres_url().await else {
        eprintln!("skipped: {} is not set", testdb::POSTGRES_ENV);
        return;
    };
    direct_entries(app_on(url).await).await;
}

/// The business's pages: the month's records under it (a worker who is not its own named only
/// when they chose 開示), its own worker's 未配置 day placed once the worker is on the 名簿, its
/// own worker's page with the card reported lost by the employer; and the helpdesk's 補正 of a
/// record (times, then withdrawn), each with a reason, in the 操作の記録.
async fn business_pages_and_corrections(app: TestApp) {
    let today = evening(&app);
    let (prime_id, worker_id, prime, site) = listed_worker(
        &app,
        "自社 テスト現場",
        today - time::Duration::days(40),
        ("tobi", "foreman"),
    )
    .await;
    let late_id = person(
        &app,
        TECH,
        "未配置 三郎",
        "late@example.jp",
        Some(&prime_id),
    )
    .await;
    let helper_id = person(&app, TECH, "応援 四郎", "helper@example.jp", None).await;
    let top = root(&app, &site, &prime).await;
    let b = logged_in(&app, BIZ, &prime_id).await;
    let key = issue_key(&app, &b, &site, "正門").await;
    let card = card_of(&app, &worker_id).await;
    let late_card = card_of(&app, &late_id).await;
    let helper_card = card_of(&app, &helper_id).await;

    // Another company's technician, listed by consent, keeps their name to themselves.
    let form = |id: &LoginId| WorkerForm {
        login_id: id.as_str().into(),
        trade: "carpenter".into(),
        position: "worker".into(),
        ..WorkerForm::default()
    };
    assert_eq!(
        roster::add_worker(&app.state, &prime, &site, top, &form(&helper_id))
            .await
            .unwrap(),
        RosterOutcome::Asked
    );
    let helper = account(&app, &helper_id).await;
    let asked = roster::my_sites(&app.state, &helper).await.unwrap();
    assert!(
        roster::answer_listing(&app.state, &helper, asked[0].listing, true)
            .await
            .unwrap()
    );

    let (_, at8) = jst_at(today, 8, 0);
    let (_, at17) = jst_at(today, 17, 0);
    let batch = json!({"touches": [
        touch(1, &card, "in", &at8),
        touch(2, &helper_card, "in", &at8),
        touch(3, &late_card, "in", &at8),
        touch(4, &late_card, "out", &at17),
    ]});
    let r = post(&app, Some(&key), &batch).await;
    let got = answers(&r.json().await.unwrap());
    assert_eq!(got[2], (3, "refused".to_owned(), "not_listed".to_owned()));

    // The month under the business: its own worker named and linked, the other one not named.
    let page = text(&app, &b, "/ccus_owner/records").await;
    for part in [
        "自社の作業員の就業履歴",
        "建設 太郎",
        "（非開示）",
        &helper_id.grouped(),
        "/ccus_owner/records/workers/",
        "未配置の入場",
        "未配置 三郎",
        "2回（最初 08:00）",
    ] {
        assert!(page.contains(part), "missing 「{part}」: {page}");
    }
    assert!(!page.contains("応援 四郎"));
    let home = text(&app, &b, "/ccus_owner/home").await;
    assert!(home.contains("就業履歴（自社の作業員）"));

    // Placing before the worker is on the 名簿 says what to do first; after, the day counts.
    let place = |day: String| {
        let b = b.clone();
        let app = &app;
        let site = site.as_str().to_owned();
        let worker = late_id.as_str().to_owned();
        async move {
            app.submit(
                &b,
                "/ccus_owner/records",
                "/ccus_owner/records/place",
                &[("site", &site), ("worker", &worker), ("day", &day)],
            )
            .await
        }
    };
    let today_s = ccus_domain::profile::format_date(today);
    let r = place(today_s.clone()).await;
    assert_eq!(location(&r), "/ccus_owner/records?done=not-listed#unplaced");
    let page = text(&app, &b, "/ccus_owner/records?done=not-listed").await;
    assert!(page.contains("まだその現場の作業員名簿に載っていません"));
    let mut late_form = form(&late_id);
    late_form.trade = "plaster".into();
    assert_eq!(
        roster::add_worker(&app.state, &prime, &site, top, &late_form)
            .await
            .unwrap(),
        RosterOutcome::Listed
    );
    let r = place(today_s.clone()).await;
    assert_eq!(location(&r), "/ccus_owner/records?done=placed#unplaced");
    let late = account(&app, &late_id).await;
    let store = app.state.store_for_tools();
    let placed = store
        .records()
        .records_of(late.id, today, today)
        .await
        .unwrap();
    assert_eq!(placed.len(), 1);
    assert_eq!(
        (
            placed[0].trade.as_str(),
            placed[0].first_in,
            placed[0].last_out
        ),
        (
            "plaster",
            Some(jst_at(today, 8, 0).0),
            Some(jst_at(today, 17, 0).0)
        )
    );
    assert!(!text(&app, &b, "/ccus_owner/records")
        .await
        .contains("2回（最初 08:00）"));
    // Placed already: nothing left; the reader sending it again hears "duplicate".
    let r = place(today_s).await;
    assert_eq!(location(&r), "/ccus_owner/records?done=nothing#unplaced");
    let r = post(
        &app,
        Some(&key),
        &json!({"touches": [touch(3, &late_card, "in", &at8)]}),
    )
    .await;
    assert_eq!(answers(&r.json().await.unwrap())[0].1, "duplicate");
    // Too late: a day before last month.
    let old = ccus_domain::profile::format_date(today - time::Duration::days(70));
    let r = place(old).await;
    assert!(location(&r).starts_with("/ccus_owner/records?done=too-late&closed="));

    // Its own worker's page; not another company's worker's.
    let own = format!("/ccus_owner/records/workers/{}", worker_id.as_str());
    let page = text(&app, &b, &own).await;
    assert!(page.contains("建設 太郎") && page.contains(&card) && page.contains("レベル2"));
    let r = app
        .get(
            &b,
            &format!("/ccus_owner/records/workers/{}", helper_id.as_str()),
        )
        .await;
    assert_eq!(r.status(), 404);
    let other_id = person(&app, BIZ, "無関係 工業", "other@example.jp", None).await;
    let other = logged_in(&app, BIZ, &other_id).await;
    assert_eq!(app.get(&other, &own).await.status(), 404);
    assert!(!text(&app, &other, "/ccus_owner/records")
        .await
        .contains("建設 太郎"));

    // The employer reports the card lost: it stops at once, and the worker's history says so.
    let lost = format!("{own}/card-lost");
    let r = app.submit(&b, &own, &lost, &[]).await;
    assert_eq!(location(&r), format!("{own}?done=card-confirm#card"));
    let r = app.submit(&b, &own, &lost, &[("confirm", "yes")]).await;
    assert_eq!(location(&r), format!("{own}?done=card-lost#card"));
    let r = post(
        &app,
        Some(&key),
        &json!({"touches": [touch(9, &card, "out", &at17)]}),
    )
    .await;
    assert_eq!(
        answers(&r.json().await.unwrap()),
        vec![(9, "refused".to_owned(), "card_stopped".to_owned())]
    );
    let w = logged_in(&app, TECH, &worker_id).await;
    assert!(text(&app, &w, "/ccus_skill/history")
        .await
        .contains("カードの紛失の届出"));

    // The helpdesk corrects the day's times, then withdraws it; a reason each time.
    let worker = account(&app, &worker_id).await;
    let record = store
        .records()
        .records_of(worker.id, today, today)
        .await
        .unwrap()[0]
        .clone();
    let (desk, _) = app.staff_browser(ccus_storage::StaffRole::Operator).await;
    let desk_page = format!("/helpdesk/accounts/{}", worker.id.get());
    assert!(text(&app, &desk, &desk_page)
        .await
        .contains("就業履歴と補正"));
    let records_page = format!("{desk_page}/records");
    let page = text(&app, &desk, &records_page).await;
    assert!(page.contains("自社 テスト現場") && page.contains("08:00"));
    let month = &today_s_of(today)[..7];
    let correct = |fields: Vec<(&'static str, String)>| {
        let desk = desk.clone();
        let app = &app;
        let records_page = records_page.clone();
        async move {
            let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.submit(&desk, &records_page, &records_page, &f).await
        }
    };
    let base = |reason: &str, withdraw: &str| {
        vec![
            ("record", record.id.get().to_string()),
            ("day", today_s_of(today)),
            ("month", month.to_owned()),
            ("first_in", "07:30".to_owned()),
            ("last_out", "16:45".to_owned()),
            ("withdraw", withdraw.to_owned()),
            ("reason", reason.to_owned()),
        ]
    };
    let r = correct(base("", "")).await;
    assert!(location(&r).ends_with("done=needs-reason#month"));
    let r = correct(base("元請から連絡。退場のタッチ漏れ", "")).await;
    assert!(
        location(&r).ends_with("done=corrected#month"),
        "{}",
        location(&r)
    );
    let fixed = store
        .records()
        .records_of(worker.id, today, today)
        .await
        .unwrap()[0]
        .clone();
    assert_eq!(
        (fixed.first_in, fixed.last_out),
        (Some(jst_at(today, 7, 30).0), Some(jst_at(today, 16, 45).0))
    );
    let r = correct(base("他人のカードによる記録と確認", "yes")).await;
    assert!(location(&r).ends_with("done=corrected#month"));
    let fixed = store
        .records()
        .records_of(worker.id, today, today)
        .await
        .unwrap()[0]
        .clone();
    assert_eq!(fixed.state, ccus_domain::records::RecordState::Withdrawn);
    assert!(text(&app, &w, "/ccus_skill/records")
        .await
        .contains("取消（補正）"));
    // Not a record of this worker: nothing changes.
    let mut wrong = base("誤り", "yes");
    wrong[0].1 = placed[0].id.get().to_string();
    let r = correct(wrong).await;
    assert!(location(&r).ends_with("done=gone#month"));
    let (sup, _) = app.staff_browser(ccus_storage::StaffRole::Supervisor).await;
    let audit = text(&app, &sup, "/helpdesk/audit").await;
    for part in ["就業履歴の補正", "他人のカードによる記録と確認"] {
        assert!(audit.contains(part), "audit lacks 「{part}」");
    }
    // The business's own actions are in its 操作の記録.
    let log: Vec<String> = ccus_app::org::audit(&app.state, &prime)
        .await
        .unwrap()
        .iter()
        .map(|e| e.action_words(ccus_app::i18n::Lang::Ja))
        .collect();
    for w in ["未配置の就業履歴の配置", "カードの紛失の届出"] {
        assert!(log.iter().any(|l| l == w), "{w} in {log:?}");
    }
}

fn today_s_of(d: ccus_domain::Date) -> String {
    ccus_domain::profile::format_date(d)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_business_reads_places_and_reports_and_the_helpdesk_corrects_on_sqlite() {
    business_pages_and_corrections(app_on(testdb::sqlite_url()).await).await;
}

#[ccus_test_macros::postgres_variant]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_business_reads_places_and_reports_and_the_helpdesk_corrects_on_postgres() {
    let Some(url) = testdb::postgres_url().await else {
        eprintln!("skipped: {} is not set", testdb::POSTGRES_ENV);
        return;
    };
    business_pages_and_corrections(app_on(url).await).await;
}

/// 補正: the worker asks for the right exit time of a touched day, once; whoever runs the site
/// rejects it (with a reason) or approves it (the record takes the time); the employer asks
/// too, audited; a day that is not the asker's is refused.
async fn corrections(app: TestApp) {
    let today = evening(&app);
    let (prime_id, worker_id, prime, site) = listed_worker(
        &app,
        "補正 テスト現場",
        today - time::Duration::days(40),
        ("tobi", "worker"),
    )
    .await;
    let b = logged_in(&app, BIZ, &prime_id).await;
    let key = issue_key(&app, &b, &site, "正門").await;
    let card = card_of(&app, &worker_id).await;
    let (_, at8) = jst_at(today, 8, 0);
    let r = post(
        &app,
        Some(&key),
        &json!({"touches": [touch(1, &card, "in", &at8)]}),
    )
    .await;
    assert_eq!(answers(&r.json().await.unwrap())[0].1, "accepted");
    let store = app.state.store_for_tools();
    let worker = account(&app, &worker_id).await;
    let record = store
        .records()
        .records_of(worker.id, today, today)
        .await
        .unwrap()[0]
        .clone();
    let key_of = format!("{}.{}", today_s_of(today), record.id.get());

    let w = logged_in(&app, TECH, &worker_id).await;
    let page = text(&app, &w, "/ccus_skill/records").await;
    assert!(page.contains("補正（記録された時刻の訂正）") && page.contains(&key_of));
    let ask = |client: &reqwest::Client, from: &str, to: &str, out: &str| {
        let (client, from, to) = (client.clone(), from.to_owned(), to.to_owned());
        let (app, key_of, out) = (&app, key_of.clone(), out.to_owned());
        async move {
            app.submit(
                &client,
                &from,
                &to,
                &[
                    ("record", key_of.as_str()),
                    ("first_in", ""),
                    ("last_out", &out),
                ],
            )
            .await
        }
    };
    let own = "/ccus_skill/records";
    let r = ask(&w, own, "/ccus_skill/records/correct", "").await;
    assert_eq!(
        location(&r),
        "/ccus_skill/records?done=correction-time#correct"
    );
    let r = ask(&w, own, "/ccus_skill/records/correct", "17:30").await;
    assert_eq!(
        location(&r),
        "/ccus_skill/records?done=correction-asked#correct"
    );
    assert!(text(&app, &w, own).await.contains("補正の承認待ち"));
    let r = ask(&w, own, "/ccus_skill/records/correct", "17:40").await;
    assert_eq!(
        location(&r),
        "/ccus_skill/records?done=correction-waiting#correct"
    );

    // The site's runner sees it beside the days waiting; a rejection needs its reason.
    let approvals = format!("/ccus_owner/sites/{}/records", site.as_str());
    let page = text(&app, &b, &approvals).await;
    assert!(page.contains("承認を待っている補正") && page.contains("入場 08:00・退場 17:30"));
    let c = store
        .records()
        .corrections_of_site(record.site, 10)
        .await
        .unwrap();
    assert_eq!(c.len(), 1);
    let answer = |id: i64, step: &str, reason: &str| {
        let (b, app, approvals) = (b.clone(), &app, approvals.clone());
        let path = format!(
            "/ccus_owner/sites/{}/corrections/{id}/{step}",
            site.as_str()
        );
        let reason = reason.to_owned();
        async move {
            app.submit(&b, &approvals, &path, &[("reason", reason.as_str())])
                .await
        }
    };
    let r = answer(c[0].id, "reject", "").await;
    assert!(location(&r).contains("done=correction-reason"));
    let r = answer(c[0].id, "reject", "退場は17時と確認").await;
    assert!(location(&r).contains("done=correction-rejected"));
    let kept = store
        .records()
        .records_of(worker.id, today, today)
        .await
        .unwrap()[0]
        .clone();
    assert_eq!(kept.last_out, None);

    // The employer asks again; approved, the record takes the exit time and keeps its entry.
    let employer_page = format!("/ccus_owner/records/workers/{}", worker_id.as_str());
    assert!(text(&app, &b, &employer_page)
        .await
        .contains("補正を申請する"));
    let r = ask(
        &b,
        &employer_page,
        &format!("{employer_page}/correct"),
        "17:20",
    )
    .await;
    assert_eq!(
        location(&r),
        format!("{employer_page}?done=correction-asked#correct")
    );
    let c = store
        .records()
        .corrections_of_site(record.site, 10)
        .await
        .unwrap();
    let r = answer(c[0].id, "approve", "").await;
    assert!(location(&r).contains("done=correction-approved"));
    let fixed = store
        .records()
        .records_of(worker.id, today, today)
        .await
        .unwrap()[0]
        .clone();
    assert_eq!(
        (fixed.first_in, fixed.last_out),
        (Some(jst_at(today, 8, 0).0), Some(jst_at(today, 17, 20).0))
    );
    // Answered: nothing left to answer.
    let r = answer(c[0].id, "approve", "").await;
    assert!(location(&r).contains("done=gone"));
    let log: Vec<String> = ccus_app::org::audit(&app.state, &prime)
        .await
        .unwrap()
        .iter()
        .map(|e| e.action_words(ccus_app::i18n::Lang::Ja))
        .collect();
    for w in [
        "就業履歴の補正の申請",
        "就業履歴の補正の否認",
        "就業履歴の補正の承認",
    ] {
        assert!(log.iter().any(|l| l == w), "{w} in {log:?}");
    }

    // Someone else's day is not the worker's to correct.
    let other_id = person(&app, TECH, "別人 五郎", "other5@example.jp", None).await;
    let o = logged_in(&app, TECH, &other_id).await;
    let r = ask(&o, own, "/ccus_skill/records/correct", "17:00").await;
    assert_eq!(
        location(&r),
        "/ccus_skill/records?done=correction-gone#correct"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_correction_is_asked_for_and_answered_on_sqlite() {
    corrections(app_on(testdb::sqlite_url()).await).await;
}

#[ccus_test_macros::postgres_variant]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_correction_is_asked_for_and_answered_on_postgres() {
    let Some(url) = testdb::postgres_url().await else {
        eprintln!("skipped: {} is not set", testdb::POSTGRES_ENV);
        return;
    };
    corrections(app_on(url).await).await;
}

fn page_path(site: &SiteId) -> String {
    format!("/ccus_owner/sites/{}/readers", site.as_str())
}

async fn app_on(url: String) -> TestApp {
    use base64::Engine;
    spawn_app_with(url, |c| {
        c.staff.totp_key = base64::engine::general_purpose::STANDARD.encode([42u8; 32]);
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_s_touches_become_one_record_a_day_on_sqlite() {
    readers_and_touches(app_on(testdb::sqlite_url()).await).await;
}

#[ccus_test_macros::postgres_variant]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_s_touches_become_one_record_a_day_on_postgres() {
    let Some(url) = testdb::postgres_url().await else {
        eprintln!("skipped: {} is not set", testdb::POSTGRES_ENV);
        return;
    };
    readers_and_touches(app_on(url).await).await;
}

/// Retention: raw touches past `records.touch_retention` and finished inquiries past
/// `inquiry.closed_retention` are deleted by the clean-up; the work records made of the touches
/// stay, and what is younger stays.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn touches_and_finished_inquiries_go_after_their_retention() {
    let app = spawn_app().await;
    let today = evening(&app);
    let (prime_id, worker_id, _, site) =
        listed_worker(&app, "保存期間 テスト現場", today, ("tobi", "worker")).await;
    let prime_b = logged_in(&app, BIZ, &prime_id).await;
    let key = issue_key(&app, &prime_b, &site, "正門").await;
    let card = card_of(&app, &worker_id).await;
    let (_, at) = jst_at(today, 8, 0);
    all_accepted(&app, &key, vec![touch(1, &card, "in", &at)]).await;
    let db = sqlx::AnyPool::connect(&app.database_url).await.unwrap();
    let count = |sql: &'static str| {
        let db = db.clone();
        async move {
            let r: i64 = sqlx::query_scalar(sql).fetch_one(&db).await.unwrap();
            r
        }
    };
    assert_eq!(count("SELECT COUNT(*) FROM touches").await, 1);
    let now = ccus_domain::Clock::now(app.state.clock());
    for (receipt, closed_days_ago) in [("R-OLD", 4 * 365), ("R-NEW", 30)] {
        let closed = now.minus(std::time::Duration::from_secs(closed_days_ago * 86_400));
        sqlx::query(
            "INSERT INTO inquiries (receipt, received_at, due_date, category, login_id, name, \
             furigana, birth_date, employer, email, phone, message, status, client_address, \
             closed_at) VALUES ($1, $2, '2020-01-01', 'other', '', 'n', '', '', '', \
             'a@example.jp', '', 'm', 'done', '127.0.0.1', $2)",
        )
        .bind(receipt)
        .bind(closed.0)
        .execute(&db)
        .await
        .unwrap();
    }
    // Nothing is old enough today.
    assert_eq!(app.state.prune_retained(now).await.unwrap(), (0, 1));
    assert_eq!(count("SELECT COUNT(*) FROM inquiries").await, 1);
    // Fourteen months on, the clean-up removes the touch; its work record stays.
    app.clock
        .advance(std::time::Duration::from_secs(14 * 30 * 86_400));
    app.state.app().clean_up_once().await;
    assert_eq!(count("SELECT COUNT(*) FROM touches").await, 0);
    assert_eq!(count("SELECT COUNT(*) FROM work_records").await, 1);
    // Operators see the periods, what was removed, and that the pass finished.
    let metrics = ccus_app::metrics::render(app.state.app()).await;
    for line in [
        "ccus_retention_period_seconds{what=\"touches\"} 34128000",
        "ccus_retention_period_seconds{what=\"closed_inquiries\"} 94608000",
        "ccus_retention_removed_total{what=\"touches\"} 1",
    ] {
        assert!(metrics.contains(line), "{line} not in {metrics}");
    }
    let finished = metrics
        .lines()
        .find_map(|l| l.strip_prefix("ccus_retention_last_success_timestamp_seconds "))
        .unwrap();
    assert_eq!(
        finished.parse::<i64>().unwrap(),
        ccus_domain::Clock::now(&*app.clock).0 / 1000,
        "the pass did not finish"
    );
    promtool_checks(&metrics);
}

/// A TCP relay standing between the portal and a replica: killing it is the replica dying as
/// the portal sees it (connections cut, the address refusing), without stopping the server the
/// other tests share.
struct Relay {
    port: u16,
    /// The accepting task and every relayed connection; `None` once killed.
    tasks: std::sync::Arc<std::sync::Mutex<Option<Vec<tokio::task::JoinHandle<()>>>>>,
}

impl Relay {
    async fn to(upstream: String) -> Relay {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let tasks = std::sync::Arc::new(std::sync::Mutex::new(Some(Vec::new())));
        let shared = tasks.clone();
        let accept = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                let upstream = upstream.clone();
                let conn = tokio::spawn(async move {
                    if let Ok(mut out) = tokio::net::TcpStream::connect(&upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut out).await;
                    }
                });
                // Killed meanwhile: this connection goes too (under the same lock as the kill).
                match shared.lock().unwrap().as_mut() {
                    Some(all) => all.push(conn),
                    None => {
                        conn.abort();
                        return;
                    }
                }
            }
        });
        tasks.lock().unwrap().as_mut().unwrap().push(accept);
        Relay { port, tasks }
    }

    fn kill(&self) {
        for t in self.tasks.lock().unwrap().take().unwrap_or_default() {
            t.abort();
        }
    }
}

/// Replay on the replica paused while it lives; resumed when dropped, also by a failing test
/// (the replica is the whole server's, shared with every later run).
struct PausedReplay(String);

impl PausedReplay {
    async fn start(replica_db: &str) -> PausedReplay {
        set_replay(replica_db, true).await;
        PausedReplay(replica_db.to_owned())
    }
}

impl Drop for PausedReplay {
    fn drop(&mut self) {
        let url = self.0.clone();
        // Never a panic here: this may run while a failed test unwinds.
        let resumed = std::thread::spawn(move || {
            tokio::runtime::Runtime::new()
                .map(|rt| rt.block_on(set_replay(&url, false)))
                .is_ok()
        })
        .join();
        if !matches!(resumed, Ok(true)) {
            eprintln!(
                "the replica's replay could not be resumed; tools/postgres/replica.sh resumes it"
            );
        }
    }
}

async fn set_replay(replica_db: &str, paused: bool) {
    let pool = sqlx::AnyPool::connect(replica_db).await.unwrap();
    let call = if paused {
        "SELECT pg_wal_replay_pause()"
    } else {
        "SELECT pg_wal_replay_resume()"
    };
    sqlx::query(call).execute(&pool).await.unwrap();
    pool.close().await;
}

/// Waits (at most 10 s) until the replica's freshness is `fresh`.
async fn replica_becomes(app: &TestApp, fresh: bool) {
    for _ in 0..100 {
        if app.state.store_for_tools().replica_stats().0[0].fresh == fresh {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!(
        "the replica did not become {}: {:?}",
        if fresh { "fresh" } else { "stale" },
        app.state.store_for_tools().replica_stats()
    );
}

/// (reads the replica served, reads it failed, reads sent to the primary for want of a fresh one)
fn replica_reads(app: &TestApp) -> (u64, u64, u64) {
    let (replicas, on_primary) = app.state.store_for_tools().replica_stats();
    (replicas[0].reads, replicas[0].failures, on_primary)
}

/// Read replicas: a worker's records page is served by a streaming replica (a second
/// PostgreSQL cluster following the primary); while the replica lags (its replay paused) the
/// page comes from the primary and shows the newest record; the page after a person's own
/// change reads from the primary; when the replica dies, every page is still served, and the
/// replica is left out.
#[ccus_test_macros::postgres_variant(replica)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replica_serves_record_pages_and_its_lag_or_loss_changes_nothing() {
    let Some(url) = testdb::postgres_url().await else {
        eprintln!("skipped: {} is not set", testdb::POSTGRES_ENV);
        return;
    };
    let Some(replica_db) = testdb::replica_url(&url).await else {
        eprintln!("skipped: {} is not set", testdb::REPLICA_ENV);
        return;
    };
    // A replica left paused by an earlier run that was killed would never catch up.
    set_replay(&replica_db, false).await;
    let server = replica_db
        .split_once('@')
        .map_or(replica_db.as_str(), |(_, r)| r)
        .trim_start_matches("postgres://")
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let relay = Relay::to(server).await;
    let through_relay = {
        let (head, db) = replica_db.rsplit_once('/').unwrap();
        let (scheme_user, _) = head.rsplit_once('@').unwrap_or((head, ""));
        let sep = if head.contains('@') { "@" } else { "" };
        format!("{scheme_user}{sep}127.0.0.1:{}/{db}", relay.port)
    };
    // Two more, never to be used: the primary itself (not a standby), and the replica's
    // server under another database.
    let not_a_standby = url.clone();
    let other_database = format!("{}/postgres", replica_db.rsplit_once('/').unwrap().0);
    let app = {
        use base64::Engine;
        spawn_app_with(url, |c| {
            c.staff.totp_key = base64::engine::general_purpose::STANDARD.encode([42u8; 32]);
            c.database.replicas = vec![through_relay.clone(), not_a_standby, other_database];
            c.database.replica_max_lag = std::time::Duration::from_secs(1);
        })
        .await
    };
    let today = evening(&app);
    let (prime_id, worker_id, _prime, site) = listed_worker(
        &app,
        "レプリカ テスト現場",
        today.previous_day().unwrap(),
        ("tobi", "worker"),
    )
    .await;
    let b = logged_in(&app, BIZ, &prime_id).await;
    let key = issue_key(&app, &b, &site, "正門").await;
    let card = card_of(&app, &worker_id).await;
    let (_, at8) = jst_at(today, 8, 0);
    let (_, at17) = jst_at(today, 17, 0);
    let batch = vec![touch(1, &card, "in", &at8), touch(2, &card, "out", &at17)];
    all_accepted(&app, &key, batch).await;
    let w = logged_in(&app, TECH, &worker_id).await;
    replica_becomes(&app, true).await;
    // The login was a change: its cookie outlives a replica's lag by a second, then goes.
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;

    // A fresh replica serves the page, and it holds the day.
    let before = replica_reads(&app);
    let page = text(&app, &w, "/ccus_skill/records").await;
    assert!(page.contains("レプリカ テスト現場") && page.contains("17:00"));
    let after = replica_reads(&app);
    assert!(after.0 > before.0, "{before:?} → {after:?}");
    assert_eq!(after.1, before.1, "{before:?} → {after:?}");

    // The replica stops replaying: once it is more than a second behind, the primary serves
    // the page, with the exit touched after the pause.
    {
        let _paused = PausedReplay::start(&replica_db).await;
        let (_, at1745) = jst_at(today, 17, 45);
        all_accepted(&app, &key, vec![touch(3, &card, "out", &at1745)]).await;
        replica_becomes(&app, false).await;
        let before = replica_reads(&app);
        let page = text(&app, &w, "/ccus_skill/records").await;
        assert!(page.contains("17:45"), "a lagging replica answered");
        let after = replica_reads(&app);
        assert_eq!(after.0, before.0, "{before:?} → {after:?}");
        assert!(after.2 > before.2, "{before:?} → {after:?}");
    }
    // Caught up, it takes the reads again.
    replica_becomes(&app, true).await;
    let before = replica_reads(&app);
    assert!(text(&app, &w, "/ccus_skill/records")
        .await
        .contains("17:45"));
    assert!(replica_reads(&app).0 > before.0);

    // The page after a person's own change reads from the primary, even from a replica that
    // still looks fresh: the worker asks for a correction and sees it waiting at once.
    let record = app
        .state
        .store_for_tools()
        .records()
        .records_of(account(&app, &worker_id).await.id, today, today)
        .await
        .unwrap()[0]
        .clone();
    let key_of = format!("{}.{}", today_s_of(today), record.id.get());
    // The form is read first (from the replica); what is measured is the change and its page.
    let own = "/ccus_skill/records";
    let token = csrf_in(&text(&app, &w, own).await);
    let before = replica_reads(&app);
    {
        let _paused = PausedReplay::start(&replica_db).await;
        let r = w
            .post(app.url("/ccus_skill/records/correct"))
            .form(&[
                ("record", key_of.as_str()),
                ("first_in", "07:30"),
                ("last_out", ""),
                ("csrf_token", token.as_str()),
            ])
            .send()
            .await
            .unwrap();
        assert!(r.status().is_redirection(), "{}", r.status());
        let page = text(&app, &w, &location(&r)).await;
        assert!(
            page.contains("補正の承認待ち"),
            "the page after the change missed it"
        );
    }
    assert_eq!(replica_reads(&app).0, before.0);
    replica_becomes(&app, true).await;
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;

    // The replica dies: the pages are all still served, the first by the primary after the
    // replica failed it, the rest by the primary for want of a fresh replica.
    assert!(text(&app, &w, "/ccus_skill/records")
        .await
        .contains("17:45"));
    let before = replica_reads(&app);
    relay.kill();
    for _ in 0..20 {
        let r = app.get(&w, "/ccus_skill/records").await;
        assert_eq!(r.status(), 200);
        assert!(r.text().await.unwrap().contains("17:45"));
    }
    replica_becomes(&app, false).await;
    let after = replica_reads(&app);
    assert_eq!(after.0, before.0, "{before:?} → {after:?}");
    assert!(
        after.1 + after.2 >= before.1 + before.2 + 20,
        "{before:?} → {after:?}"
    );
    // The metrics say so.
    let metrics = ccus_app::metrics::render(app.state.app()).await;
    let name = through_relay.rsplit_once('@').unwrap().1;
    for line in [
        format!("ccus_db_replica_fresh{{replica=\"{name}\"}} 0"),
        format!("ccus_db_replica_lag_seconds{{replica=\"{name}\"}} +Inf"),
    ] {
        assert!(metrics.contains(&line), "{line} not in {metrics}");
    }
    promtool_checks(&metrics);
    // The primary named as a replica, and the replica's server under another database, never
    // took a read.
    let (all, _) = app.state.store_for_tools().replica_stats();
    for r in &all[1..] {
        assert!(!r.fresh && r.reads == 0 && r.lag.is_none(), "{r:?}");
    }
    // Logins and the other security reads never needed it.
    let again = logged_in(&app, TECH, &worker_id).await;
    assert_eq!(app.get(&again, "/ccus_skill/home").await.status(), 200);
}
