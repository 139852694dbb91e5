-- 現場 and 施工体制. A site is registered by its 元請 (prime_id) with a 14-digit 現場ID, run by
-- its 現場管理者 (manager_id), and may carry several contracts (契約情報 with 工事情報 each:
-- small neighbouring works grouped as one 現場). Its tree is one row per company's place
-- (site_placements), at most one live ('requested' or 'active') place per company per site: the
-- unique index decides two upper tiers asking the same company at once. Every change to a
-- site's tree first bumps sites.tree_version, which orders concurrent changes of one site.
CREATE TABLE sites (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site_id TEXT NOT NULL UNIQUE,
    prime_id BIGINT NOT NULL REFERENCES accounts(id),
    tier_id BIGINT REFERENCES org_tiers(id),
    manager_id BIGINT NOT NULL REFERENCES accounts(id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    address_key TEXT NOT NULL DEFAULT '',
    order_kind TEXT NOT NULL,
    records_from TEXT NOT NULL,
    records_to TEXT NOT NULL,
    hazardous BIGINT NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'open',
    tree_version BIGINT NOT NULL DEFAULT 0,
    created_by BIGINT NOT NULL REFERENCES accounts(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    closed_at BIGINT
);
CREATE INDEX sites_by_manager ON sites(manager_id, id);
CREATE INDEX sites_by_period ON sites(records_to, records_from);

CREATE TABLE site_contracts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites(id),
    address TEXT NOT NULL DEFAULT '',
    client_name TEXT NOT NULL DEFAULT '',
    contract_form TEXT NOT NULL DEFAULT '',
    period_from TEXT,
    period_to TEXT,
    work_kind TEXT,
    work_type TEXT NOT NULL DEFAULT '',
    scale TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX site_contracts_by_site ON site_contracts(site_id, id);

CREATE TABLE site_placements (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites(id),
    business_id BIGINT NOT NULL REFERENCES accounts(id),
    parent_id BIGINT REFERENCES site_placements(id),
    state TEXT NOT NULL,
    via TEXT NOT NULL,
    asked_by BIGINT REFERENCES accounts(id),
    asked_at BIGINT NOT NULL,
    answered_by BIGINT REFERENCES accounts(id),
    answered_at BIGINT
);
CREATE UNIQUE INDEX site_placements_one_live ON site_placements(site_id, business_id)
    WHERE state IN ('requested', 'active');
CREATE INDEX site_placements_by_site ON site_placements(site_id, id);
CREATE INDEX site_placements_by_business ON site_placements(business_id, site_id);

-- 事業者間合意: upper_id may register lower_id on any site at once; with proxy = 1 also do the
-- lower tier's own steps on its behalf (代理手続き). One live ('offered' or 'active') per pair.
CREATE TABLE business_agreements (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    upper_id BIGINT NOT NULL REFERENCES accounts(id),
    lower_id BIGINT NOT NULL REFERENCES accounts(id),
    proxy BIGINT NOT NULL DEFAULT 0,
    state TEXT NOT NULL,
    offered_by_business BIGINT NOT NULL REFERENCES accounts(id),
    offered_by BIGINT NOT NULL REFERENCES accounts(id),
    offered_at BIGINT NOT NULL,
    answered_by BIGINT REFERENCES accounts(id),
    answered_at BIGINT,
    ended_by BIGINT REFERENCES accounts(id),
    ended_at BIGINT
);
CREATE UNIQUE INDEX business_agreements_one_live ON business_agreements(upper_id, lower_id)
    WHERE state IN ('offered', 'active');
CREATE INDEX business_agreements_by_lower ON business_agreements(lower_id, state);

-- 作業員名簿: a worker's line under their company's place. A technician who is not the
-- company's own (所属) is 'asked' until they consent. One live line per worker per site.
CREATE TABLE site_listings (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites(id),
    placement_id BIGINT NOT NULL REFERENCES site_placements(id),
    technician_id BIGINT NOT NULL REFERENCES accounts(id),
    trade TEXT NOT NULL,
    work TEXT NOT NULL DEFAULT '',
    position TEXT NOT NULL,
    hazardous BIGINT NOT NULL DEFAULT 0,
    health_check TEXT,
    qualifications TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    added_by BIGINT NOT NULL REFERENCES accounts(id),
    added_at BIGINT NOT NULL,
    answered_at BIGINT,
    removed_at BIGINT
);
CREATE UNIQUE INDEX site_listings_one_live ON site_listings(site_id, technician_id)
    WHERE state IN ('asked', 'listed');
CREATE INDEX site_listings_by_placement ON site_listings(placement_id, id);
CREATE INDEX site_listings_by_technician ON site_listings(technician_id, state, site_id);

-- 施工体制パターン ('tiers') and 作業員名簿パターン ('roster'): a business's saved lists, as JSON.
CREATE TABLE site_patterns (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    business_id BIGINT NOT NULL REFERENCES accounts(id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    body TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES accounts(id),
    created_at BIGINT NOT NULL,
    UNIQUE (business_id, kind, name)
);

-- Fees as data: each amount applies from its date until the next one of its kind.
CREATE TABLE fees (
    kind TEXT NOT NULL,
    applies_from TEXT NOT NULL,
    amount_yen BIGINT NOT NULL,
    PRIMARY KEY (kind, applies_from)
);
INSERT INTO fees (kind, applies_from, amount_yen) VALUES
    ('site_use_per_person_day', '2019-04-01', 10),
    ('manager_id_per_year', '2019-04-01', 11400),
    ('manager_id_per_year_sole', '2019-04-01', 2400);
-- A business that is one person (一人親方) pays the lower 管理者ID利用料.
ALTER TABLE accounts ADD COLUMN sole_proprietor BIGINT NOT NULL DEFAULT 0;
