//! The web crate sees the application layer only: no page reaches the database or names a
//! storage type, so views get read models made for them and never a storage row (a password
//! hash cannot reach a template). The tests may still use the store to set up and inspect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

/// Every Rust file under `dir`.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn pages_never_reach_storage() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(!files.is_empty(), "no sources under {}", src.display());
    let forbidden = ["ccus_storage", ".store()", "store_for_tools"];
    let mut found = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("source file");
        for (n, line) in text.lines().enumerate() {
            for word in forbidden {
                if line.contains(word) {
                    found.push(format!("{}:{}: {word}", file.display(), n + 1));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "the web crate must call the application layer, not storage:\n{}",
        found.join("\n")
    );
}

#[test]
fn storage_is_not_a_dependency_of_the_pages() {
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
            .expect("Cargo.toml");
    let deps = manifest
        .split("[dependencies]")
        .nth(1)
        .and_then(|rest| rest.split("\n[").next())
        .expect("a [dependencies] table");
    assert!(
        !deps.contains("ccus-storage"),
        "ccus-storage is for the tests only ([dev-dependencies])"
    );
}

/// The rows storage reads carry no secret (a password hash, a 本人確認番号's hash, a sealed
/// TOTP secret): only `Credentials` (what a login checks) and the new-row structs that write
/// one have such a field, so no session, cache or read model made from a row can hold one.
#[test]
fn only_credentials_carry_a_secret() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../storage/src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut found = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("source file");
        let mut current = String::new();
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("pub struct ") {
                current = rest
                    .split([' ', '<', '{'])
                    .next()
                    .unwrap_or_default()
                    .to_owned();
            }
            let secret = [
                "pub password_hash",
                "pub security_code_hash",
                "pub totp_secret",
            ]
            .iter()
            .any(|field| line.trim_start().starts_with(field));
            if secret && !(current == "Credentials" || current.starts_with("New")) {
                found.push(format!("{}: {current}", file.display()));
            }
        }
    }
    assert!(found.is_empty(), "rows with a secret: {found:#?}");
}
