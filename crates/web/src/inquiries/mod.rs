//! お問い合わせフォーム: anyone, at any hour, with up to three attachments. A 2xx means the
//! inquiry and every file are on disk and in the database; anything else leaves nothing
//! behind. The inquirer gets a receipt number on screen and a confirmation mail.

pub mod views;

use crate::inquiries::views::InquiryErrors;
use crate::inquiries::views::InquiryField;
use crate::inquiries::views::InquiryFormPage;
use crate::inquiries::views::InquiryValues;
use crate::pages::html;
use crate::present::Chrome;
use crate::present::Link;
use crate::present::MessagePage;
use crate::present::Notice;
use std::collections::HashMap;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use ccus_domain::{guide, profile, LoginId};

use crate::error::{WebError, WebResult};
use crate::forms::CheckedMultipart;
use crate::i18n::{t, ta};
use crate::session::{Client, CsrfToken};
use crate::AppState;
use ccus_app::account::provisioning::valid_email;
use ccus_app::attachments::{FileStore, Upload, UploadError};
use ccus_app::inquiries::{self, InquiryInput, Submitted, CATEGORIES};

/// Single-line fields are cut at this many characters (no real name or address comes near).
const TEXT_LIMIT: usize = 8000;
/// The longest message accepted; a longer one is refused with the count, never cut.
pub const MESSAGE_LIMIT: usize = 8000;

pub(crate) fn routes(state: &AppState) -> Router<AppState> {
    let cfg = &state.config().inquiry;
    // The whole request is bounded: every file at its limit plus room for the text.
    let limit = usize::try_from(cfg.max_file_bytes.saturating_mul(cfg.max_files as u64))
        .unwrap_or(usize::MAX)
        .saturating_add(256 * 1024);
    Router::new().route(
        "/inquiry",
        get(form).post(submit).layer(DefaultBodyLimit::max(limit)),
    )
}

fn fields(values: &HashMap<String, String>) -> Vec<InquiryField> {
    let f = |name: &'static str,
             label: &str,
             input_type,
             autocomplete,
             inputmode,
             required,
             hint: Option<&str>| InquiryField {
        name,
        label: t(label),
        input_type,
        autocomplete,
        inputmode,
        required,
        hint: hint.map(t),
        error: None,
        value: values.get(name).cloned().unwrap_or_default(),
    };
    vec![
        f(
            "login_id",
            "public-inquiry-login-id",
            "text",
            "username",
            "numeric",
            false,
            Some("public-inquiry-login-id-hint"),
        ),
        f(
            "name",
            "public-inquiry-name",
            "text",
            "name",
            "",
            true,
            None,
        ),
        f(
            "furigana",
            "public-inquiry-furigana",
            "text",
            "off",
            "",
            true,
            Some("public-inquiry-furigana-hint"),
        ),
        f(
            "birth_date",
            "public-inquiry-birth-date",
            "text",
            "bday",
            "numeric",
            true,
            Some("public-inquiry-birth-date-hint"),
        ),
        f(
            "employer",
            "public-inquiry-employer",
            "text",
            "organization",
            "",
            false,
            Some("public-inquiry-employer-hint"),
        ),
        f(
            "email",
            "public-inquiry-email",
            "email",
            "email",
            "",
            true,
            Some("public-inquiry-email-hint"),
        ),
        f(
            "phone",
            "public-inquiry-phone",
            "tel",
            "tel",
            "tel",
            false,
            None,
        ),
    ]
}

/// The catalog keys of what was already tried in 「ログインできない方へ」, a line each: the form
/// shows them in the reader's language; the inquiry keeps them, in Japanese, for the staff.
fn tried_keys(a: &guide::Answers) -> Vec<&'static str> {
    use guide::{Entrance, Screen};
    let mut out = Vec::new();
    if let Some(e) = a.entrance {
        out.push(match e {
            Entrance::Technician => "public-tried-entrance-technician",
            Entrance::Business => "public-tried-entrance-business",
            Entrance::Unknown => "public-tried-entrance-unknown",
        });
    }
    if let Some(s) = a.screen {
        out.push(match s {
            Screen::WrongPassword => "public-tried-screen-wrong-password",
            Screen::Locked => "public-tried-screen-locked",
            Screen::WrongEntrance => "public-tried-screen-wrong-entrance",
            Screen::Timeout => "public-tried-screen-timeout",
            Screen::Maintenance => "public-tried-screen-maintenance",
            Screen::Stopped => "public-tried-screen-stopped",
            Screen::NoId => "public-tried-screen-no-id",
            Screen::Other => "public-tried-screen-other",
        });
    }
    if let Some(m) = a.mail {
        out.push(if m {
            "public-tried-mail-yes"
        } else {
            "public-tried-mail-no"
        });
    }
    out
}

