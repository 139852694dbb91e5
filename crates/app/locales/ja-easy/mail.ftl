# mail (ja-easy): the mails not in core.ftl, in やさしい日本語.
mail-id-line = あなたの { $id_kind }: { $id }

mail-registered-subject = とうろくが おわりました
mail-registered-technician = 技能者（ぎのうしゃ）の とうろくが おわりました。
mail-registered-business = 事業者（じぎょうしゃ）の とうろくが おわりました。
mail-registered-first-login = はじめて ログインする ときは、とうろくの ときに わたした さいしょの パスワードを つかいます。ログインの あと、本人確認番号（ほんにん かくにん ばんごう・4けた）を 書いて、じぶんの パスワードに かえて ください。
mail-registered-keep = IDを わすれた ときの ために、この メールを すてないで ください。

mail-role-owner = 事業者責任者（じぎょうしゃ せきにんしゃ）
mail-role-tier-manager = 階層管理者（かいそう かんりしゃ）
mail-role-site-manager = 現場管理者（げんば かんりしゃ）
mail-role-proxy-clerk = 代行登録担当者（だいこう とうろく たんとうしゃ）
mail-invitation-subject = 管理者ID（かんりしゃ ID）が できました
mail-invitation-issued = { $business } の { $role }として、建設キャリアアップシステムの 管理者ID（かんりしゃ ID）が できました。
mail-invitation-open = つぎの URLを ひらいて、じぶんの パスワードを きめて ください（{ $minutes }分 つかえます。一度だけ つかえます）。
mail-invitation-expired = 時間が すぎた ときは、ログインの ページの「パスワードを わすれた」から、管理者IDと この メールアドレスで きめられます。
mail-invitation-nobody-knows = あなたの パスワードは、あなたの ほかは だれも（会社の 管理者も ヘルプデスクも）わかりません。
mail-invitation-code = 本人確認番号（ほんにん かくにん ばんごう・4けた）は、IDを 出した 人から ちょくせつ もらって ください。パスワードを かえる ときに つかいます。

mail-inquiry-received-subject = といあわせを うけつけました
mail-inquiry-received = といあわせを うけつけました。
mail-inquiry-receipt = うけつけ ばんごう: { $receipt }
mail-inquiry-category = しゅるい: { $category }
mail-inquiry-category-id = IDの しつもん
mail-inquiry-category-password = パスワード・ロック
mail-inquiry-category-email = とうろくした メールアドレスを かえる
mail-inquiry-category-other = そのほか
mail-inquiry-due = こたえる 日の めやす: { $due } まで（土曜日・日曜日・やすみの 日は こたえません）
mail-inquiry-answers = ヘルプデスクの こたえは、この アドレスに おくります。ヘルプデスクが パスワードを きく ことは ありません。
mail-inquiry-faq = よくある しつもん: { $url }
mail-inquiry-reply-subject = といあわせの こたえ
mail-inquiry-reply-intro = といあわせ（うけつけ ばんごう: { $receipt }）の こたえです。
mail-inquiry-reply-more = この メールに へんしんしても こたえられません。また しつもんが ある ときは、といあわせの フォームから、うけつけ ばんごうを 書いて おくって ください。

mail-email-confirm-subject = メールアドレスを かえる かくにん
mail-email-confirm-received = とうろくした メールアドレスを この アドレスに かえる もうしこみを うけつけました。
mail-email-confirm-open = つぎの URLを ひらいて、かえる ことを きめて ください。
mail-email-confirm-ttl = この URLは { $minutes }分 つかえます。
mail-email-confirm-not-you = あなたが もうしこんで いない ときは、この メールを すてて ください。
mail-email-changed-subject = とうろくした メールアドレスが かわりました
mail-email-changed-line = { $id_kind } { $id } の とうろくした メールアドレスが かわりました。これからの おしらせは あたらしい アドレスに おくります。
mail-email-changed-not-you = あなたが して いない ときは、すぐに { $helpdesk }に れんらくして ください。

