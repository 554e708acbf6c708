//! Removing leads with every trace: notifications, notes and history go with them.

use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;
use time::OffsetDateTime;

use super::LeadStoreError;
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

fn erase_ids(conn: &mut SqliteConnection, ids: &[i64]) -> QueryResult<Erased> {
    Ok(Erased {
        notifications: diesel::delete(outbox::table.filter(outbox::lead_id.eq_any(ids))).execute(conn)?,
        notes: diesel::delete(lead_notes::table.filter(lead_notes::lead_id.eq_any(ids))).execute(conn)?,
        events: diesel::delete(lead_events::table.filter(lead_events::lead_id.eq_any(ids))).execute(conn)?,
        leads: diesel::delete(leads::table.filter(leads::id.eq_any(ids))).execute(conn)?,
    })
}

pub fn erase_lead(conn: &mut SqliteConnection, lead_id: LeadId) -> Result<Erased, LeadStoreError> {
    Ok(conn.immediate_transaction(|conn| erase_ids(conn, &[lead_id.get()]))?)
}

/// Erases every lead sent with this e-mail address, whatever its capitalisation.
pub fn erase_email(conn: &mut SqliteConnection, email: &str) -> Result<Erased, LeadStoreError> {
    Ok(conn.immediate_transaction(|conn| {
        let ids: Vec<i64> = leads::table
            .filter(
                diesel::dsl::sql::<diesel::sql_types::Bool>("email = ")
                    .bind::<diesel::sql_types::Text, _>(email)
                    .sql(" COLLATE NOCASE"),
            )
            .select(leads::id)
            .load(conn)?;
        erase_ids(conn, &ids)
    })?)
}

/// Erases leads that arrived before `cutoff`: the retention rule. Each delete names the leads by
/// that condition, not by their ids, because a backlog of old leads may be more than one statement
/// can bind (32,766 values on SQLite, 65,535 on PostgreSQL). Run by two instances at once, the
/// second finds nothing left and erases nothing.
pub fn erase_older_than(conn: &mut SqliteConnection, cutoff: OffsetDateTime) -> Result<Erased, LeadStoreError> {
    let cutoff = millis(cutoff);
    let old = || leads::table.filter(leads::created_at.lt(cutoff)).select(leads::id);
    Ok(conn.immediate_transaction(|conn| {
        Ok::<_, diesel::result::Error>(Erased {
            notifications: diesel::delete(outbox::table.filter(outbox::lead_id.eq_any(old()))).execute(conn)?,
            notes: diesel::delete(lead_notes::table.filter(lead_notes::lead_id.eq_any(old()))).execute(conn)?,
            events: diesel::delete(lead_events::table.filter(lead_events::lead_id.eq_any(old()))).execute(conn)?,
            leads: diesel::delete(leads::table.filter(leads::created_at.lt(cutoff))).execute(conn)?,
        })
    })?)
}
