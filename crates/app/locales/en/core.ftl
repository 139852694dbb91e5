# English.
site-name = Construction Career Up System
skip-to-main = Skip to main content
logout = Log out
honorific = { $name }
language-switch = Language
notices = Notices
footer-top = Home
footer-technician-login = Technician login
footer-business-login = Business login
footer-faq = FAQ
footer-support = Contact
footer-browsers = Recommended browsers: the latest Google Chrome or Microsoft Edge (on smartphones, the latest built-in browser)

top-title = Log in
top-lead = First, check whether you are a <strong>technician</strong> or a <strong>business</strong>. Each has its own login page and its own kind of ID.
top-technician = Technicians
top-technician-text = People who work on construction sites. Log in with the <strong>technician ID (14 digits)</strong> printed on your card.
top-technician-go = Technician login
top-business = Businesses
top-business-text = Staff of a construction company or other business. Log in with the <strong>business ID (14 digits)</strong> or your <strong>administrator ID</strong>.
top-business-go = Business login
top-hints = Tips for logging in
top-hint-width = You may type the ID in full-width or half-width digits, with spaces or hyphens.
top-hint-code = The 4-digit security code (本人確認番号) is not used to log in. It is used when you change your password.
top-hint-forgot = If you forgot your password or ID, use “<a href="/ccus_skill/password/forgot">Forgot your password?</a>” or “<a href="/ccus_skill/id/forgot">Forgot your ID?</a>” on the login page. We send it to your registered email address.
top-hint-lock = After several wrong passwords in a row, you cannot log in for a while. Try again after the time shown, or unlock your ID with the link in the email we send to your registered address.
top-hint-timeout = If you do nothing for a while, you are logged out for safety (the page says “Your session timed out”).
top-hint-ie = Internet Explorer cannot be used. Please use Google Chrome or Microsoft Edge.
top-hint-guide = If you cannot log in, answer a few questions on “<a href="/help/login">Cannot log in?</a>” to find the fix.
new-registration = New registration (新規登録)
top-register-title = If you do not have an ID yet
top-register-text = Technicians and businesses both apply from "New registration". You can apply on a smartphone too.
login-no-id-yet = No ID yet?

kind-technician = Technician
kind-business = Business
login-title = { $kind } login
login-id-label = { $kind } ID
optional = Optional
required = Required
login-id-hint = 14 digits. Full-width or half-width digits, spaces and hyphens are all fine.
login-id-hint-business = If you have an administrator ID of a business, enter it here too.
password = Password
login-password-hint = First login? Enter the initial password (初期パスワード) printed on your card's mount.
login-button = Log in
passkey-login = Log in with a passkey
passkey-waiting = Your browser is waiting for a passkey. Confirm with your fingerprint, face or screen lock. If you cannot use a passkey here, press "Cancel" and log in with your ID and password.
passkey-waiting-register = Your browser is waiting to create a passkey. Confirm with your fingerprint, face or screen lock. If this device cannot make one, press "Cancel".
passkey-cancel = Cancel
passkey-cancelled = Cancelled.
forgot-password = Forgot your password?
forgot-id = Forgot your ID?
cannot-log-in = Cannot log in? Answer a few questions to find the fix
code-not-for-login = The 4-digit security code (本人確認番号) is not used to log in.
other-entrance = For { $other } accounts, use the <a href="{ $path }">{ $other } login</a> page.
login-id-empty = Enter your { $kind } ID.
login-id-malformed = The { $kind } ID has 14 digits. Please check what you typed.
login-id-check-digit = This { $kind } ID has a mistake. Check for a mistyped digit or two digits swapped, against the ID on your card.
password-empty = Enter your password.
password-too-long = The password is too long. Please check what you typed.
wrong-credentials = The ID or the password is wrong
wrong-credentials-line = Check what you typed and try again. Passwords are case-sensitive.
wrong-credentials-help = Forgot your password, or no email arrives? Find the fix
wrong-entrance = The ID you entered is a { $id_kind }
wrong-entrance-line = This is the { $kind } login page. If you have a { $right } ID, please log in at the { $right } login page.
wrong-entrance-link = Go to the { $right } login page (your ID is filled in)
timed-out = Your session timed out. Please log in again.
id-technician = technician ID
id-business = business ID
id-manager = business administrator ID

