//! アクセス履歴 — the kinds of event recorded in an account's access history.

/// One kind of security event. Stored by its machine name; shown by its Japanese label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccessEventKind {
    LoginSuccess,
    LoginFailure,
    /// The failure that locked the ID.
    Locked,
    /// An attempt refused without a password check because the ID was locked.
    RefusedLocked,
    /// An attempt refused because the client address tried too many times.
    RefusedRateLimited,
    Unlocked,
    Logout,
    Timeout,
    /// A wrong 本人確認番号 (counts as a failure).
    SecurityCodeFailure,
    PasswordResetRequested,
    PasswordReset,
    PasswordChanged,
    InitialPasswordSet,
    EmailChangeRequested,
    EmailChanged,
    UnlockedByMail,
    OtherSessionsEnded,
    /// The helpdesk sent the account's ID to its registered address.
    HelpdeskIdSent,
    HelpdeskUnlocked,
    HelpdeskEmailChanged,
    HelpdeskResetSent,
    /// The helpdesk made a new registration card: a new initial password and 本人確認番号
    /// (the card's old ones no longer work).
    HelpdeskCardReissued,
    /// Someone of the business (the 事業者責任者 or a 階層管理者) sent a reset link.
    OrgResetSent,
    OrgUnlocked,
    /// The 管理者ID was stopped (利用停止) or resumed by the business.
    OrgDisabled,
    OrgEnabled,
    /// The right password for a stopped 管理者ID.
    RefusedDisabled,
    PasskeyAdded,
    PasskeyRemoved,
    PasskeyLogin,
    /// Every passkey was removed because the password was reset or the helpdesk changed the
    /// registered address: a passkey someone else added must not outlive getting back in.
    PasskeysRemoved,
    /// The helpdesk removed one passkey at the owner's request.
    HelpdeskPasskeyRemoved,
    /// The IC card was reported lost (by its holder or the helpdesk): it stopped counting.
    CardReportedLost,
    /// The helpdesk issued a new IC card with a new number.
    CardReplaced,
    /// The person let a service use 「CCUSでログイン」 (and see what it asked for).
    ServiceAllowed,
    /// The person logged in to a service with 「CCUSでログイン」.
    ServiceLogin,
    /// The person ended a service's use of 「CCUSでログイン」.
    ServiceRevoked,
    /// A service's used refresh token came again (someone holds a copy): every token of that
    /// login was ended.
    ServiceTokenReused,
}

