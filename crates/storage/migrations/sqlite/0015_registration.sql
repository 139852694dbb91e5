-- Registration: applicants (申請用ID: an email address confirmed by a mailed link, and a
-- password), their sessions, their applications item by item, and the screeners' 不備.
CREATE TABLE applicants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE applicant_tokens (
    token_hash TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);

CREATE TABLE applicant_sessions (
    token_hash TEXT PRIMARY KEY,
    applicant_id INTEGER NOT NULL REFERENCES applicants(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
);
CREATE INDEX applicant_sessions_by_applicant ON applicant_sessions(applicant_id);

CREATE TABLE applications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    applicant_id INTEGER NOT NULL REFERENCES applicants(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    person_key TEXT NOT NULL DEFAULT '',
    fee_yen INTEGER NOT NULL DEFAULT 0,
    payment_reference TEXT NOT NULL DEFAULT '',
    paid_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    submitted_at INTEGER,
    decided_at INTEGER,
    account_id INTEGER REFERENCES accounts(id)
);
CREATE INDEX applications_by_applicant ON applications(applicant_id);
CREATE INDEX applications_by_status ON applications(status, submitted_at);
CREATE INDEX applications_by_person ON applications(person_key);

CREATE TABLE application_fields (
    application_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (application_id, field)
);

CREATE TABLE application_defects (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    field TEXT NOT NULL,
    code TEXT NOT NULL,
    comment TEXT NOT NULL,
    raised_at INTEGER NOT NULL,
    resolved_at INTEGER
);
CREATE INDEX application_defects_by_application ON application_defects(application_id);

-- Documents (identity document, face photo…): the file in the attachments folder (and, on
-- PostgreSQL, its bytes in attachment_blobs), typed by content.
CREATE TABLE application_documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    stored_name TEXT NOT NULL UNIQUE,
    original_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    uploaded_at INTEGER NOT NULL
);
CREATE INDEX application_documents_by_application ON application_documents(application_id);

-- People are matched by フリガナ (folded) and birth date when an application comes in.
CREATE INDEX accounts_by_person ON accounts(furigana_key, birth_date);