# Getting back in: password reset, ID reminder, unlock.
back-to-login = Back to the { $kind } login page
too-many-title = Please try again later
too-many = Too many requests in a short time
too-many-line = Requests from this connection are limited for now. Please try again in about an hour.
link-unusable-title = This link cannot be used
link-unusable = The link has expired or has already been used
link-unusable-line = A link for { $what } works once and until it expires. A new link replaces the old one.
link-unusable-again = Please request a new one.
reset-title = Reset your password
reset-intro = Enter your { $kind } ID and your registered email address. We will email you a link to set a new password.
registered-email = Registered email address
reset-send = Send me the link
id-wrong = This ID has a mistake. Please check the 14 digits.
email-invalid = Please check the email address (for example: taro@example.jp).
received = Received
reset-sent = If what you entered matches our records, we have sent you an email to reset your password
reset-sent-open = Open the link in the email and set a new password. The link works for { NUMBER($minutes) ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }.
reset-sent-spam = If no email arrives, check your spam folder. If the ID or the address was mistyped, no email is sent.
reset-sent-dead-address = If your registered address no longer works (for example, after leaving a job), the email cannot reach you. Please contact { $helpdesk }.
recovery-helpdesk-email = Ask the helpdesk (if your registered email address no longer works)
recovery-helpdesk-id = Ask the helpdesk (to look up your ID)
new-password = New password
new-password-hint = At least 8 characters, of any kind. Do not reuse a password from another service or an easy-to-guess word.
new-password-confirm = New password (again)
new-password-title = Set a new password
new-password-intro = Enter a new password for { $id_kind } { $id }.
set-password = Set the password
reset-again = Request a new password link
what-reset = resetting your password
new-password-empty = Enter a new password.
password-mismatch = The two passwords are not the same. Please type them again.
policy-too-short = The password must have at least { NUMBER($min) ->
        [one] { $min } character
       *[other] { $min } characters
    }.
policy-too-long = The password must have { NUMBER($max) ->
        [one] { $max } character
       *[other] { $max } characters
    } or fewer.
policy-common = This password is used very often and is easy to guess, so it cannot be used. Use a mix of words that other people would not think of.
policy-has-id = The password cannot contain your ID, because that makes it easy to guess.
policy-has-name = The password cannot contain your name, because that makes it easy to guess.
policy-has-email = The password cannot contain your email address, because that makes it easy to guess.
policy-has-word = The password cannot contain “{ $word }”, because that makes it easy to guess.
reset-done = Your password is reset
reset-done-login = Please log in with the new password.
reset-done-sessions = For your safety, every other device was logged out.
reset-done-passkeys = For your safety, { NUMBER($count) ->
    [one] the passkey registered on this ID was removed too.
   *[other] the { $count } passkeys registered on this ID were removed too.
} To use a passkey, log in and register it again under "Passkeys".
to-login = To the { $kind } login page
forgot-id-intro = Enter your registered email address. We will email you every ID (technician and business) registered with it.
forgot-id-registered-mail = Your ID is also in the email sent when your registration was complete (subject “Your registration is complete”, or 「登録完了」 in Japanese).
forgot-id-send = Email me my ID
ids-sent = If the address is registered, we have emailed you the IDs registered with it
ids-sent-spam = IDs are never shown on screen. If no email arrives, check your spam folder.
ids-sent-dead-address = If your registered address no longer works (for example, after leaving a job), the email cannot reach you.
ids-sent-helpdesk = Then contact { $helpdesk } with your name, date of birth, employer and (if you know it) your ID. After checking who you are, we tell you your ID and change your registered address.
what-unlock = unlocking your ID
unlock-title = Unlock your ID
unlock-intro = This unlocks { $id_kind } { $id }. It does not log you in.
unlock-own-mistake = Use this if you locked it by your own typing mistakes. If you did not, reset your password after unlocking.
unlock-button = Unlock
unlocked = Your ID is unlocked
unlocked-again = You can log in again.
unlocked-forgot = If you do not know your password, reset it with “Forgot your password?” on the login page.

