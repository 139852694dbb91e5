use std::collections::HashSet;

use ccus_domain::Timestamp;
use ccus_storage::StoredAuditEntry;

use super::*;
use crate::i18n::{text_in, Lang};

/// A valid 14-digit ID starting with `first13` (its check digit found by trying).
fn id(first13: &str) -> String {
    (0..10)
        .map(|d| format!("{first13}{d}"))
        .find(|s| ccus_domain::LoginId::parse(s).is_ok())
        .unwrap_or_default()
}

fn grouped(first13: &str) -> String {
    ccus_domain::LoginId::parse(&id(first13))
        .map(|i| i.grouped())
        .unwrap_or_default()
}

fn tier(level: u8, name: &str) -> Option<TierRef> {
    Some(TierRef {
        level,
        name: name.into(),
    })
}

/// One detail of every shape (the match in [`shape`] fails to compile when one is added).
fn samples() -> Vec<AuditDetail> {
    let client = || {
        (
            "192.0.2.1".to_owned(),
            "Mozilla/5.0 Chrome/130.0".to_owned(),
        )
    };
    vec![
        AuditDetail::Nothing,
        AuditDetail::Connection {
            address: client().0,
            user_agent: client().1,
        },
        AuditDetail::SignInRefused {
            address: client().0,
            user_agent: client().1,
            why: SignInRefusal::WrongPasswordNowLocked,
        },
        AuditDetail::InitialPasswordReplaced,
        AuditDetail::StaffMember {
            staff_id: "S0000001".into(),
        },
        AuditDetail::Passkey {
            name: "仕事用スマホ".into(),
        },
        AuditDetail::SentTo {
            email: "taro@example.jp".into(),
        },
        AuditDetail::Unlocked {
            id_was_locked: true,
            browsers_locked: 2,
        },
        AuditDetail::EmailChanged {
            old: "old@example.jp".into(),
            new: "new@example.jp".into(),
            passkeys_removed: 1,
        },
        AuditDetail::Inquiry {
            receipt: "Q-20260401-0001".into(),
        },
        AuditDetail::InquiryStatus {
            receipt: "Q-20260401-0001".into(),
            status: "in_progress".into(),
        },
        AuditDetail::InquiryReply {
            receipt: "Q-20260401-0001".into(),
            email: "asker@example.jp".into(),
        },
        AuditDetail::InquiryFile {
            file: 7,
            name: "免許証.jpg".into(),
        },
        AuditDetail::MaintenanceWindow {
            window: 3,
            starts_at: 1_800_000_000,
            ends_at: 1_800_007_200,
        },
        AuditDetail::MaintenanceCancelled { window: 3 },
        AuditDetail::Notice {
            notice: 4,
            title: "年末年始の窓口".into(),
        },
        AuditDetail::Faq {
            faq: 5,
            question: "IDを忘れた".into(),
            lang: "ja".into(),
            translates: None,
        },
        AuditDetail::Faq {
            faq: 6,
            question: "I forgot my ID".into(),
            lang: "en".into(),
            translates: Some(5),
        },
        AuditDetail::Application {
            application: ApplicationId::new(12),
        },
        AuditDetail::Returned {
            application: ApplicationId::new(12),
            defects: vec![
                DefectRef {
                    field: "phone".into(),
                    code: "mismatch".into(),
                },
                DefectRef {
                    field: "postal_code".into(),
                    code: "document".into(),
                },
            ],
        },
        AuditDetail::Payment {
            application: ApplicationId::new(12),
            reference: "FURI-0001".into(),
        },
        AuditDetail::IdIssued {
            application: ApplicationId::new(12),
            id_kind: "technician".into(),
            login_id: id("1000000000000"),
        },
        AuditDetail::Document {
            application: ApplicationId::new(12),
            document: "photo".into(),
            name: "face.jpg".into(),
        },
        AuditDetail::Corrected {
            application: ApplicationId::new(12),
            field: "postal_code".into(),
            old: "１００－００１３".into(),
            new: "100-0014".into(),
        },
        AuditDetail::CardReissued {
            application: ApplicationId::new(12),
            id_kind: "business".into(),
            login_id: id("3000000000000"),
        },
        AuditDetail::Tier {
            level: 2,
            name: "第一工事部".into(),
            parent: tier(1, "東京支店"),
        },
        AuditDetail::MemberIssued {
            name: "現場 次郎".into(),
            login_id: id("3000000000000"),
            role: "site_manager".into(),
            place: None,
        },
        AuditDetail::Person {
            name: "現場 次郎".into(),
            login_id: id("3000000000000"),
        },
        AuditDetail::Technician {
            login_id: id("1000000000000"),
        },
        AuditDetail::Site {
            site_id: "70000000000000".into(),
            name: "新宿駅前ビル新築工事".into(),
        },
        AuditDetail::SitePlacement {
            site_id: "70000000000000".into(),
            name: "新宿駅前ビル新築工事".into(),
            business_id: id("3000000000000"),
            business_name: "株式会社一次".into(),
        },
        AuditDetail::SiteWorker {
            site_id: "70000000000000".into(),
            name: "新宿駅前ビル新築工事".into(),
            login_id: id("1000000000000"),
        },
        AuditDetail::Agreement {
            business_id: id("3000000000000"),
            business_name: "株式会社二次".into(),
            proxy: true,
        },
        AuditDetail::Pattern {
            pattern: "roster".into(),
            name: "いつもの班".into(),
            entries: 4,
        },
        AuditDetail::SiteMoved {
            site_id: "70000000000000".into(),
            business_id: id("3000000000000"),
            from: id("3000000000001"),
            to: id("3000000000002"),
        },
        AuditDetail::Reader {
            site_id: "70000000000000".into(),
            name: "新宿駅前ビル新築工事".into(),
            reader: "正門ゲート".into(),
            hint: "ccusr_AbCd".into(),
        },
        AuditDetail::WorkDay {
            site_id: "70000000000000".into(),
            name: "新宿駅前ビル新築工事".into(),
            login_id: id("1000000000000"),
            day: "2026-12-01".into(),
        },
        AuditDetail::Card {
            login_id: id("1000000000000"),
            number: "0123456789ABCDEF".into(),
        },
        AuditDetail::ApiClient {
            client_id: "ccusc_AbCdEfGhIjKlMnOpQrStUv".into(),
            name: "ゲート太郎".into(),
            change: "state=certified".into(),
        },
        AuditDetail::ApiGrant {
            client_id: "ccusc_AbCdEfGhIjKlMnOpQrStUv".into(),
            name: "ゲート太郎".into(),
            scopes: "sites:read records:read".into(),
        },
        AuditDetail::Recorded("昔の記録".into()),
    ]
}