/// The questionnaire's answers carried by the form (`e`, `s`, `m`), read leniently.
pub(crate) fn guide_answers(values: &HashMap<String, String>) -> guide::Answers {
    let v = |k: &str| values.get(k).map(String::as_str).unwrap_or("");
    guide::Answers {
        entrance: guide::Entrance::parse(v("e")),
        screen: guide::Screen::parse(v("s")),
        mail: match v("m") {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        },
    }
}

fn page(state: &AppState, csrf: String, values: &HashMap<String, String>) -> InquiryFormPage {
    let cfg = &state.config().inquiry;
    let answers = guide_answers(values);
    let guide: Vec<(&'static str, String)> = ["e", "s", "m"]
        .into_iter()
        .filter_map(|k| values.get(k).map(|v| (k, v.clone())))
        .filter(|_| answers != guide::Answers::default())
        .collect();
    InquiryFormPage {
        tried: tried_keys(&answers).into_iter().map(t).collect(),
        guide,
        chrome: Chrome::titled(t("public-inquiry-title")),
        notice: None,
        csrf_token: csrf,
        categories: CATEGORIES.iter().map(|c| (c.stored, t(c.key))).collect(),
        form: InquiryValues {
            category: values.get("category").cloned().unwrap_or_default(),
            message: values.get("message").cloned().unwrap_or_default(),
        },
        fields: fields(values),
        errors: InquiryErrors::default(),
        max_files: cfg.max_files,
        max_mb: cfg.max_file_bytes / (1024 * 1024),
        message_limit: thousands(MESSAGE_LIMIT),
    }
}

/// The form; from 「ログインできない方へ」 it opens with the category chosen and the answers
/// shown (and sent along, so the staff see what was tried).
async fn form(
    State(state): State<AppState>,
    CsrfToken(csrf): CsrfToken,
    uri: axum::http::Uri,
) -> WebResult<Response> {
    let q: HashMap<String, String> = crate::forms::lenient_query(&uri);
    let mut values: HashMap<String, String> = q
        .into_iter()
        .filter(|(k, _)| ["e", "s", "m", "login_id"].contains(&k.as_str()))
        .collect();
    if let Some(c) = guide::next(&guide_answers(&values)).ending_category() {
        values.insert("category".into(), c.to_owned());
    }
    // A link that names the trouble (`?topic=email`) opens the form with its category.
    if let Some(c) = q_topic(&uri) {
        values.insert("category".into(), c.to_owned());
    }
    html(StatusCode::OK, &page(&state, csrf, &values))
}

/// The category named by `?topic=` (`id`, `password`, `email`, `other`), as stored.
fn q_topic(uri: &axum::http::Uri) -> Option<&'static str> {
    let q: HashMap<String, String> = crate::forms::lenient_query(uri);
    let key = match q.get("topic").map(String::as_str)? {
        "id" => "public-category-id",
        "password" => "public-category-password",
        "email" => "public-category-email",
        "other" => "public-category-other",
        _ => return None,
    };
    inquiries::CATEGORIES
        .iter()
        .find(|c| c.key == key)
        .map(|c| c.stored)
}

/// `8000` as `8,000`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn set_error(p: &mut InquiryFormPage, name: &str, message: &str) {
    if let Some(f) = p.fields.iter_mut().find(|f| f.name == name) {
        f.error = Some(message.to_owned());
    }
}

fn file_problem(
    state: &AppState,
    csrf: String,
    values: &HashMap<String, String>,
    status: StatusCode,
    message: String,
) -> WebResult<Response> {
    let mut p = page(state, csrf, values);
    p.errors.files = Some(message);
    p.notice = Some(Notice::new("error", t("public-inquiry-files-refused")));
    html(status, &p)
}

