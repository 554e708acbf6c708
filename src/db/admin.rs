//! Staff accounts, their sessions and the login throttle.

use diesel::prelude::*;
use time::OffsetDateTime;

use super::leads::{LeadConnection, WriteLock, write_transaction};
use super::millis::{checked_from_millis, millis};
use super::schema::{admin_sessions, admin_users, login_throttle};
use crate::domain::AdminUserId;
use crate::domain::admin::AdminEmail;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = admin_users)]
pub struct AdminUser {
    #[diesel(deserialize_as = i64)]
    pub id: AdminUserId,
    pub email: String,
    pub password_hash: String,
    pub created_at: i64,
}

pub fn find_user(conn: &mut LeadConnection, email: &AdminEmail) -> QueryResult<Option<AdminUser>> {
    admin_users::table
        .filter(admin_users::email.eq(email.as_ref()))
        .select(AdminUser::as_select())
        .first(conn)
        .optional()
}

pub fn list_users(conn: &mut LeadConnection) -> QueryResult<Vec<AdminUser>> {
    admin_users::table.order(admin_users::email).select(AdminUser::as_select()).load(conn)
}

/// Creates the account; `false` when the e-mail address has one already.
pub fn add_user(
    conn: &mut LeadConnection,
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
        .execute(conn);
    // The unique address decides, so two instances adding the same account cannot both succeed.
    match inserted {
        Ok(rows) => Ok(rows == 1),
        Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => Ok(false),
        Err(error) => Err(error),
    }
}

/// Replaces the password and ends every session of the account; `false` when there is no such account.
pub fn set_password(conn: &mut LeadConnection, email: &AdminEmail, password_hash: &str) -> QueryResult<bool> {
    let account = format!("account:{}", email.as_ref());
    write_transaction(conn, WriteLock::Keys(&[&account]), |conn| {
        let Some(user) = find_user(conn, email)? else {
            return Ok(false);
        };
        diesel::update(admin_users::table.find(user.id.get()))
            .set(admin_users::password_hash.eq(password_hash))
            .execute(conn)?;
        diesel::delete(admin_sessions::table.filter(admin_sessions::user_id.eq(user.id.get()))).execute(conn)?;
        Ok(true)
    })
}

/// Removes the account and its sessions; `false` when there is no such account.
pub fn remove_user(conn: &mut LeadConnection, email: &AdminEmail) -> QueryResult<bool> {
    Ok(diesel::delete(admin_users::table.filter(admin_users::email.eq(email.as_ref()))).execute(conn)? == 1)
}

fn create_session(
    conn: &mut LeadConnection,
    session_id: &str,
    user_id: AdminUserId,
    now: OffsetDateTime,
) -> QueryResult<()> {
    diesel::insert_into(admin_sessions::table)
        .values((
            admin_sessions::id.eq(session_id),
            admin_sessions::user_id.eq(user_id.get()),
            admin_sessions::created_at.eq(millis(now)),
            admin_sessions::last_seen_at.eq(millis(now)),
        ))
        .execute(conn)?;
    Ok(())
}

