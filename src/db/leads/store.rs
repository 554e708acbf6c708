//! Writing a new lead with its notification, and reading leads back.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error};
use time::{Date, OffsetDateTime};

use super::LeadStoreError;
use super::connection::{LeadConnection, WriteLock, write_transaction};
use super::webhooks::queue_webhooks;
use crate::db::millis::{from_millis, millis};
use crate::db::schema::{leads, outbox};
use crate::domain::lead::{
    Attribution, EmailAddress, Engagement, Headcount, Lead, LeadStatus, Message, NewLead, OneLine, OutboxKind,
    PhoneNumber, SpamReason, WebhookUrl, WorkMode,
};
use crate::domain::{ISO_DATE, Lang, LeadId, Slug};

/// Who answers a lead: resolved from the content when the lead arrives.
pub struct Recipient {
    pub person_id: Option<Slug>,
    pub name: String,
    pub email: String,
}

/// Everything that is written for one submission; owned, so that it can wait for its batch.
pub struct Submission {
    pub submission_id: String,
    pub request: NewLead,
    pub attribution: Attribution,
    pub page_lang: Lang,
    pub spam: Option<SpamReason>,
    pub recipient: Recipient,
    /// Whether the company gets a confirmation mail (never for spam, whatever this says).
    pub confirm: bool,
    /// The CRM webhooks the lead is POSTed to (never for spam).
    pub webhooks: Arc<[WebhookUrl]>,
    pub now: OffsetDateTime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// A new lead; `notify` is false for spam, which gets no outbox rows.
    New { lead_id: LeadId, notify: bool },
    /// The same submission id was stored before: nothing was written.
    Duplicate { lead_id: LeadId },
}

#[derive(Insertable)]
#[diesel(table_name = leads)]
struct NewLeadRow<'a> {
    submission_id: &'a str,
    created_at: i64,
    status: &'a str,
    spam_reason: Option<&'a str>,
    company: &'a str,
    contact_name: &'a str,
    email: &'a str,
    phone: Option<&'a str>,
    role: &'a str,
    headcount: i32,
    engagement: &'a str,
    work_mode: &'a str,
    location: Option<&'a str>,
    start_date: Option<String>,
    budget: Option<&'a str>,
    message: &'a str,
    consent_at: i64,
    page_lang: &'a str,
    profile_slug: Option<&'a str>,
    referrer: Option<&'a str>,
    utm_source: Option<&'a str>,
    utm_medium: Option<&'a str>,
    utm_campaign: Option<&'a str>,
    utm_term: Option<&'a str>,
    utm_content: Option<&'a str>,
    contact_person_id: Option<&'a str>,
    contact_person_name: &'a str,
}

#[derive(Insertable)]
#[diesel(table_name = outbox)]
struct NewOutboxRow<'a> {
    lead_id: i64,
    kind: &'a str,
    recipient: Option<&'a str>,
    webhook_url: Option<&'a str>,
    next_attempt_at: i64,
    created_at: i64,
}

/// Stores a batch of submissions in one immediate transaction, so that the disk is flushed once
/// for all of them, and a second submission with the same id finds the first. When this returns
/// `Ok`, each lead reported stored is on disk (`synchronous = FULL`, or PostgreSQL's commit).
///
/// On PostgreSQL, where every statement is a round trip to the server, the batch is written in a
/// few statements ([`insert_batch`]); should one of its rows be refused, the batch is written again
/// a lead at a time, as on SQLite: each under a savepoint of its own, so one that fails is rolled
/// back alone and the others are still committed.
pub fn store_leads(
    conn: &mut LeadConnection,
    submissions: &[Submission],
) -> Result<Vec<Result<Stored, LeadStoreError>>, LeadStoreError> {
    write_transaction(conn, WriteLock::Rows, |conn| {
        if let LeadConnection::Postgres(pg) = conn {
            match pg.transaction(|pg| insert_batch(pg, submissions)) {
                Ok(stored) => return Ok(stored.into_iter().map(Ok).collect()),
                Err(error) => tracing::warn!(%error, leads = submissions.len(), "storing the batch a lead at a time"),
            }
        }
        Ok(submissions.iter().map(|submission| store_lead(conn, submission)).collect())
    })
}

