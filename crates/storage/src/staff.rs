//! Helpdesk staff: accounts with a second factor and their sessions (what they do is in the
//! audit log, `audit.rs`).

use ccus_domain::{StaffId, Timestamp};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::{Credentials, Result, StaffMembers, Store, StoreError, StoreTx};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffRole {
    /// Works inquiries and accounts.
    Operator,
    /// Works inquiries and accounts, and screens registration applications (審査担当).
    Screener,
    /// Also reads the audit log (and screens).
    Supervisor,
}

impl StaffRole {
    pub fn as_str(self) -> &'static str {
        match self {
            StaffRole::Operator => "operator",
            StaffRole::Screener => "screener",
            StaffRole::Supervisor => "supervisor",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "operator" => Some(StaffRole::Operator),
            "screener" => Some(StaffRole::Screener),
            "supervisor" => Some(StaffRole::Supervisor),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Staff {
    pub id: StaffId,
    /// What staff type to log in, e.g. `S4821930`.
    pub staff_id: String,
    pub name: String,
    pub email: String,
    pub role: StaffRole,
    pub totp_enrolled: bool,
    /// The password was given by someone else and must be replaced before any work.
    pub must_change_password: bool,
    /// Stopped (利用停止): cannot sign in, and every session ends at its next request.
    pub disabled: bool,
}

#[derive(Debug, Clone)]
pub struct NewStaff {
    pub staff_id: String,
    pub name: String,
    pub email: String,
    pub role: StaffRole,
    pub password_hash: String,
    pub must_change_password: bool,
}

#[derive(Debug, Clone)]
pub struct StaffSession {
    pub staff: Staff,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
    /// The second factor was given in this session.
    pub mfa_done: bool,
}

/// The columns of a staff member (table alias `s`), read by [`staff_from_row`]. Aliased to
/// their own names so that a join never changes what they are called.
const STAFF_COLUMNS: &str =
    "s.id AS id, s.staff_id AS staff_id, s.name AS name, s.email AS email, s.role AS role, \
     s.totp_enrolled AS totp_enrolled, s.must_change_password AS must_change_password, \
     s.disabled_at AS disabled_at";

fn staff_from_row(r: &AnyRow) -> Result<Staff> {
    let role: String = r.try_get("role")?;
    Ok(Staff {
        id: StaffId::new(r.try_get("id")?),
        staff_id: r.try_get("staff_id")?,
        name: r.try_get("name")?,
        email: r.try_get("email")?,
        role: StaffRole::parse(&role)
            .ok_or_else(|| StoreError::Corrupt(format!("staff role {role:?}")))?,
        totp_enrolled: r.try_get::<i64, _>("totp_enrolled")? != 0,
        must_change_password: r.try_get::<i64, _>("must_change_password")? != 0,
        disabled: r.try_get::<Option<i64>, _>("disabled_at")?.is_some(),
    })
}

impl StaffMembers<&Store> {
    pub async fn create_staff(self, s: &NewStaff, now: Timestamp) -> Result<StaffId> {
        let row = sqlx::query(
            "INSERT INTO staff (staff_id, name, email, role, password_hash, created_at, must_change_password) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(&s.staff_id)
        .bind(&s.name)
        .bind(&s.email)
        .bind(s.role.as_str())
        .bind(&s.password_hash)
        .bind(now.0)
        .bind(i64::from(s.must_change_password))
        .fetch_one(self.db())
        .await?;
        Ok(StaffId::new(row.try_get("id")?))
    }

    /// A staff member with the hash of their password, for the console's sign-in.
    pub async fn credentials(self, staff_id: &str) -> Result<Option<Credentials<Staff>>> {
        let row = sqlx::query(&format!(
            "SELECT {STAFF_COLUMNS}, s.password_hash AS password_hash FROM staff s \
             WHERE s.staff_id = $1"
        ))
        .bind(staff_id)
        .fetch_optional(self.db())
        .await?;
        row.map(|r| {
            Ok(Credentials {
                holder: staff_from_row(&r)?,
                password_hash: r.try_get("password_hash")?,
            })
        })
        .transpose()
    }

    /// A staff member's TOTP secret (sealed by the application), read only to check a code or
    /// to show it while it is enrolled; the row itself does not carry it.
    pub async fn totp_secret(self, id: StaffId) -> Result<Option<String>> {
        let row = sqlx::query("SELECT totp_secret FROM staff WHERE id = $1")
            .bind(id.get())
            .fetch_optional(self.db())
            .await?;
        Ok(row
            .map(|r| r.try_get::<Option<String>, _>("totp_secret"))
            .transpose()?
            .flatten())
    }

    pub async fn staff_by_staff_id(self, staff_id: &str) -> Result<Option<Staff>> {
        let row = sqlx::query(&format!(
            "SELECT {STAFF_COLUMNS} FROM staff s WHERE s.staff_id = $1"
        ))
        .bind(staff_id)
        .fetch_optional(self.db())
        .await?;
        row.map(|r| staff_from_row(&r)).transpose()
    }

    /// Sets a staff member's own password (the initial one is then no longer in use).
    pub async fn set_staff_password(self, staff_pk: StaffId, hash: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.staff().set_staff_password(staff_pk, hash).await?;
        tx.commit().await
    }

    /// Stores a (new, not yet confirmed) encrypted TOTP secret.
    pub async fn set_staff_totp(
        self,
        staff_pk: StaffId,
        encrypted: &str,
        enrolled: bool,
    ) -> Result<()> {
        sqlx::query("UPDATE staff SET totp_secret = $1, totp_enrolled = $2 WHERE id = $3")
            .bind(encrypted)
            .bind(i64::from(enrolled))
            .bind(staff_pk.get())
            .execute(self.db())
            .await?;
        self.sessions_ended(crate::SessionEnd::Staff(staff_pk.get()))
            .await?;
        Ok(())
    }

    /// Records that the code of `step` was used; false when it (or a later one) already was, so
    /// a code works once across all instances.
    pub async fn use_totp_step(self, staff_pk: StaffId, step: i64) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE staff SET totp_last_step = $1 WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)",
        )
        .bind(step)
        .bind(staff_pk.get())
        .execute(self.db())
        .await?;
        Ok(r.rows_affected() > 0)
    }

