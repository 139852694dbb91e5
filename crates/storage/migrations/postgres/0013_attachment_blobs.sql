-- Attachments are kept in the database as well when several instances share PostgreSQL, so a
-- file uploaded through one instance can be read through every other.
CREATE TABLE attachment_blobs (
    stored_name TEXT PRIMARY KEY,
    bytes BYTEA NOT NULL
);