async fn submit(
    State(state): State<AppState>,
    Client(client): Client,
    CsrfToken(csrf): CsrfToken,
    // The anti-forgery token is the form's first part, checked before any file is read.
    CheckedMultipart(mut multipart): CheckedMultipart,
) -> WebResult<Response> {
    let cfg = state.config().inquiry.clone();
    let store = FileStore::new(&cfg.attachments_dir);
    let mut values: HashMap<String, String> = HashMap::new();
    // Dropped on every early return: nothing half-uploaded stays on disk.
    let mut uploads: Vec<Upload> = Vec::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                let status = e.status();
                drop(uploads);
                let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
                    ta(
                        "public-inquiry-request-too-large",
                        &[("mb", &(cfg.max_file_bytes / (1024 * 1024)).to_string())],
                    )
                } else {
                    t("public-inquiry-cut-off")
                };
                let code = if status == StatusCode::PAYLOAD_TOO_LARGE {
                    status
                } else {
                    StatusCode::BAD_REQUEST
                };
                return file_problem(&state, csrf, &values, code, message);
            }
        };
        let name = field.name().unwrap_or("").to_owned();
        match field.file_name().map(str::to_owned) {
            Some(file_name) if name == "files" => {
                let mut field = field;
                if file_name.is_empty() {
                    // No file chosen: the browser still sends an empty part.
                    while let Ok(Some(_)) = field.chunk().await {}
                    continue;
                }
                if uploads.len() >= cfg.max_files {
                    drop(uploads);
                    return file_problem(
                        &state,
                        csrf,
                        &values,
                        StatusCode::PAYLOAD_TOO_LARGE,
                        ta(
                            "public-inquiry-too-many-files",
                            &[("count", &cfg.max_files.to_string())],
                        ),
                    );
                }
                let mut upload = store
                    .begin(&file_name)
                    .map_err(|e| WebError::unavailable("attachment storage", e))?;
                loop {
                    match field.chunk().await {
                        Ok(Some(chunk)) => match upload.write(&chunk, cfg.max_file_bytes) {
                            Ok(()) => {}
                            Err(UploadError::TooLarge) => {
                                return file_problem(
                                    &state,
                                    csrf,
                                    &values,
                                    StatusCode::PAYLOAD_TOO_LARGE,
                                    ta(
                                        "public-inquiry-file-too-large",
                                        &[
                                            ("name", &upload.original_name),
                                            (
                                                "mb",
                                                &(cfg.max_file_bytes / (1024 * 1024)).to_string(),
                                            ),
                                        ],
                                    ),
                                );
                            }
                            Err(UploadError::NotAllowed) => {
                                return file_problem(
                                    &state,
                                    csrf,
                                    &values,
                                    StatusCode::UNPROCESSABLE_ENTITY,
                                    ta(
                                        "public-inquiry-file-type",
                                        &[("name", &upload.original_name)],
                                    ),
                                );
                            }
                            Err(UploadError::Io(e)) => {
                                return Err(WebError::unavailable("attachment storage", e))
                            }
                        },
                        Ok(None) => break,
                        Err(_) => {
                            return file_problem(
                                &state,
                                csrf,
                                &values,
                                StatusCode::BAD_REQUEST,
                                t("public-inquiry-file-cut-off"),
                            );
                        }
                    }
                }
                if upload.size == 0 {
                    continue;
                }
                uploads.push(upload);
            }
            _ => {
                // Read as bytes: `text()` would turn invalid UTF-8 into U+FFFD silently.
                let bytes = field.bytes().await.map_err(|e| WebError::BadRequest {
                    status: StatusCode::BAD_REQUEST,
                    detail: e.to_string(),
                })?;
                let text = String::from_utf8(bytes.to_vec()).map_err(|_| WebError::BadRequest {
                    status: StatusCode::BAD_REQUEST,
                    detail: format!("multipart field {name:?} is not valid UTF-8"),
                })?;
                // The message is kept whole (the request size bounds it), so that a message
                // over its limit is refused and shown back, never cut.
                let keep = if name == "message" {
                    usize::MAX
                } else {
                    TEXT_LIMIT
                };
                let text: String = text
                    .chars()
                    .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
                    .take(keep)
                    .collect();
                values.insert(name, text.replace("\r\n", "\n"));
            }
        }
    }
    // A bot trap no person sees: a filled-in hidden field gets a polite page and nothing more.
    if values.get("website").is_some_and(|v| !v.trim().is_empty()) {
        tracing::info!(address = %client.address, "inquiry bot trap");
        return thanks(None, None);
    }

    let mut p = page(&state, csrf, &values);
    let get = |k: &str| {
        values
            .get(k)
            .map(|s| s.trim().to_owned())
            .unwrap_or_default()
    };
    let category = get("category");
    if inquiries::category(&category).is_none() {
        p.errors.category = Some(t("public-inquiry-category-missing"));
    }
    let login_id = get("login_id");
    let login_id = if login_id.is_empty() {
        String::new()
    } else {
        match LoginId::parse(&login_id) {
            Ok(id) => id.as_str().to_owned(),
            Err(_) => {
                set_error(&mut p, "login_id", &t("public-inquiry-id-wrong"));
                String::new()
            }
        }
    };
    if get("name").is_empty() {
        set_error(&mut p, "name", &t("public-inquiry-name-missing"));
    }
    let furigana = get("furigana");
    if !profile::is_kana(&furigana) {
        set_error(&mut p, "furigana", &t("public-inquiry-furigana-wrong"));
    }
    let birth = profile::parse_birth_date(&get("birth_date")).map(profile::format_date);
    if birth.is_none() {
        set_error(&mut p, "birth_date", &t("public-inquiry-birth-date-wrong"));
    }
    let email = get("email");
    if !valid_email(&email) {
        set_error(&mut p, "email", &t("public-inquiry-email-wrong"));
    }
    let message = get("message");
    let length = message.chars().count();
    if message.is_empty() {
        p.errors.message = Some(t("public-inquiry-message-missing"));
    } else if length > MESSAGE_LIMIT {
        p.errors.message = Some(ta(
            "public-inquiry-message-too-long",
            &[
                ("limit", &thousands(MESSAGE_LIMIT)),
                ("length", &thousands(length)),
            ],
        ));
    }
    if p.errors.category.is_some()
        || p.errors.message.is_some()
        || p.fields.iter().any(|f| f.error.is_some())
    {
        p.notice = Some(Notice::new("error", t("public-inquiry-check")));
        return html(StatusCode::UNPROCESSABLE_ENTITY, &p);
    }

    let input = InquiryInput {
        category,
        login_id,
        name: get("name"),
        furigana,
        birth_date: birth.unwrap_or_default(),
        employer: get("employer"),
        email,
        phone: get("phone"),
        message,
        tried: tried_keys(&guide_answers(&values))
            .into_iter()
            .map(ccus_app::i18n::Msg::new)
            .collect(),
    };
    match inquiries::submit(&state, input, uploads, &client, crate::i18n::lang()).await? {
        Submitted::Received { receipt, due_date } => thanks(Some(receipt), Some(due_date)),
        Submitted::TooMany => {
            let mut p = p;
            p.notice = Some(Notice::new("error", t("public-inquiry-too-many")));
            html(StatusCode::TOO_MANY_REQUESTS, &p)
        }
    }
}