/// The user of a live session, refreshing its idle clock; expired sessions are deleted.
pub fn touch_session(
    conn: &mut LeadConnection,
    session_id: &str,
    now: OffsetDateTime,
    idle: time::Duration,
    absolute: time::Duration,
) -> QueryResult<Option<AdminUser>> {
    let session = format!("session:{session_id}");
    write_transaction(conn, WriteLock::Keys(&[&session]), |conn| {
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

pub fn delete_session(conn: &mut LeadConnection, session_id: &str) -> QueryResult<()> {
    diesel::delete(admin_sessions::table.find(session_id)).execute(conn)?;
    Ok(())
}

fn ms(duration: time::Duration) -> i64 {
    i64::try_from(duration.whole_milliseconds()).unwrap_or(i64::MAX)
}

/// How a throttle key answers failures counted within `window` (from the first of them for a lock,
/// from the latest for a delay).
#[derive(Debug, Clone, Copy)]
pub enum ThrottleRule {
    /// The `max`th failure locks the key for `window`.
    Lock { max: u32, window: time::Duration },
    /// From the `after`th failure on, each attempt must wait `first`, doubled per further failure up to `longest`,
    /// before the next one is taken.
    Delay { after: u32, first: time::Duration, longest: time::Duration, window: time::Duration },
}

impl ThrottleRule {
    fn window(self) -> time::Duration {
        match self {
            ThrottleRule::Lock { window, .. } | ThrottleRule::Delay { window, .. } => window,
        }
    }

    /// Until when the key refuses attempts once `attempts` have been counted, if it does.
    fn engaged_until(self, attempts: u32, now_ms: i64) -> Option<i64> {
        match self {
            ThrottleRule::Lock { max, window } => (attempts >= max).then(|| now_ms.saturating_add(ms(window))),
            ThrottleRule::Delay { after, first, longest, .. } => (attempts >= after).then(|| {
                let doublings = (attempts - after).min(62);
                let wait = ms(first).saturating_mul(1_i64 << doublings).min(ms(longest));
                now_ms.saturating_add(wait)
            }),
        }
    }
}

/// One count of login attempts, e.g. those for an account from one client address.
#[derive(Debug, Clone)]
pub struct Throttle {
    pub key: String,
    pub rule: ThrottleRule,
}

/// Why an attempt was not taken: the throttle (by its index) that refuses the longest, and until when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused {
    pub throttle: usize,
    pub until: OffsetDateTime,
}

/// The throttle among `keys` (by index) that refuses attempts now and for longest, if any.
pub fn refusal(conn: &mut LeadConnection, keys: &[&str], now: OffsetDateTime) -> QueryResult<Option<Refused>> {
    let in_force: Vec<(String, i64)> = login_throttle::table
        .filter(login_throttle::key.eq_any(keys))
        .filter(login_throttle::locked_until.gt(millis(now)))
        .select((login_throttle::key, login_throttle::locked_until.assume_not_null()))
        .load(conn)?;
    Ok(in_force
        .iter()
        .filter_map(|(key, until)| keys.iter().position(|k| k == key).map(|index| (index, *until)))
        .max_by_key(|(_, until)| *until)
        .map(|(throttle, until)| Refused { throttle, until: checked_from_millis(until).unwrap_or(now) }))
}

/// Counts a login attempt against each throttle before the password is checked, so parallel
/// guesses cannot slip past a limit. `Err` when a throttle refuses: then nothing is counted.
/// `Ok` holds the indexes of the throttles this attempt engaged (a lock or a delay now in force).
pub fn begin_attempt(
    conn: &mut LeadConnection,
    throttles: &[Throttle],
    now: OffsetDateTime,
) -> QueryResult<Result<Vec<usize>, Refused>> {
    let now_ms = millis(now);
    let keys: Vec<&str> = throttles.iter().map(|t| t.key.as_str()).collect();
    // Refused attempts, the bulk of an attack, only read: the write lock is taken to count.
    if let Some(refused) = refusal(conn, &keys, now)? {
        return Ok(Err(refused));
    }
    let locks = throttle_locks(throttles);
    let locks: Vec<&str> = locks.iter().map(String::as_str).collect();
    write_transaction(conn, WriteLock::Keys(&locks), |conn| {
        if let Some(refused) = refusal(conn, &keys, now)? {
            return Ok(Err(refused));
        }
        let mut engaged = Vec::new();
        for (index, throttle) in throttles.iter().enumerate() {
            let window_start = now_ms.saturating_sub(ms(throttle.rule.window()));
            let existing: Option<(i32, i64)> = login_throttle::table
                .find(&throttle.key)
                .select((login_throttle::failures, login_throttle::first_failure_at))
                .first(conn)
                .optional()?;
            let (attempts, first) = match existing {
                Some((attempts, first)) if first >= window_start => {
                    // A delay's window runs from the latest failure, so an ongoing attack never resets it.
                    let sliding = matches!(throttle.rule, ThrottleRule::Delay { .. });
                    (attempts.saturating_add(1), if sliding { now_ms } else { first })
                }
                _ => (1, now_ms),
            };
            let until = throttle.rule.engaged_until(u32::try_from(attempts).unwrap_or(u32::MAX), now_ms);
            if until.is_some() {
                engaged.push(index);
            }
            let counted = (
                login_throttle::failures.eq(attempts),
                login_throttle::first_failure_at.eq(first),
                login_throttle::locked_until.eq(until),
            );
            if existing.is_some() {
                diesel::update(login_throttle::table.find(&throttle.key)).set(counted).execute(conn)?;
            } else {
                diesel::insert_into(login_throttle::table)
                    .values((login_throttle::key.eq(&throttle.key), counted))
                    .execute(conn)?;
            }
        }
        Ok(Ok(engaged))
    })
}

/// The keys a count of `throttles` holds on PostgreSQL: each count is read, then written.
fn throttle_locks(throttles: &[Throttle]) -> Vec<String> {
    throttles.iter().map(|t| format!("throttle:{}", t.key)).collect()
}

/// Takes back the attempt counted by `begin_attempt` when it succeeded: only failures count,
/// and a lock or delay that attempt engaged is lifted.
pub fn forgive_attempt(conn: &mut LeadConnection, throttles: &[Throttle]) -> QueryResult<()> {
    let locks = throttle_locks(throttles);
    let locks: Vec<&str> = locks.iter().map(String::as_str).collect();
    write_transaction(conn, WriteLock::Keys(&locks), |conn| {
        for throttle in throttles {
            let attempts: Option<i32> =
                login_throttle::table.find(&throttle.key).select(login_throttle::failures).first(conn).optional()?;
            if let Some(attempts) = attempts {
                let left = attempts.saturating_sub(1).max(0);
                let still_locked = match throttle.rule {
                    ThrottleRule::Lock { max, .. } => u32::try_from(left).unwrap_or(0) >= max,
                    ThrottleRule::Delay { .. } => false,
                };
                diesel::update(login_throttle::table.find(&throttle.key))
                    .set(login_throttle::failures.eq(left))
                    .execute(conn)?;
                if !still_locked {
                    diesel::update(login_throttle::table.find(&throttle.key))
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
    conn: &mut LeadConnection,
    old_session_id: Option<&str>,
    session_id: &str,
    user_id: AdminUserId,
    now: OffsetDateTime,
) -> QueryResult<()> {
    write_transaction(conn, WriteLock::Rows, |conn| {
        if let Some(old) = old_session_id {
            diesel::delete(admin_sessions::table.find(old)).execute(conn)?;
        }
        create_session(conn, session_id, user_id, now)
    })
}

/// Deletes sessions that can no longer be used and throttle counts that no longer count.
pub fn purge_stale(
    conn: &mut LeadConnection,
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

#[cfg(test)]
mod tests {
    use time::OffsetDateTime;

    use super::{Throttle, ThrottleRule, begin_attempt};

    #[test]
    fn an_account_delay_keeps_counting_while_failures_keep_coming() {
        let dir = tempfile::tempdir().expect("temp dir");
        let pool = crate::db::leads::connect_leads(
            &crate::db::leads::LeadsDatabase::Sqlite(dir.path().join("t.db")),
            std::time::Duration::from_secs(5),
            std::time::Duration::from_secs(5),
            1,
        )
        .expect("db");
        let window = time::Duration::minutes(15);
        let rule = ThrottleRule::Delay { after: 3, first: time::Duration::seconds(1), longest: window, window };
        let throttles = [Throttle { key: "account:x".into(), rule }];
        let start = OffsetDateTime::now_utc();
        let engaged: Vec<bool> = [0, 10, 20]
            .map(|minutes| {
                let at = start + time::Duration::minutes(minutes);
                let counted = begin_attempt(&mut pool.get().expect("connection"), &throttles, at).expect("counted");
                counted.expect("not refused").contains(&0)
            })
            .to_vec();
        assert_eq!(engaged, [false, false, true], "20 minutes after the first failure, but 10 after the last");
    }

    #[test]
    fn an_account_delay_doubles_with_each_further_failure_up_to_its_longest() {
        let rule = ThrottleRule::Delay {
            after: 3,
            first: time::Duration::milliseconds(100),
            longest: time::Duration::seconds(1),
            window: time::Duration::hours(1),
        };
        let waits: Vec<Option<i64>> = (1..=8).map(|attempts| rule.engaged_until(attempts, 0)).collect();
        assert_eq!(waits, [None, None, Some(100), Some(200), Some(400), Some(800), Some(1_000), Some(1_000)]);
        let lock = ThrottleRule::Lock { max: 2, window: time::Duration::seconds(5) };
        assert_eq!([lock.engaged_until(1, 0), lock.engaged_until(2, 0)], [None, Some(5_000)]);
    }
}
