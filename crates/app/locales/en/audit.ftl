# The audit log of every actor: actions (audit-<code>), who acted, and the details.
audit-login = Logged in
audit-logout = Logged out
audit-login-failed = Failed to log in
audit-staff-disable = Stopped a staff member
audit-staff-enable = Resumed a staff member
audit-password-set = Set own password
audit-passkey-add = Registered own passkey
audit-passkey-remove = Removed own passkey
audit-account-passkey-remove = Removed a passkey
audit-send-id = Sent the ID to the registered address
audit-unlock = Unlocked
audit-reset = Sent a password reset email
audit-email = Changed the registered email address
audit-inquiry-status = Changed an inquiry's status
audit-inquiry-note = Added a note to an inquiry
audit-inquiry-reply = Replied to an inquiry
audit-file-download = Downloaded an attachment
audit-operations-maintenance = Scheduled maintenance
audit-operations-cancel = Cancelled maintenance
audit-operations-notice = Published a notice
audit-operations-faq = Added an FAQ entry
audit-registration-return = Returned an application with problems (不備)
audit-registration-approve = Approved an application
audit-registration-paid = Confirmed a registration fee payment
audit-registration-issue = Completed a registration (issued the ID)
audit-registration-document = Opened an application document
audit-registration-correct = Corrected an application (checked against documents)
audit-registration-reject = Refused an application
audit-registration-reissue = Made a registration card again (initial password and security code)
audit-org-tier-created = Tier created
audit-org-member-issued = Administrator ID issued
audit-org-member-disabled = ID stopped
audit-org-member-enabled = ID resumed
audit-org-reset-sent = Password reset email sent
audit-org-unlocked = Lock lifted
audit-org-history-viewed = Access history viewed
audit-org-affiliation-requested = Request to join sent
audit-org-affiliation-ended = Technician removed
audit-site-registered = Site registered
audit-site-edited = Site details changed
audit-site-closed = Site closed
audit-site-reopened = Site reopened
audit-site-requested = Contractor chain request sent
audit-site-placed = Registered in a contractor chain (standing agreement)
audit-site-approved = Contractor chain request approved
audit-site-declined = Contractor chain request declined
audit-site-cancelled = Removed from a contractor chain
audit-agreement-offered = Standing agreement offered
audit-agreement-accepted = Standing agreement accepted
audit-agreement-declined = Standing agreement declined
audit-agreement-ended = Standing agreement ended
audit-roster-listed = Added to a worker roster
audit-roster-updated = Worker roster entry changed
audit-roster-removed = Removed from a worker roster
audit-pattern-saved = Pattern saved
audit-pattern-deleted = Pattern deleted
audit-site-corrected = Contractor chain corrected

# Who acted.
audit-actor-person = { $name } ({ $id })
audit-actor-operator = Command line (ccus admin)
audit-actor-unrecognised = { $id } (no such staff member)

# Details.
audit-detail-connection = { $address } { $browser }
audit-detail-sign-in-refused = { $address } { $browser } ({ $why })
audit-refusal-locked = locked
audit-refusal-wrong-password-now-locked = wrong password; now locked
audit-refusal-wrong-password = wrong password
audit-refusal-no-such-staff-id = no such staff ID
audit-refusal-wrong-passkey = wrong passkey
audit-refusal-wrong-code = wrong code
audit-refusal-stopped = stopped
audit-detail-initial-password = Initial password replaced
audit-detail-staff-member = Staff ID { $staff_id }
audit-detail-passkey = Passkey “{ $name }”
audit-detail-sent-to = Sent to { $email }
audit-detail-unlocked = ID locked: { $id ->
        [yes] yes
       *[no] no
    }; own browsers locked: { $count }
audit-detail-email-changed = { $old } → { $new } (passkeys removed: { $count })
audit-detail-inquiry = Inquiry { $receipt }
audit-detail-inquiry-status = Inquiry { $receipt }: { $status }
audit-detail-inquiry-reply = Inquiry { $receipt }: reply to { $email }
audit-detail-inquiry-file = Attachment { $file } “{ $name }”
audit-detail-maintenance-window = Maintenance { $id }: { $from } – { $to }
audit-detail-maintenance-cancelled = Maintenance { $id }
audit-detail-notice = Notice { $id }: { $title }
audit-detail-faq = FAQ { $id }: { $question }
audit-detail-faq-translation = FAQ { $id } ({ $lang } of { $of }): { $question }
audit-detail-application = Application { $id }
audit-detail-returned = Application { $id } ({ $defects })
audit-defect = { $field }: { $defect }
audit-list-separator = {"; "}
audit-detail-payment = Application { $id } (transfer { $reference })
audit-detail-id-issued = Application { $id } → { $kind } { $login_id }
audit-detail-document = Application { $id }: { $document } ({ $name })
audit-detail-corrected = Application { $id }: { $field } “{ $old }” → “{ $new }”
audit-detail-card-reissued = Application { $id } → { $kind } { $login_id }: new initial password and security code (the old ones no longer work)
audit-with-reason = { $detail }, reason: { $reason }
audit-detail-tier = Tier { $level } “{ $name }” (under: { $parent })
audit-detail-member-issued = { $name } ({ $id }) as { $role } in { $place }
audit-detail-person = { $name } ({ $id })
audit-detail-technician = Technician ID { $id }
audit-detail-site = Site ID { $site } “{ $name }”
audit-detail-site-placement = Site ID { $site } “{ $name }”: { $business } (business ID { $id })
audit-detail-site-worker = Site ID { $site } “{ $name }”: technician ID { $id }
audit-detail-agreement = { $business } (business ID { $id })
audit-detail-agreement-proxy = { $business } (business ID { $id }), including acting on behalf
audit-detail-pattern = { $kind } “{ $name }” ({ NUMBER($count) ->
        [one] { $count } entry
       *[other] { $count } entries
    })
audit-detail-site-moved = Site ID { $site }: business ID { $id } moved from below business ID { $from } to below business ID { $to }
