-- Operations from the command line are audited too: an entry names either a staff member or
-- another actor (e.g. the CLI).
ALTER TABLE audit_log ALTER COLUMN staff_pk DROP NOT NULL;
ALTER TABLE audit_log ADD COLUMN actor TEXT NOT NULL DEFAULT '';
