-- A returned application (不備) that is not sent again is deleted `registration.returned_retention`
-- after it was returned; its applicant is warned once by mail before that. The time of that
-- warning: it counts for the latest return only (one warned before a later return is warned again).
ALTER TABLE applications ADD COLUMN retention_warned_at BIGINT;
-- Why a screener refused (却下) the application, as written to the applicant; empty otherwise.
ALTER TABLE applications ADD COLUMN rejection TEXT NOT NULL DEFAULT '';