fn thanks(receipt: Option<String>, due: Option<String>) -> WebResult<Response> {
    let mut lines = vec![t("public-inquiry-received-line")];
    if let Some(d) = due.filter(|d| !d.is_empty()) {
        lines.push(ta("public-inquiry-due", &[("date", &d)]));
    }
    let page = MessagePage {
        chrome: Chrome::titled(t("public-inquiry-received")),
        heading: t("public-inquiry-received"),
        notice: Some(match receipt {
            Some(r) => Notice::new("success", ta("public-inquiry-receipt", &[("receipt", &r)]))
                .line(t("public-inquiry-receipt-keep")),
            None => Notice::new("success", t("public-inquiry-thanks")),
        }),
        lines,
        links: vec![
            Link::new("/", t("public-to-top")),
            Link::new("/faq", t("public-faq-title")),
        ],
    };
    html(StatusCode::OK, &page)
}

#[cfg(test)]
mod tests {
    use ccus_app::i18n::{text_in, Lang};
    use ccus_domain::guide::{Answers, Entrance, Screen};

    /// Every line of what was tried reads in every language.
    #[test]
    fn what_was_tried_has_words_in_every_language() {
        let entrances = [
            None,
            Some(Entrance::Technician),
            Some(Entrance::Business),
            Some(Entrance::Unknown),
        ];
        let screens = std::iter::once(None).chain(Screen::ALL.into_iter().map(Some));
        for screen in screens {
            for entrance in entrances {
                for mail in [None, Some(true), Some(false)] {
                    let a = Answers {
                        entrance,
                        screen,
                        mail,
                    };
                    for k in super::tried_keys(&a) {
                        assert_ne!(text_in(Lang::Ja, k, &[]), k);
                        assert_ne!(text_in(Lang::En, k, &[]), k);
                        assert_ne!(text_in(Lang::Easy, k, &[]), k);
                    }
                }
            }
        }
    }

    #[test]
    fn thousands() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(8000), "8,000");
        assert_eq!(super::thousands(1234567), "1,234,567");
    }
}
