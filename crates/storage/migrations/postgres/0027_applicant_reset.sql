-- An application login's password can be reset by a mailed link (パスワードをお忘れの方 at
-- /apply/login). Such links live with the confirmation links of new application logins: a
-- purpose tells them apart, and a reset link names the login it resets.
ALTER TABLE applicant_tokens ADD COLUMN purpose TEXT NOT NULL DEFAULT 'create';
ALTER TABLE applicant_tokens ADD COLUMN applicant_id BIGINT REFERENCES applicants(id) ON DELETE CASCADE;
CREATE INDEX applicant_tokens_by_applicant ON applicant_tokens(applicant_id, purpose);
