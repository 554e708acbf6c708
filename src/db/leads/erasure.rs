//! Removing leads with every trace: notifications, notes and history go with them.

use diesel::prelude::*;
use time::OffsetDateTime;

use super::LeadStoreError;
use super::connection::{LeadConnection, WriteLock, write_transaction};
use super::sql::lower;
use crate::db::millis::millis;
use crate::db::schema::{lead_events, lead_notes, leads, outbox};
use crate::domain::LeadId;

/// How many rows an erasure removed, by table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Erased {
    pub leads: usize,
    pub notifications: usize,
    pub notes: usize,
    pub events: usize,
}

impl Erased {
    pub fn rows(&self) -> usize {
        self.leads + self.notifications + self.notes + self.events
    }
}

fn erase_ids(conn: &mut LeadConnection, ids: &[i64]) -> QueryResult<Erased> {
    Ok(Erased {
        notifications: diesel::delete(outbox::table.filter(outbox::lead_id.eq_any(ids))).execute(conn)?,
        notes: diesel::delete(lead_notes::table.filter(lead_notes::lead_id.eq_any(ids))).execute(conn)?,
        events: diesel::delete(lead_events::table.filter(lead_events::lead_id.eq_any(ids))).execute(conn)?,
        leads: diesel::delete(leads::table.filter(leads::id.eq_any(ids))).execute(conn)?,
    })
}

pub fn erase_lead(conn: &mut LeadConnection, lead_id: LeadId) -> Result<Erased, LeadStoreError> {
    Ok(write_transaction(conn, WriteLock::Lead(lead_id.get()), |conn| erase_ids(conn, &[lead_id.get()]))?)
}

/// Erases every lead sent with this e-mail address, whatever its capitalisation (both backends
/// index `lower(email)`).
pub fn erase_email(conn: &mut LeadConnection, email: &str) -> Result<Erased, LeadStoreError> {
    Ok(write_transaction(conn, WriteLock::Store, |conn| {
        let ids: Vec<i64> = leads::table.filter(lower(leads::email).eq(lower(email))).select(leads::id).load(conn)?;
        erase_ids(conn, &ids)
    })?)
}

/// Erases leads that arrived before `cutoff`: the retention rule. Each delete names the leads by
/// that condition, not by their ids, because a backlog of old leads may be more than one statement
/// can bind (32,766 values on SQLite, 65,535 on PostgreSQL). Run by two instances at once, the
/// second finds nothing left and erases nothing: each holds the whole store while it erases.
pub fn erase_older_than(conn: &mut LeadConnection, cutoff: OffsetDateTime) -> Result<Erased, LeadStoreError> {
    let cutoff = millis(cutoff);
    let old = || leads::table.filter(leads::created_at.lt(cutoff)).select(leads::id);
    Ok(write_transaction(conn, WriteLock::Store, |conn| {
        Ok::<_, diesel::result::Error>(Erased {
            notifications: diesel::delete(outbox::table.filter(outbox::lead_id.eq_any(old()))).execute(conn)?,
            notes: diesel::delete(lead_notes::table.filter(lead_notes::lead_id.eq_any(old()))).execute(conn)?,
            events: diesel::delete(lead_events::table.filter(lead_events::lead_id.eq_any(old()))).execute(conn)?,
            leads: diesel::delete(leads::table.filter(leads::created_at.lt(cutoff))).execute(conn)?,
        })
    })?)
}
