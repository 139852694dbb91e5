//! 現場 and 施工体制 over HTTP and in the application: a 元請 registers a site, asks a 一次
//! that approves, which places a 二次 at once under their 事業者間合意; each lists workers (its
//! own at once, another's by consent), the worker sees the site, the 元請 sees what the
//! worker chose to show, the helpdesk sees the tree and corrects a link. Bad requests are
//! refused with their reason, and the races (two upper tiers asking one company, an approval
//! meeting a withdrawal or a closing) each end one defined way — on SQLite and, when
//! configured, PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ccus_app::org::OrgContext;
use ccus_app::sites;
use ccus_app::sites::roster::{RosterOutcome, WorkerForm};
use ccus_app::sites::tiers::{self, AgreementOutcome, AgreementStep, AnswerOutcome, InviteOutcome};
use ccus_domain::site::PlacementState;
use ccus_domain::{AccountKind, LoginId, PlacementId, SiteId};
use ccus_storage::testdb;
use ccus_testkit::sites::*;
use ccus_testkit::*;

const BIZ: AccountKind = AccountKind::Business;

async fn journey(app: TestApp) {
    let prime_id = person(&app, BIZ, "株式会社 元請建設", "prime@example.jp", None).await;
    let first_id = person(&app, BIZ, "一次工業 株式会社", "first@example.jp", None).await;
    let second_id = person(&app, BIZ, "二次設備 有限会社", "second@example.jp", None).await;
    let own = person(
        &app,
        AccountKind::Technician,
        "一次 職人",
        "own@example.jp",
        Some(&first_id),
    )
    .await;
    let other = person(
        &app,
        AccountKind::Technician,
        "応援 太郎",
        "other@example.jp",
        Some(&second_id),
    )
    .await;

    // The 元請 registers a site with its form; a mistake is told next to its field and loses
    // nothing typed.
    let pb = logged_in(&app, BIZ, &prime_id).await;
    let home = text(&app, &pb, "/ccus_owner/home").await;
    assert!(home.contains("現場と施工体制"));
    let form_page = text(&app, &pb, "/ccus_owner/sites/new").await;
    assert!(form_page.contains("就業履歴蓄積期間（開始日）"));
    let prime = ctx(&app, &prime_id).await;
    let manager = prime.me.id.to_string();
    let mut fields = vec![
        ("name", "新宿駅西口ビル新築工事"),
        ("order_kind", "private"),
        ("records_from", "2026-04-01"),
        ("records_to", "2026-03-31"),
        ("hazardous", "no"),
        ("manager", manager.as_str()),
        ("contract-0-address", "東京都新宿区西新宿1-1"),
        ("contract-0-client_name", "西口開発 株式会社"),
        ("contract-0-work_kind", "building"),
    ];
    let r = app
        .submit(
            &pb,
            "/ccus_owner/sites/new",
            "/ccus_owner/sites/new",
            &fields,
        )
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("終了日は開始日と同じ日か、それより後にしてください。"));
    assert!(page.contains("西口開発 株式会社"), "what was typed is kept");
    fields[3] = ("records_to", "2027-03-31");
    let r = app
        .submit(
            &pb,
            "/ccus_owner/sites/new",
            "/ccus_owner/sites/new",
            &fields,
        )
        .await;
    assert_eq!(r.status(), 303, "registered");
    let site_path = location(&r);
    let site_id = SiteId::parse(
        site_path
            .split('/')
            .nth(3)
            .unwrap()
            .split('?')
            .next()
            .unwrap(),
    )
    .unwrap();
    let page = text(&app, &pb, &site_path).await;
    assert!(page.contains("現場を登録しました"));
    assert!(page.contains(&site_id.grouped()));
    assert!(page.contains("建築・住宅"));

    // The 元請 asks the 一次 by 事業者ID: a 要請, mailed to its registered address.
    let root_place = root(&app, &site_id, &prime).await;
    let path = format!(
        "/ccus_owner/sites/{}/places/{root_place}/invite",
        site_id.as_str()
    );
    let field = format!("invite-{root_place}");
    let r = app
        .submit(
            &pb,
            &site_path,
            &path,
            &[(&field, &typed_on_phone(&first_id))],
        )
        .await;
    assert_eq!(r.status(), 303);
    let mail = app
        .wait_for_mail("first@example.jp", "施工体制への参加の要請が届きました", 1)
        .await;
    assert!(mail[0].body.contains("株式会社 元請建設"));
    assert!(mail[0].body.contains(&site_id.grouped()));

    // The 一次 sees what waits for it, and approves.
    let fb = logged_in(&app, BIZ, &first_id).await;
    let pending = text(&app, &fb, "/ccus_owner/sites/pending").await;
    assert!(pending.contains("新宿駅西口ビル新築工事"));
    let first = ctx(&app, &first_id).await;
    let (first_place, state) = place_of(&app, &site_id, &first).await.unwrap();
    assert_eq!(state, PlacementState::Requested);
    let r = app
        .submit(
            &fb,
            "/ccus_owner/sites/pending",
            &format!(
                "/ccus_owner/sites/{}/places/{first_place}/answer/approve",
                site_id.as_str()
            ),
            &[],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        place_of(&app, &site_id, &first).await.unwrap().1,
        PlacementState::Active
    );
    app.wait_for_mail("prime@example.jp", "施工体制の要請への回答", 1)
        .await;

    // The 一次 and the 二次 agree once (the 二次 offers, the 一次 accepts) …
    let sb = logged_in(&app, BIZ, &second_id).await;
    let r = app
        .submit(
            &sb,
            "/ccus_owner/agreements",
            "/ccus_owner/agreements",
            &[
                ("business_id", first_id.as_str()),
                ("side", "lower"),
                ("proxy", "no"),
            ],
        )
        .await;
    assert_eq!(location(&r), "/ccus_owner/agreements?done=offered");
    let offers = text(&app, &fb, "/ccus_owner/sites/pending").await;
    assert!(offers.contains("二次設備 有限会社"));
    let g = tiers::agreements(&app.state, &first).await.unwrap();
    let r = app
        .submit(
            &fb,
            "/ccus_owner/agreements",
            &format!("/ccus_owner/agreements/{}/accept", g[0].id),
            &[],
        )
        .await;
    assert_eq!(location(&r), "/ccus_owner/agreements?done=accept");
    // … so the 一次's registration of the 二次 takes effect at once.
    let r = app
        .submit(
            &fb,
            &site_path,
            &format!(
                "/ccus_owner/sites/{}/places/{first_place}/invite",
                site_id.as_str()
            ),
            &[(&format!("invite-{first_place}"), second_id.as_str())],
        )
        .await;
    assert!(location(&r).contains("done=placed"), "{}", location(&r));
    let second = ctx(&app, &second_id).await;
    let (second_place, state) = place_of(&app, &site_id, &second).await.unwrap();
    assert_eq!(state, PlacementState::Active);

    // Each lists workers: the 一次 its own technician at once, the 二次 its own too; the 一次
    // asks the 二次's technician, who consents on their own page.
    let worker = |place: PlacementId, id: &LoginId, trade: &str, position: &str| {
        let p = format!("w{place}-");
        vec![
            (format!("{p}login_id"), id.as_str().to_owned()),
            (format!("{p}trade"), trade.to_owned()),
            (format!("{p}position"), position.to_owned()),
            (format!("{p}work"), "躯体".to_owned()),
            (format!("{p}hazardous"), "no".to_owned()),
        ]
    };
    let post_worker = |b: reqwest::Client, place: PlacementId, fields: Vec<(String, String)>| {
        let app = &app;
        let action = format!(
            "/ccus_owner/sites/{}/places/{place}/workers",
            site_id.as_str()
        );
        let site_path = site_path.clone();
        async move {
            let f: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            app.submit(&b, &site_path, &action, &f).await
        }
    };
    let r = post_worker(
        fb.clone(),
        first_place,
        worker(first_place, &own, "tobi", "foreman"),
    )
    .await;
    assert!(location(&r).contains("done=listed"));
    let r = post_worker(
        sb.clone(),
        second_place,
        worker(second_place, &other, "plumbing", "worker"),
    )
    .await;
    assert!(location(&r).contains("done=listed"));
    // A hazardous job without the 特殊健康診断 is refused, with the form kept.
    let mut hazardous = worker(first_place, &other, "welding", "leader");
    hazardous[4].1 = "yes".into();
    let r = post_worker(fb.clone(), first_place, hazardous).await;
    assert_eq!(r.status(), 422);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("特殊健康診断の受診日を入力してください"));
    // The 二次's technician is already on this site's 名簿: one line per worker per site. The
    // 一次 is answered as for any other company's worker (asked), and nothing changes.
    let r = post_worker(
        fb.clone(),
        first_place,
        worker(first_place, &other, "welding", "leader"),
    )
    .await;
    assert!(location(&r).contains("done=asked"), "{}", location(&r));
    // Its own worker, listed twice, is told so.
    let r = post_worker(
        fb.clone(),
        first_place,
        worker(first_place, &own, "tobi", "foreman"),
    )
    .await;
    assert_eq!(r.status(), 422);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("すでにこの現場の作業員名簿に載っています"));

    // The worker sees the site on their own page.
    let tb = logged_in(&app, AccountKind::Technician, &other).await;
    let mine = text(&app, &tb, "/ccus_skill/sites").await;
    assert!(mine.contains("新宿駅西口ビル新築工事"));
    assert!(mine.contains("配管"));

    // The 元請 sees the whole tree and every 名簿, each worker as far as they chose to show:
    // nothing but the ID by default (非開示).
    let page = text(&app, &pb, &site_path).await;
    for l in [
        "一次工業 株式会社",
        "二次設備 有限会社",
        "1次",
        "2次",
        "事業者間合意",
        "とび",
        "職長",
    ] {
        assert!(page.contains(l), "{l}");
    }
    assert!(
        !page.contains("一次 職人"),
        "a worker's name is not disclosed by default"
    );
    assert!(!page.contains("応援 太郎"));
    // The employer sees its own worker by name.
    let page = text(&app, &fb, &site_path).await;
    assert!(page.contains("一次 職人"));

    // Every action is in each business's 操作の記録.
    let words = |log: Vec<ccus_app::audit::AuditEntry>| -> Vec<String> {
        log.iter()
            .map(|e| e.action_words(ccus_app::i18n::Lang::Ja))
            .collect()
    };
    let log = words(ccus_app::org::audit(&app.state, &prime).await.unwrap());
    for w in ["現場の登録", "施工体制の要請"] {
        assert!(log.iter().any(|l| l == w), "{w} in {log:?}");
    }
    let log = words(ccus_app::org::audit(&app.state, &first).await.unwrap());
    for w in [
        "施工体制の要請の承認",
        "事業者間合意の承諾",
        "施工体制への登録（事業者間合意）",
        "作業員名簿への追加",
    ] {
        assert!(log.iter().any(|l| l == w), "{w} in {log:?}");
    }

    // The helpdesk sees the tree.
    let (desk, _) = app.staff_browser(ccus_storage::StaffRole::Operator).await;
    let page = text(
        &app,
        &desk,
        &format!("/helpdesk/sites?site_id={}", site_id.as_str()),
    )
    .await;
    for l in [
        "株式会社 元請建設",
        "一次工業 株式会社",
        "二次設備 有限会社",
        "一次 職人",
        "応援 太郎",
    ] {
        assert!(page.contains(l), "{l}");
    }
}

