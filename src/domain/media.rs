//! The kinds of file the site serves from `media/`: images and PDF, known by their extension.
//! Anything else there (HTML, JavaScript, ...) would run from the site's own origin.

use std::path::{Path, PathBuf};

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

    /// PDF readers run scripts too: a PDF is a download, never shown from the site's origin.
    pub fn is_download(self) -> bool {
        self == MediaType::Pdf
    }

    /// SVG may carry scripts: shown only with a sandbox policy.
    pub fn sandboxed(self) -> bool {
        self == MediaType::Svg
    }

    /// What `check` tells an author whose file is of another type.
    pub const SERVED: &'static str = "PNG, JPEG, GIF, WebP, AVIF, SVG and PDF";
}

/// A file inside the media folder, of a type the site serves: what `/media/...` answers with,
/// and what content may refer to.
#[derive(Debug)]
pub struct MediaFile {
    pub path: PathBuf,
    pub kind: MediaType,
}

impl MediaFile {
    /// What `check` tells an author whose content refers to a file that is not served.
    pub fn served_hint() -> String {
        format!(
            "refer to a {} file in `media/`, not hidden and not a link leading out of the folder",
            MediaType::SERVED
        )
    }

    /// Only plain names lead somewhere: no empty, `.`, `..` or hidden segment, and the file, with
    /// every link on the way followed, must still be inside the folder and have a served type.
    pub fn find(root: &Path, requested: &str) -> Option<MediaFile> {
        if requested.split('/').any(|part| part.is_empty() || part.starts_with('.') || part.contains('\\')) {
            return None;
        }
        MediaType::of(Path::new(requested))?;
        let root = root.canonicalize().ok()?;
        let path = root.join(requested).canonicalize().ok()?;
        let kind = MediaType::of(&path)?;
        (path.starts_with(&root) && path.is_file()).then_some(MediaFile { path, kind })
    }
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
