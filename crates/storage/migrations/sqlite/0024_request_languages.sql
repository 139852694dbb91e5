-- The language a request without an account was made in, for the mails that answer it later
-- (absent: Japanese): an inquiry (the helpdesk's reply) and an application (its screening).
CREATE TABLE inquiry_languages (
    inquiry_id INTEGER PRIMARY KEY REFERENCES inquiries(id) ON DELETE CASCADE,
    lang TEXT NOT NULL
);
CREATE TABLE application_languages (
    application_id INTEGER PRIMARY KEY REFERENCES applications(id) ON DELETE CASCADE,
    lang TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
