# apply (en): technician and business registration, the application ID (申請用ID), applying on a
# worker's behalf (代行申請) and the worker's consent.

# The top page of /apply.
apply-title = Apply for technician registration
apply-top-lead = When you register as a technician in the Construction Career Up System, you get a technician ID and a registration card. You can apply here, also on a smartphone.
apply-top-flow = How to apply
apply-top-step-login = <strong>Make an application ID (申請用ID)</strong>: enter your email address, then open the link in the email we send and choose a password for applying.
apply-top-step-fill = <strong>Fill in the application</strong>: press “Save draft” to keep what you typed and continue later.
apply-top-step-submit = <strong>Submit</strong>: we email you the result of the check. If something must be fixed, fix only that item and submit again.
apply-top-step-pay = <strong>Pay the registration fee</strong>: pay by bank transfer as the email after the check tells you.
apply-top-step-issued = <strong>Registration complete</strong>: we email you your technician ID and post you the registration card with your initial password and security code.
apply-top-fees = Registration fee (valid for 10 years)
apply-top-col-plan = Type of registration
apply-top-col-fee = Fee
apply-top-col-content = What is registered
apply-top-fee-basic = ¥2,500
apply-top-fee-detailed = ¥4,900
apply-top-basic-content = Your personal details and your employer
apply-top-detailed-content = Basic, plus your qualifications, social insurance and more
apply-top-start = Make an application ID and start
apply-top-have-login = If you already have an application ID, <a href="/apply/login">log in with your application ID</a> and continue.
apply-top-registered = If you already have a technician ID, you do not need to apply. <a href="/ccus_skill/login">Technician login</a>
apply-top-title = New registration (technicians and businesses)
apply-top-choose = Are you registering a technician or a business? Choose one to see the steps and the fee.
apply-top-choose-technician = For a person who works on sites. A technician ID and a registration card are issued.
apply-top-choose-business = For a construction company or a one-person contractor (一人親方). A business ID is issued.
apply-top-business-lead = A registered business gets a business ID, used for its technicians' affiliations and for its sites.
apply-top-business-fee = The fee (valid for 5 years) depends on the company's capital. One-person contractors (一人親方) pay nothing.
apply-top-business-steps = The steps are the same as for a technician. After logging in with your application ID, choose "Start a new business registration".
apply-top-registered-business = If you already have a business ID, you do not need to apply. <a href="/ccus_owner/login">Business login</a>

# Making an application ID.
apply-start-title = Make an application ID
apply-start-intro = Enter the email address we should contact you at. We will send you an email to confirm it.
apply-start-intro-link = Open the link in the email and choose a password for applying. Your application ID is then ready.
apply-email = Email address
apply-email-hint = For example: taro@example.jp (a mobile phone address is fine)
apply-start-send = Send the email
apply-start-have-login = I already have an application ID
apply-email-invalid = This email address is not valid. Please check what you typed.
apply-too-many-title = Please wait a while
apply-too-many = Too many application IDs were requested in a short time
apply-too-many-line = Please wait a while, then try again.
apply-sent = We sent you an email
apply-sent-open = Open the link in the email sent to { $email } and choose a password for applying.
apply-sent-spam = If no email arrives, check your spam folder. If this address already has an application ID, the email says so.
apply-to-top = Back to applying for registration

# The application password.
apply-password-title = Set your application password
apply-password-intro = Choose a password for the application ID { $email }. Use at least 8 characters, a mix of words that other people would not think of.
apply-password = Application password
apply-password-submit = Set the password and start applying
apply-password-too-short = The password must have at least { NUMBER($min) ->
        [one] { $min } character
       *[other] { $min } characters
    }.
apply-password-too-long = The password must have { NUMBER($max) ->
        [one] { $max } character
       *[other] { $max } characters
    } or fewer.
apply-password-common = This password is used very often and is easy to guess, so it cannot be used. Use a mix of words that other people would not think of.
apply-password-has-email = The password cannot contain your email address, because that makes it easy to guess.
apply-password-has-word = The password cannot contain “{ $word }”, because that makes it easy to guess.
apply-link-unusable-title = This link cannot be used
apply-link-unusable = This link has expired or has already been used
apply-link-unusable-line = Please enter your email address again to get a new email.
apply-to-start = Make an application ID

