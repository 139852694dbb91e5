# 日本語 (default). The exact messages the guide quotes stay exact.
site-name = 建設キャリアアップシステム
skip-to-main = 本文へ移動
logout = ログアウト
honorific = { $name } 様
language-switch = 表示する言語
notices = お知らせ
footer-top = トップ
footer-technician-login = 技能者ログイン
footer-business-login = 事業者ログイン
footer-faq = よくある質問
footer-support = お問い合わせ
footer-browsers = 推奨ブラウザ: Google Chrome / Microsoft Edge の最新版（スマートフォンは標準ブラウザの最新版）

top-title = ログイン
top-lead = はじめに、ご自分が<strong>技能者</strong>か<strong>事業者</strong>かをご確認ください。入口とIDの種類が違います。
top-technician = 技能者の方
top-technician-text = 現場で働く方ご本人です。カードに記載された<strong>技能者ID（14桁）</strong>でログインします。
top-technician-go = 技能者ログインへ
top-business = 事業者の方
top-business-text = 建設会社などの事業者のご担当者です。<strong>事業者ID（14桁）</strong>または<strong>管理者ID</strong>でログインします。
top-business-go = 事業者ログインへ
top-hints = ログインのヒント
top-hint-width = IDは全角・半角のどちらで入力しても、スペースやハイフンが入っていても構いません。
top-hint-code = 本人確認番号（4桁）はログインには使いません。パスワードの変更時に使います。
top-hint-forgot = パスワードやIDを忘れた場合は、ログイン画面の「<a href="/ccus_skill/password/forgot">パスワードをお忘れの方</a>」「<a href="/ccus_skill/id/forgot">IDをお忘れの方</a>」から、登録メールアドレスで確認できます。
top-hint-lock = パスワードを続けて間違えると、一定時間ログインできなくなります。表示される時刻以降に再度お試しいただくか、登録メールアドレスに届くメールのリンクからロックを解除してください。
top-hint-timeout = しばらく操作しないと、安全のため自動的にログアウトします（「タイムアウトしました」と表示されます）。
top-hint-ie = Internet Explorerはご利用いただけません。Google Chrome または Microsoft Edge をご利用ください。
top-hint-guide = ログインできないときは「<a href="/help/login">ログインできない方へ</a>」で、質問に答えて解決方法を探せます。

kind-technician = 技能者
kind-business = 事業者
login-title = { $kind }ログイン
login-id-label = { $kind }ID
required = 必須
login-id-hint = 14桁の数字です。全角・半角、スペースやハイフンがあっても構いません。
login-id-hint-business = 事業者の管理者IDをお持ちの方も、ここに入力してください。
password = パスワード
login-button = ログイン
passkey-login = パスキーでログイン
forgot-password = パスワードをお忘れの方
forgot-id = IDをお忘れの方
cannot-log-in = ログインできない方へ（質問に答えて解決方法を探す）
code-not-for-login = 本人確認番号（4桁）はログインには使いません。
other-entrance = { $other }の方は <a href="{ $path }">{ $other }ログイン</a> からログインしてください。
login-id-empty = { $kind }IDを入力してください。
login-id-malformed = { $kind }IDは14桁の数字です。入力内容をご確認ください。
login-id-check-digit = { $kind }IDに誤りがあります。数字の打ち間違いや、隣り合う数字の入れ替わりがないか、カードなどに記載のIDをご確認ください。
password-empty = パスワードを入力してください。
password-too-long = パスワードが長すぎます。入力内容をご確認ください。
wrong-credentials = IDまたはパスワードが違います
wrong-credentials-line = 入力内容をご確認のうえ、もう一度お試しください。パスワードは大文字・小文字を区別します。
wrong-credentials-help = パスワードを忘れた・メールが届かないなど、ログインできない方へ
wrong-entrance = 入力されたIDは{ $id_kind }です
wrong-entrance-line = こちらは{ $kind }用のログイン画面です。{ $right }の方は、{ $right }ログイン画面からログインしてください。
wrong-entrance-link = { $right }ログイン画面へ（IDは入力済みです）
timed-out = タイムアウトしました。お手数ですが、再度ログインしてください。
id-technician = 技能者ID
id-business = 事業者ID
id-manager = 管理者ID
