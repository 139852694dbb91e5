//! 技能者登録の申請 at `/apply`: the application login (申請用ID by a mailed link, and
//! パスワードをお忘れの方), the application form with 一時保存, its documents and 申請, and the
//! applicant's status page. No JavaScript is needed; every check also runs on the server.
//!
//! The form is one multipart form: the items, the document to add, and the buttons 一時保存,
//! 書類をアップロードする and 申請する. Whichever is pressed, what was typed is saved (or shown
//! again with what is wrong), so no button loses anything; a document is added after the items
//! are saved. Its anti-forgery token is its first part, checked before any file is read.

mod login;
use login::*;
mod application;
use application::*;
mod form;
use form::*;
mod proxy;
use proxy::*;

pub mod password;
pub mod screening;
pub mod views;

use crate::forms::lenient_query;
use crate::forms::CheckedForm;
use crate::forms::CheckedMultipart;
use crate::forms::TokenQuery;
use crate::pages::html;
use crate::pages::token_page;
use crate::present::labels::defect_label;
use crate::present::labels::document_label;
use crate::present::labels::field_label;
use crate::present::labels::status_label;
use crate::present::Chrome;
use crate::present::FormPage;
use crate::present::Link;
use crate::present::MessagePage;
use crate::present::Notice;
use crate::registration::views::ApplicationPage;
use crate::registration::views::ApplicationRow;
use crate::registration::views::ApplyHomePage;
use crate::registration::views::ApplyItem;
use crate::registration::views::ApplyStep;
use crate::registration::views::ApplyTopPage;
use crate::registration::views::ConsentPage;
use crate::registration::views::DocumentKindRow;
use crate::registration::views::ProxyPanel;
use std::collections::HashMap;

use axum::extract::{FromRequest, FromRequestParts, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use ccus_app::registration::Applicant;
use ccus_domain::registration::{ApplicationKind, Field, Plan, Status, GENDERS, INSURANCE, SOLE};
use serde::Deserialize;

use crate::error::{WebError, WebResult};
use crate::i18n::{msg, t, ta, Msg};
use crate::session::{Client, CsrfToken, SignedIn};
use crate::AppState;
use ccus_app::registration::{
    self, ApplicationView, ConfirmOutcome, DocumentOutcome, LoginOutcome, NewApplication, Resumed,
    SaveOutcome, StartOutcome, UploadLimit,
};

use password::{forgot_password, forgot_password_form, reset_password, reset_password_form};

/// The applicant's session cookie.
const APPLY_COOKIE: &str = "ccus_apply";

pub(crate) fn routes(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/apply", get(top))
        .route("/apply/start", get(start_form).post(start))
        .route("/apply/confirm", get(confirm_form).post(confirm))
        .route("/apply/login", get(login_form).post(login))
        .route(
            "/apply/password/forgot",
            get(forgot_password_form).post(forgot_password),
        )
        .route(
            "/apply/password/reset",
            get(reset_password_form).post(reset_password),
        )
        .route("/apply/logout", post(logout))
        .route("/apply/home", get(home))
        .route("/apply/new", post(new_application))
        .route(
            "/apply/{id}",
            get(application)
                .post(save)
                .layer(axum::extract::DefaultBodyLimit::max(upload_body_limit(
                    state,
                ))),
        )
        .route("/apply/{id}/withdraw", post(withdraw))
        .route("/apply/{id}/consent", post(ask_consent))
        .route("/apply/consent", get(consent_form).post(consent_answer))
        .route(
            &format!("/{}/proxy", ccus_domain::AccountKind::Business.portal()),
            get(proxy_top).post(proxy_start),
        )
        .route(
            "/apply/{id}/documents",
            post(upload).layer(axum::extract::DefaultBodyLimit::max(upload_body_limit(
                state,
            ))),
        )
}

/// The largest body of the application form: one file and the items typed with it.
fn upload_body_limit(state: &AppState) -> usize {
    usize::try_from(state.config().inquiry.max_file_bytes)
        .unwrap_or(usize::MAX)
        .saturating_add(TEXT_BYTES)
}

/// The most the items of the form (and its other text parts) may take together.
const TEXT_BYTES: usize = 64 * 1024;

/// A signed-in applicant.
struct ApplicantIn(Applicant);

impl FromRequestParts<AppState> for ApplicantIn {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let to_login = || Redirect::to("/apply/login").into_response();
        let Some(token) = state.cookies().get(&parts.headers, APPLY_COOKIE) else {
            return Err(to_login());
        };
        // A session that is over: say why, and drop the cookie that names it.
        let ended = |to: &str| {
            let mut resp = Redirect::to(to).into_response();
            resp.headers_mut()
                .append(header::SET_COOKIE, state.cookies().clear(APPLY_COOKIE));
            resp
        };
        match registration::resume(state, &token).await {
            Ok(Resumed::Active(a)) => Ok(ApplicantIn(*a)),
            Ok(Resumed::TimedOut) => Err(ended("/apply/login?timeout=1")),
            Ok(Resumed::LoggedOut) => Err(ended("/apply/login?logged_out=1")),
            // The business's own portal says why (a stopped 管理者ID is told so there).
            Ok(Resumed::NotAllowed) => Err(ended("/ccus_owner/home")),
            Err(e) => Err(WebError::from(e).into_response()),
        }
    }
}

