# public (en): pages anyone sees without logging in, the error pages and maintenance.

# Error pages.
public-error-not-found-title = Page not found
public-error-not-found = We could not find the page you are looking for. Check the address, or start again from the home page.
public-error-method-title = This cannot be done here
public-error-method = This page cannot be opened this way. If you opened it from a bookmark or by typing the address, please start again from the home page.
public-error-forbidden-title = This request was not accepted
public-error-forbidden = We stopped because the page was open for a long time, or the request may have come from another site. Please open the page again and try once more.
public-error-not-permitted-title = You may not do this
public-refused-role = Your role does not allow this. If it is needed, ask the person in charge of your business.
public-error-too-large-title = Too much was sent
public-error-too-large = What you sent is too large to accept. Please check what you entered.
public-error-unreadable-title = We could not read what you sent
public-error-unreadable = We could not read what you sent. Please open the page again and enter it once more.
public-error-busy-title = The system is busy
public-error-busy = Many people are using the system right now, or part of it is not available for a moment. What you entered was not saved. Please wait a little and try again.
public-error-internal-title = Something went wrong
public-error-internal = Sorry, an error happened in the system. Please wait a little and try again. If it keeps happening, contact the helpdesk and tell them the reference number below.
public-error-fallback = { $title } (reference number: { $id })
public-request-id = Reference number (受付番号)
public-to-top = Home page
# The plain-text answer when every connection is busy (Japanese and English together).
public-busy-plain = The system is busy right now. Please wait a little and try again.

# Maintenance.
public-maintenance-banner-active = The system is under maintenance now (until { $end }, Japan time).
public-maintenance-banner-planned = Maintenance notice: from { $start } to { $end } (Japan time) you cannot log in.
public-maintenance-title = Under maintenance
public-maintenance-heading = The system is under maintenance now
public-maintenance-ends = It is planned to end at { $end } (Japan time).
public-maintenance-line = During maintenance you cannot log in, reset your password and so on. We are sorry for the trouble. Please come back after the planned end time.
public-maintenance-notices = See the notices

# Internet Explorer.
public-ie-title = Internet Explorer cannot be used
public-ie-notice = Your browser (Internet Explorer) is not supported.
public-ie-safety = For safety, the Construction Career Up System cannot be used with Internet Explorer.
public-ie-use = Please use one of these browsers
public-ie-edge = {" "}(it comes with Windows)
public-ie-phone = You can also use a smartphone. Update your browser to the latest version first.
public-ie-copy = Copy the address of this page and paste it into Microsoft Edge or Google Chrome to open the same page.

# お知らせ.
public-notices-empty = There are no notices now.

# よくある質問.
public-faq-title = Frequently asked questions
public-faq-guide = Cannot log in? Answer a few questions to find the fix
public-faq-search-label = Search the questions
public-faq-placeholder = e.g. password, lock, email
public-faq-search = Search
public-faq-content-language = Some questions are not translated yet and are shown in Japanese.
public-faq-results = Results for “{ $query }”: { $count }
public-faq-show-all = Show all
public-faq-none = No question matched. Try other words, or <a href="/support">contact us</a>.
public-faq-still = If this does not solve your problem, please <a href="/support">contact us</a>.

# お問い合わせ (contact methods).
public-support-title = Contact us
public-support-intro = First, please look at the <a href="/faq">frequently asked questions</a>. If you forgot your password or ID, or your ID is locked, you can fix it yourself from the login page.
public-support-form = Contact form (open 24 hours)
public-support-form-text = For your ID, passwords and locks, a change of your registered email address and so on, please use the <a href="/inquiry">contact form</a>. You can attach files such as an identity document.
public-support-helpdesk = Helpdesk
public-support-helpdesk-text = When you contact us, please tell us your technician ID or business ID (if you know it), your name, date of birth and employer. We answer on weekdays.
public-support-phone = Telephone
public-support-hours = Hours: weekdays 9:00–17:00 Japan time (closed on weekends, national holidays and from 29 December to 3 January)
public-support-open = The line is open now.
public-support-closed = The line is closed now.
public-support-closed-holiday = The line is closed now (today is a national holiday: { $holiday }).
public-support-next = {" "}It opens again at { $at }.
public-support-date = { $iso } 9:00 (Japan time)
public-support-phone-tips = Please call when you need to send documents or prove who you are. The line can be busy; it is easier to get through outside the first morning hour and lunchtime.

