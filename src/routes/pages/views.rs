//! Small display values shared by the page templates, computed here so templates only print.

use crate::domain::{Engagement, Lang, Person, Profile, SalaryRow};
use crate::i18n::{format_date, strings};

/// A profile as a teaser in a list.
pub struct ProfileCard {
    pub title: String,
    pub href: String,
    pub summary: String,
    /// The first salary row, e.g. "€45,000 – €70,000 per year · Europe".
    pub salary: Option<String>,
}

impl ProfileCard {
    pub fn new(profile: &Profile) -> ProfileCard {
        ProfileCard {
            title: profile.title.clone(),
            href: profile.path(),
            summary: profile.summary.clone(),
            salary: first_salary(profile),
        }
    }
}

/// The profile's first salary row in one line, e.g. "€45,000 – €70,000 per year · Europe".
pub fn first_salary(profile: &Profile) -> Option<String> {
    profile.salaries.first().map(|row| {
        let salary = SalaryView::new(row, profile.lang);
        format!("{} {} · {}", salary.range, salary.period, salary.region)
    })
}

pub struct SalaryView {
    pub region: String,
    /// The seniority, e.g. "Senior"; `None` when the row covers every level.
    pub level: Option<String>,
    pub range: String,
    pub median: Option<String>,
    pub period: String,
}

impl SalaryView {
    pub fn new(row: &SalaryRow, lang: Lang) -> SalaryView {
        let amount = |value| row.currency().format(value, lang);
        SalaryView {
            region: row.region().to_owned(),
            level: row.level().map(|level| strings(lang).level(level).to_owned()),
            range: format!("{} – {}", amount(row.min()), amount(row.max())),
            median: row.median().map(amount),
            period: strings(lang).period(row.period()).to_owned(),
        }
    }
}

/// The salary rows of one engagement, each region's rows together in the order of their levels.
pub struct SalaryGroup {
    pub heading: String,
    /// Unique on the page, for the table to name itself after the heading.
    pub id: &'static str,
    pub rows: Vec<SalaryView>,
}

impl SalaryGroup {
    pub fn all(rows: &[SalaryRow], lang: Lang) -> Vec<SalaryGroup> {
        Engagement::ALL
            .into_iter()
            .filter_map(|engagement| {
                let mut of_engagement: Vec<(usize, &SalaryRow)> = rows
                    .iter()
                    .filter(|row| row.engagement() == engagement)
                    .map(|row| (rows.iter().position(|first| first.region() == row.region()).unwrap_or(0), row))
                    .collect();
                of_engagement.sort_by_key(|&(region_first_seen, row)| (region_first_seen, row.level()));
                (!of_engagement.is_empty()).then(|| SalaryGroup {
                    heading: strings(lang).engagement_heading(engagement).to_owned(),
                    id: match engagement {
                        Engagement::Employee => "salary-employee",
                        Engagement::Freelance => "salary-freelance",
                    },
                    rows: of_engagement.into_iter().map(|(_, row)| SalaryView::new(row, lang)).collect(),
                })
            })
            .collect()
    }
}

/// One source and date, with the rows whose figures come from it.
pub struct SalarySource {
    pub source: String,
    pub as_of: String,
    pub regions: String,
}

impl SalarySource {
    pub fn all(rows: &[SalaryRow], lang: Lang) -> Vec<SalarySource> {
        let mut sources: Vec<(&str, time::Date, Vec<&str>)> = Vec::new();
        for row in rows {
            match sources.iter_mut().find(|(source, as_of, _)| *source == row.source() && *as_of == row.as_of()) {
                Some((_, _, regions)) if regions.contains(&row.region()) => {}
                Some((_, _, regions)) => regions.push(row.region()),
                None => sources.push((row.source(), row.as_of(), vec![row.region()])),
            }
        }
        sources
            .into_iter()
            .map(|(source, as_of, regions)| SalarySource {
                source: source.to_owned(),
                as_of: format_date(as_of, lang),
                regions: regions.join(", "),
            })
            .collect()
    }
}

/// The contact-person card.
pub struct ContactCard {
    pub name: String,
    pub role: String,
    pub pitch: String,
    pub photo: String,
    pub languages: String,
    /// The address the firm publishes for the person, written out as text (never a `mailto:` link).
    pub public_email: Option<String>,
}

impl ContactCard {
    pub fn new(person: &Person, lang: Lang) -> ContactCard {
        let t = strings(lang);
        ContactCard {
            name: person.name.clone(),
            role: person.text(lang).role.clone(),
            pitch: person.text(lang).pitch.clone(),
            photo: person.photo_url(),
            languages: person.languages.iter().map(|&l| t.language_name(l)).collect::<Vec<_>>().join(", "),
            public_email: person.public_email.clone(),
        }
    }
}
