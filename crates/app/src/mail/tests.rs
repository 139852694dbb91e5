//! Every mail, in every language, with the same links and IDs.

use super::*;
use crate::account::mails::*;
use crate::auth::mails::*;
use crate::inquiries::mails::*;
use crate::links::{LinkPurpose, MailedLink};
use crate::org::mails::*;
use crate::recovery::mails::*;
use crate::registration::mails::*;
use crate::sites::mails::*;
use ccus_domain::registration::{ApplicationKind, DefectCode, Field};
use ccus_domain::ApplicationId;
use ccus_domain::{org::Role, AccountId, LoginId};
use ccus_storage::Account;

use rand::SeedableRng;

const BASE: &str = "https://ccus.example.jp";

async fn app() -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = ccus_storage::Store::connect(&format!("sqlite://{}/ccus.db", dir.path().display()))
        .await
        .unwrap();
    let mut c = crate::config::Config::default();
    c.hashing.memory_kib = 1024;
    c.hashing.iterations = 1;
    c.public_url = format!("{BASE}/");
    let app = App::new(c, store, std::sync::Arc::new(ccus_domain::SystemClock))
        .await
        .unwrap();
    (app, dir)
}

fn account(kind: AccountKind, manager: bool, name: &str, seed: u64) -> Account {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    Account {
        id: AccountId::new(1),
        login_id: if manager {
            LoginId::generate_manager(&mut rng)
        } else {
            LoginId::generate(kind, &mut rng)
        },
        name: name.into(),
        email: "a@example.jp".into(),
        created_at: Timestamp(0),
        must_change_password: false,
        profile: Default::default(),
    }
}

/// A link of `purpose` with `token`, as [`crate::links::mint`] makes it.
fn mailed(app: &App, purpose: LinkPurpose, token: &str) -> MailedLink {
    MailedLink {
        purpose,
        url: crate::links::url(app, purpose, token),
        expires_at: Timestamp(0),
        lifetime: purpose.lifetime(app.config()),
    }
}

