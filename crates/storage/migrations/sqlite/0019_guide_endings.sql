-- How often each ending of 「ログインできない方へ」 was reached: counts only, nothing personal.
CREATE TABLE guide_endings (
    ending TEXT PRIMARY KEY,
    reached INTEGER NOT NULL
);
