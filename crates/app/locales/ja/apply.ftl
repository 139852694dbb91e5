# apply (ja): 技能者登録・事業者登録の申請, 申請用ID, 代行申請 and the worker's consent.

# The top page of /apply.
apply-title = 技能者登録の申請
apply-top-lead = 建設キャリアアップシステムに技能者として登録すると、技能者IDと登録カードが発行されます。申請はこの画面から、スマートフォンでも行えます。
apply-top-flow = 申請の流れ
apply-top-step-login = <strong>申請用IDを作る</strong>: メールアドレスを入力し、届いたメールのリンクから申請用のパスワードを決めます。
apply-top-step-fill = <strong>申請内容を入力する</strong>: 途中で「一時保存」して、あとから続きを入力できます。
apply-top-step-submit = <strong>申請する</strong>: 審査の結果はメールでお知らせします。不備があった場合は、その項目だけを直して、もう一度申請します。
apply-top-step-pay = <strong>登録料を支払う</strong>: 審査完了のメールに従って、銀行振込でお支払いください。
apply-top-step-issued = <strong>登録完了</strong>: 技能者IDをメールでお知らせし、初期パスワードと本人確認番号を記載した登録カードを郵送します。
apply-top-fees = 登録料（10年間有効）
apply-top-col-plan = 登録の種類
apply-top-col-fee = 登録料
apply-top-col-content = 内容
apply-top-fee-basic = 2,500円
apply-top-fee-detailed = 4,900円
apply-top-basic-content = 本人情報と所属事業者
apply-top-detailed-content = 簡略型に加えて、保有資格や社会保険なども登録
apply-top-start = 申請用IDを作成して申請を始める
apply-top-have-login = 申請用IDをお持ちの方は <a href="/apply/login">申請用IDでログイン</a> して、申請を続けてください。
apply-top-registered = すでに技能者IDをお持ちの方は、登録の申請は不要です。<a href="/ccus_skill/login">技能者ログイン</a>
apply-top-title = 新規登録（技能者・事業者）
apply-top-choose = 登録するのは技能者ですか、事業者ですか。選ぶと、申請の流れと登録料が表示されます。
apply-top-choose-technician = 現場で働く方ご本人の登録です。技能者IDと登録カードが発行されます。
apply-top-choose-business = 建設業を営む会社や一人親方の登録です。事業者IDが発行されます。
apply-top-business-lead = 事業者として登録すると、事業者IDが発行され、技能者の所属や現場の管理に使えます。
apply-top-business-fee = 登録料（5年間有効）は資本金によって決まります。一人親方は無料です。
apply-top-business-steps = 申請の流れは技能者と同じです。申請用IDでログインしたら「事業者登録の申請を新しく始める」を選んでください。
apply-top-registered-business = すでに事業者IDをお持ちの方は、登録の申請は不要です。<a href="/ccus_owner/login">事業者ログイン</a>

# 申請用IDの作成.
apply-start-title = 申請用IDの作成
apply-start-intro = 申請の連絡に使うメールアドレスを入力してください。確認のメールをお送りします。
apply-start-intro-link = メールのリンクから申請用のパスワードを決めると、申請用IDができあがります。
apply-email = メールアドレス
apply-email-hint = 例: taro@example.jp（携帯電話のメールアドレスも使えます）
apply-start-send = 確認メールを送る
apply-start-have-login = 申請用IDをお持ちの方はこちら
apply-email-invalid = メールアドレスの形式が正しくありません。入力内容をご確認ください。
apply-too-many-title = しばらくお待ちください
apply-too-many = 短時間に多くの申請用IDの作成が試みられました
apply-too-many-line = しばらく時間をおいてから、もう一度お試しください。
apply-sent = 確認メールを送信しました
apply-sent-open = { $email } 宛てのメールのリンクを開いて、申請用のパスワードを決めてください。
apply-sent-spam = メールが届かない場合は、迷惑メールフォルダをご確認ください。すでに申請用IDがある場合は、その旨のメールが届きます。
apply-to-top = 技能者登録の申請のトップへ

