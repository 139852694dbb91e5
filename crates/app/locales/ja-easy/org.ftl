# org (ja-easy): a business's organisation (tiers, 管理者ID), its technicians, and 所属.

# Roles, places and states.
org-role-owner = 事業者責任者（じぎょうしゃ せきにんしゃ）
org-role-tier-manager = 階層管理者（かいそう かんりしゃ）
org-role-site-manager = 現場管理者（げんば かんりしゃ）
org-role-proxy-clerk = 代行登録担当者（だいこう とうろく たんとうしゃ）
org-place-business = 会社（かいしゃ） ぜんたい
org-place-tier = 第{ $level }階層（だい{ $level } かいそう）「{ $name }」
org-tier-place-top = 会社（かいしゃ） ぜんたいの 下（第1階層）
org-tier-place-under = 第{ $level }階層「{ $name }」の 下（第{ $next }階層）
org-status-active = つかえる
org-status-stopped = とめて いる（利用停止中）
org-status-locked = ロック されて いる
org-business-line = { $name }（事業者ID { $id }）
org-manager-id = 管理者ID（かんりしゃ ID）
org-technician-id = 技能者ID（ぎのうしゃ ID）
org-paren-open = （
org-paren-close = ）

# 組織と管理者ID.
org-title = そしきと 管理者ID（かんりしゃ ID）
org-business = 会社（かいしゃ）
org-you = あなた
org-me = { $name }（{ $role }、{ $place }）
org-intro = 管理者IDは 1人に 1つです。みんな じぶんの パスワードで ログインします。ログインの きろくも 1人ずつ のこります。パスワードは 本人（ほんにん）だけが きめられます（わすれた ときは、ここから パスワードを あたらしく する メールを おくれます）。
org-heading = そしき
org-no-members = 管理者IDは まだ ありません。
org-member-open = （{ $role }、管理者ID
org-new-tier = 階層（かいそう）を つくる
org-tier-parent = つくる ところ
org-tier-name = 階層の なまえ
org-tier-name-hint = れい: 東京支店、第一工事部。第3階層まで つくれます。
org-new-member = 管理者IDを 出す
org-new-member-intro = 出すと、本人（ほんにん）の メールアドレスに 管理者IDと、パスワードを きめる URLを おくります。本人確認番号（ほんにん かくにん ばんごう・4けた）は つぎの がめんに 1回だけ 出ます。本人に ちょくせつ つたえて ください。
org-name = なまえ
org-member-email = メールアドレス（本人の もの）
org-role = やくわり
org-member-tier = はいる 階層（かいそう）
org-audit = そうさの きろく
org-audit-empty = きろくは まだ ありません。
org-audit-at = じかん
org-audit-actor = そうさした 人
org-audit-action = そうさ
org-audit-detail = ないよう
org-tier-created = 階層（かいそう）を つくりました
org-tier-failed = 階層（かいそう）を つくれませんでした
org-member-failed = 管理者IDを 出せませんでした

# What a form says is wrong.
org-tier-name-empty = 階層の なまえを 書いて ください。
org-tier-name-too-long = 階層の なまえは { $max }文字 までで 書いて ください。
org-name-empty = なまえを 書いて ください。
org-name-too-long = なまえは { $max }文字 までで 書いて ください。
org-tier-too-deep = 階層（かいそう）は 第3階層までです。
org-tier-manager-needs-tier = 階層管理者（かいそう かんりしゃ）は、かんりする 階層を えらんで ください。
org-email-invalid = メールアドレスが ただしく ありません。
org-member-stopped = この 管理者IDは とめて います。さきに また つかえるように して ください。

# A 管理者ID just issued.
org-issued-title = 管理者IDを 出しました
org-issued = { $name } さんの 管理者IDを 出しました
org-issued-mail = { $email } に、管理者IDと パスワードを きめる URLを おくりました。
org-issued-id = 管理者ID: { $id }
org-issued-code = 本人確認番号（4けた）: { $code } — 本人に ちょくせつ つたえて ください。パスワードを かえる ときに つかいます。この がめんを とじると、もう 見られません。
org-to-member = { $name } さんの ページへ
org-back = そしきと 管理者IDに もどる

