-- The language a request without an account was made in, for the mails that answer it later
-- (absent: Japanese): an inquiry (the helpdesk's reply) and an application (its screening).
CREATE TABLE inquiry_languages (
    inquiry_id BIGINT PRIMARY KEY REFERENCES inquiries(id) ON DELETE CASCADE,
    lang TEXT NOT NULL
);
CREATE TABLE application_languages (
    application_id BIGINT PRIMARY KEY REFERENCES applications(id) ON DELETE CASCADE,
    lang TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