/// Every mail with the same data, in `lang`: (what, mail, what each language must carry).
fn every_mail(app: &App, lang: Lang) -> Vec<(&'static str, NewMail, Vec<String>)> {
    let t = account(AccountKind::Technician, false, "建設 太郎", 1);
    let b = account(AccountKind::Business, false, "株式会社テスト", 2);
    let m = account(AccountKind::Business, true, "管理 花子", 3);
    let client = ClientInfo {
        address: "192.0.2.1".into(),
        user_agent: "Mozilla/5.0 Firefox/120.0".into(),
    };
    let at = Timestamp(1_700_000_000_000);
    let (tid, bid, mid) = (
        t.login_id.grouped(),
        b.login_id.grouped(),
        m.login_id.grouped(),
    );
    let when = at.jst();
    let s = |v: &[&str]| v.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
    let party = |a: &Account| ccus_storage::Party {
        id: a.id,
        login_id: a.login_id.clone(),
        name: a.name.clone(),
    };
    let site = ccus_storage::Site {
        key: ccus_domain::SiteKey::new(1),
        site_id: ccus_domain::SiteId::generate(&mut rand::rngs::StdRng::seed_from_u64(9)),
        prime: party(&b),
        tier_id: None,
        manager: party(&b),
        name: "見本ビル新築工事".into(),
        order_kind: ccus_domain::site::OrderKind::Private,
        records_from: time::macros::date!(2026 - 04 - 01),
        records_to: time::macros::date!(2027 - 03 - 31),
        hazardous: false,
        state: ccus_domain::site::SiteState::Open,
        created_at: at,
        updated_at: at,
        closed_at: None,
    };
    let sid = site.site_id.grouped();
    vec![
        (
            "placement_requested",
            placement_requested(app, lang, &b, &site, "株式会社 元請", false),
            s(&[
                "株式会社 元請",
                "見本ビル新築工事",
                &sid,
                "/ccus_owner/login",
            ]),
        ),
        (
            "placement_requested (at once)",
            placement_requested(app, lang, &b, &site, "株式会社 元請", true),
            s(&[
                "株式会社 元請",
                "見本ビル新築工事",
                &sid,
                "/ccus_owner/login",
            ]),
        ),
        (
            "placement_answered (approved)",
            placement_answered(app, lang, &b, &site, "一次工業", true),
            s(&["一次工業", &sid]),
        ),
        (
            "placement_answered (declined)",
            placement_answered(app, lang, &b, &site, "一次工業", false),
            s(&["一次工業", &sid]),
        ),
        (
            "placement_cancelled",
            placement_cancelled(app, lang, &b, &site, "株式会社 元請"),
            s(&["株式会社 元請", &sid]),
        ),
        (
            "agreement_offered (upper)",
            agreement_offered(app, lang, &b, "二次設備", true, true),
            s(&["二次設備", "/ccus_owner/login"]),
        ),
        (
            "agreement_offered (lower)",
            agreement_offered(app, lang, &b, "二次設備", false, false),
            s(&["二次設備"]),
        ),
        (
            "listing_asked",
            listing_asked(app, lang, &t, &site, "一次工業"),
            s(&["一次工業", &sid, "/ccus_skill/login"]),
        ),
        (
            "registered",
            registered(app, lang, &t),
            s(&[&tid, "建設 太郎", "/ccus_skill/login"]),
        ),
        (
            "registered (business)",
            registered(app, lang, &b),
            s(&[&bid, "/ccus_owner/login"]),
        ),
        (
            "member_invitation",
            member_invitation(
                app,
                lang,
                &m,
                "株式会社テスト",
                Role::TierManager,
                &mailed(app, LinkPurpose::Invite(m.kind()), "TOK1"),
            ),
            s(&[
                &mid,
                "株式会社テスト",
                "/ccus_owner/login",
                "/ccus_owner/password/reset?token=TOK1",
                "30",
            ]),
        ),
        (
            "inquiry_received",
            inquiry_received(
                app,
                lang,
                "q@example.jp",
                "Q20240101-00000001",
                "ID照会",
                "2024-01-05",
            ),
            s(&["Q20240101-00000001", "2024-01-05", &format!("{BASE}/faq")]),
        ),
        (
            "inquiry_reply",
            inquiry_reply(lang, "q@example.jp", "Q20240101-00000001", "回答本文です。"),
            s(&["Q20240101-00000001", "回答本文です。"]),
        ),
        (
            "email_confirm",
            email_confirm(
                lang,
                &t,
                "new@example.jp",
                &mailed(app, LinkPurpose::EmailConfirm(t.kind()), "TOK2"),
            ),
            s(&["/ccus_skill/email/confirm?token=TOK2", "30"]),
        ),
        (
            "email_changed",
            email_changed(app, lang, &t, "old@example.jp", &client, at),
            s(&[&tid, &when, "192.0.2.1", "Firefox"]),
        ),
        (
            "applicant_confirm",
            applicant_confirm(
                lang,
                "ap@example.jp",
                &MailedLink {
                    lifetime: std::time::Duration::from_secs(24 * 60 * 60),
                    ..mailed(app, LinkPurpose::ApplicantConfirm, "TOK3")
                },
            ),
            s(&["/apply/confirm?token=TOK3", "24"]),
        ),
        (
            "applicant_reset_link",
            applicant_reset_link(
                lang,
                "ap@example.jp",
                &mailed(app, LinkPurpose::ApplicantReset, "TOK5"),
            ),
            s(&["/apply/password/reset?token=TOK5", "30"]),
        ),
        (
            "applicant_password_changed",
            applicant_password_changed(app, lang, "ap@example.jp", &client, at),
            s(&[&when, "192.0.2.1", "/apply/password/forgot"]),
        ),
        (
            "applicant_exists",
            applicant_exists(app, lang, "ap@example.jp"),
            s(&["/apply/login"]),
        ),
        (
            "application_received",
            application_received(
                app,
                lang,
                "ap@example.jp",
                ApplicationId::new(12),
                ApplicationKind::Technician,
                4900,
            ),
            s(&["12", "4,900", "/apply/home"]),
        ),
        (
            "application_received (business)",
            application_received(
                app,
                lang,
                "ap@example.jp",
                ApplicationId::new(13),
                ApplicationKind::Business,
                1_200_000,
            ),
            s(&["13", "1,200,000", "/apply/home"]),
        ),
        (
            "application_returned",
            application_returned(
                app,
                lang,
                "ap@example.jp",
                ApplicationId::new(12),
                &[
                    (Field::Name, DefectCode::Missing, String::new()),
                    (
                        Field::Address,
                        DefectCode::Other,
                        " 番地がありません ".into(),
                    ),
                ],
                at,
            ),
            s(&[
                "12",
                "番地がありません",
                "/apply/home",
                &at.jst_not_before(),
            ]),
        ),
        (
            "returned_expiring",
            returned_expiring(app, lang, "ap@example.jp", ApplicationId::new(12), at),
            s(&["12", "/apply/home", &at.jst_not_before()]),
        ),
        (
            "application_rejected",
            application_rejected(
                app,
                lang,
                "ap@example.jp",
                ApplicationId::new(12),
                "同じ方の登録があります",
            ),
            s(&["12", "同じ方の登録があります", "/apply/home"]),
        ),
        (
            "card_reissued",
            card_reissued(app, lang, &t),
            s(&[&tid, "/ccus_skill/login"]),
        ),
        (
            "application_approved",
            application_approved(app, lang, "ap@example.jp", ApplicationId::new(12), 4900),
            s(&["「12」", "4,900", "/apply/home"]),
        ),
        (
            "consent_request",
            consent_request(
                lang,
                "w@example.jp",
                "山田 一郎",
                "株式会社テスト",
                &mailed(app, LinkPurpose::Consent, "TOK4"),
            ),
            s(&[
                "山田 一郎",
                "株式会社テスト",
                "/apply/consent?token=TOK4",
                "14",
            ]),
        ),
        (
            "consent_answered (yes)",
            consent_answered(
                app,
                lang,
                "b@example.jp",
                ApplicationId::new(12),
                "山田 一郎",
                true,
            ),
            s(&["12", "山田 一郎", "/apply/home"]),
        ),
        (
            "consent_answered (no)",
            consent_answered(
                app,
                lang,
                "b@example.jp",
                ApplicationId::new(12),
                "山田 一郎",
                false,
            ),
            s(&["12", "山田 一郎", "/apply/home"]),
        ),
        (
            "proxy_issued",
            proxy_issued(
                app,
                lang,
                "b@example.jp",
                ApplicationId::new(12),
                "山田 一郎",
                &tid,
            ),
            s(&["12", "山田 一郎", &tid, "/apply/home"]),
        ),
        (
            "affiliation_requested",
            affiliation_requested(app, lang, &t, "株式会社テスト"),
            s(&["株式会社テスト", "/ccus_skill/login"]),
        ),
        (
            "affiliation_changed (accepted)",
            affiliation_changed(app, lang, &b, &t, AffiliationChange::Accepted),
            s(&["建設 太郎", &tid, "/ccus_owner/technicians"]),
        ),
        (
            "affiliation_changed (declined)",
            affiliation_changed(app, lang, &b, &t, AffiliationChange::Declined),
            s(&[&tid, "/ccus_owner/technicians"]),
        ),
        (
            "affiliation_changed (moved away)",
            affiliation_changed(app, lang, &b, &t, AffiliationChange::MovedAway),
            s(&["建設 太郎", &tid, "/ccus_owner/technicians"]),
        ),
        (
            "affiliation_changed (left)",
            affiliation_changed(app, lang, &b, &t, AffiliationChange::Left),
            s(&["建設 太郎", &tid, "/ccus_owner/technicians"]),
        ),
        (
            "affiliation_ended",
            affiliation_ended(app, lang, &t, "株式会社テスト"),
            s(&["株式会社テスト", "/ccus_skill/login"]),
        ),
        (
            "passkey_changed (added)",
            passkey_changed(app, lang, &t, "My key", true, &client, at),
            s(&["「My key」", &when, "/ccus_skill/login"]),
        ),
        (
            "passkey_changed (removed)",
            passkey_changed(app, lang, &m, "My key", false, &client, at),
            s(&["「My key」", &when, "/ccus_owner/login"]),
        ),
        (
            "reset_link",
            reset_link(
                lang,
                &t,
                &mailed(app, LinkPurpose::Reset(t.kind()), "TOK5"),
                &client,
                at,
            ),
            s(&["/ccus_skill/password/reset?token=TOK5", &when]),
        ),
        (
            "reset_link_from_helpdesk",
            reset_link_from_helpdesk(
                lang,
                &t,
                &mailed(app, LinkPurpose::Reset(t.kind()), "TOK6"),
                at,
            ),
            s(&["/ccus_skill/password/reset?token=TOK6", &when]),
        ),
        (
            "reset_link_from_org",
            reset_link_from_org(
                lang,
                &m,
                &mailed(app, LinkPurpose::Reset(m.kind()), "TOK7"),
                "株式会社テスト",
                at,
            ),
            s(&["/ccus_owner/password/reset?token=TOK7", "株式会社テスト"]),
        ),
        (
            "password_changed",
            password_changed(app, lang, &t, PasswordSet::Changed, &client, at),
            s(&[&tid, &when, "/ccus_skill/password/forgot"]),
        ),
        (
            "id_reminder",
            id_reminder(app, lang, "a@example.jp", &[t.clone(), m.clone()]),
            s(&[&tid, &mid, "/ccus_skill/login", "/ccus_owner/login"]),
        ),
        (
            "locked",
            locked(
                app,
                lang,
                &t,
                at,
                &mailed(app, LinkPurpose::Unlock(t.kind()), "TOK8"),
                &client,
                at,
            ),
            s(&["/ccus_skill/unlock?token=TOK8", &when]),
        ),
    ]
}

