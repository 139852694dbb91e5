//! Who did something, as the access history shows it (a helpdesk staff member), and the reason
//! every staff action carries. Who acted, as the audit log records it, is `audit::Actor`.

use ccus_storage::{ClientInfo, Staff};

/// The reason as stored: trimmed, control characters removed, at most 500 characters.
pub fn clean_reason(raw: &str) -> String {
    raw.trim()
        .chars()
        .filter(|c| !c.is_control())
        .take(500)
        .collect()
}

/// How a staff action appears in the account's history.
pub fn as_client(staff: &Staff) -> ClientInfo {
    ClientInfo {
        address: crate::i18n::HELPDESK_SOURCE.into(),
        user_agent: format!("ヘルプデスク {}", staff.staff_id),
    }
}
