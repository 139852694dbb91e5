//! Saving what the applicant typed, and withdrawing an application.

use super::*;
use ccus_domain::ApplicationId;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveOutcome {
    /// 一時保存 done.
    Saved,
    /// 申請 done: waiting for screening.
    Submitted,
    /// Items to fix (nothing was stored); the form shows them next to the items.
    Invalid(Vec<(Field, Msg)>),
    /// The person is registered already (same フリガナ and 生年月日).
    AlreadyRegistered,
    /// The application cannot be changed now (sent, approved…).
    NotEditable,
    /// 申請 needs these documents first (their kinds, as in [`DOCUMENT_KINDS`]).
    MissingDocuments(Vec<&'static str>),
    /// A 代行申請 needs the worker's consent first.
    NoConsent,
}

pub(super) fn today(now: Timestamp) -> time::Date {
    ccus_domain::calendar::jst_datetime(now).map_or(time::Date::MIN, |t| t.date())
}

/// Stores what was typed (一時保存), or sends the application (申請) when `submit`. While the
/// application is returned with 不備, only the items named can change.
pub async fn save(
    app: &App,
    applicant: &Applicant,
    id: ApplicationId,
    typed: Vec<(Field, String)>,
    submit: bool,
    lang: crate::i18n::Lang,
) -> AppResult<SaveOutcome> {
    let Some(view) = own(app, applicant, id).await? else {
        return Ok(SaveOutcome::NotEditable);
    };
    let status = view.application.status;
    if !status.editable() {
        return Ok(SaveOutcome::NotEditable);
    }
    let kind = view.kind();
    let mut merged = view.values.clone();
    let mut changes: Vec<(&str, String)> = Vec::new();
    for (f, v) in typed {
        if !kind.fields().contains(&f)
            || (status == Status::Returned && view.open_defect(f).is_none())
        {
            continue;
        }
        let v = v.trim().to_owned();
        let v = match f {
            Field::BirthDate => parse_birth_date(&v).map(format_date).unwrap_or(v),
            _ => v,
        };
        if merged.get(&f).map(String::as_str).unwrap_or("") != v {
            changes.push((f.key(), v.clone()));
        }
        merged.insert(f, v);
    }
    let all = |f: Field| merged.get(&f).cloned().unwrap_or_default();
    let today = today(app.clock().now());
    let mut errors: Vec<(Field, Msg)> = kind
        .fields()
        .iter()
        .filter_map(|f| {
            field_problem(*f, &all(*f), &all, today, submit).map(|p| (*f, field_problem_msg(*f, p)))
        })
        .collect();
    if kind.fields().contains(&Field::Email) && !errors.iter().any(|(f, _)| *f == Field::Email) {
        let email = all(Field::Email);
        let problem = match &view.business {
            Some(b) if submit || !email.trim().is_empty() => {
                proxy_email_problem(&email, &business_addresses(app, b).await?)
            }
            _ if !email.trim().is_empty()
                && !crate::account::provisioning::valid_email(email.trim()) =>
            {
                Some(Msg::new("apply-problem-email"))
            }
            _ => None,
        };
        if let Some(p) = problem {
            errors.push((Field::Email, p));
        }
    }
    if !errors.is_empty() {
        return Ok(SaveOutcome::Invalid(errors));
    }
    // The worker consented to a 代行申請 naming them at their address: changing who it names
    // or where their login goes asks them again.
    let names_changed = changes.iter().any(|(k, _)| {
        [Field::Name, Field::Furigana, Field::BirthDate, Field::Email]
            .iter()
            .any(|f| f.key() == *k)
    });
    let now = app.clock().now();
    let key = match kind {
        ApplicationKind::Technician => person_key(&all(Field::Furigana), &all(Field::BirthDate)),
        ApplicationKind::Business => String::new(),
    };
    if submit {
        let have = app
            .store()
            .registrations()
            .application_documents(id)
            .await?;
        let missing: Vec<&'static str> = required_documents(kind, &merged)
            .into_iter()
            .filter(|k| !have.iter().any(|d| d.kind == *k))
            .collect();
        if !missing.is_empty() {
            return Ok(SaveOutcome::MissingDocuments(missing));
        }
        let consented_online = !names_changed
            && view
                .consent
                .as_ref()
                .is_some_and(ApplicationConsent::consented);
        let signed = have.iter().any(|d| d.kind == PROXY_CONSENT_DOCUMENT);
        if view.is_proxy() && !consented_online && !signed {
            return Ok(SaveOutcome::NoConsent);
        }
        let registered = if kind == ApplicationKind::Technician {
            app.store()
                .registrations()
                .accounts_of_person(&search_key(&all(Field::Furigana)), &all(Field::BirthDate))
                .await?
        } else {
            Vec::new()
        };
        if registered
            .iter()
            .any(|a| search_key(&a.name) == search_key(&all(Field::Name)))
        {
            return Ok(SaveOutcome::AlreadyRegistered);
        }
    }
    // Never ¥0 by mistake: without a fee the items must say why (checked above); if they do
    // not, the capital is what is missing.
    let fee = match fee_of(kind, &all) {
        Some(fee) => fee,
        None if submit => {
            return Ok(SaveOutcome::Invalid(vec![(
                Field::Capital,
                field_problem_msg(Field::Capital, FieldProblem::CapitalFormat),
            )]))
        }
        None => 0,
    };
    let mut tx = app.store().begin().await?;
    tx.registrations()
        .set_application_fields(id.get(), &changes, now)
        .await?;
    if view.is_proxy() && names_changed && view.consent.is_some() {
        tx.registrations().clear_consent(id).await?;
    }
    if submit {
        tx.registrations()
            .set_application_terms(id, &key, fee)
            .await?;
        tx.registrations().resolve_defects(id, now).await?;
        if !tx
            .registrations()
            .move_application(id, status, Status::Submitted, now)
            .await?
        {
            return Ok(SaveOutcome::NotEditable);
        }
        tx.languages()
            .set_application_language(id, lang.code(), now)
            .await?;
        tx.outbox()
            .enqueue_mail(
                &crate::registration::mails::application_received(
                    app,
                    lang,
                    &applicant.email,
                    id,
                    kind,
                    fee,
                ),
                now,
            )
            .await?;
    }
    tx.commit().await?;
    if submit {
        app.wake_mail();
        tracing::info!(application = %id, "application submitted");
        Ok(SaveOutcome::Submitted)
    } else {
        Ok(SaveOutcome::Saved)
    }
}

/// 取り下げ: the applicant withdraws an application that is not yet approved. Its data is then
/// deleted after `registration.closed_retention`.
pub async fn withdraw(app: &App, applicant: &Applicant, id: ApplicationId) -> AppResult<bool> {
    let Some(view) = own(app, applicant, id).await? else {
        return Ok(false);
    };
    let from = view.application.status;
    if !matches!(from, Status::Draft | Status::Submitted | Status::Returned) {
        return Ok(false);
    }
    let mut tx = app.store().begin().await?;
    if !tx
        .registrations()
        .move_application(id, from, Status::Closed, app.clock().now())
        .await?
    {
        return Ok(false);
    }
    tx.commit().await?;
    tracing::info!(application = %id, "application withdrawn");
    Ok(true)
}
