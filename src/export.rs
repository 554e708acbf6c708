//! Leads and the stats of profiles as CSV for spreadsheets: UTF-8 with a byte-order mark,
//! RFC 4180 quoting, and cells that a spreadsheet would run as a formula defused.

use time::format_description::well_known::Rfc3339;

use crate::domain::lead::Lead;
use crate::domain::stats::ProfileStats;

const HEADER: [&str; 22] = [
    "id",
    "received",
    "status",
    "spam_reason",
    "company",
    "name",
    "email",
    "phone",
    "role",
    "headcount",
    "engagement",
    "work_mode",
    "location",
    "start",
    "budget",
    "message",
    "profile",
    "page_lang",
    "referrer",
    "utm_source",
    "utm_campaign",
    "contact_person",
];

/// A cell starting with one of these is read as a formula by spreadsheet programs.
fn defuse(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{cell}") } else { cell.to_owned() }
}

fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(b"\xEF\xBB\xBF".to_vec())
}

fn finish(writer: csv::Writer<Vec<u8>>) -> Result<Vec<u8>, csv::Error> {
    writer.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

pub fn leads_csv(leads: &[Lead]) -> Result<Vec<u8>, csv::Error> {
    let mut writer = writer();
    writer.write_record(HEADER)?;
    for lead in leads {
        let r = &lead.request;
        let a = &lead.attribution;
        let optional = |value: Option<&str>| value.unwrap_or_default().to_owned();
        let row = [
            lead.id.to_string(),
            lead.created_at.format(&Rfc3339).unwrap_or_default(),
            lead.status.code().to_owned(),
            optional(lead.spam_reason.map(|s| s.code())),
            r.company.as_ref().to_owned(),
            r.name.as_ref().to_owned(),
            r.email.as_ref().to_owned(),
            optional(r.phone.as_ref().map(AsRef::as_ref)),
            r.role.as_ref().to_owned(),
            r.headcount.get().to_string(),
            r.engagement.code().to_owned(),
            r.work_mode.code().to_owned(),
            optional(r.location.as_ref().map(AsRef::as_ref)),
            r.start.map(|d| d.to_string()).unwrap_or_default(),
            optional(r.budget.as_ref().map(AsRef::as_ref)),
            r.message.as_ref().to_owned(),
            optional(a.profile.as_ref().map(|p| p.as_str())),
            optional(a.page_lang.map(|l| l.code())),
            optional(a.referrer.as_deref()),
            optional(a.utm_source.as_deref()),
            optional(a.utm_campaign.as_deref()),
            lead.contact_person_name.clone(),
        ];
        writer.write_record(row.iter().map(|cell| defuse(cell)))?;
    }
    finish(writer)
}

/// The rows of the stats page in its order; `conversion_percent` is empty without views.
pub fn stats_csv(rows: &[ProfileStats]) -> Result<Vec<u8>, csv::Error> {
    let mut writer = writer();
    writer.write_record(["profile", "lang", "views", "leads", "spam", "conversion_percent"])?;
    for row in rows {
        writer.write_record([
            row.profile.as_ref().map(|slug| slug.as_str().to_owned()).unwrap_or_default(),
            row.lang.code().to_owned(),
            row.views.to_string(),
            row.leads.to_string(),
            row.spam.to_string(),
            row.conversion_percent().map(|rate| format!("{rate:.2}")).unwrap_or_default(),
        ])?;
    }
    finish(writer)
}

#[cfg(test)]
mod tests {
    use super::defuse;

    #[test]
    fn cells_a_spreadsheet_would_evaluate_are_defused() {
        assert_eq!(defuse("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
        for formula in ["+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(defuse(formula).starts_with('\''), "{formula:?}");
        }
        assert_eq!(defuse("ACME"), "ACME");
    }
}