# 申請用パスワード.
apply-password-title = 申請用パスワードの設定
apply-password-intro = 申請用ID（{ $email }）のパスワードを決めてください。8文字以上で、ほかの人が思いつかない言葉の組み合わせにしてください。
apply-password = 申請用パスワード
apply-password-submit = パスワードを設定して申請を始める
apply-password-too-short = パスワードは{ $min }文字以上にしてください。
apply-password-too-long = パスワードは{ $max }文字以内にしてください。
apply-password-common = このパスワードはよく使われていて推測されやすいため、使えません。ほかの人が思いつかない言葉の組み合わせにしてください。
apply-password-has-email = パスワードにメールアドレスを含めることはできません。推測されやすくなるためです。
apply-password-has-word = パスワードに「{ $word }」を含めることはできません。推測されやすくなるためです。
apply-link-unusable-title = このリンクは使えません
apply-link-unusable = このリンクは有効期限が切れているか、すでに使われています
apply-link-unusable-line = お手数ですが、もう一度メールアドレスを入力して、新しい確認メールを受け取ってください。
apply-to-start = 申請用IDの作成へ

# 申請用IDでログイン.
apply-login-title = 申請用IDでログイン
apply-login-intro = 申請用IDのメールアドレスと、申請用のパスワードを入力してください。
apply-login-id = 申請用ID（メールアドレス）
apply-login-create = 申請用IDをお持ちでない方（作成する）
apply-login-forgot = パスワードをお忘れの方
apply-wrong-credentials = 申請用IDまたはパスワードが違います
apply-wrong-credentials-line = 入力内容をご確認のうえ、もう一度お試しください。

# 申請の状況.
apply-home-title = 申請の状況
apply-proxy-label = 代行申請:
apply-home-proxy-intro = 雇用している技能者などに代わって、技能者登録を申請できます。申請には本人の同意が必要です（申請画面から本人へ同意を依頼するメールを送るか、本人が署名した代行申請同意書をアップロードしてください）。登録後のIDとパスワードは本人だけのものです。
apply-login-id-label = 申請用ID:
apply-no-applications = まだ申請はありません。
apply-col-number = 申請番号
apply-col-kind = 種類
apply-col-status = 状況
apply-col-updated = 最終更新
apply-proxy-new = 技能者の代行申請を新しく始める
apply-proxy-end = 代行申請を終える
apply-new-technician = 技能者登録の申請を新しく始める
apply-new-business = 事業者登録の申請を新しく始める
apply-business-with-id = { $name }（事業者ID { $id }）

# What is applied for, and where it stands.
apply-kind-technician = 技能者登録
apply-kind-business = 事業者登録
apply-kind-unknown = 登録
apply-status-draft = 作成中（一時保存）
apply-status-submitted = 審査中
apply-status-returned = 不備があります（修正をお願いします）
apply-status-approved = 審査完了（登録料のお支払い待ち）
apply-status-issued = 登録完了
apply-status-closed = 終了
apply-step-input = 入力
apply-step-submit = 申請
apply-step-screened = 審査完了
apply-step-paid = 入金
apply-step-issued = 登録完了

# The application form.
apply-application-title = { $kind }の申請（申請番号 { $id }）
apply-back-home = ← 申請の状況
apply-progress = 申請の進み具合
apply-status-label = 状況:
apply-fee = 登録料: { $fee }円
apply-fee-how = （審査完了後、銀行振込でお支払いください）
apply-consent-heading = 本人の同意（代行申請）
apply-consent-business = 代行申請する事業者:
apply-consent-status = 同意の状況:
apply-consent-explain = 本人の氏名・フリガナ・生年月日・メールアドレスを入力して一時保存してから、同意を依頼してください。本人がメールのリンクから同意すると、申請できるようになります。本人が署名した代行申請同意書を「書類の提出」からアップロードしても構いません。
apply-consent-ask = 本人に同意を依頼するメールを送る
apply-returned-intro = 審査で不備があった項目だけを修正できます。修正したら「申請する」を押してください。
apply-editable-intro = 「一時保存」で、入力した内容を保存して、あとから続きを入力できます。すべて入力したら「申請する」を押してください。
apply-defect = 不備: { $defect }
apply-defect-comment = { $code }（審査担当者のコメント: { $comment }）
apply-not-entered = （未入力）
apply-choose = 選んでください
apply-save = 一時保存
apply-submit = 申請する
apply-documents = 書類の提出
apply-documents-technician = 本人確認書類と顔写真が必要です（日本国籍以外の方は在留カード、資格を入力した方は資格証の写しも）。JPEG・PNG・PDF、1件{ $mb }MBまで、顔写真はJPEGかPNG。スマートフォンで撮影した写真も使えます。
apply-documents-business = 登記事項証明書（個人事業主は開業届など）と、建設業許可がある場合は許可通知書の写しが必要です。JPEG・PNG・PDF、1件{ $mb }MBまで。スマートフォンで撮影した写真も使えます。
apply-document-row = { $kind }: { $name }（{ $size }）
apply-document-kind = 書類の種類
apply-file = ファイル
apply-upload = 書類をアップロードする
apply-summary = 申請内容
apply-documents-sent = 提出した書類
apply-withdraw-heading = 申請の取り下げ
apply-withdraw-intro = この申請をやめる場合は取り下げてください。取り下げた申請の内容と書類は、一定期間ののちに削除されます。
apply-withdraw = 申請を取り下げる

