# public (ja): pages anyone sees without logging in, the error pages and maintenance.

# Error pages.
public-error-not-found-title = ページが見つかりません
public-error-not-found = お探しのページは見つかりませんでした。URLをご確認いただくか、トップページからお進みください。
public-error-method-title = この操作はできません
public-error-method = このページは、この方法では開けません。ブックマークやアドレスから開いた場合は、トップページからお進みください。
public-error-forbidden-title = この操作は受け付けられませんでした
public-error-forbidden = 画面を開いてから時間が経ったか、別のサイトから送信された可能性があるため、処理を中止しました。お手数ですが、画面を開き直してから、もう一度操作してください。
public-error-not-permitted-title = この操作はできません
public-refused-role = この操作は、あなたの役割ではできません。必要な場合は、事業者の責任者に依頼してください。
public-error-too-large-title = 入力内容が大きすぎます
public-error-too-large = 送信された内容が大きすぎるため受け付けられませんでした。入力内容をご確認ください。
public-error-unreadable-title = 入力内容を読み取れませんでした
public-error-unreadable = 送信された内容を読み取れませんでした。お手数ですが、画面を開き直してもう一度入力してください。
public-error-busy-title = ただいま混み合っています
public-error-busy = ただいまアクセスが集中しているか、システムの一部が一時的に利用できません。入力内容は保存されていません。しばらく時間をおいてから、もう一度お試しください。
public-error-internal-title = エラーが発生しました
public-error-internal = 申し訳ありません。システムでエラーが発生しました。しばらく時間をおいてから、もう一度お試しください。解決しない場合は、下記の受付番号を添えてヘルプデスクにお問い合わせください。
public-error-fallback = { $title }（受付番号: { $id }）
public-request-id = 受付番号
public-to-top = トップページへ
# The plain-text answer when every connection is busy (Japanese and English together).
public-busy-plain = ただいま混み合っています。しばらくしてから、もう一度お試しください。

# Maintenance.
public-maintenance-banner-active = ただいまメンテナンス中です（{ $end }まで、日本時間）。
public-maintenance-banner-planned = メンテナンスのお知らせ: { $start } から { $end } まで（日本時間）、ログインできません。
public-maintenance-title = メンテナンス中
public-maintenance-heading = ただいまメンテナンス中です
public-maintenance-ends = { $end }（日本時間）に終了する予定です。
public-maintenance-line = メンテナンス中は、ログインやパスワードの再設定などがご利用いただけません。ご迷惑をおかけしますが、終了予定時刻を過ぎてから、もう一度アクセスしてください。
public-maintenance-notices = お知らせを見る

# Internet Explorer.
public-ie-title = Internet Explorerはご利用いただけません
public-ie-notice = お使いのブラウザ（Internet Explorer）には対応していません。
public-ie-safety = 建設キャリアアップシステムは、安全のため Internet Explorer ではご利用いただけません。
public-ie-use = 次のいずれかのブラウザでアクセスしてください
public-ie-edge = （Windows に標準で入っています）
public-ie-phone = スマートフォンからもご利用いただけます。ブラウザを最新の状態に更新してからアクセスしてください。
public-ie-copy = このページのアドレスをコピーして、Microsoft Edge または Google Chrome に貼り付けると、同じページを開けます。

# お知らせ.
public-notices-empty = 現在、お知らせはありません。

# よくある質問.
public-faq-title = よくある質問
public-faq-guide = ログインできない方へ（質問に答えて解決方法を探す）
public-faq-search-label = 質問を検索
public-faq-placeholder = 例: パスワード、ロック、メールアドレス
public-faq-search = 検索
public-faq-content-language = 一部の質問は日本語でのみ表示しています。
public-faq-results = 「{ $query }」の検索結果: { $count }件
public-faq-show-all = すべて表示
public-faq-none = 該当する質問が見つかりませんでした。言葉を変えて検索するか、<a href="/support">お問い合わせ</a>ください。
public-faq-still = 解決しない場合は <a href="/support">お問い合わせ</a> ください。

# お問い合わせ (contact methods).
public-support-title = お問い合わせ
public-support-intro = まず <a href="/faq">よくある質問</a> をご確認ください。パスワードやIDを忘れた場合、ロックされた場合は、ログイン画面からご自分で解決できます。
public-support-form = お問い合わせフォーム（24時間受付）
public-support-form-text = ID照会、パスワード・ロック、登録メールアドレスの変更などは、<a href="/inquiry">お問い合わせフォーム</a>からお送りください。本人確認書類などのファイルも添付できます。
public-support-helpdesk = ヘルプデスク
public-support-helpdesk-text = お問い合わせの際は、技能者IDまたは事業者ID（わかる場合）、氏名、生年月日、所属事業者名をお知らせください。回答は平日に行います。
public-support-phone = 電話窓口
public-support-hours = 受付時間: 平日 9:00〜17:00（土日祝日・12月29日〜1月3日を除く）
public-support-open = ただいま受付中です。
public-support-closed = ただいま受付時間外です。
public-support-closed-holiday = ただいま受付時間外です（本日は{ $holiday }）。
public-support-next = 次の受付開始は { $at } です。
public-support-date = { $year }年{ $month }月{ $day }日 9:00
public-support-phone-tips = 電話は、書類の提出や本人確認が必要な場合にご利用ください。混み合うことがあるため、朝一番や昼の時間帯を避けるとつながりやすくなります。