# One person's page.
org-member-title = { $name }（管理者ID）
org-email = メールアドレス
org-tier = 階層（かいそう）
org-status = いまの ようす
org-actions = そうさ
org-actions-intro = パスワードは 本人（ほんにん）だけが きめられます。わすれた ときは、本人が とうろくした メールアドレスに パスワードを あたらしく する メールを おくって ください。どの そうさも、本人の ログインの きろくと そうさの きろくに のこります。
org-do-reset = パスワードを あたらしく する メールを おくる
org-do-unlock = ロックを とる
org-do-disable = つかえないように する（利用停止）
org-do-enable = また つかえるように する
org-member-history = ログインの きろく（あたらしい 50こ）
org-done-disable = つかえないように しました
org-done-disable-line = この 管理者IDで ログインして いた きかいは ぜんぶ ログアウトしました。もどすまで ログイン できません。
org-stop-heading = つかえないように する
org-stop-intro = { $name }さんの 管理者IDを つかえないように すると、ログインして いる きかいは ぜんぶ ログアウトします。もどすまで ログイン できません。りゆうは そうさの きろくに のこります。
org-stop-reason = とめる りゆう
org-stop-reason-hint = れい: 会社（かいしゃ）を やめた ため、ほかの ところへ うつった ため
org-stop-confirm = { $name }さんの 管理者IDを つかえないように します
org-stop-failed = とめられませんでした
org-stop-needs-reason = とめる りゆうを 書（か）いて ください。
org-stop-needs-confirm = たしかめる ため、「つかえないように します」に チェックを いれて ください。
org-role-hint = はじめは、できる ことが いちばん すくない やくわりが えらばれて います。ひつような やくわりだけ えらんで ください。
org-refused-tier = ここに かいそうを 作（つく）る ことは できません。作れるのは じぶんの かいそうと その 下（した）だけです。
org-refused-member = この やくわり・この ばしょで 管理者IDを 作る ことは できません。作れるのは、えらべる やくわりで、じぶんの かいそうと その 下だけです。
org-refused-person = この 管理者IDに この そうさは できません。そうさ できるのは、じぶんの かいそうより 下の 人（ひと）だけです。
org-refused-affiliation = 技能者（ぎのうしゃ）の 所属（しょぞく）を かんり できるのは、事業者責任者（じぎょうしゃ せきにんしゃ）と 階層管理者（かいそう かんりしゃ）だけです。
org-done-enable = また つかえるように しました
org-done-reset = パスワードを あたらしく する メールを おくりました
org-done-reset-line = 本人が とうろくした メールアドレスに おくりました。本人が URLを ひらいて、じぶんで パスワードを きめます。
org-done-unlock = ロックを とりました

# 所属技能者 (the business's page).
org-technicians-title = しょぞくの 技能者（ぎのうしゃ）
org-technicians-intro = しょぞくの 技能者の なまえ・フリガナ・うまれた 日を 見る ことが できます。しょぞくで ない 技能者は、本人が 見せると きめた ときの なまえと フリガナしか 見えません。
org-technicians-empty = しょぞくの 技能者は まだ いません。
org-furigana = フリガナ
org-birth-date = うまれた 日
org-column-action = そうさ
org-end-affiliation = しょぞくを おわりに する（{ $id }）
org-request = しょぞくの いらい
org-request-intro = 技能者IDを 書いて いらいを おくると、本人が ログインして「はい」と こたえた とき、しょぞくの 技能者に なります。
org-request-send = しょぞくの いらいを おくる
org-pending = こたえを まって いる いらい
org-basis-employer = しょぞくの 技能者
org-basis-disclosed = 本人が 見せて いる
org-basis-private = 本人が 見せないと きめて いる
org-request-sent = しょぞくの いらいを おくりました
org-request-sent-line = その 技能者IDの 人が ログインして「はい」と こたえると、しょぞくの 技能者に なります。
org-ended = しょぞくを おわりに しました
org-request-failed = しょぞくの いらいを おくれませんでした
org-already-ours = この 技能者は もう しょぞくの 技能者です。
org-too-many-requests = いらいが おおすぎます。しばらく してから ためして ください。
org-request-not-technician = 技能者IDを 書いて ください（事業者IDや 管理者IDには いらい できません）。
org-request-malformed = 技能者IDは 14けたの すうじです。もう一度 見て ください。

# 所属事業者と情報の開示 (the technician's page).
org-affiliation-title = はたらく 会社と じょうほうの こうかい
org-employer = はたらく 会社（所属事業者）
org-employer-sees = はたらく 会社は、あなたの なまえ・フリガナ・うまれた 日を 見る ことが できます。
org-leave = この 会社の しょぞくを おわりに する
org-no-employer = はたらく 会社は とうろく されて いません。
org-requests = とどいた しょぞくの いらい
org-no-requests = いらいは ありません。
org-request-from = { $business } からの いらい
org-request-line = から、あなたを この 会社の 技能者として とうろくしたいと いらいが きて います（{ $at }）。
org-request-explain = 「はい」に すると、この 会社が あなたの はたらく 会社に なります。会社は あなたの なまえ・フリガナ・うまれた 日を 見る ことが できます。ほかの 会社に しょぞくして いる ときは、その しょぞくは おわります。
org-accept = はい（しょうにん する）
org-decline = いいえ（ことわる）
org-disclosure = じょうほうの こうかい
org-disclosure-intro = はたらく 会社では ない 会社に、あなたの なまえと フリガナを 見せるか えらべます。うまれた 日は、はたらく 会社にしか 見せません。
org-disclosure-legend = ほかの 会社に 見せるか
org-disclosure-private = 見せない（IDの ほかは 見せない）
org-disclosure-public = 見せる（なまえと フリガナを 見せる）
org-disclosure-save = きめた ことを ほぞんする
org-accepted = しょぞくの いらいを「はい」に しました
org-declined = しょぞくの いらいを ことわりました
org-left = しょぞくを おわりに しました
org-disclosure-saved = 見せるかの せっていを ほぞんしました
