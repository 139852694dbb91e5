-- The helpdesk looks accounts up by part of a name. A trigram full-text index over the folded
-- keys finds the accounts whose key contains a string of three characters or more without
-- reading every account. External content: the keys stay in `accounts`, the index holds only
-- their trigrams, and the triggers keep it in step with every change to them.
CREATE VIRTUAL TABLE account_names USING fts5(
    name_key,
    furigana_key,
    content = 'accounts',
    content_rowid = 'id',
    tokenize = 'trigram'
);

CREATE TRIGGER account_names_after_insert AFTER INSERT ON accounts BEGIN
    INSERT INTO account_names (rowid, name_key, furigana_key)
    VALUES (new.id, new.name_key, new.furigana_key);
END;

CREATE TRIGGER account_names_after_delete AFTER DELETE ON accounts BEGIN
    INSERT INTO account_names (account_names, rowid, name_key, furigana_key)
    VALUES ('delete', old.id, old.name_key, old.furigana_key);
END;

CREATE TRIGGER account_names_after_update AFTER UPDATE OF id, name_key, furigana_key ON accounts BEGIN
    INSERT INTO account_names (account_names, rowid, name_key, furigana_key)
    VALUES ('delete', old.id, old.name_key, old.furigana_key);
    INSERT INTO account_names (rowid, name_key, furigana_key)
    VALUES (new.id, new.name_key, new.furigana_key);
END;

-- The accounts that exist already.
INSERT INTO account_names (account_names) VALUES ('rebuild');

-- A look-up by employer alone goes from the employers found to their technicians.
CREATE INDEX accounts_by_employer ON accounts(employer_id);
