//! Inquiry attachments, safely. Uploads are streamed to temporary files with limits enforced
//! while streaming; the type is decided by the first bytes (JPEG, PNG or PDF only), never by
//! the name or the declared type; files are fsync'd and renamed to server-made names in a
//! folder outside any served path; the original name is kept only as cleaned-up metadata. A
//! temporary or stored file that does not end up referenced by a committed inquiry is removed.

use std::io::Write;
use std::path::{Path, PathBuf};

use ccus_domain::input::nfkc;
use rand::RngCore;

/// The allowed types, decided by magic bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    Jpeg,
    Png,
    Pdf,
}

impl FileType {
    /// Decides the type from the first bytes of the content.
    pub fn sniff(head: &[u8]) -> Option<FileType> {
        if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(FileType::Jpeg)
        } else if head.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(FileType::Png)
        } else if head.starts_with(b"%PDF-") {
            Some(FileType::Pdf)
        } else {
            None
        }
    }
    pub fn content_type(self) -> &'static str {
        match self {
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
            FileType::Pdf => "application/pdf",
        }
    }
    pub fn extension(self) -> &'static str {
        match self {
            FileType::Jpeg => "jpg",
            FileType::Png => "png",
            FileType::Pdf => "pdf",
        }
    }
    /// Whether `ext` (without the dot, any case) is a usual extension of this type.
    pub fn accepts_extension(self, ext: &str) -> bool {
        let ext = ext.to_ascii_lowercase();
        match self {
            FileType::Jpeg => matches!(ext.as_str(), "jpg" | "jpeg" | "jpe"),
            FileType::Png => ext == "png",
            FileType::Pdf => ext == "pdf",
        }
    }
    pub fn from_content_type(s: &str) -> Option<FileType> {
        [FileType::Jpeg, FileType::Png, FileType::Pdf]
            .into_iter()
            .find(|t| t.content_type() == s)
    }
}

