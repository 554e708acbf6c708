//! The interface's words in each language, kept in `locales/*.toml` rather than in templates,
//! and the formatting of dates for a reader of each language.

use std::sync::LazyLock;

use serde::Deserialize;
use time::Date;

use crate::domain::{Lang, SalaryPeriod};

/// Every string of the interface. Both locale files must define every field.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Strings {
    pub skip_link: String,
    pub main_nav_label: String,
    pub language_switch_label: String,
    pub language_switch_title: String,
    pub breadcrumb_label: String,
    pub breadcrumb_home: String,
    pub footer_nav_label: String,
    pub footer_note: String,
    pub home_featured_heading: String,
    pub home_all_profiles: String,
    pub home_cta_heading: String,
    pub home_cta_text: String,
    pub home_cta_button: String,
    pub index_title: String,
    pub index_intro: String,
    pub index_salary_from: String,
    pub profile_toc_heading: String,
    pub profile_updated: String,
    pub profile_salary_heading: String,
    pub profile_salary_caption: String,
    pub profile_salary_region: String,
    pub profile_salary_range: String,
    pub profile_salary_median: String,
    pub profile_salary_source: String,
    pub profile_salary_as_of: String,
    pub profile_hard_skills: String,
    pub profile_soft_skills: String,
    pub profile_related: String,
    profile_cta_heading: String,
    pub profile_cta_text: String,
    profile_cta_button: String,
    pub profile_contact_heading: String,
    period_year: String,
    period_month: String,
    period_day: String,
    period_hour: String,
    pub contact_title: String,
    pub contact_summary: String,
    pub contact_intro: String,
    contact_for_profile: String,
    pub contact_others: String,
    pub contact_write: String,
    pub contact_languages: String,
    pub page_updated: String,
    pub not_found_title: String,
    pub not_found_text: String,
    pub server_error_title: String,
    pub server_error_text: String,
    pub error_home_link: String,
    pub error_profiles_link: String,
    months: [String; 12],
    language_names: LanguageNames,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LanguageNames {
    en: String,
    de: String,
}

fn parse(lang: Lang, text: &str) -> Strings {
    toml::from_str(text).unwrap_or_else(|e| panic!("locales/{lang}.toml is broken: {e}"))
}

static EN: LazyLock<Strings> = LazyLock::new(|| parse(Lang::En, include_str!("../locales/en.toml")));
static DE: LazyLock<Strings> = LazyLock::new(|| parse(Lang::De, include_str!("../locales/de.toml")));

pub fn strings(lang: Lang) -> &'static Strings {
    match lang {
        Lang::En => &EN,
        Lang::De => &DE,
    }
}

impl Strings {
    pub fn profile_cta_heading(&self, title: &str) -> String {
        self.profile_cta_heading.replace("{title}", title)
    }

    pub fn profile_cta_button(&self, title: &str) -> String {
        self.profile_cta_button.replace("{title}", title)
    }

    pub fn contact_for_profile(&self, title: &str) -> String {
        self.contact_for_profile.replace("{title}", title)
    }

    pub fn period(&self, period: SalaryPeriod) -> &str {
        match period {
            SalaryPeriod::Year => &self.period_year,
            SalaryPeriod::Month => &self.period_month,
            SalaryPeriod::Day => &self.period_day,
            SalaryPeriod::Hour => &self.period_hour,
        }
    }

    pub fn language_name(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.language_names.en,
            Lang::De => &self.language_names.de,
        }
    }
}

/// `14 October 2026` in English, `14. Oktober 2026` in German.
pub fn format_date(date: Date, lang: Lang) -> String {
    let month = &strings(lang).months[usize::from(u8::from(date.month())) - 1];
    match lang {
        Lang::En => format!("{} {month} {}", date.day(), date.year()),
        Lang::De => format!("{}. {month} {}", date.day(), date.year()),
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn both_locale_files_define_every_string() {
        for lang in Lang::ALL {
            assert!(!strings(lang).skip_link.is_empty());
        }
    }

    #[test]
    fn dates_are_written_the_way_each_language_writes_them() {
        assert_eq!(format_date(date!(2026 - 10 - 14), Lang::En), "14 October 2026");
        assert_eq!(format_date(date!(2026 - 03 - 01), Lang::De), "1. März 2026");
    }
}
