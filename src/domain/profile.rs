//! A job profile in one language, as checked and ready to publish.

use time::Date;

use super::stored_code::stored_codes;
use super::{Currency, Lang, SalaryPeriod, Slug, TocEntry};

/// One job profile in one language, as checked and ready to publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub lang: Lang,
    pub slug: Slug,
    /// Shared by the English and German version of one role.
    pub translation_key: Slug,
    pub title: String,
    pub summary: String,
    pub category: String,
    pub hard_skills: Vec<String>,
    pub soft_skills: Vec<String>,
    pub salaries: Vec<SalaryRow>,
    /// Slugs of profiles in the same language.
    pub related: Vec<Slug>,
    /// The person who answers requests from this profile; `None` means the site's default contact.
    pub contact: Option<Slug>,
    pub updated: Date,
    pub draft: bool,
    /// Not public before this moment, even when not a draft.
    pub publish_at: Option<time::OffsetDateTime>,
    /// Old URL paths that redirect here.
    pub aliases: Vec<String>,
    /// The sections of the body; the body's HTML itself is in the store and read when a page is
    /// rendered, so thousands of profiles do not sit in memory twice.
    pub toc: Vec<TocEntry>,
    /// Where the profile was loaded from, relative to the content folder.
    pub source_path: String,
    /// Fingerprint of what is stored for the profile (its values and body): a profile whose
    /// fingerprint is stored already is not written again.
    pub source_hash: String,
}

impl Profile {
    pub fn path(&self) -> String {
        super::paths::profile(self.lang, &self.slug)
    }

    /// Whether visitors may see it at `now`.
    pub fn is_public(&self, now: time::OffsetDateTime) -> bool {
        !self.draft && self.publish_at.is_none_or(|at| at <= now)
    }
}

stored_codes! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum SkillKind {
        Hard = "hard",
        Soft = "soft",
    }
}

/// A salary range for one region; `min <= median <= max` holds by construction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SalaryRow {
    region: String,
    currency: Currency,
    period: SalaryPeriod,
    min: u32,
    max: u32,
    median: Option<u32>,
    source: String,
    as_of: Date,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SalaryRowError {
    #[error("min ({min}) is larger than max ({max})")]
    MinAboveMax { min: u32, max: u32 },
    #[error("median ({median}) lies outside min..max ({min}..{max})")]
    MedianOutsideRange { min: u32, median: u32, max: u32 },
}

pub struct SalaryRowParts {
    pub region: String,
    pub currency: Currency,
    pub period: SalaryPeriod,
    pub min: u32,
    pub max: u32,
    pub median: Option<u32>,
    pub source: String,
    pub as_of: Date,
}

impl SalaryRow {
    pub fn new(parts: SalaryRowParts) -> Result<SalaryRow, SalaryRowError> {
        let SalaryRowParts { region, currency, period, min, max, median, source, as_of } = parts;
        if min > max {
            return Err(SalaryRowError::MinAboveMax { min, max });
        }
        if let Some(median) = median
            && !(min..=max).contains(&median)
        {
            return Err(SalaryRowError::MedianOutsideRange { min, median, max });
        }
        Ok(SalaryRow { region, currency, period, min, max, median, source, as_of })
    }

    pub fn region(&self) -> &str {
        &self.region
    }
    pub fn currency(&self) -> Currency {
        self.currency
    }
    pub fn period(&self) -> SalaryPeriod {
        self.period
    }
    pub fn min(&self) -> u32 {
        self.min
    }
    pub fn max(&self) -> u32 {
        self.max
    }
    pub fn median(&self) -> Option<u32> {
        self.median
    }
    pub fn source(&self) -> &str {
        &self.source
    }
    pub fn as_of(&self) -> Date {
        self.as_of
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn parts(min: u32, max: u32, median: Option<u32>) -> SalaryRowParts {
        SalaryRowParts {
            region: "Europe".into(),
            currency: Currency::Eur,
            period: SalaryPeriod::Year,
            min,
            max,
            median,
            source: "sample".into(),
            as_of: date!(2026 - 01 - 01),
        }
    }

    #[test]
    fn salary_rows_keep_min_median_max_in_order() {
        assert!(SalaryRow::new(parts(45_000, 70_000, Some(56_000))).is_ok());
        assert_eq!(
            SalaryRow::new(parts(70_000, 45_000, None)),
            Err(SalaryRowError::MinAboveMax { min: 70_000, max: 45_000 })
        );
        assert!(matches!(
            SalaryRow::new(parts(45_000, 70_000, Some(80_000))),
            Err(SalaryRowError::MedianOutsideRange { .. })
        ));
    }
}
