//! People, businesses and sites for the tests of sites and work records: an account with
//! its own name and address, a business's organisation, a site registered by its 元請, a
//! company's place on it, and a logged-in client.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ccus_app::account::provisioning::{create_account, AccountRequest, ProfileRequest};
use ccus_app::org::OrgContext;
use ccus_app::sites::{self, ContractForm, SiteForm, SiteOutcome};
use ccus_domain::site::PlacementState;
use ccus_domain::{AccountKind, LoginId, PlacementId, SiteId};

use ccus_domain::calendar::jst_datetime;
use ccus_domain::{Clock, Date, Timestamp};

use crate::{location, TestApp};

/// The password of every account made here.
pub const PW: &str = "correct horse battery";

/// A business or technician with its own name and address; for a technician, its employer.
pub async fn person(
    app: &TestApp,
    kind: AccountKind,
    name: &str,
    email: &str,
    employer: Option<&LoginId>,
) -> LoginId {
    let created = create_account(
        &app.state,
        AccountRequest {
            kind,
            name: name.into(),
            email: email.into(),
            password: Some(PW.into()),
            security_code: Some("1234".into()),
            must_change_password: false,
            profile: ProfileRequest {
                furigana: "ケンセツ タロウ".into(),
                birth_date: Some("1985-04-01".into()),
                employer: employer.map(|e| e.as_str().to_owned()),
            },
        },
    )
    .await
    .unwrap();
    created.account.login_id
}

/// The account of a login ID.
pub async fn account(app: &TestApp, id: &LoginId) -> ccus_storage::Account {
    app.state
        .store_for_tools()
        .accounts()
        .account_by_login_id(id)
        .await
        .unwrap()
        .unwrap()
}

/// The organisation of a business's login ID.
pub async fn ctx(app: &TestApp, id: &LoginId) -> OrgContext {
    let a = account(app, id).await;
    ccus_app::org::context(&app.state, &a)
        .await
        .unwrap()
        .unwrap()
}

pub fn site_form(ctx: &OrgContext, name: &str) -> SiteForm {
    SiteForm {
        name: name.into(),
        order_kind: "public".into(),
        records_from: "2026-04-01".into(),
        records_to: "2027-03-31".into(),
        hazardous: "no".into(),
        manager: ctx.me.id.to_string(),
        contracts: vec![ContractForm {
            address: "東京都新宿区西新宿2-8-1".into(),
            client_name: "東京都".into(),
            ..ContractForm::default()
        }],
    }
}

pub async fn new_site(app: &TestApp, prime: &OrgContext, name: &str) -> SiteId {
    match sites::register(&app.state, prime, &site_form(prime, name))
        .await
        .unwrap()
    {
        SiteOutcome::Done(id) => id,
        other => panic!("{other:?}"),
    }
}

/// The live place of a business on a site.
pub async fn place_of(
    app: &TestApp,
    site: &SiteId,
    who: &OrgContext,
) -> Option<(PlacementId, PlacementState)> {
    let s = app
        .state
        .store_for_tools()
        .sites()
        .site(site)
        .await
        .unwrap()
        .unwrap();
    app.state
        .store_for_tools()
        .placements()
        .tree(s.key)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.business.id == who.business.id && p.state.is_live())
        .map(|p| (p.id, p.state))
}

pub async fn root(app: &TestApp, site: &SiteId, prime: &OrgContext) -> PlacementId {
    place_of(app, site, prime).await.unwrap().0
}

pub async fn logged_in(app: &TestApp, kind: AccountKind, id: &LoginId) -> reqwest::Client {
    let b = app.browser();
    let r = app.login(&b, kind, id.as_str(), PW).await;
    assert!(location(&r).ends_with("/home"), "{id:?} logs in");
    b
}

pub async fn text(app: &TestApp, b: &reqwest::Client, path: &str) -> String {
    let r = app.get(b, path).await;
    assert_eq!(r.status(), 200, "{path}");
    r.text().await.unwrap()
}

/// `day` at `h:m` in Japan, as a moment and as RFC 3339 (what a card reader sends).
pub fn jst_at(day: Date, h: u8, m: u8) -> (Timestamp, String) {
    let t = time::PrimitiveDateTime::new(day, time::Time::from_hms(h, m, 0).unwrap())
        .assume_offset(time::UtcOffset::from_hms(9, 0, 0).unwrap());
    let ms = i64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap();
    (
        Timestamp(ms),
        format!(
            "{}T{h:02}:{m:02}:00+09:00",
            ccus_domain::profile::format_date(day)
        ),
    )
}

/// Moves the test's clock to the next 18:00 in Japan, so that a whole working day lies behind
/// it; that day.
pub fn evening(app: &TestApp) -> Date {
    let now = app.clock.now();
    let d = jst_datetime(now).unwrap();
    let mut day = d.date();
    if d.hour() >= 18 {
        day = day.next_day().unwrap();
    }
    let (six, _) = jst_at(day, 18, 0);
    app.clock.advance(std::time::Duration::from_millis(
        u64::try_from(six.0 - now.0).unwrap(),
    ));
    day
}

/// A site registered by `prime` whose 就業履歴蓄積期間 runs a year from `from`.
pub async fn site_from(app: &TestApp, prime: &OrgContext, name: &str, from: Date) -> SiteId {
    let mut form = site_form(prime, name);
    form.records_from = ccus_domain::profile::format_date(from);
    form.records_to =
        ccus_domain::profile::format_date(from.replace_year(from.year() + 1).unwrap());
    match sites::register(&app.state, prime, &form).await.unwrap() {
        SiteOutcome::Done(id) => id,
        other => panic!("{other:?}"),
    }
}

/// The card number of a technician.
pub async fn card_of(app: &TestApp, id: &LoginId) -> String {
    let a = account(app, id).await;
    app.state
        .store_for_tools()
        .records()
        .card_of(a.id)
        .await
        .unwrap()
        .expect("a technician has a card from the start")
        .number
}
