//! The sizes of the pictures a site shows from its own files, so that each
//! `<img>` states its width and height and the browser keeps the picture's
//! room while it loads: the story's text does not jump down as a photo
//! arrives.
//!
//! A raster's size (JPEG, PNG, WebP, AVIF, GIF...) is read from its header
//! by imagesize (turned as a JPEG's EXIF orientation turns it, which
//! kamadak-exif reads), an SVG's from its root element by quick-xml. Only a size
//! the browser would find itself is given, so no picture is drawn
//! differently: an SVG that leaves its size to the page (a `viewBox` alone,
//! `width="100%"`) gets none.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// A picture's size in CSS pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    pub width: u32,
    pub height: u32,
}

/// The largest side a size is given for: no browser shows a picture
/// larger (a JPEG cannot be); a header saying more is a broken file's.
const LARGEST: f64 = 65_535.0;

impl Size {
    fn new(width: f64, height: f64) -> Option<Size> {
        let px =
            |v: f64| (v.is_finite() && v > 0.0 && v <= LARGEST).then(|| v.round().max(1.0) as u32);
        Some(Size {
            width: px(width)?,
            height: px(height)?,
        })
    }
}

/// The files a site copies (`static/`, bundles' files, authors' photos),
/// by site path without base_url's path, each read for its size when a
/// page first asks for it.
#[derive(Debug, Default)]
pub struct Files {
    files: HashMap<String, (PathBuf, OnceLock<Option<Size>>)>,
}

impl Files {
    /// From each file's site path (`/img/map.png`) and its file.
    pub fn new(files: impl IntoIterator<Item = (String, PathBuf)>) -> Files {
        let files = files
            .into_iter()
            .map(|(path, file)| (path, (file, OnceLock::new())))
            .collect();
        Files { files }
    }

