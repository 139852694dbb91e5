# org (ja): a business's organisation (tiers, 管理者ID), its technicians, and 所属.

# Roles, places and states.
org-role-owner = 事業者責任者
org-role-tier-manager = 階層管理者
org-role-site-manager = 現場管理者
org-role-proxy-clerk = 代行登録担当者
org-place-business = 事業者全体
org-place-tier = 第{ $level }階層「{ $name }」
org-tier-place-top = 事業者全体の下（第1階層）
org-tier-place-under = 第{ $level }階層「{ $name }」の下（第{ $next }階層）
org-status-active = 利用中
org-status-stopped = 利用停止中
org-status-locked = ロック中
org-business-line = { $name }（事業者ID { $id }）
org-manager-id = 管理者ID
org-technician-id = 技能者ID
org-paren-open = （
org-paren-close = ）

# 組織と管理者ID.
org-title = 組織と管理者ID
org-business = 事業者
org-you = あなた
org-me = { $name }（{ $role }、{ $place }）
org-intro = 管理者IDは一人にひとつです。各自が自分のパスワードでログインし、アクセス履歴も一人ずつ残ります。パスワードは本人だけが設定できます（忘れたときは、ここから再設定メールを送れます）。
org-heading = 組織
org-no-members = 管理者IDはまだありません。
org-member-open = （{ $role }、管理者ID
org-new-tier = 階層を作る
org-tier-parent = 作る場所
org-tier-name = 階層の名前
org-tier-name-hint = 例: 東京支店、第一工事部。第3階層まで作れます。
org-new-member = 管理者IDを発行する
org-new-member-intro = 発行すると、本人のメールアドレスに管理者IDとパスワード設定用のURLを送ります。本人確認番号（4桁）はこの後の画面に一度だけ表示されますので、本人に直接伝えてください。
org-name = 氏名
org-member-email = メールアドレス（本人）
org-role = 役割
org-member-tier = 所属する階層
org-audit = 操作の記録
org-audit-empty = 記録はまだありません。
org-audit-at = 日時
org-audit-actor = 操作した人
org-audit-action = 操作
org-audit-detail = 内容
org-tier-created = 階層を作りました
org-tier-failed = 階層を作れませんでした
org-member-failed = 管理者IDを発行できませんでした

# What a form says is wrong.
org-tier-name-empty = 階層の名前を入力してください。
org-tier-name-too-long = 階層の名前は{ $max }文字以内で入力してください。
org-name-empty = 氏名を入力してください。
org-name-too-long = 氏名は{ $max }文字以内で入力してください。
org-tier-too-deep = 階層は第3階層までです。
org-tier-manager-needs-tier = 階層管理者は、管理する階層を選んでください。
org-email-invalid = メールアドレスの形式が正しくありません。
org-member-stopped = 利用停止中の管理者IDです。先に利用を再開してください。

# A 管理者ID just issued.
org-issued-title = 管理者IDを発行しました
org-issued = { $name } さんの管理者IDを発行しました
org-issued-mail = { $email } へ、管理者IDとパスワード設定用のURLを送りました。
org-issued-id = 管理者ID: { $id }
org-issued-code = 本人確認番号（4桁）: { $code } — 本人に直接伝えてください。パスワードの変更に使います。この画面を閉じると二度と表示できません。
org-to-member = { $name } さんのページへ
org-back = 組織と管理者IDへ戻る

