//! A lead's deliveries to CRM webhooks: queued in the outbox beside its mails, one row per URL,
//! and what became of each for the staff's lead page.

use diesel::prelude::*;
use time::OffsetDateTime;

use super::LeadStoreError;
use super::connection::LeadConnection;
use crate::db::millis::millis;
use crate::db::schema::outbox;
use crate::domain::OutboxId;
use crate::domain::lead::{NotificationState, OutboxKind, OutboxState, WebhookUrl};

/// Queues the lead for each of `urls` that it has no row for yet, due at once; called inside the
/// transaction that stores the lead or restores it from spam. Returns how many were queued.
pub(super) fn queue_webhooks(
    conn: &mut LeadConnection,
    lead_id: i64,
    urls: &[WebhookUrl],
    now: OffsetDateTime,
) -> QueryResult<usize> {
    if urls.is_empty() {
        return Ok(0);
    }
    let queued: Vec<Option<String>> = outbox::table
        .filter(outbox::lead_id.eq(lead_id))
        .filter(outbox::kind.eq(OutboxKind::Webhook.code()))
        .select(outbox::webhook_url)
        .load(conn)?;
    let mut added = 0;
    for url in urls.iter().map(ToString::to_string) {
        if queued.iter().flatten().any(|queued| *queued == url) {
            continue;
        }
        added += diesel::insert_into(outbox::table)
            .values((
                outbox::lead_id.eq(lead_id),
                outbox::kind.eq(OutboxKind::Webhook.code()),
                outbox::webhook_url.eq(&url),
                outbox::next_attempt_at.eq(millis(now)),
                outbox::created_at.eq(millis(now)),
            ))
            .execute(conn)?;
    }
    Ok(added)
}

/// Where one of a lead's webhook deliveries stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookDelivery {
    pub outbox_id: OutboxId,
    pub url: String,
    pub state: NotificationState,
    /// Why the last attempt failed, if it did.
    pub last_error: Option<String>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = outbox)]
struct DeliveryRow {
    id: i64,
    webhook_url: Option<String>,
    state: String,
    attempts: i32,
    last_error: Option<String>,
}

/// The lead's webhook deliveries in the order they were queued.
pub fn webhook_deliveries(
    conn: &mut LeadConnection,
    lead_id: crate::domain::LeadId,
) -> Result<Vec<WebhookDelivery>, LeadStoreError> {
    let rows: Vec<DeliveryRow> = outbox::table
        .filter(outbox::lead_id.eq(lead_id.get()))
        .filter(outbox::kind.eq(OutboxKind::Webhook.code()))
        .order(outbox::id.asc())
        .select(DeliveryRow::as_select())
        .load(conn)?;
    rows.into_iter()
        .map(|DeliveryRow { id, webhook_url: url, state, attempts, last_error }| {
            let corrupt = |problem: String| LeadStoreError::Corrupt { id: lead_id, problem };
            let state =
                OutboxState::from_code(&state).ok_or_else(|| corrupt(format!("outbox row {id} in state {state}")))?;
            Ok(WebhookDelivery {
                outbox_id: OutboxId::from(id),
                url: url.ok_or_else(|| corrupt(format!("webhook row {id} without a URL")))?,
                state: NotificationState::from_stored(state, u32::try_from(attempts).unwrap_or(0)),
                last_error,
            })
        })
        .collect()
}