/// Why the batch is written again a lead at a time; its savepoint is rolled back either way.
#[derive(Debug, thiserror::Error)]
enum BatchRefused {
    #[error(transparent)]
    Query(#[from] Error),
    /// Another instance stored a lead with this id and it was gone again (erased) before the
    /// batch could read its id: only the lead-at-a-time path can tell that submission's story.
    #[error("a lead with submission id {0} was neither stored nor found")]
    Vanished(String),
}

/// PostgreSQL takes at most 65,535 bind parameters in one statement: a lead row has 27, an
/// outbox row 6.
const LEADS_PER_STATEMENT: usize = 2_000;
const OUTBOX_ROWS_PER_STATEMENT: usize = 10_000;

/// The whole batch in a few statements: the leads in one insert that skips submission ids already
/// stored (by this batch or another instance), the outbox rows of the new ones in another, and one
/// read of the ids the skipped ones were stored under. Leads are inserted in the order of their
/// submission ids, so two instances' batches that share a form take the unique key's locks in the
/// same order and never wait on each other.
fn insert_batch(pg: &mut PgConnection, submissions: &[Submission]) -> Result<Vec<Stored>, BatchRefused> {
    let mut in_key_order: Vec<&Submission> = submissions.iter().collect();
    in_key_order.sort_by(|a, b| a.submission_id.cmp(&b.submission_id));
    let rows: Vec<NewLeadRow<'_>> = in_key_order.iter().map(|submission| lead_row(submission)).collect();
    let mut new_ids = HashMap::with_capacity(rows.len());
    for chunk in rows.chunks(LEADS_PER_STATEMENT) {
        let stored: Vec<(String, i64)> = diesel::insert_into(leads::table)
            .values(chunk)
            .on_conflict(leads::submission_id)
            .do_nothing()
            .returning((leads::submission_id, leads::id))
            .get_results(pg)?;
        new_ids.extend(stored);
    }
    let earlier: Vec<&str> = submissions
        .iter()
        .map(|submission| submission.submission_id.as_str())
        .filter(|id| !new_ids.contains_key(*id))
        .collect();
    let earlier_ids: HashMap<String, i64> = if earlier.is_empty() {
        HashMap::new()
    } else {
        leads::table
            .filter(leads::submission_id.eq_any(&earlier))
            .select((leads::submission_id, leads::id))
            .load(pg)?
            .into_iter()
            .collect()
    };
    // The first of several submissions with one id stored the lead; the others find it.
    let mut answered = HashSet::with_capacity(submissions.len());
    let mut stored = Vec::with_capacity(submissions.len());
    for submission in submissions {
        let id = submission.submission_id.as_str();
        stored.push(match new_ids.get(id) {
            Some(&lead_id) if answered.insert(id) => {
                Stored::New { lead_id: LeadId::from(lead_id), notify: submission.spam.is_none() }
            }
            Some(&lead_id) => Stored::Duplicate { lead_id: LeadId::from(lead_id) },
            None => match earlier_ids.get(id) {
                Some(&lead_id) => Stored::Duplicate { lead_id: LeadId::from(lead_id) },
                None => return Err(BatchRefused::Vanished(id.to_owned())),
            },
        });
    }
    let webhook_urls: Vec<Vec<String>> =
        submissions.iter().map(|s| s.webhooks.iter().map(ToString::to_string).collect()).collect();
    let outbox_rows: Vec<NewOutboxRow<'_>> = submissions
        .iter()
        .zip(&stored)
        .zip(&webhook_urls)
        .filter_map(|((submission, stored), urls)| match *stored {
            Stored::New { lead_id, notify: true } => Some(outbox_rows(lead_id.get(), submission, urls)),
            _ => None,
        })
        .flatten()
        .collect();
    for chunk in outbox_rows.chunks(OUTBOX_ROWS_PER_STATEMENT) {
        diesel::insert_into(outbox::table).values(chunk).execute(pg)?;
    }
    Ok(stored)
}

/// The lead and, unless it is spam, its notification, the company's confirmation and its webhook
/// deliveries: all or none.
///
/// The unique submission id decides which of two requests with one form token stores the lead,
/// also when they reach two instances at once: the second insert of an id is refused (on
/// PostgreSQL once the first one's transaction has ended, so no lock of the whole store is
/// needed), its savepoint is rolled back, and the loser reads the winner's lead.
fn store_lead(conn: &mut LeadConnection, submission: &Submission) -> Result<Stored, LeadStoreError> {
    match conn.transaction(|conn| insert_lead(conn, submission)) {
        Err(LeadStoreError::Query(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info))) => {
            let existing = leads::table
                .filter(leads::submission_id.eq(&submission.submission_id))
                .select(leads::id)
                .first::<i64>(conn)
                .optional()?;
            existing
                .map(|lead_id| Stored::Duplicate { lead_id: LeadId::from(lead_id) })
                .ok_or(LeadStoreError::Query(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info)))
        }
        stored => stored,
    }
}

