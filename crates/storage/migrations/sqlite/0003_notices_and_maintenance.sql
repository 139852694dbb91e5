CREATE TABLE maintenance_windows (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    announce_from BIGINT NOT NULL,
    message TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    cancelled_at BIGINT
);
CREATE INDEX maintenance_by_end ON maintenance_windows(ends_at);

CREATE TABLE notices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    published_at BIGINT NOT NULL,
    title TEXT NOT NULL,
    body_md TEXT NOT NULL,
    maintenance_id BIGINT REFERENCES maintenance_windows(id) ON DELETE SET NULL
);
CREATE INDEX notices_by_time ON notices(published_at);

CREATE TABLE faq_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    category TEXT NOT NULL,
    question TEXT NOT NULL,
    answer_md TEXT NOT NULL,
    position BIGINT NOT NULL
);
