//! An application: started, read, saved, withdrawn.

use super::*;
use ccus_domain::ApplicationId;

/// An application with its items and 不備, as its applicant or a screener sees it.
#[derive(Debug, Clone)]
pub struct ApplicationView {
    pub application: Application,
    pub values: HashMap<Field, String>,
    pub defects: Vec<Defect>,
    /// For a 代行申請: the business that applies for the worker.
    pub business: Option<Account>,
    /// For a 代行申請: the worker's consent, once asked for.
    pub consent: Option<ApplicationConsent>,
    /// The documents sent with it so far.
    pub documents: Vec<ApplicationDocument>,
}

impl ApplicationView {
    pub fn value(&self, f: Field) -> String {
        self.values.get(&f).cloned().unwrap_or_default()
    }
    /// The open 不備 of an item.
    pub fn open_defect(&self, f: Field) -> Option<&Defect> {
        self.defects
            .iter()
            .find(|d| d.resolved_at.is_none() && d.field == f.key())
    }
    pub fn plan(&self) -> Option<Plan> {
        Plan::parse(&self.value(Field::Plan))
    }
    pub fn kind(&self) -> ApplicationKind {
        ApplicationKind::parse(&self.application.kind).unwrap_or(ApplicationKind::Technician)
    }
    /// Who the application is for: 氏名, or a business's 商号.
    pub fn display_name(&self) -> String {
        match self.kind() {
            ApplicationKind::Technician => self.value(Field::Name),
            ApplicationKind::Business => self.value(Field::CompanyName),
        }
    }
    /// The fee for what is entered now, if it can be told.
    pub fn fee_yen(&self) -> Option<i64> {
        fee_of(self.kind(), &|f| self.value(f))
    }
    /// Whether a business applies for the worker (代行申請).
    pub fn is_proxy(&self) -> bool {
        self.business.is_some()
    }
    /// Whether the worker's consent to a 代行申請 is on record: answered yes online, or a
    /// 代行申請同意書 among the documents.
    pub fn consent_on_record(&self, documents: &[ccus_storage::ApplicationDocument]) -> bool {
        self.consent
            .as_ref()
            .is_some_and(ApplicationConsent::consented)
            || documents.iter().any(|d| d.kind == PROXY_CONSENT_DOCUMENT)
    }
    /// The worker's consent to a 代行申請 as it stands, for a page.
    pub fn consent_msg(
        &self,
        documents: &[ccus_storage::ApplicationDocument],
        now: Timestamp,
    ) -> Msg {
        let by_document = documents.iter().any(|d| d.kind == PROXY_CONSENT_DOCUMENT);
        match &self.consent {
            Some(c) if c.consented() => Msg::new("apply-consent-given")
                .arg("at", c.answered_at.map(|t| t.jst()).unwrap_or_default())
                .arg("email", &c.email),
            _ if by_document => Msg::new("apply-consent-by-document"),
            Some(c) if c.answer == "declined" => Msg::new("apply-consent-refused"),
            Some(c) if c.expires_at <= now => Msg::new("apply-consent-expired"),
            Some(c) => Msg::new("apply-consent-waiting").arg("email", &c.email),
            None => Msg::new("apply-consent-not-asked"),
        }
    }
    /// Where the account's mail goes once issued: the person's own address, or the
    /// application login's.
    pub fn person_email(&self, applicant_email: &str) -> String {
        let own = self.value(Field::Email);
        if own.trim().is_empty() {
            applicant_email.to_owned()
        } else {
            own.trim().to_owned()
        }
    }
}

/// The registration fee for the values of an application, if they tell it: never ¥0 but for a
/// 一人親方, and `None` while the capital of any other business is not a number of yen.
pub(super) fn fee_of(kind: ApplicationKind, value: &dyn Fn(Field) -> String) -> Option<i64> {
    match kind {
        ApplicationKind::Technician => {
            Plan::parse(&value(Field::Plan)).map(|p| i64::from(p.fee_yen()))
        }
        ApplicationKind::Business => {
            let sole = value(Field::SoleProprietor) == "sole";
            let capital = parse_yen(&value(Field::Capital));
            if sole {
                Some(0)
            } else {
                capital.map(|c| i64::from(business_fee_yen(c, false)))
            }
        }
    }
}

pub(super) async fn load(app: &App, application: Application) -> AppResult<ApplicationView> {
    let values = app
        .store()
        .registrations()
        .application_fields(application.id)
        .await?
        .into_iter()
        .filter_map(|(k, v)| Field::parse(&k).map(|f| (f, v)))
        .collect();
    let defects = app
        .store()
        .registrations()
        .application_defects(application.id)
        .await?;
    let business = match app
        .store()
        .registrations()
        .applicant(application.applicant_id)
        .await?
    {
        Some(Applicant {
            business_account_id: Some(b),
            ..
        }) => app.store().accounts().account_by_id(b).await?,
        _ => None,
    };
    let consent = if business.is_some() {
        app.store()
            .registrations()
            .application_consent(application.id)
            .await?
    } else {
        None
    };
    let documents = app
        .store()
        .registrations()
        .application_documents(application.id)
        .await?;
    Ok(ApplicationView {
        application,
        values,
        defects,
        business,
        consent,
        documents,
    })
}

/// The applicant's applications, for their home page.
pub async fn applications_of(app: &App, applicant: &Applicant) -> AppResult<Vec<Application>> {
    Ok(app
        .store()
        .registrations()
        .applications_of(applicant.id)
        .await?)
}

/// An application of this applicant (another's reads as none).
pub async fn own(
    app: &App,
    applicant: &Applicant,
    id: ApplicationId,
) -> AppResult<Option<ApplicationView>> {
    match app.store().registrations().application(id).await? {
        Some(a) if a.applicant_id == applicant.id => Ok(Some(load(app, a).await?)),
        _ => Ok(None),
    }
}

/// The answer to starting an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewApplication {
    Created(i64),
    /// The login holds `max` open applications already (`registration.max_open_applications`).
    TooMany {
        max: u64,
    },
}

/// Starts an application (a draft). A business's 代行申請 login starts only technicians'
/// applications, with itself as the employer until changed. An application login holds at
/// most [`limits::max_open_applications`] open ones.
pub async fn new_application(
    app: &App,
    applicant: &Applicant,
    kind: ApplicationKind,
) -> AppResult<NewApplication> {
    let now = app.clock().now();
    let business = match applicant.business_account_id {
        Some(b) => app.store().accounts().account_by_id(b).await?,
        None => None,
    };
    let kind = if business.is_some() {
        ApplicationKind::Technician
    } else {
        kind
    };
    let max = limits::max_open_applications(app, applicant);
    let mut tx = app.store().begin().await?;
    // The applicant's row first: two requests at once count one after the other.
    tx.applicants().lock_applicant(applicant.id).await?;
    if tx.applicants().open_applications_of(applicant.id).await? >= max {
        return Ok(NewApplication::TooMany { max });
    }
    let id = tx
        .registrations()
        .create_application(applicant.id, kind.as_str(), now)
        .await?;
    if let Some(b) = &business {
        tx.registrations()
            .set_application_fields(
                id.get(),
                &[(Field::Employer.key(), b.login_id.to_string())],
                now,
            )
            .await?;
    }
    tx.commit().await?;
    Ok(NewApplication::Created(id.get()))
}