# Logging in with the application ID.
apply-login-title = Log in with your application ID
apply-login-intro = Enter the email address of your application ID and your application password.
apply-login-id = Application ID (email address)
apply-login-create = No application ID yet? Make one
apply-login-forgot = Forgot your password?
apply-wrong-credentials = The application ID or the password is wrong
apply-wrong-credentials-line = Check what you typed and try again.

# The applicant's applications.
apply-home-title = Your applications
apply-proxy-label = Applying on behalf of workers as:
apply-home-proxy-intro = You can apply for technician registration on behalf of the workers you employ and others. The worker must agree (send them an email asking for consent from the application page, or upload a consent form (代行申請同意書) they signed). After registration, the ID and password belong to the worker alone.
apply-login-id-label = Application ID:
apply-no-applications = You have no applications yet.
apply-col-number = Application no.
apply-col-kind = Type
apply-col-status = Status
apply-col-updated = Last updated
apply-proxy-new = Start a new application for a worker
apply-proxy-end = Finish applying for workers
apply-new-technician = Start a new technician registration
apply-new-business = Start a new business registration
apply-business-with-id = { $name } (business ID { $id })

# What is applied for, and where it stands.
apply-kind-technician = Technician registration
apply-kind-business = Business registration
apply-kind-unknown = Registration
apply-status-draft = Draft (saved)
apply-status-submitted = Being checked
apply-status-returned = Something must be fixed
apply-status-approved = Checked (waiting for the fee)
apply-status-issued = Registration complete
apply-status-closed = Closed
apply-step-input = Fill in
apply-step-submit = Submit
apply-step-screened = Checked
apply-step-paid = Fee paid
apply-step-issued = Registered

