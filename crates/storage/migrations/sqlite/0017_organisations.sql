-- Business organisations: tiers (第1–第3階層) and the people with their own 管理者ID, each with
-- a role; what people of a business did to each other (操作の記録).
CREATE TABLE org_tiers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    business_id INTEGER NOT NULL REFERENCES accounts(id),
    parent_id INTEGER REFERENCES org_tiers(id),
    level INTEGER NOT NULL,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX org_tiers_by_business ON org_tiers(business_id);

CREATE TABLE org_members (
    account_id INTEGER PRIMARY KEY REFERENCES accounts(id),
    business_id INTEGER NOT NULL REFERENCES accounts(id),
    role TEXT NOT NULL,
    tier_id INTEGER REFERENCES org_tiers(id),
    created_by INTEGER NOT NULL REFERENCES accounts(id),
    created_at INTEGER NOT NULL,
    disabled_at INTEGER
);
CREATE INDEX org_members_by_business ON org_members(business_id);

CREATE TABLE org_audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    business_id INTEGER NOT NULL REFERENCES accounts(id),
    actor_id INTEGER NOT NULL REFERENCES accounts(id),
    action TEXT NOT NULL,
    target_id INTEGER REFERENCES accounts(id),
    detail TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX org_audit_by_business ON org_audit(business_id, at);
