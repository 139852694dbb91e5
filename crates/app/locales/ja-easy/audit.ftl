# The audit log of every actor: actions (audit-<code>), who acted, and the details.
audit-login = ログイン
audit-logout = ログアウト
audit-login-failed = ログインできなかった
audit-staff-disable = 職員（しょくいん）を とめた
audit-staff-enable = 職員（しょくいん）を また つかえるように した
audit-password-set = じぶんの パスワードを きめた
audit-passkey-add = じぶんの パスキーを とうろくした
audit-passkey-remove = じぶんの パスキーを けした
audit-account-passkey-remove = パスキーを けした
audit-send-id = IDを とうろくした メールアドレスに おくった
audit-unlock = ロックを とった
audit-reset = パスワードを あたらしく する メールを おくった
audit-email = とうろくした メールアドレスを かえた
audit-inquiry-status = といあわせの じょうたいを かえた
audit-inquiry-note = といあわせに メモを 書いた
audit-inquiry-reply = といあわせに こたえた
audit-file-download = ついている ファイルを ダウンロードした
audit-operations-maintenance = メンテナンスを よていした
audit-operations-cancel = メンテナンスを とりけした
audit-operations-notice = おしらせを のせた
audit-operations-faq = よくある しつもんを たした
audit-registration-return = 登録申請（とうろく しんせい）を 不備（ふび）で かえした
audit-registration-approve = 登録申請を みとめた
audit-registration-paid = 登録料（とうろくりょう）の 入金（にゅうきん）を たしかめた
audit-registration-issue = とうろくが おわった（IDを 出した）
audit-registration-document = 申請の しょるいを 見た
audit-registration-correct = 申請の ないようを なおした（しょるいで たしかめた）
audit-registration-reject = 登録申請（とうろく しんせい）を ことわった
audit-registration-reissue = 登録カード（とうろく カード）を あたらしく した（さいしょの パスワードと 本人確認番号）
audit-org-tier-created = 階層を つくった
audit-org-member-issued = 管理者IDを 出した
audit-org-member-disabled = つかえないように した
audit-org-member-enabled = また つかえるように した
audit-org-reset-sent = パスワードの メールを おくった
audit-org-unlocked = ロックを とった
audit-org-history-viewed = ログインの きろくを 見た
audit-org-affiliation-requested = 所属（しょぞく）の いらいを おくった
audit-org-affiliation-ended = 所属（しょぞく）を おわりに した

# Who acted.
audit-actor-person = { $name }（{ $id }）
audit-actor-operator = コマンドライン（ccus admin）
audit-actor-unrecognised = { $id }（この IDの 職員（しょくいん）は いない）

# Details.
audit-detail-connection = { $address } { $browser }
audit-detail-sign-in-refused = { $address } { $browser }（{ $why }）
audit-refusal-locked = ロック中（ちゅう）
audit-refusal-wrong-password-now-locked = パスワードが ちがう、ロックした
audit-refusal-wrong-password = パスワードが ちがう
audit-refusal-no-such-staff-id = この 職員ID（しょくいん ID）は ない
audit-refusal-wrong-passkey = パスキーが ちがう
audit-refusal-wrong-code = コードが ちがう
audit-refusal-stopped = とめられて いる
audit-detail-initial-password = さいしょの パスワードを かえた
audit-detail-staff-member = 職員ID（しょくいん ID） { $staff_id }
audit-detail-passkey = パスキー「{ $name }」
audit-detail-sent-to = { $email } に おくった
audit-detail-unlocked = IDの ロック: { $id ->
        [yes] あり
       *[no] なし
    }、ロックされて いた 本人の ブラウザ: { $count }
audit-detail-email-changed = { $old } → { $new }（けした パスキー: { $count }）
audit-detail-inquiry = といあわせ { $receipt }
audit-detail-inquiry-status = といあわせ { $receipt }: { $status }
audit-detail-inquiry-reply = といあわせ { $receipt }: { $email } に こたえた
audit-detail-inquiry-file = ついている ファイル { $file }「{ $name }」
audit-detail-maintenance-window = メンテナンス { $id }: { $from } ～ { $to }
audit-detail-maintenance-cancelled = メンテナンス { $id }
audit-detail-notice = おしらせ { $id }: { $title }
audit-detail-faq = よくある しつもん { $id }: { $question }
audit-detail-faq-translation = よくある しつもん { $id }（{ $of } の { $lang }）: { $question }
audit-detail-application = 申請番号（しんせい ばんごう） { $id }
audit-detail-returned = 申請番号（しんせい ばんごう） { $id }（{ $defects }）
audit-defect = { $field }: { $defect }
audit-list-separator = 、
audit-detail-payment = 申請番号（しんせい ばんごう） { $id }（ふりこみ { $reference }）
audit-detail-id-issued = 申請番号（しんせい ばんごう） { $id } → { $kind } { $login_id }
audit-detail-document = 申請番号（しんせい ばんごう） { $id }: { $document }（{ $name }）
audit-detail-corrected = 申請番号（しんせい ばんごう） { $id }: { $field } 「{ $old }」→「{ $new }」
audit-detail-card-reissued = 申請番号（しんせい ばんごう） { $id } → { $kind } { $login_id }: さいしょの パスワードと 本人確認番号（ほんにん かくにん ばんごう）を あたらしく した（まえの ものは つかえない）
audit-with-reason = { $detail } りゆう: { $reason }
audit-detail-tier = 第{ $level }階層（かいそう）「{ $name }」（{ $parent }の 下）
audit-detail-member-issued = { $name }（{ $id }）を { $role }に して、{ $place }に 出した
audit-detail-person = { $name }（{ $id }）
audit-detail-technician = 技能者ID { $id }