# One person's page.
org-member-title = { $name }（管理者ID）
org-email = メールアドレス
org-tier = 階層
org-status = 状態
org-actions = 操作
org-actions-intro = パスワードは本人だけが設定できます。忘れた場合は、本人の登録メールアドレスに再設定メールを送ってください。どの操作も本人のアクセス履歴と操作の記録に残ります。
org-do-reset = パスワード再設定メールを送る
org-do-unlock = ロックを解除する
org-do-disable = 利用を停止する
org-do-enable = 利用を再開する
org-member-history = アクセス履歴（最新50件）
org-done-disable = 利用を停止しました
org-done-disable-line = この管理者IDのログイン中の端末はすべてログアウトしました。再開するまでログインできません。
org-stop-heading = 利用の停止
org-stop-intro = { $name }さんの管理者IDの利用を停止すると、ログイン中の端末はすべてログアウトし、再開するまでログインできません。理由は操作の記録に残ります。
org-stop-reason = 停止する理由
org-stop-reason-hint = 例: 退職のため、異動のため
org-stop-confirm = { $name }さんの管理者IDの利用を停止します
org-stop-failed = 利用を停止できませんでした
org-stop-needs-reason = 停止する理由を入力してください。
org-stop-needs-confirm = 確認のため、「利用を停止します」にチェックを入れてください。
org-role-hint = 最初は、できることが最も少ない役割が選ばれています。必要な役割だけを選んでください。
org-refused-tier = この場所に階層を作る権限がありません。階層を作れるのは、ご自分の階層とその下だけです。
org-refused-member = この役割・この場所で管理者IDを発行する権限がありません。発行できるのは、ご自分の役割で選べる役割と、ご自分の階層とその下だけです。
org-refused-person = この管理者IDにこの操作をする権限がありません。操作できるのは、ご自分の階層より下にいる人だけです。
org-refused-affiliation = 技能者の所属を管理できるのは、事業者責任者と階層管理者だけです。
org-done-enable = 利用を再開しました
org-done-reset = パスワード再設定メールを送りました
org-done-reset-line = 本人の登録メールアドレスに送りました。本人がURLを開いて、自分でパスワードを設定します。
org-done-unlock = ロックを解除しました

# 所属技能者 (the business's page).
org-technicians-title = 所属技能者
org-technicians-intro = 所属技能者の氏名・フリガナ・生年月日を見ることができます。所属していない技能者は、本人が開示を選んだ場合の氏名とフリガナのほかは表示されません。
org-technicians-empty = 所属技能者はまだいません。
org-furigana = フリガナ
org-birth-date = 生年月日
org-column-action = 操作
org-end-affiliation = 所属を終了する（{ $id }）
org-request = 所属の依頼
org-request-intro = 技能者IDを入力して依頼を送ると、本人がログインして承認したときに所属技能者になります。
org-request-send = 所属の依頼を送る
org-pending = 承認を待っている依頼
org-basis-employer = 所属技能者
org-basis-disclosed = 本人が開示
org-basis-private = 本人の設定により非開示
org-request-sent = 所属の依頼を送りました
org-request-sent-line = その技能者IDの方がログインして承認すると、所属技能者になります。
org-ended = 所属を終了しました
org-request-failed = 所属の依頼を送れませんでした
org-already-ours = この技能者は、すでに所属技能者です。
org-too-many-requests = 依頼が多すぎます。しばらく時間をおいてからお試しください。
org-request-not-technician = 技能者IDを入力してください（事業者ID・管理者IDには依頼できません）。
org-request-malformed = 技能者IDは14桁の数字です。入力内容をご確認ください。

# 所属事業者と情報の開示 (the technician's page).
org-affiliation-title = 所属事業者と情報の開示
org-employer = 所属事業者
org-employer-sees = 所属事業者は、あなたの氏名・フリガナ・生年月日を見ることができます。
org-leave = この事業者との所属を終了する
org-no-employer = 所属事業者はありません。
org-requests = 届いている所属の依頼
org-no-requests = 依頼はありません。
org-request-from = { $business } からの依頼
org-request-line = から、所属技能者として登録する依頼が届いています（{ $at }）。
org-request-explain = 承認すると、この事業者があなたの所属事業者になり、氏名・フリガナ・生年月日を見ることができます。ほかの事業者に所属している場合、その所属は終了します。
org-accept = 承認する
org-decline = 辞退する
org-disclosure = 情報の開示
org-disclosure-intro = 所属事業者以外の事業者に、あなたの氏名とフリガナを見せるかどうかを選べます。生年月日は、所属事業者以外には見せません。
org-disclosure-legend = 所属事業者以外への開示
org-disclosure-private = 非開示（IDのほかは見せない）
org-disclosure-public = 開示（氏名とフリガナを見せる）
org-disclosure-save = 開示の設定を保存する
org-accepted = 所属の依頼を承認しました
org-declined = 所属の依頼を辞退しました
org-left = 所属を終了しました
org-disclosure-saved = 開示の設定を保存しました
