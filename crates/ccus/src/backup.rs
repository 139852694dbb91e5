//! `ccus admin backup` and `ccus admin restore`: a consistent copy of the database and of the
//! attachments it names, taken while the portal serves, and its restore into a fresh place.
//!
//! A backup is a folder: the database copy, `attachments/` and `manifest.json` (what, when,
//! the schema version, row counts of the main tables, the SHA-256 of every file). The manifest
//! is written last, and the folder is built under a temporary name and renamed into place, so a
//! folder with a manifest is a whole backup.
//!
//! * SQLite: `VACUUM INTO` through the store's own connection (why not the backup API: see
//!   `ccus_storage::backup`). The copy is then opened on its own to be checked and to say which
//!   attachment files its rows name.
//! * PostgreSQL: a read-only repeatable-read transaction exports its snapshot; `pg_dump
//!   --format=custom --snapshot=…` dumps exactly that snapshot, and the row counts and file
//!   names are read in the same one. Point-in-time recovery (`pg_basebackup` and WAL
//!   archiving) is the database's own business: docs/operations.md.
//!
//! Attachment files are written (and fsync'd) before the row that names them commits, and are
//! never changed, so every file a copied row names exists when the copy is taken; the files are
//! copied after the database, exactly those its rows name. A write acknowledged before the
//! backup started is in it; one acknowledged while it runs may or may not be.
//!
//! Restore verifies every checksum before it writes anything, refuses a target that holds data
//! (unless `--force`), compares the restored row counts with the manifest, and migrates.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};
use ccus_app::Config;
use ccus_domain::{Clock, SystemClock};
use ccus_storage::backup::{file_sha256, sqlite_file_contents, Contents};
use ccus_storage::{Backend, Store};
use serde_json::{json, Value};

/// The manifest's name inside a backup folder.
pub const MANIFEST: &str = "manifest.json";
/// What a manifest says it is.
const FORMAT: &str = "ccus-backup/1";
const SQLITE_FILE: &str = "database.sqlite";
const PG_FILE: &str = "database.pgdump";
const ATTACHMENTS: &str = "attachments";
/// Dated backup folders made with `--keep` start with this.
const DATED_PREFIX: &str = "ccus-backup-";

#[derive(clap::Args)]
pub struct BackupArgs {
    /// The backup folder to make (it must not exist, or be empty); with --keep, the folder
    /// that holds the dated backups.
    dest: PathBuf,
    /// Make a dated folder under DEST and keep only the newest N of them (for a timer).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    keep: Option<u32>,
}

#[derive(clap::Args)]
pub struct RestoreArgs {
    /// The backup folder (the one holding manifest.json).
    src: PathBuf,
    /// Where to restore: a SQLite file (`sqlite://PATH` or a path) or a `postgres://` URL of
    /// an existing, empty database.
    #[arg(long, value_name = "DATABASE")]
    into: String,
    /// Where to put the attachments (default: the configured inquiry.attachments_dir).
    #[arg(long, value_name = "DIR")]
    attachments_dir: Option<PathBuf>,
    /// Restore even into a database or folder that holds data (what the backup holds
    /// replaces it).
    #[arg(long)]
    force: bool,
}

pub async fn backup(config: &Config, args: BackupArgs) -> Result<()> {
    let url = &config.database_url;
    if let Some(file) = crate::sqlite_file(url) {
        if !file.exists() {
            bail!("there is no database at {}", file.display());
        }
    }
    let (work, target) = match args.keep {
        Some(_) => {
            std::fs::create_dir_all(&args.dest)
                .with_context(|| format!("cannot create {}", args.dest.display()))?;
            let name = dated_name(&args.dest);
            (
                args.dest.join(format!(".{name}.partial")),
                args.dest.join(name),
            )
        }
        None => {
            if let Ok(mut entries) = std::fs::read_dir(&args.dest) {
                if entries.next().is_some() {
                    bail!("{} exists and is not empty", args.dest.display());
                }
            }
            let name = args
                .dest
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "backup".into());
            (
                args.dest.with_file_name(format!(".{name}.partial")),
                args.dest.clone(),
            )
        }
    };
    std::fs::create_dir_all(&work).with_context(|| format!("cannot create {}", work.display()))?;
    // Personal data and password hashes: readable by the operator's account alone.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&work, std::fs::Permissions::from_mode(0o700))?;
    }
    let made = write_backup(config, &work).await;
    let manifest = match made {
        Ok(m) => m,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&work);
            return Err(e);
        }
    };
    if target.exists() {
        // An empty folder the operator made: replaced by the finished backup.
        std::fs::remove_dir(&target)
            .with_context(|| format!("cannot replace {}", target.display()))?;
    }
    std::fs::rename(&work, &target)
        .with_context(|| format!("cannot rename {} to {}", work.display(), target.display()))?;
    if let Some(parent) = target.parent() {
        sync_dir(parent);
    }
    println!(
        "backup written to {}: {} database, schema version {}, {} attachments",
        target.display(),
        manifest["backend"].as_str().unwrap_or_default(),
        manifest["schema_version"],
        manifest["attachments"].as_u64().unwrap_or(0)
    );
    if let Some(keep) = args.keep {
        for old in prune(&args.dest, keep as usize)? {
            println!("removed the older backup {}", old.display());
        }
    }
    Ok(())
}

