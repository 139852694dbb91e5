-- FAQ entries in English and やさしい日本語 beside the Japanese: a translation names the
-- Japanese entry it translates, once per language.
ALTER TABLE faq_entries ADD COLUMN lang TEXT NOT NULL DEFAULT 'ja';
ALTER TABLE faq_entries ADD COLUMN translation_of BIGINT REFERENCES faq_entries(id);
CREATE UNIQUE INDEX faq_translations ON faq_entries(translation_of, lang);
