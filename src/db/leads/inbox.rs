//! The staff's view of leads: filtered lists, notes, the status history, notification retries.

use diesel::prelude::*;
use time::{OffsetDateTime, Time};

use super::LeadStoreError;
use super::connection::{LeadConnection, MultiBackend, WriteLock, write_transaction};
use super::sql::lower;
use super::store::LeadRow;
use super::webhooks::queue_webhooks;
use crate::db::millis::{from_millis, millis};
use crate::db::schema::{lead_events, lead_notes, leads, outbox};
use crate::domain::lead::{
    EventKind, Lead, LeadFilter, LeadStatus, NotificationState, OutboxKind, OutboxState, WebhookUrl,
};
use crate::domain::{LeadId, OutboxId};

type BoxedLeads<'a> = leads::BoxedQuery<'a, MultiBackend>;

fn filtered(filter: &LeadFilter) -> BoxedLeads<'_> {
    let mut query = leads::table.into_boxed();
    query = if filter.spam {
        query.filter(leads::status.eq(LeadStatus::Spam.code()))
    } else {
        query.filter(leads::status.ne(LeadStatus::Spam.code()))
    };
    if let Some(status) = filter.status {
        query = query.filter(leads::status.eq(status.code()));
    }
    if let Some(profile) = &filter.profile {
        query = query.filter(leads::profile_slug.eq(profile.as_str()));
    }
    if let Some(from) = filter.from {
        query = query.filter(leads::created_at.ge(millis(from.with_time(Time::MIDNIGHT).assume_utc())));
    }
    if let Some(to) = filter.to.and_then(|d| d.next_day()) {
        query = query.filter(leads::created_at.lt(millis(to.with_time(Time::MIDNIGHT).assume_utc())));
    }
    if let Some(search) = &filter.search {
        let pattern = format!("%{}%", search.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        // Both sides in lower case: SQLite's LIKE ignores case, PostgreSQL's does not.
        query = query.filter(
            lower(leads::company)
                .like(lower(pattern.clone()))
                .escape('\\')
                .or(lower(leads::contact_name).like(lower(pattern.clone())).escape('\\'))
                .or(lower(leads::email).like(lower(pattern)).escape('\\')),
        );
    }
    query
}

/// One page of matching leads, newest first, and how many match in all.
pub fn list_leads(
    conn: &mut LeadConnection,
    filter: &LeadFilter,
    offset: i64,
    limit: i64,
) -> Result<(Vec<Lead>, i64), LeadStoreError> {
    let total = filtered(filter).count().get_result(conn)?;
    let rows: Vec<LeadRow> =
        filtered(filter).order(leads::id.desc()).offset(offset).limit(limit).select(LeadRow::as_select()).load(conn)?;
    Ok((rows.into_iter().map(Lead::try_from).collect::<Result<_, _>>()?, total))
}

/// Every matching lead, newest first; for exports.
pub fn all_leads(conn: &mut LeadConnection, filter: &LeadFilter) -> Result<Vec<Lead>, LeadStoreError> {
    filtered(filter)
        .order(leads::id.desc())
        .select(LeadRow::as_select())
        .load(conn)?
        .into_iter()
        .map(Lead::try_from)
        .collect()
}

/// Every lead that arrived at or after `since`, spam included; for the command-line export.
pub fn leads_since(conn: &mut LeadConnection, since: Option<OffsetDateTime>) -> Result<Vec<Lead>, LeadStoreError> {
    let mut query = leads::table.into_boxed();
    if let Some(since) = since {
        query = query.filter(leads::created_at.ge(millis(since)));
    }
    query.order(leads::id.asc()).select(LeadRow::as_select()).load(conn)?.into_iter().map(Lead::try_from).collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub author: String,
    pub body: String,
    pub created_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub actor: String,
    pub kind: EventKind,
    pub from: Option<String>,
    pub to: Option<String>,
    pub created_at: OffsetDateTime,
}

