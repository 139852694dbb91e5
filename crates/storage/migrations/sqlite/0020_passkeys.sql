-- Passkeys (WebAuthn): each account's user handle, its registered credentials (the library's
-- serialised credential with its counter), and the ceremonies in progress — single-use,
-- expiring, in the database so that every instance can finish what another began.
CREATE TABLE passkey_users (
    account_id INTEGER PRIMARY KEY REFERENCES accounts(id),
    user_handle TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);

CREATE TABLE passkeys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    name TEXT NOT NULL,
    credential_id TEXT NOT NULL UNIQUE,
    credential TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER
);
CREATE INDEX passkeys_by_account ON passkeys(account_id);

CREATE TABLE webauthn_ceremonies (
    id_hash TEXT PRIMARY KEY,
    purpose TEXT NOT NULL,
    account_id INTEGER REFERENCES accounts(id),
    state TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX webauthn_ceremonies_by_expiry ON webauthn_ceremonies(expires_at);
