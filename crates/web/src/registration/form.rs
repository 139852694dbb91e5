//! Reading a sent application (its text and files, what is refused and why), and saving, uploading and withdrawing.

use super::*;
use ccus_domain::ApplicationId;

/// The body of the application form: multipart, as the page sends it (items, the document to
/// add, the button pressed), or a plain form (items and the button). Either way its
/// anti-forgery token is checked before anything else is read.
pub(super) enum ApplicationBody {
    Form(HashMap<String, String>),
    Multipart(axum::extract::Multipart),
}

impl FromRequest<AppState> for ApplicationBody {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let multipart = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.trim_start()
                    .to_ascii_lowercase()
                    .starts_with("multipart/form-data")
            });
        if multipart {
            let CheckedMultipart(m) = CheckedMultipart::from_request(req, state).await?;
            return Ok(ApplicationBody::Multipart(m));
        }
        // A plain form keeps the limit of every form, whatever this route allows for a file.
        let (parts, body) = req.into_parts();
        let bytes = axum::body::to_bytes(body, crate::MAX_FORM_BYTES)
            .await
            .map_err(|e| WebError::BadRequest {
                status: StatusCode::PAYLOAD_TOO_LARGE,
                detail: e.to_string(),
            })?;
        let req = Request::from_parts(parts, axum::body::Body::from(bytes));
        let CheckedForm(form) = CheckedForm::from_request(req, state).await?;
        Ok(ApplicationBody::Form(form))
    }
}

/// What the application form sent.
pub(super) struct Sent {
    /// The items and the other text parts (`action`, `kind`).
    form: HashMap<String, String>,
    file: SentFile,
}

/// The document of the application form.
pub(super) enum SentFile {
    /// No file chosen.
    None,
    /// Received whole into a temporary file (removed unless it is recorded).
    Upload(ccus_app::attachments::Upload),
    /// Refused while it arrived.
    Refused(Refusal),
}

/// Why a document was not added: the answer's status, the reason, and (past the upload limit)
/// when to try again, in seconds.
pub(super) struct Refusal {
    status: StatusCode,
    why: String,
    retry_after: Option<u64>,
}

impl Refusal {
    fn new(status: StatusCode, why: String) -> Refusal {
        Refusal {
            status,
            why,
            retry_after: None,
        }
    }

    /// A refusal by a limit on documents or uploads.
    fn limit(limit: UploadLimit, kind: &str) -> Refusal {
        let (status, retry_after) = match limit {
            UploadLimit::TooFast { minutes } => (
                StatusCode::TOO_MANY_REQUESTS,
                Some(minutes.saturating_mul(60)),
            ),
            UploadLimit::OfKind { .. } | UploadLimit::InAll { .. } => {
                (StatusCode::UNPROCESSABLE_ENTITY, None)
            }
        };
        Refusal {
            status,
            why: limit_text(limit, kind),
            retry_after,
        }
    }
}