# The menu after logging in.
menu-title = { $kind } menu
menu = Menu
menu-membership = Member of
menu-since = Logged in at
menu-history = Access history
menu-history-sub = See every login, lock and logout
menu-password = Change password
menu-password-sub = You need your 4-digit security code
menu-email = Change email address
menu-email-sub = Where password links and notices are sent
menu-passkeys = Passkeys
menu-passkeys-sub = Log in with your fingerprint, face or screen lock
menu-sessions = Logged-in devices
menu-sessions-sub = End the login on your other devices
menu-affiliation = Employer and disclosure
menu-affiliation-sub = Answer employers' requests; choose what other businesses see
menu-technicians = Our technicians
menu-technicians-sub = The list of your technicians, and requests
menu-org = Organisation and administrator IDs
menu-org-sub = Create tiers; give each person their own administrator ID
menu-proxy = Apply for your workers
menu-proxy-sub = Apply for a worker's registration with their consent

# 「ログインできない方へ」.
guide-q-entrance = Where are you trying to log in?
guide-q-entrance-line = Choose your answers and we will show you the fix (four questions at most).
guide-a-technician = Technician (technician ID)
guide-a-technician-sub = You log in with a 14-digit ID starting with 1
guide-a-business = Business (business ID or administrator ID)
guide-a-business-sub = You log in with a 14-digit ID starting with 2 or 3
guide-a-unknown = I do not know
guide-a-unknown-sub = We find the right login page from your ID
guide-q-screen = What does the page say?
guide-a-wrong-password = 「IDまたはパスワードが違います」 (the ID or the password is wrong)
guide-a-wrong-password-sub = Also if you forgot your password
guide-a-locked = 「このIDは現在ロックされています」 (this ID is locked)
guide-a-wrong-entrance = 「入力されたIDは…IDです」 (wrong login page)
guide-a-wrong-entrance-sub = It says you are at the wrong login page
guide-a-timeout = 「タイムアウトしました」 (your session timed out)
guide-a-maintenance = A maintenance notice
guide-a-no-id = I do not know my ID
guide-a-no-id-sub = I forgot my ID or lost my card
guide-a-other = Something else
guide-a-other-sub = The page does not show, a button does not work, …
guide-a-stopped = 「この管理者IDは利用停止中です」 (this administrator ID is stopped)
guide-q-mail = Can you receive email at your registered address now?
guide-q-mail-line = This is the address you registered. If it no longer works (for example, after leaving a job), choose “No”.
guide-a-mail-yes = Yes
guide-a-mail-no = No
guide-a-mail-no-sub = The address does not work, or I do not know it
guide-id-check-digit = This ID has a mistake. Check for a mistyped digit or two digits swapped.
guide-id-malformed = The ID has 14 digits. Please check what you typed.
guide-q-id = Enter your ID
guide-q-id-line = The first digit tells the login page (1 technician, 2 business, 3 administrator ID).
guide-a-no-id-either = I do not know my ID either
guide-end-reset = Reset your password
guide-end-reset-line = Enter your ID and registered email address, and we will email you a link. Open it and choose a new password.
guide-end-reset-unlocks = Resetting also unlocks your ID.
guide-end-reset-go = Reset my password
guide-end-unlock = Look for the unlock email
guide-end-unlock-line = When your ID was locked, we emailed your registered address. Open the link in that email to unlock at once.
guide-end-unlock-wait = The lock also ends by itself at the time shown on the login page. If you cannot find the email, resetting your password unlocks too.
guide-end-unlock-go = Reset my password (this also unlocks)
guide-end-ids-business = Email me my business or administrator ID
guide-end-ids = Get your ID by email
guide-end-ids-line = Enter your registered email address, and we will email you every ID registered with it.
guide-end-again = Log in again
guide-end-maintenance = Please wait for the maintenance to end
guide-end-maintenance-line = You cannot log in during maintenance. The schedule is on the notices page.
guide-end-maintenance-go = Notices (maintenance schedule)
guide-end-business = Ask your business's administrator to resume your ID
guide-end-business-line = Administrator IDs are stopped and resumed by the business's owner or tier manager. The helpdesk cannot resume them.
guide-end-business-owner = Owners log in with the business ID and resume it under “Organisation and administrator IDs”.
guide-end-business-go = Business login page
guide-end-inquiry-line = If your registered address cannot receive email, the helpdesk will help after checking who you are.
guide-end-inquiry-filled = Your answers here are already in the contact form. Attaching a photo of an identity document makes it faster.
guide-end-browsers = Use the latest Google Chrome or Microsoft Edge (on smartphones, the latest built-in browser). Internet Explorer cannot be used.
guide-end-browsers-inquiry = If another browser does not help, contact us. Your answers here are already filled in.
guide-end-inquiry = Please contact us with the form
guide-end-inquiry-go = Contact form (your answers are filled in)
guide-end-choose = Choose a login page
guide-end-top = Home page
guide-end-still = Still stuck? Contact us
guide-title = Cannot log in? — { $question }
guide-end-entrance = Log in at the { $kind } login page
guide-end-entrance-line = The ID you entered is a { $id_kind }. Log in at the { $kind } login page; your ID is filled in.
guide-end-ids-go = Email me my { $kind } ID
guide-end-again-line = For your safety you are logged out after { NUMBER($minutes) ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    } without activity, or { NUMBER($hours) ->
        [one] { $hours } hour
       *[other] { $hours } hours
    } after logging in. Log in again to return to the page you were on.
