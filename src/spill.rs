//! Article bodies' HTML, set aside on disk between the Markdown stage and
//! the article pages.
//!
//! The Markdown stage must read every article before any page is rendered
//! (a card needs its story's dek and reading time, and every page lists
//! other stories). Keeping each body's HTML in memory until its page is
//! written would make the build's memory grow with the archive; rendering
//! the Markdown a second time doubles the stage's cost. So each body's HTML
//! is appended to an unnamed temporary file, which the system removes when
//! the build ends, even after a crash, and read back by its page. The file
//! is no larger than the article pages written from it.

use std::fs::File;
use std::io;
use std::sync::atomic::{AtomicU64, Ordering};

/// An unnamed temporary file of texts, written and read from any thread.
pub struct Spill {
    file: File,
    /// Where the next text goes.
    end: AtomicU64,
}

/// Where one text lies in a [`Spill`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    at: u64,
    len: usize,
}

impl Spill {
    /// A new, empty spill in the system's temporary folder.
    pub fn new() -> io::Result<Spill> {
        Ok(Spill {
            file: tempfile::tempfile()?,
            end: AtomicU64::new(0),
        })
    }

    /// Append `text`; the span reads it back. Space is never reused: the
    /// dev server appends an edited article's new body, and the file grows
    /// by that much for the rest of the session.
    pub fn put(&self, text: &str) -> io::Result<Span> {
        let len = text.len();
        let at = self.end.fetch_add(len as u64, Ordering::Relaxed);
        write_at(&self.file, text.as_bytes(), at)?;
        Ok(Span { at, len })
    }

    /// Move `text` into the spill, leaving it empty; `None` when it could
    /// not be written (the text is dropped all the same).
    pub fn take(&self, text: &mut String) -> Option<Span> {
        self.put(&std::mem::take(text)).ok()
    }

    /// The text put at `span`.
    pub fn get(&self, span: Span) -> io::Result<String> {
        let mut bytes = vec![0; span.len];
        read_at(&self.file, &mut bytes, span.at)?;
        String::from_utf8(bytes).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }
}

#[cfg(unix)]
fn write_at(file: &File, bytes: &[u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, at)
}

#[cfg(unix)]
fn read_at(file: &File, bytes: &mut [u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, bytes, at)
}

#[cfg(windows)]
fn write_at(file: &File, mut bytes: &[u8], mut at: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !bytes.is_empty() {
        let n = file.seek_write(bytes, at)?;
        if n == 0 {
            return Err(io::ErrorKind::WriteZero.into());
        }
        bytes = &bytes[n..];
        at += n as u64;
    }
    Ok(())
}

#[cfg(windows)]
fn read_at(file: &File, mut bytes: &mut [u8], mut at: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !bytes.is_empty() {
        let n = file.seek_read(bytes, at)?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        bytes = &mut bytes[n..];
        at += n as u64;
    }
    Ok(())
}

/// Elsewhere no spill is made, and bodies are rendered with their pages.
#[cfg(not(any(unix, windows)))]
fn write_at(_: &File, _: &[u8], _: u64) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

#[cfg(not(any(unix, windows)))]
fn read_at(_: &File, _: &mut [u8], _: u64) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_come_back_whole_from_any_thread() {
        let spill = Spill::new().unwrap();
        let texts: Vec<String> = (0..200)
            .map(|i| format!("<p>Story {i}: {}</p>", "é—".repeat(i)))
            .collect();
        let spans: Vec<Span> = std::thread::scope(|s| {
            let handles: Vec<_> = texts
                .chunks(50)
                .map(|chunk| {
                    let spill = &spill;
                    s.spawn(move || {
                        chunk
                            .iter()
                            .map(|t| spill.put(t).unwrap())
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap())
                .collect()
        });
        for (text, span) in texts.iter().zip(&spans).rev() {
            assert_eq!(&spill.get(*span).unwrap(), text);
        }
        assert_eq!(spill.get(spill.put("").unwrap()).unwrap(), "");
    }
}