# The items of the form.
apply-hint-plan = 簡略型 2,500円、詳細型 4,900円（10年間有効）
apply-hint-name = 本人確認書類のとおりに入力してください。
apply-hint-furigana = カタカナで入力してください（例: ケンセツ タロウ。外国籍の方は名前の読みをカタカナで。例: Nguyen Van An → グエン ヴァン アン）。
apply-hint-birth-date = 例: 1985-04-01
apply-hint-nationality = 例: 日本、ベトナム
apply-hint-residence-card = 日本国籍以外の方は必須です。英字2文字・数字8桁・英字2文字（例: AB12345678CD）
apply-hint-postal-code = 例: 100-0013
apply-hint-phone = 例: 090-1234-5678
apply-hint-email = 登録完了のお知らせ（技能者ID）を送るアドレスです。空欄なら申請用IDのアドレスに送ります。代行申請では本人のアドレスが必要です。
apply-hint-employer = 所属する事業者の事業者ID（14桁）。分からない場合は空欄で構いません。
apply-hint-qualifications = 1行に1つ、資格名と取得日を入力してください（例: 玉掛け技能講習 2015-06-01）。
apply-hint-company-name = 登記のとおり（個人事業主は屋号または氏名）。例: 株式会社 見本建設
apply-hint-company-furigana = カタカナで入力してください。
apply-hint-sole-proprietor = 一人親方（従業員のいない個人事業主）は登録料がかかりません。
apply-hint-capital = 円単位の数字で入力してください（例: 10,000,000）。資本金のない個人事業主は0、一人親方は空欄で構いません。登録料は資本金で決まります（5年間有効）。
apply-hint-permit = 例: 東京都知事許可（般-5）第123456号。建設業許可がない場合は空欄にしてください。
apply-hint-trades = 例: 土木一式、とび・土工
apply-hint-contact = 登録の連絡と事業者IDのお知らせは、申請用IDのメールアドレスに送ります。
apply-plan-basic = 簡略型
apply-plan-detailed = 詳細型
apply-gender-male = 男性
apply-gender-female = 女性
apply-gender-other = その他・回答しない
apply-sole-company = 法人・個人事業主（従業員あり）
apply-sole-sole = 一人親方
apply-insurance-enrolled = 健康保険・年金保険・雇用保険に加入
apply-insurance-partly = 一部に加入（適用除外を含む）
apply-insurance-none = 未加入

# The screener's reasons for 不備.

