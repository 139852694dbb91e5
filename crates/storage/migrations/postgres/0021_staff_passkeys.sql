-- Passkeys of helpdesk staff: a second factor in place of the TOTP code.
CREATE TABLE staff_passkey_users (
    owner_id BIGINT PRIMARY KEY REFERENCES staff(id),
    user_handle TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

CREATE TABLE staff_passkeys (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id BIGINT NOT NULL REFERENCES staff(id),
    name TEXT NOT NULL,
    credential_id TEXT NOT NULL UNIQUE,
    credential TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT
);
CREATE INDEX staff_passkeys_by_owner ON staff_passkeys(owner_id);
