//! Properties of every type here that is parsed from text: whatever string comes in, the parser
//! returns a valid value that reads back as itself, or an error; never a panic.

use std::num::NonZeroUsize;

use proptest::prelude::*;

use super::admin::{AdminEmail, NewPassword};
use super::lead::{
    EmailAddress, Engagement, EventKind, Headcount, LeadStatus, Message, OneLine, OutboxState, PhoneNumber, SpamReason,
    WorkMode,
};
use super::paging::{PageNumber, Pages};
use super::{
    AdminUserId, Currency, Lang, LeadId, MediaType, OutboxId, SalaryPeriod, SalaryRow, SalaryRowError, SalaryRowParts,
    SkillKind, Slug, category_slug, paths, plain_text,
};

/// Any text, weighted towards the characters parsers here treat specially.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), "[ a-zA-Z0-9äöüßÄ@.+_/()&%#\\-\t\r\n\u{0}\u{7f}\u{a0}\u{200b}\u{feff}]{0,40}",]
}

proptest! {
    #[test]
    fn a_slug_is_parsed_or_refused_and_reads_back_as_itself(input in text()) {
        if let Ok(slug) = Slug::parse(&input) {
            prop_assert_eq!(slug.as_str(), input.as_str());
            prop_assert!(slug.as_str().len() <= Slug::MAX_LEN);
            prop_assert_eq!(Slug::parse(slug.as_ref()), Ok(slug.clone()));
            let json = serde_json::to_string(&slug).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(serde_json::from_str::<Slug>(&json).ok(), Some(slug));
        }
    }

    #[test]
    fn well_formed_slugs_are_accepted(input in "[a-z0-9]{1,10}(-[a-z0-9]{1,10}){0,5}") {
        prop_assert_eq!(Slug::parse(&input).map(String::from), Ok(input));
    }

    #[test]
    fn a_category_name_gives_a_valid_slug_or_none(name in text()) {
        if let Some(slug) = category_slug(&name) {
            prop_assert_eq!(Slug::parse(slug.as_str()), Ok(slug));
        }
    }

    #[test]
    fn stored_codes_read_back_only_as_the_variant_that_writes_them(code in text()) {
        fn reads_back<T: Copy + PartialEq>(code: &str, from_code: fn(&str) -> Option<T>, to_code: fn(T) -> &'static str) -> bool {
            from_code(code).is_none_or(|variant| to_code(variant) == code)
        }
        prop_assert!(reads_back(&code, Lang::from_code, Lang::code));
        prop_assert!(reads_back(&code, Currency::from_code, Currency::code));
        prop_assert!(reads_back(&code, SalaryPeriod::from_code, SalaryPeriod::code));
        prop_assert!(reads_back(&code, SkillKind::from_code, SkillKind::code));
        prop_assert!(reads_back(&code, LeadStatus::from_code, LeadStatus::code));
        prop_assert!(reads_back(&code, SpamReason::from_code, SpamReason::code));
        prop_assert!(reads_back(&code, Engagement::from_code, Engagement::code));
        prop_assert!(reads_back(&code, WorkMode::from_code, WorkMode::code));
        prop_assert!(reads_back(&code, EventKind::from_code, EventKind::code));
        prop_assert!(reads_back(&code, OutboxState::from_code, OutboxState::code));
        if let Ok(lang) = code.parse::<Lang>() {
            prop_assert_eq!(lang.to_string(), code.clone());
        }
        if let Ok(currency) = code.parse::<Currency>() {
            prop_assert_eq!(currency.to_string(), code.clone());
        }
        if let Ok(period) = code.parse::<SalaryPeriod>() {
            prop_assert_eq!(period.code(), code.as_str());
        }
        if let Ok(engagement) = code.parse::<Engagement>() {
            prop_assert_eq!(engagement.code(), code.as_str());
        }
        if let Ok(mode) = code.parse::<WorkMode>() {
            prop_assert_eq!(mode.code(), code.as_str());
        }
    }

    #[test]
    fn amounts_print_every_digit_in_order_in_both_languages(amount in any::<u32>()) {
        for lang in Lang::ALL {
            for currency in Currency::ALL {
                let printed = currency.format(amount, lang);
                let digits: String = printed.chars().filter(char::is_ascii_digit).collect();
                prop_assert_eq!(digits, amount.to_string(), "{}", printed);
            }
        }
    }

    #[test]
    fn a_salary_row_exists_only_with_min_median_max_in_order(
        min in any::<u32>(), max in any::<u32>(), median in proptest::option::of(any::<u32>()),
    ) {
        let parts = SalaryRowParts {
            region: "Europe".into(),
            country: None,
            level: None,
            engagement: super::Engagement::Employee,
            currency: Currency::Eur,
            period: SalaryPeriod::Year,
            min,
            max,
            median,
            source: "sample".into(),
            as_of: time::macros::date!(2026 - 01 - 01),
        };
        match SalaryRow::new(parts) {
            Ok(row) => {
                prop_assert!(row.min() <= row.max());
                prop_assert!(row.median().is_none_or(|m| (row.min()..=row.max()).contains(&m)));
            }
            Err(SalaryRowError::MinAboveMax { .. }) => prop_assert!(min > max),
            Err(SalaryRowError::MedianOutsideRange { .. }) => prop_assert!(min <= max && median.is_some()),
            Err(SalaryRowError::PeriodDoesNotFit { .. }) => prop_assert!(false, "a yearly salary fits an employee"),
        }
    }

    #[test]
    fn record_ids_read_back_as_themselves(id in any::<i64>(), input in text()) {
        prop_assert_eq!(LeadId::from(id).to_string().parse::<LeadId>(), Ok(LeadId::from(id)));
        prop_assert_eq!(OutboxId::from(id).to_string().parse::<OutboxId>(), Ok(OutboxId::from(id)));
        prop_assert_eq!(AdminUserId::from(id).to_string().parse::<AdminUserId>(), Ok(AdminUserId::from(id)));
        if let Ok(parsed) = input.parse::<LeadId>() {
            prop_assert_eq!(parsed.to_string().parse::<LeadId>(), Ok(parsed));
        }
    }

    #[test]
    fn a_page_number_has_one_spelling(input in text(), number in 1..=usize::MAX) {
        if let Ok(page) = PageNumber::parse(&input) {
            prop_assert_eq!(page.get().to_string(), input);
        }
        prop_assert_eq!(PageNumber::parse(&number.to_string()).map(PageNumber::get), Ok(number));
    }

    #[test]
    fn every_entry_is_on_exactly_the_page_that_shows_it(len in 0..10_000usize, per_page in 1..200usize, index in 0..10_000usize) {
        let pages = Pages::new(len, NonZeroUsize::new(per_page).unwrap_or(NonZeroUsize::MIN));
        prop_assert!(pages.count() >= 1);
        if index < len {
            let page = pages.page_of(index);
            let entries = pages.entries(page);
            prop_assert!(entries.is_some_and(|range| range.contains(&index)));
        }
        prop_assert_eq!(pages.page(pages.count() + 1), None);
    }

    #[test]
    fn a_normalized_path_is_normalized_already(path in text()) {
        let normalized = paths::normalize(&path);
        prop_assert_eq!(paths::normalize(&normalized), normalized.as_str());
        prop_assert!(normalized == "/" || !normalized.ends_with('/'));
        prop_assert_eq!(normalized.to_lowercase(), normalized.as_str());
        let _ = (paths::lang_of(&path), paths::is_reserved_path(&path), paths::is_reserved(&path));
    }

    #[test]
    fn an_email_address_reads_back_as_itself(input in prop_oneof![text(), "[a-zA-Z0-9.+'_ -]{1,20}@[a-zA-Z0-9.-]{1,20}"]) {
        if let Ok(email) = EmailAddress::parse(&input) {
            prop_assert!(email.as_ref().len() <= 254);
            prop_assert!(!email.as_ref().chars().any(|c| c.is_whitespace() || c.is_control()), "{:?}", email);
            prop_assert_eq!(EmailAddress::parse(email.as_ref()), Ok(email));
        }
        if let Ok(admin) = AdminEmail::parse(&input) {
            prop_assert_eq!(admin.as_ref().to_lowercase(), admin.as_ref());
            prop_assert_eq!(AdminEmail::parse(admin.as_ref()), Ok(admin));
        }
    }

    #[test]
    fn one_line_fields_are_trimmed_bounded_single_lines_that_read_back(input in text(), max in 1..60usize) {
        if let Ok(line) = OneLine::required(&input, max) {
            let value = line.as_ref();
            prop_assert!(!value.is_empty() && value.trim() == value);
            prop_assert!(!value.chars().any(char::is_control));
            prop_assert!(value.chars().count() <= max);
            prop_assert_eq!(OneLine::required(value, max), Ok(line.clone()));
        }
    }

    #[test]
    fn a_message_is_bounded_and_reads_back(input in prop_oneof![text(), "[a-z \r\n\t\u{0}]{15,60}"]) {
        if let Ok(message) = Message::parse(&input) {
            let chars = message.as_ref().chars().count();
            prop_assert!((Message::MIN..=Message::MAX).contains(&chars));
            prop_assert!(!message.as_ref().chars().any(|c| c.is_control() && c != '\n' && c != '\t'));
            prop_assert_eq!(Message::parse(message.as_ref()), Ok(message));
        }
    }

    #[test]
    fn a_phone_number_reads_back_as_itself(input in prop_oneof![text(), "\\+?[0-9 ()./-]{4,30}"]) {
        if let Ok(phone) = PhoneNumber::parse(&input) {
            prop_assert!(!phone.as_ref().chars().any(char::is_control));
            prop_assert_eq!(PhoneNumber::parse(phone.as_ref()), Ok(phone));
        }
    }

    #[test]
    fn a_headcount_is_between_one_and_the_maximum(input in prop_oneof![text(), "[ +-]?[0-9]{1,3} ?"], n in 1..=Headcount::MAX) {
        if let Ok(headcount) = Headcount::parse(&input) {
            prop_assert!((1..=Headcount::MAX).contains(&headcount.get()));
            prop_assert_eq!(Headcount::parse(&headcount.get().to_string()), Ok(headcount));
        }
        prop_assert_eq!(Headcount::parse(&n.to_string()).map(Headcount::get), Ok(n));
    }

    #[test]
    fn a_new_password_is_accepted_exactly_within_its_bounds(input in text()) {
        let chars = input.chars().count();
        prop_assert_eq!(NewPassword::parse(&input).is_ok(), (NewPassword::MIN..=NewPassword::MAX).contains(&chars));
    }

    #[test]
    fn a_media_type_comes_only_from_a_served_extension(name in text()) {
        if let Some(kind) = MediaType::of(std::path::Path::new(&name)) {
            let extension = std::path::Path::new(&name).extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
            let known = ["png", "jpg", "jpeg", "gif", "webp", "avif", "svg", "pdf"];
            prop_assert!(extension.as_deref().is_some_and(|e| known.contains(&e)), "{}", name);
            prop_assert_eq!(kind.is_download(), kind == MediaType::Pdf);
        }
    }

    #[test]
    fn plain_text_keeps_text_without_markup_as_it_is(input in text()) {
        let _ = plain_text(&input);
        if !input.contains(['<', '&']) {
            prop_assert_eq!(plain_text(&input), input);
        }
    }
}
