# helpdesk (en)
# The console's frame: header, menu, footer.
helpdesk-brand = CCUS Helpdesk
helpdesk-brand-sub = Staff only
helpdesk-page-title = { $title } | Helpdesk
helpdesk-paren = { $main } ({ $detail })
helpdesk-aside = {" "}({ $text })
helpdesk-menu = Helpdesk menu
helpdesk-nav-search = Find an account
helpdesk-nav-inquiries = Inquiries
helpdesk-nav-passkeys = Passkeys
helpdesk-nav-registrations = Registration screening
helpdesk-nav-audit = Audit log
helpdesk-nav-operations = Operations
helpdesk-nav-guide = "Cannot log in?" guide
helpdesk-footer = CCUS Helpdesk (staff only). Every action is recorded with its reason.
helpdesk-back-home = ← Helpdesk

# Signing in, the authenticator, the first password, passkeys.
helpdesk-login-title = Log in
helpdesk-login-heading = Helpdesk login
helpdesk-login-intro = Enter your staff ID, your password and the 6-digit code from your authenticator app.
helpdesk-staff-id = Staff ID
helpdesk-code = Code (6 digits)
helpdesk-code-first-time = At your first login, leave this empty. You will set up the authenticator app on the next page.
helpdesk-too-many = Too many login attempts. Please wait a while and try again.
helpdesk-wrong = The staff ID, password or code is wrong
helpdesk-stopped = This staff ID has been stopped. Contact your administrator.
helpdesk-refused-supervisor = Only supervisors can do this.
helpdesk-refused-screening = Only screeners and supervisors can screen registration applications.
helpdesk-enroll-title = Set up the login code
helpdesk-enroll-heading = Set up the login code (first login)
helpdesk-enroll-wrong = The code is wrong. Enter the newest 6 digits shown in the app.
helpdesk-enroll-intro = To log in to the helpdesk you need your password and a code from an authenticator app on your smartphone (Google Authenticator, Microsoft Authenticator, or similar).
helpdesk-enroll-scan = Scan this QR code with the authenticator app.
helpdesk-enroll-type = Enter the 6-digit code the app shows.
helpdesk-enroll-manual = If you cannot scan the QR code, type this key into the app:
helpdesk-enroll-submit = Finish the setup
helpdesk-enrolled = The login code is set up.
helpdesk-password-notice = The initial password you were given cannot be kept. Please set your own password.
helpdesk-new-password-hint = At least 8 characters. Do not reuse a password from another service or an easy-to-guess word.
helpdesk-passkey-added = Passkey registered
helpdesk-passkey-added-line = From now on, enter your staff ID and password on the login page, then confirm with the passkey instead of the code.
helpdesk-passkey-removed = Passkey removed
helpdesk-passkey-refused = The passkey could not be registered

# Looking accounts up.
helpdesk-home-heading = Helpdesk
helpdesk-find = Find an account
helpdesk-q-login-id = Technician ID or business ID (14 digits; if you know it, it is enough on its own)
helpdesk-q-name = Name or furigana (kanji or kana; spaces and full-width or half-width do not matter)
helpdesk-q-name-hint = 3 or more characters match anywhere in the name. 1 or 2 characters match the start (the family name), for example 「田中」.
helpdesk-q-birth = Date of birth (for example: 1985-04-01)
helpdesk-q-employer = Employer (business name)
helpdesk-q-email = Email address
helpdesk-search = Search
helpdesk-candidates = Matches ({ $count })
helpdesk-no-match = No account matches. Try again with fewer conditions.
helpdesk-id-check-digit = Check the ID. It has 14 digits, but the check digit does not match: one digit is mistyped, or two digits next to each other are swapped.
helpdesk-id-malformed = Check the ID. An ID has 14 digits.
helpdesk-col-name = Name
helpdesk-col-furigana = Furigana
helpdesk-col-birth = Date of birth
helpdesk-col-kind = Kind
helpdesk-person = { $name } ({ $furigana }, { $birth })
helpdesk-person-kind = { $name } ({ $furigana }, { $birth }, { $kind })

# One account and what staff do for its owner.
helpdesk-back-to-search = ← Back to the search
helpdesk-back-to-inquiry = ← Back to inquiry { $receipt }
helpdesk-employer = Employer
helpdesk-lock = Lock
helpdesk-lock-forever = Locked (until someone unlocks it)
helpdesk-lock-until = Locked (until { $until })
helpdesk-lock-none = Not locked ({ NUMBER($count) ->
        [one] { $count } failure
       *[other] { $count } failures
    } in a row)
helpdesk-lock-browsers = { $lock }. { NUMBER($count) ->
        [one] { $count } browser the owner has logged in from is locked
       *[other] { $count } browsers the owner has logged in from are locked
    } (until { $until })
