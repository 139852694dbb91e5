# account (ja): what a logged-in person sees about their own account, and the login page's notices.
account-current-password-wrong = 現在のパスワードが違います。
account-to-menu = メニューへ

# Changing the registered email address.
account-email-title = メールアドレスの変更
account-email-heading = 登録メールアドレスの変更
account-email-current = 現在の登録メールアドレス: { $email }
account-email-intro = 新しいアドレスに確認メールをお送りします。メールのリンクを開くと変更が確定し、これまでのアドレスにもお知らせします。勤務先のアドレスより、転職しても使い続けられるアドレスをおすすめします。
account-email-new = 新しいメールアドレス
account-email-send = 確認メールを送る
account-email-same = 現在の登録メールアドレスと同じです。
account-email-sent = 確認メールを送信しました
account-email-sent-to = { $email } に確認メールをお送りしました。
account-email-sent-open = メールのリンクを開くと、変更が確定します。リンクの有効期限は{ $minutes }分です。それまでは、これまでのアドレスが登録されたままです。
account-email-what = メールアドレス変更
account-email-again = ログインして、メールアドレスの変更をもう一度申し込む
account-email-confirm-title = メールアドレス変更の確認
account-email-confirm-intro = { $id_kind } { $id } の登録メールアドレスを { $email } に変更します。
account-email-confirm-submit = 変更を確定する
account-email-changed = メールアドレスを変更しました
account-email-changed-to = 登録メールアドレスを { $email } に変更しました。
account-email-changed-old = これまでのアドレスにも、変更のお知らせをお送りしました。

# Logged-in devices.
account-sessions-intro = このアカウントでいまログインしている端末（ブラウザ）の一覧です。心当たりのない端末がある場合は、ほかの端末のログインを終了し、パスワードを変更してください。
account-sessions-since = ログイン日時
account-sessions-last-seen = 最終利用
account-sessions-this-device = （この端末）
account-sessions-end-others = ほかの端末のログインをすべて終了する（{ $count }件）
account-sessions-ended = ほかの端末のログインを終了しました（{ $count }件）。

# Passkeys.
account-passkeys-intro = パスキーを登録すると、IDとパスワードを入力しなくても、スマートフォンやパソコンの指紋・顔認証・画面ロックでログインできます。パスワードはそのまま使えます。
account-passkeys-intro-staff = パスキーを登録すると、ログインのときに、認証アプリの確認コードの代わりにパスキー（指紋・顔認証・画面ロック、またはセキュリティキー）で確認できます。職員IDとパスワードは、これまでどおり必要です。登録と削除は操作記録に残ります。
account-passkeys-none = 登録されたパスキーはありません。
account-passkeys-name = 名前
account-passkeys-created = 登録日時
account-passkeys-last-used = 最後に使った日時
account-passkeys-action = 操作
account-passkeys-remove = 削除する（{ $name }）
account-passkeys-register = パスキーを登録する
account-passkeys-name-label = パスキーの名前
account-passkeys-default-name = パスキー
account-passkeys-name-hint = どの端末のパスキーか分かる名前にしてください（例: 仕事用スマートフォン）。
account-passkeys-needs-script = パスキーの登録には、JavaScriptを有効にしたブラウザが必要です。
account-passkeys-unavailable = このサイトの設定では、パスキーを使えません（公開URLにドメイン名が必要です）。
account-passkeys-added = パスキーを登録しました
account-passkeys-added-line = 次回から、ログイン画面でパスキーを選ぶだけでログインできます。登録メールアドレスにもお知らせしました。
account-passkeys-removed = パスキーを削除しました
account-passkeys-add-failed = パスキーを登録できませんでした
account-passkeys-js-failed = パスキーを登録できませんでした。もう一度お試しください。
account-passkey-expired = 時間がたったため、登録を完了できませんでした。もう一度お試しください。
account-passkey-not-finished = 登録を完了できませんでした。もう一度お試しください。
account-passkey-not-created = パスキーを作成できませんでした。もう一度お試しください。
account-passkey-not-verified = パスキーを確認できませんでした。もう一度お試しください。
account-passkey-already = このパスキーは登録済みです。

# The login page's notices.
account-timed-out-line = 一定時間操作がなかったか、ログインから長い時間が経ったため、安全のため自動的にログアウトしました。
account-timed-out-line-back = 一定時間操作がなかったか、ログインから長い時間が経ったため、安全のため自動的にログアウトしました。ログインすると、元の画面に戻ります。
account-logged-out = ログアウトしました。
account-locked = このIDは現在ロックされています
account-locked-forever = このロックは時間が経っても解除されません。ヘルプデスクにロックの解除をご依頼ください。
account-locked-until = { $until }（日本時間）以降に、自動的にロックが解除されます。それまでお待ちいただき、再度ログインしてください。
account-locked-why = パスワードの誤りが続いたため、安全のため一時的にログインできなくなっています。ロック中は、正しいパスワードを入力してもログインできません。
account-locked-mail = このIDが登録されている場合は、登録メールアドレスにロックのお知らせをお送りしています。メールのリンクから、すぐにロックを解除することもできます。
account-locked-help = メールが届かないなど、解除できない場合
account-busy = ただいまログインが大変混み合っています
account-busy-again = お手数ですが、数秒待ってから、もう一度「ログイン」を押してください。パスワードは入力し直してください。
account-busy-not-counted = この試行は、ログイン失敗の回数には数えていません。
account-busy-checking = 混雑しているため、確認しています。そのままお待ちください。
account-rate-limited = ログインの試行回数が多すぎます
account-rate-limited-line = 短時間に多くのログインが試みられたため、この接続元からのログインを一時的に制限しています。しばらく時間をおいてから、再度お試しください。
account-disabled = この管理者IDは利用停止中です
account-disabled-line = 所属する事業者の事業者責任者または階層管理者が、利用を停止しています。利用を再開してもらうよう、事業者の管理者にご連絡ください。
account-passkey-login-failed = パスキーでログインできませんでした
account-passkey-login-failed-line = このログイン画面で登録したパスキーか、ご確認ください。IDとパスワードでもログインできます。
account-passkey-login-failed-js = パスキーでログインできませんでした。もう一度お試しいただくか、IDとパスワードでログインしてください。

# The menu after a password was set.
account-password-set = パスワードを設定しました。
account-password-set-line = 次回から新しいパスワードでログインしてください。ほかの端末でのログインは終了しました。
account-home-org = { $business }（事業者ID { $id }）／ { $role }・{ $place }