async fn app_on(url: String) -> TestApp {
    use base64::Engine;
    spawn_app_with(url, |c| {
        c.staff.totp_key = base64::engine::general_purpose::STANDARD.encode([42u8; 32]);
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chain_is_built_by_request_approval_and_agreement_on_sqlite() {
    journey(app_on(testdb::sqlite_url()).await).await;
}

#[ccus_test_macros::postgres_variant]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chain_is_built_by_request_approval_and_agreement_on_postgres() {
    let Some(url) = testdb::postgres_url().await else {
        eprintln!("skipped: {} is not set", testdb::POSTGRES_ENV);
        return;
    };
    journey(app_on(url).await).await;
}

/// Bad requests are refused with their reason, and nothing is written.
async fn refusals(app: TestApp) {
    let a_id = person(&app, BIZ, "元請 A", "a@example.jp", None).await;
    let b_id = person(&app, BIZ, "一次 B", "b@example.jp", None).await;
    let c_id = person(&app, BIZ, "二次 C", "c@example.jp", None).await;
    let t_id = person(
        &app,
        AccountKind::Technician,
        "技能 者",
        "t@example.jp",
        None,
    )
    .await;
    let (a, b, c) = (
        ctx(&app, &a_id).await,
        ctx(&app, &b_id).await,
        ctx(&app, &c_id).await,
    );
    let site = new_site(&app, &a, "現場 甲").await;
    let top = root(&app, &site, &a).await;
    let refused = |o: InviteOutcome| match o {
        InviteOutcome::Refused(m) => m.key,
        other => panic!("{other:?}"),
    };
    let invite = |who: &OrgContext, under: PlacementId, typed: &str| {
        let (app, who, site, typed) = (&app, who.clone(), site.clone(), typed.to_owned());
        async move {
            tiers::invite(&app.state, &who, &site, under, &typed)
                .await
                .unwrap()
        }
    };
    // An unknown, a mistyped, a technician's ID, and the business itself.
    let unknown = LoginId::generate(AccountKind::Business, &mut rand::thread_rng());
    assert_eq!(
        refused(invite(&a, top, unknown.as_str()).await),
        "site-business-unknown"
    );
    assert_eq!(
        refused(invite(&a, top, "1234").await),
        "site-business-malformed"
    );
    assert_eq!(
        refused(invite(&a, top, t_id.as_str()).await),
        "site-business-not-business"
    );
    assert_eq!(
        refused(invite(&a, top, a_id.as_str()).await),
        "site-refused-itself"
    );
    // B asked, not yet approved: it cannot ask its own lower tier.
    assert!(matches!(
        invite(&a, top, b_id.as_str()).await,
        InviteOutcome::Requested { .. }
    ));
    let b_place = place_of(&app, &site, &b).await.unwrap().0;
    assert_eq!(
        refused(invite(&b, b_place, c_id.as_str()).await),
        "site-refused-not-approved"
    );
    // Asked twice (by anyone): one place per company per site.
    assert_eq!(
        refused(invite(&a, top, b_id.as_str()).await),
        "site-refused-already-asked"
    );
    assert_eq!(
        tiers::answer(&app.state, &b, b_place, true).await.unwrap(),
        AnswerOutcome::Approved
    );
    // A company above in the chain cannot be asked below it (a circle).
    assert_eq!(
        refused(invite(&b, b_place, a_id.as_str()).await),
        "site-refused-above"
    );
    // Nobody asks under a place that is not their own.
    assert!(matches!(
        invite(&c, b_place, c_id.as_str()).await,
        InviteOutcome::Forbidden
    ));
    // A 現場管理者 of the 元請 who does not run this site takes no company off it.
    let other = ccus_app::org::create_member(
        &app.state,
        &a,
        "別現場 次郎",
        "bekkan@example.jp",
        ccus_domain::org::Role::SiteManager,
        None,
    )
    .await
    .unwrap()
    .unwrap();
    let other = ccus_app::org::context(&app.state, &other.account)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        tiers::cancel(&app.state, &other, b_place).await.unwrap(),
        AnswerOutcome::Forbidden
    );
    let v = sites::view(&app.state, &other, &site).await.unwrap();
    assert!(v.is_none_or(|v| v.places.iter().all(|p| !p.may_cancel)));
    // A closed site takes no one: its open 要請 and 名簿 requests are withdrawn, and a late
    // 承認 or consent is told so.
    let stranger = person(
        &app,
        AccountKind::Technician,
        "他社 職人",
        "s@example.jp",
        Some(&c_id),
    )
    .await;
    let ask = WorkerForm {
        login_id: stranger.as_str().into(),
        trade: "tobi".into(),
        position: "worker".into(),
        ..WorkerForm::default()
    };
    for _ in 0..2 {
        // Asked twice: the same answer, whether the ID is someone's or not.
        assert_eq!(
            ccus_app::sites::roster::add_worker(&app.state, &b, &site, b_place, &ask)
                .await
                .unwrap(),
            RosterOutcome::Asked
        );
    }
    let stranger_account = app
        .state
        .store_for_tools()
        .accounts()
        .account_by_login_id(&stranger)
        .await
        .unwrap()
        .unwrap();
    let asked = ccus_app::sites::roster::my_sites(&app.state, &stranger_account)
        .await
        .unwrap();
    assert_eq!(asked.len(), 1);
    assert!(matches!(
        invite(&b, b_place, c_id.as_str()).await,
        InviteOutcome::Requested { .. }
    ));
    let c_place = place_of(&app, &site, &c).await.unwrap().0;
    assert_eq!(
        sites::set_closed(&app.state, &a, &site, true)
            .await
            .unwrap(),
        Some(true)
    );
    assert_eq!(
        tiers::answer(&app.state, &c, c_place, true).await.unwrap(),
        AnswerOutcome::NoLongerOpen
    );
    assert!(matches!(
        invite(&a, top, c_id.as_str()).await,
        InviteOutcome::Closed
    ));
    assert!(!ccus_app::sites::roster::answer_listing(
        &app.state,
        &stranger_account,
        asked[0].listing,
        true
    )
    .await
    .unwrap());
    assert!(
        ccus_app::sites::roster::my_sites(&app.state, &stranger_account)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        tiers::cancel(&app.state, &a, b_place).await.unwrap(),
        AnswerOutcome::Closed
    );
    let worker = WorkerForm {
        login_id: t_id.as_str().into(),
        trade: "tobi".into(),
        position: "worker".into(),
        ..WorkerForm::default()
    };
    assert_eq!(
        ccus_app::sites::roster::add_worker(&app.state, &b, &site, b_place, &worker)
            .await
            .unwrap(),
        RosterOutcome::Closed
    );
    assert_eq!(
        sites::set_closed(&app.state, &a, &site, false)
            .await
            .unwrap(),
        Some(true)
    );
    // An agreement both ways at once is one offer each way; the same way twice is refused.
    assert_eq!(
        tiers::offer_agreement(&app.state, &a, b_id.as_str(), true, false)
            .await
            .unwrap(),
        AgreementOutcome::Done
    );
    assert!(matches!(
        tiers::offer_agreement(&app.state, &b, a_id.as_str(), false, false)
            .await
            .unwrap(),
        AgreementOutcome::Refused(_)
    ));
    let g = tiers::agreements(&app.state, &a).await.unwrap()[0].id;
    // The side that offered cannot accept its own offer.
    assert_eq!(
        tiers::step_agreement(&app.state, &a, g, AgreementStep::Accept)
            .await
            .unwrap(),
        AgreementOutcome::Forbidden
    );
}

/// 代理手続き and patterns: under a 合意 with 代理手続き the upper tier asks the lower one's own
/// lower tiers and lists its workers; a saved chain and crew are applied to the next site.
async fn proxy_and_patterns(app: TestApp) {
    use ccus_app::sites::patterns::{self, Applied, PatternKind, SaveOutcome};
    let a_id = person(&app, BIZ, "元請 A", "a@example.jp", None).await;
    let b_id = person(&app, BIZ, "一次 B", "b@example.jp", None).await;
    let c_id = person(&app, BIZ, "二次 C", "c@example.jp", None).await;
    let d_id = person(&app, BIZ, "三次 D", "d@example.jp", None).await;
    let crew = person(
        &app,
        AccountKind::Technician,
        "二次 職人",
        "crew@example.jp",
        Some(&c_id),
    )
    .await;
    let (a, b, c) = (
        ctx(&app, &a_id).await,
        ctx(&app, &b_id).await,
        ctx(&app, &c_id).await,
    );
    // B and C agree, C as the lower tier, with 代理手続き.
    assert_eq!(
        tiers::offer_agreement(&app.state, &b, c_id.as_str(), true, true)
            .await
            .unwrap(),
        AgreementOutcome::Done
    );
    let g = tiers::agreements(&app.state, &c).await.unwrap()[0].id;
    assert_eq!(
        tiers::step_agreement(&app.state, &c, g, AgreementStep::Accept)
            .await
            .unwrap(),
        AgreementOutcome::Done
    );
    let site = new_site(&app, &a, "代理 現場").await;
    let top = root(&app, &site, &a).await;
    tiers::invite(&app.state, &a, &site, top, b_id.as_str())
        .await
        .unwrap();
    let bp = place_of(&app, &site, &b).await.unwrap().0;
    tiers::answer(&app.state, &b, bp, true).await.unwrap();
    // C is placed at once, under the 合意.
    assert!(matches!(
        tiers::invite(&app.state, &b, &site, bp, c_id.as_str())
            .await
            .unwrap(),
        InviteOutcome::Placed { .. }
    ));
    let cp = place_of(&app, &site, &c).await.unwrap().0;
    // B acts for C: asks D under C's place, and lists C's own worker on C's 名簿.
    assert!(matches!(
        tiers::invite(&app.state, &b, &site, cp, d_id.as_str())
            .await
            .unwrap(),
        InviteOutcome::Requested { .. }
    ));
    let worker = WorkerForm {
        login_id: crew.as_str().into(),
        trade: "hvac".into(),
        position: "leader".into(),
        ..WorkerForm::default()
    };
    assert_eq!(
        ccus_app::sites::roster::add_worker(&app.state, &b, &site, cp, &worker)
            .await
            .unwrap(),
        RosterOutcome::Listed,
        "C's own technician, listed by B for C"
    );
    // A, without such a 合意, acts for nobody under it.
    assert!(matches!(
        tiers::invite(&app.state, &a, &site, cp, d_id.as_str())
            .await
            .unwrap(),
        InviteOutcome::Forbidden
    ));

    // C saves its crew, B its chain; both are applied to the next site.
    assert_eq!(
        patterns::save(&app.state, &c, &site, PatternKind::Roster, "いつもの班")
            .await
            .unwrap(),
        SaveOutcome::Saved(1)
    );
    assert_eq!(
        patterns::save(&app.state, &b, &site, PatternKind::Tiers, "空調の協力会社")
            .await
            .unwrap(),
        SaveOutcome::Saved(1)
    );
    assert!(matches!(
        patterns::save(&app.state, &a, &site, PatternKind::Roster, "空")
            .await
            .unwrap(),
        SaveOutcome::Refused(_)
    ));
    let next = new_site(&app, &a, "次の 現場").await;
    let top = root(&app, &next, &a).await;
    tiers::invite(&app.state, &a, &next, top, b_id.as_str())
        .await
        .unwrap();
    let bp = place_of(&app, &next, &b).await.unwrap().0;
    tiers::answer(&app.state, &b, bp, true).await.unwrap();
    let chain = patterns::patterns(&app.state, &b, PatternKind::Tiers)
        .await
        .unwrap()[0]
        .id;
    let applied = patterns::apply(&app.state, &b, &next, bp, chain)
        .await
        .unwrap()
        .unwrap();
    assert!(
        matches!(applied[0].1, Applied::Invite(InviteOutcome::Placed { .. })),
        "{applied:?}"
    );
    let cp = place_of(&app, &next, &c).await.unwrap().0;
    let crew_pattern = patterns::patterns(&app.state, &c, PatternKind::Roster)
        .await
        .unwrap()[0]
        .id;
    let applied = patterns::apply(&app.state, &c, &next, cp, crew_pattern)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(applied[0].1, Applied::Worker(RosterOutcome::Listed));
    let v = sites::view(&app.state, &c, &next).await.unwrap().unwrap();
    let w = &v.place(cp).unwrap().workers[0];
    assert_eq!(
        (w.fields.trade.as_str(), w.fields.position),
        ("hvac", ccus_domain::site::Position::Leader)
    );

    // C deletes its pattern from the site's page; it is gone from the page and the list.
    let browser = logged_in(&app, BIZ, &c_id).await;
    let page_path = format!("/ccus_owner/sites/{}", next.as_str());
    let page = text(&app, &browser, &page_path).await;
    assert!(page.contains("保存したパターン") && page.contains("いつもの班"));
    let r = app
        .submit(
            &browser,
            &page_path,
            &format!("{page_path}/patterns/{}/delete", crew_pattern.get()),
            &[],
        )
        .await;
    assert_eq!(
        r.headers()["location"].to_str().unwrap(),
        format!("{page_path}?done=pattern-deleted")
    );
    assert!(patterns::patterns(&app.state, &c, PatternKind::Roster)
        .await
        .unwrap()
        .is_empty());
    let page = text(&app, &browser, &format!("{page_path}?done=pattern-deleted")).await;
    assert!(page.contains("パターンを削除しました") && !page.contains("いつもの班"));
    // Another business's pattern is not C's to delete.
    let r = app
        .submit(
            &browser,
            &page_path,
            &format!("{page_path}/patterns/{}/delete", chain.get()),
            &[],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        patterns::patterns(&app.state, &b, PatternKind::Tiers)
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upper_tier_acts_for_its_lower_one_and_patterns_save_typing_on_sqlite() {
    proxy_and_patterns(app_on(testdb::sqlite_url()).await).await;
}

#[ccus_test_macros::postgres_variant]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upper_tier_acts_for_its_lower_one_and_patterns_save_typing_on_postgres() {
    let Some(url) = testdb::postgres_url().await else {
        eprintln!("skipped: {} is not set", testdb::POSTGRES_ENV);
        return;
    };
    proxy_and_patterns(app_on(url).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_are_refused_with_their_reason_on_sqlite() {
    refusals(app_on(testdb::sqlite_url()).await).await;
}

#[ccus_test_macros::postgres_variant]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_are_refused_with_their_reason_on_postgres() {
    let Some(url) = testdb::postgres_url().await else {
        eprintln!("skipped: {} is not set", testdb::POSTGRES_ENV);
        return;
    };
    refusals(app_on(url).await).await;
}

/// Races, each tried many times at once: exactly one defined outcome every time.
async fn races(app: TestApp) {
    let a_id = person(&app, BIZ, "元請 A", "a@example.jp", None).await;
    let b_id = person(&app, BIZ, "一次 B", "b@example.jp", None).await;
    let d_id = person(&app, BIZ, "一次 D", "d@example.jp", None).await;
    let c_id = person(&app, BIZ, "二次 C", "c@example.jp", None).await;
    let (a, b, c, d) = (
        ctx(&app, &a_id).await,
        ctx(&app, &b_id).await,
        ctx(&app, &c_id).await,
        ctx(&app, &d_id).await,
    );
    for round in 0..6 {
        let site = new_site(&app, &a, &format!("競合 {round}")).await;
        let top = root(&app, &site, &a).await;
        for (who, id) in [(&b, &b_id), (&d, &d_id)] {
            tiers::invite(&app.state, &a, &site, top, id.as_str())
                .await
                .unwrap();
            let p = place_of(&app, &site, who).await.unwrap().0;
            tiers::answer(&app.state, who, p, true).await.unwrap();
        }
        let (bp, dp) = (
            place_of(&app, &site, &b).await.unwrap().0,
            place_of(&app, &site, &d).await.unwrap().0,
        );
        // Two upper tiers ask the same company at once: one 要請 stands, the other is told.
        let (x, y) = tokio::join!(
            tiers::invite(&app.state, &b, &site, bp, c_id.as_str()),
            tiers::invite(&app.state, &d, &site, dp, c_id.as_str()),
        );
        let outcomes = [x.unwrap(), y.unwrap()];
        let asked = outcomes
            .iter()
            .filter(|o| matches!(o, InviteOutcome::Requested { .. }))
            .count();
        assert_eq!(asked, 1, "{outcomes:?}");
        assert!(outcomes.iter().any(
            |o| matches!(o, InviteOutcome::Refused(m) if m.key == "site-refused-already-asked")
        ));
        let cp = place_of(&app, &site, &c).await.unwrap().0;
        let upper = if matches!(outcomes[0], InviteOutcome::Requested { .. }) {
            &b
        } else {
            &d
        };
        // A 承認 meets a 取消 (odd rounds) or the site's closing (even rounds).
        let (answer, other) = if round % 2 == 1 {
            let (x, y) = tokio::join!(
                tiers::answer(&app.state, &c, cp, true),
                tiers::cancel(&app.state, upper, cp),
            );
            (x.unwrap(), format!("{:?}", y.unwrap()))
        } else {
            let (x, y) = tokio::join!(
                tiers::answer(&app.state, &c, cp, true),
                sites::set_closed(&app.state, &a, &site, true),
            );
            (x.unwrap(), format!("{:?}", y.unwrap()))
        };
        let now = place_of(&app, &site, &c).await.map(|p| p.1);
        match answer {
            // Approved first: withdrawing it afterwards takes the company off; closing keeps it.
            AnswerOutcome::Approved => {
                if round % 2 == 1 {
                    assert_eq!(other, "Cancelled");
                    assert_eq!(now, None);
                } else {
                    assert_eq!(now, Some(PlacementState::Active));
                }
            }
            // The 取消 or the closing came first: the 要請 is gone, and the late 承認 is told.
            AnswerOutcome::NoLongerOpen => assert_eq!(now, None, "{other}"),
            o => panic!("{o:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn races_end_one_defined_way_on_sqlite() {
    races(app_on(testdb::sqlite_url()).await).await;
}

#[ccus_test_macros::postgres_variant]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn races_end_one_defined_way_on_postgres() {
    let Some(url) = testdb::postgres_url().await else {
        eprintln!("skipped: {} is not set", testdb::POSTGRES_ENV);
        return;
    };
    races(app_on(url).await).await;
}
