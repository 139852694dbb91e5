ALTER TABLE accounts ADD COLUMN furigana TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN furigana_key TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN birth_date TEXT;
ALTER TABLE accounts ADD COLUMN employer_id BIGINT REFERENCES accounts(id);
CREATE INDEX accounts_by_name_key ON accounts(name_key);
CREATE INDEX accounts_by_furigana_key ON accounts(furigana_key);
CREATE INDEX accounts_by_birth_date ON accounts(birth_date);
