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
top-hint-code = The 4-digit security code is not used to log in. It is used when you change your password.
top-hint-forgot = If you forgot your password or ID, use “<a href="/ccus_skill/password/forgot">Forgot your password?</a>” or “<a href="/ccus_skill/id/forgot">Forgot your ID?</a>” on the login page. We send it to your registered email address.
top-hint-lock = After several wrong passwords in a row, you cannot log in for a while. Try again after the time shown, or unlock your ID with the link in the email we send to your registered address.
top-hint-timeout = If you do nothing for a while, you are logged out for safety (the page says “Your session timed out”).
top-hint-ie = Internet Explorer cannot be used. Please use Google Chrome or Microsoft Edge.
top-hint-guide = If you cannot log in, answer a few questions on “<a href="/help/login">Cannot log in?</a>” (in Japanese) to find the fix.

kind-technician = Technician
kind-business = Business
login-title = { $kind } login
login-id-label = { $kind } ID
required = Required
login-id-hint = 14 digits. Full-width or half-width digits, spaces and hyphens are all fine.
login-id-hint-business = If you have an administrator ID of a business, enter it here too.
password = Password
login-button = Log in
passkey-login = Log in with a passkey
forgot-password = Forgot your password?
forgot-id = Forgot your ID?
cannot-log-in = Cannot log in? Answer a few questions to find the fix (in Japanese)
code-not-for-login = The 4-digit security code is not used to log in.
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
wrong-entrance-line = This is the { $kind } login page. Please log in at the { $right } login page.
wrong-entrance-link = Go to the { $right } login page (your ID is filled in)
timed-out = Your session timed out. Please log in again.
id-technician = technician ID
id-business = business ID
id-manager = business administrator ID
