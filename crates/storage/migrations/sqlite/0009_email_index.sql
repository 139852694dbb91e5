-- IDをお忘れの方 and the helpdesk look accounts up by email, compared case-insensitively: an
-- index on the folded address keeps that a look-up at CCUS size, not a scan.
CREATE INDEX accounts_email_lower ON accounts (LOWER(email));
