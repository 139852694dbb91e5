-- Which delivery worker (instance id) holds a mail's claim, so that a restarted instance can
-- release its own unfinished claims at once instead of waiting for their leases to run out,
-- and a worker renews only the claims it holds. (Version 12.)
ALTER TABLE mail_outbox ADD COLUMN claimed_by TEXT;
