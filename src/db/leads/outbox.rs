//! The notification outbox: claiming due rows in batches with a lease in a worker's name, and
//! recording the attempts, so that workers of several instances on one database never send one
//! notification at the same time.

use std::fmt;

use diesel::prelude::*;
use time::OffsetDateTime;

use super::LeadStoreError;
use super::connection::{LeadConnection, WriteLock, write_transaction};
use crate::db::millis::millis;
use crate::db::schema::outbox;
use crate::domain::lead::{NotificationState, OutboxKind, OutboxState};
use crate::domain::{LeadId, OutboxId};
use crate::hex::encode_hex;

/// The name an outbox worker claims rows in: made afresh at every start, so a restarted
/// instance does not take its predecessor's claims for its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerId(String);

impl WorkerId {
    pub fn random() -> WorkerId {
        let mut bytes = [0u8; 8];
        getrandom::fill(&mut bytes).unwrap_or_else(|e| panic!("the operating system has no randomness: {e}"));
        WorkerId(encode_hex(&bytes))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for WorkerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A mail that is due and now held by the claiming worker until the lease ends.
#[derive(Debug, Clone)]
pub struct ClaimedNotification {
    pub outbox_id: OutboxId,
    pub lead_id: LeadId,
    pub kind: OutboxKind,
    /// The address of a mail; none for a webhook.
    pub recipient: Option<String>,
    /// Where a webhook delivery is POSTed; none for a mail.
    pub webhook_url: Option<String>,
    pub attempts: i32,
    /// The worker whose lease on it ran out without an outcome (it crashed, or its send
    /// outlasted the lease), if there was one.
    pub taken_over_from: Option<String>,
}

/// Id, lead, kind, recipient, webhook URL, attempts and claiming worker of a due row.
type DueRow = (i64, i64, String, Option<String>, Option<String>, i32, Option<String>);

/// Claims up to `limit` notifications, those due longest first, for `worker` until `now + lease`,
/// in one transaction (one flush to disk for the lot): a row another worker holds is skipped until
/// its lease has ended, then taken over.
///
/// Two workers cannot pick the same row: on SQLite the immediate transaction lets one claim at a
/// time; on PostgreSQL the select locks the rows it returns and skips those another claim has
/// locked (`FOR UPDATE SKIP LOCKED`), so workers of several instances claim side by side.
pub fn claim_due(
    conn: &mut LeadConnection,
    worker: &WorkerId,
    now: OffsetDateTime,
    lease: time::Duration,
    limit: usize,
) -> Result<Vec<ClaimedNotification>, LeadStoreError> {
    let now_ms = millis(now);
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    write_transaction(conn, WriteLock::Rows, |conn| {
        let due = || {
            outbox::table
                .filter(outbox::state.eq(OutboxState::Pending.code()))
                .filter(outbox::next_attempt_at.le(now_ms))
                .filter(outbox::locked_until.is_null().or(outbox::locked_until.lt(now_ms)))
                .order((outbox::next_attempt_at.asc(), outbox::id.asc()))
                .select((
                    outbox::id,
                    outbox::lead_id,
                    outbox::kind,
                    outbox::recipient,
                    outbox::webhook_url,
                    outbox::attempts,
                    outbox::claimed_by,
                ))
                .limit(limit)
        };
        let rows: Vec<DueRow> = match conn {
            LeadConnection::Sqlite(sqlite) => due().load(sqlite)?,
            LeadConnection::Postgres(pg) => due().for_update().skip_locked().load(pg)?,
        };
        let ids: Vec<i64> = rows.iter().map(|row| row.0).collect();
        diesel::update(outbox::table.filter(outbox::id.eq_any(&ids)))
            .set((outbox::locked_until.eq(millis(now + lease)), outbox::claimed_by.eq(worker.as_str())))
            .execute(conn)?;
        rows.into_iter()
            .map(|(outbox_id, lead_id, kind, recipient, webhook_url, attempts, previous)| {
                let kind = OutboxKind::from_code(&kind).ok_or_else(|| LeadStoreError::Corrupt {
                    id: LeadId::from(lead_id),
                    problem: format!("outbox row {outbox_id} of kind {kind}"),
                })?;
                Ok(ClaimedNotification {
                    outbox_id: OutboxId::from(outbox_id),
                    lead_id: LeadId::from(lead_id),
                    kind,
                    recipient,
                    webhook_url,
                    attempts,
                    taken_over_from: previous,
                })
            })
            .collect()
    })
}

/// What came of one attempt to send a claimed notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Sent {
        at: OffsetDateTime,
    },
    /// Retried at `retry_at`, or given up when that is `None`.
    Failed {
        error: String,
        retry_at: Option<OffsetDateTime>,
    },
    /// Not tried: the claim is given back as it was, for any worker to take at once.
    Released,
}

/// Records what came of several claimed notifications in one transaction (one flush to disk for
/// the lot); for each, `false` when `worker` no longer held it. The rows are updated one by one
/// under the condition that `worker` holds them, which is checked again on the row changed, so
/// no lock beyond the rows' own is needed.
pub fn record_outcomes(
    conn: &mut LeadConnection,
    worker: &WorkerId,
    outcomes: &[(OutboxId, Outcome)],
) -> Result<Vec<bool>, LeadStoreError> {
    write_transaction(conn, WriteLock::Rows, |conn| {
        outcomes
            .iter()
            .map(|(outbox_id, outcome)| match outcome {
                Outcome::Sent { at } => mark_sent(conn, worker, *outbox_id, *at),
                Outcome::Failed { error, retry_at } => mark_attempt_failed(conn, worker, *outbox_id, error, *retry_at),
                Outcome::Released => release(conn, worker, *outbox_id),
            })
            .collect()
    })
}

