# org (en): a business's organisation (tiers, administrator IDs), its technicians, and employers.

# Roles, places and states.
org-role-owner = Business owner
org-role-tier-manager = Tier manager
org-role-site-manager = Site manager
org-role-proxy-clerk = Proxy registration clerk
org-place-business = Whole business
org-place-tier = Tier { $level } “{ $name }”
org-tier-place-top = Under the whole business (tier 1)
org-tier-place-under = Under tier { $level } “{ $name }” (tier { $next })
org-status-active = In use
org-status-stopped = Stopped
org-status-locked = Locked
org-business-line = { $name } (business ID { $id })
org-manager-id = Administrator ID
org-technician-id = Technician ID
org-paren-open = {" "}(
org-paren-close = )

# 組織と管理者ID.
org-title = Organisation and administrator IDs
org-business = Business
org-you = You
org-me = { $name } ({ $role }, { $place })
org-intro = Each person has their own administrator ID. Everyone logs in with their own password, and each person's access history is kept separately. Only the person can set their password (if they forget it, you can send them a reset email from here).
org-heading = Organisation
org-no-members = No administrator IDs yet.
org-member-open = {" "}({ $role }, administrator ID
org-new-tier = Create a tier
org-tier-parent = Where
org-tier-name = Tier name
org-tier-name-hint = For example: Tokyo Branch, Construction Dept. 1. Up to 3 levels of tiers.
org-new-member = Issue an administrator ID
org-new-member-intro = When you issue one, we email the person their administrator ID and a link to set their password. Their security code (4 digits) is shown only once on the next page: give it to them yourself.
org-name = Name
org-member-email = Email address (the person's own)
org-role = Role
org-member-tier = Tier
org-audit = Record of actions
org-audit-empty = Nothing recorded yet.
org-audit-at = Time
org-audit-actor = Done by
org-audit-action = Action
org-audit-detail = Details
org-tier-created = The tier was created
org-tier-failed = The tier could not be created
org-member-failed = The administrator ID could not be issued

# What a form says is wrong.
org-tier-name-empty = Enter a tier name.
org-tier-name-too-long = The tier name can be up to { NUMBER($max) ->
        [one] { $max } character
       *[other] { $max } characters
    }.
org-name-empty = Enter a name.
org-name-too-long = The name can be up to { NUMBER($max) ->
        [one] { $max } character
       *[other] { $max } characters
    }.
org-tier-too-deep = Tiers go down to tier 3 only.
org-tier-manager-needs-tier = A tier manager needs a tier to manage. Choose one.
org-email-invalid = This email address is not valid.
org-member-stopped = This administrator ID is stopped. Resume it first.

# A 管理者ID just issued.
org-issued-title = Administrator ID issued
org-issued = The administrator ID for { $name } was issued
org-issued-mail = We emailed { $email } the administrator ID and a link to set the password.
org-issued-id = Administrator ID (管理者ID): { $id }
org-issued-code = Security code (4 digits): { $code } — give it to the person yourself. It is needed to change the password. Once you close this page, it cannot be shown again.
org-to-member = To { $name }'s page
org-back = Back to Organisation and administrator IDs

# One person's page.
org-member-title = { $name } (administrator ID)
org-email = Email address
org-tier = Tier
org-status = Status
org-actions = Actions
org-actions-intro = Only the person can set their password. If they forget it, send a reset email to their registered address. Every action is recorded in their access history and in the record of actions.
org-do-reset = Send a password reset email
org-do-unlock = Unlock
org-do-disable = Stop this ID
org-do-enable = Resume this ID
org-member-history = Access history (latest 50)
org-done-disable = The ID was stopped
org-done-disable-line = Every device logged in with this administrator ID was logged out. It cannot log in until it is resumed.
org-stop-heading = Stopping this ID
org-stop-intro = Stopping { $name }'s administrator ID logs out every device using it, and it cannot log in until it is resumed. The reason is kept in the record of actions.
org-stop-reason = Reason for stopping
org-stop-reason-hint = For example: left the company, moved to another office
org-stop-confirm = Stop { $name }'s administrator ID
org-stop-failed = The ID was not stopped
org-stop-needs-reason = Enter the reason for stopping.
org-stop-needs-confirm = To confirm, tick the box to stop this administrator ID.
org-role-hint = The role that can do the least is chosen first. Choose only the role the person needs.
org-refused-tier = You may not add a tier here. You can add tiers only under your own tier.
org-refused-member = You may not issue an administrator ID with this role or in this place. You can issue only the roles offered to you, in your own tier and below.
org-refused-person = You may not do this to this administrator ID. You can act only on people below your own tier.
org-refused-affiliation = Only the business's 事業者責任者 (owner) and tier managers can manage technicians' affiliations.
org-done-enable = The ID was resumed
org-done-reset = The password reset email was sent
org-done-reset-line = It went to the person's registered address. They open the link and set their own password.
org-done-unlock = The lock was lifted

# 所属技能者 (the business's page).
org-technicians-title = Our technicians
org-technicians-intro = You can see the name, furigana and date of birth of your technicians. Of other technicians, you see only their name and furigana, and only if they chose to show them.
org-technicians-empty = No technicians yet.
org-furigana = Furigana
org-birth-date = Date of birth
org-column-action = Action
org-end-affiliation = Remove from our technicians ({ $id })
org-request = Ask a technician to join
org-request-intro = Enter a technician ID and send a request. When the technician logs in and accepts, they become one of your technicians.
org-request-send = Send the request
org-pending = Requests waiting for an answer
org-basis-employer = Our technician
org-basis-disclosed = Shown by the technician
org-basis-private = Hidden by the technician's setting
org-request-sent = The request was sent
org-request-sent-line = When the holder of that technician ID logs in and accepts, they become one of your technicians.
org-ended = The technician is no longer one of your technicians
org-request-failed = The request could not be sent
org-already-ours = This technician is already one of your technicians.
org-too-many-requests = Too many requests. Please wait a while and try again.
org-request-not-technician = Enter a technician ID (requests cannot go to business IDs or administrator IDs).
org-request-malformed = A technician ID has 14 digits. Please check what you typed.

# 所属事業者と情報の開示 (the technician's page).
org-affiliation-title = Employer and disclosure
org-employer = Your employer
org-employer-sees = Your employer can see your name, furigana and date of birth.
org-leave = Leave this employer
org-no-employer = You have no employer registered.
org-requests = Requests from businesses
org-no-requests = No requests.
org-request-from = Request from { $business }
org-request-line = asks to register you as one of its technicians ({ $at }).
org-request-explain = If you accept, this business becomes your employer and can see your name, furigana and date of birth. If you have another employer now, that business stops being your employer.
org-accept = Accept
org-decline = Decline
org-disclosure = Disclosure
org-disclosure-intro = Choose whether businesses other than your employer may see your name and furigana. Your date of birth is never shown to them.
org-disclosure-legend = Show to other businesses
org-disclosure-private = Hide (show nothing but my ID)
org-disclosure-public = Show (my name and furigana)
org-disclosure-save = Save the setting
org-accepted = You accepted the request
org-declined = You declined the request
org-left = You left your employer
org-disclosure-saved = Your disclosure setting was saved