# The application form.
apply-application-title = { $kind } (application no. { $id })
apply-back-home = ← Your applications
apply-progress = Progress of the application
apply-status-label = Status:
apply-fee = Registration fee: ¥{ $fee }
apply-fee-how = {" "}(pay by bank transfer after the check)
apply-consent-heading = The worker's consent (代行申請)
apply-consent-business = Business applying:
apply-consent-status = Consent:
apply-consent-explain = Enter the worker's name, furigana, date of birth and email address and save, then ask for consent. When the worker agrees with the link in the email, you can submit. You may also upload a consent form (代行申請同意書) the worker signed under “Documents”.
apply-consent-ask = Email the worker to ask for consent
apply-returned-intro = You can change only the items the check found a problem with. Then press “Submit”.
apply-editable-intro = “Save draft” keeps what you typed, so you can continue later. When everything is filled in, press “Submit”.
apply-defect = To fix: { $defect }
apply-defect-comment = { $code } (the screener's comment: { $comment })
apply-not-entered = (not entered)
apply-choose = Please choose
apply-save = Save draft
apply-submit = Submit
apply-documents = Documents
apply-documents-technician = You need an identity document and a face photo (also your residence card if you are not a Japanese national, and copies of the qualifications you listed). JPEG, PNG or PDF, up to { $mb } MB each; the face photo as JPEG or PNG. Photos taken with a smartphone are fine.
apply-documents-business = You need a certificate of registered matters (登記事項証明書; for a sole proprietor, the notice of opening a business or similar) and, if you have a construction business permit, a copy of the permit notice. JPEG, PNG or PDF, up to { $mb } MB each. Photos taken with a smartphone are fine.
apply-document-row = { $kind }: { $name } ({ $size })
apply-document-kind = Type of document
apply-file = File
apply-upload = Upload the document
apply-summary = Your application
apply-documents-sent = Documents sent
apply-withdraw-heading = Withdraw the application
apply-withdraw-intro = If you no longer want this application, withdraw it. The details and documents of a withdrawn application are deleted after a while.
apply-withdraw = Withdraw the application

# The items of the form.
apply-hint-plan = Basic ¥2,500, detailed ¥4,900 (valid for 10 years)
apply-hint-name = Exactly as on your identity document.
apply-hint-furigana = Your name in katakana, as it is read (for example: ケンセツ タロウ; for a foreign name such as Nguyen Van An: グエン ヴァン アン).
apply-hint-birth-date = For example: 1985-04-01
apply-hint-nationality = For example: Japan, Vietnam, 日本, ベトナム
apply-hint-residence-card = Required if you are not a Japanese national. 2 letters, 8 digits, 2 letters (for example: AB12345678CD)
apply-hint-postal-code = For example: 100-0013
apply-hint-phone = For example: 090-1234-5678
apply-hint-email = We send the notice of registration (with the technician ID) here. If empty, we send it to the address of the application ID. When a business applies for a worker, the worker's own address is needed.
apply-hint-employer = The business ID (14 digits) of the business you work for. Leave it empty if you do not know it.
apply-hint-qualifications = One per line: the qualification and the date you got it (for example: 玉掛け技能講習 2015-06-01).
apply-hint-company-name = As registered (for a sole proprietor, the trade name or your name). For example: 株式会社 見本建設
apply-hint-company-furigana = In katakana.
apply-hint-sole-proprietor = A one-person contractor (一人親方, a sole proprietor with no employees) pays no registration fee.
apply-hint-capital = In yen, as a number (for example: 10,000,000). 0 for a sole proprietor without capital; a one-person contractor (一人親方) may leave it empty. The fee depends on the capital (valid for 5 years).
apply-hint-permit = For example: 東京都知事許可（般-5）第123456号. Leave it empty if you have no construction business permit.
apply-hint-trades = For example: 土木一式, とび・土工
apply-hint-contact = We send messages about the registration and the business ID to the address of the application ID.
apply-plan-basic = Basic (簡略型)
apply-plan-detailed = Detailed (詳細型)
apply-gender-male = Male
apply-gender-female = Female
apply-gender-other = Other / prefer not to say
apply-sole-company = Company or sole proprietor with employees
apply-sole-sole = One-person contractor (一人親方)
apply-insurance-enrolled = Enrolled in health insurance, pension insurance and employment insurance
apply-insurance-partly = Enrolled in some (including exemptions)
apply-insurance-none = Not enrolled

# The screener's reasons for 不備.

# Problems with what was typed.
apply-problem-too-long = “{ $label }” can have { NUMBER($max) ->
        [one] { $max } character
       *[other] { $max } characters
    } at most.
apply-problem-bad-characters = “{ $label }” contains characters that cannot be used.
apply-problem-required = Please fill in “{ $label }”.
apply-problem-choose = Please choose one for “{ $label }”.
apply-problem-residence-card-required = If you are not a Japanese national, enter your residence card number.
apply-problem-furigana = Write the furigana in katakana.
apply-problem-birth-date-format = Enter the date of birth as year, month and day, like “1985-04-01”.
apply-problem-birth-date-future = The date of birth is in the future.
apply-problem-too-young = Please check the date of birth (people under 15 cannot register).
apply-problem-too-old = Please check the year of birth.
apply-problem-postal-code = Enter the postal code as 7 digits (for example: 100-0013).
apply-problem-phone = Enter the phone number as 10 or 11 digits starting with 0.
apply-problem-residence-card = A residence card number has 12 characters: 2 letters, 8 digits, 2 letters (for example: AB12345678CD).
apply-problem-employer = A business ID has 14 digits. Leave it empty if you do not know it.
apply-problem-employer-technician = This is a technician ID. Enter the business ID of your employer.
apply-problem-email = This email address is not valid.
apply-problem-proxy-email-missing = When a business applies for a worker, the worker's own email address is needed (we ask for their consent and send the notice of registration there).
apply-problem-proxy-email-business = Enter the worker's own email address. The addresses of the business applying and of its administrator IDs (also with a “+” tag) cannot be used.
apply-problem-consent-needs-person = First enter the worker's name, furigana and date of birth, and save.

# What happened, on the application page.
apply-done-document = The document is uploaded
apply-done-withdrawn = The application is withdrawn
apply-done-withdrawn-line = Its details and documents are deleted after a while. To apply again, start a new application.
apply-done-consent = We emailed the worker to ask for consent
apply-done-consent-line = When the worker agrees with the link in the email, it shows on this page. We also email you the answer.
apply-done-saved = Your draft is saved
apply-done-saved-line = To continue at any time, log in with your application ID and open “Your applications”.
apply-done-submitted = Your application is received
apply-done-submitted-line = We will email you the result of the check. You can also see where it stands on this page.
apply-returned = Something in your application must be fixed
apply-returned-line = Fix the items shown in red, then press “Submit” again.
apply-returned-deadline = If you do not correct it and submit it again by { $date }, this application is deleted with the documents you sent (we also email you before then).
apply-approved = The check is complete
apply-approved-line = Please pay the registration fee of ¥{ $fee } by bank transfer. Put the application number “{ $id }” before the sender's name.
apply-issued = Registration is complete
apply-issued-proxy-line = We sent the technician ID to the worker's own email address. The initial password and security code are on the registration card sent to the worker. Only the worker logs in.
apply-issued-line = We sent your technician ID in the registration email. Your initial password and security code are on the registration card we post to you.
apply-to-technician-login = Technician login
apply-closed = This application is closed
apply-closed-line = It was withdrawn. Its details and documents are deleted after a while.
apply-rejected = We could not accept this application
apply-rejected-line = The screener's comment: { $reason }
apply-invalid = Please check what you typed ({ NUMBER($count) ->
        [one] { $count } item
       *[other] { $count } items
    })
apply-invalid-submit = The application is not submitted yet. Fix the items shown, then press “Submit” again.
apply-invalid-save = Nothing is saved yet. Fix the items shown, then press “Save draft” again.
apply-missing-documents = Documents needed for the application are not uploaded yet
apply-missing-documents-line = What you typed is not saved. Upload these documents under “Documents”, then press “Submit” again.
apply-missing-document = • { $document }
apply-no-consent = The worker's consent is not confirmed yet
apply-no-consent-line = What you typed is not saved. Applying for a worker needs their consent. Ask the worker with “Email the worker to ask for consent”, or upload a consent form (代行申請同意書) they signed, then press “Submit” again.
apply-already-registered = This person is already registered as a technician
apply-already-registered-line = A technician with the same name, furigana and date of birth is registered, so you cannot apply. If you do not know your technician ID, use “Forgot your ID?” with your registered email address.
apply-forgot-id = Forgot your ID?

# Documents.
apply-document-identity = Identity document (My Number card, driving licence, passport with a proof of address, or residence card)
apply-document-photo = Face photo (taken in the last 6 months; cannot be changed after registration)
apply-document-residence-card = Residence card (if you are not a Japanese national)
apply-document-qualification = Copy of a qualification certificate
apply-document-insurance = Document showing social insurance enrolment
apply-document-company-registry = Certificate of registered matters (登記事項証明書; for a sole proprietor, a copy of the notice of opening a business or the tax return)
apply-document-permit = Copy of the construction business permit notice
apply-document-proxy-consent = Consent form (代行申請同意書) signed by the worker
apply-document-other = Document
apply-file-not-allowed = This file cannot be accepted. Choose a JPEG or PNG image, or a PDF.
apply-file-unsent = The file could not be sent. Each file can be up to { $mb } MB.
apply-file-too-large = The file is too large. Each file can be up to { $mb } MB.
apply-file-cut = Sending stopped halfway. Please try again.
apply-file-none = Please choose a file.
apply-document-not-editable = Documents cannot be added to this application now.
apply-document-kind-none = Please choose the type of document.
apply-photo-not-image = Upload the face photo as a JPEG or PNG image.
apply-photo-too-small = The face photo is too small ({ $width }×{ $height } pixels). Choose a photo of at least { $min_width } pixels wide and { $min_height } pixels high.
apply-photo-sideways = Choose a face photo that is taller than it is wide (portrait).
apply-photo-unreadable = This image cannot be read. Choose a JPEG or PNG photo again.
apply-photo-too-old = This photo was taken on { $date }. Choose a face photo taken in the last 6 months.
apply-upload-failed = The document could not be uploaded
apply-upload-failed-saved = What you typed is saved as a draft.
apply-upload-failed-invalid = What you typed is not saved yet: fix { NUMBER($count) ->
        [one] the item
       *[other] the { $count } items
    } shown. Everything you typed is still on the form.
apply-document-added-anyway = The document is uploaded.
apply-done-document-line = What you typed is also saved as a draft.
apply-upload-saves = “Upload the document” also saves what you typed above as a draft.
apply-document-sent-count = sent: { $count }
apply-step-done = (done)
apply-required-foreign = Required if not a Japanese national
apply-required-unless-sole = Required unless one-person contractor
apply-document-short-identity = Identity document
apply-document-short-photo = Face photo
apply-document-short-residence-card = Residence card
apply-document-short-qualification = Qualification certificate
apply-document-short-insurance = Social insurance document
apply-document-short-company-registry = Certificate of registered matters
apply-document-short-permit = Construction permit notice
apply-document-short-proxy-consent = Consent form (代行申請同意書)
apply-photo-future = This photo is dated { $date }, which is in the future. Check the date setting of the camera, and choose a photo taken again.
apply-photo-impossible = This image claims a size no face photo has ({ $width }×{ $height } pixels), so it cannot be accepted. Choose a photo you took.
apply-photo-too-many-pixels = The face photo has too many pixels ({ $width }×{ $height }). Choose a photo of { NUMBER($megapixels) ->
        [one] { $megapixels } megapixel
       *[other] { $megapixels } megapixels
    } or fewer.
apply-problem-capital = Enter the capital as a number of yen (for example: 10,000,000). A sole proprietor without capital enters 0.
apply-problem-capital-too-large = This capital is too large. Check that it is in yen.

# Limits on applications and documents.
apply-too-many-applications = You cannot start another application: you already have { $max } under way
apply-too-many-applications-line = Continue one of the applications listed below. If you no longer need one, withdraw it, then start a new one.
apply-document-too-many-of-kind = An application can have { NUMBER($max) ->
        [one] only { $max } “{ $document }”
       *[other] up to { $max } of “{ $document }”
    }.
apply-document-too-many = An application can have up to { NUMBER($max) ->
        [one] { $max } document
       *[other] { $max } documents
    }.
apply-upload-too-fast = Too many documents were uploaded in a short time. Please wait about { NUMBER($minutes) ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }, then try again.

# Forgot your password? (the application login).
apply-reset-title = Reset your application password
apply-reset-intro = Enter your application ID (your email address). We email you a link to set a new application password.
apply-reset-send = Send the email
apply-reset-sent = If this address has an application ID, we sent it an email to reset the password
apply-reset-sent-open = Open the link in the email and set a new application password. The link works for { NUMBER($minutes) ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }.
apply-reset-sent-spam = If no email arrives, check your spam folder. No email is sent to an address that has no application ID.
apply-reset-new-title = Set a new application password
apply-reset-new-intro = Enter a new password for the application ID { $email }.
apply-reset-link-unusable-line = A password reset link works once and until it expires. Please ask for a new one.
apply-reset-again = Ask for a new reset link
apply-reset-done = Your application password is reset
apply-reset-done-sessions = For your safety, every login with this application ID was ended.

# Applying for a worker (代行申請) from the business portal.
apply-proxy-title = Apply for a technician (代行申請)
apply-proxy-intro = You can apply for technician registration on behalf of technicians you employ or technicians of your subcontractors.
apply-proxy-intro-consent = The worker must agree. From the application page, send the worker an email asking for consent, or upload a consent form (代行申請同意書) they signed.
apply-proxy-intro-login = When registration is complete, we send the technician ID to the worker's email address, and the initial password and security code on a registration card addressed to the worker. Only the worker logs in.
apply-proxy-open = Open the application page
apply-consent-failed = Consent could not be requested
apply-consent-too-many = Consent was requested too many times
apply-consent-too-many-line = Please wait a while, then try again.
apply-consent-not-possible = Consent cannot be requested for this application now

# The worker's consent, as it stands.
apply-consent-given = The worker agreed ({ $at }, { $email })
apply-consent-by-document = A signed consent form (代行申請同意書) was uploaded
apply-consent-refused = The worker did not agree. This application cannot be submitted
apply-consent-expired = The request for consent expired. Please ask again
apply-consent-waiting = Waiting for the worker's answer (asked at { $email })
apply-consent-not-asked = Consent has not been requested yet

# The worker's consent page from the mailed link.
apply-consent-title = Consent to an application on your behalf (代行申請)
apply-consent-lead = wants to apply for your technician registration on your behalf (代行申請, application no. { $number }).
apply-consent-your-data = Your details in the application
apply-consent-note-issued = When registration is complete, we send your technician ID to your email address, and your initial password and security code on your registration card.
apply-consent-note-yours = Only you log in and choose your password. The business that applied cannot know your password.
apply-consent-note-again = If your name, date of birth or email address changes, we will ask for your consent again.
apply-consent-yes = I agree
apply-consent-no = I do not agree
apply-consent-gone = This link has expired or has already been answered
apply-consent-gone-line = If consent is needed again, ask the business that applied to send the email again.
apply-to-site-top = Home page
apply-consented = You agreed to the application
apply-consented-line = When registration is complete, we send your technician ID to this email address. Your initial password and security code come on your registration card.
apply-declined = You did not agree to the application
apply-declined-line = This application can no longer be submitted. We have told the business that applied.
