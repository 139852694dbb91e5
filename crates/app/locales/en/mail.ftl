# mail (en): the mails not in core.ftl.
mail-id-line = Your { $id_kind }: { $id }

mail-registered-subject = Your registration is complete
mail-registered-technician = Your registration as a technician is complete.
mail-registered-business = Your registration as a business is complete.
mail-registered-first-login = For your first login, use the initial password you received at registration. After logging in, you enter your 4-digit security code (本人確認番号) and change the password to your own.
mail-registered-keep = Please keep this email: it tells you your ID if you forget it.

mail-role-owner = business owner (事業者責任者)
mail-role-tier-manager = tier manager (階層管理者)
mail-role-site-manager = site manager (現場管理者)
mail-role-proxy-clerk = proxy registration clerk (代行登録担当者)
mail-invitation-subject = Your administrator ID was issued
mail-invitation-issued = An administrator ID (管理者ID) of the Construction Career Up System was issued for you as { $role } of { $business }.
mail-invitation-open = Open this link and set your own password (the link works for { NUMBER($minutes) ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }, once).
mail-invitation-expired = If the link has expired, use “Forgot your password?” on the login page with your administrator ID and this email address.
mail-invitation-nobody-knows = Nobody but you can know your password (not the administrators of your business, not the helpdesk).
mail-invitation-code = Get your 4-digit security code (本人確認番号) directly from the person who issued your ID. You need it to change your password.

mail-inquiry-received-subject = We received your inquiry
mail-inquiry-received = We received your inquiry.
mail-inquiry-receipt = Receipt number: { $receipt }
mail-inquiry-category = Type: { $category }
mail-inquiry-category-id = Your ID
mail-inquiry-category-password = Password or lock
mail-inquiry-category-email = Change of registered email address
mail-inquiry-category-other = Other
mail-inquiry-due = Expected answer: by { $due } (we answer on weekdays only)
mail-inquiry-answers = The helpdesk will answer to this address. The helpdesk never asks for your password.
mail-inquiry-faq = Frequently asked questions: { $url }
mail-inquiry-reply-subject = Answer to your inquiry
mail-inquiry-reply-intro = This is the answer to your inquiry (receipt number: { $receipt }).
mail-inquiry-reply-more = Replies to this email are not read. For further questions, use the contact form and add your receipt number.

mail-email-confirm-subject = Confirm your new email address
mail-email-confirm-received = We received a request to change your registered email address to this address.
mail-email-confirm-open = Open this link to confirm the change.
mail-email-confirm-ttl = The link works for { NUMBER($minutes) ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }.
mail-email-confirm-not-you = If this was not you, delete this email.
mail-email-changed-subject = Your registered email address was changed
mail-email-changed-line = The registered email address of { $id_kind } { $id } was changed. From now on, we send mail to the new address.
mail-email-changed-not-you = If this was not you, contact the helpdesk at once: { $helpdesk }

mail-applicant-confirm-subject = Create your application ID (confirm your email address)
mail-applicant-confirm-intro = To start an application to the Construction Career Up System, an application ID (申請用ID) is made with this email address.
mail-applicant-confirm-open = Open this link and choose a password for your application (the link works for { NUMBER($hours) ->
        [one] { $hours } hour
       *[other] { $hours } hours
    }, once).
mail-applicant-confirm-not-you = If this was not you, delete this email. No application ID is made.
mail-applicant-exists-subject = Your application ID already exists
mail-applicant-exists-line = An application ID (申請用ID) already exists for this email address.
mail-applicant-exists-login = Log in at this page with your email address and your application password, and continue your application.
mail-applicant-exists-not-you = If this was not you, delete this email.
mail-applicant-reset-subject = Reset your application password
mail-applicant-reset-intro = We received a request to reset the password of the application ID (申請用ID) of this email address.
mail-applicant-reset-open = Open this link and choose a new application password (the link works for { NUMBER($minutes) ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }, once).
mail-applicant-reset-not-you = If this was not you, delete this email. Your password does not change.
mail-applicant-password-changed-subject = Your application password was reset
mail-applicant-password-changed-line = The password of the application ID (申請用ID) of this email address was reset.
mail-applicant-password-changed-sessions = For your safety, every login with this application ID was ended. Log in with the new password.
mail-applicant-password-changed-not-you = If this was not you, reset the password at once on this page, and tell us with the inquiry form.

mail-application-status = Your application: { $url }
mail-application-received-subject = We received your application
mail-application-received-technician = We received your application for technician registration (application number { $number }).
mail-application-received-business = We received your application for business registration (application number { $number }).
mail-application-received-results = We will tell you the result of the check by email. You can see where your application stands at any time on this page.
mail-application-received-fee = Registration fee: { $fee } yen (you pay it after the check is complete)

