-- The partner API. A registered system (連携システム) is a client: its public client_id, who
-- makes it, the scopes it may ask for, its state (sandbox, certified, suspended) and how it
-- proves itself — the public keys it signs with (a JWK Set, or the address it publishes one
-- at) or, for a system that cannot sign, a secret kept only as its hash; and the addresses a
-- business's consent may send it back to (redirect_uris, space-separated).
CREATE TABLE api_clients (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    vendor TEXT NOT NULL,
    contact TEXT NOT NULL,
    scopes TEXT NOT NULL,
    state TEXT NOT NULL,
    auth_method TEXT NOT NULL,
    jwks TEXT NOT NULL DEFAULT '',
    jwks_url TEXT NOT NULL DEFAULT '',
    secret_hash TEXT NOT NULL DEFAULT '',
    redirect_uris TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Access tokens, kept as their SHA-256: bound to the client, with the scopes given and, for a
-- token a business's consent made, that business alone.
CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    client_pk BIGINT NOT NULL REFERENCES api_clients(id),
    scopes TEXT NOT NULL,
    business_id BIGINT REFERENCES accounts(id),
    issued_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX api_tokens_by_expiry ON api_tokens(expires_at);

-- The ids (jti) of client assertions already used, until they expire: one is used once.
CREATE TABLE api_assertions (
    client_pk BIGINT NOT NULL REFERENCES api_clients(id),
    jti TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (client_pk, jti)
);

-- A business's standing grant of its own data (its sites, its 名簿) to a client, made by one of
-- its 管理者ID and revocable from the business's pages. One live grant per business and client.
CREATE TABLE api_grants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    business_id BIGINT NOT NULL REFERENCES accounts(id),
    client_pk BIGINT NOT NULL REFERENCES api_clients(id),
    scopes TEXT NOT NULL,
    granted_by BIGINT NOT NULL REFERENCES accounts(id),
    granted_at BIGINT NOT NULL,
    revoked_by BIGINT REFERENCES accounts(id),
    revoked_at BIGINT
);
CREATE UNIQUE INDEX api_grants_live ON api_grants(business_id, client_pk) WHERE revoked_at IS NULL;
CREATE INDEX api_grants_by_client ON api_grants(client_pk) WHERE revoked_at IS NULL;

-- Authorization codes (a business's consent, RFC 6749 §4.1 with PKCE), kept as their SHA-256
-- for a minute and used once: the client, the business and scopes consented to, the
-- redirect_uri they go back to, and the PKCE challenge (S256).
CREATE TABLE api_codes (
    code_hash TEXT PRIMARY KEY,
    client_pk BIGINT NOT NULL REFERENCES api_clients(id),
    business_id BIGINT NOT NULL REFERENCES accounts(id),
    scopes TEXT NOT NULL,
    redirect_uri TEXT NOT NULL,
    code_challenge TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);

-- Writes by Idempotency-Key: the first request's fingerprint and, once answered, its answer,
-- which a retry with the same key gets again. status 0 while the first is being answered.
CREATE TABLE api_idempotency (
    client_pk BIGINT NOT NULL REFERENCES api_clients(id),
    idem_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (client_pk, idem_key)
);
CREATE INDEX api_idempotency_by_age ON api_idempotency(created_at);

-- A client's touches on a site come through a reader of its own there, so they are numbered,
-- kept and answered as every reader's are.
ALTER TABLE site_readers ADD COLUMN api_client_id BIGINT REFERENCES api_clients(id);
CREATE UNIQUE INDEX site_readers_of_client ON site_readers(site_id, api_client_id)
    WHERE api_client_id IS NOT NULL;

-- An audit entry made through the API names the client.
ALTER TABLE audit_log ADD COLUMN actor_client_id BIGINT REFERENCES api_clients(id);
