//! The mails of sites and 施工体制, each to a business's (or technician's) registered address in
//! its language: a 要請 (or a place made at once under a 合意), its answer or withdrawal, a
//! 合意 offered, and a technician asked onto another company's 名簿.

use ccus_domain::AccountKind;
use ccus_storage::{Account, NewMail, Site};

use crate::i18n::{text_in, Lang};
use crate::mail::*;
use crate::App;

fn site_line(lang: Lang, site: &Site) -> String {
    text_in(
        lang,
        "mail-site-line",
        &[("id", &site.site_id.grouped()), ("name", &site.name)],
    )
}

fn page_line(state: &App, lang: Lang, page_key: &str) -> String {
    text_in(
        lang,
        "mail-site-how",
        &[
            ("page", &text_in(lang, page_key, &[])),
            ("url", &entrance(state, AccountKind::Business)),
        ],
    )
}

/// 施工体制の要請: `upper` asks the business onto the site; or, under their 合意, has placed
/// it there at once (`at_once`).
pub fn placement_requested(
    state: &App,
    lang: Lang,
    to: &Account,
    site: &Site,
    upper: &str,
    at_once: bool,
) -> NewMail {
    let (subject, line, page) = if at_once {
        (
            "mail-site-placed-subject",
            "mail-site-placed-line",
            "menu-sites",
        )
    } else {
        (
            "mail-site-requested-subject",
            "mail-site-requested-line",
            "sites-pending-title",
        )
    };
    mail_in(
        lang,
        &to.email,
        subject,
        format!(
            "{honor}\n\n{line}\n{site}\n\n{how}\n",
            honor = honorific(lang, &to.name),
            line = text_in(lang, line, &[("upper", upper)]),
            site = site_line(lang, site),
            how = page_line(state, lang, page),
        ),
    )
}

/// The answer to a 要請, to the upper tier that asked.
pub fn placement_answered(
    state: &App,
    lang: Lang,
    to: &Account,
    site: &Site,
    company: &str,
    approved: bool,
) -> NewMail {
    let line = if approved {
        "mail-site-approved-line"
    } else {
        "mail-site-declined-line"
    };
    mail_in(
        lang,
        &to.email,
        "mail-site-answered-subject",
        format!(
            "{honor}\n\n{line}\n{site}\n\n{how}\n",
            honor = honorific(lang, &to.name),
            line = text_in(lang, line, &[("company", company)]),
            site = site_line(lang, site),
            how = page_line(state, lang, "menu-sites"),
        ),
    )
}

/// A place (with the places under it) taken off a site, to its company.
pub fn placement_cancelled(
    state: &App,
    lang: Lang,
    to: &Account,
    site: &Site,
    by: &str,
) -> NewMail {
    mail_in(
        lang,
        &to.email,
        "mail-site-cancelled-subject",
        format!(
            "{honor}\n\n{line}\n{site}\n\n{how}\n",
            honor = honorific(lang, &to.name),
            line = text_in(lang, "mail-site-cancelled-line", &[("by", by)]),
            site = site_line(lang, site),
            how = page_line(state, lang, "menu-sites"),
        ),
    )
}

/// 事業者間合意 offered by `other`; `other_is_upper` says which side it takes.
pub fn agreement_offered(
    state: &App,
    lang: Lang,
    to: &Account,
    other: &str,
    other_is_upper: bool,
    proxy: bool,
) -> NewMail {
    let line = if other_is_upper {
        "mail-agreement-offered-upper"
    } else {
        "mail-agreement-offered-lower"
    };
    let proxy = if proxy {
        format!("\n{}", text_in(lang, "mail-agreement-proxy", &[]))
    } else {
        String::new()
    };
    mail_in(
        lang,
        &to.email,
        "mail-agreement-offered-subject",
        format!(
            "{honor}\n\n{line}{proxy}\n\n{how}\n",
            honor = honorific(lang, &to.name),
            line = text_in(lang, line, &[("other", other)]),
            how = page_line(state, lang, "sites-agreements-title"),
        ),
    )
}

/// A technician asked onto the 名簿 of a company that is not their employer.
pub fn listing_asked(
    state: &App,
    lang: Lang,
    technician: &Account,
    site: &Site,
    company: &str,
) -> NewMail {
    mail_in(
        lang,
        &technician.email,
        "mail-listing-asked-subject",
        format!(
            "{honor}\n\n{line}\n{site}\n\n{how}\n",
            honor = honorific(lang, &technician.name),
            line = text_in(lang, "mail-listing-asked-line", &[("company", company)]),
            site = site_line(lang, site),
            how = text_in(
                lang,
                "mail-site-how",
                &[
                    ("page", &text_in(lang, "menu-my-sites", &[])),
                    ("url", &entrance(state, AccountKind::Technician)),
                ],
            ),
        ),
    )
}
