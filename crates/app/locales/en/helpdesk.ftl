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
helpdesk-action-card-lost = Report the card lost (stop it)
helpdesk-action-card-lost-help = When the holder reports it lost. The card stops at once; its touches are no longer accepted.
helpdesk-action-card-reissue = Issue a new card (a new number)
helpdesk-action-card-reissue-help = After the reissue fee (¥1,000) is paid. A card with a new number (valid 10 years) is issued, and the card in use stops.
helpdesk-no-card = This technician has no card in use.
helpdesk-ic-card-expires = valid until { $date }
helpdesk-card-none = No card in use (reported lost; waiting for a new one)
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
helpdesk-col-name-or-company = Name or business name
helpdesk-col-language = Language
helpdesk-reg-row-link = { $name } (application no. { $id })
helpdesk-reg-kind-technician = Technician
helpdesk-reg-kind-business = Business
helpdesk-reg-kind-proxy = Technician, applied for by a business (代行申請)
helpdesk-reg-kind = Kind: { $kind }
helpdesk-reg-language = The applicant reads: { $language } (the notice of problems and the emails reach them in it)
helpdesk-reg-language-hint = This applicant reads { $language }. The reason for each problem reaches them as its set text in { $language } (shown in brackets in each choice). Your comment reaches them exactly as you write it, marked as the screener's comment: write it in { $language }.
helpdesk-defect-as-read = { $code } ({ $language }: { $read })
helpdesk-reg-rejection = Reason for the refusal (as sent to the applicant): { $reason }
helpdesk-reg-deleted-after = Unless it is submitted again, it is deleted with its documents after { $date } (the applicant is warned by email before).
helpdesk-same-person-registered = A technician with the same name, furigana and date of birth is registered already
helpdesk-same-person-by = registered by application no. { $id }
helpdesk-same-person-registered-then = This would register the same person twice, so the application can be neither approved nor completed. If it is the same person, refuse it and point them to 「IDをお忘れの方」 (forgotten ID). If the name or another item was mistyped, check the documents and correct it.
helpdesk-same-person-applications = Other applications have the same name, furigana and date of birth
helpdesk-same-person-applications-then = Only one of them can be completed (once one is, the others are refused at completion). If the same person applied twice, refuse one of them.
helpdesk-reg-same-person = A technician with the same name, furigana and date of birth is registered already: technician ID { $id }.
helpdesk-reg-same-person-by-application = A technician with the same name, furigana and date of birth is registered already: technician ID { $id } (registered by application no. { $application }).
helpdesk-reg-same-person-then = The same person cannot be registered twice. If it is the same person, refuse this application.
helpdesk-reg-not-screener = You do not have the right to use registration screening
helpdesk-reg-not-screener-why = Registration screening is only for staff with the screener or supervisor role. If you need it, ask a supervisor to change your role.
helpdesk-reason-required = Enter the reason. Every screening decision is recorded with its reason.
helpdesk-defect-comment-required = With “Other” for { $field }, write a comment to the applicant (otherwise they cannot tell what to fix).
helpdesk-correct-reason-required = Enter the basis (the document you checked).
helpdesk-correct-not-an-item = This application has no such item.
helpdesk-correct-fee-unknown = With this correction the fee cannot be worked out. For a business that is not a one-person contractor, correct its capital first.
helpdesk-payment-reference-required = Enter the bank transfer reference (up to 100 characters).
helpdesk-reg-rejected = The application was refused. The applicant was sent the reason by email.
helpdesk-reg-corrected = The item was corrected. The old and new values and the basis are in the audit log.
helpdesk-reg-issued-already = This application is completed already
helpdesk-reg-issued-already-card = If the registration card page never arrived, make the card again below with “Make the registration card again” (possible until the registered person first logs in).
helpdesk-reissue-heading = Registration card
helpdesk-reissue-issued = { $id_kind } { $id } has been issued.
helpdesk-reissue-account = See the account
helpdesk-reissue-intro = If the registration card was lost (the page did not appear when issuing, it could not be printed, the post did not arrive), it can be made again until the registered person first logs in. A new initial password and security code are issued and the earlier ones stop working. The person's access history and registered address are told.
helpdesk-reissue-reason = Reason for making the card again
helpdesk-reissue-reason-hint = For example: the page did not appear when issuing. It is recorded in the audit log.
helpdesk-reissue-submit = Make the registration card again
helpdesk-reissue-closed = The registered person has already logged in for the first time and set their own password, so the registration card cannot be made again. If they cannot log in, send a password reset email from the account page.
helpdesk-reissue-refused = The registration card cannot be made again
helpdesk-reject-heading = Refuse the application
helpdesk-reject-intro = For an application that correcting cannot fix (for example, the same person is registered already). The application ends and the applicant is sent the reason by email.
helpdesk-reject-reason = Reason for refusing (sent to the applicant as written)
helpdesk-reject-reason-hint = Write it in the language the applicant reads. It is also recorded in the audit log.
helpdesk-reject-submit = Refuse the application

# The registration card: the page around it, and the card as printed (in Japanese, like the PDF).
helpdesk-card-title = Registration complete
helpdesk-card-back = ← Application no. { $id }
helpdesk-card-heading = Registration complete (to send the { $kind } registration notice)
helpdesk-card-intro = Save the registration card (PDF) and print it, put a cover seal over the security code, and post it to the registered person. The initial password and the security code can never be shown again once this page is closed. The card is in Japanese, as printed.
helpdesk-card-reissued = This is a card made again: the earlier initial password and security code no longer work.
helpdesk-card-lost = If this page is lost, the card can be made again from the application page until the registered person first logs in (the earlier secrets then stop working).
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

## A worker's 就業履歴 in the console.
helpdesk-records-link = Work records and corrections
helpdesk-records-title = Work records of { $name } ({ $id })
helpdesk-records-intro = A correction needs a reason and is kept in the audit log. Times can be corrected until the end of the month after the work day; a record made by mistake can be withdrawn at any time.
helpdesk-record-correct = Correct
helpdesk-record-withdraw = Withdraw this record (it no longer counts as a day worked)
helpdesk-record-correct-submit = Correct
helpdesk-record-corrected = Corrected.
helpdesk-record-invalid-time = Enter times as hours and minutes, like "08:00" (not in the future).
helpdesk-record-too-late = The deadline for correcting times ({ $date }) has passed. The record can only be withdrawn.
helpdesk-record-gone = That record was not found.