#[tokio::test]
async fn every_mail_comes_in_each_language_with_the_same_links_and_ids() {
    let (app, _dir) = app().await;
    let ja = every_mail(&app, Lang::Ja);
    let en = every_mail(&app, Lang::En);
    let easy = every_mail(&app, Lang::Easy);
    for ((what, ja, facts), ((_, en, _), (_, easy, _))) in ja.iter().zip(en.iter().zip(easy.iter()))
    {
        assert!(
            ja.subject.starts_with("【建設キャリアアップシステム】"),
            "{what}"
        );
        assert!(
            en.subject.starts_with("[Construction Career Up System] ") && en.subject.is_ascii(),
            "{what}: {}",
            en.subject
        );
        for (lang, m) in [("en", en), ("easy", easy)] {
            assert_eq!(m.to, ja.to, "{what}");
            assert_ne!(m.subject, ja.subject, "{what} in {lang}");
            assert_ne!(m.body, ja.body, "{what} in {lang}");
            assert!(!m.body.contains("mail-"), "{what} in {lang}: a key shows");
            // Every link of the Japanese mail, and every fact, is there too.
            for word in ja.body.split_whitespace().filter(|w| w.contains("://")) {
                assert!(m.body.contains(word), "{what} in {lang} lacks {word}");
            }
            for fact in facts {
                assert!(
                    ja.body.contains(fact.as_str()),
                    "{what}: {fact} in Japanese"
                );
                assert!(
                    m.body.contains(fact.trim_matches(['「', '」'])),
                    "{what} in {lang} lacks {fact}:\n{}",
                    m.body
                );
            }
            assert_eq!(
                m.body.lines().filter(|l| l.contains("://")).count(),
                ja.body.lines().filter(|l| l.contains("://")).count(),
                "{what} in {lang}"
            );
        }
        assert_ne!(en.body, easy.body, "{what}");
        assert!(ja.body.ends_with(
            "――――――――――――――――――――――――――\n建設キャリアアップシステム（CCUS）\nこのメールは送信専用です。ご返信いただいてもお答えできません。\n"
        ));
        assert!(en.body.contains("Construction Career Up System (CCUS)"));
    }
}

