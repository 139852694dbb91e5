# apply (ja-easy): とうろくの 申請（しんせい）、申請用ID、代行申請（だいこう しんせい）と 本人の 同意（どうい）.

# The top page of /apply.
apply-title = 技能者（ぎのうしゃ）の とうろくを 申請（しんせい）する
apply-top-lead = 建設キャリアアップシステムに 技能者として とうろくすると、技能者IDと とうろくカードが もらえます。申請（しんせい）は この ページで できます。スマートフォンでも できます。
apply-top-flow = 申請の ながれ
apply-top-step-login = <strong>申請用ID（しんせいよう ID）を つくる</strong>: メールアドレスを 書きます。とどいた メールの リンクを ひらいて、申請用の パスワードを きめます。
apply-top-step-fill = <strong>申請の ないようを 書く</strong>: とちゅうで「一時保存（いちじ ほぞん）」すると、あとで つづきを 書けます。
apply-top-step-submit = <strong>申請する</strong>: しらべた けっかを メールで しらせます。なおす ところが あったら、そこだけ なおして、もう一度 申請します。
apply-top-step-pay = <strong>とうろくの おかねを はらう</strong>: しらべおわった ときの メールを 見て、ぎんこうから ふりこんで ください。
apply-top-step-issued = <strong>とうろく かんりょう</strong>: 技能者IDを メールで しらせます。さいしょの パスワードと 本人確認番号（ほんにん かくにん ばんごう）が 書いて ある とうろくカードを ゆうびんで おくります。
apply-top-fees = とうろくの おかね（10年 つかえます）
apply-top-col-plan = とうろくの しゅるい
apply-top-col-fee = おかね
apply-top-col-content = とうろくする こと
apply-top-fee-basic = 2,500円
apply-top-fee-detailed = 4,900円
apply-top-basic-content = あなたの じょうほうと、はたらく 会社（かいしゃ）
apply-top-detailed-content = 簡略型（かんりゃくがた）の ことと、しかくや 社会保険（しゃかい ほけん）なども とうろくします
apply-top-start = 申請用IDを つくって 申請を はじめる
apply-top-have-login = 申請用IDを もって いる 人は <a href="/apply/login">申請用IDで ログイン</a> して、つづきを して ください。
apply-top-registered = もう 技能者IDを もって いる 人は、申請しなくて いいです。<a href="/ccus_skill/login">技能者の ログイン</a>
apply-top-title = 新規登録（しんき とうろく）（技能者・事業者）
apply-top-choose = とうろく するのは 技能者（ぎのうしゃ）ですか、事業者（じぎょうしゃ）ですか。えらぶと、もうしこみの ながれと おかねが でます。
apply-top-choose-technician = 現場（げんば）で はたらく 人（ひと） じぶんの とうろくです。技能者IDと カードが でます。
apply-top-choose-business = 建設（けんせつ）の 会社（かいしゃ）や 一人親方（ひとり おやかた）の とうろくです。事業者IDが でます。
apply-top-business-lead = 事業者として とうろくすると、事業者IDが でます。技能者の 所属（しょぞく）や 現場の かんりに つかいます。
apply-top-business-fee = とうろくの おかね（5年 つかえます）は、資本金（しほんきん）で きまります。一人親方は むりょうです。
apply-top-business-steps = もうしこみの ながれは 技能者と おなじです。申請用ID（しんせいよう ID）で ログインしたら「事業者（じぎょうしゃ）の とうろくの 申請を あたらしく はじめる」を えらんで ください。
apply-top-registered-business = もう 事業者IDを もって いる 人は、もうしこみは いりません。<a href="/ccus_owner/login">事業者ログイン</a>

