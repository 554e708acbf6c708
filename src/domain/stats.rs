//! Which profiles bring requests: views, leads and spam per profile and language over a period,
//! the periods staff may choose and the orders the rows can be sorted in.

use std::cmp::Ordering;

use super::{Lang, Slug};

/// A profile page in one language: what a view is counted for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ViewedProfile {
    pub lang: Lang,
    pub slug: Slug,
}

/// What one profile in one language brought over a period. `profile` is `None` for requests
/// sent from the contact form without a profile: they have leads but no page views.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileStats {
    pub profile: Option<Slug>,
    pub lang: Lang,
    pub views: u64,
    /// Leads that are not spam.
    pub leads: u64,
    pub spam: u64,
}

impl ProfileStats {
    /// Leads per hundred views; none without views.
    pub fn conversion_percent(&self) -> Option<f64> {
        (self.views > 0).then(|| self.leads as f64 * 100.0 / self.views as f64)
    }
}

/// The periods staff choose from: the last 7, 30 or 90 days, today included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatsPeriod {
    Week,
    #[default]
    Month,
    Quarter,
}

impl StatsPeriod {
    pub const ALL: [StatsPeriod; 3] = [StatsPeriod::Week, StatsPeriod::Month, StatsPeriod::Quarter];

    pub const fn days(self) -> u16 {
        match self {
            StatsPeriod::Week => 7,
            StatsPeriod::Month => 30,
            StatsPeriod::Quarter => 90,
        }
    }

    /// The period's value in a query string: its number of days.
    pub fn parse(code: &str) -> Option<StatsPeriod> {
        StatsPeriod::ALL.into_iter().find(|period| code.parse() == Ok(period.days()))
    }

    /// The first day of the period that ends with `today`.
    pub fn first_day(self, today: time::Date) -> time::Date {
        today - time::Duration::days(i64::from(self.days()) - 1)
    }
}

/// The columns the rows can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatsColumn {
    Profile,
    Lang,
    Views,
    Leads,
    Spam,
    Conversion,
}

impl StatsColumn {
    pub const ALL: [StatsColumn; 6] = [
        StatsColumn::Profile,
        StatsColumn::Lang,
        StatsColumn::Views,
        StatsColumn::Leads,
        StatsColumn::Spam,
        StatsColumn::Conversion,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            StatsColumn::Profile => "profile",
            StatsColumn::Lang => "lang",
            StatsColumn::Views => "views",
            StatsColumn::Leads => "leads",
            StatsColumn::Spam => "spam",
            StatsColumn::Conversion => "conversion",
        }
    }

    pub fn parse(code: &str) -> Option<StatsColumn> {
        StatsColumn::ALL.into_iter().find(|column| column.code() == code)
    }

    /// Names read A to Z first; figures, largest first.
    pub const fn natural_order(self) -> SortOrder {
        match self {
            StatsColumn::Profile | StatsColumn::Lang => SortOrder::Ascending,
            _ => SortOrder::Descending,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortOrder {
    Ascending,
    Descending,
}

impl SortOrder {
    pub const fn code(self) -> &'static str {
        match self {
            SortOrder::Ascending => "asc",
            SortOrder::Descending => "desc",
        }
    }

    pub fn parse(code: &str) -> Option<SortOrder> {
        [SortOrder::Ascending, SortOrder::Descending].into_iter().find(|order| order.code() == code)
    }

    pub const fn reversed(self) -> SortOrder {
        match self {
            SortOrder::Ascending => SortOrder::Descending,
            SortOrder::Descending => SortOrder::Ascending,
        }
    }
}

/// How the rows are sorted: by one column, ties by profile and language so the order is stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatsSort {
    pub column: StatsColumn,
    pub order: SortOrder,
}

impl Default for StatsSort {
    fn default() -> StatsSort {
        StatsSort { column: StatsColumn::Views, order: SortOrder::Descending }
    }
}

impl StatsSort {
    pub fn sort(self, rows: &mut [ProfileStats]) {
        rows.sort_by(|a, b| {
            let by_column = match self.column {
                StatsColumn::Profile => a.profile.cmp(&b.profile),
                StatsColumn::Lang => a.lang.cmp(&b.lang),
                StatsColumn::Views => a.views.cmp(&b.views),
                StatsColumn::Leads => a.leads.cmp(&b.leads),
                StatsColumn::Spam => a.spam.cmp(&b.spam),
                StatsColumn::Conversion => compare_conversion(a, b),
            };
            let by_column = if self.order == SortOrder::Descending { by_column.reverse() } else { by_column };
            by_column.then_with(|| a.profile.cmp(&b.profile)).then_with(|| a.lang.cmp(&b.lang))
        });
    }
}

/// Rows without views have no rate and count as below every rate.
fn compare_conversion(a: &ProfileStats, b: &ProfileStats) -> Ordering {
    match (a.conversion_percent(), b.conversion_percent()) {
        (Some(a), Some(b)) => a.total_cmp(&b),
        (a, b) => a.is_some().cmp(&b.is_some()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(slug: &str, views: u64, leads: u64) -> ProfileStats {
        ProfileStats { profile: Slug::parse(slug).ok(), lang: Lang::En, views, leads, spam: 0 }
    }

    #[test]
    fn conversion_is_leads_per_hundred_views_and_rows_without_views_sort_below_any_rate() {
        assert_eq!(row("a", 200, 5).conversion_percent(), Some(2.5));
        assert_eq!(row("a", 0, 3).conversion_percent(), None);
        let mut rows = vec![row("none", 0, 2), row("low", 100, 1), row("high", 10, 1)];
        StatsSort { column: StatsColumn::Conversion, order: SortOrder::Descending }.sort(&mut rows);
        let order: Vec<_> = rows.iter().map(|r| r.profile.as_ref().map(Slug::as_str)).collect();
        assert_eq!(order, [Some("high"), Some("low"), Some("none")]);
    }

    #[test]
    fn periods_are_parsed_from_their_days_and_include_today() {
        assert_eq!(StatsPeriod::parse("7"), Some(StatsPeriod::Week));
        assert_eq!(StatsPeriod::parse("90"), Some(StatsPeriod::Quarter));
        assert_eq!(StatsPeriod::parse("14"), None);
        let today = time::macros::date!(2026 - 03 - 10);
        assert_eq!(StatsPeriod::Week.first_day(today), time::macros::date!(2026 - 03 - 04));
    }
}
