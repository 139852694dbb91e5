//! お問い合わせフォーム: anyone, at any hour, with up to three attachments. A 2xx means the
//! inquiry and every file are on disk and in the database; anything else leaves nothing
//! behind. The inquirer gets a receipt number on screen and a confirmation mail.

use std::collections::HashMap;

use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Router};
use ccus_domain::{guide, profile, LoginId};

use crate::error::{WebError, WebResult};
use crate::middleware::CsrfCookie;
use crate::routes::html;
use crate::session::{check_csrf, Client, CsrfToken};
use crate::views::{
    Chrome, InquiryErrors, InquiryField, InquiryFormPage, InquiryValues, Link, MessagePage, Notice,
};
use crate::AppState;
use ccus_app::accounts::valid_email;
use ccus_app::attachments::{FileStore, Upload, UploadError};
use ccus_app::inquiries::{self, InquiryInput, Submitted};

/// The kinds of inquiry.
pub const CATEGORIES: &[&str] = &[
    "ID照会",
    "パスワード・ロック",
    "登録メールアドレス変更",
    "その他",
];

/// Single-line fields are cut at this many characters (no real name or address comes near).
const TEXT_LIMIT: usize = 8000;
/// The longest message accepted; a longer one is refused with the count, never cut.
pub const MESSAGE_LIMIT: usize = 8000;

pub(super) fn routes(state: &AppState) -> Router<AppState> {
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
    let f = |name: &'static str, label, input_type, autocomplete, inputmode, required, hint| {
        InquiryField {
            name,
            label,
            input_type,
            autocomplete,
            inputmode,
            required,
            hint,
            error: None,
            value: values.get(name).cloned().unwrap_or_default(),
        }
    };
    vec![
        f("login_id", "技能者IDまたは事業者ID（わかる場合）", "text", "username", "numeric", false, Some("14桁の数字です。わからない場合は空欄で構いません。")),
        f("name", "氏名", "text", "name", "", true, None),
        f("furigana", "フリガナ", "text", "off", "", true, Some("カタカナまたはひらがなで入力してください。")),
        f("birth_date", "生年月日", "text", "bday", "numeric", true, Some("例: 1985-04-01")),
        f("employer", "所属事業者名", "text", "organization", "", false, Some("わかる範囲で構いません。")),
        f("email", "連絡先メールアドレス", "email", "email", "", true, Some("回答をお送りするアドレスです。登録メールアドレスが使えない場合は、いま使えるアドレスを入力してください。")),
        f("phone", "電話番号（任意）", "tel", "tel", "tel", false, None),
    ]
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
        tried: guide::summary_ja(&answers),
        guide,
        chrome: Chrome::titled("お問い合わせフォーム"),
        notice: None,
        csrf_token: csrf,
        categories: CATEGORIES,
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
    let q: HashMap<String, String> = crate::routes::lenient_query(&uri);
    let mut values: HashMap<String, String> = q
        .into_iter()
        .filter(|(k, _)| ["e", "s", "m", "login_id"].contains(&k.as_str()))
        .collect();
    if let Some(c) = guide::next(&guide_answers(&values)).ending_category() {
        values.insert("category".into(), c.to_owned());
    }
    html(StatusCode::OK, &page(&state, csrf, &values))
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
    p.notice = Some(Notice::new(
        "error",
        "添付ファイルを受け付けられませんでした。内容はまだ送信されていません。",
    ));
    html(status, &p)
}

