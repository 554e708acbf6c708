//! The two faces share images are set in, read from the fonts folder once at start: a face that
//! is missing, unreadable or lacks a letter the site writes would only show later as a blank
//! image, so it stops the start instead.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use skrifa::MetadataProvider;
use skrifa::prelude::{FontRef, LocationRef, Size};

use super::ShareImageError;

/// The family every share image is set in, as its fonts name it.
pub const FAMILY: &str = "DejaVu Sans";

/// Files in the fonts folder: the title's weight, and the weight of everything else.
const BOLD_FILE: &str = "DejaVuSans-Bold.ttf";
const REGULAR_FILE: &str = "DejaVuSans.ttf";

/// Letters of both languages' titles, amounts and currency signs: a face without one of them
/// would leave a gap in some image.
const NEEDED: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 .,–-·/&()+€$£ÄÖÜäöüß…";

/// One face's bytes, checked to be a font with every letter in `NEEDED`.
#[derive(Clone)]
pub struct Face {
    data: Arc<Vec<u8>>,
}

impl Face {
    fn read(path: &Path) -> Result<Face, ShareImageError> {
        let data =
            std::fs::read(path).map_err(|source| ShareImageError::FontMissing { path: path.to_owned(), source })?;
        let unreadable = |problem: String| ShareImageError::FontUnreadable { path: path.to_owned(), problem };
        let font = FontRef::new(&data).map_err(|e| unreadable(e.to_string()))?;
        let charmap = font.charmap();
        if let Some(letter) = NEEDED.chars().find(|&letter| charmap.map(letter).is_none()) {
            return Err(unreadable(format!("it has no glyph for {letter:?}")));
        }
        Ok(Face { data: Arc::new(data) })
    }

    /// The width of `text` set at `size` pixels, without kerning: a little wider than the
    /// renderer sets it, which errs on the side of a line that fits.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let Ok(font) = FontRef::new(&self.data) else { return f32::INFINITY };
        let charmap = font.charmap();
        let metrics = font.glyph_metrics(Size::new(size), LocationRef::default());
        text.chars()
            .map(|letter| charmap.map(letter).and_then(|glyph| metrics.advance_width(glyph)).unwrap_or(size))
            .sum()
    }

    pub fn bytes(&self) -> &[u8] {
        &self.data
    }
}

/// The bold and regular faces.
#[derive(Clone)]
pub struct Faces {
    pub bold: Face,
    pub regular: Face,
}

impl Faces {
    pub fn read(dir: &Path) -> Result<Faces, ShareImageError> {
        let path = |file: &str| -> PathBuf { dir.join(file) };
        Ok(Faces { bold: Face::read(&path(BOLD_FILE))?, regular: Face::read(&path(REGULAR_FILE))? })
    }
}
