//! Public information: お知らせ, よくある質問 (with search) and お問い合わせ (contact methods,
//! with whether the phone window is open now).

use crate::forms::lenient_query;
use crate::pages::html;
use crate::present::Chrome;
use crate::public::views::FaqGroup;
use crate::public::views::FaqItem;
use crate::public::views::FaqPage;
use crate::public::views::NoticeItem;
use crate::public::views::NoticesPage;
use crate::public::views::SupportPage;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Router};
use ccus_domain::calendar;
use serde::Deserialize;

use crate::error::WebResult;
use crate::i18n;
use crate::markdown;
use crate::middleware::Maintenance;
use crate::AppState;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/notices", get(notices))
        .route("/faq", get(faq))
        .route("/support", get(support))
}

async fn notices(
    State(state): State<AppState>,
    banner: Option<Extension<Maintenance>>,
) -> WebResult<Response> {
    let now = state.clock().now();
    let items = ccus_app::public::notices(&state, now, 50)
        .await?
        .into_iter()
        .map(|n| {
            // A maintenance notice is told in the reader's language; others as written.
            let (title, body_md) = match &n.maintenance {
                Some(w) => ccus_app::ops::operations::maintenance_notice(i18n::lang(), w),
                None => (n.title, n.body_md),
            };
            NoticeItem {
                date: n.published_at.jst(),
                title,
                body_html: markdown::render(&body_md),
            }
        })
        .collect();
    let mut chrome = Chrome::titled(i18n::t("notices"));
    chrome.banner = banner.map(|b| b.0.banner(now));
    html(StatusCode::OK, &NoticesPage { chrome, items })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct FaqQuery {
    q: String,
}

async fn faq(State(state): State<AppState>, uri: Uri) -> WebResult<Response> {
    let q: FaqQuery = lenient_query(&uri);
    let query = q.q.trim().chars().take(100).collect::<String>();
    let search = ccus_domain::search::Query::parse(&query);
    let mut groups: Vec<FaqGroup> = Vec::new();
    let mut shown = 0;
    let mut untranslated = false;
    let lang = crate::i18n::lang().code();
    for e in ccus_app::public::faq(&state, lang).await? {
        if !search.matches(&format!("{} {} {}", e.category, e.question, e.answer_md)) {
            continue;
        }
        shown += 1;
        let japanese = e.lang != lang;
        untranslated |= japanese;
        let item = FaqItem {
            question: e.question,
            answer_html: markdown::render(&e.answer_md),
            japanese,
        };
        match groups.iter_mut().find(|g| g.category == e.category) {
            Some(g) => g.items.push(item),
            None => groups.push(FaqGroup {
                category: e.category,
                items: vec![item],
            }),
        }
    }
    let page = FaqPage {
        chrome: Chrome::titled(i18n::t("public-faq-title")),
        query,
        groups,
        shown,
        untranslated,
    };
    html(StatusCode::OK, &page)
}

async fn support(State(state): State<AppState>) -> WebResult<Response> {
    let now = state.clock().now();
    let open = calendar::phone_open(now);
    let today = calendar::jst_datetime(now).map(|d| d.date());
    let holiday = today.and_then(calendar::holiday_name);
    let next_open = today.map(|d| {
        let after_hours = calendar::jst_datetime(now).is_some_and(|t| t.hour() >= 17);
        let from = if after_hours {
            d.next_day().unwrap_or(d)
        } else {
            d
        };
        let day = calendar::add_business_days(from, 0);
        let (year, month, date) = (day.year(), u8::from(day.month()), day.day());
        i18n::ta(
            "public-support-date",
            &[
                ("year", &year.to_string()),
                ("month", &month.to_string()),
                ("day", &date.to_string()),
                ("iso", &format!("{year:04}-{month:02}-{date:02}")),
            ],
        )
    });
    let page = SupportPage {
        chrome: Chrome::titled(i18n::t("public-support-title")),
        helpdesk: state.config().recovery.helpdesk.clone(),
        phone: state.config().support.phone.clone(),
        phone_open: open,
        holiday_today: holiday.unwrap_or_default().to_owned(),
        next_open: if open {
            String::new()
        } else {
            next_open.unwrap_or_default()
        },
    };
    html(StatusCode::OK, &page)
}
