//! "Did you mean" hints: the known name closest to a misspelt one, when one is close enough to be
//! what the editor meant.

/// The candidate nearest to `written`, if its spelling is close: at most a third of the longer
/// name's characters differ (two at least, so short names still get a hint). Of equally close names
/// the first in alphabetical order, so the hint does not depend on the order candidates come in.
pub fn closest<'a>(written: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let written_lower = written.to_lowercase();
    candidates
        .into_iter()
        .filter(|candidate| *candidate != written)
        .map(|candidate| (strsim::damerau_levenshtein(&written_lower, &candidate.to_lowercase()), candidate))
        .filter(|(distance, candidate)| {
            let longer = written.chars().count().max(candidate.chars().count());
            *distance <= (longer / 3).max(2).min(longer.saturating_sub(1))
        })
        .min_by_key(|&(distance, candidate)| (distance, candidate))
        .map(|(_, candidate)| candidate)
}

/// `hint`, followed by a question naming the closest candidate when there is one.
pub fn hint_with_closest<'a>(
    hint: impl Into<String>,
    written: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> String {
    let hint = hint.into();
    match closest(written, candidates) {
        Some(name) => format!("did you mean `{name}`? {hint}"),
        None => hint,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIELDS: [&str; 6] = ["title", "slug", "salary", "summary", "soft_skills", "translation_key"];

    #[test]
    fn the_closest_known_name_is_suggested_only_when_it_is_close() {
        let cases: [(&str, &[&str], Option<&str>); 14] = [
            ("salry", &FIELDS, Some("salary")),
            ("salary_note", &FIELDS, None),
            ("titel", &FIELDS, Some("title")),
            ("soft_skils", &FIELDS, Some("soft_skills")),
            ("translation-key", &FIELDS, Some("translation_key")),
            ("Summary", &FIELDS, Some("summary")),
            ("xyz", &FIELDS, None),
            ("backend-develper", &["frontend-developer", "backend-developer"], Some("backend-developer")),
            ("lena-hofman", &["lena-hoffmann", "jonas-berger"], Some("lena-hoffmann")),
            (
                "/profiles/qa-enginer",
                &["/profiles/qa-engineer", "/profiles/data-engineer"],
                Some("/profiles/qa-engineer"),
            ),
            ("ab", &["cd", "ef"], None),
            ("slug", &[], None),
            ("data-engineers", &["data-engineer", "data-engineer2"], Some("data-engineer")),
            ("tester", &["testers", "tester2", "testes"], Some("tester2")),
        ];
        for (written, candidates, expected) in cases {
            assert_eq!(closest(written, candidates.iter().copied()), expected, "for {written}");
        }
    }

    #[test]
    fn a_hint_names_the_closest_candidate_first_and_stays_as_it_was_without_one() {
        assert_eq!(hint_with_closest("fix it", "salry", FIELDS), "did you mean `salary`? fix it");
        assert_eq!(hint_with_closest("fix it", "colour", FIELDS), "fix it");
    }
}
