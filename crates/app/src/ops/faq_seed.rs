//! The first よくある質問, one for each situation in which people get stuck at login. Operators
//! add more with `ccus admin faq add`.

pub const ENTRIES: &[(&str, &str, &str)] = &[
    (
        "ログイン",
        "技能者と事業者、どちらから入ればよいですか？",
        "現場で働くご本人は **技能者ログイン**（[/ccus_skill/login](/ccus_skill/login)）から、技能者ID（14桁）で入ります。\n\n建設会社などの事業者のご担当者は **事業者ログイン**（[/ccus_owner/login](/ccus_owner/login)）から、事業者ID（14桁）で入ります。\n\n違う入口でIDを入力すると、正しい入口をご案内します。",
    ),
    (
        "ログイン",
        "IDの入力で「14桁の数字です」「IDに誤りがあります」と表示されます",
        "IDは14桁の数字です。全角でも半角でも、スペースやハイフンが入っていても構いません。\n\n「IDに誤りがあります」と出るときは、数字の打ち間違いや、隣り合う数字の入れ替わりがあります。カードや登録完了のお知らせメールに記載のIDと見比べてください。",
    ),
    (
        "ログイン",
        "「IDまたはパスワードが違います」と表示されます",
        "IDかパスワードのどちらかが登録内容と違います。パスワードは大文字・小文字を区別します。\n\n本人確認番号（4桁）はログインには使いません。\n\nパスワードがわからない場合は、ログイン画面の「パスワードをお忘れの方」から再設定してください。",
    ),
    (
        "パスワード",
        "パスワードを忘れました",
        "ログイン画面の「パスワードをお忘れの方」から、IDと登録メールアドレスを入力してください。再設定用のURLをメールでお送りします（有効期限があります）。\n\nメールが届かないときは、迷惑メールフォルダもご確認ください。",
    ),
    (
        "ID",
        "IDを忘れました",
        "まず、登録完了のお知らせメール（件名に「登録完了」）をご確認ください。\n\n見つからない場合は、ログイン画面の「IDをお忘れの方」から登録メールアドレスを入力してください。そのアドレスで登録されているIDをメールでお知らせします。",
    ),
    (
        "メールアドレス",
        "登録したメールアドレスが使えなくなりました（退職など）",
        "登録メールアドレスが使えないと、パスワードの再設定やIDのお知らせを受け取れません。\n\nログインできる場合は、メニューの「メールアドレス変更」からご自分で変更できます。\n\nログインできない場合は、ヘルプデスクへお問い合わせください。氏名・生年月日・所属事業者名・（わかれば）IDと、本人確認書類をご用意ください。確認のうえ、登録メールアドレスを変更します。転職しても使い続けられるアドレスの登録をおすすめします。",
    ),
    (
        "ロック",
        "「このIDは現在ロックされています」と表示されます",
        "パスワードの誤りが続いたため、安全のため一時的にログインを止めています。画面に表示される時刻を過ぎると、自動的に解除されます。\n\n登録メールアドレスにロックのお知らせが届いています。ご自分の入力ミスなら、メールのリンクからすぐに解除できます。何度も入力し直す必要はありません。\n\n以前ログインしたことがあるブラウザからは、ほかの人の失敗でロックされることはありません。",
    ),
    (
        "ログイン",
        "「タイムアウトしました」と表示されます",
        "しばらく操作がなかったか、ログインから長い時間が経ったため、安全のため自動的にログアウトしました。もう一度ログインすると、元の画面に戻ります。\n\n通信が不安定なときにも起こります。電波の良い場所で操作してください。",
    ),
    (
        "動作環境",
        "使えるブラウザは何ですか？ スマートフォンでも使えますか？",
        "Google Chrome、Microsoft Edge の最新版をおすすめします。スマートフォンでも、標準のブラウザの最新版で利用できます。\n\nInternet Explorer はご利用いただけません。",
    ),
    (
        "メンテナンス",
        "ログイン画面が表示されない、または「メンテナンス中」と表示されます",
        "メンテナンス中はログインできません。終了予定時刻は画面と[お知らせ](/notices)でご案内しています。時刻を過ぎてから、もう一度アクセスしてください。\n\nメンテナンスでないのに表示がおかしい場合は、ブラウザを最新の状態に更新し、再読み込みしてください。",
    ),
];