fn insert_lead(conn: &mut LeadConnection, submission: &Submission) -> Result<Stored, LeadStoreError> {
    let lead_id: i64 =
        diesel::insert_into(leads::table).values(lead_row(submission)).returning(leads::id).get_result(conn)?;
    let notify = submission.spam.is_none();
    if notify {
        for row in outbox_rows(lead_id, submission, &[]) {
            diesel::insert_into(outbox::table).values(row).execute(conn)?;
        }
        queue_webhooks(conn, lead_id, &submission.webhooks, submission.now)?;
    }
    Ok(Stored::New { lead_id: LeadId::from(lead_id), notify })
}

fn lead_row(submission: &Submission) -> NewLeadRow<'_> {
    let request = &submission.request;
    let attribution = &submission.attribution;
    let now = millis(submission.now);
    let status = if submission.spam.is_some() { LeadStatus::Spam } else { LeadStatus::New };
    NewLeadRow {
        submission_id: &submission.submission_id,
        created_at: now,
        status: status.code(),
        spam_reason: submission.spam.map(SpamReason::code),
        company: request.company.as_ref(),
        contact_name: request.name.as_ref(),
        email: request.email.as_ref(),
        phone: request.phone.as_ref().map(AsRef::as_ref),
        role: request.role.as_ref(),
        headcount: i32::try_from(request.headcount.get()).unwrap_or(i32::MAX),
        engagement: request.engagement.code(),
        work_mode: request.work_mode.code(),
        location: request.location.as_ref().map(AsRef::as_ref),
        start_date: request.start.and_then(|d| d.format(ISO_DATE).ok()),
        budget: request.budget.as_ref().map(AsRef::as_ref),
        message: request.message.as_ref(),
        consent_at: now,
        page_lang: submission.page_lang.code(),
        profile_slug: attribution.profile.as_ref().map(Slug::as_str),
        referrer: attribution.referrer.as_deref(),
        utm_source: attribution.utm_source.as_deref(),
        utm_medium: attribution.utm_medium.as_deref(),
        utm_campaign: attribution.utm_campaign.as_deref(),
        utm_term: attribution.utm_term.as_deref(),
        utm_content: attribution.utm_content.as_deref(),
        contact_person_id: submission.recipient.person_id.as_ref().map(Slug::as_str),
        contact_person_name: &submission.recipient.name,
    }
}

/// A new lead's outbox rows, all due at once: the notification to its contact person, the
/// company's confirmation when asked for, and one delivery per webhook in `webhook_urls`.
fn outbox_rows<'a>(
    lead_id: i64,
    submission: &'a Submission,
    webhook_urls: &'a [String],
) -> impl Iterator<Item = NewOutboxRow<'a>> {
    let now = millis(submission.now);
    let confirmation = submission.confirm.then_some((OutboxKind::Confirmation, submission.request.email.as_ref()));
    let mails = [Some((OutboxKind::Notification, submission.recipient.email.as_str())), confirmation];
    let mail_rows = mails.into_iter().flatten().map(move |(kind, recipient)| NewOutboxRow {
        lead_id,
        kind: kind.code(),
        recipient: Some(recipient),
        webhook_url: None,
        next_attempt_at: now,
        created_at: now,
    });
    let webhook_rows = webhook_urls.iter().map(move |url| NewOutboxRow {
        lead_id,
        kind: OutboxKind::Webhook.code(),
        recipient: None,
        webhook_url: Some(url),
        next_attempt_at: now,
        created_at: now,
    });
    mail_rows.chain(webhook_rows)
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = leads)]
pub(super) struct LeadRow {
    id: i64,
    submission_id: String,
    created_at: i64,
    status: String,
    spam_reason: Option<String>,
    company: String,
    contact_name: String,
    email: String,
    phone: Option<String>,
    role: String,
    headcount: i32,
    engagement: String,
    work_mode: String,
    location: Option<String>,
    start_date: Option<String>,
    budget: Option<String>,
    message: String,
    page_lang: String,
    profile_slug: Option<String>,
    referrer: Option<String>,
    utm_source: Option<String>,
    utm_medium: Option<String>,
    utm_campaign: Option<String>,
    utm_term: Option<String>,
    utm_content: Option<String>,
    contact_person_id: Option<String>,
    contact_person_name: String,
}