# お問い合わせフォーム.
public-inquiry-title = Contact form
public-inquiry-intro = We receive messages 24 hours a day. We answer on weekdays (not on weekends, national holidays or the New Year holidays), by email to the address you enter.
public-inquiry-self-help = If you forgot your password or ID, or your ID is locked, you can often fix it at once yourself from the login page (<a href="/help/login">Cannot log in?</a>, <a href="/faq">frequently asked questions</a>).
public-inquiry-tried = What you checked in “Cannot log in?”
public-inquiry-tried-line = This is sent with your message. The staff read it before they answer.
public-inquiry-category = Type of question
public-inquiry-choose = Please choose
public-category-id = Finding your ID (ID照会)
public-category-password = Password or lock (パスワード・ロック)
public-category-email = Changing your registered email address (登録メールアドレス変更)
public-category-other = Other (その他)
public-inquiry-login-id = Technician ID or business ID (if you know it)
public-inquiry-login-id-hint = 14 digits. If you do not know it, leave it empty.
public-inquiry-name = Name
public-inquiry-furigana = Name in katakana (フリガナ)
public-inquiry-furigana-hint = Write your name in katakana or hiragana.
public-inquiry-birth-date = Date of birth
public-inquiry-birth-date-hint = Example: 1985-04-01 (year-month-day)
public-inquiry-employer = Employer (company name)
public-inquiry-employer-hint = As far as you know.
public-inquiry-email = Email address for our answer
public-inquiry-email-hint = We send our answer to this address. If your registered address no longer works, enter one you can use now.
public-inquiry-phone = Phone number (optional)
public-inquiry-message = Your message
public-inquiry-message-hint = Up to { NUMBER($limit) ->
        [one] { $limit } character
       *[other] { $limit } characters
    }.
public-inquiry-files = Attachments (optional, up to { NUMBER($count) ->
        [one] { $count } file
       *[other] { $count } files
    }, { $mb } MB each, JPEG, PNG or PDF)
public-inquiry-files-hint = For example a photo of your card or an identity document. To change your email address, please attach an identity document.
public-inquiry-trap = Leave this field empty
public-inquiry-send = Send
public-inquiry-category-missing = Please choose the type of question.
public-inquiry-id-wrong = This ID has a mistake. If you do not know it, leave it empty.
public-inquiry-name-missing = Enter your name.
public-inquiry-furigana-wrong = Write your name in katakana or hiragana.
public-inquiry-birth-date-wrong = Enter your date of birth like this: 1985-04-01.
public-inquiry-email-wrong = Please check the email address (for example: taro@example.jp).
public-inquiry-message-missing = Enter your message.
public-inquiry-message-too-long = Your message can have up to { NUMBER($limit) ->
        [one] { $limit } character
       *[other] { $limit } characters
    } (it has { $length } now). If it is long, shorten it to the main points, or attach it as an image or PDF.
public-inquiry-check = Please check what you entered. Choose your attachments again.
public-inquiry-too-many = We received many messages in a short time, so we are not accepting new ones for a while. Please send it again in about an hour.
public-inquiry-files-refused = We could not accept the attachments. Your message has not been sent yet.
public-inquiry-request-too-large = What you sent is too large. Each attachment can be up to { $mb } MB.
public-inquiry-cut-off = The sending was cut off, so it was not received. Please send it again from a place with a good connection.
public-inquiry-file-cut-off = The sending was cut off, so it was not received. Please send it again.
public-inquiry-too-many-files = You can attach up to { NUMBER($count) ->
        [one] { $count } file
       *[other] { $count } files
    }.
public-inquiry-file-too-large = “{ $name }” is too large. Each file can be up to { $mb } MB.
public-inquiry-file-type = “{ $name }” is a kind of file that cannot be attached. Please attach a JPEG or PNG image, or a PDF.
public-inquiry-received = We received your message
public-inquiry-received-line = We will answer on a weekday, by email to the address you entered. We have also sent you a confirmation email.
public-inquiry-due = Answer expected by: { $date }
public-inquiry-receipt = Reference number (受付番号): { $receipt }
public-inquiry-receipt-keep = Use this number when you talk with the helpdesk. Please keep it.
public-inquiry-thanks = Thank you.

# What was tried in 「ログインできない方へ」, as the inquiry form shows it.
public-tried-entrance-technician = Login page: technician
public-tried-entrance-business = Login page: business (including administrator IDs)
public-tried-entrance-unknown = Login page: I do not know
public-tried-screen-wrong-password = The page says: 「IDまたはパスワードが違います」 (the ID or the password is wrong)
public-tried-screen-locked = The page says: 「このIDは現在ロックされています」 (this ID is locked)
public-tried-screen-wrong-entrance = The page says: wrong login page
public-tried-screen-timeout = The page says: 「タイムアウトしました」 (your session timed out)
public-tried-screen-maintenance = The page says: under maintenance
public-tried-screen-stopped = The page says: 「この管理者IDは利用停止中です」 (this administrator ID is stopped)
public-tried-screen-no-id = I do not know my ID
public-tried-screen-other = Something else (the page does not show, …)
public-tried-mail-yes = I can receive email at my registered address
public-tried-mail-no = I cannot receive email at my registered address
inquiry-tried-heading = [Already tried in "Can't log in?"]
inquiry-tried-line = - { $line }
