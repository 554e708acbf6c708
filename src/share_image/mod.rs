//! Share images: one 1200×630 PNG per profile for Open Graph and Twitter cards, drawn from an
//! SVG template in the site's colours with fonts shipped in the repository.
//!
//! The SVG is cheap to make and names everything the image shows, so its hash is the image's
//! fingerprint (and its URL's): a page can link the image without drawing it. Drawing is left
//! to the first request for that URL, on a blocking thread, a few at a time.

mod fonts;
mod wrap;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use askama::Template;
use sha2::{Digest, Sha256};

use crate::hex::encode_hex;
use fonts::{FAMILY, Faces};

pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;

/// Left and right margin of the text.
const MARGIN: f32 = 80.0;
const TEXT_WIDTH: f32 = WIDTH as f32 - 2.0 * MARGIN;
/// Title sizes tried largest first, and the most lines a title may take.
const TITLE_SIZES: [f32; 3] = [76.0, 64.0, 54.0];
const TITLE_LINES: usize = 3;
const CATEGORY_SIZE: f32 = 30.0;
const SALARY_SIZE: f32 = 34.0;
const FOOTER_SIZE: f32 = 28.0;
/// Images drawn at once: each keeps a core busy for some milliseconds.
const DRAWING_AT_ONCE: usize = 2;

#[derive(Debug, thiserror::Error)]
pub enum ShareImageError {
    #[error("the share image font {} cannot be read", path.display())]
    FontMissing { path: PathBuf, source: std::io::Error },
    #[error("the share image font {} is not usable: {problem}", path.display())]
    FontUnreadable { path: PathBuf, problem: String },
    #[error("a share image could not be drawn: {0}")]
    Drawing(String),
}

/// What a profile's share image says.
pub struct CardText<'a> {
    pub site_name: &'a str,
    pub category: &'a str,
    pub title: &'a str,
    /// The first salary range, e.g. "USD 85,000 – 130,000 per year · United States".
    pub salary: Option<&'a str>,
}

/// A share image as SVG, not drawn yet, and the fingerprint of what it shows.
pub struct ShareCard {
    pub svg: String,
    pub fingerprint: String,
}

struct Line {
    y: f32,
    text: String,
}

#[derive(Template)]
#[template(path = "share_image.svg", escape = "html")]
struct CardSvg<'a> {
    family: &'a str,
    width: u32,
    height: u32,
    margin: f32,
    category: Line,
    category_size: f32,
    title_size: f32,
    title: Vec<Line>,
    salary: Option<Line>,
    salary_size: f32,
    footer: Line,
    footer_size: f32,
}

pub struct ShareImages {
    faces: Faces,
    fonts: Arc<resvg::usvg::fontdb::Database>,
    /// Part of every fingerprint, so that other fonts give other URLs.
    fonts_hash: String,
    drawing: tokio::sync::Semaphore,
}

impl ShareImages {
    /// The fonts in `dir`, each checked to be a font with every letter the site writes.
    pub fn load(dir: &Path) -> Result<ShareImages, ShareImageError> {
        let faces = Faces::read(dir)?;
        let mut fonts = resvg::usvg::fontdb::Database::new();
        let mut hash = Sha256::new();
        for face in [&faces.bold, &faces.regular] {
            hash.update(face.bytes());
            fonts.load_font_data(face.bytes().to_vec());
        }
        if !fonts.faces().any(|face| face.families.iter().any(|(name, _)| name == FAMILY)) {
            return Err(ShareImageError::FontUnreadable {
                path: dir.to_owned(),
                problem: format!("no font of the family {FAMILY}"),
            });
        }
        Ok(ShareImages {
            faces,
            fonts: Arc::new(fonts),
            fonts_hash: encode_hex(&hash.finalize()[..8]),
            drawing: tokio::sync::Semaphore::new(DRAWING_AT_ONCE),
        })
    }

