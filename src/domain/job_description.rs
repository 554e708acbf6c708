//! Job-description templates: the placeholders a hiring manager fills in, defined once per
//! language with what each one stands for, and how they are found in a template's text.

use std::ops::Range;

use super::Lang;

/// A gap in a template, written `[Name]`, and what the hiring manager writes there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placeholder {
    pub name: &'static str,
    pub meaning: &'static str,
}

const fn placeholder(name: &'static str, meaning: &'static str) -> Placeholder {
    Placeholder { name, meaning }
}

/// Every placeholder an English template may use. A template that needs another one adds it
/// here first, so the profile page can always say what it means.
const ENGLISH: [Placeholder; 11] = [
    placeholder("Company", "Your company's name as applicants know it."),
    placeholder("About the company", "Two or three sentences on what your company does and for whom."),
    placeholder("Team", "The team the new person joins and what it is responsible for."),
    placeholder(
        "Location",
        "The city or office the role is based in; for a fully remote role, the countries you can employ in.",
    ),
    placeholder("Work model", "On site, hybrid (say how many office days) or fully remote."),
    placeholder("Start date", "The first working day, e.g. \"1 March\", or \"as soon as possible\"."),
    placeholder("Employment type", "Permanent or fixed-term, full-time or part-time with weekly hours, or freelance."),
    placeholder("Salary range", "The yearly range you offer; the salary box on this page shows the market's."),
    placeholder("Contact person", "The name and role of the person who answers applicants' questions."),
    placeholder("Application deadline", "The date by which applications should reach you."),
    placeholder("Application link", "The address or e-mail where applications go."),
];

/// Every placeholder a German template may use; see [`ENGLISH`].
const GERMAN: [Placeholder; 11] = [
    placeholder("Unternehmen", "Der Name Ihres Unternehmens, wie Bewerbende ihn kennen."),
    placeholder("Über das Unternehmen", "Zwei, drei Sätze dazu, was Ihr Unternehmen macht und für wen."),
    placeholder("Team", "Das Team, in das die neue Person kommt, und wofür es zuständig ist."),
    placeholder(
        "Standort",
        "Stadt oder Büro der Stelle; bei einer reinen Remote-Stelle die Länder, in denen Sie anstellen können.",
    ),
    placeholder("Arbeitsmodell", "Vor Ort, hybrid (mit Anzahl der Bürotage) oder vollständig remote."),
    placeholder("Startdatum", "Der Eintrittstermin, z. B. „1. März“, oder „nächstmöglichen Zeitpunkt“."),
    placeholder(
        "Anstellungsart",
        "Unbefristet oder befristet, Vollzeit oder Teilzeit mit Wochenstunden, oder freiberuflich.",
    ),
    placeholder(
        "Gehaltsspanne",
        "Die Jahresspanne, die Sie bieten; die Gehaltsübersicht auf dieser Seite zeigt die des Markts.",
    ),
    placeholder("Ansprechperson", "Name und Rolle der Person, die Fragen von Bewerbenden beantwortet."),
    placeholder("Bewerbungsfrist", "Das Datum, bis zu dem Bewerbungen bei Ihnen eingehen sollen."),
    placeholder("Bewerbungslink", "Die Adresse oder E-Mail, an die Bewerbungen gehen."),
];

/// The placeholders a template in `lang` may use, in the order the profile page explains them.
pub fn placeholders(lang: Lang) -> &'static [Placeholder] {
    match lang {
        Lang::En => &ENGLISH,
        Lang::De => &GERMAN,
    }
}

/// A bracketed name in a template's text, as written, with the byte range of the brackets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bracketed<'a> {
    pub name: &'a str,
    pub span: Range<usize>,
}

/// Every `[Name]` in `text`. A bracket followed by `(` is a Markdown link and `\[` an escaped
/// bracket, so neither is a placeholder; a `[` without its `]` on the same line is returned as
/// `Err` with its offset, since it is a placeholder half written.
pub fn bracketed(text: &str) -> Vec<Result<Bracketed<'_>, usize>> {
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(offset) = text[at..].find('[') {
        let open = at + offset;
        at = open + 1;
        if text[..open].ends_with(['\\', '!']) {
            continue;
        }
        let line_end = text[open..].find('\n').map_or(text.len(), |i| open + i);
        // A `[` before the `]` means this one was never closed.
        let Some(close) =
            text[open + 1..line_end].find(['[', ']']).map(|i| open + 1 + i).filter(|&at| text[at..].starts_with(']'))
        else {
            found.push(Err(open));
            continue;
        };
        at = close + 1;
        if !text[close + 1..].starts_with('(') {
            found.push(Ok(Bracketed { name: &text[open + 1..close], span: open..close + 1 }));
        }
    }
    found
}

/// The placeholders of `lang` that `text` uses, in the order [`placeholders`] gives them.
pub fn used_in(lang: Lang, text: &str) -> Vec<Placeholder> {
    let names: Vec<&str> = bracketed(text).into_iter().flatten().map(|b| b.name).collect();
    placeholders(lang).iter().filter(|p| names.contains(&p.name)).copied().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_bracketed_names_that_are_not_links() {
        let text =
            "Join [Company] in [Location]. [Apply here](https://x.example) \\[not] ![img](a.png)\n[open [Team]\n";
        let found = bracketed(text);
        let names: Vec<_> = found.iter().flatten().map(|b| b.name).collect();
        assert_eq!(names, ["Company", "Location", "Team"]);
        assert_eq!(found[0], Ok(Bracketed { name: "Company", span: 5..14 }));
        assert!(found.contains(&Err(text.find("[open").expect("an open bracket"))), "{found:?}");
    }

    #[test]
    fn a_template_lists_the_placeholders_it_uses_in_the_languages_order() {
        let used = used_in(Lang::En, "[Start date] at [Company], [Company] again, [Unknown]");
        let names: Vec<_> = used.iter().map(|p| p.name).collect();
        assert_eq!(names, ["Company", "Start date"]);
        assert!(used_in(Lang::De, "[Company]").is_empty());
    }

    #[test]
    fn every_placeholder_has_a_distinct_name_and_a_meaning() {
        for lang in Lang::ALL {
            let all = placeholders(lang);
            for (i, p) in all.iter().enumerate() {
                assert!(!p.meaning.is_empty(), "{}", p.name);
                assert!(all[..i].iter().all(|q| q.name != p.name), "{} twice", p.name);
                assert_eq!(bracketed(&format!("[{}]", p.name)).len(), 1, "{}", p.name);
            }
        }
    }
}
