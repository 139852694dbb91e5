-- 就業履歴. A technician's IC card (its number printed on the card and read at the gate), the
-- readers a site's 現場管理者 issues keys to, the touches they send (kept raw for a stated
-- period), and the records: one per worker, site and work day, with the first entry and last
-- exit, how it came (a touch, 直接入力 or training) and the 名簿's 職種, 立場, 作業内容 and
-- company as they were that day. Dates of records are integers YYYYMMDD (compact at CCUS size,
-- ordered as dates); on PostgreSQL the records are partitioned by month.

CREATE TABLE ic_cards (
    card_number TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    state TEXT NOT NULL,
    issued_at BIGINT NOT NULL,
    expires_on TEXT NOT NULL,
    stopped_at BIGINT,
    stopped_by TEXT
);
-- One card in use per technician; a lost or replaced one stays, refusing its touches.
CREATE UNIQUE INDEX ic_cards_one_active ON ic_cards(account_id) WHERE state = 'active';

-- Every technician registered before cards were recorded gets one now.
INSERT INTO ic_cards (card_number, account_id, state, issued_at, expires_on)
SELECT upper(hex(randomblob(8))), id, 'active', created_at,
       CASE WHEN strftime('%m-%d', created_at / 1000, 'unixepoch', '+9 hours') = '02-29'
            THEN date(created_at / 1000, 'unixepoch', '+9 hours', '-1 day', '+10 years')
            ELSE date(created_at / 1000, 'unixepoch', '+9 hours', '+10 years') END
FROM accounts WHERE kind = 'technician';

-- A 名簿 line listed at once (a company's own worker) counts as answered when it was added, so
-- that a removed line that was ever listed is told apart from a request that never was.
UPDATE site_listings SET answered_at = added_at WHERE answered_at IS NULL AND state = 'listed';

CREATE TABLE site_readers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id BIGINT NOT NULL REFERENCES sites(id),
    name TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    key_hint TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES accounts(id),
    created_at BIGINT NOT NULL,
    revoked_by BIGINT REFERENCES accounts(id),
    revoked_at BIGINT,
    last_seen_at BIGINT
);
CREATE INDEX site_readers_by_site ON site_readers(site_id, id);

-- Touches as readers sent them. (reader_id, seq) is the reader's own numbering: a batch sent
-- again after a time-out finds its touches here and answers them as duplicates.
CREATE TABLE touches (
    reader_id BIGINT NOT NULL REFERENCES site_readers(id),
    seq BIGINT NOT NULL,
    card_number TEXT NOT NULL,
    direction TEXT NOT NULL,
    touched_at BIGINT NOT NULL,
    received_at BIGINT NOT NULL,
    outcome TEXT NOT NULL,
    account_id BIGINT,
    site_id BIGINT NOT NULL,
    work_day INTEGER,
    placed_at BIGINT,
    PRIMARY KEY (reader_id, seq)
);
-- 未配置: touches of workers on no 名簿 of the site, for their employer to place.
CREATE INDEX touches_unplaced ON touches(account_id, work_day) WHERE outcome = 'not_listed' AND placed_at IS NULL;
CREATE INDEX touches_by_received ON touches(received_at);

CREATE TABLE work_records (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    site_id BIGINT NOT NULL REFERENCES sites(id),
    work_day INTEGER NOT NULL,
    source TEXT NOT NULL,
    state TEXT NOT NULL,
    first_in BIGINT,
    last_out BIGINT,
    reader_id BIGINT,
    business_id BIGINT,
    trade TEXT NOT NULL DEFAULT '',
    position TEXT NOT NULL DEFAULT '',
    work TEXT NOT NULL DEFAULT '',
    entered_by BIGINT,
    decided_by BIGINT,
    decided_at BIGINT,
    reason TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (work_day, account_id, site_id)
);
CREATE INDEX work_records_by_worker ON work_records(account_id, work_day);
CREATE INDEX work_records_by_site ON work_records(site_id, work_day);

-- The レベル standards as data: per 職種 ('' is the common standard) and level, from a date.
-- qualifications lists the 資格 the standard also asks for, as words of the message catalog
-- (`level-qualification-<word>`), shown beside the days and never checked.
CREATE TABLE level_standards (
    trade TEXT NOT NULL,
    level BIGINT NOT NULL,
    applies_from TEXT NOT NULL,
    days BIGINT NOT NULL,
    leader_days BIGINT NOT NULL,
    leader_role TEXT NOT NULL,
    qualifications TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (trade, level, applies_from)
);
INSERT INTO level_standards (trade, level, applies_from, days, leader_days, leader_role, qualifications) VALUES
    ('', 2, '2019-04-01', 645, 0, 'foreman_or_leader', ''),
    ('', 3, '2019-04-01', 1505, 215, 'foreman_or_leader', 'leader-training'),
    ('', 4, '2019-04-01', 2150, 645, 'foreman', 'core-technician'),
    ('tobi', 3, '2019-04-01', 1720, 430, 'foreman', 'leader-training'),
    ('electrical', 3, '2019-04-01', 1075, 0, 'foreman_or_leader', 'leader-training');