/// Copies the database and its attachments into `work` and writes the manifest there.
async fn write_backup(config: &Config, work: &Path) -> Result<Value> {
    let url = &config.database_url;
    let store = Store::connect_with(url, config.database.timeouts())
        .await
        .with_context(|| format!("cannot open the database ({})", crate::redact(url)))?;
    let started = SystemClock.now();
    let (db_file, tool, contents) = match store.backend() {
        Backend::Sqlite => {
            let path = work.join(SQLITE_FILE);
            store
                .copy_sqlite_into(&path)
                .await
                .context("the online copy (VACUUM INTO) failed")?;
            store.close().await;
            let contents = sqlite_file_contents(&path)
                .await
                .context("the copy cannot be read back")?;
            (SQLITE_FILE, "VACUUM INTO".to_owned(), contents)
        }
        Backend::Postgres => {
            let tool = pg_tool_version("pg_dump")?;
            let mut snapshot = store
                .export_snapshot()
                .await
                .context("cannot export a snapshot")?;
            let contents = snapshot.contents().await?;
            let path = work.join(PG_FILE);
            let mut cmd = pg_command("pg_dump", url);
            cmd.arg("--format=custom")
                .arg(format!("--snapshot={}", snapshot.id()))
                .arg("--file")
                .arg(&path);
            let dumped = run_blocking(cmd).await;
            let _ = snapshot.finish().await;
            store.close().await;
            dumped.context("pg_dump failed")?;
            (PG_FILE, tool, contents)
        }
    };
    let mut files = vec![db_file.to_owned()];
    let mut missing = Vec::new();
    let mut only_in_database = 0u64;
    let source = Path::new(&config.inquiry.attachments_dir);
    let attachments = work.join(ATTACHMENTS);
    std::fs::create_dir_all(&attachments)?;
    for f in &contents.stored_files {
        if !is_stored_name(&f.name) {
            bail!(
                "a row names the attachment {:?}, which is not a stored name",
                f.name
            );
        }
        match copy_synced(&source.join(&f.name), &attachments.join(&f.name)) {
            Ok(()) => files.push(format!("{ATTACHMENTS}/{}", f.name)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if f.in_database {
                    only_in_database += 1;
                } else {
                    missing.push(f.name.clone());
                }
            }
            Err(e) => {
                return Err(e).with_context(|| format!("cannot copy the attachment {}", f.name))
            }
        }
    }
    sync_dir(&attachments);
    if !missing.is_empty() {
        eprintln!(
            "warning: {} attachment files named by rows are not in {} (a clean-up may have \
             removed them after the copy was taken); listed in the manifest",
            missing.len(),
            source.display()
        );
    }
    let mut listed = Vec::with_capacity(files.len());
    for rel in &files {
        let (sha256, bytes) =
            file_sha256(&work.join(rel)).with_context(|| format!("cannot read back {rel}"))?;
        listed.push(json!({ "path": rel, "bytes": bytes, "sha256": sha256 }));
    }
    let manifest = manifest(
        &store,
        started,
        &tool,
        db_file,
        &contents,
        listed,
        &missing,
        only_in_database,
    );
    let text = serde_json::to_string_pretty(&manifest)?;
    write_synced(&work.join(MANIFEST), text.as_bytes())?;
    sync_dir(work);
    Ok(manifest)
}

