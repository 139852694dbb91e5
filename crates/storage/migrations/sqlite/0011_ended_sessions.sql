-- Sessions ended by ログアウト, by the hash of their token, for a short while: a browser that
-- comes back with such a cookie is told it logged out, not that it timed out. (Version 11:
-- 10 is taken on another branch.)
CREATE TABLE ended_sessions (
    token_hash TEXT PRIMARY KEY,
    ended_at BIGINT NOT NULL
);
CREATE INDEX ended_sessions_by_time ON ended_sessions(ended_at);