/// The same answers in English, in the same order: each translates the Japanese entry at its
/// place in [`ENTRIES`].
pub const ENTRIES_EN: &[(&str, &str, &str)] = &[
    (
        "Login",
        "Which entrance do I use, technician or business?",
        "If you work on site yourself, use the **technician login** ([/ccus_skill/login](/ccus_skill/login)) with your 14-digit technician ID (技能者ID).\n\nIf you act for a construction company or another business, use the **business login** ([/ccus_owner/login](/ccus_owner/login)) with the 14-digit business ID (事業者ID).\n\nIf you type your ID at the wrong entrance, the portal shows you the right one.",
    ),
    (
        "Login",
        "When I type my ID, I see \"… ID has 14 digits\" or \"… ID has a mistake\"",
        "Your ID has 14 digits. You can type them full-width or half-width, with spaces or hyphens.\n\n\"The ID has a mistake\" means a digit is mistyped, or two digits next to each other are swapped. Compare it with the ID on your card or in the mail that told you your registration was complete.",
    ),
    (
        "Login",
        "I see \"The ID or the password is wrong\"",
        "Either the ID or the password does not match what is registered. Passwords are case-sensitive (A and a are different).\n\nThe 4-digit security code (本人確認番号) is not used to log in.\n\nIf you do not know your password, use \"Forgot your password?\" on the login page to set a new one.",
    ),
    (
        "Password",
        "I forgot my password",
        "On the login page, choose \"Forgot your password?\" and enter your ID and your registered email address. We send you a link to set a new password (it works for a limited time).\n\nIf no mail arrives, look in your spam folder too.",
    ),
    (
        "ID",
        "I forgot my ID",
        "First look for the mail that told you your registration was complete (its subject has 登録完了).\n\nIf you cannot find it, choose \"Forgot your ID?\" on the login page and enter your registered email address. We mail the IDs registered with that address to it.",
    ),
    (
        "Email address",
        "I can no longer use my registered email address (for example, I left my job)",
        "Without your registered email address you cannot receive password reset links or ID reminders.\n\nIf you can still log in, change it yourself with \"Change email address\" in the menu.\n\nIf you cannot log in, contact the helpdesk. Have your name, date of birth, the name of your employer, your ID (if you know it) and an identity document ready. After checking, we change your registered email address. We recommend an address you can keep when you change jobs.",
    ),
    (
        "Lock",
        "I see \"This ID is locked\"",
        "The password was wrong several times, so logging in is stopped for a while for your safety. The lock ends by itself at the time shown on the screen.\n\nWe have sent a lock notice to your registered email address. If the mistakes were yours, the link in that mail unlocks your ID at once. You do not need to try again and again.\n\nFrom a browser you have logged in with before, other people's mistakes cannot lock you out.",
    ),
    (
        "Login",
        "I see \"Your session timed out\" (タイムアウトしました)",
        "You were logged out automatically for your safety, because nothing happened for a while or because you logged in a long time ago. Log in again and you return to the page you were on.\n\nA weak connection can cause this too. Try where the signal is good.",
    ),
    (
        "Devices",
        "Which browsers can I use? Does it work on a smartphone?",
        "We recommend the latest Google Chrome or Microsoft Edge. On a smartphone, the latest version of its standard browser works.\n\nInternet Explorer cannot be used.",
    ),
    (
        "Maintenance",
        "The login page does not open, or I see \"Under maintenance\"",
        "You cannot log in during maintenance. The planned end time is shown on the screen and in the [notices](/notices). Please come back after that time.\n\nIf the page looks wrong and there is no maintenance, update your browser to the latest version and reload the page.",
    ),
];

