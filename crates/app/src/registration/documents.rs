//! The documents an application carries: which kinds, which are required, adding one, a screener reading one.

use super::*;
use ccus_domain::{ApplicationId, DocumentId};

// ---- documents ---------------------------------------------------------------------------------

/// The kinds of documents: (code, label).
pub const DOCUMENT_KINDS: &[(&str, &str)] = &[
    (
        "identity",
        "本人確認書類（マイナンバーカード・運転免許証・パスポートと住所の確認書類・在留カード）",
    ),
    (
        "photo",
        "顔写真（6か月以内に撮影したもの。登録後は変更できません）",
    ),
    ("residence_card", "在留カード（日本国籍以外の方）"),
    ("qualification", "資格証の写し"),
    ("insurance", "社会保険の加入を確認できる書類"),
    (
        "company_registry",
        "登記事項証明書（個人事業主は開業届や確定申告書の写し）",
    ),
    ("permit", "建設業許可通知書の写し"),
    (
        PROXY_CONSENT_DOCUMENT,
        "代行申請同意書（本人が署名したもの）",
    ),
];

/// The kinds of documents an application of `kind` may carry, those every such application
/// needs first; a 代行申請 (`proxy`) also its 代行申請同意書.
pub fn document_kinds(kind: ApplicationKind, proxy: bool) -> Vec<(&'static str, &'static str)> {
    const BUSINESS: [&str; 3] = ["company_registry", "permit", "insurance"];
    match kind {
        ApplicationKind::Business => BUSINESS
            .iter()
            .filter_map(|b| DOCUMENT_KINDS.iter().copied().find(|(k, _)| k == b))
            .collect(),
        ApplicationKind::Technician => DOCUMENT_KINDS
            .iter()
            .copied()
            .filter(|(k, _)| !BUSINESS[..2].contains(k) && (proxy || *k != PROXY_CONSENT_DOCUMENT))
            .collect(),
    }
}

/// Needed before 申請 by every technician's application.
pub const REQUIRED_DOCUMENTS: &[&str] = &["identity", "photo"];

/// The documents an application needs, by what it says: a technician's identity document and
/// face photo, the residence card of a foreign national, a copy of the qualifications listed;
/// a business's registry certificate and, when it has one, its construction permit.
pub fn required_documents(
    kind: ApplicationKind,
    values: &HashMap<Field, String>,
) -> Vec<&'static str> {
    let v = |f: Field| {
        values
            .get(&f)
            .map(|s| s.trim().to_owned())
            .unwrap_or_default()
    };
    if kind == ApplicationKind::Business {
        let mut out = vec!["company_registry"];
        if !v(Field::Permit).is_empty() {
            out.push("permit");
        }
        return out;
    }
    let mut out = REQUIRED_DOCUMENTS.to_vec();
    let nationality = v(Field::Nationality);
    if !nationality.is_empty() && !ccus_domain::registration::is_japanese(&nationality) {
        out.push("residence_card");
    }
    if !v(Field::Qualifications).is_empty() {
        out.push("qualification");
    }
    out
}

pub fn document_label(kind: &str) -> &'static str {
    DOCUMENT_KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("書類", |(_, l)| l)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentOutcome {
    Added,
    NotEditable,
    UnknownKind,
    /// A face photo must be a JPEG or PNG image.
    PhotoMustBeImage,
    /// The face photo cannot be used (too small, sideways, older than 6 months); why.
    PhotoRefused(Msg),
    /// A limit on documents or uploads ([`limits`]).
    Limited(UploadLimit),
}

/// Adds a document (already stored, typed by its content) to an application the applicant may
/// still change. The row (and, on a shared database, the bytes) is committed before the file is
/// kept, so a failure leaves nothing behind.
pub async fn add_document(
    app: &App,
    applicant: &Applicant,
    id: ApplicationId,
    kind: &str,
    stored: crate::attachments::Stored,
) -> AppResult<DocumentOutcome> {
    let Some(view) = own(app, applicant, id).await? else {
        return Ok(DocumentOutcome::NotEditable);
    };
    if !view.application.status.editable() {
        return Ok(DocumentOutcome::NotEditable);
    }
    if !document_kinds(view.kind(), view.is_proxy())
        .iter()
        .any(|(k, _)| *k == kind)
    {
        return Ok(DocumentOutcome::UnknownKind);
    }
    // Every upload that gets this far counts, taken or not: it cost the upload.
    if let Some(limit) = limits::count_upload(app, applicant).await? {
        return Ok(DocumentOutcome::Limited(limit));
    }
    if kind == "photo" {
        if stored.file_type == crate::attachments::FileType::Pdf {
            return Ok(DocumentOutcome::PhotoMustBeImage);
        }
        let bytes = stored
            .bytes()
            .map_err(|e| AppError::unavailable(format!("document {}", stored.name), e))?;
        if let Some(why) =
            ccus_documents::photo::face_photo_problem(&bytes, today(app.clock().now()))
        {
            return Ok(DocumentOutcome::PhotoRefused(photo_problem_msg(why)));
        }
    }
    let now = app.clock().now();
    let mut tx = app.store().begin().await?;
    // The application's row first (still editable): uploads at the same moment count one
    // after the other.
    if !tx.applicants().touch_editable_application(id, now).await? {
        return Ok(DocumentOutcome::NotEditable);
    }
    if let Some(limit) = limits::document_fits(app, &mut tx, id, kind).await? {
        return Ok(DocumentOutcome::Limited(limit));
    }
    tx.registrations()
        .add_application_document(
            id,
            kind,
            &stored.name,
            &stored.original_name,
            stored.file_type.content_type(),
            i64::try_from(stored.size).unwrap_or(i64::MAX),
            now,
        )
        .await?;
    if crate::attachments::shared(app) {
        let bytes = stored
            .bytes()
            .map_err(|e| AppError::unavailable(format!("document {}", stored.name), e))?;
        tx.inquiries()
            .put_attachment_bytes(&stored.name, &bytes)
            .await?;
    }
    tx.commit().await?;
    stored.keep();
    Ok(DocumentOutcome::Added)
}

/// A document for a screener to look at, with its bytes; the download is audited.
pub async fn document_for_screener(
    app: &App,
    staff: &Staff,
    application_id: ApplicationId,
    document_id: DocumentId,
) -> AppResult<Option<(ccus_storage::ApplicationDocument, Vec<u8>)>> {
    if !may_see(app, staff, application_id).await? {
        return Ok(None);
    }
    let Some(d) = app
        .store()
        .registrations()
        .application_document(document_id)
        .await?
    else {
        return Ok(None);
    };
    if d.application_id != application_id {
        return Ok(None);
    }
    let Some(bytes) = crate::attachments::read_stored(app, &d.stored_name).await? else {
        return Ok(None);
    };
    let now = app.clock().now();
    let mut tx = app.store().begin().await?;
    crate::audit::record(
        &mut tx,
        &crate::audit::Actor::Staff { pk: staff.id },
        crate::audit::AuditEvent::new(
            crate::audit::AuditAction::DocumentOpened,
            crate::audit::AuditDetail::Document {
                application: application_id,
                document: d.kind.clone(),
                name: d.original_name.clone(),
            },
        ),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Some((d, bytes)))
}
