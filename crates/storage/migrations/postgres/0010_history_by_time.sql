-- The access history is kept for a limited time (history.retention); pruning finds old rows
-- by time without a scan.
CREATE INDEX access_events_by_time ON access_events(at);
