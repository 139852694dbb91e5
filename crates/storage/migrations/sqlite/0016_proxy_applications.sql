-- 代行申請: a business applies for its workers through an application login tied to its
-- 事業者ID (reached from its portal, never by password), and each such application carries
-- the worker's consent, asked for by a mailed link (or given as an uploaded 同意書).
ALTER TABLE applicants ADD COLUMN business_account_id INTEGER REFERENCES accounts(id);
CREATE UNIQUE INDEX applicants_by_business ON applicants(business_account_id);

CREATE TABLE application_consents (
    application_id INTEGER PRIMARY KEY REFERENCES applications(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    requested_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    answer TEXT NOT NULL DEFAULT '',
    answered_at INTEGER,
    answered_from TEXT NOT NULL DEFAULT ''
);
