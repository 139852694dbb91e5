# mail (ja): the mails not in core.ftl. The Japanese is exactly that of the mails before they
# were translated.
mail-id-line = { $id_kind }: { $id }

mail-registered-subject = 登録完了のお知らせ
mail-registered-technician = 技能者としての登録が完了しました。
mail-registered-business = 事業者としての登録が完了しました。
mail-registered-first-login = 初めてログインするときは、登録時にお渡しした初期パスワードを使います。ログイン後、本人確認番号（4桁）を入力して、ご自分のパスワードに変更していただきます。
mail-registered-keep = このメールは、IDを忘れたときのために大切に保管してください。

mail-role-owner = 事業者責任者
mail-role-tier-manager = 階層管理者
mail-role-site-manager = 現場管理者
mail-role-proxy-clerk = 代行登録担当者
mail-invitation-subject = 管理者IDの発行のお知らせ
mail-invitation-issued = { $business } の{ $role }として、建設キャリアアップシステムの管理者IDが発行されました。
mail-invitation-open = 次のURLを開き、ご自分のパスワードを設定してください（有効期限{ $minutes }分、一度だけ使えます）。
mail-invitation-expired = 期限が切れたときは、ログイン画面の「パスワードをお忘れの方」から、管理者IDとこのメールアドレスで設定できます。
mail-invitation-nobody-knows = パスワードは、あなた以外の誰も（事業者の管理者もヘルプデスクも）知ることはできません。
mail-invitation-code = 本人確認番号（4桁）は、発行した方から直接受け取ってください。パスワードの変更に使います。

mail-inquiry-received-subject = お問い合わせを受け付けました
mail-inquiry-received = お問い合わせを受け付けました。
mail-inquiry-receipt = 受付番号: { $receipt }
mail-inquiry-category = 種類: { $category }
mail-inquiry-category-id = ID照会
mail-inquiry-category-password = パスワード・ロック
mail-inquiry-category-email = 登録メールアドレス変更
mail-inquiry-category-other = その他
mail-inquiry-due = 回答の目安: { $due } まで（平日のみ回答します）
mail-inquiry-answers = ヘルプデスクからの回答は、このアドレスにお送りします。ヘルプデスクがパスワードをお尋ねすることはありません。
mail-inquiry-faq = よくある質問: { $url }
mail-inquiry-reply-subject = お問い合わせへの回答
mail-inquiry-reply-intro = お問い合わせ（受付番号: { $receipt }）への回答です。
mail-inquiry-reply-more = このメールにご返信いただいてもお答えできません。続けてのご質問は、お問い合わせフォームから受付番号を添えてお送りください。

mail-email-confirm-subject = メールアドレス変更の確認
mail-email-confirm-received = 登録メールアドレスをこのアドレスに変更するお申し込みを受け付けました。
mail-email-confirm-open = 次のURLを開いて変更を確定してください。
mail-email-confirm-ttl = このURLの有効期限は{ $minutes }分です。
mail-email-confirm-not-you = お心当たりのない場合は、このメールを破棄してください。
mail-email-changed-subject = 登録メールアドレス変更のお知らせ
mail-email-changed-line = { $id_kind } { $id } の登録メールアドレスが変更されました。今後のお知らせは新しいアドレスにお送りします。
mail-email-changed-not-you = お心当たりのない場合は、すぐに{ $helpdesk }へご連絡ください。

mail-applicant-confirm-subject = 申請用IDの作成（メールアドレスの確認）
mail-applicant-confirm-intro = 建設キャリアアップシステムの登録申請を始めるため、このメールアドレスで申請用IDを作成します。
mail-applicant-confirm-open = 次のリンクを開いて、申請用のパスワードを決めてください（{ $hours }時間有効・1回限り）。
mail-applicant-confirm-not-you = お心当たりがない場合は、このメールを破棄してください。申請用IDは作成されません。
mail-applicant-exists-subject = 申請用IDはすでに作成されています
mail-applicant-exists-line = このメールアドレスの申請用IDは、すでに作成されています。
mail-applicant-exists-login = 次の画面から、メールアドレスと申請用のパスワードでログインして、申請を続けてください。
mail-applicant-exists-not-you = お心当たりがない場合は、このメールを破棄してください。
mail-applicant-reset-subject = 申請用パスワードの再設定
mail-applicant-reset-intro = 申請用ID（このメールアドレス）のパスワードを再設定するお申し込みを受け付けました。
mail-applicant-reset-open = 次のリンクを開いて、新しい申請用パスワードを決めてください（{ $minutes }分間有効・1回限り）。
mail-applicant-reset-not-you = お心当たりがない場合は、このメールを破棄してください。パスワードは変わりません。
mail-applicant-password-changed-subject = 申請用パスワードを再設定しました
mail-applicant-password-changed-line = 申請用ID（このメールアドレス）のパスワードを再設定しました。
mail-applicant-password-changed-sessions = 安全のため、申請用IDでのログインはすべて終了しました。新しいパスワードでログインしてください。
mail-applicant-password-changed-not-you = お心当たりがない場合は、すぐに次の画面からパスワードを再設定し、お問い合わせフォームでお知らせください。

mail-application-status = 申請の状況: { $url }
mail-application-received-subject = 登録申請を受け付けました
mail-application-received-technician = 技能者登録の申請（申請番号 { $number }）を受け付けました。
mail-application-received-business = 事業者登録の申請（申請番号 { $number }）を受け付けました。
mail-application-received-results = 審査の結果はメールでお知らせします。審査の状況は、次の画面でいつでも確認できます。
mail-application-received-fee = 登録料: { $fee }円（審査完了後にお支払いいただきます）

