-- 所属: requests between a business and a technician and their answers (the current employer
-- stays accounts.employer_id), and each technician's disclosure setting (absent: 非開示).
CREATE TABLE affiliation_requests (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    technician_id BIGINT NOT NULL REFERENCES accounts(id),
    business_id BIGINT NOT NULL REFERENCES accounts(id),
    requested_by BIGINT NOT NULL REFERENCES accounts(id),
    status TEXT NOT NULL,
    requested_at BIGINT NOT NULL,
    answered_at BIGINT
);
CREATE INDEX affiliation_requests_by_technician ON affiliation_requests(technician_id, status);
CREATE INDEX affiliation_requests_by_business ON affiliation_requests(business_id, status);

CREATE TABLE disclosures (
    account_id BIGINT PRIMARY KEY REFERENCES accounts(id),
    level TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
