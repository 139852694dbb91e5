# public (ja-easy): pages anyone sees without logging in, the error pages and maintenance.

# Error pages.
public-error-not-found-title = ページが ありません
public-error-not-found = さがして いる ページが ありません。URLを 見て ください。トップページから もう一度 すすんで ください。
public-error-method-title = この そうさは できません
public-error-method = この ページは、この ほうほうでは ひらけません。ブックマークなどから ひらいた ときは、トップページから すすんで ください。
public-error-forbidden-title = この そうさは うけつけ できませんでした
public-error-forbidden = ページを ひらいてから 時間が たったか、ほかの サイトから おくられた かもしれないので、とめました。もう一度 ページを ひらいて、やりなおして ください。
public-error-not-permitted-title = この そうさは できません
public-refused-role = あなたの やくわりでは この そうさは できません。ひつような ときは、会社（かいしゃ）の せきにんしゃに たのんで ください。
public-error-too-large-title = 書いた ものが 大きすぎます
public-error-too-large = おくった ものが 大きすぎるので、うけつけ できませんでした。書いた ことを もう一度 見て ください。
public-error-unreadable-title = 書いた ことが よめませんでした
public-error-unreadable = おくった ものが よめませんでした。もう一度 ページを ひらいて、書いて ください。
public-error-busy-title = いま こんで います
public-error-busy = いま つかう 人が とても おおいか、システムの 一部が しばらく つかえません。書いた ことは のこって いません。しばらく してから、もう一度 ためして ください。
public-error-internal-title = エラーが おきました
public-error-internal = すみません。システムで エラーが おきました。しばらく してから、もう一度 ためして ください。なおらない ときは、下の 受付番号（うけつけ ばんごう）を ヘルプデスクに しらせて ください。
public-error-fallback = { $title }（受付番号: { $id }）
public-request-id = 受付番号（うけつけ ばんごう）
public-to-top = トップページへ
# The plain-text answer when every connection is busy (Japanese and English together).
public-busy-plain = いま こんで います。しばらく してから、もう一度 ためして ください。

# Maintenance.
public-maintenance-banner-active = いま メンテナンス（てんけん）ちゅうです（{ $end }まで、日本の じかん）。
public-maintenance-banner-planned = メンテナンス（てんけん）の おしらせ: { $start } から { $end } まで（日本の じかん）、ログイン できません。
public-maintenance-title = メンテナンス（てんけん）ちゅう
public-maintenance-heading = いま メンテナンス（てんけん）ちゅうです
public-maintenance-ends = { $end }（日本の じかん）に おわる よていです。
public-maintenance-line = メンテナンスの あいだは、ログインや パスワードを あたらしく する ことなどが できません。すみません。おわる 時間が すぎてから、もう一度 ひらいて ください。
public-maintenance-notices = おしらせを 見る

# Internet Explorer.
public-ie-title = Internet Explorer は つかえません
public-ie-notice = あなたの ブラウザ（Internet Explorer）は つかえません。
public-ie-safety = 建設キャリアアップシステム（けんせつ きゃりあ あっぷ しすてむ）は、あんぜんの ため Internet Explorer では つかえません。
public-ie-use = つぎの どれかの ブラウザで ひらいて ください
public-ie-edge = （Windows に はじめから 入って います）
public-ie-phone = スマートフォンでも つかえます。ブラウザを あたらしく してから ひらいて ください。
public-ie-copy = この ページの アドレスを コピーして、Microsoft Edge か Google Chrome に はりつけると、おなじ ページが ひらけます。

# お知らせ.
public-notices-empty = いま、おしらせは ありません。

# よくある質問.
public-faq-title = よくある しつもん
public-faq-guide = ログイン できない 人へ（しつもんに こたえて なおしかたを さがす）
public-faq-search-label = しつもんを さがす
public-faq-placeholder = れい: パスワード、ロック、メールアドレス
public-faq-search = さがす
public-faq-content-language = まだ ふつうの 日本語だけの しつもんも あります。
public-faq-results = 「{ $query }」で さがした けっか: { $count }
public-faq-show-all = ぜんぶ 見る
public-faq-none = しつもんが 見つかりませんでした。ちがう ことばで さがすか、<a href="/support">といあわせて</a> ください。
public-faq-still = なおらない ときは <a href="/support">といあわせて</a> ください。