    pub async fn create_staff_session(
        self,
        token_hash: &str,
        staff_pk: StaffId,
        mfa_done: bool,
        now: Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO staff_sessions (token_hash, staff_pk, created_at, last_seen_at, mfa_done) VALUES ($1, $2, $3, $3, $4)",
        )
        .bind(token_hash)
        .bind(staff_pk.get())
        .bind(now.0)
        .bind(i64::from(mfa_done))
        .execute(self.db())
        .await?;
        Ok(())
    }

    pub async fn staff_session(self, token_hash: &str) -> Result<Option<StaffSession>> {
        let row = sqlx::query(&format!(
            "SELECT {STAFF_COLUMNS}, x.created_at AS created_at, x.last_seen_at AS last_seen_at, \
                    x.mfa_done AS mfa_done FROM staff_sessions x \
             JOIN staff s ON s.id = x.staff_pk WHERE x.token_hash = $1"
        ))
        .bind(token_hash)
        .fetch_optional(self.db())
        .await?;
        let Some(r) = row else { return Ok(None) };
        Ok(Some(StaffSession {
            staff: staff_from_row(&r)?,
            created_at: Timestamp(r.try_get("created_at")?),
            last_seen_at: Timestamp(r.try_get("last_seen_at")?),
            mfa_done: r.try_get::<i64, _>("mfa_done")? != 0,
        }))
    }

    pub async fn touch_staff_session(self, token_hash: &str, now: Timestamp) -> Result<()> {
        sqlx::query("UPDATE staff_sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(now.0)
            .bind(token_hash)
            .execute(self.db())
            .await?;
        Ok(())
    }

    pub async fn complete_staff_mfa(self, token_hash: &str) -> Result<()> {
        sqlx::query("UPDATE staff_sessions SET mfa_done = 1 WHERE token_hash = $1")
            .bind(token_hash)
            .execute(self.db())
            .await?;
        self.sessions_ended(crate::SessionEnd::Token(token_hash.to_owned()))
            .await?;
        Ok(())
    }

    /// Ends every session of a staff member that has not given the second factor (after
    /// enrolment, a password-only session must not live on).
    pub async fn delete_unfinished_staff_sessions(self, staff_pk: StaffId) -> Result<u64> {
        let r = sqlx::query("DELETE FROM staff_sessions WHERE staff_pk = $1 AND mfa_done = 0")
            .bind(staff_pk.get())
            .execute(self.db())
            .await?;
        self.sessions_ended(crate::SessionEnd::Staff(staff_pk.get()))
            .await?;
        Ok(r.rows_affected())
    }

    pub async fn delete_staff_session(self, token_hash: &str) -> Result<bool> {
        let r = sqlx::query("DELETE FROM staff_sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(self.db())
            .await?;
        let removed = r.rows_affected() > 0;
        if removed {
            self.sessions_ended(crate::SessionEnd::Token(token_hash.to_owned()))
                .await?;
        }
        Ok(removed)
    }
}

impl StaffMembers<&mut StoreTx> {
    /// Ends one staff session; whether it was still there.
    pub async fn delete_staff_session(&mut self, token_hash: &str) -> Result<bool> {
        let r = sqlx::query("DELETE FROM staff_sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(self.conn())
            .await?;
        let removed = r.rows_affected() > 0;
        if removed {
            self.sessions_ended(crate::SessionEnd::Token(token_hash.to_owned()))
                .await?;
        }
        Ok(removed)
    }

    /// Stops (`Some`) or resumes (`None`) a staff member; stopping ends every session of
    /// theirs. False when the staff member was already in that state.
    pub async fn set_staff_disabled(
        &mut self,
        staff_pk: StaffId,
        disabled_at: Option<Timestamp>,
    ) -> Result<bool> {
        let sql = if disabled_at.is_some() {
            "UPDATE staff SET disabled_at = $1 WHERE id = $2 AND disabled_at IS NULL"
        } else {
            "UPDATE staff SET disabled_at = $1 WHERE id = $2 AND disabled_at IS NOT NULL"
        };
        let changed = sqlx::query(sql)
            .bind(disabled_at.map(|t| t.0))
            .bind(staff_pk.get())
            .execute(self.conn())
            .await?
            .rows_affected()
            > 0;
        if changed && disabled_at.is_some() {
            sqlx::query("DELETE FROM staff_sessions WHERE staff_pk = $1")
                .bind(staff_pk.get())
                .execute(self.conn())
                .await?;
            self.sessions_ended(crate::SessionEnd::Staff(staff_pk.get()))
                .await?;
        }
        Ok(changed)
    }

    /// Sets a staff member's own password (the initial one is then no longer in use).
    pub async fn set_staff_password(&mut self, staff_pk: StaffId, hash: &str) -> Result<()> {
        sqlx::query("UPDATE staff SET password_hash = $1, must_change_password = 0 WHERE id = $2")
            .bind(hash)
            .bind(staff_pk.get())
            .execute(self.conn())
            .await?;
        self.sessions_ended(crate::SessionEnd::Staff(staff_pk.get()))
            .await?;
        Ok(())
    }
}