impl AccessEventKind {
    pub const ALL: [AccessEventKind; 38] = [
        AccessEventKind::LoginSuccess,
        AccessEventKind::LoginFailure,
        AccessEventKind::Locked,
        AccessEventKind::RefusedLocked,
        AccessEventKind::RefusedRateLimited,
        AccessEventKind::Unlocked,
        AccessEventKind::Logout,
        AccessEventKind::Timeout,
        AccessEventKind::SecurityCodeFailure,
        AccessEventKind::PasswordResetRequested,
        AccessEventKind::PasswordReset,
        AccessEventKind::PasswordChanged,
        AccessEventKind::InitialPasswordSet,
        AccessEventKind::EmailChangeRequested,
        AccessEventKind::EmailChanged,
        AccessEventKind::UnlockedByMail,
        AccessEventKind::OtherSessionsEnded,
        AccessEventKind::HelpdeskIdSent,
        AccessEventKind::HelpdeskUnlocked,
        AccessEventKind::HelpdeskEmailChanged,
        AccessEventKind::HelpdeskResetSent,
        AccessEventKind::HelpdeskCardReissued,
        AccessEventKind::OrgResetSent,
        AccessEventKind::OrgUnlocked,
        AccessEventKind::OrgDisabled,
        AccessEventKind::OrgEnabled,
        AccessEventKind::RefusedDisabled,
        AccessEventKind::PasskeyAdded,
        AccessEventKind::PasskeyRemoved,
        AccessEventKind::PasskeyLogin,
        AccessEventKind::PasskeysRemoved,
        AccessEventKind::HelpdeskPasskeyRemoved,
        AccessEventKind::CardReportedLost,
        AccessEventKind::CardReplaced,
        AccessEventKind::ServiceAllowed,
        AccessEventKind::ServiceLogin,
        AccessEventKind::ServiceRevoked,
        AccessEventKind::ServiceTokenReused,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AccessEventKind::LoginSuccess => "login_success",
            AccessEventKind::LoginFailure => "login_failure",
            AccessEventKind::Locked => "locked",
            AccessEventKind::RefusedLocked => "refused_locked",
            AccessEventKind::RefusedRateLimited => "refused_rate_limited",
            AccessEventKind::Unlocked => "unlocked",
            AccessEventKind::Logout => "logout",
            AccessEventKind::Timeout => "timeout",
            AccessEventKind::SecurityCodeFailure => "security_code_failure",
            AccessEventKind::PasswordResetRequested => "password_reset_requested",
            AccessEventKind::PasswordReset => "password_reset",
            AccessEventKind::PasswordChanged => "password_changed",
            AccessEventKind::InitialPasswordSet => "initial_password_set",
            AccessEventKind::EmailChangeRequested => "email_change_requested",
            AccessEventKind::EmailChanged => "email_changed",
            AccessEventKind::UnlockedByMail => "unlocked_by_mail",
            AccessEventKind::OtherSessionsEnded => "other_sessions_ended",
            AccessEventKind::HelpdeskIdSent => "helpdesk_id_sent",
            AccessEventKind::HelpdeskUnlocked => "helpdesk_unlocked",
            AccessEventKind::HelpdeskEmailChanged => "helpdesk_email_changed",
            AccessEventKind::HelpdeskResetSent => "helpdesk_reset_sent",
            AccessEventKind::HelpdeskCardReissued => "helpdesk_card_reissued",
            AccessEventKind::OrgResetSent => "org_reset_sent",
            AccessEventKind::OrgUnlocked => "org_unlocked",
            AccessEventKind::OrgDisabled => "org_disabled",
            AccessEventKind::OrgEnabled => "org_enabled",
            AccessEventKind::RefusedDisabled => "refused_disabled",
            AccessEventKind::PasskeyAdded => "passkey_added",
            AccessEventKind::PasskeyRemoved => "passkey_removed",
            AccessEventKind::PasskeyLogin => "passkey_login",
            AccessEventKind::PasskeysRemoved => "passkeys_removed",
            AccessEventKind::HelpdeskPasskeyRemoved => "helpdesk_passkey_removed",
            AccessEventKind::CardReportedLost => "card_reported_lost",
            AccessEventKind::CardReplaced => "card_replaced",
            AccessEventKind::ServiceAllowed => "service_allowed",
            AccessEventKind::ServiceLogin => "service_login",
            AccessEventKind::ServiceRevoked => "service_revoked",
            AccessEventKind::ServiceTokenReused => "service_token_reused",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// What the account holder reads in アクセス履歴.
    pub fn label_ja(self) -> &'static str {
        match self {
            AccessEventKind::LoginSuccess => "ログイン",
            AccessEventKind::LoginFailure => "ログイン失敗（パスワードの誤り）",
            AccessEventKind::Locked => "ログイン失敗が続いたためロック",
            AccessEventKind::RefusedLocked => "ロック中のためログイン不可",
            AccessEventKind::RefusedRateLimited => "試行回数超過のためログイン不可",
            AccessEventKind::Unlocked => "ロック解除",
            AccessEventKind::Logout => "ログアウト",
            AccessEventKind::Timeout => "タイムアウト",
            AccessEventKind::SecurityCodeFailure => "本人確認番号の誤り",
            AccessEventKind::PasswordResetRequested => "パスワード再設定メールの送信",
            AccessEventKind::PasswordReset => "パスワード再設定",
            AccessEventKind::PasswordChanged => "パスワード変更",
            AccessEventKind::InitialPasswordSet => "初回パスワード設定",
            AccessEventKind::EmailChangeRequested => "メールアドレス変更の確認メール送信",
            AccessEventKind::EmailChanged => "メールアドレス変更",
            AccessEventKind::UnlockedByMail => "メールのリンクによるロック解除",
            AccessEventKind::OtherSessionsEnded => "ほかの端末のログインを終了",
            AccessEventKind::HelpdeskIdSent => "ヘルプデスクがIDを登録メールアドレスへ送信",
            AccessEventKind::HelpdeskUnlocked => "ヘルプデスクがロックを解除",
            AccessEventKind::HelpdeskEmailChanged => "ヘルプデスクが登録メールアドレスを変更",
            AccessEventKind::HelpdeskResetSent => "ヘルプデスクがパスワード再設定メールを送信",
            AccessEventKind::HelpdeskCardReissued => {
                "ヘルプデスクが登録カードを再発行（初期パスワードと本人確認番号）"
            }
            AccessEventKind::OrgResetSent => "事業者の管理者がパスワード再設定メールを送信",
            AccessEventKind::OrgUnlocked => "事業者の管理者がロックを解除",
            AccessEventKind::OrgDisabled => "事業者の管理者が利用停止",
            AccessEventKind::OrgEnabled => "事業者の管理者が利用を再開",
            AccessEventKind::RefusedDisabled => "利用停止中のためログイン不可",
            AccessEventKind::PasskeyAdded => "パスキーの登録",
            AccessEventKind::PasskeyRemoved => "パスキーの削除",
            AccessEventKind::PasskeyLogin => "パスキーでログイン",
            AccessEventKind::PasskeysRemoved => {
                "パスキーをすべて削除（パスワード再設定などのため）"
            }
            AccessEventKind::HelpdeskPasskeyRemoved => "ヘルプデスクがパスキーを削除",
            AccessEventKind::CardReportedLost => "カードの紛失の届出（カードを停止）",
            AccessEventKind::CardReplaced => "カードの再発行",
            AccessEventKind::ServiceAllowed => "「CCUSでログイン」の利用を連携サービスに許可",
            AccessEventKind::ServiceLogin => "「CCUSでログイン」で連携サービスにログイン",
            AccessEventKind::ServiceRevoked => "連携サービスの許可を取り消し",
            AccessEventKind::ServiceTokenReused => {
                "連携サービスのトークンの不正な再利用を検知（そのログインを終了）"
            }
        }
    }

