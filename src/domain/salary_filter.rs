//! What the salaries page shows: filters by region, currency, engagement and level, and an order,
//! read from its query string. Regions are those the content names, so the page has a bounded
//! number of variants to render and cache.

use super::stored_code::stored_codes;
use super::{Currency, Engagement, Level, SalaryRow};

stored_codes! {
    /// The order of the rows: highest median (the middle of the range where none is given) or
    /// highest upper bound first.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
    pub enum SalarySort {
        #[default]
        Median = "median",
        Max = "max",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SalaryFilter {
    pub region: Option<String>,
    pub currency: Option<Currency>,
    pub engagement: Option<Engagement>,
    pub level: Option<Level>,
    pub sort: SalarySort,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SalaryFilterError {
    #[error("no salaries for {key} `{value}`")]
    UnknownValue { key: &'static str, value: String },
    #[error("`{0}` is given twice")]
    Repeated(&'static str),
    #[error("the query string is not form-encoded")]
    Malformed,
}

const KEYS: [&str; 5] = ["region", "currency", "engagement", "level", "sort"];

impl SalaryFilter {
    /// `regions` are the regions the page can show; parameters other than the filters' are ignored.
    pub fn parse(query: &str, regions: &[&str]) -> Result<SalaryFilter, SalaryFilterError> {
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(query).map_err(|_| SalaryFilterError::Malformed)?;
        let mut filter = SalaryFilter::default();
        for key in KEYS {
            let mut values = pairs.iter().filter(|(k, _)| k == key).map(|(_, v)| v.as_str());
            let Some(value) = values.next() else { continue };
            if values.next().is_some() {
                return Err(SalaryFilterError::Repeated(key));
            }
            let unknown = || SalaryFilterError::UnknownValue { key, value: value.to_owned() };
            match key {
                "region" => {
                    let known = regions.contains(&value);
                    filter.region = Some(value.to_owned()).filter(|_| known);
                    filter.region.as_ref().ok_or_else(unknown)?;
                }
                "currency" => filter.currency = Some(Currency::from_code(value).ok_or_else(unknown)?),
                "engagement" => filter.engagement = Some(Engagement::from_code(value).ok_or_else(unknown)?),
                "level" => filter.level = Some(Level::from_code(value).ok_or_else(unknown)?),
                _ => filter.sort = SalarySort::from_code(value).ok_or_else(unknown)?,
            }
        }
        Ok(filter)
    }

    /// The query string that gives this filter, `?` included, empty for the whole table; one
    /// spelling per filter, so each variant is cached once.
    pub fn query(&self) -> String {
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        if let Some(region) = &self.region {
            pairs.push(("region", region));
        }
        if let Some(currency) = self.currency {
            pairs.push(("currency", currency.code()));
        }
        if let Some(engagement) = self.engagement {
            pairs.push(("engagement", engagement.code()));
        }
        if let Some(level) = self.level {
            pairs.push(("level", level.code()));
        }
        if self.sort != SalarySort::default() {
            pairs.push(("sort", self.sort.code()));
        }
        if pairs.is_empty() {
            return String::new();
        }
        format!("?{}", serde_urlencoded::to_string(pairs).unwrap_or_default())
    }

    pub fn matches(&self, row: &SalaryRow) -> bool {
        self.region.as_deref().is_none_or(|region| row.region() == region)
            && self.currency.is_none_or(|currency| row.currency() == currency)
            && self.engagement.is_none_or(|engagement| row.engagement() == engagement)
            && self.level.is_none_or(|level| row.level() == Some(level))
    }

    /// The figure rows are ordered by, highest first.
    pub fn sort_value(&self, row: &SalaryRow) -> u32 {
        match self.sort {
            SalarySort::Median => row.median().unwrap_or(row.min() / 2 + row.max() / 2),
            SalarySort::Max => row.max(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REGIONS: [&str; 2] = ["Germany", "United Kingdom"];

    #[test]
    fn a_query_reads_back_as_the_same_filter_in_one_spelling() {
        let filter =
            SalaryFilter::parse("sort=max&level=senior&region=United+Kingdom&currency=GBP&utm_source=x", &REGIONS)
                .expect("valid");
        assert_eq!(filter.region.as_deref(), Some("United Kingdom"));
        assert_eq!(filter.query(), "?region=United+Kingdom&currency=GBP&level=senior&sort=max");
        assert_eq!(SalaryFilter::parse(&filter.query()[1..], &REGIONS), Ok(filter));
        assert_eq!(SalaryFilter::parse("", &REGIONS).map(|f| f.query()), Ok(String::new()));
        assert_eq!(SalaryFilter::parse("sort=median", &REGIONS).map(|f| f.query()), Ok(String::new()));
    }

    #[test]
    fn unknown_or_repeated_values_are_refused() {
        for query in
            ["region=Mars", "currency=eur", "engagement=either", "level=intern", "sort=min", "level=mid&level=lead"]
        {
            assert!(SalaryFilter::parse(query, &REGIONS).is_err(), "{query}");
        }
    }
}