# 申請用IDの作成.
apply-start-title = 申請用ID（しんせいよう ID）を つくる
apply-start-intro = れんらくに つかう メールアドレスを 書いて ください。たしかめる メールを おくります。
apply-start-intro-link = メールの リンクを ひらいて 申請用の パスワードを きめると、申請用IDが できます。
apply-email = メールアドレス
apply-email-hint = れい: taro@example.jp（けいたい電話の メールアドレスでも いいです）
apply-start-send = メールを おくる
apply-start-have-login = 申請用IDを もって いる 人は こちら
apply-email-invalid = メールアドレスが ただしく ありません。もう一度 見て ください。
apply-too-many-title = しばらく まって ください
apply-too-many = みじかい 時間に たくさん 申請用IDを つくろうと しました
apply-too-many-line = しばらく してから、もう一度 ためして ください。
apply-sent = メールを おくりました
apply-sent-open = { $email } に おくった メールの リンクを ひらいて、申請用の パスワードを きめて ください。
apply-sent-spam = メールが こない ときは、めいわくメールの フォルダも 見て ください。もう 申請用IDが ある ときは、そう 書いた メールが とどきます。
apply-to-top = 技能者の とうろくの 申請の はじめへ

# 申請用パスワード.
apply-password-title = 申請用の パスワードを きめる
apply-password-intro = 申請用ID（{ $email }）の パスワードを きめて ください。8文字 いじょうで、ほかの 人が 思いつかない ことばの くみあわせに して ください。
apply-password = 申請用の パスワード
apply-password-submit = パスワードを きめて 申請を はじめる
apply-password-too-short = パスワードは { $min }文字 いじょうに して ください。
apply-password-too-long = パスワードは { $max }文字 いかに して ください。
apply-password-common = この パスワードは たくさんの 人が つかって いて、わかりやすいので、つかえません。ほかの 人が 思いつかない ことばの くみあわせに して ください。
apply-password-has-email = パスワードに メールアドレスを 入れないで ください。わかりやすく なるからです。
apply-password-has-word = パスワードに「{ $word }」を 入れないで ください。わかりやすく なるからです。
apply-link-unusable-title = この リンクは つかえません
apply-link-unusable = リンクの きげんが すぎたか、もう つかわれました
apply-link-unusable-line = もう一度 メールアドレスを 書いて、あたらしい メールを うけとって ください。
apply-to-start = 申請用IDを つくる

# 申請用IDでログイン.
apply-login-title = 申請用IDで ログイン
apply-login-intro = 申請用IDの メールアドレスと、申請用の パスワードを 書いて ください。
apply-login-id = 申請用ID（メールアドレス）
apply-login-create = 申請用IDを もって いない 人（つくる）
apply-login-forgot = パスワードを わすれた 人
apply-wrong-credentials = 申請用IDか パスワードが ちがいます
apply-wrong-credentials-line = もう一度 見て、ためして ください。

# 申請の状況.
apply-home-title = 申請の じょうきょう
apply-proxy-label = 代行申請（だいこう しんせい）:
apply-home-proxy-intro = やとって いる 技能者などの かわりに、技能者の とうろくを 申請できます。申請には、本人の 同意（どうい。本人が いいと いう こと）が ひつようです。申請の ページから 本人に メールで たのむか、本人が サインした 代行申請同意書（だいこう しんせい どういしょ）を アップロードして ください。とうろくした あとの IDと パスワードは 本人だけの ものです。
apply-login-id-label = 申請用ID:
apply-no-applications = まだ 申請は ありません。
apply-col-number = 申請番号（しんせい ばんごう）
apply-col-kind = しゅるい
apply-col-status = じょうきょう
apply-col-updated = さいごに かえた 日
apply-proxy-new = 技能者の 代行申請を あたらしく はじめる
apply-proxy-end = 代行申請を おわる
apply-new-technician = 技能者の とうろくの 申請を あたらしく はじめる
apply-new-business = 事業者（じぎょうしゃ）の とうろくの 申請を あたらしく はじめる
apply-business-with-id = { $name }（事業者ID { $id }）

# What is applied for, and where it stands.
apply-kind-technician = 技能者登録（ぎのうしゃ とうろく）
apply-kind-business = 事業者登録（じぎょうしゃ とうろく）
apply-kind-unknown = とうろく
apply-status-draft = 書いて いる ところ（一時保存）
apply-status-submitted = しらべて います
apply-status-returned = なおす ところが あります
apply-status-approved = しらべおわりました（おかねを まって います）
apply-status-issued = とうろく かんりょう
apply-status-closed = おわり
apply-step-input = 書く
apply-step-submit = 申請
apply-step-screened = しらべおわり
apply-step-paid = おかね
apply-step-issued = とうろく かんりょう

