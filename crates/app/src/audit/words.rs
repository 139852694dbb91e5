//! An audit entry in its reader's language: the actor, the action (`audit-<code>`) and the
//! detail (`audit-detail-<shape>`), from the catalogs. Recorded words are shown as they are.

use ccus_domain::registration::{DefectCode, Field};
use ccus_domain::{LoginId, Timestamp};

use super::{ActorSeen, AuditAction, AuditDetail, AuditEntry, RecordedAction, SignInRefusal};
use crate::i18n::{browser_in, defect_key, field_key, text_in, Lang};

/// A 14-digit ID grouped for reading; anything else as it is.
fn grouped(id: &str) -> String {
    LoginId::parse(id).map_or_else(|_| id.to_owned(), |i| i.grouped())
}

fn site_grouped(id: &str) -> String {
    ccus_domain::SiteId::parse(id).map_or_else(|_| id.to_owned(), |i| i.grouped())
}

/// The text of `key`; `fallback` when no catalog has it.
fn known_or(lang: Lang, key: &str, fallback: &str) -> String {
    let words = text_in(lang, key, &[]);
    if words == key {
        fallback.to_owned()
    } else {
        words
    }
}

fn place(lang: Lang, place: &Option<super::TierRef>) -> String {
    match place {
        Some(t) => text_in(
            lang,
            "org-place-tier",
            &[("level", &t.level.to_string()), ("name", &t.name)],
        ),
        None => text_in(lang, "org-place-business", &[]),
    }
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

impl AuditAction {
    /// Its words' key in the catalogs.
    pub fn key(self) -> String {
        format!("audit-{}", self.code())
    }

    pub fn words(self, lang: Lang) -> String {
        text_in(lang, &self.key(), &[])
    }
}

impl SignInRefusal {
    fn key(self) -> &'static str {
        match self {
            SignInRefusal::Locked => "audit-refusal-locked",
            SignInRefusal::WrongPasswordNowLocked => "audit-refusal-wrong-password-now-locked",
            SignInRefusal::WrongPassword => "audit-refusal-wrong-password",
            SignInRefusal::NoSuchStaffId => "audit-refusal-no-such-staff-id",
            SignInRefusal::WrongPasskey => "audit-refusal-wrong-passkey",
            SignInRefusal::WrongCode => "audit-refusal-wrong-code",
            SignInRefusal::Stopped => "audit-refusal-stopped",
        }
    }
}

