# やさしい日本語: short sentences, hard kanji in kana or with readings, plain forms.
site-name = 建設キャリアアップシステム（けんせつ きゃりあ あっぷ しすてむ）
skip-to-main = ほんぶんへ すすむ
logout = ログアウト（おわる）
honorific = { $name } さん
language-switch = ことば
notices = おしらせ
footer-top = トップ
footer-technician-login = 技能者（ぎのうしゃ）の ログイン
footer-business-login = 事業者（じぎょうしゃ）の ログイン
footer-faq = よくある しつもん
footer-support = といあわせ
footer-browsers = つかえる ブラウザ: Google Chrome、Microsoft Edge の あたらしい もの（スマートフォンは さいしょから ある ブラウザ）

top-title = ログイン
top-lead = あなたは <strong>技能者（ぎのうしゃ）</strong>ですか。<strong>事業者（じぎょうしゃ）</strong>ですか。ログインする ところが ちがいます。
top-technician = 技能者（ぎのうしゃ）の 人
top-technician-text = げんばで はたらく 人です。カードに ある <strong>技能者ID（14けた）</strong>で ログインします。
top-technician-go = 技能者の ログインへ
top-business = 事業者（じぎょうしゃ）の 人
top-business-text = 会社（かいしゃ）の たんとうの 人です。<strong>事業者ID（14けた）</strong>か <strong>管理者ID（かんりしゃID）</strong>で ログインします。
top-business-go = 事業者の ログインへ
top-hints = ログインの ヒント
top-hint-width = IDは 全角（ぜんかく）でも 半角（はんかく）でも だいじょうぶです。スペースや「-」が あっても だいじょうぶです。
top-hint-code = 本人確認番号（ほんにん かくにん ばんごう・4けた）は ログインに つかいません。パスワードを かえる ときに つかいます。
top-hint-forgot = パスワードや IDを わすれた ときは、ログインの ページの「<a href="/ccus_skill/password/forgot">パスワードを わすれた</a>」「<a href="/ccus_skill/id/forgot">IDを わすれた</a>」を つかって ください。メールで しらせます。
top-hint-lock = パスワードを 何回も まちがえると、しばらく ログイン できません。ページに でる 時間の あとで、もう一度 ためして ください。メールの リンクからも もどせます。
top-hint-timeout = しばらく なにも しないと、あんぜんの ため ログアウトします（「タイムアウトしました」と でます）。
top-hint-ie = Internet Explorer は つかえません。Google Chrome か Microsoft Edge を つかって ください。
top-hint-guide = ログイン できない ときは「<a href="/help/login">ログインできない方へ</a>」で しつもんに こたえると、なおしかたが わかります。

kind-technician = 技能者（ぎのうしゃ）
kind-business = 事業者（じぎょうしゃ）
login-title = { $kind }の ログイン
login-id-label = { $kind }の ID
required = かならず 書く
login-id-hint = 14けたの すうじです。全角（ぜんかく）でも 半角（はんかく）でも、スペースや「-」が あっても だいじょうぶです。
login-id-hint-business = 管理者ID（かんりしゃID）の 人も、ここに 書いて ください。
password = パスワード
login-button = ログイン
passkey-login = パスキーで ログイン
forgot-password = パスワードを わすれた
forgot-id = IDを わすれた
cannot-log-in = ログイン できない 人へ（しつもんに こたえて なおしかたを さがす）
code-not-for-login = 本人確認番号（ほんにん かくにん ばんごう・4けた）は ログインに つかいません。
other-entrance = { $other }の 人は <a href="{ $path }">{ $other }の ログイン</a> から ログインして ください。
login-id-empty = { $kind }の IDを 書いて ください。
login-id-malformed = { $kind }の IDは 14けたの すうじです。もう一度 見て ください。
login-id-check-digit = { $kind }の IDが ちがいます。すうじの まちがいや、ならびの まちがいが ないか、カードの IDを 見て ください。
password-empty = パスワードを 書いて ください。
password-too-long = パスワードが ながすぎます。もう一度 見て ください。
wrong-credentials = IDまたはパスワードが違います（IDか パスワードが ちがいます）
wrong-credentials-line = もう一度 見て、ためして ください。パスワードは 大きい 字と 小さい 字を くべつします。
wrong-credentials-help = パスワードを わすれた、メールが こない など、ログイン できない 人へ
wrong-entrance = 書いた IDは { $id_kind }です
wrong-entrance-line = ここは { $kind }の ログインの ページです。{ $right }の 人は、{ $right }の ログインの ページから ログインして ください。
wrong-entrance-link = { $right }の ログインの ページへ（IDは 書いて あります）
timed-out = タイムアウトしました（じかんが たちました）。もう一度 ログインして ください。
id-technician = 技能者ID（ぎのうしゃ ID）
id-business = 事業者ID（じぎょうしゃ ID）
id-manager = 管理者ID（かんりしゃ ID）