fn shape(d: &AuditDetail) -> usize {
    match d {
        AuditDetail::Nothing => 0,
        AuditDetail::Connection { .. } => 1,
        AuditDetail::SignInRefused { .. } => 2,
        AuditDetail::InitialPasswordReplaced => 3,
        AuditDetail::StaffMember { .. } => 4,
        AuditDetail::Passkey { .. } => 5,
        AuditDetail::SentTo { .. } => 6,
        AuditDetail::Unlocked { .. } => 7,
        AuditDetail::EmailChanged { .. } => 8,
        AuditDetail::Inquiry { .. } => 9,
        AuditDetail::InquiryStatus { .. } => 10,
        AuditDetail::InquiryReply { .. } => 11,
        AuditDetail::InquiryFile { .. } => 12,
        AuditDetail::MaintenanceWindow { .. } => 13,
        AuditDetail::MaintenanceCancelled { .. } => 14,
        AuditDetail::Notice { .. } => 15,
        AuditDetail::Faq { .. } => 16,
        AuditDetail::Application { .. } => 17,
        AuditDetail::Returned { .. } => 18,
        AuditDetail::Payment { .. } => 19,
        AuditDetail::IdIssued { .. } => 20,
        AuditDetail::Document { .. } => 21,
        AuditDetail::Corrected { .. } => 22,
        AuditDetail::CardReissued { .. } => 23,
        AuditDetail::Tier { .. } => 24,
        AuditDetail::MemberIssued { .. } => 25,
        AuditDetail::Person { .. } => 26,
        AuditDetail::Technician { .. } => 27,
        AuditDetail::Site { .. } => 29,
        AuditDetail::SitePlacement { .. } => 30,
        AuditDetail::SiteWorker { .. } => 31,
        AuditDetail::Agreement { .. } => 32,
        AuditDetail::Pattern { .. } => 33,
        AuditDetail::SiteMoved { .. } => 34,
        AuditDetail::Reader { .. } => 35,
        AuditDetail::WorkDay { .. } => 36,
        AuditDetail::Card { .. } => 37,
        AuditDetail::ApiClient { .. } => 38,
        AuditDetail::ApiGrant { .. } => 39,
        AuditDetail::Recorded(_) => 28,
    }
}

#[test]
fn every_action_has_a_code_of_its_own_and_words_in_every_language() {
    let mut codes = HashSet::new();
    for &a in AuditAction::ALL {
        assert!(codes.insert(a.code()), "{} twice", a.code());
        assert_eq!(AuditAction::from_code(a.code()), Some(a));
        for lang in Lang::ALL {
            let words = a.words(lang);
            assert_ne!(words, a.key(), "{a:?} in {lang:?}");
            assert!(!words.is_empty(), "{a:?} in {lang:?}");
        }
        assert_ne!(a.words(Lang::En), a.words(Lang::Ja), "{a:?} in English");
    }
    assert_eq!(AuditAction::from_code("something-new"), None);
}