# Problems with what was typed.
apply-problem-too-long = { $label }は{ $max }文字以内で入力してください。
apply-problem-bad-characters = { $label }に使えない文字が含まれています。
apply-problem-required = { $label }を入力してください。
apply-problem-choose = { $label }を選んでください。
apply-problem-residence-card-required = 日本国籍以外の方は、在留カード番号を入力してください。
apply-problem-furigana = フリガナはカタカナで入力してください。
apply-problem-birth-date-format = 生年月日は「1985-04-01」のように、年・月・日で入力してください。
apply-problem-birth-date-future = 生年月日が未来の日付になっています。
apply-problem-too-young = 生年月日をご確認ください（15歳未満の方は登録できません）。
apply-problem-too-old = 生年月日の年をご確認ください。
apply-problem-postal-code = 郵便番号は7桁の数字で入力してください（例: 100-0013）。
apply-problem-phone = 電話番号は0から始まる10桁または11桁の数字で入力してください。
apply-problem-residence-card = 在留カード番号は、英字2文字・数字8桁・英字2文字の12文字です（例: AB12345678CD）。
apply-problem-employer = 事業者IDは14桁の数字です。分からない場合は空欄のままにしてください。
apply-problem-employer-technician = 入力されたIDは技能者IDです。所属事業者の事業者IDを入力してください。
apply-problem-email = メールアドレスの形式が正しくありません。
apply-problem-proxy-email-missing = 代行申請では、本人のメールアドレスが必要です（同意の確認と登録完了のお知らせを本人へ送ります）。
apply-problem-proxy-email-business = 本人のメールアドレスを入力してください。代行申請する事業者や、その管理者IDのメールアドレス（「+」を付けた別名も）は使えません。
apply-problem-consent-needs-person = 先に本人の氏名・フリガナ・生年月日を入力して一時保存してください。

# What happened, on the application page.
apply-done-document = 書類をアップロードしました
apply-done-withdrawn = 申請を取り下げました
apply-done-withdrawn-line = 申請の内容と書類は、一定期間ののちに削除されます。もう一度申請する場合は、新しく申請を始めてください。
apply-done-consent = 本人に同意を依頼するメールを送りました
apply-done-consent-line = 本人がメールのリンクから同意すると、この画面に表示されます。同意の結果はメールでもお知らせします。
apply-done-saved = 一時保存しました
apply-done-saved-line = 続きは、申請用IDでログインして「申請の状況」からいつでも入力できます。
apply-done-submitted = 申請を受け付けました
apply-done-submitted-line = 審査の結果はメールでお知らせします。この画面で状況を確認することもできます。
apply-returned = 申請内容に不備があります
apply-returned-line = 赤く表示された項目を修正して、もう一度「申請する」を押してください。
apply-returned-deadline = { $date }までに修正して申請し直さない場合、この申請と提出した書類は削除されます（期限が近づくとメールでもお知らせします）。
apply-approved = 審査が完了しました
apply-approved-line = 登録料 { $fee }円を銀行振込でお支払いください。振込名義の前に申請番号「{ $id }」を付けてください。
apply-issued = 登録が完了しました
apply-issued-proxy-line = 技能者IDを本人のメールアドレスへお知らせしました。初期パスワードと本人確認番号は、本人あての登録カードに記載しています。ログインは本人だけが行います。
apply-issued-line = 技能者IDを登録完了メールでお知らせしました。初期パスワードと本人確認番号は、郵送する登録カードに記載しています。
apply-to-technician-login = 技能者ログインへ
apply-closed = この申請は終了しています
apply-closed-line = 取り下げられた申請です。申請の内容と書類は、一定期間ののちに削除されます。
apply-rejected = この申請はお受けできませんでした
apply-rejected-line = 審査担当者のコメント: { $reason }
apply-invalid = 入力内容を確認してください（{ $count }か所）
apply-invalid-submit = 申請はまだ完了していません。表示された項目を直して、もう一度「申請する」を押してください。
apply-invalid-save = 保存はまだ完了していません。表示された項目を直して、もう一度「一時保存」を押してください。
apply-missing-documents = 申請に必要な書類がまだ提出されていません
apply-missing-documents-line = 入力した内容は保存していません。次の書類を「書類の提出」からアップロードしてから、もう一度「申請する」を押してください。
apply-missing-document = ・{ $document }
apply-no-consent = 本人の同意がまだ確認できません
apply-no-consent-line = 入力した内容は保存していません。代行申請には本人の同意が必要です。「本人に同意を依頼するメールを送る」で本人に依頼するか、本人が署名した代行申請同意書をアップロードしてから、もう一度「申請する」を押してください。
apply-already-registered = この方は、すでに技能者として登録されています
apply-already-registered-line = 同じ氏名・フリガナ・生年月日の技能者が登録済みのため、申請できません。技能者IDが分からない場合は、登録メールアドレスで「IDをお忘れの方」をお使いください。
apply-forgot-id = IDをお忘れの方