# The application form.
apply-application-title = { $kind }の 申請（申請番号 { $id }）
apply-back-home = ← 申請の じょうきょう
apply-progress = 申請が どこまで すすんだか
apply-status-label = じょうきょう:
apply-fee = とうろくの おかね: { $fee }円
apply-fee-how = （しらべおわったら、ぎんこうから ふりこんで ください）
apply-consent-heading = 本人が いいと いう こと（代行申請）
apply-consent-business = 代行申請する 事業者:
apply-consent-status = 本人の こたえ:
apply-consent-explain = 本人の なまえ・フリガナ・うまれた 日・メールアドレスを 書いて 一時保存してから、本人に たのんで ください。本人が メールの リンクで いいと いうと、申請できます。本人が サインした 代行申請同意書（だいこう しんせい どういしょ）を「書類の提出（しょるいの ていしゅつ）」から アップロードしても いいです。
apply-consent-ask = 本人に たのむ メールを おくる
apply-returned-intro = なおす ところだけ かえられます。なおしたら「申請する」を おして ください。
apply-editable-intro = 「一時保存」を おすと、書いた ことを のこして、あとで つづきを 書けます。ぜんぶ 書いたら「申請する」を おして ください。
apply-defect = なおす ところ: { $defect }
apply-defect-comment = { $code }（しらべた 人の コメント: { $comment }）
apply-not-entered = （書いて いません）
apply-choose = えらんで ください
apply-save = 一時保存（いちじ ほぞん）
apply-submit = 申請する
apply-documents = 書類の提出（しょるいの ていしゅつ）
apply-documents-technician = 本人確認書類（ほんにん かくにん しょるい）と かおの しゃしんが いります。日本人で ない 人は 在留カード（ざいりゅう カード）も いります。しかくを 書いた 人は、しかくの しょうめいしょの コピーも いります。JPEG・PNG・PDF、1つ { $mb }MBまで。かおの しゃしんは JPEGか PNG。スマートフォンで とった しゃしんでも いいです。
apply-documents-business = 登記事項証明書（とうき じこう しょうめいしょ。1人で している 人は 開業届（かいぎょう とどけ）など）と、建設業許可（けんせつぎょう きょか）が ある ときは きょかの しょるいの コピーが いります。JPEG・PNG・PDF、1つ { $mb }MBまで。スマートフォンで とった しゃしんでも いいです。
apply-document-row = { $kind }: { $name }（{ $size }）
apply-document-kind = しょるいの しゅるい
apply-file = ファイル
apply-upload = しょるいを アップロードする
apply-summary = 申請の ないよう
apply-documents-sent = 出した しょるい
apply-withdraw-heading = 申請を やめる
apply-withdraw-intro = この 申請を やめる ときは、ここで やめて ください。やめた 申請の ないようと しょるいは、しばらく すると けします。
apply-withdraw = 申請を やめる

