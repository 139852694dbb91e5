-- The helpdesk looks accounts up by part of a name (`LIKE '%…%'` on the folded keys). Trigram
-- GIN indexes find the accounts whose key contains a string of three characters or more, or
-- starts with a shorter one, without reading every account. pg_trgm ships with PostgreSQL
-- (contrib) and is a trusted extension: the database owner may create it. It indexes Japanese
-- text only when the database's LC_CTYPE is a UTF-8 locale (not C).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX accounts_name_key_trgm ON accounts USING gin (name_key gin_trgm_ops);
CREATE INDEX accounts_furigana_key_trgm ON accounts USING gin (furigana_key gin_trgm_ops);

-- A look-up by employer goes from the employers found to their technicians.
CREATE INDEX accounts_by_employer ON accounts(employer_id);
