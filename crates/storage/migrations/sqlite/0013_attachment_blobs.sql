-- Attachments are kept in the database as well when several instances share PostgreSQL, so a
-- file uploaded through one instance can be read through every other. (Created on SQLite too,
-- so both schemas stay the same; a single SQLite instance reads its own folder.)
CREATE TABLE attachment_blobs (
    stored_name TEXT PRIMARY KEY,
    bytes BLOB NOT NULL
);
