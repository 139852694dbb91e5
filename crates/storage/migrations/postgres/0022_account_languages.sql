-- The language an account reads its mail in: the one of its last login (absent: Japanese).
CREATE TABLE account_languages (
    account_id BIGINT PRIMARY KEY REFERENCES accounts(id),
    lang TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