impl AuditDetail {
    /// The key of this shape's words; `None` for recorded words.
    pub fn key(&self) -> Option<&'static str> {
        Some(match self {
            AuditDetail::Nothing => return None,
            AuditDetail::Recorded(_) => return None,
            AuditDetail::Connection { .. } => "audit-detail-connection",
            AuditDetail::SignInRefused { .. } => "audit-detail-sign-in-refused",
            AuditDetail::InitialPasswordReplaced => "audit-detail-initial-password",
            AuditDetail::StaffMember { .. } => "audit-detail-staff-member",
            AuditDetail::Passkey { .. } => "audit-detail-passkey",
            AuditDetail::SentTo { .. } => "audit-detail-sent-to",
            AuditDetail::Unlocked { .. } => "audit-detail-unlocked",
            AuditDetail::EmailChanged { .. } => "audit-detail-email-changed",
            AuditDetail::Inquiry { .. } => "audit-detail-inquiry",
            AuditDetail::InquiryStatus { .. } => "audit-detail-inquiry-status",
            AuditDetail::InquiryReply { .. } => "audit-detail-inquiry-reply",
            AuditDetail::InquiryFile { .. } => "audit-detail-inquiry-file",
            AuditDetail::MaintenanceWindow { .. } => "audit-detail-maintenance-window",
            AuditDetail::MaintenanceCancelled { .. } => "audit-detail-maintenance-cancelled",
            AuditDetail::Notice { .. } => "audit-detail-notice",
            AuditDetail::Faq {
                translates: None, ..
            } => "audit-detail-faq",
            AuditDetail::Faq {
                translates: Some(_),
                ..
            } => "audit-detail-faq-translation",
            AuditDetail::Application { .. } => "audit-detail-application",
            AuditDetail::Returned { .. } => "audit-detail-returned",
            AuditDetail::Payment { .. } => "audit-detail-payment",
            AuditDetail::IdIssued { .. } => "audit-detail-id-issued",
            AuditDetail::Document { .. } => "audit-detail-document",
            AuditDetail::Corrected { .. } => "audit-detail-corrected",
            AuditDetail::CardReissued { .. } => "audit-detail-card-reissued",
            AuditDetail::Tier { .. } => "audit-detail-tier",
            AuditDetail::MemberIssued { .. } => "audit-detail-member-issued",
            AuditDetail::Person { .. } => "audit-detail-person",
            AuditDetail::Technician { .. } => "audit-detail-technician",
            AuditDetail::Site { .. } => "audit-detail-site",
            AuditDetail::SitePlacement { .. } => "audit-detail-site-placement",
            AuditDetail::SiteWorker { .. } => "audit-detail-site-worker",
            AuditDetail::Agreement { proxy: false, .. } => "audit-detail-agreement",
            AuditDetail::Agreement { proxy: true, .. } => "audit-detail-agreement-proxy",
            AuditDetail::Pattern { .. } => "audit-detail-pattern",
            AuditDetail::SiteMoved { .. } => "audit-detail-site-moved",
            AuditDetail::Reader { .. } => "audit-detail-reader",
            AuditDetail::WorkDay { .. } => "audit-detail-work-day",
            AuditDetail::Card { .. } => "audit-detail-card",
            AuditDetail::ApiClient { .. } => "audit-detail-api-client",
            AuditDetail::ApiGrant { .. } => "audit-detail-api-grant",
        })
    }

    /// The detail in `lang`.
    pub fn words(&self, lang: Lang) -> String {
        let Some(key) = self.key() else {
            return match self {
                AuditDetail::Recorded(words) => words.clone(),
                _ => String::new(),
            };
        };
        let t = |args: &[(&str, &str)]| text_in(lang, key, args);
        match self {
            AuditDetail::Nothing | AuditDetail::Recorded(_) => String::new(),
            AuditDetail::InitialPasswordReplaced => t(&[]),
            AuditDetail::Connection {
                address,
                user_agent,
            } => t(&[
                ("address", address),
                ("browser", &browser_in(lang, user_agent)),
            ]),
            AuditDetail::SignInRefused {
                address,
                user_agent,
                why,
            } => t(&[
                ("address", address),
                ("browser", &browser_in(lang, user_agent)),
                ("why", &text_in(lang, why.key(), &[])),
            ]),
            AuditDetail::StaffMember { staff_id } => t(&[("staff_id", staff_id)]),
            AuditDetail::Passkey { name } => t(&[("name", name)]),
            AuditDetail::SentTo { email } => t(&[("email", email)]),
            AuditDetail::Unlocked {
                id_was_locked,
                browsers_locked,
            } => t(&[
                ("id", yes_no(*id_was_locked)),
                ("count", &browsers_locked.to_string()),
            ]),
            AuditDetail::EmailChanged {
                old,
                new,
                passkeys_removed,
            } => t(&[
                ("old", old),
                ("new", new),
                ("count", &passkeys_removed.to_string()),
            ]),
            AuditDetail::Inquiry { receipt } => t(&[("receipt", receipt)]),
            AuditDetail::InquiryStatus { receipt, status } => t(&[
                ("receipt", receipt),
                (
                    "status",
                    &known_or(
                        lang,
                        &format!("helpdesk-inquiry-{}", status.replace('_', "-")),
                        status,
                    ),
                ),
            ]),
            AuditDetail::InquiryReply { receipt, email } => {
                t(&[("receipt", receipt), ("email", email)])
            }
            AuditDetail::InquiryFile { file, name } => {
                t(&[("file", &file.to_string()), ("name", name)])
            }
            AuditDetail::MaintenanceWindow {
                window,
                starts_at,
                ends_at,
            } => t(&[
                ("id", &window.to_string()),
                ("from", &Timestamp(*starts_at).jst()),
                ("to", &Timestamp(*ends_at).jst()),
            ]),
            AuditDetail::MaintenanceCancelled { window } => t(&[("id", &window.to_string())]),
            AuditDetail::Notice { notice, title } => {
                t(&[("id", &notice.to_string()), ("title", title)])
            }
            AuditDetail::Faq {
                faq,
                question,
                lang: of_lang,
                translates,
            } => t(&[
                ("id", &faq.to_string()),
                ("question", question),
                (
                    "lang",
                    &Lang::parse(of_lang).map_or_else(|| of_lang.clone(), |l| l.name().to_owned()),
                ),
                ("of", &translates.map(|o| o.to_string()).unwrap_or_default()),
            ]),
            AuditDetail::Application { application } => t(&[("id", &application.to_string())]),
            AuditDetail::Returned {
                application,
                defects,
            } => {
                let items: Vec<String> = defects
                    .iter()
                    .map(|d| {
                        let field = Field::parse(&d.field)
                            .map_or_else(|| d.field.clone(), |f| text_in(lang, &field_key(f), &[]));
                        let defect = DefectCode::parse(&d.code)
                            .map_or_else(|| d.code.clone(), |c| text_in(lang, &defect_key(c), &[]));
                        text_in(
                            lang,
                            "audit-defect",
                            &[("field", &field), ("defect", &defect)],
                        )
                    })
                    .collect();
                let list = items.join(&text_in(lang, "audit-list-separator", &[]));
                t(&[("id", &application.to_string()), ("defects", &list)])
            }
            AuditDetail::Payment {
                application,
                reference,
            } => t(&[("id", &application.to_string()), ("reference", reference)]),
            AuditDetail::IdIssued {
                application,
                id_kind,
                login_id,
            }
            | AuditDetail::CardReissued {
                application,
                id_kind,
                login_id,
            } => t(&[
                ("id", &application.to_string()),
                ("kind", &known_or(lang, &format!("id-{id_kind}"), id_kind)),
                ("login_id", &grouped(login_id)),
            ]),
            AuditDetail::Document {
                application,
                document,
                name,
            } => {
                let other = text_in(lang, "apply-document-other", &[]);
                let kind = known_or(
                    lang,
                    &format!("apply-document-{}", document.replace('_', "-")),
                    &other,
                );
                t(&[
                    ("id", &application.to_string()),
                    ("document", &kind),
                    ("name", name),
                ])
            }
            AuditDetail::Corrected {
                application,
                field,
                old,
                new,
            } => {
                let field = Field::parse(field)
                    .map_or_else(|| field.clone(), |f| text_in(lang, &field_key(f), &[]));
                t(&[
                    ("id", &application.to_string()),
                    ("field", &field),
                    ("old", old),
                    ("new", new),
                ])
            }
            AuditDetail::Tier {
                level,
                name,
                parent,
            } => t(&[
                ("level", &level.to_string()),
                ("name", name),
                ("parent", &place(lang, parent)),
            ]),
            AuditDetail::MemberIssued {
                name,
                login_id,
                role,
                place: at,
            } => t(&[
                ("name", name),
                ("id", &grouped(login_id)),
                (
                    "role",
                    &known_or(lang, &format!("org-role-{}", role.replace('_', "-")), role),
                ),
                ("place", &place(lang, at)),
            ]),
            AuditDetail::Person { name, login_id } => {
                t(&[("name", name), ("id", &grouped(login_id))])
            }
            AuditDetail::Technician { login_id } => t(&[("id", &grouped(login_id))]),
            AuditDetail::Site { site_id, name } => {
                t(&[("site", &site_grouped(site_id)), ("name", name)])
            }
            AuditDetail::SitePlacement {
                site_id,
                name,
                business_id,
                business_name,
            } => t(&[
                ("site", &site_grouped(site_id)),
                ("name", name),
                ("id", &grouped(business_id)),
                ("business", business_name),
            ]),
            AuditDetail::SiteWorker {
                site_id,
                name,
                login_id,
            } => t(&[
                ("site", &site_grouped(site_id)),
                ("name", name),
                ("id", &grouped(login_id)),
            ]),
            AuditDetail::Agreement {
                business_id,
                business_name,
                ..
            } => t(&[("id", &grouped(business_id)), ("business", business_name)]),
            AuditDetail::Pattern {
                pattern: kind,
                name,
                entries,
            } => t(&[
                (
                    "kind",
                    &known_or(lang, &format!("site-pattern-kind-{kind}"), kind),
                ),
                ("name", name),
                ("count", &entries.to_string()),
            ]),
            AuditDetail::SiteMoved {
                site_id,
                business_id,
                from,
                to,
            } => t(&[
                ("site", &site_grouped(site_id)),
                ("id", &grouped(business_id)),
                ("from", &grouped(from)),
                ("to", &grouped(to)),
            ]),
            AuditDetail::Reader {
                site_id,
                name,
                reader,
                hint,
            } => t(&[
                ("site", &site_grouped(site_id)),
                ("name", name),
                ("reader", reader),
                ("hint", hint),
            ]),
            AuditDetail::Card { login_id, number } => {
                t(&[("id", &grouped(login_id)), ("number", number)])
            }
            AuditDetail::WorkDay {
                site_id,
                name,
                login_id,
                day,
            } => t(&[
                ("site", &site_grouped(site_id)),
                ("name", name),
                ("id", &grouped(login_id)),
                ("day", day),
            ]),
            AuditDetail::ApiClient {
                client_id,
                name,
                change,
            } => t(&[("client", client_id), ("name", name), ("change", change)]),
            AuditDetail::ApiGrant {
                client_id,
                name,
                scopes,
            } => t(&[("client", client_id), ("name", name), ("scopes", scopes)]),
        }
    }
}

