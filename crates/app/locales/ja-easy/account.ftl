# account (ja-easy): what a logged-in person sees about their own account, and the login page's notices.
account-current-password-wrong = いまの パスワードが ちがいます。
account-to-menu = メニューへ

# Changing the registered email address.
account-email-title = メールアドレスを かえる
account-email-heading = とうろくした メールアドレスを かえる
account-email-current = いまの メールアドレス: { $email }
account-email-intro = あたらしい アドレスに かくにんの メールを おくります。メールの リンクを ひらくと、かわります。まえの アドレスにも しらせます。会社（かいしゃ）の アドレスより、しごとを かえても つかえる アドレスが いいです。
account-email-new = あたらしい メールアドレス
account-email-send = かくにんの メールを おくる
account-email-same = いまの とうろくした メールアドレスと おなじです。
account-email-sent = かくにんの メールを おくりました
account-email-sent-to = { $email } に かくにんの メールを おくりました。
account-email-sent-open = メールの リンクを ひらくと、かわります。リンクは { $minutes }分 つかえます。それまでは、まえの アドレスの ままです。
account-email-what = メールアドレスを かえる
account-email-again = ログインして、もう一度 メールアドレスを かえる もうしこみを する
account-email-confirm-title = メールアドレスを かえる かくにん
account-email-confirm-intro = { $id_kind } { $id } の とうろくした メールアドレスを { $email } に かえます。
account-email-confirm-submit = かえる
account-email-changed = メールアドレスを かえました
account-email-changed-to = とうろくした メールアドレスを { $email } に かえました。
account-email-changed-old = まえの アドレスにも、かえた ことを しらせました。

# Logged-in devices.
account-sessions-intro = この IDで いま ログインして いる きかい（ブラウザ）です。しらない きかいが あったら、ほかの きかいの ログインを おわらせて、パスワードを かえて ください。
account-sessions-since = ログインした 日と 時間
account-sessions-last-seen = さいごに つかった 時間
account-sessions-this-device = （この きかい）
account-sessions-end-others = ほかの きかいの ログインを ぜんぶ おわらせる（{ $count }つ）
account-sessions-ended = ほかの きかいの ログインを おわらせました（{ $count }つ）。

# Passkeys.
account-passkeys-intro = パスキーを とうろくすると、IDと パスワードを 書かなくても ログイン できます。スマートフォンや パソコンの ゆびの もん・かお・がめんの ロックを つかいます。パスワードも そのまま つかえます。
account-passkeys-intro-staff = パスキーを とうろくすると、ログインの とき、アプリの 確認コード（かくにん コード）の かわりに パスキーで かくにん できます。パスキーは、ゆびの もん・かお・がめんの ロック、または セキュリティキーです。職員ID（しょくいん ID）と パスワードは いままで どおり いります。とうろくした ことと けした ことは、きろくに のこります。
account-passkeys-none = とうろくした パスキーは ありません。
account-passkeys-name = なまえ
account-passkeys-created = とうろくした 日と 時間
account-passkeys-last-used = さいごに つかった 日と 時間
account-passkeys-action = そうさ
account-passkeys-remove = けす（{ $name }）
account-passkeys-register = パスキーを とうろくする
account-passkeys-name-label = パスキーの なまえ
account-passkeys-default-name = パスキー
account-passkeys-name-hint = どの きかいの パスキーか わかる なまえに して ください（れい: しごとの スマートフォン）。
account-passkeys-needs-script = パスキーを とうろくするには、JavaScriptが つかえる ブラウザが いります。
account-passkeys-unavailable = この サイトの せっていでは、パスキーは つかえません（こうかいする URLに ドメインめいが いります）。
account-passkeys-added = パスキーを とうろくしました
account-passkeys-added-line = つぎから、ログインの ページで パスキーを えらぶだけで ログイン できます。とうろくした メールアドレスにも しらせました。
account-passkeys-removed = パスキーを けしました
account-passkeys-add-failed = パスキーを とうろく できませんでした
account-passkeys-js-failed = パスキーを とうろく できませんでした。もう一度 ためして ください。
account-passkey-expired = 時間が たったので、とうろく できませんでした。もう一度 ためして ください。
account-passkey-not-finished = とうろく できませんでした。もう一度 ためして ください。
account-passkey-not-created = パスキーを つくれませんでした。もう一度 ためして ください。
account-passkey-not-verified = パスキーを かくにん できませんでした。もう一度 ためして ください。
account-passkey-already = この パスキーは もう とうろく されて います。

# The login page's notices.
account-timed-out-line = しばらく なにも しなかったか、ログインしてから ながい 時間が たったので、あんぜんの ため ログアウトしました。
account-timed-out-line-back = しばらく なにも しなかったか、ログインしてから ながい 時間が たったので、あんぜんの ため ログアウトしました。ログインすると、まえの がめんに もどります。
account-logged-out = ログアウトしました。
account-locked = このIDは現在ロックされています（IDが ロック されて います）
account-locked-forever = この ロックは 時間が たっても とれません。ヘルプデスクに ロックを とって もらって ください。
account-locked-until = { $until }（日本の じかん）を すぎると、ロックは じぶんで とれます。それまで まって、もう一度 ログインして ください。
account-locked-why = パスワードを 何回も まちがえたので、あんぜんの ため しばらく ログイン できません。ロックの あいだは、ただしい パスワードでも ログイン できません。
account-locked-mail = この IDが とうろく されて いれば、とうろくした メールアドレスに ロックの メールを おくりました。メールの リンクから、すぐ ロックを とる ことも できます。
account-locked-help = メールが こない など、ロックが とれない とき
account-busy = いま ログインが とても こんで います
account-busy-again = すこし まって から、もう一度「ログイン」を おして ください。パスワードも もう一度 書いて ください。
account-busy-not-counted = これは ログインの まちがいの 回数に 入りません。
account-busy-checking = こんで いるので、かくにん して います。そのまま まって ください。
account-rate-limited = ログインを ためした 回数が おおすぎます
account-rate-limited-line = みじかい 時間に たくさんの ログインが あったので、この つなぎもとからの ログインを いま とめて います。しばらく してから、もう一度 ためして ください。
account-disabled = この管理者IDは利用停止中です（管理者IDが とめられて います）
account-disabled-line = あなたの 会社の 事業者責任者（じぎょうしゃ せきにんしゃ）か 階層管理者（かいそう かんりしゃ）が、この IDを とめて います。また つかえるように、会社の 管理者に たのんで ください。
account-passkey-login-failed = パスキーで ログイン できませんでした
account-passkey-login-failed-line = この ログインの ページで とうろくした パスキーか、見て ください。IDと パスワードでも ログイン できます。
account-passkey-login-failed-js = パスキーで ログイン できませんでした。もう一度 ためすか、IDと パスワードで ログインして ください。

# The menu after a password was set.
account-password-set = パスワードを きめました。
account-password-set-line = つぎから あたらしい パスワードで ログインして ください。ほかの きかいの ログインは おわりました。
account-home-org = { $business }（事業者ID { $id }）／ { $role }・{ $place }