impl TryFrom<LeadRow> for Lead {
    type Error = LeadStoreError;

    fn try_from(row: LeadRow) -> Result<Lead, LeadStoreError> {
        let id = LeadId::from(row.id);
        let corrupt = |problem: String| LeadStoreError::Corrupt { id, problem };
        let slug = |text: Option<String>| text.map(|t| Slug::parse(&t).map_err(|e| corrupt(e.to_string()))).transpose();
        Ok(Lead {
            id,
            submission_id: row.submission_id,
            created_at: from_millis(row.created_at),
            status: LeadStatus::from_code(&row.status).ok_or_else(|| corrupt(format!("status {}", row.status)))?,
            spam_reason: row.spam_reason.as_deref().and_then(SpamReason::from_code),
            request: NewLead {
                company: OneLine::from_stored(row.company),
                name: OneLine::from_stored(row.contact_name),
                email: EmailAddress::from_stored(row.email),
                phone: row.phone.map(PhoneNumber::from_stored),
                role: OneLine::from_stored(row.role),
                headcount: Headcount::from_stored(u32::try_from(row.headcount).unwrap_or(1)),
                engagement: row.engagement.parse::<Engagement>().map_err(|_| corrupt(row.engagement.clone()))?,
                work_mode: row.work_mode.parse::<WorkMode>().map_err(|_| corrupt(row.work_mode.clone()))?,
                location: row.location.map(OneLine::from_stored),
                start: row
                    .start_date
                    .map(|d| Date::parse(&d, ISO_DATE).map_err(|e| corrupt(e.to_string())))
                    .transpose()?,
                budget: row.budget.map(OneLine::from_stored),
                message: Message::from_stored(row.message),
            },
            attribution: Attribution {
                profile: slug(row.profile_slug)?,
                page_lang: row.page_lang.parse::<Lang>().ok(),
                referrer: row.referrer,
                utm_source: row.utm_source,
                utm_medium: row.utm_medium,
                utm_campaign: row.utm_campaign,
                utm_term: row.utm_term,
                utm_content: row.utm_content,
            },
            contact_person_id: slug(row.contact_person_id)?,
            contact_person_name: row.contact_person_name,
        })
    }
}

pub fn find_by_submission(conn: &mut LeadConnection, submission_id: &str) -> Result<Option<Lead>, LeadStoreError> {
    leads::table
        .filter(leads::submission_id.eq(submission_id))
        .select(LeadRow::as_select())
        .first(conn)
        .optional()?
        .map(Lead::try_from)
        .transpose()
}

pub fn find_lead(conn: &mut LeadConnection, lead_id: LeadId) -> Result<Option<Lead>, LeadStoreError> {
    leads::table
        .find(lead_id.get())
        .select(LeadRow::as_select())
        .first(conn)
        .optional()?
        .map(Lead::try_from)
        .transpose()
}

/// Leads newest first; for the admin area and tests.
pub fn recent_leads(conn: &mut LeadConnection, limit: i64) -> Result<Vec<Lead>, LeadStoreError> {
    leads::table
        .order(leads::id.desc())
        .limit(limit)
        .select(LeadRow::as_select())
        .load(conn)?
        .into_iter()
        .map(Lead::try_from)
        .collect()
}
