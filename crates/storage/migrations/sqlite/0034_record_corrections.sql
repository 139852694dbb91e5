-- 補正: new entry and exit times for a recorded day, asked for by the worker or the company
-- that listed them, and approved or rejected by whoever runs the site (like 直接入力, by the end
-- of the month after the work day). The record keeps its times until the request is approved;
-- each request stays, with its answer.
CREATE TABLE record_corrections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    record_id BIGINT NOT NULL,
    work_day INTEGER NOT NULL,
    account_id BIGINT NOT NULL,
    site_id BIGINT NOT NULL,
    first_in BIGINT,
    last_out BIGINT,
    requested_by BIGINT NOT NULL,
    requested_at BIGINT NOT NULL,
    state TEXT NOT NULL,
    decided_by BIGINT,
    decided_at BIGINT,
    reason TEXT NOT NULL DEFAULT ''
);
-- One request waiting per record.
CREATE UNIQUE INDEX record_corrections_one_waiting ON record_corrections(work_day, record_id)
    WHERE state = 'pending';
CREATE INDEX record_corrections_waiting_by_site ON record_corrections(site_id, id)
    WHERE state = 'pending';