# The items of the form.
apply-hint-plan = 簡略型（かんりゃくがた） 2,500円、詳細型（しょうさいがた） 4,900円（10年 つかえます）
apply-hint-name = 本人確認書類（ほんにん かくにん しょるい）と おなじに 書いて ください。
apply-hint-furigana = カタカナで 書いて ください（れい: ケンセツ タロウ。外国の 名前は、よみかたを カタカナで。れい: Nguyen Van An → グエン ヴァン アン）。
apply-hint-birth-date = れい: 1985-04-01
apply-hint-nationality = れい: 日本、ベトナム
apply-hint-residence-card = 日本人で ない 人は かならず 書いて ください。英語の 字 2つ・すうじ 8つ・英語の 字 2つ（れい: AB12345678CD）
apply-hint-postal-code = れい: 100-0013
apply-hint-phone = れい: 090-1234-5678
apply-hint-email = とうろくが おわった ことと 技能者IDを しらせる アドレスです。書かない ときは 申請用IDの アドレスに おくります。代行申請では 本人の アドレスが いります。
apply-hint-employer = はたらく 会社の 事業者ID（14けた）。わからない ときは 書かなくて いいです。
apply-hint-qualifications = 1行に 1つ、しかくの なまえと とった 日を 書いて ください（れい: 玉掛け技能講習 2015-06-01）。
apply-hint-company-name = 登記（とうき）と おなじに 書いて ください（1人で している 人は 屋号か なまえ）。れい: 株式会社 見本建設
apply-hint-company-furigana = カタカナで 書いて ください。
apply-hint-sole-proprietor = 一人親方（ひとり おやかた。はたらく 人が いない 人）は、とうろくの おかねが いりません。
apply-hint-capital = 円の すうじで 書いて ください（れい: 10,000,000）。資本金（しほんきん）の ない 個人事業主は 0、一人親方（ひとり おやかた）は 書かなくても いいです。とうろくの おかねは 資本金で きまります（5年 つかえます）。
apply-hint-permit = れい: 東京都知事許可（般-5）第123456号。建設業許可が ない ときは 書かないで ください。
apply-hint-trades = れい: 土木一式、とび・土工
apply-hint-contact = とうろくの れんらくと 事業者IDは、申請用IDの メールアドレスに おくります。
apply-plan-basic = 簡略型（かんりゃくがた）
apply-plan-detailed = 詳細型（しょうさいがた）
apply-gender-male = 男性（だんせい）
apply-gender-female = 女性（じょせい）
apply-gender-other = そのほか・こたえない
apply-sole-company = 会社、または はたらく 人が いる 個人事業主（こじん じぎょうぬし）
apply-sole-sole = 一人親方（ひとり おやかた）
apply-insurance-enrolled = 健康保険（けんこう ほけん）・年金保険（ねんきん ほけん）・雇用保険（こよう ほけん）に 入って いる
apply-insurance-partly = 一部に 入って いる（入らなくて いい ものを ふくむ）
apply-insurance-none = 入って いない

# The screener's reasons for 不備.

# Problems with what was typed.
apply-problem-too-long = { $label }は { $max }文字 いかで 書いて ください。
apply-problem-bad-characters = { $label }に つかえない 字が あります。
apply-problem-required = { $label }を 書いて ください。
apply-problem-choose = { $label }を えらんで ください。
apply-problem-residence-card-required = 日本人で ない 人は、在留カード番号（ざいりゅう カード ばんごう）を 書いて ください。
apply-problem-furigana = フリガナは カタカナで 書いて ください。
apply-problem-birth-date-format = うまれた 日は「1985-04-01」のように、年・月・日で 書いて ください。
apply-problem-birth-date-future = うまれた 日が これからの 日に なって います。
apply-problem-too-young = うまれた 日を 見て ください（15さいより 下の 人は とうろく できません）。
apply-problem-too-old = うまれた 年を 見て ください。
apply-problem-postal-code = 郵便番号は 7けたの すうじで 書いて ください（れい: 100-0013）。
apply-problem-phone = 電話番号は 0から はじまる 10けたか 11けたの すうじで 書いて ください。
apply-problem-residence-card = 在留カード番号は、英語の 字 2つ・すうじ 8つ・英語の 字 2つの 12文字です（れい: AB12345678CD）。
apply-problem-employer = 事業者IDは 14けたの すうじです。わからない ときは 書かないで ください。
apply-problem-employer-technician = 書いた IDは 技能者IDです。はたらく 会社の 事業者IDを 書いて ください。
apply-problem-email = メールアドレスが ただしく ありません。
apply-problem-proxy-email-missing = 代行申請では、本人の メールアドレスが いります（本人に たのむ メールと、とうろくが おわった しらせを 本人に おくります）。
apply-problem-proxy-email-business = 本人の メールアドレスを 書いて ください。代行申請を する 事業者や、その 管理者ID（かんりしゃ ID）の アドレスは つかえません（「+」を つけた ものも）。
apply-problem-consent-needs-person = さきに 本人の なまえ・フリガナ・うまれた 日を 書いて、一時保存して ください。

