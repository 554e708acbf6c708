//! Small display values shared by the page templates, computed here so templates only print.

use crate::domain::{Lang, Person, Profile, SalaryRow};
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
            salary: profile.salaries.first().map(|row| {
                let salary = SalaryView::new(row, profile.lang);
                format!("{} {} · {}", salary.range, salary.period, salary.region)
            }),
        }
    }
}

pub struct SalaryView {
    pub region: String,
    pub range: String,
    pub median: Option<String>,
    pub period: String,
    pub source: String,
    pub as_of: String,
}

impl SalaryView {
    pub fn new(row: &SalaryRow, lang: Lang) -> SalaryView {
        let amount = |value| row.currency().format(value, lang);
        SalaryView {
            region: row.region().to_owned(),
            range: format!("{} – {}", amount(row.min()), amount(row.max())),
            median: row.median().map(amount),
            period: strings(lang).period(row.period()).to_owned(),
            source: row.source().to_owned(),
            as_of: format_date(row.as_of(), lang),
        }
    }
}

/// The contact-person card.
pub struct ContactCard {
    pub name: String,
    pub role: String,
    pub pitch: String,
    pub photo: String,
    pub languages: String,
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
        }
    }
}