mail-applicant-confirm-subject = 申請用ID（しんせいよう ID）を つくる（メールアドレスの かくにん）
mail-applicant-confirm-intro = 建設キャリアアップシステムの とうろくを 申請（しんせい）する ために、この メールアドレスで 申請用ID（しんせいよう ID）を つくります。
mail-applicant-confirm-open = つぎの リンクを ひらいて、申請用の パスワードを きめて ください（{ $hours }時間 つかえます。一度だけ つかえます）。
mail-applicant-confirm-not-you = あなたが もうしこんで いない ときは、この メールを すてて ください。申請用IDは できません。
mail-applicant-exists-subject = 申請用ID（しんせいよう ID）は もう あります
mail-applicant-exists-line = この メールアドレスの 申請用ID（しんせいよう ID）は、もう あります。
mail-applicant-exists-login = つぎの ページで、メールアドレスと 申請用の パスワードで ログインして、申請を つづけて ください。
mail-applicant-exists-not-you = あなたが もうしこんで いない ときは、この メールを すてて ください。
mail-applicant-reset-subject = 申請用（しんせいよう）の パスワードを かえる
mail-applicant-reset-intro = 申請用ID（しんせいよう ID。この メールアドレス）の パスワードを かえる もうしこみを うけつけました。
mail-applicant-reset-open = つぎの リンクを ひらいて、あたらしい 申請用の パスワードを きめて ください（{ $minutes }分 つかえます。一度だけ つかえます）。
mail-applicant-reset-not-you = あなたが もうしこんで いない ときは、この メールを すてて ください。パスワードは かわりません。
mail-applicant-password-changed-subject = 申請用（しんせいよう）の パスワードを かえました
mail-applicant-password-changed-line = 申請用ID（しんせいよう ID。この メールアドレス）の パスワードを かえました。
mail-applicant-password-changed-sessions = あんぜんの ため、申請用IDの ログインは ぜんぶ おわりました。あたらしい パスワードで ログインして ください。
mail-applicant-password-changed-not-you = あなたが かえて いない ときは、すぐに つぎの ページで パスワードを かえて、といあわせフォームで しらせて ください。

mail-application-status = 申請の じょうきょう: { $url }
mail-application-received-subject = とうろくの 申請（しんせい）を うけつけました
mail-application-received-technician = 技能者登録（ぎのうしゃ とうろく）の 申請（申請番号 { $number }）を うけつけました。
mail-application-received-business = 事業者登録（じぎょうしゃ とうろく）の 申請（申請番号 { $number }）を うけつけました。
mail-application-received-results = しらべた けっかは メールで しらせます。いま どう なって いるかは、つぎの ページで いつでも 見られます。
mail-application-received-fee = とうろくの おかね: { $fee }円（しらべおわってから はらいます）

mail-returned-subject = 申請（しんせい）を なおして ください
mail-returned-line = とうろくの 申請（申請番号 { $number }）を しらべたら、つぎの ところに まちがいや たりない ものが ありました。
mail-returned-item = ・{ $field }: { $code }
mail-returned-item-comment = ・{ $field }: { $code }（しらべた 人の コメント: { $comment }）
mail-returned-fix = 申請用IDで ログインして、この ところだけ なおして、もう一度「申請する」を おして ください。
mail-returned-deadline = { $date }までに なおして もう一度 申請（しんせい）しないと、この 申請と おくった しょるいは けします。
mail-returned-expiring-subject = なおす ところが ある 申請（しんせい）を もうすぐ けします
mail-returned-expiring-line = とうろくの 申請（申請番号 { $number }）に なおす ところが あると しらせましたが、まだ もう一度 申請して いません。
mail-returned-expiring-when = { $date }までに なおして もう一度 申請しないと、この 申請と おくった しょるいは けします。けした あとで とうろくする ときは、あたらしく 申請して ください。
mail-rejected-subject = とうろくの 申請（しんせい）を うけつけられませんでした
mail-rejected-line = とうろくの 申請（申請番号 { $number }）を しらべた けっか、うけつけられませんでした。
mail-rejected-reason = しらべた 人の コメント: { $reason }
mail-rejected-after = この 申請の ないようと しょるいは、しばらく すると けします。しつもんは { $helpdesk } に して ください。

mail-approved-subject = しらべおわりました・とうろくの おかねを はらって ください
mail-approved-line = とうろくの 申請（申請番号 { $number }）を しらべおわりました。
mail-approved-pay = とうろくの おかね { $fee }円を、ぎんこうから ふりこんで ください。ふりこむ 人の なまえの まえに、申請番号「{ $number }」を つけて ください。
mail-approved-then = おかねが とどいた ことが わかると、とうろくが おわって、IDを しらせます。

