-- Operations from the command line are audited too: an entry names either a staff member or
-- another actor (e.g. the CLI). SQLite cannot drop NOT NULL in place, so the table is rebuilt.
CREATE TABLE audit_log_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at BIGINT NOT NULL,
    staff_pk BIGINT REFERENCES staff(id),
    actor TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    account_id BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
    reason TEXT NOT NULL,
    detail TEXT NOT NULL
);
INSERT INTO audit_log_new (id, at, staff_pk, action, account_id, reason, detail)
    SELECT id, at, staff_pk, action, account_id, reason, detail FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log_new RENAME TO audit_log;
CREATE INDEX audit_by_time ON audit_log(at);