mail-returned-subject = Please correct your application
mail-returned-line = The check of your application (application number { $number }) found problems in these items:
mail-returned-item = - { $field }: { $code }
mail-returned-item-comment = - { $field }: { $code } (the screener's comment: { $comment })
mail-returned-fix = Log in with your application ID, correct only these items, and press “Submit” again.
mail-returned-deadline = If the application is not corrected and submitted again by { $date }, it is deleted with the documents you sent.
mail-returned-expiring-subject = Your application with problems will soon be deleted
mail-returned-expiring-line = Your application (application number { $number }) was returned with problems to correct, and has not been submitted again.
mail-returned-expiring-when = If it is not corrected and submitted again by { $date }, it is deleted with the documents you sent. To register after that, start a new application.
mail-rejected-subject = We could not accept your application
mail-rejected-line = After checking your application (application number { $number }), we could not accept it.
mail-rejected-reason = The screener's comment: { $reason }
mail-rejected-after = The details and documents of this application are deleted after a while. For questions, contact { $helpdesk }.

mail-approved-subject = Check complete: please pay the registration fee
mail-approved-line = The check of your application (application number { $number }) is complete.
mail-approved-pay = Please pay the registration fee of { $fee } yen by bank transfer. Put the application number “{ $number }” before the payer's name.
mail-approved-then = When we confirm the payment, your registration is complete and we send you your ID.

mail-consent-subject = Please consent to a technician registration applied for you
mail-consent-line = { $business } wants to apply for your technician registration in the Construction Career Up System on your behalf (代行申請).
mail-consent-open = Open this link, check the application, and choose whether you agree (the link works for { NUMBER($days) ->
        [one] { $days } day
       *[other] { $days } days
    }).
mail-consent-after = When the registration is complete, your technician ID is sent to this email address, and your initial password and security code come to you on the registration card. Only you can log in.
mail-consent-not-you = If you do not know about this, open the link and choose “I do not agree”, or delete this email.
mail-consent-yes-subject = The worker agreed to your proxy application
mail-consent-no-subject = The worker did not agree to your proxy application
mail-consent-about = About your proxy application (application number { $number }, { $worker })
mail-consent-yes-line = The worker agreed to the proxy application. When the documents are ready, press “Submit”.
mail-consent-no-line = The worker did not agree to the proxy application. It cannot be submitted. Please talk with the worker.

mail-proxy-issued-subject = Registration of your proxy application is complete
mail-proxy-issued-line = The registration of the proxy application (application number { $number }) is complete.
mail-proxy-issued-id = Technician ID of { $worker }: { $id }
mail-proxy-issued-secrets = The initial password and the security code are sent to the worker on the registration card. Only the worker logs in and sets the password.

mail-card-reissued-subject = We made a new registration card
mail-card-reissued-line = We made a new registration card for { $id_kind } { $id }. The new initial password (初期パスワード) and security code (本人確認番号) are on the new card we post to you.
mail-card-reissued-old = The initial password and security code on the earlier card no longer work.
mail-card-reissued-not-you = If you did not expect this, contact { $helpdesk } at once.

mail-affiliation-requested-subject = A business asks you to join it
mail-affiliation-requested-line = { $business } asks to register you as one of its technicians.
mail-affiliation-requested-how = Log in with your technician ID and choose to accept or decline on “{ $page }”.
mail-affiliation-requested-disclose = If you accept, this business can see your name, name in katakana and date of birth.
mail-affiliation-changed-subject = News about your technicians
mail-affiliation-accepted = Technician { $name } (technician ID { $id }) accepted your request.
mail-affiliation-declined = Your request to technician ID { $id } was declined.
mail-affiliation-moved-away = Technician { $name } (technician ID { $id }) joined another business and is no longer one of your technicians.
mail-affiliation-left = Technician { $name } (technician ID { $id }) left your business.
mail-affiliation-technicians = Your technicians: { $url }
mail-affiliation-ended-subject = You are no longer registered with your employer
mail-affiliation-ended-line = You are no longer registered with { $business }. This business can no longer see your information as one of its technicians.
mail-affiliation-ended-check = If you do not know about this, log in and check.

mail-passkey-added-subject = A passkey was added
mail-passkey-removed-subject = A passkey was removed
mail-passkey-added = The passkey “{ $name }” was added to your { $id_kind }.
mail-passkey-removed = The passkey “{ $name }” was removed from your { $id_kind }.
mail-passkey-not-you = If this was not you, log in at once, check your list of passkeys, and change your password.