async fn submit(
    State(state): State<AppState>,
    Client(client): Client,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    mut multipart: Multipart,
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
                    format!(
                        "送信できる大きさを超えています。添付ファイルは1件{}MBまでです。",
                        cfg.max_file_bytes / (1024 * 1024)
                    )
                } else {
                    "送信が途中で切れたため、受け付けられませんでした。通信の良い場所で、もう一度送信してください。".to_owned()
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
                        format!("添付ファイルは{}件までです。", cfg.max_files),
                    );
                }
                let mut upload = store
                    .begin(&file_name)
                    .map_err(|e| WebError::Unavailable(e.to_string()))?;
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
                                    format!(
                                        "「{}」は大きすぎます。1件{}MBまでです。",
                                        upload.original_name,
                                        cfg.max_file_bytes / (1024 * 1024)
                                    ),
                                );
                            }
                            Err(UploadError::NotAllowed) => {
                                return file_problem(
                                    &state,
                                    csrf,
                                    &values,
                                    StatusCode::UNPROCESSABLE_ENTITY,
                                    format!("「{}」は添付できない種類のファイルです。JPEG・PNGの画像またはPDFを添付してください。", upload.original_name),
                                );
                            }
                            Err(UploadError::Io(e)) => {
                                return Err(WebError::Unavailable(format!(
                                    "attachment storage: {e}"
                                )))
                            }
                        },
                        Ok(None) => break,
                        Err(_) => {
                            return file_problem(
                                &state,
                                csrf,
                                &values,
                                StatusCode::BAD_REQUEST,
                                "送信が途中で切れたため、受け付けられませんでした。もう一度送信してください。".into(),
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
    check_csrf(
        &state,
        csrf_cookie.as_deref(),
        values.get("csrf_token").map(String::as_str).unwrap_or(""),
    )?;

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
    if !CATEGORIES.contains(&category.as_str()) {
        p.errors.category = Some("お問い合わせの種類を選んでください。".into());
    }
    let login_id = get("login_id");
    let login_id = if login_id.is_empty() {
        String::new()
    } else {
        match LoginId::parse(&login_id) {
            Ok(id) => id.as_str().to_owned(),
            Err(_) => {
                set_error(
                    &mut p,
                    "login_id",
                    "IDに誤りがあります。わからない場合は空欄にしてください。",
                );
                String::new()
            }
        }
    };
    if get("name").is_empty() {
        set_error(&mut p, "name", "氏名を入力してください。");
    }
    let furigana = get("furigana");
    if !profile::is_kana(&furigana) {
        set_error(
            &mut p,
            "furigana",
            "フリガナをカタカナまたはひらがなで入力してください。",
        );
    }
    let birth = profile::parse_birth_date(&get("birth_date")).map(profile::format_date);
    if birth.is_none() {
        set_error(
            &mut p,
            "birth_date",
            "生年月日を「1985-04-01」のように入力してください。",
        );
    }
    let email = get("email");
    if !valid_email(&email) {
        set_error(
            &mut p,
            "email",
            "メールアドレスの形式をご確認ください（例: taro@example.jp）。",
        );
    }
    let message = get("message");
    let length = message.chars().count();
    if message.is_empty() {
        p.errors.message = Some("お問い合わせ内容を入力してください。".into());
    } else if length > MESSAGE_LIMIT {
        p.errors.message = Some(format!(
            "お問い合わせ内容は{}文字以内で入力してください（現在{}文字です）。長い場合は、要点を短くまとめるか、画像やPDFにして添付してください。",
            thousands(MESSAGE_LIMIT),
            thousands(length)
        ));
    }
    if p.errors.category.is_some()
        || p.errors.message.is_some()
        || p.fields.iter().any(|f| f.error.is_some())
    {
        p.notice = Some(Notice::new(
            "error",
            "入力内容をご確認ください。添付ファイルは、もう一度選んでください。",
        ));
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
        tried: guide::summary_ja(&guide_answers(&values))
            .into_iter()
            .map(str::to_owned)
            .collect(),
    };
    match inquiries::submit(&state, input, uploads, &client, crate::i18n::lang()).await? {
        Submitted::Received { receipt, due_date } => thanks(Some(receipt), Some(due_date)),
        Submitted::TooMany => {
            let mut p = p;
            p.notice = Some(Notice::new("error", "短時間に多くのお問い合わせがあったため、しばらく受け付けを停止しています。1時間ほどしてから、もう一度送信してください。"));
            html(StatusCode::TOO_MANY_REQUESTS, &p)
        }
    }
}

fn thanks(receipt: Option<String>, due: Option<String>) -> WebResult<Response> {
    let mut lines = vec![
        "回答は平日に、ご入力のメールアドレスへお送りします。確認のメールもお送りしました。"
            .to_owned(),
    ];
    if let Some(d) = due.filter(|d| !d.is_empty()) {
        lines.push(format!("回答の目安: {d} まで"));
    }
    let page = MessagePage {
        chrome: Chrome::titled("お問い合わせを受け付けました"),
        heading: "お問い合わせを受け付けました".into(),
        notice: Some(match receipt {
            Some(r) => Notice::new("success", format!("受付番号: {r}"))
                .line("この番号は、ヘルプデスクとのやりとりで使います。控えておいてください。"),
            None => Notice::new("success", "ありがとうございました。"),
        }),
        lines,
        links: vec![
            Link::new("/", "トップページへ"),
            Link::new("/faq", "よくある質問"),
        ],
    };
    html(StatusCode::OK, &page)
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(8000), "8,000");
        assert_eq!(super::thousands(1234567), "1,234,567");
    }
}
