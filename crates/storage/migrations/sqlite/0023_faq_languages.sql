-- FAQ entries in English and やさしい日本語 beside the Japanese: a translation shares the
-- position of the entry it translates.
ALTER TABLE faq_entries ADD COLUMN lang TEXT NOT NULL DEFAULT 'ja';
CREATE INDEX faq_entries_by_lang ON faq_entries(lang, position);