pub fn notes(conn: &mut LeadConnection, lead_id: LeadId) -> Result<Vec<Note>, LeadStoreError> {
    let rows: Vec<(String, String, i64)> = lead_notes::table
        .filter(lead_notes::lead_id.eq(lead_id.get()))
        .order(lead_notes::id.asc())
        .select((lead_notes::author, lead_notes::body, lead_notes::created_at))
        .load(conn)?;
    Ok(rows.into_iter().map(|(author, body, at)| Note { author, body, created_at: from_millis(at) }).collect())
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = lead_events)]
struct EventRow {
    actor: String,
    kind: String,
    from_value: Option<String>,
    to_value: Option<String>,
    created_at: i64,
}

pub fn events(conn: &mut LeadConnection, lead_id: LeadId) -> Result<Vec<Event>, LeadStoreError> {
    let rows: Vec<EventRow> = lead_events::table
        .filter(lead_events::lead_id.eq(lead_id.get()))
        .order(lead_events::id.asc())
        .select(EventRow::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(Event {
                kind: EventKind::from_code(&r.kind)?,
                actor: r.actor,
                from: r.from_value,
                to: r.to_value,
                created_at: from_millis(r.created_at),
            })
        })
        .collect())
}

fn record(
    conn: &mut LeadConnection,
    lead_id: i64,
    actor: &str,
    kind: EventKind,
    from: Option<&str>,
    to: Option<&str>,
    now: OffsetDateTime,
) -> QueryResult<()> {
    diesel::insert_into(lead_events::table)
        .values((
            lead_events::lead_id.eq(lead_id),
            lead_events::actor.eq(actor),
            lead_events::kind.eq(kind.code()),
            lead_events::from_value.eq(from),
            lead_events::to_value.eq(to),
            lead_events::created_at.eq(millis(now)),
        ))
        .execute(conn)?;
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusChange {
    /// `notify`: the lead came back from spam and now waits for its notification or webhooks.
    Changed {
        from: LeadStatus,
        notify: bool,
    },
    /// The workflow does not lead from the current status to the requested one.
    NotAllowed {
        current: LeadStatus,
    },
    NoSuchLead,
}

/// Moves a lead along the workflow and records who did it; the check and the write are one
/// transaction. A lead restored from spam gets the notification it never had, sent to `recipient`,
/// and is queued for the `webhooks` it has not been queued for; not the confirmation, which would
/// reach the company long after it sent the form.
///
/// Two instances changing one lead at once take turns (the lead's key on PostgreSQL); should
/// anything bypass that, the status still changes only from the one read, and the lead's one
/// notification is a unique key.
pub fn change_status(
    conn: &mut LeadConnection,
    lead_id: LeadId,
    to: LeadStatus,
    actor: &str,
    recipient: &str,
    webhooks: &[WebhookUrl],
    now: OffsetDateTime,
) -> Result<StatusChange, LeadStoreError> {
    let lead_id = lead_id.get();
    write_transaction(conn, WriteLock::Lead(lead_id), |conn| {
        let current: Option<String> = leads::table.find(lead_id).select(leads::status).first(conn).optional()?;
        let Some(current) = current.as_deref().and_then(LeadStatus::from_code) else {
            return Ok(StatusChange::NoSuchLead);
        };
        if !current.can_move_to(to) {
            return Ok(StatusChange::NotAllowed { current });
        }
        let moved = diesel::update(leads::table.find(lead_id).filter(leads::status.eq(current.code())))
            .set(leads::status.eq(to.code()))
            .execute(conn)?;
        if moved == 0 {
            let status_now: Option<String> = leads::table.find(lead_id).select(leads::status).first(conn).optional()?;
            return Ok(match status_now.as_deref().and_then(LeadStatus::from_code) {
                Some(current) => StatusChange::NotAllowed { current },
                None => StatusChange::NoSuchLead,
            });
        }
        record(conn, lead_id, actor, EventKind::Status, Some(current.code()), Some(to.code()), now)?;
        // One notification per lead (a unique index): a lead restored from spam a second time was
        // notified the first time. The write transaction makes the look-up and the insert one step.
        let notify = current == LeadStatus::Spam
            && outbox::table
                .filter(outbox::lead_id.eq(lead_id))
                .filter(outbox::kind.eq(OutboxKind::Notification.code()))
                .count()
                .get_result::<i64>(conn)?
                == 0;
        if notify {
            diesel::insert_into(outbox::table)
                .values((
                    outbox::lead_id.eq(lead_id),
                    outbox::kind.eq(OutboxKind::Notification.code()),
                    outbox::recipient.eq(recipient),
                    outbox::next_attempt_at.eq(millis(now)),
                    outbox::created_at.eq(millis(now)),
                ))
                .execute(conn)?;
        }
        let posted = current == LeadStatus::Spam && queue_webhooks(conn, lead_id, webhooks, now)? > 0;
        Ok(StatusChange::Changed { from: current, notify: notify || posted })
    })
}

/// Adds an internal note; `false` when the lead does not exist.
pub fn add_note(
    conn: &mut LeadConnection,
    lead_id: LeadId,
    author: &str,
    body: &str,
    now: OffsetDateTime,
) -> Result<bool, LeadStoreError> {
    let lead_id = lead_id.get();
    write_transaction(conn, WriteLock::Lead(lead_id), |conn| {
        let exists: i64 = leads::table.filter(leads::id.eq(lead_id)).count().get_result(conn)?;
        if exists == 0 {
            return Ok(false);
        }
        diesel::insert_into(lead_notes::table)
            .values((
                lead_notes::lead_id.eq(lead_id),
                lead_notes::author.eq(author),
                lead_notes::body.eq(body),
                lead_notes::created_at.eq(millis(now)),
            ))
            .execute(conn)?;
        record(conn, lead_id, author, EventKind::Note, None, None, now)?;
        Ok(true)
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    Queued,
    /// Waiting, sent, being sent right now, or spam without a notification.
    NothingToRetry,
    NoSuchLead,
}

/// Which of a lead's outbox rows staff send again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryTarget {
    Notification,
    /// One of its webhook deliveries.
    Webhook(OutboxId),
}

/// Puts a notification or webhook delivery that failed back in line for an immediate attempt,
/// unless a worker is sending it at this moment.
pub fn retry_delivery(
    conn: &mut LeadConnection,
    lead_id: LeadId,
    target: RetryTarget,
    actor: &str,
    now: OffsetDateTime,
) -> Result<Retry, LeadStoreError> {
    let lead_id = lead_id.get();
    write_transaction(conn, WriteLock::Lead(lead_id), |conn| {
        let exists: i64 = leads::table.filter(leads::id.eq(lead_id)).count().get_result(conn)?;
        if exists == 0 {
            return Ok(Retry::NoSuchLead);
        }
        let now_ms = millis(now);
        let mut rows = outbox::table
            .filter(outbox::lead_id.eq(lead_id))
            .filter(outbox::locked_until.is_null().or(outbox::locked_until.lt(now_ms)))
            .into_boxed();
        rows = match target {
            RetryTarget::Notification => rows.filter(outbox::kind.eq(OutboxKind::Notification.code())),
            RetryTarget::Webhook(id) => {
                rows.filter(outbox::kind.eq(OutboxKind::Webhook.code())).filter(outbox::id.eq(id.get()))
            }
        };
        let row: Option<(i64, String, i32, Option<String>)> =
            rows.select((outbox::id, outbox::state, outbox::attempts, outbox::webhook_url)).first(conn).optional()?;
        let retryable = row
            .as_ref()
            .and_then(|(_, state, attempts, _)| {
                Some(NotificationState::from_stored(
                    OutboxState::from_code(state)?,
                    u32::try_from(*attempts).unwrap_or(0),
                ))
            })
            .is_some_and(NotificationState::can_retry);
        let Some((row_id, state, _, webhook_url)) = row.filter(|_| retryable) else {
            return Ok(Retry::NothingToRetry);
        };
        diesel::update(outbox::table.find(row_id))
            .set((
                outbox::state.eq(OutboxState::Pending.code()),
                outbox::next_attempt_at.eq(now_ms),
                outbox::locked_until.eq(None::<i64>),
            ))
            .execute(conn)?;
        let (kind, to) = match target {
            RetryTarget::Notification => (EventKind::Retry, Some(OutboxState::Pending.code())),
            RetryTarget::Webhook(_) => (EventKind::WebhookRetry, webhook_url.as_deref()),
        };
        record(conn, lead_id, actor, kind, Some(&state), to, now)?;
        Ok(Retry::Queued)
    })
}