    /// Whether the site copies a file to `path`.
    pub fn contains(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// The size of the picture at `path`, if the site copies one there.
    pub fn size(&self, path: &str) -> Option<Size> {
        let (file, size) = self.files.get(path)?;
        *size.get_or_init(|| size_of(file))
    }

    /// Whether the file at `path` is a picture a page gave a size that it
    /// no longer has (the dev server, after the file changed).
    pub fn resized(&self, path: &str) -> bool {
        let Some((file, size)) = self.files.get(path) else {
            return false;
        };
        size.get().is_some_and(|&given| given != size_of(file))
    }
}

/// The address a picture written as `written` on the page at `page` has,
/// as a site path (percent-escapes decoded); `page` is as served, with
/// base_url's path. None for an address elsewhere.
pub fn site_path(page: &str, written: &str) -> Option<String> {
    static SITE: OnceLock<Option<url::Url>> = OnceLock::new();
    let site = SITE.get_or_init(|| url::Url::parse("http://site.invalid/").ok());
    let url = site.as_ref()?.join(page).ok()?.join(written.trim()).ok()?;
    if url.host_str() != Some("site.invalid") {
        return None;
    }
    let path = percent_encoding::percent_decode_str(url.path())
        .decode_utf8()
        .ok()?;
    Some(path.into_owned())
}

/// The natural size of the picture in `file`, if it is one whose size can
/// be read.
pub fn size_of(file: &Path) -> Option<Size> {
    let svg = (file.extension()).is_some_and(|e| e.eq_ignore_ascii_case("svg"));
    if svg {
        let reader = std::io::BufReader::new(std::fs::File::open(file).ok()?);
        return svg_size(reader);
    }
    use std::io::{Seek, SeekFrom};
    let mut reader = std::io::BufReader::new(std::fs::File::open(file).ok()?);
    let kind = imagesize::reader_type(&mut reader).ok()?;
    reader.seek(SeekFrom::Start(0)).ok()?;
    let size = imagesize::reader_size(&mut reader).ok()?;
    let (width, height) = (size.width as f64, size.height as f64);
    // A camera's photo taken upright is stored sideways with a note
    // (EXIF orientation 5 to 8) that browsers follow.
    let exif = match kind {
        // Its EXIF comes before the picture: read up to there.
        imagesize::ImageType::Jpeg => {
            reader.seek(SeekFrom::Start(0)).ok()?;
            exif::Reader::new().read_from_container(&mut reader).ok()
        }
        imagesize::ImageType::Png => png_exif(&mut reader),
        _ => None,
    };
    let orientation = exif.and_then(|e| {
        // A SHORT, as the standard has it; browsers read no other.
        match e
            .get_field(exif::Tag::Orientation, exif::In::PRIMARY)?
            .value
        {
            exif::Value::Short(ref v) => v.first().copied(),
            _ => None,
        }
    });
    match orientation {
        Some(5..=8) => Size::new(height, width),
        _ => Size::new(width, height),
    }
}

/// A PNG's `eXIf` chunk, read when it comes before the picture's data (as
/// the PNG standard asks), stepping over the chunks before it: a large
/// PNG is not read through.
fn png_exif(reader: &mut (impl std::io::Read + std::io::Seek)) -> Option<exif::Exif> {
    use std::io::SeekFrom;
    reader.seek(SeekFrom::Start(8)).ok()?;
    loop {
        let mut header = [0u8; 8];
        reader.read_exact(&mut header).ok()?;
        let len = u32::from_be_bytes([header[0], header[1], header[2], header[3]]);
        match &header[4..] {
            b"eXIf" => {
                let mut data = vec![0; usize::try_from(len).ok()?.min(1 << 20)];
                reader.read_exact(&mut data).ok()?;
                return exif::Reader::new().read_raw(data).ok();
            }
            b"IDAT" | b"IEND" => return None,
            // Its data and CRC.
            _ => {
                reader.seek(SeekFrom::Current(i64::from(len) + 4)).ok()?;
            }
        }
    }
}

/// An SVG's size from its root element: its `width` and `height`, or one
/// of them with the `viewBox`'s proportions. None for a root a browser
/// shows no picture of: not `svg` in the SVG namespace, an attribute
/// written twice.
fn svg_size(reader: impl std::io::BufRead) -> Option<Size> {
    use quick_xml::events::Event;
    use quick_xml::name::{Namespace, ResolveResult};
    let mut reader = quick_xml::reader::NsReader::from_reader(reader);
    let mut buf = Vec::new();
    loop {
        match reader.read_resolved_event_into(&mut buf).ok()? {
            (namespace, Event::Start(root) | Event::Empty(root)) => {
                let svg = ResolveResult::Bound(Namespace(b"http://www.w3.org/2000/svg"));
                if root.local_name().as_ref() != b"svg" || namespace != svg {
                    return None;
                }
                if root.attributes().any(|a| a.is_err()) {
                    return None;
                }
                let value = |name: &str| {
                    let attribute = root.try_get_attribute(name).ok()??;
                    let value = attribute.normalized_value(quick_xml::XmlVersion::Implicit1_0);
                    Some(value.ok()?.into_owned())
                };
                let width = value("width").map(|w| length(&w));
                let height = value("height").map(|h| length(&h));
                let view_box = value("viewBox").and_then(|v| view_box(&v));
                return match (width, height, view_box) {
                    (Some(Some(w)), Some(Some(h)), _) => Size::new(w, h),
                    (Some(Some(w)), None, Some((vw, vh))) => Size::new(w, w * vh / vw),
                    (None, Some(Some(h)), Some((vw, vh))) => Size::new(h * vw / vh, h),
                    _ => None,
                };
            }
            (_, Event::Eof) => return None,
            // The XML declaration, a doctype, comments.
            _ => buf.clear(),
        }
    }
}

/// An SVG length in CSS pixels, written as browsers read one (`12`,
/// `12.5px`, `1e3`, `3cm`); none for one relative to the page (`%`, `em`)
/// or one they refuse (`12.`, `12 px`).
fn length(value: &str) -> Option<f64> {
    let value = value.trim();
    let number = css_number(value)?;
    let (number, unit) = value.split_at(number);
    let per_unit = match unit.to_ascii_lowercase().as_str() {
        "" | "px" => 1.0,
        "in" => 96.0,
        "cm" => 96.0 / 2.54,
        "mm" => 96.0 / 25.4,
        "q" => 96.0 / 101.6,
        "pt" => 96.0 / 72.0,
        "pc" => 16.0,
        _ => return None,
    };
    let number: f64 = number.parse().ok()?;
    (number.is_finite() && number > 0.0).then_some(number * per_unit)
}

/// How long the CSS number at the start of `text` is: digits with a
/// point only between digits, and an exponent.
fn css_number(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let digits = |from: usize| {
        bytes[from..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let mut at = usize::from(matches!(bytes.first(), Some(b'+')));
    let whole = digits(at);
    at += whole;
    if bytes.get(at) == Some(&b'.') {
        let fraction = digits(at + 1);
        if fraction == 0 {
            return None;
        }
        at += 1 + fraction;
    } else if whole == 0 {
        return None;
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(bytes.get(at + 1), Some(b'+' | b'-')));
        let exponent = digits(at + 1 + sign);
        if exponent > 0 {
            at += 1 + sign + exponent;
        }
    }
    Some(at)
}

/// A `viewBox`'s width and height.
fn view_box(value: &str) -> Option<(f64, f64)> {
    let numbers: Vec<f64> = value
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|part| !part.is_empty())
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    match numbers[..] {
        [_, _, w, h] if w > 0.0 && h > 0.0 && w.is_finite() && h.is_finite() => Some((w, h)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn svg(text: &str) -> Option<(u32, u32)> {
        svg_size(text.as_bytes()).map(|s| (s.width, s.height))
    }

    #[test]
    fn an_svg_gives_the_size_a_browser_would_draw_it_at() {
        let ns = r#"xmlns="http://www.w3.org/2000/svg""#;
        assert_eq!(
            svg(&format!(r#"<svg {ns} width="640" height="360"/>"#)),
            Some((640, 360))
        );
        assert_eq!(
            svg(&format!(
                "<?xml version=\"1.0\"?>\n<!-- map -->\n<!DOCTYPE svg>\n\
                 <svg {ns} width=\"10cm\" height=\"75.5pt\"><rect/></svg>"
            )),
            Some((378, 101))
        );
        // One side and the viewBox's proportions.
        assert_eq!(
            svg(&format!(r#"<svg {ns} width="300px" viewBox="0,0 40 30"/>"#)),
            Some((300, 225))
        );
        assert_eq!(
            svg(&format!(r#"<svg {ns} height="90" viewBox="0 0 40 30"/>"#)),
            Some((120, 90))
        );
        // A prefixed root.
        assert_eq!(
            svg(r#"<s:svg xmlns:s="http://www.w3.org/2000/svg" width="8" height="6"/>"#),
            Some((8, 6))
        );
        // Numbers as CSS writes them.
        assert_eq!(
            svg(&format!(r#"<svg {ns} width="1e3" height=" .5E2px "/>"#)),
            Some((1000, 50))
        );
    }

    #[test]
    fn an_svg_that_leaves_its_size_to_the_page_has_none() {
        let ns = r#"xmlns="http://www.w3.org/2000/svg""#;
        for root in [
            format!(r#"<svg {ns} viewBox="0 0 320 180"/>"#),
            format!(r#"<svg {ns} width="100%" height="100%" viewBox="0 0 4 3"/>"#),
            format!(r#"<svg {ns} width="20em" height="10em"/>"#),
            format!(r#"<svg {ns} width="640"/>"#),
            format!(r#"<svg {ns} width="0" height="10"/>"#),
            format!(r#"<svg {ns} width="-4" height="10"/>"#),
            format!(r#"<svg {ns} width="40" viewBox="0 0 0 3"/>"#),
            format!(r#"<svg {ns} width="NaN" height="10"/>"#),
            "<html><svg width=\"4\" height=\"3\"/></html>".to_string(),
            // Lengths browsers refuse.
            format!(r#"<svg {ns} width="64." height="10"/>"#),
            format!(r#"<svg {ns} width="154 px" height="10"/>"#),
            format!(r#"<svg {ns} width="99999999" height="10"/>"#),
            // No picture a browser shows: not SVG's namespace, an
            // attribute twice.
            r#"<svg width="4" height="3"/>"#.to_string(),
            r#"<svg xmlns="http://www.w3.org/1999/xhtml" width="4" height="3"/>"#.to_string(),
            format!(r#"<svg {ns} width="4" width="5" height="3"/>"#),
            "<svg width=\"4\" height=\"3\"".to_string(),
            String::new(),
        ] {
            assert_eq!(svg(&root), None, "{root}");
        }
    }

    #[test]
    fn raster_sizes_come_from_their_headers() {
        let dir = tempfile::tempdir().unwrap();
        // A GIF's header: its logical screen is 300 by 200.
        let gif = dir.path().join("chart.gif");
        std::fs::write(&gif, b"GIF89a\x2c\x01\xc8\x00\x00\x00\x00;").unwrap();
        assert_eq!(
            size_of(&gif),
            Some(Size {
                width: 300,
                height: 200
            })
        );
        let text = dir.path().join("notes.txt");
        std::fs::write(&text, "not a picture").unwrap();
        assert_eq!(size_of(&text), None);
        assert_eq!(size_of(&dir.path().join("gone.png")), None);
    }

    #[test]
    fn a_photo_stored_sideways_is_as_wide_as_it_is_shown() {
        let dir = tempfile::tempdir().unwrap();
        // A start of frame: 768 high, 1024 wide.
        let frame = b"\xff\xc0\x00\x11\x08\x03\x00\x04\x00\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01";
        let turned_as = |orientation: u8, long: bool| {
            // An EXIF segment whose one field is the orientation, a SHORT
            // or (which browsers do not read) a LONG.
            let mut jpeg = b"\xff\xd8\xff\xe1\x00\x22Exif\0\0MM\0\x2a\0\0\0\x08".to_vec();
            match long {
                false => {
                    jpeg.extend(b"\0\x01\x01\x12\0\x03\0\0\0\x01\0");
                    jpeg.extend([orientation, 0, 0, 0, 0, 0, 0]);
                }
                true => {
                    jpeg.extend(b"\0\x01\x01\x12\0\x04\0\0\0\x01\0\0\0");
                    jpeg.extend([orientation, 0, 0, 0, 0]);
                }
            }
            jpeg.extend(frame);
            let file = dir.path().join(format!("photo-{orientation}-{long}.jpg"));
            std::fs::write(&file, jpeg).unwrap();
            size_of(&file).map(|s| (s.width, s.height))
        };
        let turned = |orientation: u8| turned_as(orientation, false);
        assert_eq!(turned_as(6, true), Some((1024, 768)));
        // A PNG's eXIf chunk before its data.
        let png = |orientation: u8| {
            let mut png =
                b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\x01\xf4\0\0\0\x79\x08\x02\0\0\0\0\0\0\0"
                    .to_vec();
            png.extend(b"\0\0\0\x1aeXIfMM\0\x2a\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0");
            png.extend([orientation, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            png.extend(b"\0\0\0\0IDAT\0\0\0\0");
            let file = dir.path().join(format!("chart-{orientation}.png"));
            std::fs::write(&file, png).unwrap();
            size_of(&file).map(|s| (s.width, s.height))
        };
        assert_eq!(png(1), Some((500, 121)));
        assert_eq!(png(6), Some((121, 500)));
        assert_eq!(turned(1), Some((1024, 768)));
        assert_eq!(turned(3), Some((1024, 768)));
        assert_eq!(turned(6), Some((768, 1024)));
        assert_eq!(turned(8), Some((768, 1024)));
        let plain = dir.path().join("plain.jpg");
        std::fs::write(&plain, [&b"\xff\xd8"[..], frame].concat()).unwrap();
        assert_eq!(
            size_of(&plain).map(|s| (s.width, s.height)),
            Some((1024, 768))
        );
    }

    #[test]
    fn pictures_are_found_by_their_address_from_the_page() {
        assert_eq!(
            site_path("/news/city/ferry/", "harbour%20at%20dawn.jpg").as_deref(),
            Some("/news/city/ferry/harbour at dawn.jpg")
        );
        assert_eq!(
            site_path("/city/ferry/", "../../img/map.png").as_deref(),
            Some("/img/map.png")
        );
        assert_eq!(site_path("/city/ferry/", "https://example.com/a.png"), None);
    }

    #[test]
    fn a_size_once_given_is_checked_against_the_file_again() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("map.svg");
        let svg =
            |w: u32| format!(r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="3"/>"#);
        std::fs::write(&file, svg(4)).unwrap();
        let files = Files::new([("/map.svg".to_string(), file.clone())]);
        assert!(!files.resized("/map.svg"), "no page asked for it yet");
        assert_eq!(files.size("/map.svg").map(|s| s.width), Some(4));
        assert!(!files.resized("/map.svg"));
        std::fs::write(&file, svg(8)).unwrap();
        assert!(files.resized("/map.svg"));
        assert_eq!(files.size("/elsewhere.svg"), None);
    }
}