# What happened, on the application page.
apply-done-document = しょるいを アップロードしました
apply-done-withdrawn = 申請を やめました
apply-done-withdrawn-line = 申請の ないようと しょるいは、しばらく すると けします。また 申請する ときは、あたらしく 申請を はじめて ください。
apply-done-consent = 本人に たのむ メールを おくりました
apply-done-consent-line = 本人が メールの リンクで いいと いうと、この ページに 出ます。本人の こたえは メールでも しらせます。
apply-done-saved = 一時保存しました
apply-done-saved-line = つづきは、申請用IDで ログインして「申請の じょうきょう」から いつでも 書けます。
apply-done-submitted = 申請を うけつけました
apply-done-submitted-line = しらべた けっかは メールで しらせます。この ページでも じょうきょうを 見られます。
apply-returned = 申請に なおす ところが あります
apply-returned-line = 赤い ところを なおして、もう一度「申請する」を おして ください。
apply-returned-deadline = { $date }までに なおして もう一度 申請（しんせい）しないと、この 申請と おくった しょるいは けします（その まえに メールでも しらせます）。
apply-approved = しらべおわりました
apply-approved-line = とうろくの おかね { $fee }円を ぎんこうから ふりこんで ください。ふりこむ 人の なまえの 前に 申請番号「{ $id }」を つけて ください。
apply-issued = とうろくが おわりました
apply-issued-proxy-line = 技能者IDを 本人の メールアドレスに しらせました。さいしょの パスワードと 本人確認番号は、本人に おくる とうろくカードに 書いて あります。ログインは 本人だけが します。
apply-issued-line = 技能者IDを メールで しらせました。さいしょの パスワードと 本人確認番号は、ゆうびんで おくる とうろくカードに 書いて あります。
apply-to-technician-login = 技能者の ログインへ
apply-closed = この 申請は おわりました
apply-closed-line = やめた 申請です。申請の ないようと しょるいは、しばらく すると けします。
apply-rejected = この 申請（しんせい）は うけつけられませんでした
apply-rejected-line = しらべた 人の コメント: { $reason }
apply-invalid = 書いた ことを 見て ください（{ $count }か所）
apply-invalid-submit = 申請は まだ おわって いません。出て いる ところを なおして、もう一度「申請する」を おして ください。
apply-invalid-save = まだ のこして いません。出て いる ところを なおして、もう一度「一時保存」を おして ください。
apply-missing-documents = 申請に いる しょるいが まだ 出て いません
apply-missing-documents-line = 書いた ことは のこして いません。つぎの しょるいを「書類の提出」から アップロードしてから、もう一度「申請する」を おして ください。
apply-missing-document = ・{ $document }
apply-no-consent = 本人が いいと いったか、まだ わかりません
apply-no-consent-line = 書いた ことは のこして いません。代行申請には 本人が いいと いう ことが ひつようです。「本人に たのむ メールを おくる」で 本人に たのんで ください。または、本人が サインした 代行申請同意書（だいこう しんせい どういしょ）を アップロードして ください。そのあと、もう一度「申請する」を おして ください。
apply-already-registered = この 人は もう 技能者として とうろく されて います
apply-already-registered-line = おなじ なまえ・フリガナ・うまれた 日の 技能者が もう いるので、申請できません。技能者IDが わからない ときは、とうろくした メールアドレスで「IDを わすれた」を つかって ください。
apply-forgot-id = IDを わすれた

