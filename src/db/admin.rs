//! Staff accounts, their sessions and the login throttle.

use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;
use time::OffsetDateTime;

use super::schema::{admin_sessions, admin_users, login_throttle};
use crate::domain::admin::AdminEmail;

fn millis(at: OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = admin_users)]
pub struct AdminUser {
    pub id: i64,
    pub email: String,
    pub password_hash: String,
    pub created_at: i64,
}

pub fn find_user(conn: &mut SqliteConnection, email: &AdminEmail) -> QueryResult<Option<AdminUser>> {
    admin_users::table
        .filter(admin_users::email.eq(email.as_ref()))
        .select(AdminUser::as_select())
        .first(conn)
        .optional()
}

pub fn list_users(conn: &mut SqliteConnection) -> QueryResult<Vec<AdminUser>> {
    admin_users::table.order(admin_users::email).select(AdminUser::as_select()).load(conn)
}

/// Creates the account; `false` when the e-mail address has one already.
pub fn add_user(
    conn: &mut SqliteConnection,
    email: &AdminEmail,
    password_hash: &str,
    now: OffsetDateTime,
) -> QueryResult<bool> {
    let inserted = diesel::insert_into(admin_users::table)
        .values((
            admin_users::email.eq(email.as_ref()),
            admin_users::password_hash.eq(password_hash),
            admin_users::created_at.eq(millis(now)),
        ))
        .on_conflict_do_nothing()
        .execute(conn)?;
    Ok(inserted == 1)
}

/// Replaces the password and ends every session of the account; `false` when there is no such account.
pub fn set_password(conn: &mut SqliteConnection, email: &AdminEmail, password_hash: &str) -> QueryResult<bool> {
    conn.immediate_transaction(|conn| {
        let Some(user) = find_user(conn, email)? else {
            return Ok(false);
        };
        diesel::update(admin_users::table.find(user.id))
            .set(admin_users::password_hash.eq(password_hash))
            .execute(conn)?;
        diesel::delete(admin_sessions::table.filter(admin_sessions::user_id.eq(user.id))).execute(conn)?;
        Ok(true)
    })
}

/// Removes the account and its sessions; `false` when there is no such account.
pub fn remove_user(conn: &mut SqliteConnection, email: &AdminEmail) -> QueryResult<bool> {
    Ok(diesel::delete(admin_users::table.filter(admin_users::email.eq(email.as_ref()))).execute(conn)? == 1)
}

fn create_session(conn: &mut SqliteConnection, session_id: &str, user_id: i64, now: OffsetDateTime) -> QueryResult<()> {
    diesel::insert_into(admin_sessions::table)
        .values((
            admin_sessions::id.eq(session_id),
            admin_sessions::user_id.eq(user_id),
            admin_sessions::created_at.eq(millis(now)),
            admin_sessions::last_seen_at.eq(millis(now)),
        ))
        .execute(conn)?;
    Ok(())
}

/// The user of a live session, refreshing its idle clock; expired sessions are deleted.
pub fn touch_session(
    conn: &mut SqliteConnection,
    session_id: &str,
    now: OffsetDateTime,
    idle: time::Duration,
    absolute: time::Duration,
) -> QueryResult<Option<AdminUser>> {
    conn.immediate_transaction(|conn| {
        let found: Option<(i64, i64, AdminUser)> = admin_sessions::table
            .inner_join(admin_users::table)
            .filter(admin_sessions::id.eq(session_id))
            .select((admin_sessions::created_at, admin_sessions::last_seen_at, AdminUser::as_select()))
            .first(conn)
            .optional()?;
        let Some((created_at, last_seen_at, user)) = found else {
            return Ok(None);
        };
        let now_ms = millis(now);
        let expired =
            now_ms.saturating_sub(last_seen_at) > ms(idle) || now_ms.saturating_sub(created_at) > ms(absolute);
        if expired {
            diesel::delete(admin_sessions::table.find(session_id)).execute(conn)?;
            return Ok(None);
        }
        diesel::update(admin_sessions::table.find(session_id))
            .set(admin_sessions::last_seen_at.eq(now_ms))
            .execute(conn)?;
        Ok(Some(user))
    })
}

pub fn delete_session(conn: &mut SqliteConnection, session_id: &str) -> QueryResult<()> {
    diesel::delete(admin_sessions::table.find(session_id)).execute(conn)?;
    Ok(())
}

fn ms(duration: time::Duration) -> i64 {
    i64::try_from(duration.whole_milliseconds()).unwrap_or(i64::MAX)
}