#[test]
fn actions_read_in_japanese_as_both_logs_did_before() {
    for (a, ja) in [
        (AuditAction::StaffLogin, "ログイン"),
        (AuditAction::StaffLoginFailed, "ログインに失敗"),
        (AuditAction::IdSent, "IDを登録メールアドレスへ送付"),
        (AuditAction::MaintenanceCancelled, "メンテナンスを取り消し"),
        (AuditAction::StaffPasswordSet, "自分のパスワードを設定"),
        (
            AuditAction::CardReissued,
            "登録カードを再発行（初期パスワードと本人確認番号）",
        ),
        (AuditAction::TierCreated, "階層の作成"),
        (AuditAction::MemberDisabled, "利用停止"),
        (AuditAction::MemberResetSent, "パスワード再設定メールの送信"),
        (AuditAction::AffiliationEnded, "所属の終了"),
    ] {
        assert_eq!(a.words(Lang::Ja), ja, "{a:?}");
    }
}

#[test]
fn every_detail_shape_has_words_in_every_language() {
    let samples = samples();
    let shapes: HashSet<usize> = samples.iter().map(shape).collect();
    assert_eq!(shapes.len(), 40, "a sample of every shape");
    for d in &samples {
        for lang in Lang::ALL {
            let words = d.words(lang);
            if let Some(key) = d.key() {
                assert_ne!(words, key, "{d:?} in {lang:?}");
                assert!(!words.is_empty(), "{d:?} in {lang:?}");
            }
            // Every argument was given: Fluent shows a missing one as `{$name}`.
            assert!(!words.contains('{'), "{d:?} in {lang:?}: {words}");
        }
    }
    for why in SignInRefusal::ALL {
        for lang in Lang::ALL {
            let d = AuditDetail::SignInRefused {
                address: "192.0.2.1".into(),
                user_agent: String::new(),
                why,
            };
            assert!(
                !d.words(lang).contains("audit-refusal"),
                "{why:?} in {lang:?}"
            );
        }
    }
}

#[test]
fn details_read_in_japanese_as_the_records_did_before() {
    let cases = [
        (
            AuditDetail::Tier {
                level: 1,
                name: "東京支店".into(),
                parent: None,
            },
            "第1階層「東京支店」（事業者全体の下）".to_owned(),
        ),
        (
            AuditDetail::Tier {
                level: 3,
                name: "第一「工事」課".into(),
                parent: tier(2, "第一工事部"),
            },
            "第3階層「第一「工事」課」（第2階層「第一工事部」の下）".to_owned(),
        ),
        (
            AuditDetail::MemberIssued {
                name: "現場 次郎".into(),
                login_id: id("3000000000000"),
                role: "site_manager".into(),
                place: tier(1, "東京支店"),
            },
            format!(
                "現場 次郎（{}）を現場管理者として第1階層「東京支店」に発行",
                grouped("3000000000000")
            ),
        ),
        (
            AuditDetail::Person {
                name: "現場 次郎".into(),
                login_id: id("3000000000000"),
            },
            format!("現場 次郎（{}）", grouped("3000000000000")),
        ),
        (
            AuditDetail::Technician {
                login_id: id("1000000000000"),
            },
            format!("技能者ID {}", grouped("1000000000000")),
        ),
        (
            AuditDetail::Returned {
                application: ApplicationId::new(12),
                defects: vec![DefectRef {
                    field: "phone".into(),
                    code: "mismatch".into(),
                }],
            },
            "申請番号 12（電話番号: 本人確認書類の内容と一致しません）".to_owned(),
        ),
        (
            AuditDetail::Corrected {
                application: ApplicationId::new(12),
                field: "postal_code".into(),
                old: "１００－００１３".into(),
                new: "100-0014".into(),
            },
            "申請番号 12: 郵便番号 「１００－００１３」→「100-0014」".to_owned(),
        ),
        (
            AuditDetail::IdIssued {
                application: ApplicationId::new(12),
                id_kind: "technician".into(),
                login_id: id("1000000000000"),
            },
            format!("申請番号 12 → 技能者ID {}", grouped("1000000000000")),
        ),
        (
            AuditDetail::Recorded("昔の記録".into()),
            "昔の記録".to_owned(),
        ),
    ];
    for (detail, ja) in cases {
        assert_eq!(detail.words(Lang::Ja), ja, "{detail:?}");
    }
}

