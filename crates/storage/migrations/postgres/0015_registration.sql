-- Registration: applicants (申請用ID: an email address confirmed by a mailed link, and a
-- password), their sessions, their applications item by item, and the screeners' 不備.
CREATE TABLE applicants (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE applicant_tokens (
    token_hash TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);

CREATE TABLE applicant_sessions (
    token_hash TEXT PRIMARY KEY,
    applicant_id BIGINT NOT NULL REFERENCES applicants(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX applicant_sessions_by_applicant ON applicant_sessions(applicant_id);

CREATE TABLE applications (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    applicant_id BIGINT NOT NULL REFERENCES applicants(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    person_key TEXT NOT NULL DEFAULT '',
    fee_yen BIGINT NOT NULL DEFAULT 0,
    payment_reference TEXT NOT NULL DEFAULT '',
    paid_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    submitted_at BIGINT,
    decided_at BIGINT,
    account_id BIGINT REFERENCES accounts(id)
);
CREATE INDEX applications_by_applicant ON applications(applicant_id);
CREATE INDEX applications_by_status ON applications(status, submitted_at);
CREATE INDEX applications_by_person ON applications(person_key);

CREATE TABLE application_fields (
    application_id BIGINT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (application_id, field)
);

CREATE TABLE application_defects (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    field TEXT NOT NULL,
    code TEXT NOT NULL,
    comment TEXT NOT NULL,
    raised_at BIGINT NOT NULL,
    resolved_at BIGINT
);
CREATE INDEX application_defects_by_application ON application_defects(application_id);

-- Documents (identity document, face photo…): the file in the attachments folder (and, on
-- PostgreSQL, its bytes in attachment_blobs), typed by content.
CREATE TABLE application_documents (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    stored_name TEXT NOT NULL UNIQUE,
    original_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    uploaded_at BIGINT NOT NULL
);
CREATE INDEX application_documents_by_application ON application_documents(application_id);

-- People are matched by フリガナ (folded) and birth date when an application comes in.
CREATE INDEX accounts_by_person ON accounts(furigana_key, birth_date);