guide-name = Cannot log in?
guide-step = Cannot log in? (question { $step })
guide-choose = Choose your answer
guide-id-label = Your ID (14 digits)
guide-id-hint = The 14 digits on your card or in our emails. Full-width digits and spaces are fine.
guide-next = Next
guide-restart = Start again

# The helpdesk login's second factor.
staff-passkey-login = Log in with a passkey instead of the code

# Mails: password reset, password changed, ID reminder, lock notice.
mail-subject = [Construction Career Up System] { $subject }
mail-signature-name = Construction Career Up System (CCUS)
mail-signature-no-reply = This address only sends mail. Replies are not read.
mail-honorific = Dear { $name },
mail-when = Time: { $at } (Japan time)
mail-from = From: { $address }
mail-browser = Browser: { $browser }
mail-sent-at = Sent: { $at } (Japan time)
mail-operated-by = Done by: { $by }
mail-reset-subject = How to reset your password
mail-reset-owner = We received a request to reset your password.
mail-reset-owner-closing = If this was not you, delete this email. Your password stays as it is.
mail-reset-helpdesk = As you asked the helpdesk, here is the link to reset your password.
mail-reset-helpdesk-closing = If you did not contact the helpdesk, delete this email and tell the helpdesk. Your password stays as it is.
mail-reset-org = An administrator of your business sent you this link to reset your password.
mail-reset-org-closing = If you do not expect this, delete this email and tell your business's administrator. Your password stays as it is.
mail-reset-open = Open this link and set a new password.
mail-link-ttl = The link works for { NUMBER($minutes) ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }, once.
mail-changed-subject = Your password was changed
mail-changed-set = The password of { $id_kind } { $id } was set.
mail-changed-change = The password of { $id_kind } { $id } was changed.
mail-changed-reset = The password of { $id_kind } { $id } was reset.
mail-changed-sessions = For your safety, every other device was logged out.
mail-changed-passkeys = For your safety, { NUMBER($count) ->
    [one] the passkey registered on this ID was removed.
   *[other] the { $count } passkeys registered on this ID were removed.
} To use a passkey again, log in and register it again.
mail-changed-not-you = If this was not you, someone else may have changed it. Reset your password at once with this link, and tell the helpdesk.
mail-ids-subject = Your IDs
mail-ids-line = - { $id_kind }: { $id } ({ $name })
mail-ids-login = Login page: { $url }
mail-ids-intro = We received your request for your ID.
mail-ids-listed = These IDs are registered with this email address:
mail-ids-entrances = Technician IDs log in at the technician login page, business IDs at the business login page.
mail-ids-not-you = If this was not you, delete this email.
mail-locked-subject = Your ID was locked
mail-locked-line = After several wrong passwords for { $id_kind } { $id }, logging in is stopped (locked) for a while, for your safety.
mail-locked-forever = This lock does not end by itself.
mail-locked-until = The lock ends by itself at { $until } (Japan time).
mail-locked-last = The last failed login:
mail-locked-unlock = If it was your own typing, open this link to unlock at once (it does not log you in).
mail-locked-ttl = The link works for { NUMBER($minutes) ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }.
mail-locked-not-you = If this was not you, someone else may have tried to log in. Unlock, then reset your password.

