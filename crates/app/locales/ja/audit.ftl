# The audit log of every actor: actions (audit-<code>), who acted, and the details.
audit-login = ログイン
audit-logout = ログアウト
audit-login-failed = ログインに失敗
audit-staff-disable = 職員の利用を停止
audit-staff-enable = 職員の利用を再開
audit-password-set = 自分のパスワードを設定
audit-passkey-add = 自分のパスキーを登録
audit-passkey-remove = 自分のパスキーを削除
audit-account-passkey-remove = パスキーを削除
audit-send-id = IDを登録メールアドレスへ送付
audit-unlock = ロック解除
audit-reset = パスワード再設定メールを送付
audit-email = 登録メールアドレスを変更
audit-inquiry-status = お問い合わせの状態を変更
audit-inquiry-note = お問い合わせにメモを追加
audit-inquiry-reply = お問い合わせに返信
audit-file-download = 添付ファイルをダウンロード
audit-operations-maintenance = メンテナンスを予定
audit-operations-cancel = メンテナンスを取り消し
audit-operations-notice = お知らせを掲載
audit-operations-faq = よくある質問を追加
audit-registration-return = 登録申請を不備で返却
audit-registration-approve = 登録申請を承認
audit-registration-paid = 登録料の入金を確認
audit-registration-issue = 登録完了（技能者IDを発行）
audit-registration-document = 申請書類を閲覧
audit-registration-correct = 申請内容を訂正（書類で確認）
audit-registration-reject = 登録申請を却下
audit-registration-reissue = 登録カードを再発行（初期パスワードと本人確認番号）
audit-org-tier-created = 階層の作成
audit-org-member-issued = 管理者IDの発行
audit-org-member-disabled = 利用停止
audit-org-member-enabled = 利用再開
audit-org-reset-sent = パスワード再設定メールの送信
audit-org-unlocked = ロック解除
audit-org-history-viewed = アクセス履歴の閲覧
audit-org-affiliation-requested = 所属の依頼
audit-org-affiliation-ended = 所属の終了

# Who acted.
audit-actor-person = { $name }（{ $id }）
audit-actor-operator = コマンドライン（ccus admin）
audit-actor-unrecognised = { $id }（該当する職員なし）

# Details.
audit-detail-connection = { $address } { $browser }
audit-detail-sign-in-refused = { $address } { $browser }（{ $why }）
audit-refusal-locked = ロック中
audit-refusal-wrong-password-now-locked = パスワード違い、ロック
audit-refusal-wrong-password = パスワード違い
audit-refusal-no-such-staff-id = 該当する職員IDなし
audit-refusal-wrong-passkey = パスキー違い
audit-refusal-wrong-code = 確認コード違い
audit-refusal-stopped = 利用停止中
audit-detail-initial-password = 初期パスワードを変更
audit-detail-staff-member = 職員ID { $staff_id }
audit-detail-passkey = パスキー「{ $name }」
audit-detail-sent-to = { $email } へ送付
audit-detail-unlocked = IDのロック: { $id ->
        [yes] あり
       *[no] なし
    }、ロックされていた本人のブラウザ: { $count }
audit-detail-email-changed = { $old } → { $new }（削除したパスキー: { $count }）
audit-detail-inquiry = お問い合わせ { $receipt }
audit-detail-inquiry-status = お問い合わせ { $receipt }: { $status }
audit-detail-inquiry-reply = お問い合わせ { $receipt }: { $email } へ返信
audit-detail-inquiry-file = 添付ファイル { $file }「{ $name }」
audit-detail-maintenance-window = メンテナンス { $id }: { $from } ～ { $to }
audit-detail-maintenance-cancelled = メンテナンス { $id }
audit-detail-notice = お知らせ { $id }: { $title }
audit-detail-faq = よくある質問 { $id }: { $question }
audit-detail-faq-translation = よくある質問 { $id }（{ $of } の { $lang }）: { $question }
audit-detail-application = 申請番号 { $id }
audit-detail-returned = 申請番号 { $id }（{ $defects }）
audit-defect = { $field }: { $defect }
audit-list-separator = 、
audit-detail-payment = 申請番号 { $id }（振込 { $reference }）
audit-detail-id-issued = 申請番号 { $id } → { $kind } { $login_id }
audit-detail-document = 申請番号 { $id }: { $document }（{ $name }）
audit-detail-corrected = 申請番号 { $id }: { $field } 「{ $old }」→「{ $new }」
audit-detail-card-reissued = 申請番号 { $id } → { $kind } { $login_id }: 初期パスワードと本人確認番号を新しくした（以前のものは無効）
audit-with-reason = { $detail } 理由: { $reason }
audit-detail-tier = 第{ $level }階層「{ $name }」（{ $parent }の下）
audit-detail-member-issued = { $name }（{ $id }）を{ $role }として{ $place }に発行
audit-detail-person = { $name }（{ $id }）
audit-detail-technician = 技能者ID { $id }