/// The original name, made harmless for display: NFKC first (so `．．／` is seen as `../`),
/// only the last path component, no control or bidirectional-override characters, no leading
/// dots, at most 100 characters.
pub fn clean_name(raw: &str) -> String {
    let n = nfkc(raw);
    let last = n.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .filter(|c| {
            !c.is_control()
                && !matches!(*c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
        })
        .collect();
    let trimmed = cleaned.trim().trim_start_matches('.').trim();
    let short: String = trimmed.chars().take(100).collect();
    if short.is_empty() {
        "添付ファイル".to_owned()
    } else {
        short
    }
}

/// Where attachments live on this instance: a local folder, outside any served path. With
/// PostgreSQL the bytes are also kept in the database (see [`read_stored`]), so that several
/// instances behave as one.
#[derive(Debug, Clone)]
pub struct FileStore {
    dir: PathBuf,
}

/// A file being written; removed on drop unless it was stored.
pub struct Upload {
    tmp: PathBuf,
    file: Option<std::fs::File>,
    pub size: u64,
    pub file_type: Option<FileType>,
    head: Vec<u8>,
    pub original_name: String,
}

/// A stored file not yet referenced by a committed inquiry; removed on drop unless kept.
pub struct Stored {
    path: PathBuf,
    pub name: String,
    pub size: u64,
    pub file_type: FileType,
    pub original_name: String,
    keep: bool,
}

impl Stored {
    /// The file's bytes (to keep them in a shared database too).
    pub fn bytes(&self) -> std::io::Result<Vec<u8>> {
        std::fs::read(&self.path)
    }

    /// The inquiry referring to this file has been committed.
    pub fn keep(mut self) {
        self.keep = true;
    }
}

impl Drop for Stored {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

impl Drop for Upload {
    fn drop(&mut self) {
        self.file = None;
        let _ = std::fs::remove_file(&self.tmp);
    }
}

fn random_name() -> String {
    let mut b = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("file too large")]
    TooLarge,
    #[error("file type not allowed")]
    NotAllowed,
    #[error("storage: {0}")]
    Io(#[from] std::io::Error),
}

impl FileStore {
    pub fn new(dir: impl Into<PathBuf>) -> FileStore {
        FileStore { dir: dir.into() }
    }

    /// Starts an upload.
    pub fn begin(&self, original_name: &str) -> Result<Upload, UploadError> {
        std::fs::create_dir_all(&self.dir)?;
        let tmp = self.dir.join(format!(".upload-{}", random_name()));
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        Ok(Upload {
            tmp,
            file: Some(file),
            size: 0,
            file_type: None,
            head: Vec::new(),
            original_name: clean_name(original_name),
        })
    }

    /// The bytes of a stored file.
    pub fn read(&self, name: &str) -> std::io::Result<Vec<u8>> {
        // Names are ours (hex and an extension); anything else is refused outright.
        if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '.') || name.starts_with('.') {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "not a stored file name",
            ));
        }
        std::fs::read(self.dir.join(name))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

impl Upload {
    /// Appends a chunk, enforcing the size limit and checking the type as soon as the first
    /// bytes are in.
    pub fn write(&mut self, chunk: &[u8], max: u64) -> Result<(), UploadError> {
        self.size += chunk.len() as u64;
        if self.size > max {
            return Err(UploadError::TooLarge);
        }
        if self.file_type.is_none() {
            self.head.extend_from_slice(&chunk[..chunk.len().min(16)]);
            if self.head.len() >= 8 || self.size >= 8 {
                self.file_type = Some(FileType::sniff(&self.head).ok_or(UploadError::NotAllowed)?);
            }
        }
        if let Some(f) = self.file.as_mut() {
            f.write_all(chunk)?;
        }
        Ok(())
    }

    /// Finishes the upload: fsync, then rename to a server-made name (and fsync the folder).
    pub fn store(mut self, store: &FileStore) -> Result<Stored, UploadError> {
        let file_type = match self.file_type {
            Some(t) => t,
            None => FileType::sniff(&self.head).ok_or(UploadError::NotAllowed)?,
        };
        if let Some(f) = self.file.take() {
            f.sync_all()?;
        }
        let name = format!("{}.{}", random_name(), file_type.extension());
        let path = store.dir.join(&name);
        std::fs::rename(&self.tmp, &path)?;
        if let Ok(d) = std::fs::File::open(&store.dir) {
            let _ = d.sync_all();
        }
        Ok(Stored {
            path,
            name,
            size: self.size,
            file_type,
            original_name: std::mem::take(&mut self.original_name),
            keep: false,
        })
    }
}

/// The name a stored file is downloaded (and listed) under: the uploader's stem, with the
/// extension of the type its bytes were found to be. The uploader's own extension is dropped,
/// so a PDF uploaded as `請求書.html` is saved as `請求書.pdf` and never opened by the
/// downloader's machine as HTML; a file of unknown type (which is never stored) gets `.bin`.
/// An extension the type already has (`.jpeg`, `.PDF`) is kept as written.
pub fn download_name(original: &str, file_type: Option<FileType>) -> String {
    let cleaned = clean_name(original);
    let (stem, ext) = match cleaned.rsplit_once('.') {
        // Only a short run of ASCII letters and digits after the last dot is an extension;
        // `報告 v1.2 最終` has none.
        Some((stem, ext))
            if !stem.trim().is_empty()
                && (1..=10).contains(&ext.len())
                && ext.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            (stem, Some(ext))
        }
        _ => (cleaned.as_str(), None),
    };
    // Windows drops trailing dots and spaces, which could bring an inner extension forward.
    let stem = stem.trim_end_matches(['.', ' ', '\u{3000}']);
    let stem = if stem.is_empty() {
        "添付ファイル"
    } else {
        stem
    };
    let wanted = file_type.map_or("bin", FileType::extension);
    let ext = match (file_type, ext) {
        (Some(t), Some(e)) if t.accepts_extension(e) => e,
        _ => wanted,
    };
    format!("{stem}.{ext}")
}

/// `Content-Disposition: attachment` with the RFC 6266 / RFC 8187 encoding of a name: an ASCII
/// fallback and the UTF-8 form.
pub fn content_disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// How long after its last write a temporary upload file can still belong to an upload in
/// progress: a request body must arrive within `server.body_timeout`, and storing it takes a
/// moment more. Older `.upload-*` files were left by an instance that was killed or crashed.
pub fn upload_max_age(config: &crate::config::Config) -> std::time::Duration {
    config.server.body_timeout + std::time::Duration::from_secs(120)
}

/// How long a stored file may wait for the commit of its inquiry before it counts as an orphan.
pub const STORED_GRACE: std::time::Duration = std::time::Duration::from_secs(3600);

/// Removes what no committed inquiry refers to: temporary upload files last written more than
/// `upload_age` ago (see [`upload_max_age`]; so uploads in progress, on this or another
/// instance, are safe), and stored files that a crash left between their rename and the
/// commit, older than `stored_grace`. Returns how many were removed.
pub async fn sweep_orphans(
    state: &crate::App,
    upload_age: std::time::Duration,
    stored_grace: std::time::Duration,
) -> Result<usize, String> {
    let dir = PathBuf::from(&state.config().inquiry.attachments_dir);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(0);
    };
    let known: std::collections::HashSet<String> = state
        .store()
        .inquiries()
        .all_stored_file_names()
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .collect();
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let age = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok());
        let orphan = if name.starts_with(".upload-") {
            age.is_some_and(|a| a >= upload_age)
        } else {
            !known.contains(&name) && age.is_some_and(|a| a >= stored_grace)
        };
        if orphan && std::fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    Ok(removed)
}