# Documents.
apply-document-identity = 本人確認書類（ほんにん かくにん しょるい。マイナンバーカード・運転免許証（うんてん めんきょしょう）・パスポートと じゅうしょの わかる しょるい・在留カード（ざいりゅう カード））
apply-document-photo = かおの しゃしん（6か月 いないに とった もの。とうろくの あとは かえられません）
apply-document-residence-card = 在留カード（日本人で ない 人）
apply-document-qualification = しかくの しょうめいしょの コピー
apply-document-insurance = 社会保険に 入って いる ことが わかる しょるい
apply-document-company-registry = 登記事項証明書（とうき じこう しょうめいしょ。1人で している 人は 開業届（かいぎょう とどけ）や 確定申告書（かくてい しんこくしょ）の コピー）
apply-document-permit = 建設業許可（けんせつぎょう きょか）の しょるいの コピー
apply-document-proxy-consent = 代行申請同意書（だいこう しんせい どういしょ。本人が サインした もの）
apply-document-other = しょるい
apply-file-not-allowed = この ファイルは うけとれません。JPEG・PNGの がぞうか、PDFを えらんで ください。
apply-file-unsent = おくれませんでした。ファイルは 1つ { $mb }MBまでです。
apply-file-too-large = ファイルが 大きすぎます。1つ { $mb }MBまでです。
apply-file-cut = とちゅうで きれました。もう一度 ためして ください。
apply-file-none = ファイルを えらんで ください。
apply-document-not-editable = この 申請には、いまは しょるいを たせません。
apply-document-kind-none = しょるいの しゅるいを えらんで ください。
apply-photo-not-image = かおの しゃしんは、JPEGか PNGの がぞうで アップロードして ください。
apply-photo-too-small = かおの しゃしんが 小さすぎます（{ $width }×{ $height }ピクセル）。よこ { $min_width }×たて { $min_height }ピクセル いじょうの しゃしんを えらんで ください。
apply-photo-sideways = かおの しゃしんは たてながの しゃしんを えらんで ください。
apply-photo-unreadable = この がぞうは よめません。JPEGか PNGの しゃしんを えらびなおして ください。
apply-photo-too-old = この しゃしんは { $year }年{ $month }月{ $day }日に とりました。6か月 いないに とった かおの しゃしんを えらんで ください。
apply-upload-failed = しょるいを アップロード できませんでした
apply-upload-failed-saved = 書いた ことは のこしました（一時保存）。
apply-upload-failed-invalid = 書いた ことは まだ のこして いません。出て いる { $count }か所を なおして ください（書いた ことは そのまま あります）。
apply-document-added-anyway = しょるいは アップロードしました。
apply-done-document-line = 書いた ことも のこしました（一時保存）。
apply-upload-saves = 「しょるいを アップロードする」を おすと、上に 書いた ことも のこります（一時保存）。
apply-document-sent-count = 出した: { $count }
apply-step-done = （おわり）
apply-required-foreign = 日本人で ない 人は ひつよう
apply-required-unless-sole = 一人親方（ひとり おやかた）で ない ときは ひつよう
apply-document-short-identity = 本人確認書類（ほんにん かくにん しょるい）
apply-document-short-photo = かおの しゃしん
apply-document-short-residence-card = 在留カード（ざいりゅう カード）
apply-document-short-qualification = しかくの しょうめいしょ
apply-document-short-insurance = 社会保険（しゃかい ほけん）の しょるい
apply-document-short-company-registry = 登記事項証明書（とうき じこう しょうめいしょ）
apply-document-short-permit = 建設業許可（けんせつぎょう きょか）の しょるい
apply-document-short-proxy-consent = 代行申請同意書（だいこう しんせい どういしょ）
apply-photo-future = この しゃしんの とった 日が、これからの 日（{ $year }年{ $month }月{ $day }日）に なって います。カメラの 日づけを 見て、とりなおした しゃしんを えらんで ください。
apply-photo-impossible = この がぞうの 大きさ（{ $width }×{ $height }ピクセル）は、かおの しゃしんでは ありえません。とった しゃしんを えらびなおして ください。
apply-photo-too-many-pixels = かおの しゃしんが 大きすぎます（{ $width }×{ $height }ピクセル）。{ $man }万画素（がそ）までの しゃしんを えらんで ください。
apply-problem-capital = 資本金（しほんきん）は 円の すうじで 書いて ください（れい: 10,000,000）。資本金の ない 個人事業主（こじん じぎょうぬし）は 0です。
apply-problem-capital-too-large = 資本金（しほんきん）が 大きすぎます。円で 書いて いるか 見て ください。

# Limits on applications and documents.
apply-too-many-applications = すすめて いる 申請が { $max }つ あるので、あたらしい 申請を はじめられません
apply-too-many-applications-line = つづきは 下の 申請から 書いて ください。つかわない 申請は、取り下げて（とりさげて）から あたらしく はじめて ください。
apply-document-too-many-of-kind = 「{ $document }」は、1つの 申請に { $max }つまで 出せます。
apply-document-too-many = 1つの 申請に 出せる しょるいは { $max }つまでです。
apply-upload-too-fast = みじかい 時間に たくさんの しょるいが アップロードされました。{ $minutes }分ぐらい まってから、もう一度 ためして ください。