#[tokio::test]
async fn the_japanese_stays_as_it_was() {
    let (app, _dir) = app().await;
    let t = account(AccountKind::Technician, false, "建設 太郎", 1);
    let m = registered(&app, Lang::Ja, &t);
    assert_eq!(
        m.subject,
        "【建設キャリアアップシステム】登録完了のお知らせ"
    );
    assert!(m.body.starts_with(&format!(
        "建設 太郎 様\n\n技能者としての登録が完了しました。\n\n技能者ID: {}\nログイン画面: {BASE}/ccus_skill/login\n\n",
        t.login_id.grouped()
    )));
    let m = application_returned(
        &app,
        Lang::Ja,
        "ap@example.jp",
        ApplicationId::new(12),
        &[
            (Field::Name, DefectCode::Missing, String::new()),
            (Field::Address, DefectCode::Other, "番地がありません".into()),
        ],
        Timestamp(1_700_000_000_000),
    );
    assert!(m.body.starts_with(
        "登録の申請（申請番号 12）の審査で、次の項目に不備がありました。\n\n・氏名: 記載漏れ\n・住所: その他（審査担当者のコメント: 番地がありません）\n\n"
    ));
    let m = affiliation_changed(
        &app,
        Lang::Ja,
        &account(AccountKind::Business, false, "株式会社テスト", 2),
        &t,
        AffiliationChange::Declined,
    );
    assert!(m.body.contains(&format!(
        "技能者ID {} への所属の依頼は、辞退されました。",
        t.login_id.grouped()
    )));
    // The names the mails give items, reasons, roles and kinds are the ones of the pages.
    for f in Field::ALL {
        assert_eq!(field_in(Lang::Ja, f), f.label_ja());
        assert_ne!(field_in(Lang::En, f), f.label_ja());
    }
    for c in DefectCode::ALL {
        assert_eq!(defect_in(Lang::Ja, c), c.label_ja());
    }
    for r in Role::ALL {
        assert_eq!(role_in(Lang::Ja, r), r.label_ja());
    }
    for (value, _) in [
        ("ID照会", ()),
        ("パスワード・ロック", ()),
        ("登録メールアドレス変更", ()),
        ("その他", ()),
    ] {
        assert_eq!(inquiry_category_in(Lang::Ja, value), value);
        assert!(inquiry_category_in(Lang::En, value).is_ascii());
    }
    assert_eq!(inquiry_category_in(Lang::En, "自由な種類"), "自由な種類");
}