/// The same answers in やさしい日本語, in the same order.
pub const ENTRIES_EASY: &[(&str, &str, &str)] = &[
    (
        "ログイン",
        "技能者（ぎのうしゃ）と 事業者（じぎょうしゃ）、どちらから 入りますか？",
        "げんばで はたらく 人は **技能者の ログイン**（[/ccus_skill/login](/ccus_skill/login)）から 入ります。技能者ID（14けた）を つかいます。\n\n会社（かいしゃ）の たんとうの 人は **事業者の ログイン**（[/ccus_owner/login](/ccus_owner/login)）から 入ります。事業者ID（14けた）を つかいます。\n\nちがう ところに IDを 書くと、ただしい ところを おしえます。",
    ),
    (
        "ログイン",
        "IDを 書くと「14桁の数字です」「IDに誤りがあります」と 出ます",
        "IDは 14けたの すうじです。全角（ぜんかく）でも 半角（はんかく）でも、スペースや「-」が あっても だいじょうぶです。\n\n「IDに誤りがあります」は、すうじの 書きまちがいです。となりの すうじが 入れかわって いることも あります。カードや「登録完了（とうろく かんりょう）」の メールの IDと くらべて ください。",
    ),
    (
        "ログイン",
        "「IDまたはパスワードが違います」と 出ます",
        "IDか パスワードが ちがいます。パスワードは 大文字（おおもじ）と 小文字（こもじ）が ちがいます（A と a は ちがいます）。\n\n本人確認番号（ほんにん かくにん ばんごう・4けた）は ログインに つかいません。\n\nパスワードが わからない ときは、ログインの ページの「パスワードを わすれた」から あたらしく きめて ください。",
    ),
    (
        "パスワード",
        "パスワードを わすれました",
        "ログインの ページの「パスワードを わすれた」を えらびます。IDと、とうろくした メールアドレスを 書きます。あたらしい パスワードを きめる リンクを メールで おくります（つかえる 時間が きまって います）。\n\nメールが こない ときは、めいわくメールの フォルダも 見て ください。",
    ),
    (
        "ID",
        "IDを わすれました",
        "まず「登録完了（とうろく かんりょう）」の メールを さがして ください。\n\nない ときは、ログインの ページの「IDを わすれた」を えらびます。とうろくした メールアドレスを 書くと、その アドレスの IDを メールで おしらせします。",
    ),
    (
        "メールアドレス",
        "とうろくした メールアドレスが つかえなく なりました（会社を やめた など）",
        "とうろくした メールアドレスが つかえないと、パスワードの リンクや IDの おしらせを うけとれません。\n\nログイン できる ときは、メニューの「メールアドレスを かえる」で 自分で かえられます。\n\nログイン できない ときは、ヘルプデスクに れんらく して ください。なまえ、生年月日（せいねんがっぴ）、はたらく 会社の なまえ、ID（わかれば）と、本人確認書類（ほんにん かくにん しょるい）を よういして ください。たしかめてから、メールアドレスを かえます。会社を かわっても つかえる アドレスが いいです。",
    ),
    (
        "ロック",
        "「このIDは現在ロックされています」と 出ます",
        "パスワードを 何回も まちがえたので、あんぜんの ため しばらく ログイン できません。ページに でる 時間に なると、ロックは おわります。\n\nとうろくした メールアドレスに、ロックの おしらせを おくりました。自分の まちがいなら、メールの リンクで すぐに ロックを はずせます。何回も ためす ひつようは ありません。\n\nまえに ログイン した ブラウザなら、ほかの 人の まちがいで ロックされる ことは ありません。",
    ),
    (
        "ログイン",
        "「タイムアウトしました」と 出ます",
        "しばらく なにも しなかったか、ログインから 長い 時間が たったので、あんぜんの ため ログアウトしました。もう一度 ログイン すると、まえの ページに もどります。\n\nでんぱが わるい ときにも おきます。でんぱの いい ところで つかって ください。",
    ),
    (
        "つかえる きかい",
        "どの ブラウザが つかえますか？ スマートフォンでも つかえますか？",
        "Google Chrome、Microsoft Edge の あたらしい ものが いいです。スマートフォンは、さいしょから ある ブラウザの あたらしい もので つかえます。\n\nInternet Explorer は つかえません。",
    ),
    (
        "メンテナンス",
        "ログインの ページが 出ない、または「メンテナンス中」と 出ます",
        "メンテナンスの あいだは ログイン できません。おわる 時間は ページと [おしらせ](/notices) に 書いて あります。その 時間の あとで、もう一度 ひらいて ください。\n\nメンテナンスで ないのに ページが おかしい ときは、ブラウザを あたらしく して、ページを もう一度 よみこんで ください。",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn links(s: &str) -> Vec<&str> {
        s.split("](")
            .skip(1)
            .filter_map(|p| p.split(')').next())
            .collect()
    }

    #[test]
    fn every_entry_has_its_translations_with_the_same_links() {
        for set in [ENTRIES_EN, ENTRIES_EASY] {
            assert_eq!(set.len(), ENTRIES.len());
            for (ja, other) in ENTRIES.iter().zip(set) {
                assert_eq!(links(ja.2), links(other.2), "{}", other.1);
                assert_ne!(ja.1, other.1);
            }
        }
    }
}