# お問い合わせ (contact methods).
public-support-title = といあわせ
public-support-intro = まず <a href="/faq">よくある しつもん</a> を 見て ください。パスワードや IDを わすれた とき、ロック された ときは、ログインの ページから じぶんで なおせます。
public-support-form = といあわせの フォーム（24時間 うけつけ）
public-support-form-text = IDの しつもん、パスワード・ロック、とうろくした メールアドレスを かえる ことなどは、<a href="/inquiry">といあわせの フォーム</a>から おくって ください。本人確認（ほんにん かくにん）の しょるいなどの ファイルも つけられます。
public-support-helpdesk = ヘルプデスク
public-support-helpdesk-text = といあわせる ときは、つぎの ことを しらせて ください。技能者ID（ぎのうしゃ ID）か 事業者ID（じぎょうしゃ ID）（わかれば）、なまえ、うまれた 日、はたらく 会社の なまえです。こたえは へいじつ（月曜日〜金曜日）に します。
public-support-phone = でんわ
public-support-hours = うけつけ 時間: へいじつ（月曜日〜金曜日） 9:00〜17:00（土曜日・日曜日・しゅくじつ・12月29日〜1月3日は やすみ）
public-support-open = いま でんわを うけつけて います。
public-support-closed = いま でんわの うけつけ 時間では ありません。
public-support-closed-holiday = いま でんわの うけつけ 時間では ありません（きょうは { $holiday }）。
public-support-next = つぎは { $at } から うけつけます。
public-support-date = { $year }年{ $month }月{ $day }日 9:00
public-support-phone-tips = でんわは、しょるいを おくる ときや、本人か たしかめる ことが いる ときに つかって ください。こむ ことが あるので、あさ いちばんや ひるの 時間で ない ほうが つながりやすいです。