# お問い合わせフォーム.
public-inquiry-title = お問い合わせフォーム
public-inquiry-intro = 24時間受け付けています。回答は平日（土日祝日・年末年始を除く）に、ご入力のメールアドレスへお送りします。
public-inquiry-self-help = パスワードやIDを忘れた場合、ロックされた場合は、ログイン画面からご自分ですぐに解決できることがあります（<a href="/help/login">ログインできない方へ</a>、<a href="/faq">よくある質問</a>）。
public-inquiry-tried = 「ログインできない方へ」で確認したこと
public-inquiry-tried-line = 次の内容もお問い合わせと一緒に送ります。担当者は、これを見たうえで回答します。
public-inquiry-category = お問い合わせの種類
public-inquiry-choose = 選択してください
public-category-id = ID照会
public-category-password = パスワード・ロック
public-category-email = 登録メールアドレス変更
public-category-other = その他
public-inquiry-login-id = 技能者IDまたは事業者ID（わかる場合）
public-inquiry-login-id-hint = 14桁の数字です。わからない場合は空欄で構いません。
public-inquiry-name = 氏名
public-inquiry-furigana = フリガナ
public-inquiry-furigana-hint = カタカナまたはひらがなで入力してください。
public-inquiry-birth-date = 生年月日
public-inquiry-birth-date-hint = 例: 1985-04-01
public-inquiry-employer = 所属事業者名
public-inquiry-employer-hint = わかる範囲で構いません。
public-inquiry-email = 連絡先メールアドレス
public-inquiry-email-hint = 回答をお送りするアドレスです。登録メールアドレスが使えない場合は、いま使えるアドレスを入力してください。
public-inquiry-phone = 電話番号（任意）
public-inquiry-message = お問い合わせ内容
public-inquiry-message-hint = { $limit }文字以内で入力してください。
public-inquiry-files = 添付ファイル（任意、{ $count }件まで、1件{ $mb }MBまで、JPEG・PNG・PDF）
public-inquiry-files-hint = カードの写真や本人確認書類など。メールアドレスの変更をご希望の場合は、本人確認書類を添付してください。
public-inquiry-trap = この欄は空のままにしてください
public-inquiry-send = 送信する
public-inquiry-category-missing = お問い合わせの種類を選んでください。
public-inquiry-id-wrong = IDに誤りがあります。わからない場合は空欄にしてください。
public-inquiry-name-missing = 氏名を入力してください。
public-inquiry-furigana-wrong = フリガナをカタカナまたはひらがなで入力してください。
public-inquiry-birth-date-wrong = 生年月日を「1985-04-01」のように入力してください。
public-inquiry-email-wrong = メールアドレスの形式をご確認ください（例: taro@example.jp）。
public-inquiry-message-missing = お問い合わせ内容を入力してください。
public-inquiry-message-too-long = お問い合わせ内容は{ $limit }文字以内で入力してください（現在{ $length }文字です）。長い場合は、要点を短くまとめるか、画像やPDFにして添付してください。
public-inquiry-check = 入力内容をご確認ください。添付ファイルは、もう一度選んでください。
public-inquiry-too-many = 短時間に多くのお問い合わせがあったため、しばらく受け付けを停止しています。1時間ほどしてから、もう一度送信してください。
public-inquiry-files-refused = 添付ファイルを受け付けられませんでした。内容はまだ送信されていません。
public-inquiry-request-too-large = 送信できる大きさを超えています。添付ファイルは1件{ $mb }MBまでです。
public-inquiry-cut-off = 送信が途中で切れたため、受け付けられませんでした。通信の良い場所で、もう一度送信してください。
public-inquiry-file-cut-off = 送信が途中で切れたため、受け付けられませんでした。もう一度送信してください。
public-inquiry-too-many-files = 添付ファイルは{ $count }件までです。
public-inquiry-file-too-large = 「{ $name }」は大きすぎます。1件{ $mb }MBまでです。
public-inquiry-file-type = 「{ $name }」は添付できない種類のファイルです。JPEG・PNGの画像またはPDFを添付してください。
public-inquiry-received = お問い合わせを受け付けました
public-inquiry-received-line = 回答は平日に、ご入力のメールアドレスへお送りします。確認のメールもお送りしました。
public-inquiry-due = 回答の目安: { $date } まで
public-inquiry-receipt = 受付番号: { $receipt }
public-inquiry-receipt-keep = この番号は、ヘルプデスクとのやりとりで使います。控えておいてください。
public-inquiry-thanks = ありがとうございました。

# What was tried in 「ログインできない方へ」, as the inquiry form shows it.
public-tried-entrance-technician = 入口: 技能者
public-tried-entrance-business = 入口: 事業者（管理者IDを含む）
public-tried-entrance-unknown = 入口: 分からない
public-tried-screen-wrong-password = 画面の表示: 「IDまたはパスワードが違います」
public-tried-screen-locked = 画面の表示: 「このIDは現在ロックされています」
public-tried-screen-wrong-entrance = 画面の表示: 入口が違うという案内
public-tried-screen-timeout = 画面の表示: 「タイムアウトしました」
public-tried-screen-maintenance = 画面の表示: メンテナンス中
public-tried-screen-stopped = 画面の表示: 「この管理者IDは利用停止中です」
public-tried-screen-no-id = IDが分からない
public-tried-screen-other = その他（画面が表示されない など）
public-tried-mail-yes = 登録メールアドレスでメールを受け取れる
public-tried-mail-no = 登録メールアドレスでメールを受け取れない
inquiry-tried-heading = 【「ログインできない方へ」で確認済み】
inquiry-tried-line = ・{ $line }
