//! `check`'s rules for salary rows by level, engagement and country, and for the ISCO code: each
//! mistake in the shipped content is one error at the value, with a hint.

use jobprofiles::content;

use crate::helpers::shipped_content_with;

const FILE: &str = "profiles/en/backend-developer.md";

struct Case {
    from: &'static str,
    to: &'static str,
    /// The error points at the start of the `n`th occurrence (from 0) of this text in the edited file.
    at: (&'static str, usize),
    message: &'static str,
    hint: &'static str,
}

/// 1-based line and column (in characters) of the `n`th occurrence of `needle`.
fn position(text: &str, needle: &str, n: usize) -> (usize, usize) {
    let offset = text.match_indices(needle).nth(n).map(|(i, _)| i).expect("the text is in the file");
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or_default().chars().count() + 1;
    (line, column)
}

#[test]
fn each_salary_and_isco_mistake_is_one_error_at_the_value_with_a_hint() {
    let freelance_day = "engagement = \"freelance\"\ncurrency = \"EUR\"\nperiod = \"day\"";
    let cases = [
        Case {
            from: freelance_day,
            to: "engagement = \"freelance\"\ncurrency = \"EUR\"\nperiod = \"year\"",
            at: ("\"year\"\nmin = 560", 0),
            message: "freelance rows are paid per day or hour, not per year",
            hint: "period = \"day\"",
        },
        Case {
            from: "country = \"US\"\ncurrency = \"USD\"\nperiod = \"year\"",
            to: "country = \"US\"\ncurrency = \"USD\"\nperiod = \"hour\"",
            at: ("\"hour\"", 0),
            message: "employee rows are paid per year or month, not per hour",
            hint: "engagement = \"freelance\"",
        },
        Case {
            from: "level = \"senior\"",
            to: "level = \"seniour\"",
            at: ("\"seniour\"", 0),
            message: "unknown level `seniour`",
            hint: "did you mean `senior`?",
        },
        Case {
            from: "engagement = \"freelance\"",
            to: "engagement = \"freelancer\"",
            at: ("\"freelancer\"", 0),
            message: "unknown engagement `freelancer`",
            hint: "did you mean `freelance`?",
        },
        Case {
            from: "country = \"US\"",
            to: "country = \"UK\"",
            at: ("\"UK\"", 0),
            message: "`UK` is not an ISO 3166-1 alpha-2 country code",
            hint: "\"GB\"",
        },
        Case {
            from: "country = \"US\"",
            to: "country = \"us\"",
            at: ("\"us\"", 0),
            message: "`us` is not an ISO 3166-1 alpha-2 country code",
            hint: "in capitals: \"US\"",
        },
        Case {
            from: "country = \"US\"",
            to: "country = \"XY\"",
            at: ("\"XY\"", 0),
            message: "`XY` is not an ISO 3166-1 alpha-2 country code",
            hint: "leave `country` out for a region of several countries",
        },
        Case {
            from: "level = \"senior\"",
            to: "level = \"junior\"",
            at: ("\"Germany\"", 2),
            message: "a second salary row for \"Germany\", level junior, engagement employee",
            hint: "tell them apart by `level` or `engagement`",
        },
        Case {
            from: "region = \"Europe\"",
            to: "region = \"United States\"",
            at: ("\"United States\"", 1),
            message: "a second salary row for \"United States\", engagement employee",
            hint: "merge the two rows",
        },
        Case {
            from: "isco = \"2512\"",
            to: "isco = \"251\"",
            at: ("\"251\"", 0),
            message: "`251` is not an ISCO-08 unit group: it has four digits",
            hint: "isco = \"2512\"",
        },
    ];
    for case in cases {
        let dir = shipped_content_with(FILE, case.from, case.to);
        let edited = std::fs::read_to_string(dir.path().join(FILE)).expect("readable");
        let (line, column) = position(&edited, case.at.0, case.at.1);
        let diagnostics = content::load(dir.path()).expect_err("the mistake is found");
        let errors: Vec<_> = diagnostics.errors().collect();
        assert_eq!(errors.len(), 1, "{:?} -> {:?} gave:\n{diagnostics}", case.from, case.to);
        let error = errors[0];
        assert_eq!((error.file.as_str(), error.line, error.column), (FILE, line, column), "{}", error.message);
        assert!(error.message.contains(case.message), "{}", error.message);
        assert!(error.hint.contains(case.hint), "{}", error.hint);
    }
}

#[test]
fn rows_for_one_region_may_differ_by_level_or_engagement_and_freelancers_default_to_day_rates() {
    let freelance_day = "engagement = \"freelance\"\ncurrency = \"EUR\"\nperiod = \"day\"\n";
    let dir = shipped_content_with(FILE, freelance_day, "engagement = \"freelance\"\ncurrency = \"EUR\"\n");
    let loaded = content::load(dir.path()).expect("valid").content;
    let profile = loaded.profiles.iter().find(|p| p.source_path == FILE).expect("the profile");
    let germany: Vec<_> = profile.salaries.iter().filter(|row| row.region() == "Germany").collect();
    assert_eq!(germany.len(), 4, "all levels, junior, senior and freelance");
    let freelance = germany.iter().find(|row| row.engagement() == jobprofiles::domain::Engagement::Freelance);
    assert_eq!(freelance.map(|row| row.period()), Some(jobprofiles::domain::SalaryPeriod::Day));
    assert_eq!(profile.isco.map(|code| code.to_string()).as_deref(), Some("2512"));
}