#[allow(clippy::too_many_arguments)]
fn manifest(
    store: &Store,
    started: ccus_domain::Timestamp,
    tool: &str,
    db_file: &str,
    contents: &Contents,
    files: Vec<Value>,
    missing: &[String],
    only_in_database: u64,
) -> Value {
    let backend = match store.backend() {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    json!({
        "format": FORMAT,
        "created_at": started.rfc3339_jst(),
        "created_at_ms": started.0,
        "ccus_version": env!("CARGO_PKG_VERSION"),
        "backend": backend,
        "tool": tool,
        "database": db_file,
        "schema_version": contents.schema_version,
        "row_counts": contents.row_counts,
        "attachments": files.len() - 1,
        "attachments_only_in_database": only_in_database,
        "missing_attachments": missing,
        "files": files,
    })
}

pub async fn restore(config: &Config, args: RestoreArgs) -> Result<()> {
    let manifest = read_manifest(&args.src)?;
    verify(&args.src, &manifest)?;
    let backend = manifest["backend"].as_str().unwrap_or_default();
    let db_file = manifest["database"]
        .as_str()
        .context("the manifest names no database file")?;
    let attachments_dir = args
        .attachments_dir
        .clone()
        .unwrap_or_else(|| PathBuf::from(&config.inquiry.attachments_dir));
    if !args.force && non_empty_dir(&attachments_dir) {
        bail!(
            "{} holds files; restore into an empty folder (--attachments-dir) or add --force",
            attachments_dir.display()
        );
    }
    let into = args.into.trim();
    let is_pg = into.starts_with("postgres://") || into.starts_with("postgresql://");
    let url = if is_pg {
        if backend != "postgres" {
            bail!("this is a {backend} backup; it restores into a SQLite file");
        }
        let store = Store::connect_with(into, config.database.timeouts())
            .await
            .with_context(|| format!("cannot open {}", crate::redact(into)))?;
        let tables = store.table_count().await?;
        if tables > 0 && !args.force {
            store.close().await;
            bail!(
                "{} already holds {tables} tables; restore into an empty database or add --force",
                crate::redact(into)
            );
        }
        pg_tool_version("pg_restore")?;
        if tables > 0 {
            store
                .drop_current_schema()
                .await
                .context("cannot empty the target's schema")?;
            eprintln!("note: --force: the target's {tables} tables were dropped first");
        }
        store.close().await;
        let mut cmd = pg_command("pg_restore", into);
        cmd.args([
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
        ]);
        cmd.arg(args.src.join(db_file));
        run_blocking(cmd).await.context("pg_restore failed")?;
        into.to_owned()
    } else {
        if backend != "sqlite" {
            bail!("this is a {backend} backup; it restores into a postgres:// database");
        }
        let path = crate::sqlite_file(into).unwrap_or_else(|| PathBuf::from(into));
        let holds_data = std::fs::metadata(&path).is_ok_and(|m| m.len() > 0);
        if holds_data && !args.force {
            bail!(
                "{} exists; restore into a new file or add --force",
                path.display()
            );
        }
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut p = path.clone().into_os_string();
            p.push(suffix);
            match std::fs::remove_file(&p) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e).with_context(|| format!("cannot replace {path:?}")),
            }
        }
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        copy_synced(&args.src.join(db_file), &path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        format!("sqlite://{}", path.display())
    };
    std::fs::create_dir_all(&attachments_dir)
        .with_context(|| format!("cannot create {}", attachments_dir.display()))?;
    let mut restored_files = 0;
    for f in files_of(&manifest) {
        if let Some(name) = f.0.strip_prefix(&format!("{ATTACHMENTS}/")) {
            copy_synced(&args.src.join(&f.0), &attachments_dir.join(name))
                .with_context(|| format!("cannot restore the attachment {name}"))?;
            restored_files += 1;
        }
    }
    sync_dir(&attachments_dir);
    let store = Store::connect_with(&url, config.database.timeouts())
        .await
        .context("cannot open the restored database")?;
    let contents = store.contents().await?;
    let mut differ = Vec::new();
    if let Some(expected) = manifest["row_counts"].as_object() {
        for (table, n) in expected {
            let got = contents.row_counts.get(table).copied();
            if got != n.as_i64() {
                differ.push(format!("{table}: {n} in the backup, {got:?} restored"));
            }
        }
    }
    if !differ.is_empty() {
        store.close().await;
        bail!(
            "the restored database differs from the backup: {}",
            differ.join("; ")
        );
    }
    store
        .migrate()
        .await
        .context("cannot bring the restored database's schema up to date")?;
    store.close().await;
    println!(
        "restored the backup of {} (schema version {}) into {} with {restored_files} attachments \
         in {}; row counts match the manifest; the schema is up to date",
        manifest["created_at"].as_str().unwrap_or("?"),
        manifest["schema_version"],
        crate::redact(&url),
        attachments_dir.display()
    );
    Ok(())
}

