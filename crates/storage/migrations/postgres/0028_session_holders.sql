-- Every session re-checks, at each request, that the person behind it may still act.
-- A 代行申請 session records who opened it (the business account or one of its 管理者ID), so
-- that a person stopped (利用停止) or moved to a role without 代行申請 loses it at once. Sessions
-- opened before this column existed have none and end at their next request.
ALTER TABLE applicant_sessions ADD COLUMN opened_by BIGINT REFERENCES accounts(id) ON DELETE CASCADE;
-- Staff who leave are stopped, never deleted (the audit log names them): a stopped member
-- cannot sign in, and each of their sessions ends at its next request.
ALTER TABLE staff ADD COLUMN disabled_at BIGINT;
