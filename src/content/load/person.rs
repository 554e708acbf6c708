//! Parsing a person file (`people/<id>.toml`).

use std::path::Path;

use super::Located;
use super::document::parse_toml;
use super::fields::{Fields, file_stem, media_file};
use crate::content::Diagnostics;
use crate::content::front_matter::PersonFile;
use crate::content::source::SourceFile;
use crate::domain::{Lang, Person, PersonText, Slug};

pub(super) fn parse_person(file: SourceFile, dir: &Path, diagnostics: &mut Diagnostics) -> Option<Located<Person, ()>> {
    let fm: PersonFile = parse_toml(&file, file.text(), 0, diagnostics)?;
    let id = match Slug::parse(file_stem(&file)) {
        Ok(id) => Some(id),
        Err(e) => {
            diagnostics.push(file.error_at(
                0,
                format!("the file name is the person's id: {e}"),
                "rename the file, e.g. `people/lena-hoffmann.toml`",
            ));
            None
        }
    };
    let mut f = Fields { file: &file, base: 0, diagnostics };
    let name = f.text("name", &fm.name, 80);
    let email = match email_address::EmailAddress::parse_with_options(
        fm.email.get_ref(),
        email_address::Options::default().without_display_text(),
    ) {
        Ok(address) => Some(address.to_string()),
        Err(e) => {
            f.error(&fm.email, format!("`email` is not an e-mail address: {e}"), "e.g. \"lena.hoffmann@example.com\"");
            None
        }
    };
    let public_email = match &fm.public_email {
        None => Some(None),
        Some(value) => match email_address::EmailAddress::parse_with_options(
            value.get_ref(),
            email_address::Options::default().without_display_text(),
        ) {
            Ok(address) => Some(Some(address.to_string())),
            Err(e) => {
                f.error(
                    value,
                    format!("`public_email` is not an e-mail address: {e}"),
                    "e.g. \"lena.hoffmann@quellwerk-talent.example\"",
                );
                None
            }
        },
    };
    let photo = media_file(&mut f, "photo", &fm.photo, dir);
    let languages: Option<Vec<Lang>> = if fm.languages.get_ref().is_empty() {
        f.error(
            &fm.languages,
            "`languages` is empty",
            "list the languages the person answers in, e.g. [\"de\", \"en\"]",
        );
        None
    } else {
        fm.languages
            .get_ref()
            .iter()
            .map(|l| {
                l.get_ref()
                    .parse::<Lang>()
                    .map_err(|e| f.error(l, format!("`languages`: {e}"), "use \"en\" and/or \"de\""))
                    .ok()
            })
            .collect()
    };
    let role = f.per_language("role", &fm.role, 80);
    let pitch = f.per_language("pitch", &fm.pitch, 240);
    let (role_en, role_de) = role?;
    let (pitch_en, pitch_de) = pitch?;
    let person = Person {
        id: id?,
        name: name?,
        email: email?,
        public_email: public_email?,
        photo: photo?,
        languages: languages?,
        en: PersonText { role: role_en, pitch: pitch_en },
        de: PersonText { role: role_de, pitch: pitch_de },
    };
    Some(Located { value: person, file, spans: () })
}