# Documents.
apply-document-identity = 本人確認書類（マイナンバーカード・運転免許証・パスポートと住所の確認書類・在留カード）
apply-document-photo = 顔写真（6か月以内に撮影したもの。登録後は変更できません）
apply-document-residence-card = 在留カード（日本国籍以外の方）
apply-document-qualification = 資格証の写し
apply-document-insurance = 社会保険の加入を確認できる書類
apply-document-company-registry = 登記事項証明書（個人事業主は開業届や確定申告書の写し）
apply-document-permit = 建設業許可通知書の写し
apply-document-proxy-consent = 代行申請同意書（本人が署名したもの）
apply-document-other = 書類
apply-file-not-allowed = このファイルは受け付けられません。JPEG・PNGの画像か、PDFを選んでください。
apply-file-unsent = 送信できませんでした。ファイルは1件{ $mb }MBまでです。
apply-file-too-large = ファイルが大きすぎます。1件{ $mb }MBまでです。
apply-file-cut = 送信が途中で切れました。もう一度お試しください。
apply-file-none = ファイルを選んでください。
apply-document-not-editable = この申請には、いまは書類を追加できません。
apply-document-kind-none = 書類の種類を選んでください。
apply-photo-not-image = 顔写真は、JPEGまたはPNGの画像でアップロードしてください。
apply-photo-too-small = 顔写真が小さすぎます（{ $width }×{ $height }ピクセル）。横{ $min_width }×縦{ $min_height }ピクセル以上の写真を選んでください。
apply-photo-sideways = 顔写真は縦長（縦向き）の写真を選んでください。
apply-photo-unreadable = この画像は読み取れません。JPEGまたはPNGの写真を選び直してください。
apply-photo-too-old = この写真は{ $year }年{ $month }月{ $day }日に撮影されています。6か月以内に撮影した顔写真を選んでください。
apply-upload-failed = 書類をアップロードできませんでした
apply-upload-failed-saved = 入力した内容は一時保存しました。
apply-upload-failed-invalid = 入力した内容は、まだ保存していません。表示された{ $count }か所を直してください（入力した内容はそのまま残っています）。
apply-document-added-anyway = 書類はアップロードしました。
apply-done-document-line = 入力した内容も一時保存しました。
apply-upload-saves = 「書類をアップロードする」を押すと、ここまでに入力した内容も一時保存されます。
apply-document-sent-count = 提出済み { $count }件
apply-step-done = （完了）
apply-required-foreign = 日本国籍以外の方は必須
apply-required-unless-sole = 一人親方以外は必須
apply-document-short-identity = 本人確認書類
apply-document-short-photo = 顔写真
apply-document-short-residence-card = 在留カード
apply-document-short-qualification = 資格証の写し
apply-document-short-insurance = 社会保険の書類
apply-document-short-company-registry = 登記事項証明書
apply-document-short-permit = 建設業許可通知書の写し
apply-document-short-proxy-consent = 代行申請同意書
apply-photo-future = この写真の撮影日が未来の日付（{ $year }年{ $month }月{ $day }日）になっています。カメラの日付を確かめて、撮り直した写真を選んでください。
apply-photo-impossible = この画像の大きさ（{ $width }×{ $height }ピクセル）は顔写真としてありえないため、受け付けられません。撮影した写真を選び直してください。
apply-photo-too-many-pixels = 顔写真の画素数が多すぎます（{ $width }×{ $height }ピクセル）。{ $man }万画素以下の写真を選んでください。
apply-problem-capital = 資本金は円単位の数字で入力してください（例: 10,000,000）。資本金のない個人事業主は0です。
apply-problem-capital-too-large = 資本金が大きすぎます。円単位で入力されているか確認してください。

# Limits on applications and documents.
apply-too-many-applications = 進行中の申請が{ $max }件あるため、新しい申請を始められません
apply-too-many-applications-line = 続きは下の一覧の申請から入力してください。使わない申請は、取り下げてから新しく始めてください。
apply-document-too-many-of-kind = 「{ $document }」は、1つの申請に{ $max }件まで提出できます。
apply-document-too-many = 1つの申請に提出できる書類は{ $max }件までです。
apply-upload-too-fast = 短時間に多くの書類がアップロードされました。{ $minutes }分ほど待ってから、もう一度お試しください。