mail-consent-subject = 技能者（ぎのうしゃ）の とうろくを かわりに 申請（しんせい）する ことへの 同意（どうい）の おねがい
mail-consent-line = { $business } が、あなたの かわりに、建設キャリアアップシステムへの 技能者（ぎのうしゃ）の とうろくを 申請（しんせい）しようと して います。これを 代行申請（だいこう しんせい）と いいます。
mail-consent-open = つぎの リンクを ひらいて、申請の ないようを 見て、いいか どうかを えらんで ください（{ $days }日 つかえます）。
mail-consent-after = とうろくが おわると、技能者IDは この メールアドレスに しらせます。さいしょの パスワードと 本人確認番号（ほんにん かくにん ばんごう）は、とうろくカードで あなたに しらせます。ログイン できるのは あなただけです。
mail-consent-not-you = わからない ときは、リンクを ひらいて「だめです（同意しない）」を えらぶか、この メールを すてて ください。
mail-consent-yes-subject = 本人が 代行申請（だいこう しんせい）に どういしました
mail-consent-no-subject = 本人が 代行申請（だいこう しんせい）に どういしませんでした
mail-consent-about = 代行申請（申請番号 { $number }、{ $worker } さん）に ついて
mail-consent-yes-line = 本人が 代行申請に どういしました。しょるいが そろったら「申請する」を おして ください。
mail-consent-no-line = 本人が 代行申請に どういしませんでした。この 申請は 出せません。本人と はなして ください。

mail-proxy-issued-subject = 代行申請（だいこう しんせい）の とうろくが おわりました
mail-proxy-issued-line = 代行申請（申請番号 { $number }）の とうろくが おわりました。
mail-proxy-issued-id = { $worker } さんの 技能者ID: { $id }
mail-proxy-issued-secrets = さいしょの パスワードと 本人確認番号（ほんにん かくにん ばんごう）は、本人に おくる とうろくカードで しらせます。ログインと パスワードを きめる ことは、本人だけが します。

mail-card-reissued-subject = とうろくカードを あたらしく しました
mail-card-reissued-line = { $id_kind } { $id } の とうろくカードを あたらしく しました。あたらしい さいしょの パスワードと 本人確認番号（ほんにん かくにん ばんごう）は、ゆうびんで おくる あたらしい とうろくカードに 書いて あります。
mail-card-reissued-old = まえの とうろくカードの さいしょの パスワードと 本人確認番号は、もう つかえません。
mail-card-reissued-not-you = こころあたりが ない ときは、すぐに { $helpdesk } に れんらくして ください。

mail-affiliation-requested-subject = 会社から しょぞくの いらいが きました
mail-affiliation-requested-line = { $business } から、あなたを その 会社で はたらく 技能者（ぎのうしゃ）として とうろくしたい という いらいが きました。
mail-affiliation-requested-how = 技能者IDで ログインして、「{ $page }」で いいか、ことわるかを えらんで ください。
mail-affiliation-requested-disclose = いいと こたえると、この 会社は あなたの なまえ・フリガナ・うまれた 日を 見られます。
mail-affiliation-changed-subject = しょぞくの 技能者の おしらせ
mail-affiliation-accepted = 技能者 { $name } さん（技能者ID { $id }）が、しょぞくの いらいに いいと こたえました。
mail-affiliation-declined = 技能者ID { $id } への しょぞくの いらいは、ことわられました。
mail-affiliation-moved-away = 技能者 { $name } さん（技能者ID { $id }）は、ほかの 会社の しょぞくに なったので、あなたの 会社の しょぞくでは なくなりました。
mail-affiliation-left = 技能者 { $name } さん（技能者ID { $id }）が、あなたの 会社の しょぞくを やめました。
mail-affiliation-technicians = しょぞくの 技能者: { $url }
mail-affiliation-ended-subject = しょぞくが おわりました
mail-affiliation-ended-line = { $business } の しょぞくが おわりました。この 会社は、これから あなたの じょうほうを 見る ことが できません。
mail-affiliation-ended-check = わからない ときは、ログインして たしかめて ください。

mail-passkey-added-subject = パスキーが とうろく されました
mail-passkey-removed-subject = パスキーが けされました
mail-passkey-added = あなたの { $id_kind }に、パスキー「{ $name }」が とうろく されました。
mail-passkey-removed = あなたの { $id_kind }から、パスキー「{ $name }」が けされました。
mail-passkey-not-you = あなたが して いない ときは、すぐに ログインして パスキーの リストを 見て、パスワードを かえて ください。