mail-returned-subject = 申請内容不備のお知らせ
mail-returned-line = 登録の申請（申請番号 { $number }）の審査で、次の項目に不備がありました。
mail-returned-item = ・{ $field }: { $code }
mail-returned-item-comment = ・{ $field }: { $code }（審査担当者のコメント: { $comment }）
mail-returned-fix = 申請用IDでログインし、この項目だけを修正して、もう一度「申請する」を押してください。
mail-returned-deadline = { $date }までに修正して申請し直さない場合、この申請と提出された書類は削除されます。
mail-returned-expiring-subject = 不備のある申請の削除が近づいています
mail-returned-expiring-line = 登録の申請（申請番号 { $number }）は、不備をお知らせしたまま、まだ申請し直されていません。
mail-returned-expiring-when = { $date }までに修正して申請し直さない場合、この申請と提出された書類は削除されます。削除のあとで登録する場合は、新しく申請してください。
mail-rejected-subject = 登録の申請をお受けできませんでした
mail-rejected-line = 登録の申請（申請番号 { $number }）は、審査の結果、お受けできませんでした。
mail-rejected-reason = 審査担当者のコメント: { $reason }
mail-rejected-after = この申請の内容と書類は、一定期間ののちに削除されます。お問い合わせは{ $helpdesk }へどうぞ。

mail-approved-subject = 審査完了・登録料のお支払いのお願い
mail-approved-line = 登録の申請（申請番号 { $number }）の審査が完了しました。
mail-approved-pay = 登録料 { $fee }円を、銀行振込でお支払いください。振込名義の前に申請番号「{ $number }」を付けてください。
mail-approved-then = 入金を確認すると登録が完了し、IDをお知らせします。

mail-consent-subject = 技能者登録の代行申請への同意のお願い
mail-consent-line = { $business } が、あなたの建設キャリアアップシステムへの技能者登録を、あなたに代わって申請（代行申請）しようとしています。
mail-consent-open = 次のリンクを開いて申請の内容を確かめ、同意するかどうかを選んでください（{ $days }日間有効）。
mail-consent-after = 登録が完了すると、技能者IDはこのメールアドレスへ、初期パスワードと本人確認番号は登録カードであなたにお知らせします。ログインできるのはあなただけです。
mail-consent-not-you = 心当たりがない場合は、リンクを開いて「同意しない」を選ぶか、このメールを破棄してください。
mail-consent-yes-subject = 代行申請に本人が同意しました
mail-consent-no-subject = 代行申請に本人が同意しませんでした
mail-consent-about = 代行申請（申請番号 { $number }、{ $worker } 様）について
mail-consent-yes-line = 本人が代行申請に同意しました。書類がそろったら「申請する」を押してください。
mail-consent-no-line = 本人が代行申請に同意しませんでした。この申請は提出できません。本人と相談してください。

mail-proxy-issued-subject = 代行申請の登録完了のお知らせ
mail-proxy-issued-line = 代行申請（申請番号 { $number }）の登録が完了しました。
mail-proxy-issued-id = { $worker } 様の技能者ID: { $id }
mail-proxy-issued-secrets = 初期パスワードと本人確認番号は、本人あての登録カードでお知らせします。ログインとパスワードの設定は、本人だけが行います。

mail-card-reissued-subject = 登録カードを再発行しました
mail-card-reissued-line = { $id_kind } { $id } の登録カードを再発行しました。新しい初期パスワードと本人確認番号は、郵送する新しい登録カードに記載しています。
mail-card-reissued-old = 前の登録カードに記載された初期パスワードと本人確認番号は、使えなくなりました。
mail-card-reissued-not-you = お心当たりのない場合は、すぐに{ $helpdesk }へご連絡ください。

mail-affiliation-requested-subject = 所属の依頼が届きました
mail-affiliation-requested-line = { $business } から、あなたを所属技能者として登録する依頼が届きました。
mail-affiliation-requested-how = 技能者IDでログインし、「{ $page }」で承認するか辞退するかを選んでください。
mail-affiliation-requested-disclose = 承認すると、この事業者はあなたの氏名・フリガナ・生年月日を見ることができます。
mail-affiliation-changed-subject = 所属技能者のお知らせ
mail-affiliation-accepted = 技能者 { $name }（技能者ID { $id }）が、所属の依頼を承認しました。
mail-affiliation-declined = 技能者ID { $id } への所属の依頼は、辞退されました。
mail-affiliation-moved-away = 技能者 { $name }（技能者ID { $id }）は、ほかの事業者の所属になったため、貴社の所属技能者ではなくなりました。
mail-affiliation-left = 技能者 { $name }（技能者ID { $id }）が、貴社との所属を終了しました。
mail-affiliation-technicians = 所属技能者: { $url }
mail-affiliation-ended-subject = 所属が終了しました
mail-affiliation-ended-line = { $business } との所属が終了しました。この事業者は、今後あなたの情報を所属技能者として見ることはできません。
mail-affiliation-ended-check = 心当たりがない場合は、ログインしてご確認ください。

mail-passkey-added-subject = パスキーが登録されました
mail-passkey-removed-subject = パスキーが削除されました
mail-passkey-added = あなたの{ $id_kind }に、パスキー「{ $name }」が登録されました。
mail-passkey-removed = あなたの{ $id_kind }に、パスキー「{ $name }」が削除されました。
mail-passkey-not-you = 心当たりのない場合は、すぐにログインしてパスキーの一覧を確認し、パスワードを変更してください。
