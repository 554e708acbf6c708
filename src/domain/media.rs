//! The kinds of file the site serves from `media/`: images and PDF, known by their extension.
//! Anything else there (HTML, JavaScript, ...) would run from the site's own origin.

use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaType {
    Png,
    Jpeg,
    Gif,
    Webp,
    Avif,
    Svg,
    Pdf,
}

impl MediaType {
    /// The type a file's name says it has, if it is one the site serves.
    pub fn of(path: &Path) -> Option<MediaType> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match extension.as_str() {
            "png" => MediaType::Png,
            "jpg" | "jpeg" => MediaType::Jpeg,
            "gif" => MediaType::Gif,
            "webp" => MediaType::Webp,
            "avif" => MediaType::Avif,
            "svg" => MediaType::Svg,
            "pdf" => MediaType::Pdf,
            _ => return None,
        })
    }

    pub fn mime(self) -> &'static str {
        match self {
            MediaType::Png => "image/png",
            MediaType::Jpeg => "image/jpeg",
            MediaType::Gif => "image/gif",
            MediaType::Webp => "image/webp",
            MediaType::Avif => "image/avif",
            MediaType::Svg => "image/svg+xml",
            MediaType::Pdf => "application/pdf",
        }
    }

    /// What `check` tells an author whose file is of another type.
    pub const SERVED: &'static str = "PNG, JPEG, GIF, WebP, AVIF, SVG and PDF";
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::MediaType;

    #[test]
    fn images_and_pdf_are_known_by_extension_in_any_case_and_nothing_else_is() {
        assert_eq!(MediaType::of(Path::new("people/lena.SVG")), Some(MediaType::Svg));
        assert_eq!(MediaType::of(Path::new("chart.jpg")), Some(MediaType::Jpeg));
        assert_eq!(MediaType::of(Path::new("guide.pdf")), Some(MediaType::Pdf));
        for refused in ["page.html", "app.js", "x.svgz", "README", "share.png.html"] {
            assert_eq!(MediaType::of(Path::new(refused)), None, "{refused}");
        }
    }
}