# パスワードを わすれた 人 (the application login).
apply-reset-title = 申請用（しんせいよう）の パスワードを かえる
apply-reset-intro = 申請用ID（メールアドレス）を 書いて ください。パスワードを かえる ための リンクを メールで おくります。
apply-reset-send = メールを おくる
apply-reset-sent = この アドレスの 申請用IDが ある ときは、パスワードを かえる メールを おくりました
apply-reset-sent-open = メールの リンクを ひらいて、あたらしい 申請用の パスワードを きめて ください。リンクは { $minutes }分 つかえます。
apply-reset-sent-spam = メールが こない ときは、めいわくメールの フォルダも 見て ください。申請用IDを つくって いない アドレスには、メールは いきません。
apply-reset-new-title = あたらしい 申請用の パスワード
apply-reset-new-intro = 申請用ID { $email } の あたらしい パスワードを 書いて ください。
apply-reset-link-unusable-line = パスワードを かえる リンクは、一度 つかうか、きげんが すぎると つかえません。もう一度 もうしこんで ください。
apply-reset-again = もう一度 もうしこむ
apply-reset-done = 申請用の パスワードを かえました
apply-reset-done-sessions = あんぜんの ため、申請用IDの ログインは ぜんぶ おわりました。

# 代行申請 from the business portal.
apply-proxy-title = 技能者の 代行申請（だいこう しんせい）
apply-proxy-intro = やとって いる 技能者や、したうけの 技能者の かわりに、技能者の とうろくを 申請できます。
apply-proxy-intro-consent = 本人が いいと いう ことが ひつようです。申請の ページから 本人に メールで たのむか、本人が サインした 代行申請同意書（だいこう しんせい どういしょ）を アップロードして ください。
apply-proxy-intro-login = とうろくが おわると、技能者IDは 本人の メールアドレスに、さいしょの パスワードと 本人確認番号は 本人に おくる とうろくカードで しらせます。ログインは 本人だけが します。
apply-proxy-open = 代行申請の ページを ひらく
apply-consent-failed = 本人に たのめませんでした
apply-consent-too-many = なんかいも たのんで います
apply-consent-too-many-line = しばらく まってから、もう一度 ためして ください。
apply-consent-not-possible = この 申請では、いまは 本人に たのめません

# The worker's consent, as it stands.
apply-consent-given = 本人が いいと いいました（{ $at }、{ $email }）
apply-consent-by-document = 代行申請同意書を 出して あります
apply-consent-refused = 本人が だめと いいました。この 申請は 出せません
apply-consent-expired = たのんだ きげんが すぎました。もう一度 たのんで ください
apply-consent-waiting = 本人の こたえを まって います（{ $email } に たのみました）
apply-consent-not-asked = まだ 本人に たのんで いません

# 代行申請への同意: the worker's page from the mailed link.
apply-consent-title = 代行申請（だいこう しんせい）に いいと いう
apply-consent-lead = が、あなたの かわりに、あなたの 技能者の とうろくを 申請しようと して います（代行申請、申請番号 { $number }）。
apply-consent-your-data = 申請する あなたの じょうほう
apply-consent-note-issued = とうろくが おわると、技能者IDは あなたの メールアドレスに、さいしょの パスワードと 本人確認番号は とうろくカードで しらせます。
apply-consent-note-yours = ログインして パスワードを きめるのは、あなただけです。代行申請した 事業者は、あなたの パスワードを しる ことは できません。
apply-consent-note-again = なまえ・うまれた 日・メールアドレスが かわると、もう一度 あなたに ききます。
apply-consent-yes = いいです（同意する）
apply-consent-no = だめです（同意しない）
apply-consent-gone = リンクの きげんが すぎたか、もう こたえて います
apply-consent-gone-line = もう一度 こたえる ときは、代行申請した 事業者に、もう一度 メールを おくって もらって ください。
apply-to-site-top = トップページへ
apply-consented = 代行申請に いいと いいました
apply-consented-line = とうろくが おわると、技能者IDを この メールアドレスに しらせます。さいしょの パスワードと 本人確認番号は とうろくカードで しらせます。
apply-declined = 代行申請に だめと いいました
apply-declined-line = この 代行申請は 出せなく なりました。代行申請した 事業者にも しらせました。