fn read_manifest(src: &Path) -> Result<Value> {
    let path = src.join(MANIFEST);
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {} (a backup folder holds one)", path.display()))?;
    let manifest: Value = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a manifest", path.display()))?;
    if manifest["format"] != FORMAT {
        bail!("{} is not a {FORMAT} manifest", path.display());
    }
    Ok(manifest)
}

/// The files a manifest lists: relative path, length, SHA-256.
fn files_of(manifest: &Value) -> Vec<(String, u64, String)> {
    manifest["files"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            (
                f["path"].as_str().unwrap_or_default().to_owned(),
                f["bytes"].as_u64().unwrap_or(0),
                f["sha256"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// Every file the manifest lists is there, whole: same length, same SHA-256.
fn verify(src: &Path, manifest: &Value) -> Result<()> {
    let files = files_of(manifest);
    if files.is_empty() {
        bail!("the manifest lists no files");
    }
    let mut bad = Vec::new();
    for (rel, bytes, sha256) in &files {
        let safe = Path::new(rel)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
        if !safe {
            bail!("the manifest names {rel:?}, outside the backup");
        }
        match file_sha256(&src.join(rel)) {
            Ok((sum, len)) if sum == *sha256 && len == *bytes => {}
            Ok(_) => bad.push(format!("{rel} (changed)")),
            Err(e) => bad.push(format!("{rel} ({e})")),
        }
    }
    if !bad.is_empty() {
        bail!(
            "the backup is damaged; nothing was restored: {}",
            bad.join(", ")
        );
    }
    Ok(())
}

/// A name the portal makes for a stored file: no path, no hidden file.
fn is_stored_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
}

/// A new dated folder name under `dir`: `ccus-backup-YYYYMMDD-HHMMSS` in JST (sorted by name,
/// sorted by time), with a suffix when that second is taken.
fn dated_name(dir: &Path) -> String {
    let t = SystemClock.now().rfc3339_jst();
    let digits: String = t.chars().take(19).filter(char::is_ascii_digit).collect();
    let base = format!("{DATED_PREFIX}{}-{}", &digits[..8], &digits[8..]);
    let mut name = base.clone();
    let mut n = 1;
    while dir.join(&name).exists() || dir.join(format!(".{name}.partial")).exists() {
        n += 1;
        name = format!("{base}-{n}");
    }
    name
}

/// Removes all but the newest `keep` whole dated backups in `dir`; returns what it removed.
fn prune(dir: &Path, keep: usize) -> Result<Vec<PathBuf>> {
    let mut whole: Vec<PathBuf> = std::fs::read_dir(dir)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(DATED_PREFIX))
                && p.join(MANIFEST).is_file()
        })
        .collect();
    // Names sort as their times do; a suffixed name after its base.
    whole.sort_by_key(|p| {
        let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
        let name = name.unwrap_or_default();
        let (base, n) = match name.get(DATED_PREFIX.len() + 15..) {
            Some(rest) if !rest.is_empty() => (
                name[..DATED_PREFIX.len() + 15].to_owned(),
                rest.trim_start_matches('-').parse::<u32>().unwrap_or(0),
            ),
            _ => (name.clone(), 0),
        };
        (base, n)
    });
    let excess = whole.len().saturating_sub(keep);
    let mut removed = Vec::new();
    for old in whole.into_iter().take(excess) {
        // The manifest first: a half-removed folder no longer counts as a backup.
        std::fs::remove_file(old.join(MANIFEST))?;
        std::fs::remove_dir_all(&old)?;
        removed.push(old);
    }
    Ok(removed)
}

fn non_empty_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some())
}