helpdesk-until-lifted = someone unlocks it
helpdesk-membership = Administrator ID (管理者ID) of
helpdesk-org = Organisation and administrator IDs
helpdesk-org-nobody = No administrator IDs.
helpdesk-actions = Actions
helpdesk-actions-intro = Every action is recorded with its reason. The helpdesk can never choose a password.
helpdesk-new-email = New email address
helpdesk-reason = Reason (inquiry number, document checked, etc.)
helpdesk-reason-inquiry = Inquiry { $receipt }
helpdesk-recent-history = Recent access history
helpdesk-passkeys = Passkeys
helpdesk-passkeys-intro = At the owner's request, remove a passkey they do not recognise or one on a lost device. Changing the registered email address removes every passkey.
helpdesk-passkeys-none = No passkeys are registered.
helpdesk-no-such-passkey = That passkey has already been removed.
helpdesk-history-line = { $at } { $event } ({ $address })
helpdesk-action-send-id = Send the ID to the registered email address
helpdesk-action-send-id-help = Never tell the ID on screen or by phone: it is sent to the registered email address.
helpdesk-action-unlock = Unlock
helpdesk-action-unlock-help = Unlock only after confirming that the owner asked for it.
helpdesk-action-reset = Send a password reset email
helpdesk-action-reset-help = Sends a link to set a new password to the registered email address.
helpdesk-action-email = Change the registered email address
helpdesk-action-email-help = Supervisors only. Check the attached identity document before changing it. Both the old and the new address are told, and links sent to the old address stop working.
helpdesk-action-done = Done: “{ $action }”.
helpdesk-input-title = Please fill in the form
helpdesk-check-input = Please check what you entered
helpdesk-back-to-account = Back to the account
helpdesk-needs-reason = Enter a reason (inquiry number, document checked, etc.).
helpdesk-invalid-email = Check the new email address.

# The audit log.
helpdesk-col-at = Time
helpdesk-col-staff = Staff
helpdesk-col-action = Action
helpdesk-col-target = Account
helpdesk-col-reason = Reason
helpdesk-col-detail = Details
helpdesk-audit-login = Logged in
helpdesk-audit-logout = Logged out
helpdesk-audit-login-failed = Failed to log in
helpdesk-audit-staff-disable = Stopped a staff member
helpdesk-audit-staff-enable = Resumed a staff member
helpdesk-audit-password-set = Set own password
helpdesk-audit-passkey-add = Registered own passkey
helpdesk-audit-passkey-remove = Removed own passkey
helpdesk-audit-account-passkey-remove = Removed a passkey
helpdesk-audit-send-id = Sent the ID to the registered address
helpdesk-audit-unlock = Unlocked
helpdesk-audit-reset = Sent a password reset email
helpdesk-audit-email = Changed the registered email address
helpdesk-audit-inquiry-status = Changed an inquiry's status
helpdesk-audit-inquiry-note = Added a note to an inquiry
helpdesk-audit-inquiry-reply = Replied to an inquiry
helpdesk-audit-file-download = Downloaded an attachment
helpdesk-audit-operations-maintenance = Scheduled maintenance
helpdesk-audit-operations-cancel = Cancelled maintenance
helpdesk-audit-operations-notice = Published a notice
helpdesk-audit-operations-faq = Added an FAQ entry
helpdesk-audit-registration-return = Returned an application with problems (不備)
helpdesk-audit-registration-approve = Approved an application
helpdesk-audit-registration-paid = Confirmed a registration fee payment
helpdesk-audit-registration-issue = Completed a registration (issued the ID)
helpdesk-audit-registration-document = Opened an application document
helpdesk-audit-registration-correct = Corrected an application (checked against documents)

# Inquiries.
helpdesk-back-to-queue = ← Inquiries
helpdesk-open = Open
helpdesk-no-inquiries = No inquiries here.
helpdesk-col-receipt = Receipt no.
helpdesk-col-received = Received
helpdesk-col-due = Answer by
helpdesk-col-category = Topic
helpdesk-col-status = Status
helpdesk-col-assignee = Assigned to
helpdesk-overdue = Overdue
helpdesk-contact = Contact
helpdesk-unassigned = Nobody yet
helpdesk-inquiry-new = New
helpdesk-inquiry-in-progress = In progress
helpdesk-inquiry-waiting = Waiting for reply
helpdesk-inquiry-done = Done
helpdesk-message = Message
helpdesk-attachments = Attachments
helpdesk-none = None
helpdesk-inquiry-candidates = Possible accounts
helpdesk-no-candidates = None found automatically. Search in <a href="/helpdesk">Find an account</a>.
helpdesk-notes = Handling record
helpdesk-note-line = { $at } { $kind } ({ $staff }): { $body }
helpdesk-note-reply = Reply
helpdesk-note-memo = Note
helpdesk-set-status = Change the status and assign it to me
helpdesk-reply-label = Reply (emailed to { $email })
helpdesk-send-reply = Send the reply
helpdesk-note-label = Internal note (never sent to the customer)
helpdesk-add-note = Save the note
helpdesk-replied = The reply was sent.
helpdesk-noted = The note was saved.
helpdesk-status-changed = The status was changed.