# パスワードをお忘れの方 (the application login).
apply-reset-title = 申請用パスワードの再設定
apply-reset-intro = 申請用ID（メールアドレス）を入力してください。申請用パスワードを再設定するためのリンクをメールでお送りします。
apply-reset-send = 再設定用のメールを送る
apply-reset-sent = ご入力のアドレスに申請用IDがある場合、パスワード再設定用のメールをお送りしました
apply-reset-sent-open = メールに記載のリンクを開き、新しい申請用パスワードを設定してください。リンクの有効期限は{ $minutes }分です。
apply-reset-sent-spam = メールが届かない場合は、迷惑メールフォルダもご確認ください。申請用IDを作っていないアドレスには、メールは届きません。
apply-reset-new-title = 新しい申請用パスワードの設定
apply-reset-new-intro = 申請用ID { $email } の新しいパスワードを入力してください。
apply-reset-link-unusable-line = パスワード再設定のリンクは、一度使うか、有効期限を過ぎると使えなくなります。もう一度お申し込みください。
apply-reset-again = パスワードの再設定をもう一度申し込む
apply-reset-done = 申請用パスワードを再設定しました
apply-reset-done-sessions = 安全のため、申請用IDでのログインはすべて終了しました。

# 代行申請 from the business portal.
apply-proxy-title = 技能者の代行申請
apply-proxy-intro = 雇用している技能者や下請の技能者に代わって、技能者登録を申請できます。
apply-proxy-intro-consent = 申請には本人の同意が必要です。申請画面から本人へ同意を依頼するメールを送るか、本人が署名した代行申請同意書をアップロードしてください。
apply-proxy-intro-login = 登録が完了すると、技能者IDは本人のメールアドレスへ、初期パスワードと本人確認番号は本人あての登録カードでお知らせします。ログインは本人だけが行います。
apply-proxy-open = 代行申請の画面を開く
apply-consent-failed = 同意を依頼できませんでした
apply-consent-too-many = 同意の依頼が続いています
apply-consent-too-many-line = しばらく待ってから、もう一度お試しください。
apply-consent-not-possible = この申請では、いまは同意を依頼できません

# The worker's consent, as it stands.
apply-consent-given = 本人が同意しました（{ $at }、{ $email }）
apply-consent-by-document = 代行申請同意書を提出済みです
apply-consent-refused = 本人が同意しませんでした。この申請は提出できません
apply-consent-expired = 同意の依頼の期限が切れました。もう一度依頼してください
apply-consent-waiting = 本人の回答を待っています（{ $email } へ依頼済み）
apply-consent-not-asked = まだ同意を依頼していません

# 代行申請への同意: the worker's page from the mailed link.
apply-consent-title = 代行申請への同意
apply-consent-lead = が、あなたの技能者登録を、あなたに代わって申請（代行申請）しようとしています（申請番号 { $number }）。
apply-consent-your-data = 申請されるあなたの情報
apply-consent-note-issued = 登録が完了すると、技能者IDはあなたのメールアドレスへ、初期パスワードと本人確認番号は登録カードでお知らせします。
apply-consent-note-yours = ログインしてパスワードを決めるのは、あなただけです。代行申請した事業者は、あなたのパスワードを知ることはできません。
apply-consent-note-again = 氏名・生年月日・メールアドレスが変わると、もう一度同意をお願いします。
apply-consent-yes = 同意する
apply-consent-no = 同意しない
apply-consent-gone = このリンクは有効期限が切れているか、すでに回答済みです
apply-consent-gone-line = もう一度同意が必要な場合は、代行申請した事業者に依頼のメールを送り直してもらってください。
apply-to-site-top = トップページへ
apply-consented = 代行申請に同意しました
apply-consented-line = 登録が完了すると、技能者IDをこのメールアドレスでお知らせします。初期パスワードと本人確認番号は登録カードでお知らせします。
apply-declined = 代行申請に同意しませんでした
apply-declined-line = この代行申請は提出できなくなりました。代行申請した事業者にもお知らせしました。
