-- 「CCUSでログイン」: the portal as an OpenID Connect provider for services a technician uses.
-- A relying party is a registered client (api_clients) with the login scopes.

-- The keys ID tokens are signed with. The newest is used; one a newer key replaced stays
-- published (JWKS) from retired_at until the ID tokens it signed have expired.
CREATE TABLE oidc_keys (
    kid TEXT PRIMARY KEY,
    alg TEXT NOT NULL,
    private_der TEXT NOT NULL,
    public_jwk TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    retired_at BIGINT
);

-- A person's consent to a service: the claims it may have (as scopes) and the subject it knows
-- the person by (pairwise: another service cannot match it). Revocable from the person's pages;
-- one live consent per person and service. The subject stays the same when the person consents
-- again.
CREATE TABLE oidc_consents (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    client_pk BIGINT NOT NULL REFERENCES api_clients(id),
    subject TEXT NOT NULL,
    scopes TEXT NOT NULL,
    granted_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);
CREATE UNIQUE INDEX oidc_consents_live ON oidc_consents(account_id, client_pk)
    WHERE revoked_at IS NULL;
CREATE INDEX oidc_consents_by_subject ON oidc_consents(client_pk, subject);

-- Authorization codes of the login, as their SHA-256, for a minute and used once; the token
-- family its exchange began, so that a code sent again ends what it gave.
CREATE TABLE oidc_codes (
    code_hash TEXT PRIMARY KEY,
    consent_id BIGINT NOT NULL REFERENCES oidc_consents(id),
    family TEXT,
    redirect_uri TEXT NOT NULL,
    code_challenge TEXT NOT NULL,
    nonce TEXT NOT NULL,
    auth_time BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);

-- Refresh tokens, as their SHA-256. Each is used once: using it gives the next of its family.
-- A used one sent again means it was copied: the whole family ends.
CREATE TABLE oidc_refresh (
    token_hash TEXT PRIMARY KEY,
    family TEXT NOT NULL,
    consent_id BIGINT NOT NULL REFERENCES oidc_consents(id),
    auth_time BIGINT NOT NULL,
    issued_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX oidc_refresh_by_family ON oidc_refresh(family);
CREATE INDEX oidc_refresh_by_consent ON oidc_refresh(consent_id);
CREATE INDEX oidc_refresh_by_expiry ON oidc_refresh(expires_at);

-- Access tokens for userinfo, as their SHA-256, with the family that made them.
CREATE TABLE oidc_access (
    token_hash TEXT PRIMARY KEY,
    consent_id BIGINT NOT NULL REFERENCES oidc_consents(id),
    family TEXT NOT NULL,
    issued_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX oidc_access_by_family ON oidc_access(family);
CREATE INDEX oidc_access_by_consent ON oidc_access(consent_id);
CREATE INDEX oidc_access_by_expiry ON oidc_access(expires_at);