# Operations (supervisors).
helpdesk-ops-heading = Operations (maintenance, notices, FAQ)
helpdesk-ops-planned = Scheduled maintenance
helpdesk-ops-nothing = None.
helpdesk-ops-window = { $from } – { $to }
helpdesk-ops-window-active = { $from } – { $to } (in progress)
helpdesk-ops-cancel = Cancel
helpdesk-ops-schedule = Schedule maintenance
helpdesk-ops-schedule-help = It is published in the notices, and the login pages announce it from { NUMBER($hours) ->
        [one] { $hours } hour
       *[other] { $hours } hours
    } before the start. During the window, the public pages show "under maintenance" (this console keeps working).
helpdesk-ops-from = Start (Japan time, for example: 2026-12-01 22:00)
helpdesk-ops-to = End (Japan time, for example: 2026-12-02 06:00)
helpdesk-ops-message = A word to users (optional)
helpdesk-ops-schedule-submit = Schedule
helpdesk-ops-notice = Publish a notice
helpdesk-ops-notice-title = Title
helpdesk-ops-notice-body = Text (Markdown)
helpdesk-ops-publish = Publish
helpdesk-ops-faq = Add an FAQ entry
helpdesk-ops-category = Category
helpdesk-ops-question = Question
helpdesk-ops-answer = Answer (Markdown)
helpdesk-ops-add = Add
helpdesk-ops-done-maintenance = Maintenance scheduled and published in the notices.
helpdesk-ops-done-cancel = Maintenance cancelled.
helpdesk-ops-done-notice = Notice published.
helpdesk-ops-done-faq = FAQ entry added.
helpdesk-op-no-window = There is no scheduled maintenance window { $id }
helpdesk-op-notice-empty = A notice needs a title and a text
helpdesk-op-faq-empty = Enter the category, the question and the answer
helpdesk-op-bad-from = Enter the start { $value } as a JST time like "2026-12-01 22:00"
helpdesk-op-bad-to = Enter the end { $value } as a JST time like "2026-12-02 06:00"
helpdesk-op-end-first = The window must end after it starts
helpdesk-op-over = This window is already over

# Where 「ログインできない方へ」 led people (supervisors).
helpdesk-guide-title = Where "Cannot log in?" led people
helpdesk-guide-intro = How often people who answered the questions reached each fix (nothing about the person is recorded). Start with the most frequent ones when you review the FAQ and the login pages' guidance.
helpdesk-guide-ending = Led to
helpdesk-guide-count = Times
helpdesk-guide-total = { $total } in all
helpdesk-ending-right-entrance = Wrong entrance → the right login page
helpdesk-ending-reset-form = Forgot the password → password reset
helpdesk-ending-unlock-mail = Locked → the unlock email
helpdesk-ending-id-reminder = Forgot the ID → ID by email
helpdesk-ending-login-again = Timed out → log in again
helpdesk-ending-maintenance = Maintenance → notices
helpdesk-ending-ask-business = Administrator ID stopped → the business's administrator
helpdesk-ending-inquiry-email = No email (password) → inquiry
helpdesk-ending-inquiry-lock = No email (lock) → inquiry
helpdesk-ending-inquiry-id = No email (ID) → inquiry
helpdesk-ending-inquiry-other = Other → inquiry

