-- The 要請 a business sent that still wait: found from its own places by their children that
-- are still 'requested' (a small index, as few places wait at any time).
CREATE INDEX site_placements_waiting ON site_placements(parent_id) WHERE state = 'requested';
