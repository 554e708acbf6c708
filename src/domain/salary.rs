//! Salary rows: what one kind of hire at one seniority costs in one region.

use std::str::FromStr;

use time::Date;

use super::stored_code::stored_codes;
use super::{CountryCode, Currency, SalaryPeriod};

stored_codes! {
    /// Seniority a salary row describes, from the least to the most experienced.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum Level {
        Junior = "junior",
        Mid = "mid",
        Senior = "senior",
        Lead = "lead",
    }
}

stored_codes! {
    /// How the person is paid: a salary as an employee, or a day or hour rate as a freelancer.
    /// Not the engagement a lead asks for (`lead::Engagement`), which may be "either".
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum Engagement {
        Employee = "employee",
        Freelance = "freelance",
    }
}

/// A level or engagement code that is not one of the known ones.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown {what} `{written}`")]
pub struct UnknownCodeError {
    pub what: &'static str,
    pub written: String,
}

impl FromStr for Level {
    type Err = UnknownCodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Level::from_code(s).ok_or_else(|| UnknownCodeError { what: "level", written: s.to_owned() })
    }
}

impl FromStr for Engagement {
    type Err = UnknownCodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Engagement::from_code(s).ok_or_else(|| UnknownCodeError { what: "engagement", written: s.to_owned() })
    }
}

impl Engagement {
    /// The periods its figures may be given in: salaries per year or month, rates per day or hour.
    pub fn periods(self) -> &'static [SalaryPeriod] {
        match self {
            Engagement::Employee => &[SalaryPeriod::Year, SalaryPeriod::Month],
            Engagement::Freelance => &[SalaryPeriod::Day, SalaryPeriod::Hour],
        }
    }
}

/// A salary range for one region, level and engagement; `min <= median <= max` holds by
/// construction, and the period fits the engagement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SalaryRow {
    region: String,
    country: Option<CountryCode>,
    level: Option<Level>,
    engagement: Engagement,
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
    #[error("{} rows are paid per {}, not per {}", engagement.code(), period_list(engagement.periods()), period.code())]
    PeriodDoesNotFit { engagement: Engagement, period: SalaryPeriod },
}

fn period_list(periods: &[SalaryPeriod]) -> String {
    periods.iter().map(|p| p.code()).collect::<Vec<_>>().join(" or ")
}

pub struct SalaryRowParts {
    pub region: String,
    pub country: Option<CountryCode>,
    pub level: Option<Level>,
    pub engagement: Engagement,
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
        let SalaryRowParts { region, country, level, engagement, currency, period, min, max, median, source, as_of } =
            parts;
        if !engagement.periods().contains(&period) {
            return Err(SalaryRowError::PeriodDoesNotFit { engagement, period });
        }
        if min > max {
            return Err(SalaryRowError::MinAboveMax { min, max });
        }
        if let Some(median) = median
            && !(min..=max).contains(&median)
        {
            return Err(SalaryRowError::MedianOutsideRange { min, median, max });
        }
        Ok(SalaryRow { region, country, level, engagement, currency, period, min, max, median, source, as_of })
    }

    pub fn region(&self) -> &str {
        &self.region
    }
    /// Set when the region is one country.
    pub fn country(&self) -> Option<CountryCode> {
        self.country
    }
    /// `None` when the row covers every level.
    pub fn level(&self) -> Option<Level> {
        self.level
    }
    pub fn engagement(&self) -> Engagement {
        self.engagement
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

    /// What no two rows of one profile may share: the same region, level and engagement
    /// would give two answers to one question.
    pub fn key(&self) -> (&str, Option<Level>, Engagement) {
        (&self.region, self.level, self.engagement)
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn parts(engagement: Engagement, period: SalaryPeriod, min: u32, max: u32, median: Option<u32>) -> SalaryRowParts {
        SalaryRowParts {
            region: "Europe".into(),
            country: None,
            level: None,
            engagement,
            currency: Currency::Eur,
            period,
            min,
            max,
            median,
            source: "sample".into(),
            as_of: date!(2026 - 01 - 01),
        }
    }

    #[test]
    fn salary_rows_keep_min_median_max_in_order() {
        let employee = |min, max, median| parts(Engagement::Employee, SalaryPeriod::Year, min, max, median);
        assert!(SalaryRow::new(employee(45_000, 70_000, Some(56_000))).is_ok());
        assert_eq!(
            SalaryRow::new(employee(70_000, 45_000, None)),
            Err(SalaryRowError::MinAboveMax { min: 70_000, max: 45_000 })
        );
        assert!(matches!(
            SalaryRow::new(employee(45_000, 70_000, Some(80_000))),
            Err(SalaryRowError::MedianOutsideRange { .. })
        ));
    }

    #[test]
    fn freelancers_are_paid_per_day_or_hour_and_employees_per_year_or_month() {
        for period in SalaryPeriod::ALL {
            for engagement in Engagement::ALL {
                let row = SalaryRow::new(parts(engagement, period, 500, 900, None));
                let fits = matches!(
                    (engagement, period),
                    (Engagement::Employee, SalaryPeriod::Year | SalaryPeriod::Month)
                        | (Engagement::Freelance, SalaryPeriod::Day | SalaryPeriod::Hour)
                );
                assert_eq!(row.is_ok(), fits, "{engagement:?} per {period:?}");
            }
        }
        assert_eq!(
            SalaryRow::new(parts(Engagement::Freelance, SalaryPeriod::Year, 1, 2, None)).map(|_| ()),
            Err(SalaryRowError::PeriodDoesNotFit { engagement: Engagement::Freelance, period: SalaryPeriod::Year })
        );
        assert_eq!(
            SalaryRowError::PeriodDoesNotFit { engagement: Engagement::Freelance, period: SalaryPeriod::Year }
                .to_string(),
            "freelance rows are paid per day or hour, not per year"
        );
    }
}