/// Reads the application form part by part. Text parts share [`TEXT_BYTES`]; the file is
/// streamed to a temporary file within `inquiry.max_file_bytes`, and not even that when the
/// applicant is past a limit already. A refused file leaves what was typed readable.
pub(super) async fn read_form(
    state: &AppState,
    applicant: &Applicant,
    id: ApplicationId,
    mut multipart: axum::extract::Multipart,
) -> WebResult<Sent> {
    use ccus_app::attachments::{FileStore, UploadError};
    let max = state.config().inquiry.max_file_bytes;
    let mb = (max / (1024 * 1024)).to_string();
    let files = FileStore::new(&state.config().inquiry.attachments_dir);
    let mut form: HashMap<String, String> = HashMap::new();
    let mut file = SentFile::None;
    let mut text_left = TEXT_BYTES;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                // Too large or cut off: what arrived before stays on the form.
                if !matches!(file, SentFile::Refused(..)) {
                    file = SentFile::Refused(if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                        Refusal::new(
                            StatusCode::PAYLOAD_TOO_LARGE,
                            ta("apply-file-unsent", &[("mb", &mb)]),
                        )
                    } else {
                        Refusal::new(StatusCode::BAD_REQUEST, t("apply-file-cut"))
                    });
                }
                break;
            }
        };
        let name = field.name().unwrap_or("").to_owned();
        let mut field = field;
        if name == "file" {
            let file_name = field.file_name().unwrap_or("").to_owned();
            if file_name.is_empty() || !matches!(file, SentFile::None) {
                // No file chosen (an empty part), or a second file: nothing to keep.
                while let Ok(Some(_)) = field.chunk().await {}
                continue;
            }
            if let Some(limit) = registration::limits::before_upload(state, applicant, id).await? {
                while let Ok(Some(_)) = field.chunk().await {}
                let kind = form.get("kind").cloned().unwrap_or_default();
                file = SentFile::Refused(Refusal::limit(limit, &kind));
                continue;
            }
            let mut upload = files
                .begin(&file_name)
                .map_err(|e| WebError::unavailable("document storage", e))?;
            let mut refused = None;
            loop {
                match field.chunk().await {
                    Ok(Some(chunk)) => match upload.write(&chunk, max) {
                        Ok(()) => {}
                        Err(UploadError::TooLarge) => {
                            refused = Some((
                                StatusCode::PAYLOAD_TOO_LARGE,
                                ta("apply-file-too-large", &[("mb", &mb)]),
                            ));
                            break;
                        }
                        Err(UploadError::NotAllowed) => {
                            refused = Some((StatusCode::UNPROCESSABLE_ENTITY, t(NOT_ALLOWED)));
                            break;
                        }
                        Err(e) => return Err(WebError::unavailable("document storage", e)),
                    },
                    Ok(None) => break,
                    Err(_) => {
                        refused = Some((StatusCode::BAD_REQUEST, t("apply-file-cut")));
                        break;
                    }
                }
            }
            file = match refused {
                Some((status, why)) => SentFile::Refused(Refusal::new(status, why)),
                None if upload.size == 0 => SentFile::Refused(Refusal::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    t(NOT_ALLOWED),
                )),
                None => SentFile::Upload(upload),
            };
            continue;
        }
        let mut bytes: Vec<u8> = Vec::new();
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) if chunk.len() <= text_left => {
                    text_left -= chunk.len();
                    bytes.extend_from_slice(&chunk);
                }
                Ok(Some(_)) => {
                    return Err(WebError::BadRequest {
                        status: StatusCode::PAYLOAD_TOO_LARGE,
                        detail: format!("text parts over {TEXT_BYTES} bytes"),
                    })
                }
                Ok(None) => break,
                Err(e) => {
                    return Err(WebError::BadRequest {
                        status: StatusCode::BAD_REQUEST,
                        detail: e.to_string(),
                    })
                }
            }
        }
        // Invalid UTF-8 is refused, never turned into U+FFFD.
        let text = String::from_utf8(bytes).map_err(|_| WebError::BadRequest {
            status: StatusCode::BAD_REQUEST,
            detail: format!("multipart field {name:?} is not valid UTF-8"),
        })?;
        form.insert(name, text.replace("\r\n", "\n"));
    }
    Ok(Sent { form, file })
}

pub(super) const NOT_ALLOWED: &str = "apply-file-not-allowed";

/// Why a limit refused a document of `kind`, in the page's language.
pub(super) fn limit_text(limit: UploadLimit, kind: &str) -> String {
    match limit {
        UploadLimit::OfKind { max } => ta(
            "apply-document-too-many-of-kind",
            &[
                (
                    "document",
                    &t(&crate::present::labels::apply_key("document-short", kind)),
                ),
                ("max", &max.to_string()),
            ],
        ),
        UploadLimit::InAll { max } => ta("apply-document-too-many", &[("max", &max.to_string())]),
        UploadLimit::TooFast { minutes } => ta(
            "apply-upload-too-fast",
            &[("minutes", &minutes.to_string())],
        ),
    }
}