impl AuditEntry {
    /// Who acted, in `lang`.
    pub fn actor_words(&self, lang: Lang) -> String {
        match &self.actor {
            ActorSeen::Staff { staff_id, name } => text_in(
                lang,
                "audit-actor-person",
                &[("name", name), ("id", staff_id)],
            ),
            ActorSeen::Operator => text_in(lang, "audit-actor-operator", &[]),
            ActorSeen::Member { name, login_id } => text_in(
                lang,
                "audit-actor-person",
                &[("name", name), ("id", &grouped(login_id))],
            ),
            ActorSeen::Unrecognised { staff_id } => {
                text_in(lang, "audit-actor-unrecognised", &[("id", staff_id)])
            }
            ActorSeen::Client {
                system,
                vendor,
                name,
                login_id,
            } => text_in(
                lang,
                "audit-actor-client",
                &[
                    ("system", system),
                    ("vendor", vendor),
                    ("name", name),
                    ("id", &grouped(login_id)),
                ],
            ),
            ActorSeen::Recorded(words) => words.clone(),
        }
    }

    /// What was done, in `lang`; a code this version does not know, as recorded.
    pub fn action_words(&self, lang: Lang) -> String {
        match &self.action {
            RecordedAction::Known(a) => a.words(lang),
            RecordedAction::Recorded(code) => code.clone(),
        }
    }

    /// The detail in `lang`.
    pub fn detail_words(&self, lang: Lang) -> String {
        self.detail.words(lang)
    }

    /// The detail in `lang` with the reason given, for a page with no column of its own for
    /// it (a business's 操作の記録).
    pub fn detail_and_reason_words(&self, lang: Lang) -> String {
        let detail = self.detail_words(lang);
        if self.reason.is_empty() {
            detail
        } else {
            text_in(
                lang,
                "audit-with-reason",
                &[("detail", &detail), ("reason", &self.reason)],
            )
        }
    }
}
