//! The test that keeps `docs/content.md` and the parser in step: the fields each front-matter
//! type accepts are read from its serde derive, not from a list kept by hand.

use std::cell::Cell;
use std::collections::BTreeSet;

use serde::de::{self, Deserialize, Deserializer, Visitor};

use super::front_matter::{
    GlossaryEntry, GlossaryFile, NavFrontMatter, PageFrontMatter, PerLanguage, PersonFile, ProfileFrontMatter,
    SalaryFrontMatter, SiteFile,
};

/// A deserializer that only notes the field names a struct asks for, then stops.
struct FieldNames<'a>(&'a Cell<&'static [&'static str]>);

impl<'de> Deserializer<'de> for FieldNames<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("only structs have field names"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.set(fields);
        Err(de::Error::custom("field names noted"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
    }
}

/// The fields the parser accepts for `T`.
fn accepted<'de, T: Deserialize<'de>>() -> BTreeSet<&'static str> {
    let fields = Cell::new(&[][..]);
    let _ = T::deserialize(FieldNames(&fields));
    fields.get().iter().copied().collect()
}

/// The fields named in the first column of the table under `heading` (up to the next heading).
fn documented(document: &str, heading: &str) -> BTreeSet<String> {
    let mut lines = document.lines().skip_while(|line| *line != heading);
    assert!(lines.next().is_some(), "docs/content.md has no heading {heading:?}");
    lines
        .take_while(|line| !line.starts_with('#'))
        .filter_map(|line| line.strip_prefix("| `")?.split_once('`').map(|(field, _)| field.to_owned()))
        .collect()
}

#[test]
fn docs_content_lists_exactly_the_fields_the_parser_accepts() {
    let document = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/content.md"))
        .expect("docs/content.md is readable");
    let kinds = [
        ("## Profiles", accepted::<ProfileFrontMatter>()),
        ("### Salary rows", accepted::<SalaryFrontMatter>()),
        ("## Pages", accepted::<PageFrontMatter>()),
        ("## People", accepted::<PersonFile>()),
        ("### Text per language", accepted::<PerLanguage>()),
        ("## Site settings", accepted::<SiteFile>()),
        ("### Navigation links", accepted::<NavFrontMatter>()),
        ("## Glossary", accepted::<GlossaryFile>()),
        ("### Glossary entries", accepted::<GlossaryEntry>()),
    ];
    for (heading, accepted) in &kinds {
        assert!(accepted.len() >= 2, "{heading}: the field names were not read from the parser");
        let documented = documented(&document, heading);
        let missing: Vec<_> = accepted.iter().filter(|field| !documented.contains(**field)).collect();
        let refused: Vec<_> = documented.iter().filter(|field| !accepted.contains(field.as_str())).collect();
        assert!(missing.is_empty(), "{heading}: the parser accepts {missing:?}, docs/content.md does not list them");
        assert!(refused.is_empty(), "{heading}: docs/content.md lists {refused:?}, the parser refuses them");
    }
    // Every table of fields sits under one of the headings above.
    let tables = document.lines().filter(|line| line.starts_with("| field |")).count();
    assert_eq!(tables, kinds.len(), "a table of fields under a heading the test does not know");
}

#[test]
fn every_documented_field_has_its_type_requirement_default_example_and_check_message() {
    let document = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/content.md"))
        .expect("docs/content.md is readable");
    for row in document.lines().filter(|line| line.starts_with("| `")) {
        let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
        assert_eq!(cells.len(), 6, "{row}");
        let (required, default) = (cells[2], cells[3]);
        for (i, cell) in cells.iter().enumerate() {
            // Only a required field may leave its default empty.
            if i != 3 || !required.starts_with("yes") {
                assert!(!cell.is_empty(), "column {i} is empty in {row}");
            }
        }
        assert!(required.starts_with("yes") || !default.is_empty(), "an optional field needs its default: {row}");
    }
}