/// The bytes of a stored attachment, for a download: from this instance's folder, or — with
/// PostgreSQL, where another instance may have received the upload — from the database.
/// `None` when neither has it.
pub async fn read_stored(app: &crate::App, stored_name: &str) -> crate::AppResult<Option<Vec<u8>>> {
    let store = FileStore::new(&app.config().inquiry.attachments_dir);
    match store.read(stored_name) {
        Ok(bytes) => return Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => {
            return Err(crate::AppError::unavailable(
                format!("attachment {stored_name}"),
                e,
            ))
        }
    }
    if app.store().backend() == ccus_storage::Backend::Postgres {
        return Ok(app
            .store()
            .inquiries()
            .attachment_bytes(stored_name)
            .await?);
    }
    Ok(None)
}

/// Whether attachments are kept in the database too: when several instances may share it.
pub fn shared(app: &crate::App) -> bool {
    app.store().backend() == ccus_storage::Backend::Postgres
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_cleaned() {
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("..\\..\\windows\\win.ini"), "win.ini");
        assert_eq!(clean_name("．．／．．／secret.pdf"), "secret.pdf");
        assert_eq!(clean_name("photo\u{202E}gpj.exe"), "photogpj.exe");
        assert_eq!(clean_name("a\r\nb\u{0}.jpg"), "ab.jpg");
        assert_eq!(clean_name("..."), "添付ファイル");
        assert_eq!(clean_name(".htaccess"), "htaccess");
    }

    #[test]
    fn types_come_from_bytes() {
        assert_eq!(
            FileType::sniff(b"\xFF\xD8\xFF\xE0rest"),
            Some(FileType::Jpeg)
        );
        assert_eq!(
            FileType::sniff(b"\x89PNG\r\n\x1a\nrest"),
            Some(FileType::Png)
        );
        assert_eq!(FileType::sniff(b"%PDF-1.7"), Some(FileType::Pdf));
        assert_eq!(FileType::sniff(b"MZ\x90\x00"), None);
        assert_eq!(FileType::sniff(b"<html>"), None);
    }

    #[test]
    fn disposition_encodes_names() {
        let d = content_disposition("運転免許証 表.jpg");
        assert!(d.starts_with("attachment; filename=\""));
        assert!(d.contains("filename*=UTF-8''%E9%81%8B"));
        assert!(!d.contains('\r') && !d.contains('\n'));
    }

    #[test]
    fn downloads_are_named_by_their_detected_type() {
        use FileType::*;
        assert_eq!(download_name("請求書.html", Some(Pdf)), "請求書.pdf");
        assert_eq!(download_name("tool.exe", Some(Png)), "tool.png");
        assert_eq!(download_name("passwd.png", Some(Pdf)), "passwd.pdf");
        assert_eq!(download_name("写真.jpeg", Some(Jpeg)), "写真.jpeg");
        assert_eq!(download_name("SCAN.PDF", Some(Pdf)), "SCAN.PDF");
        assert_eq!(download_name("photo.jpg", Some(Pdf)), "photo.pdf");
        assert_eq!(download_name("README", Some(Png)), "README.png");
        assert_eq!(
            download_name("報告 v1.2 最終", Some(Pdf)),
            "報告 v1.2 最終.pdf"
        );
        assert_eq!(download_name("a.exe.", Some(Pdf)), "a.exe.pdf");
        assert_eq!(download_name("evil.exe .html", Some(Pdf)), "evil.exe.pdf");
        assert_eq!(download_name("...", Some(Pdf)), "添付ファイル.pdf");
        assert_eq!(download_name("x.html", None), "x.bin");
        for (name, t) in [("a.svg", Png), ("b.htm", Jpeg), ("c.js", Pdf)] {
            let d = download_name(name, Some(t));
            assert!(d.ends_with(&format!(".{}", t.extension())), "{d}");
        }
    }

    #[test]
    fn uploads_are_removed_unless_kept() {
        let dir = std::env::temp_dir().join(format!("ccus_att_{}", random_name()));
        let fs = FileStore::new(&dir);
        let mut u = fs.begin("a.png").unwrap();
        u.write(b"\x89PNG\r\n\x1a\nxxxx", 100).unwrap();
        let stored = u.store(&fs).unwrap();
        let name = stored.name.clone();
        assert_eq!(fs.read(&name).unwrap().len(), 12);
        drop(stored);
        assert!(fs.read(&name).is_err(), "not kept, so removed");
        let mut u = fs.begin("b.jpg").unwrap();
        assert!(matches!(
            u.write(b"MZ\x90\x00\x03\x00\x00\x00", 100),
            Err(UploadError::NotAllowed)
        ));
        drop(u);
        let mut u = fs.begin("c.pdf").unwrap();
        assert!(matches!(
            u.write(&[b'%'; 200], 100),
            Err(UploadError::TooLarge)
        ));
        drop(u);
        assert_eq!(
            std::fs::read_dir(&dir).unwrap().count(),
            0,
            "nothing left behind"
        );
        assert!(fs.read("../x").is_err());
    }
}
