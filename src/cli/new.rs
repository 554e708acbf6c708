//! `jobprofiles new profile|page SLUG --lang en|de [--translation-of SLUG]`: a new content file to
//! fill in (see `scaffold`).

use std::process::ExitCode;

use clap::{Args, Subcommand};

use crate::configuration::Settings;
use crate::domain::{Lang, Slug};
use crate::scaffold::{self, Kind};

#[derive(Debug, Subcommand)]
pub enum NewCommand {
    /// Write `profiles/<lang>/<slug>.md` with every field and the usual sections, to fill in.
    Profile(NewFile),
    /// Write `pages/<lang>/<slug>.md`, to fill in.
    Page(NewFile),
}

#[derive(Debug, Args)]
pub struct NewFile {
    /// The file name and the last part of its URL, e.g. `backend-developer`.
    slug: Slug,
    /// The language of the new file: `en` or `de`.
    #[arg(long)]
    lang: Lang,
    /// The slug of the same profile or page in the other language: the new file shares its
    /// translation key and follows its sections, with their headings translated.
    #[arg(long)]
    translation_of: Option<Slug>,
}

pub fn run(command: &NewCommand, settings: &Settings) -> ExitCode {
    let (kind, file) = match command {
        NewCommand::Profile(file) => (Kind::Profile, file),
        NewCommand::Page(file) => (Kind::Page, file),
    };
    let today = time::OffsetDateTime::now_utc().date();
    match scaffold::create(&settings.content, kind, &file.slug, file.lang, file.translation_of.as_ref(), today) {
        Ok(path) => {
            println!("wrote {}\nreplace every TODO in it, then run `jobprofiles check`", path.display());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {}", crate::error::with_causes(&error));
            ExitCode::FAILURE
        }
    }
}