# 登録審査: the queue, one application, the decisions.
helpdesk-registrations-intro = Applications waiting for screening, for payment or for the ID (oldest first).
helpdesk-no-registrations = No applications are waiting.
helpdesk-col-application = Application no.
helpdesk-col-reg-status = Status
helpdesk-col-submitted = Submitted
helpdesk-col-fee = Fee
helpdesk-yen = ¥{ $amount }
helpdesk-yen-paid = ¥{ $amount } (paid)
helpdesk-back-to-registrations = ← Registration screening
helpdesk-application = Application no. { $id }
helpdesk-reg-status = Status:
helpdesk-reg-applicant = Application ID:
helpdesk-reg-fee = Fee: ¥{ $amount }
helpdesk-reg-fee-paid = Fee: ¥{ $amount } (payment confirmed: { $payment })
helpdesk-sep = /
helpdesk-payment = { $at }, { $reference }
helpdesk-proxy = Applied for by a business (代行申請): { $business } (business ID { $id }) / Worker's consent: { $consent }
helpdesk-lookalikes = Registered people with the same furigana and date of birth
helpdesk-lookalikes-check = Check the identity documents: this must not be a second registration of the same person.
helpdesk-others = Other applications that seem to be the same person
helpdesk-documents = Documents sent
helpdesk-no-documents = No documents.
helpdesk-documents-audited = Opening a document is recorded in the audit log.
helpdesk-application-items = Application
helpdesk-not-entered = (not entered)
helpdesk-flag = Return “{ $field }” as a problem (不備)
helpdesk-defect-reason = What is wrong ({ $field })
helpdesk-defect-comment = Comment to the applicant ({ $field })
helpdesk-return-reason = Reason for the record
helpdesk-return-submit = Return the chosen items as problems
helpdesk-correct-intro = A small mistake whose right value the documents show can be corrected without returning the application (the old and new values and the basis are recorded in the audit log).
helpdesk-correct-field = Item to correct
helpdesk-correct-value = Right value
helpdesk-correct-reason = Basis (document checked)
helpdesk-correct-submit = Correct
helpdesk-approve-reason = Screening record (documents checked, etc.)
helpdesk-approve-submit = Finish screening (approve)
helpdesk-payment-reference = Bank transfer reference
helpdesk-payment-submit = Payment confirmed
helpdesk-issue-intro = Issues the { $id_kind } and sends the registration email. Print the registration card on the next page and post it (the initial password and the security code are shown only this once).
helpdesk-issue-submit = Complete the registration and issue the { $id_kind }
helpdesk-defects = Problems recorded (不備)
helpdesk-defect-fixed = — fixed
helpdesk-reg-approved = Screening finished. The applicant was sent the fee instructions.
helpdesk-reg-returned = Returned with problems. The applicant was sent 「申請内容不備のお知らせ」 (notice of problems).
helpdesk-reg-paid = Payment recorded.
helpdesk-reg-stale = Another staff member has already handled this application.
helpdesk-reg-nothing = Choose at least one item to return.

# The registration card: the page around it, and the card as printed (in Japanese, like the PDF).
helpdesk-card-title = Registration complete
helpdesk-card-back = ← Application no. { $id }
helpdesk-card-heading = Registration complete (to send the { $kind } registration notice)
helpdesk-card-intro = Save the registration card (PDF) and print it, put a cover seal over the security code, and post it to the registered person. The initial password and the security code can never be shown again once this page is closed. The card is in Japanese, as printed.
helpdesk-card-save = Save the registration card (PDF)
helpdesk-card-file = registration-notice-{ $id }.pdf
helpdesk-card-label = Registration card
helpdesk-card-to-queue = Back to registration screening
helpdesk-card-notice = Construction Career Up System: { $kind } registration notice
helpdesk-card-company = Business name
helpdesk-card-name = Name
helpdesk-card-id = { $kind } ID
helpdesk-card-password = Initial password
helpdesk-card-issued = Registered on
helpdesk-card-expires = Valid until
helpdesk-card-code = Security code (4 digits) — do not show it to anyone
helpdesk-card-first-login = At your first login, enter your { $kind } ID and the initial password on the { $kind } login page, then use the security code to change to your own password.

# The organisation around an account, on its console page.
helpdesk-org-membership-line = { $role } of { $business } (business ID { $id }), { $place } ({ $state })
helpdesk-org-active = active
helpdesk-org-stopped = stopped
helpdesk-org-person = { $name } (administrator ID { $id }, { $role })
helpdesk-org-person-stopped = { $name } (administrator ID { $id }, { $role }, stopped)

# FAQ translations on the operations page.
helpdesk-ops-faq-lang = Language
helpdesk-ops-faq-translates = Number of the question it translates (for English and easy Japanese)
helpdesk-ops-faq-translates-hint = The number from the list below. The translation is shown in that question's place to readers of its language. Leave it empty when adding a Japanese question.
helpdesk-ops-faq-list = FAQ entries (Japanese)
helpdesk-ops-faq-no = No.
helpdesk-ops-faq-translations = Translations
helpdesk-ops-faq-untranslated = none (shown in Japanese)
helpdesk-op-faq-lang = the language must be ja, en or easy
helpdesk-op-faq-translation-needs-original = an English or easy Japanese entry is added as the translation of a Japanese question, with its number; a Japanese question takes no number
helpdesk-op-faq-no-original = there is no Japanese question number { $id }, or it already has a translation in this language