fn message(
    title: &str,
    notice: Option<Notice>,
    lines: Vec<String>,
    links: Vec<Link>,
) -> MessagePage {
    MessagePage {
        chrome: Chrome::titled(title),
        heading: title.to_owned(),
        notice,
        lines,
        links,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{text_in, Lang};
    use ccus_domain::registration::FieldProblem;

    /// Every word of the domain that reaches the applicant has its key in every language, and
    /// the Japanese stays what the domain (and the screener's console) says.
    #[test]
    fn the_domain_s_words_have_keys_in_every_language() {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for f in Field::ALL {
            pairs.push((ccus_app::i18n::field_key(f), f.label_ja().to_owned()));
        }
        for s in Status::ALL {
            pairs.push((
                crate::present::labels::apply_key("status", s.as_str()),
                s.label_ja().to_owned(),
            ));
        }
        for c in ccus_domain::registration::DefectCode::ALL {
            pairs.push((ccus_app::i18n::defect_key(c), c.label_ja().to_owned()));
        }
        for k in [ApplicationKind::Technician, ApplicationKind::Business] {
            pairs.push((
                crate::present::labels::apply_key("kind", k.as_str()),
                k.label_ja().to_owned(),
            ));
        }
        for p in [Plan::Basic, Plan::Detailed] {
            pairs.push((
                crate::present::labels::apply_key("plan", p.as_str()),
                p.label_ja().to_owned(),
            ));
        }
        for (prefix, list) in [
            ("gender", GENDERS),
            ("insurance", INSURANCE),
            ("sole", SOLE),
        ] {
            for (v, l) in list {
                pairs.push((
                    crate::present::labels::apply_key(prefix, v),
                    (*l).to_owned(),
                ));
            }
        }
        for (k, l) in registration::DOCUMENT_KINDS {
            pairs.push((
                crate::present::labels::apply_key("document", k),
                (*l).to_owned(),
            ));
        }
        for (k, ja) in &pairs {
            assert_eq!(&text_in(Lang::Ja, k, &[]), ja, "{k}");
            for lang in [Lang::En, Lang::Easy] {
                assert_ne!(&text_in(lang, k, &[]), k, "{k} in {lang:?}");
            }
        }
    }

    /// Why a face photo was refused reads in Japanese as the domain says it.
    #[test]
    fn photo_problems_read_as_the_domain_says_in_japanese() {
        use ccus_documents::photo::PhotoProblem;
        let day = ccus_domain::profile::parse_birth_date("2031-01-02").unwrap();
        for p in [
            PhotoProblem::TooSmall {
                width: 100,
                height: 120,
            },
            PhotoProblem::Sideways,
            PhotoProblem::Unreadable,
            PhotoProblem::TooOld { taken: day },
            PhotoProblem::TakenInFuture { taken: day },
            PhotoProblem::ImpossibleSize {
                width: 0,
                height: 640,
            },
            PhotoProblem::TooManyPixels {
                width: 4000,
                height: 4000,
                max: ccus_documents::photo::MAX_DECODED_PIXELS,
            },
        ] {
            let m = registration::photo_problem_msg(p);
            assert_eq!(m.text(Lang::Ja), p.message_ja(), "{p:?}");
            assert_ne!(m.text(Lang::En), m.key, "{p:?}");
        }
    }

    /// A problem with an item reads as before in Japanese.
    #[test]
    fn field_problems_read_as_the_domain_says_in_japanese() {
        let problems = [
            FieldProblem::TooLong,
            FieldProblem::BadCharacters,
            FieldProblem::Required,
            FieldProblem::Choose,
            FieldProblem::ResidenceCardRequired,
            FieldProblem::FuriganaNotKana,
            FieldProblem::BirthDateFormat,
            FieldProblem::BirthDateInFuture,
            FieldProblem::TooYoung,
            FieldProblem::TooOld,
            FieldProblem::PostalCode,
            FieldProblem::Phone,
            FieldProblem::ResidenceCardFormat,
            FieldProblem::EmployerFormat,
            FieldProblem::EmployerIsTechnician,
            FieldProblem::CapitalFormat,
            FieldProblem::CapitalTooLarge,
        ];
        for f in Field::ALL {
            for p in problems {
                let m = registration::field_problem_msg(f, p);
                assert_eq!(m.text(Lang::Ja), p.message_ja(f), "{f:?} {p:?}");
                assert_eq!(field_problem(f, &m), p.message_ja(f), "{f:?} {p:?}");
            }
        }
    }
}
