-- Business organisations: tiers (第1–第3階層) and the people with their own 管理者ID, each with
-- a role; what people of a business did to each other (操作の記録).
CREATE TABLE org_tiers (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    business_id BIGINT NOT NULL REFERENCES accounts(id),
    parent_id BIGINT REFERENCES org_tiers(id),
    level BIGINT NOT NULL,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX org_tiers_by_business ON org_tiers(business_id);

CREATE TABLE org_members (
    account_id BIGINT PRIMARY KEY REFERENCES accounts(id),
    business_id BIGINT NOT NULL REFERENCES accounts(id),
    role TEXT NOT NULL,
    tier_id BIGINT REFERENCES org_tiers(id),
    created_by BIGINT NOT NULL REFERENCES accounts(id),
    created_at BIGINT NOT NULL,
    disabled_at BIGINT
);
CREATE INDEX org_members_by_business ON org_members(business_id);

CREATE TABLE org_audit (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    business_id BIGINT NOT NULL REFERENCES accounts(id),
    actor_id BIGINT NOT NULL REFERENCES accounts(id),
    action TEXT NOT NULL,
    target_id BIGINT REFERENCES accounts(id),
    detail TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX org_audit_by_business ON org_audit(business_id, at);