/// Records the notification as sent; `false` when `worker` no longer held it. A worker whose
/// lease ran out and was taken over records nothing: the one that holds the row now decides.
pub fn mark_sent(
    conn: &mut LeadConnection,
    worker: &WorkerId,
    outbox_id: OutboxId,
    now: OffsetDateTime,
) -> Result<bool, LeadStoreError> {
    let updated = diesel::update(outbox::table.find(outbox_id.get()).filter(outbox::claimed_by.eq(worker.as_str())))
        .set((
            outbox::state.eq(OutboxState::Sent.code()),
            outbox::sent_at.eq(millis(now)),
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::locked_until.eq(None::<i64>),
            outbox::claimed_by.eq(None::<String>),
            outbox::last_error.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(updated == 1)
}

/// Records a failed attempt: retried at `retry_at`, or given up when that is `None`; `false`
/// when `worker` no longer held the notification.
pub fn mark_attempt_failed(
    conn: &mut LeadConnection,
    worker: &WorkerId,
    outbox_id: OutboxId,
    error: &str,
    retry_at: Option<OffsetDateTime>,
) -> Result<bool, LeadStoreError> {
    let state = if retry_at.is_some() { OutboxState::Pending } else { OutboxState::Failed };
    let updated = diesel::update(outbox::table.find(outbox_id.get()).filter(outbox::claimed_by.eq(worker.as_str())))
        .set((
            outbox::state.eq(state.code()),
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::next_attempt_at.eq(retry_at.map(millis).unwrap_or(i64::MAX)),
            outbox::locked_until.eq(None::<i64>),
            outbox::claimed_by.eq(None::<String>),
            outbox::last_error.eq(error),
        ))
        .execute(conn)?;
    Ok(updated == 1)
}

/// Gives back a claim not tried, without counting an attempt; `false` when `worker` no longer held it.
fn release(conn: &mut LeadConnection, worker: &WorkerId, outbox_id: OutboxId) -> Result<bool, LeadStoreError> {
    let updated = diesel::update(outbox::table.find(outbox_id.get()).filter(outbox::claimed_by.eq(worker.as_str())))
        .set((outbox::locked_until.eq(None::<i64>), outbox::claimed_by.eq(None::<String>)))
        .execute(conn)?;
    Ok(updated == 1)
}

/// Outbox rows (mails and webhook deliveries) by delivery state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxCounts {
    pub pending: i64,
    pub sent: i64,
    pub failed: i64,
}

impl OutboxCounts {
    fn add(&mut self, state: &str, rows: i64) {
        match OutboxState::from_code(state) {
            Some(OutboxState::Pending) => self.pending += rows,
            Some(OutboxState::Sent) => self.sent += rows,
            Some(OutboxState::Failed) | None => self.failed += rows,
        }
    }
}

/// The whole outbox by delivery state.
pub fn outbox_counts(conn: &mut LeadConnection) -> Result<OutboxCounts, LeadStoreError> {
    let rows: Vec<(String, i64)> =
        outbox::table.group_by(outbox::state).select((outbox::state, diesel::dsl::count_star())).load(conn)?;
    let mut counts = OutboxCounts::default();
    for (state, n) in rows {
        counts.add(&state, n);
    }
    Ok(counts)
}

/// The outbox by kind and delivery state, every kind listed (with zeros when it has no rows), so
/// that a failing CRM webhook is told apart from failing mail.
pub fn outbox_counts_by_kind(conn: &mut LeadConnection) -> Result<Vec<(OutboxKind, OutboxCounts)>, LeadStoreError> {
    let rows: Vec<(String, String, i64)> = outbox::table
        .group_by((outbox::kind, outbox::state))
        .select((outbox::kind, outbox::state, diesel::dsl::count_star()))
        .load(conn)?;
    let mut counts: Vec<(OutboxKind, OutboxCounts)> =
        OutboxKind::ALL.into_iter().map(|kind| (kind, OutboxCounts::default())).collect();
    for (kind, state, n) in rows {
        if let Some((_, of_kind)) = counts.iter_mut().find(|(k, _)| k.code() == kind) {
            of_kind.add(&state, n);
        }
    }
    Ok(counts)
}

/// The delivery state of one lead's notification, if it has one.
pub fn notification_state(
    conn: &mut LeadConnection,
    lead_id: LeadId,
) -> Result<Option<NotificationState>, LeadStoreError> {
    mail_state(conn, lead_id, OutboxKind::Notification)
}

/// The delivery state of one lead's mail of `kind`, if it has one.
pub fn mail_state(
    conn: &mut LeadConnection,
    lead_id: LeadId,
    kind: OutboxKind,
) -> Result<Option<NotificationState>, LeadStoreError> {
    let row: Option<(String, i32)> = outbox::table
        .filter(outbox::lead_id.eq(lead_id.get()))
        .filter(outbox::kind.eq(kind.code()))
        .select((outbox::state, outbox::attempts))
        .first(conn)
        .optional()?;
    Ok(row.and_then(|(state, attempts)| {
        Some(NotificationState::from_stored(OutboxState::from_code(&state)?, u32::try_from(attempts).unwrap_or(0)))
    }))
}
