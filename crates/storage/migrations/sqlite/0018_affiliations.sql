-- 所属: requests between a business and a technician and their answers (the current employer
-- stays accounts.employer_id), and each technician's disclosure setting (absent: 非開示).
CREATE TABLE affiliation_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    technician_id INTEGER NOT NULL REFERENCES accounts(id),
    business_id INTEGER NOT NULL REFERENCES accounts(id),
    requested_by INTEGER NOT NULL REFERENCES accounts(id),
    status TEXT NOT NULL,
    requested_at INTEGER NOT NULL,
    answered_at INTEGER
);
CREATE INDEX affiliation_requests_by_technician ON affiliation_requests(technician_id, status);
CREATE INDEX affiliation_requests_by_business ON affiliation_requests(business_id, status);

CREATE TABLE disclosures (
    account_id INTEGER PRIMARY KEY REFERENCES accounts(id),
    level TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
