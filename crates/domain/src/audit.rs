//! Staff actions as recorded in the audit log (操作記録): a stable code in the database, and
//! the Japanese name a supervisor reads.

/// The Japanese name of an audit action code; an unknown code is shown as it is.
pub fn action_label(code: &str) -> &str {
    match code {
        "login" => "ログイン",
        "login-failed" => "ログインに失敗",
        "logout" => "ログアウト",
        "staff-disable" => "職員の利用を停止",
        "staff-enable" => "職員の利用を再開",
        "password-set" => "自分のパスワードを設定",
        "passkey-add" => "自分のパスキーを登録",
        "passkey-remove" => "自分のパスキーを削除",
        "send-id" => "IDを登録メールアドレスへ送付",
        "unlock" => "ロック解除",
        "reset" => "パスワード再設定メールを送付",
        "email" => "登録メールアドレスを変更",
        "account-passkey-remove" => "パスキーを削除",
        "inquiry-status" => "お問い合わせの状態を変更",
        "inquiry-note" => "お問い合わせにメモを追加",
        "inquiry-reply" => "お問い合わせに返信",
        "file-download" => "添付ファイルをダウンロード",
        "operations-maintenance" => "メンテナンスを予定",
        "operations-cancel" => "メンテナンスを取り消し",
        "operations-notice" => "お知らせを掲載",
        "operations-faq" => "よくある質問を追加",
        "registration-return" => "登録申請を不備で返却",
        "registration-approve" => "登録申請を承認",
        "registration-paid" => "登録料の入金を確認",
        "registration-issue" => "登録完了（技能者IDを発行）",
        "registration-document" => "申請書類を閲覧",
        "registration-correct" => "申請内容を訂正（書類で確認）",
        "registration-reject" => "登録申請を却下",
        "registration-reissue" => "登録カードを再発行（初期パスワードと本人確認番号）",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::action_label;

    #[test]
    fn codes_read_as_japanese() {
        assert_eq!(action_label("password-set"), "自分のパスワードを設定");
        assert_eq!(action_label("operations-cancel"), "メンテナンスを取り消し");
        assert_eq!(action_label("something-new"), "something-new");
    }
}