    /// Events that did not let anyone in; shown highlighted.
    pub fn is_failure(self) -> bool {
        matches!(
            self,
            AccessEventKind::LoginFailure
                | AccessEventKind::Locked
                | AccessEventKind::RefusedLocked
                | AccessEventKind::RefusedRateLimited
                | AccessEventKind::SecurityCodeFailure
                | AccessEventKind::RefusedDisabled
                | AccessEventKind::ServiceTokenReused
        )
    }
}

/// A short browser name for the history page, from a User-Agent string.
pub fn browser_label(user_agent: &str) -> &'static str {
    let ua = user_agent;
    if ua.contains("MSIE ") || ua.contains("Trident/") {
        "Internet Explorer"
    } else if ua.contains("Edg/") || ua.contains("EdgA/") || ua.contains("EdgiOS/") {
        "Microsoft Edge"
    } else if ua.contains("OPR/") {
        "Opera"
    } else if ua.contains("Firefox/") || ua.contains("FxiOS/") {
        "Firefox"
    } else if ua.contains("CriOS/") || ua.contains("Chrome/") || ua.contains("Chromium/") {
        "Google Chrome"
    } else if ua.contains("Safari/") {
        "Safari"
    } else if ua.is_empty() {
        "不明"
    } else {
        "その他"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for k in AccessEventKind::ALL {
            assert_eq!(AccessEventKind::parse(k.as_str()), Some(k));
        }
    }

    #[test]
    fn browsers() {
        assert_eq!(
            browser_label("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36 Edg/130.0"),
            "Microsoft Edge"
        );
        assert_eq!(
            browser_label("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"),
            "Safari"
        );
        assert_eq!(
            browser_label("Mozilla/5.0 (Windows NT 6.1; Trident/7.0; rv:11.0) like Gecko"),
            "Internet Explorer"
        );
    }
}