    /// The image for `text`, laid out but not drawn.
    pub fn card(&self, text: &CardText<'_>) -> ShareCard {
        let regular = |line: &str, size: f32| self.faces.regular.width(line, size);
        let title = wrap::fit(text.title, &TITLE_SIZES, TEXT_WIDTH, TITLE_LINES, |line, size| {
            self.faces.bold.width(line, size)
        });
        let line_height = title.size * 1.15;
        let title_top = 190.0 + title.size;
        let title_lines: Vec<Line> = title
            .lines
            .into_iter()
            .enumerate()
            .map(|(i, text)| Line { y: title_top + i as f32 * line_height, text })
            .collect();
        let below_title = title_lines.last().map_or(title_top, |line| line.y) + 40.0 + SALARY_SIZE;
        let svg = CardSvg {
            family: FAMILY,
            width: WIDTH,
            height: HEIGHT,
            margin: MARGIN,
            category: Line {
                y: 120.0,
                text: wrap::shorten(text.category, TEXT_WIDTH, |line| regular(line, CATEGORY_SIZE)),
            },
            category_size: CATEGORY_SIZE,
            title_size: title.size,
            title: title_lines,
            salary: text.salary.map(|salary| Line {
                y: below_title,
                text: wrap::shorten(salary, TEXT_WIDTH, |line| regular(line, SALARY_SIZE)),
            }),
            salary_size: SALARY_SIZE,
            footer: Line {
                y: HEIGHT as f32 - 40.0,
                text: wrap::shorten(text.site_name, TEXT_WIDTH, |line| regular(line, FOOTER_SIZE)),
            },
            footer_size: FOOTER_SIZE,
        }
        .render()
        .unwrap_or_default();
        let fingerprint = encode_hex(&Sha256::digest(format!("{}{svg}", self.fonts_hash))[..8]);
        ShareCard { svg, fingerprint }
    }

    /// `card` drawn as a PNG, on a blocking thread once a drawing slot is free.
    pub async fn draw(self: Arc<Self>, card: ShareCard) -> Result<Vec<u8>, ShareImageError> {
        let _slot = self.drawing.acquire().await.map_err(|e| ShareImageError::Drawing(e.to_string()))?;
        let images = self.clone();
        tokio::task::spawn_blocking(move || images.draw_now(&card.svg))
            .await
            .map_err(|e| ShareImageError::Drawing(e.to_string()))?
    }

    fn draw_now(&self, svg: &str) -> Result<Vec<u8>, ShareImageError> {
        let options =
            resvg::usvg::Options { font_family: FAMILY.to_owned(), fontdb: self.fonts.clone(), ..Default::default() };
        let tree = resvg::usvg::Tree::from_str(svg, &options).map_err(|e| ShareImageError::Drawing(e.to_string()))?;
        let mut pixmap = resvg::tiny_skia::Pixmap::new(WIDTH, HEIGHT)
            .ok_or_else(|| ShareImageError::Drawing("no memory for the image".to_owned()))?;
        resvg::render(&tree, resvg::tiny_skia::Transform::default(), &mut pixmap.as_mut());
        pixmap.encode_png().map_err(|e| ShareImageError::Drawing(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn images() -> ShareImages {
        ShareImages::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts")).expect("the shipped fonts load")
    }

    fn text<'a>(title: &'a str) -> CardText<'a> {
        CardText {
            site_name: "Example",
            category: "Software development",
            title,
            salary: Some("USD 85,000 – 130,000 per year · United States"),
        }
    }

    #[test]
    fn the_fingerprint_follows_what_the_image_shows() {
        let images = images();
        let first = images.card(&text("Backend Developer"));
        assert_eq!(first.fingerprint, images.card(&text("Backend Developer")).fingerprint);
        assert_ne!(first.fingerprint, images.card(&text("Backend-Entwickler")).fingerprint);
    }

    #[test]
    fn text_is_escaped_in_the_svg() {
        let images = images();
        let card = images.card(&text("R&D <Lead>"));
        assert!(!card.svg.contains("R&D") && !card.svg.contains("<Lead>"), "{}", card.svg);
        assert!(images.draw_now(&card.svg).is_ok(), "the escaped SVG is well-formed");
    }

    #[test]
    fn a_missing_font_folder_is_an_error_naming_the_file() {
        let error = ShareImages::load(Path::new("/nonexistent-fonts")).err().expect("no fonts there");
        assert!(error.to_string().contains("/nonexistent-fonts/DejaVuSans-Bold.ttf"), "{error}");
    }

    #[test]
    fn a_file_that_is_not_a_font_is_an_error() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        for file in ["DejaVuSans-Bold.ttf", "DejaVuSans.ttf"] {
            std::fs::write(dir.path().join(file), b"not a font").expect("written");
        }
        let error = ShareImages::load(dir.path()).err().expect("not a font");
        assert!(matches!(error, ShareImageError::FontUnreadable { .. }), "{error}");
    }
}
