-- One audit log for every actor. An entry names its actor by kind ('staff', 'operator' for
-- the command line, 'member' for a business's 管理者ID, 'unrecognised' for a staff ID that
-- matched nobody) and, for a business's 操作の記録, the business it belongs to (business_id;
-- NULL for the helpdesk's own log). Its action is a stable code and its detail structured JSON
-- (data); entries written before keep their recorded words in detail and have no data.
ALTER TABLE audit_log ADD COLUMN actor_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN actor_account_id INTEGER REFERENCES accounts(id);
ALTER TABLE audit_log ADD COLUMN business_id INTEGER REFERENCES accounts(id);
ALTER TABLE audit_log ADD COLUMN data TEXT;
UPDATE audit_log SET actor_kind = CASE
    WHEN staff_pk IS NOT NULL THEN 'staff'
    WHEN actor = 'コマンドライン（ccus admin）' THEN 'operator'
    ELSE 'unrecognised'
END;
-- The businesses' records move in, their Japanese action words becoming codes.
INSERT INTO audit_log (at, staff_pk, actor, action, account_id, reason, detail, actor_kind,
                       actor_account_id, business_id, data)
SELECT at, NULL, '',
    CASE action
        WHEN '階層の作成' THEN 'org-tier-created'
        WHEN '管理者IDの発行' THEN 'org-member-issued'
        WHEN '利用停止' THEN 'org-member-disabled'
        WHEN '利用再開' THEN 'org-member-enabled'
        WHEN 'パスワード再設定メールの送信' THEN 'org-reset-sent'
        WHEN 'ロック解除' THEN 'org-unlocked'
        WHEN 'アクセス履歴の閲覧' THEN 'org-history-viewed'
        WHEN '所属の依頼' THEN 'org-affiliation-requested'
        WHEN '所属の終了' THEN 'org-affiliation-ended'
        ELSE action
    END,
    target_id, '', detail, 'member', actor_id, business_id, NULL
FROM org_audit ORDER BY id;
DROP TABLE org_audit;
CREATE INDEX audit_by_business ON audit_log(business_id, at);
