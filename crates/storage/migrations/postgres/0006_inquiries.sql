CREATE TABLE inquiries (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    receipt TEXT NOT NULL UNIQUE,
    received_at BIGINT NOT NULL,
    due_date TEXT NOT NULL,
    category TEXT NOT NULL,
    login_id TEXT NOT NULL,
    name TEXT NOT NULL,
    furigana TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    employer TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT NOT NULL,
    message TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'new',
    assignee_pk BIGINT REFERENCES staff(id),
    client_address TEXT NOT NULL,
    closed_at BIGINT
);
CREATE INDEX inquiries_by_status ON inquiries(status, due_date);

CREATE TABLE inquiry_files (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    inquiry_id BIGINT NOT NULL REFERENCES inquiries(id) ON DELETE CASCADE,
    stored_name TEXT NOT NULL,
    original_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL
);

CREATE TABLE inquiry_notes (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    inquiry_id BIGINT NOT NULL REFERENCES inquiries(id) ON DELETE CASCADE,
    at BIGINT NOT NULL,
    staff_pk BIGINT NOT NULL REFERENCES staff(id),
    kind TEXT NOT NULL,
    body TEXT NOT NULL
);