# Passwords after logging in: the first one, changing it.
menu-back = Back to the menu
security-code = Security code (本人確認番号, 4 digits)
security-code-hint = The 4 digits printed as 本人確認番号 on your card (on the back). It is not your ID or your password.
current-password = Current password
locked-title = Your ID is locked
locked-logged-out = For your safety, you were logged out.
security-code-wrong = The security code is wrong. Check the 4 digits printed as 本人確認番号 on your card.
security-code-format = Enter the security code as 4 digits.
initial-title = Set your password
initial-heading = Set your password (first login)
initial-notice = This is your first login. Please choose your own password.
initial-intro = For your safety, the initial password (初期パスワード, printed on your card's mount) cannot be kept. Enter the security code (本人確認番号, 4 digits on your card) and a new password.
change-title = Change your password
change-intro = Enter your current password, your security code (4 digits) and a new password. Changing it logs out your other devices.
change-submit = Change the password
current-password-empty = Enter your current password.

# The access history.
history-title = Access history
history-intro = Logins, failed logins, locks and logouts of this account (newest first, Japan time). Someone else mistyping an ID is recorded too. If you see a login that was not you, change your password at once.
history-empty = Nothing recorded yet.
history-at = Time
history-event = Event
history-address = From
history-browser = Browser
history-pages = Pages
history-newer = Newer
history-older = Older
history-page-of = Page { $page } of { $pages } ({ $total } in all)
event-login-success = Logged in
event-login-failure = Login failed (wrong password)
event-locked = Locked after repeated failures
event-refused-locked = Refused: the ID was locked
event-refused-rate-limited = Refused: too many attempts
event-unlocked = Unlocked
event-logout = Logged out
event-timeout = Timed out
event-security-code-failure = Wrong security code
event-password-reset-requested = Password reset email sent
event-password-reset = Password reset
event-password-changed = Password changed
event-initial-password-set = First password set
event-email-change-requested = Email change confirmation sent
event-email-changed = Email address changed
event-unlocked-by-mail = Unlocked with the link in the email
event-other-sessions-ended = Other devices logged out
event-helpdesk-id-sent = Helpdesk sent the ID to the registered address
event-helpdesk-unlocked = Helpdesk lifted the lock
event-helpdesk-email-changed = Helpdesk changed the registered address
event-helpdesk-reset-sent = Helpdesk sent a password reset email
event-helpdesk-card-reissued = Helpdesk issued a new registration card (initial password and security code)
event-org-reset-sent = Your business's administrator sent a password reset email
event-org-unlocked = Your business's administrator lifted the lock
event-org-disabled = Your business's administrator stopped the ID
event-org-enabled = Your business's administrator resumed the ID
event-refused-disabled = Refused: the ID is stopped
event-passkey-added = Passkey registered
event-passkey-removed = Passkey removed
event-passkey-login = Logged in with a passkey
event-passkeys-removed = All passkeys removed (password reset or address change)
event-helpdesk-passkey-removed = Helpdesk removed a passkey
event-card-reported-lost = Card reported lost (the card was stopped)
event-card-replaced = New card issued
event-service-allowed = Allowed a service to use "Log in with CCUS"
event-service-login = Logged in to a service with "Log in with CCUS"
event-service-revoked = Ended a service's permission
event-service-token-reused = A service's token was used again by someone else (that login was ended)

browser-unknown = unknown
browser-other = other
source-helpdesk = The helpdesk (staff { $staff })
source-business = { $name } ({ $id }), an administrator of the business
mail-by = Done by: { $who }

# The items of the registration form and the screener's reasons for 不備 (pages, console and mail).
field-plan = Type of registration
field-name = Name (氏名)
field-furigana = Name in katakana (フリガナ)
field-birth-date = Date of birth
field-gender = Gender
field-nationality = Nationality
field-residence-card = Residence card number
field-postal-code = Postal code
field-address = Address
field-phone = Phone number
field-email = Your own email address
field-employer = Business ID of your employer
field-insurance = Social insurance
field-qualifications = Qualifications
field-company-name = Trade name (company name)
field-company-furigana = Trade name in katakana
field-representative = Name of the representative
field-sole-proprietor = Type of business
field-capital = Capital
field-permit = Construction business permit number
field-trades = Permitted trades
field-contact = Name of the person responsible for the registration
defect-missing = Missing
defect-mismatch = Does not match your identity document
defect-document = The document is unclear or missing
defect-expired = Expired
defect-other = Other
form-restored = What you had typed before logging in again has been put back. Check it, then send (type passwords and the security code (本人確認番号) again).
maintenance-notice-title = Maintenance ({ $from } – { $to })
maintenance-notice-what = During this time the system is under maintenance: logging in, resetting a password and the like are not available.
maintenance-notice-start = Starts: { $at } (Japan time)
maintenance-notice-end = Expected to end: { $at } (Japan time)
maintenance-notice-closing = We are sorry for the inconvenience.