/// Copies `from` to `to` through a temporary file beside it, fsync'd before it takes its name.
fn copy_synced(from: &Path, to: &Path) -> std::io::Result<()> {
    let mut input = std::fs::File::open(from)?;
    let name = to.file_name().map(|n| n.to_string_lossy().into_owned());
    let tmp = to.with_file_name(format!(".{}.copying", name.unwrap_or_default()));
    let result = (|| {
        let mut out = std::fs::File::create(&tmp)?;
        std::io::copy(&mut input, &mut out)?;
        out.sync_all()?;
        std::fs::rename(&tmp, to)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = std::fs::File::create(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Makes the names in a folder durable (best effort: not every platform can open a folder).
fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// `pg_dump` or `pg_restore` for `url`: the password goes in the environment (`PGPASSWORD`),
/// not on the command line where every user of the machine could read it.
fn pg_command(tool: &str, url: &str) -> Command {
    let (url, password) = split_password(url);
    let mut cmd = Command::new(tool);
    cmd.arg("--dbname").arg(url);
    if let Some(p) = password {
        cmd.env("PGPASSWORD", p);
    }
    cmd
}

/// The version line of a PostgreSQL client tool, or a clear error when it is not installed.
fn pg_tool_version(tool: &str) -> Result<String> {
    match Command::new(tool).arg("--version").output() {
        Ok(out) if out.status.success() => {
            Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
        }
        Ok(out) => bail!(
            "{tool} --version failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => bail!(
            "{tool} was not found on PATH: install the PostgreSQL client tools of the server's \
             major version or newer (Debian: apt install postgresql-client)"
        ),
        Err(e) => bail!("cannot run {tool}: {e}"),
    }
}

/// Runs a tool to its end off the async threads; its error output becomes the error.
async fn run_blocking(mut cmd: Command) -> Result<()> {
    let out = tokio::task::spawn_blocking(move || cmd.output()).await??;
    if out.status.success() {
        Ok(())
    } else {
        bail!(
            "{} ({})",
            String::from_utf8_lossy(&out.stderr).trim(),
            out.status
        )
    }
}

/// `postgres://user:secret@host/db` → (`postgres://user@host/db`, `Some("secret")`), the
/// password percent-decoded as libpq would.
fn split_password(url: &str) -> (String, Option<String>) {
    let (Some(scheme_end), Some(at)) = (url.find("://"), url.rfind('@')) else {
        return (url.to_owned(), None);
    };
    let userinfo = &url[scheme_end + 3..at];
    let Some((user, password)) = userinfo.split_once(':') else {
        return (url.to_owned(), None);
    };
    let rest = format!("{}{user}{}", &url[..scheme_end + 3], &url[at..]);
    (rest, Some(percent_decode(password)))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_leave_the_url_for_the_environment() {
        assert_eq!(
            split_password("postgres://u:p%40ss@db:5432/x?sslmode=require"),
            (
                "postgres://u@db:5432/x?sslmode=require".to_owned(),
                Some("p@ss".to_owned())
            )
        );
        assert_eq!(
            split_password("postgres://u@db/x"),
            ("postgres://u@db/x".to_owned(), None)
        );
    }

    #[test]
    fn only_server_made_names_are_copied() {
        assert!(is_stored_name("0f3c9a7e-1b2d-4c5e-8f90-123456789abc"));
        assert!(is_stored_name("a1b2.png"));
        for bad in ["", "../x", ".upload-1", "a/b", "a\\b", "名前"] {
            assert!(!is_stored_name(bad), "{bad}");
        }
    }

    #[test]
    fn retention_keeps_the_newest() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        for name in [
            "ccus-backup-20260101-010000",
            "ccus-backup-20260102-010000",
            "ccus-backup-20260102-010000-2",
            "ccus-backup-20260103-010000",
            "ccus-backup-20260104-010000",
        ] {
            let d = dir.path().join(name);
            std::fs::create_dir(&d).unwrap_or_else(|e| panic!("{e}"));
            std::fs::write(d.join(MANIFEST), "{}").unwrap_or_else(|e| panic!("{e}"));
        }
        // Unfinished, and not ours: never counted, never removed.
        std::fs::create_dir(dir.path().join(".ccus-backup-20260105-010000.partial"))
            .unwrap_or_else(|e| panic!("{e}"));
        std::fs::create_dir(dir.path().join("ccus-backup-20251231-010000"))
            .unwrap_or_else(|e| panic!("{e}"));
        let removed = prune(dir.path(), 2).unwrap_or_else(|e| panic!("{e}"));
        let names: Vec<String> = removed
            .iter()
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        assert_eq!(
            names,
            [
                "ccus-backup-20260101-010000",
                "ccus-backup-20260102-010000",
                "ccus-backup-20260102-010000-2"
            ]
        );
        assert!(dir.path().join("ccus-backup-20260104-010000").exists());
        assert!(dir
            .path()
            .join(".ccus-backup-20260105-010000.partial")
            .exists());
        assert!(dir.path().join("ccus-backup-20251231-010000").exists());
    }
}
