# account (en): what a logged-in person sees about their own account, and the login page's notices.
account-current-password-wrong = The current password is wrong.
account-to-menu = To the menu

# Changing the registered email address.
account-email-title = Change email address
account-email-heading = Change your registered email address
account-email-current = Your registered email address now: { $email }
account-email-intro = We will send a confirmation email to the new address. The change is made when you open the link in that email, and we tell your old address too. We recommend an address you can keep when you change jobs, rather than a work address.
account-email-new = New email address
account-email-send = Send the confirmation email
account-email-same = This is already your registered email address.
account-email-sent = Confirmation email sent
account-email-sent-to = We have sent a confirmation email to { $email }.
account-email-sent-open = Open the link in the email to finish the change. The link works for { NUMBER($minutes) ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }. Until then, your old address stays registered.
account-email-what = changing your email address
account-email-again = Log in and request the email change again
account-email-confirm-title = Confirm your new email address
account-email-confirm-intro = The registered email address of { $id_kind } { $id } will be changed to { $email }.
account-email-confirm-submit = Confirm the change
account-email-changed = Your email address is changed
account-email-changed-to = Your registered email address is now { $email }.
account-email-changed-old = We have also told your old address about the change.

# Logged-in devices.
account-sessions-intro = These are the devices (browsers) where this account is logged in now. If you see a device you do not know, log out your other devices and change your password.
account-sessions-since = Logged in
account-sessions-last-seen = Last used
account-sessions-this-device = {" "}(this device)
account-sessions-end-others = Log out all other devices ({ $count })
account-sessions-ended = Your other devices were logged out ({ $count }).

# Passkeys.
account-passkeys-intro = With a passkey, you log in with the fingerprint, face recognition or screen lock of your smartphone or computer, without typing your ID and password. Your password still works.
account-passkeys-intro-staff = With a passkey, you confirm your login with a passkey (fingerprint, face recognition, screen lock or a security key) instead of the code from the authenticator app. You still need your staff ID and password. Adding and removing passkeys is recorded in the audit log.
account-passkeys-none = No passkeys are registered.
account-passkeys-name = Name
account-passkeys-created = Registered
account-passkeys-last-used = Last used
account-passkeys-action = Action
account-passkeys-remove = Remove ({ $name })
account-passkeys-register = Register a passkey
account-passkeys-name-label = Passkey name
account-passkeys-default-name = Passkey
account-passkeys-name-hint = Choose a name that tells you which device it is on (for example: work smartphone).
account-passkeys-needs-script = Registering a passkey needs a browser with JavaScript turned on.
account-passkeys-unavailable = Passkeys cannot be used with this site's settings (the public URL needs a domain name).
account-passkeys-added = Passkey registered
account-passkeys-added-line = From now on, you can log in just by choosing your passkey on the login page. We have also told your registered email address.
account-passkeys-removed = Passkey removed
account-passkeys-add-failed = The passkey could not be registered
account-passkeys-js-failed = The passkey could not be registered. Please try again.
account-passkey-expired = Too much time passed, so the registration could not be finished. Please try again.
account-passkey-not-finished = The registration could not be finished. Please try again.
account-passkey-not-created = The passkey could not be created. Please try again.
account-passkey-not-verified = The passkey could not be checked. Please try again.
account-passkey-already = This passkey is already registered.

# The login page's notices.
account-timed-out-line = You did nothing for a while, or you logged in a long time ago, so you were logged out automatically for your safety.
account-timed-out-line-back = You did nothing for a while, or you logged in a long time ago, so you were logged out automatically for your safety. After you log in, you return to the page you were on.
account-logged-out = You are logged out.
account-locked = This ID is locked now
account-locked-forever = This lock does not end by itself. Please ask the helpdesk to unlock it.
account-locked-until = The lock ends by itself at { $until } (Japan time). Please wait until then, and log in again.
account-locked-why = After several wrong passwords in a row, logging in is stopped for a while, for your safety. While the ID is locked, you cannot log in even with the right password.
account-locked-mail = If this ID is registered, we have emailed a lock notice to its registered address. You can also unlock it at once with the link in that email.
account-locked-help = Cannot unlock it, for example because no email arrives?
account-busy = Logins are very busy right now
account-busy-again = Please wait a few seconds, then press “Log in” again. Type your password again, too.
account-busy-not-counted = This try is not counted as a failed login.
account-busy-checking = The site is busy, so your browser is being checked. Please wait.
account-rate-limited = Too many login attempts
account-rate-limited-line = Many logins were tried in a short time, so logins from this connection are limited for now. Please wait a while and try again.
account-disabled = This administrator ID is stopped
account-disabled-line = The owner or a tier manager of your business has stopped this ID. Please ask your business's administrator to resume it.
account-passkey-login-failed = You could not log in with the passkey
account-passkey-login-failed-line = Check that the passkey was registered at this login page. You can also log in with your ID and password.
account-passkey-login-failed-js = You could not log in with the passkey. Please try again, or log in with your ID and password.

# The menu after a password was set.
account-password-set = Your password is set.
account-password-set-line = From next time, log in with the new password. Your other devices were logged out.
account-home-org = { $business } (business ID { $id }) / { $role }, { $place }
