-- A business's records: the days its workers were listed under it, month by month (the
-- business's 就業履歴 page reads them without scanning).
CREATE INDEX work_records_by_business ON work_records(business_id, work_day);