# お問い合わせフォーム.
public-inquiry-title = といあわせの フォーム
public-inquiry-intro = 24時間 うけつけます。こたえは へいじつ（土曜日・日曜日・しゅくじつ・年末年始（ねんまつ ねんし）は やすみ）に、書いた メールアドレスに おくります。
public-inquiry-self-help = パスワードや IDを わすれた とき、ロック された ときは、ログインの ページから じぶんで すぐ なおせる ことが あります。「<a href="/help/login">ログイン できない 人へ</a>」や「<a href="/faq">よくある しつもん</a>」を 見て ください。
public-inquiry-tried = 「ログインできない方へ」で たしかめた こと
public-inquiry-tried-line = つぎの ことも いっしょに おくります。たんとうの 人は、これを 見てから こたえます。
public-inquiry-category = しつもんの しゅるい
public-inquiry-choose = えらんで ください
public-category-id = IDの しつもん（ID照会）
public-category-password = パスワード・ロック
public-category-email = とうろくした メールアドレスを かえる（登録メールアドレス変更）
public-category-other = そのほか
public-inquiry-login-id = 技能者ID（ぎのうしゃ ID）か 事業者ID（じぎょうしゃ ID）（わかれば）
public-inquiry-login-id-hint = 14けたの すうじです。わからない ときは 書かなくて いいです。
public-inquiry-name = なまえ（氏名）
public-inquiry-furigana = なまえの よみかた（フリガナ）
public-inquiry-furigana-hint = カタカナか ひらがなで 書いて ください。
public-inquiry-birth-date = うまれた 日（生年月日）
public-inquiry-birth-date-hint = れい: 1985-04-01
public-inquiry-employer = はたらく 会社の なまえ
public-inquiry-employer-hint = わかる ことだけで いいです。
public-inquiry-email = れんらくする メールアドレス
public-inquiry-email-hint = こたえを おくる アドレスです。とうろくした メールアドレスが つかえない ときは、いま つかえる アドレスを 書いて ください。
public-inquiry-phone = でんわばんごう（書かなくても いい）
public-inquiry-message = しつもんの ないよう
public-inquiry-message-hint = { $limit }文字まで 書けます。
public-inquiry-files = ファイル（つけなくても いい、{ $count }こまで、1こ { $mb }MBまで、JPEG・PNG・PDF）
public-inquiry-files-hint = カードの しゃしんや、本人確認（ほんにん かくにん）の しょるいなど。メールアドレスを かえたい ときは、本人確認の しょるいを つけて ください。
public-inquiry-trap = ここには なにも 書かないで ください
public-inquiry-send = おくる
public-inquiry-category-missing = しつもんの しゅるいを えらんで ください。
public-inquiry-id-wrong = IDが ちがいます。わからない ときは 書かないで ください。
public-inquiry-name-missing = なまえを 書いて ください。
public-inquiry-furigana-wrong = なまえの よみかたを カタカナか ひらがなで 書いて ください。
public-inquiry-birth-date-wrong = うまれた 日を「1985-04-01」のように 書いて ください。
public-inquiry-email-wrong = メールアドレスを 見て ください（れい: taro@example.jp）。
public-inquiry-message-missing = しつもんの ないようを 書いて ください。
public-inquiry-message-too-long = しつもんの ないようは { $limit }文字までです（いま { $length }文字です）。ながい ときは、みじかく まとめるか、がぞうや PDFに して つけて ください。
public-inquiry-check = 書いた ことを 見て ください。ファイルは もう一度 えらんで ください。
public-inquiry-too-many = みじかい 時間に たくさんの といあわせが あったので、しばらく うけつけを とめて います。1時間ぐらい してから、もう一度 おくって ください。
public-inquiry-files-refused = ファイルを うけつけ できませんでした。まだ おくって いません。
public-inquiry-request-too-large = おくれる 大きさを こえて います。ファイルは 1こ { $mb }MBまでです。
public-inquiry-cut-off = おくって いる とちゅうで きれたので、うけつけ できませんでした。つながりやすい ところで、もう一度 おくって ください。
public-inquiry-file-cut-off = おくって いる とちゅうで きれたので、うけつけ できませんでした。もう一度 おくって ください。
public-inquiry-too-many-files = ファイルは { $count }こまでです。
public-inquiry-file-too-large = 「{ $name }」は 大きすぎます。1こ { $mb }MBまでです。
public-inquiry-file-type = 「{ $name }」は つけられない ファイルです。JPEGか PNGの がぞう、または PDFを つけて ください。
public-inquiry-received = といあわせを うけつけました
public-inquiry-received-line = こたえは へいじつに、書いた メールアドレスに おくります。うけつけた メールも おくりました。
public-inquiry-due = こたえる よてい: { $date } まで
public-inquiry-receipt = 受付番号（うけつけ ばんごう）: { $receipt }
public-inquiry-receipt-keep = この ばんごうは、ヘルプデスクと れんらくする ときに つかいます。メモして ください。
public-inquiry-thanks = ありがとう ございました。

# What was tried in 「ログインできない方へ」, as the inquiry form shows it.
public-tried-entrance-technician = ログインする ところ: 技能者（ぎのうしゃ）
public-tried-entrance-business = ログインする ところ: 事業者（じぎょうしゃ）（管理者IDも）
public-tried-entrance-unknown = ログインする ところ: わからない
public-tried-screen-wrong-password = がめんの ことば: 「IDまたはパスワードが違います」（IDか パスワードが ちがう）
public-tried-screen-locked = がめんの ことば: 「このIDは現在ロックされています」（IDが ロック されて いる）
public-tried-screen-wrong-entrance = がめんの ことば: ログインする ところが ちがう
public-tried-screen-timeout = がめんの ことば: 「タイムアウトしました」（じかんが たった）
public-tried-screen-maintenance = がめんの ことば: メンテナンス（てんけん）ちゅう
public-tried-screen-stopped = がめんの ことば: 「この管理者IDは利用停止中です」（管理者IDが とめられて いる）
public-tried-screen-no-id = IDが わからない
public-tried-mail-yes = とうろくした メールアドレスで メールを うけとれる
public-tried-mail-no = とうろくした メールアドレスで メールを うけとれない
inquiry-tried-heading = 【「ログインできない方へ」で たしかめた こと】
inquiry-tried-line = ・{ $line }
public-tried-screen-other = そのほか（がめんが でない など）
