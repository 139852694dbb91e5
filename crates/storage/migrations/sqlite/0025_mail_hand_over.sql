-- A mail's hand-over to its transport is recorded before the point of no return (the SMTP
-- end-of-data dot, the rename of a mail file), so that a worker killed after it never sends
-- the mail again. Status 'handed_over': recorded, not yet confirmed. `handed_over_at` is when
-- it was recorded; `mail_file` names the `.eml` file of the file transport, whose rename a
-- restarted worker finishes. (Version 25.)
ALTER TABLE mail_outbox ADD COLUMN handed_over_at BIGINT;
ALTER TABLE mail_outbox ADD COLUMN mail_file TEXT;
