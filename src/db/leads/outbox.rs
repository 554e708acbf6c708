//! The notification outbox: claiming due rows with a lease, and recording each attempt.

use diesel::prelude::*;
use time::OffsetDateTime;

use super::LeadStoreError;
use super::connection::{LeadConnection, write_transaction};
use crate::db::millis::millis;
use crate::db::schema::outbox;
use crate::domain::lead::{NotificationState, OutboxState};
use crate::domain::{LeadId, OutboxId};

/// A notification that is due and now held by the caller until the lease ends.
#[derive(Debug, Clone)]
pub struct ClaimedNotification {
    pub outbox_id: OutboxId,
    pub lead_id: LeadId,
    pub recipient: String,
    pub attempts: i32,
}

/// Takes up to `limit` due notifications, leasing each for `lease` so that no other worker
/// sends it at the same time.
pub fn claim_due(
    conn: &mut LeadConnection,
    now: OffsetDateTime,
    lease: time::Duration,
    limit: i64,
) -> Result<Vec<ClaimedNotification>, LeadStoreError> {
    let now_ms = millis(now);
    let until = millis(now + lease);
    write_transaction(conn, |conn| {
        let due: Vec<(i64, i64, String, i32)> = outbox::table
            .filter(outbox::state.eq(OutboxState::Pending.code()))
            .filter(outbox::next_attempt_at.le(now_ms))
            .filter(outbox::locked_until.is_null().or(outbox::locked_until.lt(now_ms)))
            .order(outbox::next_attempt_at.asc())
            .limit(limit)
            .select((outbox::id, outbox::lead_id, outbox::recipient, outbox::attempts))
            .load(conn)?;
        let ids: Vec<i64> = due.iter().map(|row| row.0).collect();
        diesel::update(outbox::table.filter(outbox::id.eq_any(&ids)))
            .set(outbox::locked_until.eq(until))
            .execute(conn)?;
        Ok(due
            .into_iter()
            .map(|(outbox_id, lead_id, recipient, attempts)| ClaimedNotification {
                outbox_id: OutboxId::from(outbox_id),
                lead_id: LeadId::from(lead_id),
                recipient,
                attempts,
            })
            .collect())
    })
}

pub fn mark_sent(conn: &mut LeadConnection, outbox_id: OutboxId, now: OffsetDateTime) -> Result<(), LeadStoreError> {
    diesel::update(outbox::table.find(outbox_id.get()))
        .set((
            outbox::state.eq(OutboxState::Sent.code()),
            outbox::sent_at.eq(millis(now)),
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::locked_until.eq(None::<i64>),
            outbox::last_error.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records a failed attempt: retried at `retry_at`, or given up when that is `None`.
pub fn mark_attempt_failed(
    conn: &mut LeadConnection,
    outbox_id: OutboxId,
    error: &str,
    retry_at: Option<OffsetDateTime>,
) -> Result<(), LeadStoreError> {
    let state = if retry_at.is_some() { OutboxState::Pending } else { OutboxState::Failed };
    diesel::update(outbox::table.find(outbox_id.get()))
        .set((
            outbox::state.eq(state.code()),
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::next_attempt_at.eq(retry_at.map(millis).unwrap_or(i64::MAX)),
            outbox::locked_until.eq(None::<i64>),
            outbox::last_error.eq(error),
        ))
        .execute(conn)?;
    Ok(())
}

/// Notifications by delivery state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxCounts {
    pub pending: i64,
    pub sent: i64,
    pub failed: i64,
}

pub fn outbox_counts(conn: &mut LeadConnection) -> Result<OutboxCounts, LeadStoreError> {
    let rows: Vec<(String, i64)> =
        outbox::table.group_by(outbox::state).select((outbox::state, diesel::dsl::count_star())).load(conn)?;
    let mut counts = OutboxCounts::default();
    for (state, n) in rows {
        match OutboxState::from_code(&state) {
            Some(OutboxState::Pending) => counts.pending = n,
            Some(OutboxState::Sent) => counts.sent = n,
            Some(OutboxState::Failed) | None => counts.failed += n,
        }
    }
    Ok(counts)
}

/// The delivery state of one lead's notification, if it has one.
pub fn notification_state(
    conn: &mut LeadConnection,
    lead_id: LeadId,
) -> Result<Option<NotificationState>, LeadStoreError> {
    let row: Option<(String, i32)> = outbox::table
        .filter(outbox::lead_id.eq(lead_id.get()))
        .select((outbox::state, outbox::attempts))
        .first(conn)
        .optional()?;
    Ok(row.and_then(|(state, attempts)| {
        Some(NotificationState::from_stored(OutboxState::from_code(&state)?, u32::try_from(attempts).unwrap_or(0)))
    }))
}
