//! The interface's words in each language, kept in `locales/*.toml` rather than in templates,
//! and the formatting of dates for a reader of each language.

use std::sync::LazyLock;

use serde::Deserialize;
use time::Date;

use crate::domain::lead::{Engagement, Field, FieldError, WorkMode};
use crate::domain::{Lang, Level, SalaryPeriod};

/// Every string of the interface. Both locale files must define every field.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Strings {
    pub skip_link: String,
    pub main_nav_label: String,
    pub language_switch_label: String,
    pub language_switch_title: String,
    /// For the switch on a page that has no translation: it leads elsewhere in the other language.
    pub language_switch_nearest_title: String,
    pub breadcrumb_label: String,
    pub breadcrumb_home: String,
    pub footer_nav_label: String,
    pub footer_note: String,
    pub demo_notice: String,
    pub home_featured_heading: String,
    pub home_all_profiles: String,
    pub home_cta_heading: String,
    pub home_cta_text: String,
    pub home_cta_button: String,
    pub index_title: String,
    pub index_intro: String,
    index_category_intro: String,
    pub index_filter_label: String,
    pub index_filter_all: String,
    pub index_letters_label: String,
    pub index_pages_label: String,
    pub profile_title_suffix: String,
    pub profile_toc_heading: String,
    pub profile_updated: String,
    pub profile_salary_heading: String,
    pub profile_salary_region: String,
    pub profile_salary_range: String,
    pub profile_salary_median: String,
    pub profile_salary_source: String,
    pub profile_salary_as_of: String,
    profile_salary_employee: String,
    profile_salary_freelance: String,
    level_junior: String,
    level_mid: String,
    level_senior: String,
    level_lead: String,
    pub salaries_title: String,
    pub salaries_intro: String,
    pub salaries_filters_heading: String,
    pub salaries_filter_region: String,
    pub salaries_filter_currency: String,
    pub salaries_filter_engagement: String,
    pub salaries_filter_level: String,
    pub salaries_filter_all: String,
    pub salaries_sort_label: String,
    pub salaries_sort_median: String,
    pub salaries_sort_max: String,
    pub salaries_col_role: String,
    pub salaries_col_level: String,
    pub salaries_col_source: String,
    pub salaries_all_levels: String,
    pub salaries_none: String,
    pub salaries_note: String,
    pub profile_hard_skills: String,
    pub profile_soft_skills: String,
    pub profile_print_request: String,
    pub profile_related: String,
    profile_cta_heading: String,
    share_image_alt: String,
    pub profile_cta_text: String,
    profile_cta_button: String,
    pub profile_contact_heading: String,
    pub profile_job_heading: String,
    pub profile_job_intro: String,
    pub profile_job_placeholders: String,
    pub profile_job_download: String,
    /// The first line of the downloaded template, before the role's title.
    pub profile_job_file_title: String,
    period_year: String,
    period_month: String,
    period_day: String,
    period_hour: String,
    pub contact_languages: String,
    pub contact_public_email: String,
    pub page_updated: String,
    lead_retention_days: String,
    lead_retention_off: String,
    pub not_found_title: String,
    pub not_found_text: String,
    pub gone_title: String,
    pub gone_text: String,
    pub server_error_title: String,
    pub server_error_text: String,
    pub unavailable_title: String,
    pub unavailable_text: String,
    pub error_home_link: String,
    pub error_profiles_link: String,
    pub bad_request_title: String,
    pub bad_request_text: String,
    pub too_large_title: String,
    pub too_large_text: String,
    pub form_title: String,
    pub form_summary: String,
    pub form_intro: String,
    pub form_required_note: String,
    pub form_section_company: String,
    pub form_section_need: String,
    pub form_label_company: String,
    pub form_label_name: String,
    pub form_label_email: String,
    pub form_label_phone: String,
    pub form_label_role: String,
    pub form_label_headcount: String,
    pub form_label_engagement: String,
    pub form_engagement_freelance: String,
    pub form_engagement_permanent: String,
    pub form_engagement_either: String,
    pub form_label_work_mode: String,
    pub form_work_mode_remote: String,
    pub form_work_mode_onsite: String,
    pub form_work_mode_hybrid: String,
    pub form_label_location: String,
    pub form_label_start: String,
    pub form_label_budget: String,
    pub form_hint_budget: String,
    pub form_label_message: String,
    pub form_hint_message: String,
    pub form_privacy_note: String,
    pub form_privacy_link: String,
    pub form_honeypot_label: String,
    pub form_submit: String,
    pub form_error_summary: String,
    pub form_expired_notice: String,
    pub form_busy_notice: String,
    pub form_unavailable_notice: String,
    pub form_contact_heading: String,
    pub error_required_company: String,
    pub error_required_name: String,
    pub error_required_email: String,
    pub error_required_role: String,
    pub error_required_headcount: String,
    pub error_required_engagement: String,
    pub error_required_work_mode: String,
    pub error_required_location: String,
    pub error_required_message: String,
    error_required_other: String,
    error_too_short: String,
    error_too_long: String,
    error_not_one_line: String,
    pub error_invalid_email: String,
    pub error_invalid_phone: String,
    error_invalid_choice: String,
    error_out_of_range: String,
    error_invalid_date: String,
    error_date_in_past: String,
    pub thanks_title: String,
    pub thanks_summary: String,
    thanks_text: String,
    pub thanks_next_heading: String,
    pub thanks_step_read: String,
    pub thanks_step_call: String,
    pub thanks_step_profiles: String,
    pub thanks_back: String,
    confirmation_subject: String,
    pub confirmation_greeting: String,
    pub confirmation_intro: String,
    pub confirmation_message_kept: String,
    pub confirmation_not_sent_by_you: String,
    pub confirmation_regards: String,
    pub csrf_title: String,
    pub csrf_text: String,
    pub csrf_link: String,
    pub rate_title: String,
    rate_text_one: String,
    rate_text: String,
    pub feed_title: String,
    pub search_title: String,
    pub search_label: String,
    pub search_button: String,
    search_results_one: String,
    search_results: String,
    pub search_none: String,
    pub search_prompt: String,
    pub search_category_label: String,
    pub search_all_categories: String,
    pub search_skill_label: String,
    pub search_all_skills: String,
    pub search_rate_limited: String,
    pub search_busy: String,
    pub page_previous: String,
    pub page_next: String,
    page_of: String,
    pub banner_draft: String,
    banner_scheduled: String,
    pub banner_preview: String,
    /// The sections of a new profile; the same position in each language is the same section.
    pub new_profile_sections: Vec<String>,
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

    /// What a profile's share image shows, for `og:image:alt`.
    pub fn share_image_alt(&self, title: &str, category: &str, salary: Option<&str>) -> String {
        let alt = self.share_image_alt.replace("{title}", title).replace("{category}", category);
        match salary {
            Some(salary) => alt.replace("{salary}", salary),
            None => alt.replace("{salary}", "").trim_end().trim_end_matches(['.', ':', ',']).to_owned(),
        }
    }

    pub fn profile_cta_button(&self, title: &str) -> String {
        self.profile_cta_button.replace("{title}", title)
    }

    pub fn period(&self, period: SalaryPeriod) -> &str {
        match period {
            SalaryPeriod::Year => &self.period_year,
            SalaryPeriod::Month => &self.period_month,
            SalaryPeriod::Day => &self.period_day,
            SalaryPeriod::Hour => &self.period_hour,
        }
    }

    pub fn level(&self, level: Level) -> &str {
        match level {
            Level::Junior => &self.level_junior,
            Level::Mid => &self.level_mid,
            Level::Senior => &self.level_senior,
            Level::Lead => &self.level_lead,
        }
    }

    /// The heading over a profile's salary rows of one engagement.
    pub fn engagement_heading(&self, engagement: crate::domain::Engagement) -> &str {
        match engagement {
            crate::domain::Engagement::Employee => &self.profile_salary_employee,
            crate::domain::Engagement::Freelance => &self.profile_salary_freelance,
        }
    }

    pub fn field_label(&self, field: Field) -> &str {
        match field {
            Field::Company => &self.form_label_company,
            Field::Name => &self.form_label_name,
            Field::Email => &self.form_label_email,
            Field::Phone => &self.form_label_phone,
            Field::Role => &self.form_label_role,
            Field::Headcount => &self.form_label_headcount,
            Field::Engagement => &self.form_label_engagement,
            Field::WorkMode => &self.form_label_work_mode,
            Field::Location => &self.form_label_location,
            Field::Start => &self.form_label_start,
            Field::Budget => &self.form_label_budget,
            Field::Message => &self.form_label_message,
        }
    }

    /// A field's label without its remark: "Phone (optional)" reads as "Phone" in a sentence or
    /// a list of what was sent.
    pub fn field_name(&self, field: Field) -> &str {
        self.field_label(field).split(" (").next().unwrap_or_default()
    }

    pub fn engagement(&self, engagement: Engagement) -> &str {
        match engagement {
            Engagement::Freelance => &self.form_engagement_freelance,
            Engagement::Permanent => &self.form_engagement_permanent,
            Engagement::Either => &self.form_engagement_either,
        }
    }

    pub fn work_mode(&self, work_mode: WorkMode) -> &str {
        match work_mode {
            WorkMode::Remote => &self.form_work_mode_remote,
            WorkMode::OnSite => &self.form_work_mode_onsite,
            WorkMode::Hybrid => &self.form_work_mode_hybrid,
        }
    }

    /// The sentence shown next to a field and in the error summary.
    pub fn field_error(&self, field: Field, error: FieldError) -> String {
        let label = self.field_name(field);
        let with = |template: &str| template.replace("{field}", label);
        match error {
            FieldError::Required => match field {
                Field::Company => self.error_required_company.clone(),
                Field::Name => self.error_required_name.clone(),
                Field::Email => self.error_required_email.clone(),
                Field::Role => self.error_required_role.clone(),
                Field::Headcount => self.error_required_headcount.clone(),
                Field::Engagement => self.error_required_engagement.clone(),
                Field::WorkMode => self.error_required_work_mode.clone(),
                Field::Location => self.error_required_location.clone(),
                Field::Message => self.error_required_message.clone(),
                _ => with(&self.error_required_other),
            },
            FieldError::TooShort { min } => with(&self.error_too_short).replace("{min}", &min.to_string()),
            FieldError::TooLong { max } => with(&self.error_too_long).replace("{max}", &max.to_string()),
            FieldError::NotOneLine => with(&self.error_not_one_line),
            FieldError::InvalidEmail => self.error_invalid_email.clone(),
            FieldError::InvalidPhone => self.error_invalid_phone.clone(),
            FieldError::InvalidChoice => with(&self.error_invalid_choice),
            FieldError::OutOfRange { min, max } => {
                with(&self.error_out_of_range).replace("{min}", &min.to_string()).replace("{max}", &max.to_string())
            }
            FieldError::InvalidDate => with(&self.error_invalid_date),
            FieldError::DateInPast => with(&self.error_date_in_past),
        }
    }

    pub fn thanks_text(&self, name: &str) -> String {
        self.thanks_text.replace("{name}", name)
    }

    pub fn confirmation_subject(&self, site: &str) -> String {
        self.confirmation_subject.replace("{site}", site)
    }

    /// How long hiring requests are kept, as `--lead-retention-days` says.
    pub fn lead_retention(&self, days: Option<u32>) -> String {
        match days {
            Some(days) => self.lead_retention_days.replace("{days}", &days.to_string()),
            None => self.lead_retention_off.clone(),
        }
    }

    pub fn rate_text(&self, minutes: u64) -> String {
        if minutes <= 1 {
            self.rate_text_one.clone()
        } else {
            self.rate_text.replace("{minutes}", &minutes.to_string())
        }
    }

    pub fn search_results(&self, n: i64) -> String {
        if n == 1 { self.search_results_one.clone() } else { self.search_results.replace("{n}", &n.to_string()) }
    }

    pub fn banner_scheduled(&self, date: &str) -> String {
        self.banner_scheduled.replace("{date}", date)
    }

    pub fn index_category_intro(&self, category: &str) -> String {
        self.index_category_intro.replace("{category}", category)
    }

    pub fn page_of(&self, page: u32, pages: u32) -> String {
        self.page_of.replace("{page}", &page.to_string()).replace("{pages}", &pages.to_string())
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
    fn both_languages_name_the_same_sections_of_a_new_profile() {
        let (en, de) = (&strings(Lang::En).new_profile_sections, &strings(Lang::De).new_profile_sections);
        assert_eq!(en.len(), de.len());
        assert!(en.iter().chain(de).all(|heading| !heading.trim().is_empty()));
    }

    #[test]
    fn dates_are_written_the_way_each_language_writes_them() {
        assert_eq!(format_date(date!(2026 - 10 - 14), Lang::En), "14 October 2026");
        assert_eq!(format_date(date!(2026 - 03 - 01), Lang::De), "1. März 2026");
    }
}