/// 一時保存, 書類をアップロードする or 申請する (`action`, else `default_action`) on the
/// application form: a document sent along is added first, then what was typed is saved —
/// as a draft, or sent when 申請する was pressed and the document (if any) was taken. Every
/// answer that is not a redirect shows the form again with everything typed.
pub(super) async fn answer_form(
    state: &AppState,
    applicant: &Applicant,
    csrf: String,
    id: ApplicationId,
    sent: Sent,
    default_action: &str,
) -> WebResult<Response> {
    use ccus_app::attachments::{FileStore, UploadError};
    let Sent { form, file } = sent;
    let action = form
        .get("action")
        .map_or(default_action, String::as_str)
        .to_owned();
    let kind = form.get("kind").cloned().unwrap_or_default();
    let mut added = false;
    let unprocessable = |why: String| Some(Refusal::new(StatusCode::UNPROCESSABLE_ENTITY, why));
    let refused: Option<Refusal> = match file {
        SentFile::Refused(r) => Some(r),
        SentFile::None if action == "upload" => unprocessable(t("apply-file-none")),
        SentFile::None => None,
        SentFile::Upload(upload) => {
            let files = FileStore::new(&state.config().inquiry.attachments_dir);
            match upload.store(&files) {
                Ok(stored) => {
                    match registration::add_document(state, applicant, id, &kind, stored).await? {
                        DocumentOutcome::Added => {
                            added = true;
                            None
                        }
                        DocumentOutcome::NotEditable => Some(Refusal::new(
                            StatusCode::CONFLICT,
                            t("apply-document-not-editable"),
                        )),
                        DocumentOutcome::UnknownKind => {
                            unprocessable(t("apply-document-kind-none"))
                        }
                        DocumentOutcome::PhotoMustBeImage => {
                            unprocessable(t("apply-photo-not-image"))
                        }
                        DocumentOutcome::PhotoRefused(why) => unprocessable(msg(&why)),
                        DocumentOutcome::Limited(limit) => Some(Refusal::limit(limit, &kind)),
                    }
                }
                Err(UploadError::NotAllowed) => unprocessable(t(NOT_ALLOWED)),
                Err(e) => return Err(WebError::unavailable("document storage", e)),
            }
        }
    };
    // A refused document stops a 申請 (it may be the one needed), never the saving.
    let submit = action == "submit" && refused.is_none();
    let typed: Vec<(Field, String)> = Field::ALL
        .iter()
        .copied()
        .filter_map(|f| form.get(f.key()).map(|v| (f, v.clone())))
        .collect();
    let outcome =
        registration::save(state, applicant, id, typed, submit, crate::i18n::lang()).await?;
    let Some(view) = registration::own(state, applicant, id).await? else {
        return Err(WebError::NotFound);
    };
    let mut page = application_page(state, &view, &view.documents, Some(&form), csrf);
    let field_errors = |page: &mut ApplicationPage, errors: &[(Field, Msg)]| {
        for (f, e) in errors {
            if let Some(it) = page.items.iter_mut().find(|i| i.key == f.key()) {
                it.error = Some(field_problem(*f, e));
            }
        }
    };
    if let Some(Refusal {
        status,
        why,
        retry_after,
    }) = refused
    {
        let mut n = Notice::new("error", t("apply-upload-failed"));
        match &outcome {
            SaveOutcome::Saved => n = n.line(t("apply-upload-failed-saved")),
            SaveOutcome::Invalid(errors) => {
                field_errors(&mut page, errors);
                n = n.line(ta(
                    "apply-upload-failed-invalid",
                    &[("count", &errors.len().to_string())],
                ));
            }
            _ => {}
        }
        page.notice = Some(n);
        page.document_error = Some(why);
        let mut resp = html(status, &page)?;
        if let Some(secs) = retry_after {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(secs));
        }
        return Ok(resp);
    }
    let added_line = |n: Notice| {
        if added {
            n.line(t("apply-document-added-anyway"))
        } else {
            n
        }
    };
    match outcome {
        SaveOutcome::Saved if added => {
            Ok(Redirect::to(&format!("/apply/{id}?done=document#documents")).into_response())
        }
        SaveOutcome::Saved => Ok(Redirect::to(&format!("/apply/{id}?done=saved")).into_response()),
        SaveOutcome::Submitted => {
            Ok(Redirect::to(&format!("/apply/{id}?done=submitted")).into_response())
        }
        SaveOutcome::NotEditable => Ok(Redirect::to(&format!("/apply/{id}")).into_response()),
        SaveOutcome::Invalid(errors) => {
            // What was typed stays on the form, next to what is wrong with it.
            field_errors(&mut page, &errors);
            page.notice = Some(added_line(
                Notice::new(
                    "error",
                    ta("apply-invalid", &[("count", &errors.len().to_string())]),
                )
                .line(t(if submit {
                    "apply-invalid-submit"
                } else {
                    "apply-invalid-save"
                })),
            ));
            html(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        SaveOutcome::MissingDocuments(missing) => {
            let mut n = Notice::new("error", t("apply-missing-documents"))
                .line(t("apply-missing-documents-line"));
            for kind in missing {
                n = n.line(ta(
                    "apply-missing-document",
                    &[("document", &document_label(kind))],
                ));
            }
            page.notice = Some(added_line(n));
            html(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        SaveOutcome::NoConsent => {
            page.notice = Some(added_line(
                Notice::new("error", t("apply-no-consent")).line(t("apply-no-consent-line")),
            ));
            html(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        SaveOutcome::AlreadyRegistered => {
            page.notice = Some(added_line(
                Notice::new("error", t("apply-already-registered"))
                    .line(t("apply-already-registered-line"))
                    .link("/ccus_skill/id/forgot", t("apply-forgot-id")),
            ));
            html(StatusCode::CONFLICT, &page)
        }
    }
}

/// The application form (see [`answer_form`]).
pub(super) async fn save(
    State(state): State<AppState>,
    ApplicantIn(applicant): ApplicantIn,
    CsrfToken(csrf): CsrfToken,
    Path(id): Path<ApplicationId>,
    body: ApplicationBody,
) -> WebResult<Response> {
    if registration::own(&state, &applicant, id).await?.is_none() {
        return Err(WebError::NotFound);
    }
    let sent = match body {
        ApplicationBody::Form(form) => Sent {
            form,
            file: SentFile::None,
        },
        ApplicationBody::Multipart(m) => read_form(&state, &applicant, id, m).await?,
    };
    answer_form(&state, &applicant, csrf, id, sent, "save").await
}

/// 書類の提出 from a form of its own (a kind and a file): as the application form's
/// 書類をアップロードする.
pub(super) async fn upload(
    State(state): State<AppState>,
    ApplicantIn(applicant): ApplicantIn,
    CsrfToken(csrf): CsrfToken,
    Path(id): Path<ApplicationId>,
    CheckedMultipart(multipart): CheckedMultipart,
) -> WebResult<Response> {
    if registration::own(&state, &applicant, id).await?.is_none() {
        return Err(WebError::NotFound);
    }
    let sent = read_form(&state, &applicant, id, multipart).await?;
    answer_form(&state, &applicant, csrf, id, sent, "upload").await
}

pub(super) async fn withdraw(
    State(state): State<AppState>,
    ApplicantIn(applicant): ApplicantIn,
    Path(id): Path<ApplicationId>,
    CheckedForm(_): CheckedForm<HashMap<String, String>>,
) -> WebResult<Response> {
    let done = if registration::withdraw(&state, &applicant, id).await? {
        "?done=withdrawn"
    } else {
        ""
    };
    Ok(Redirect::to(&format!("/apply/{id}{done}")).into_response())
}