fn stored(action: &str, data: Option<String>, recorded: &str) -> StoredAuditEntry {
    StoredAuditEntry {
        at: Timestamp(1_800_000_000),
        actor_kind: "member".into(),
        actor_label: String::new(),
        staff_id: None,
        staff_name: None,
        actor_login_id: Some(id("3000000000000")),
        actor_name: Some("支店 一郎".into()),
        client_name: None,
        client_vendor: None,
        subject_login_id: Some(id("3000000000001")),
        action: action.into(),
        reason: "異動のため".into(),
        recorded: recorded.into(),
        data,
    }
}

#[test]
fn a_stored_entry_reads_back_as_the_typed_value_it_was() {
    for d in samples()
        .into_iter()
        .filter(|d| !matches!(d, AuditDetail::Recorded(_)))
    {
        let json = d.to_json();
        assert!(json.starts_with("{\"kind\":"), "{json}");
        assert_eq!(AuditDetail::read(Some(&json), ""), d, "{json}");
        for &a in AuditAction::ALL {
            let e = AuditEntry::from_stored(stored(a.code(), Some(json.clone()), ""));
            assert_eq!(e.action, RecordedAction::Known(a));
            assert!(e.is(a));
            assert_eq!(e.detail, d);
        }
    }
    let e = AuditEntry::from_stored(stored("org-member-disabled", None, ""));
    assert_eq!(
        e.actor,
        ActorSeen::Member {
            name: "支店 一郎".into(),
            login_id: id("3000000000000")
        }
    );
    assert_eq!(
        e.actor_words(Lang::Ja),
        format!("支店 一郎（{}）", grouped("3000000000000"))
    );
    assert_eq!(e.subject.as_deref(), Some(id("3000000000001").as_str()));
    assert_eq!(e.reason, "異動のため");
}

#[test]
fn entries_written_before_the_model_show_their_words_as_recorded() {
    // A detail of words (no JSON), a JSON this version cannot read, an unknown action code.
    let old = AuditEntry::from_stored(stored("org-member-disabled", None, "次郎（3000） 理由: x"));
    assert_eq!(
        old.detail,
        AuditDetail::Recorded("次郎（3000） 理由: x".into())
    );
    assert_eq!(old.detail_words(Lang::En), "次郎（3000） 理由: x");
    assert_eq!(old.action_words(Lang::Ja), "利用停止");
    let future = AuditEntry::from_stored(stored(
        "org-something-new",
        Some("{\"kind\":\"something_new\"}".into()),
        "",
    ));
    assert_eq!(
        future.action,
        RecordedAction::Recorded("org-something-new".into())
    );
    assert_eq!(future.action_words(Lang::En), "org-something-new");
    assert_eq!(future.detail, AuditDetail::Recorded(String::new()));
    let mut cli = stored("staff-disable", None, "S0000001");
    cli.actor_kind = "operator".into();
    let cli = AuditEntry::from_stored(cli);
    assert_eq!(cli.actor, ActorSeen::Operator);
    assert_eq!(cli.actor_words(Lang::Ja), "コマンドライン（ccus admin）");
    assert_eq!(cli.action_words(Lang::En), "Stopped a staff member");
}

#[test]
fn a_reason_is_told_with_the_detail_where_it_has_no_column() {
    let mut e = AuditEntry::from_stored(stored(
        "org-member-disabled",
        Some(
            AuditDetail::Person {
                name: "現場 次郎".into(),
                login_id: id("3000000000000"),
            }
            .to_json(),
        ),
        "",
    ));
    assert_eq!(
        e.detail_and_reason_words(Lang::Ja),
        format!("現場 次郎（{}） 理由: 異動のため", grouped("3000000000000"))
    );
    assert_eq!(
        e.detail_and_reason_words(Lang::En),
        format!(
            "現場 次郎 ({}), reason: 異動のため",
            grouped("3000000000000")
        )
    );
    e.reason.clear();
    assert_eq!(
        e.detail_and_reason_words(Lang::Ja),
        format!("現場 次郎（{}）", grouped("3000000000000"))
    );
}

#[test]
fn the_words_of_every_catalog_line_of_this_model_exist() {
    // The keys this model builds at run time are in the Japanese catalog (and, by the
    // catalog's own test, in every other).
    let ja = crate::i18n::keys(Lang::Ja);
    for &a in AuditAction::ALL {
        assert!(ja.contains(&a.key()), "{}", a.key());
    }
    for d in samples() {
        if let Some(key) = d.key() {
            assert!(ja.contains(&key.to_owned()), "{key}");
        }
    }
    for key in [
        "audit-actor-person",
        "audit-actor-operator",
        "audit-actor-unrecognised",
        "audit-with-reason",
        "audit-defect",
        "audit-list-separator",
    ] {
        assert!(ja.contains(&key.to_owned()), "{key}");
        assert_ne!(text_in(Lang::En, key, &[]), key);
    }
}