/// Counts a login attempt against each key before the password is checked, so parallel
/// guesses cannot slip past the limit. `Err(until)` when a key is locked: nothing is counted.
/// A key reaching `max_attempts` within `window` is locked for `window`.
pub fn begin_attempt(
    conn: &mut SqliteConnection,
    keys: &[String],
    now: OffsetDateTime,
    max_attempts: u32,
    window: time::Duration,
) -> QueryResult<Result<(), OffsetDateTime>> {
    let now_ms = millis(now);
    let window_start = now_ms.saturating_sub(ms(window));
    conn.immediate_transaction(|conn| {
        let locked: Option<i64> = login_throttle::table
            .filter(login_throttle::key.eq_any(keys))
            .filter(login_throttle::locked_until.gt(now_ms))
            .select(diesel::dsl::max(login_throttle::locked_until))
            .first::<Option<i64>>(conn)?;
        if let Some(until) = locked {
            return Ok(Err(OffsetDateTime::from_unix_timestamp_nanos(i128::from(until) * 1_000_000).unwrap_or(now)));
        }
        for key in keys {
            let existing: Option<(i32, i64)> = login_throttle::table
                .find(key)
                .select((login_throttle::failures, login_throttle::first_failure_at))
                .first(conn)
                .optional()?;
            let (attempts, first) = match existing {
                Some((attempts, first)) if first >= window_start => (attempts.saturating_add(1), first),
                _ => (1, now_ms),
            };
            let locked = (u32::try_from(attempts).unwrap_or(u32::MAX) >= max_attempts)
                .then(|| now_ms.saturating_add(ms(window)));
            diesel::replace_into(login_throttle::table)
                .values((
                    login_throttle::key.eq(key),
                    login_throttle::failures.eq(attempts),
                    login_throttle::first_failure_at.eq(first),
                    login_throttle::locked_until.eq(locked),
                ))
                .execute(conn)?;
        }
        Ok(Ok(()))
    })
}

/// Takes back the attempt counted by `begin_attempt` when it succeeded: only failures count.
pub fn forgive_attempt(conn: &mut SqliteConnection, keys: &[String], max_attempts: u32) -> QueryResult<()> {
    conn.immediate_transaction(|conn| {
        for key in keys {
            let attempts: Option<i32> =
                login_throttle::table.find(key).select(login_throttle::failures).first(conn).optional()?;
            if let Some(attempts) = attempts {
                let left = attempts.saturating_sub(1).max(0);
                let still_locked = u32::try_from(left).unwrap_or(0) >= max_attempts;
                diesel::update(login_throttle::table.find(key)).set(login_throttle::failures.eq(left)).execute(conn)?;
                if !still_locked {
                    diesel::update(login_throttle::table.find(key))
                        .set(login_throttle::locked_until.eq(None::<i64>))
                        .execute(conn)?;
                }
            }
        }
        Ok(())
    })
}

/// Replaces the browser's old session (if any) with a new one, in one transaction.
pub fn start_session(
    conn: &mut SqliteConnection,
    old_session_id: Option<&str>,
    session_id: &str,
    user_id: i64,
    now: OffsetDateTime,
) -> QueryResult<()> {
    conn.immediate_transaction(|conn| {
        if let Some(old) = old_session_id {
            diesel::delete(admin_sessions::table.find(old)).execute(conn)?;
        }
        create_session(conn, session_id, user_id, now)
    })
}

/// Deletes sessions that can no longer be used and throttle counts that no longer count.
pub fn purge_stale(
    conn: &mut SqliteConnection,
    now: OffsetDateTime,
    idle: time::Duration,
    absolute: time::Duration,
    window: time::Duration,
) -> QueryResult<usize> {
    let now_ms = millis(now);
    let sessions = diesel::delete(
        admin_sessions::table.filter(
            admin_sessions::last_seen_at
                .lt(now_ms.saturating_sub(ms(idle)))
                .or(admin_sessions::created_at.lt(now_ms.saturating_sub(ms(absolute)))),
        ),
    )
    .execute(conn)?;
    let throttles = diesel::delete(
        login_throttle::table
            .filter(login_throttle::first_failure_at.lt(now_ms.saturating_sub(ms(window))))
            .filter(login_throttle::locked_until.is_null().or(login_throttle::locked_until.lt(now_ms))),
    )
    .execute(conn)?;
    Ok(sessions + throttles)
}
