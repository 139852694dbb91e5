//! `#[postgres_variant]`, on a test that needs the PostgreSQL server named by
//! `CCUS_TEST_POSTGRES_URL`: without that variable the test is compiled as
//! `#[ignore = "PostgreSQL variant: CCUS_TEST_POSTGRES_URL is not set"]`, so `cargo test` reports
//! it as ignored, with the reason — never as passed. With the variable set, or with `CI` set (CI
//! must run it, and fails when it cannot), it is an ordinary test.
//!
//! `#[postgres_variant(replica)]` also needs the streaming replica of that server named by
//! `CCUS_TEST_POSTGRES_REPLICA_URL` (`tools/postgres/replica.sh` makes one): without both
//! variables the test is compiled as ignored, saying which is missing.
//!
//! `#[postgres_variant(previous_release)]` also needs the previous release's `ccus` binary named
//! by `CCUS_PREVIOUS_RELEASE` (`tools/upgrade/build-previous.sh` builds it), likewise.
//!
//! The attribute also reads the variables with `option_env!`, so Cargo rebuilds the test
//! target (and only it) when they change: setting the variable is enough to run the variants,
//! as before. Under `CI` only `CI` is read, so that a new database name per CI run does not
//! rebuild the tests.

use proc_macro::TokenStream;

const IGNORE: &str = "#[ignore = \"PostgreSQL variant: CCUS_TEST_POSTGRES_URL is not set\"]";
const TRACK_CI: &str = "const _: () = { let _ = ::core::option_env!(\"CI\"); };";
const IGNORE_REPLICA: &str = "#[ignore = \"PostgreSQL replica variant: \
                              CCUS_TEST_POSTGRES_URL or CCUS_TEST_POSTGRES_REPLICA_URL is not set\"]";
const IGNORE_PREVIOUS: &str = "#[ignore = \"rolling-upgrade variant: \
                               CCUS_TEST_POSTGRES_URL or CCUS_PREVIOUS_RELEASE is not set\"]";
const TRACK_BOTH: &str = "const _: () = { let _ = (::core::option_env!(\"CI\"), \
                          ::core::option_env!(\"CCUS_TEST_POSTGRES_URL\"), \
                          ::core::option_env!(\"CCUS_TEST_POSTGRES_REPLICA_URL\"), \
                          ::core::option_env!(\"CCUS_PREVIOUS_RELEASE\")); };";

fn set(var: &str) -> bool {
    std::env::var_os(var).is_some_and(|v| !v.is_empty())
}

#[proc_macro_attribute]
pub fn postgres_variant(attr: TokenStream, item: TokenStream) -> TokenStream {
    let ci = set("CI");
    let needs = attr.to_string();
    let needs = needs.trim();
    let mut out = TokenStream::new();
    if !matches!(needs, "" | "replica" | "previous_release") {
        return "compile_error!(\"postgres_variant takes nothing, replica or previous_release\");"
            .parse()
            .unwrap_or_default();
    }
    if !ci && !set("CCUS_TEST_POSTGRES_URL") {
        out.extend(IGNORE.parse::<TokenStream>().unwrap_or_default());
    } else if !ci && needs == "replica" && !set("CCUS_TEST_POSTGRES_REPLICA_URL") {
        out.extend(IGNORE_REPLICA.parse::<TokenStream>().unwrap_or_default());
    } else if !ci && needs == "previous_release" && !set("CCUS_PREVIOUS_RELEASE") {
        out.extend(IGNORE_PREVIOUS.parse::<TokenStream>().unwrap_or_default());
    }
    out.extend(item);
    let track = if ci { TRACK_CI } else { TRACK_BOTH };
    out.extend(track.parse::<TokenStream>().unwrap_or_default());
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// What a test body calls when it needs PostgreSQL.
    const NEEDS_POSTGRES: [&str; 5] = [
        "postgres_url(",
        "postgres_db(",
        "postgres()",
        "postgres_outage(",
        "POSTGRES_ENV",
    ];

    /// The tests in `source` that use PostgreSQL without `#[postgres_variant]`.
    fn unmarked(source: &str) -> Vec<String> {
        let lines: Vec<&str> = source.lines().collect();
        let is_test = |l: &str| l.contains("#[tokio::test") || l.trim() == "#[test]";
        let mut found = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            if !is_test(line) {
                continue;
            }
            let attrs = lines[..i].iter().rev().take_while(|l| {
                let t = l.trim_start();
                t.starts_with("#[") || t.starts_with("$(") || t.starts_with("//")
            });
            if attrs.clone().any(|l| l.contains("postgres_variant")) {
                continue;
            }
            // A test ignored on purpose (run by hand) is reported as ignored already.
            let after = lines[i + 1..]
                .iter()
                .take_while(|l| l.trim_start().starts_with("#["));
            if attrs
                .clone()
                .chain(after)
                .any(|l| l.trim_start().starts_with("#[ignore"))
            {
                continue;
            }
            let body: Vec<&str> = lines[i + 1..]
                .iter()
                .take_while(|l| !is_test(l) && **l != "}")
                .copied()
                .collect();
            if body
                .iter()
                .any(|l| NEEDS_POSTGRES.iter().any(|n| l.contains(n)))
            {
                let name = body.iter().find(|l| l.contains("fn ")).unwrap_or(line);
                found.push(name.trim().to_owned());
            }
        }
        found
    }

    /// Every test of the workspace that needs PostgreSQL says so, so that it is reported as
    /// ignored — not as passed — when no server is configured.
    #[test]
    fn every_postgres_test_is_a_marked_variant() {
        let crates = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let mut problems = Vec::new();
        for krate in std::fs::read_dir(&crates).into_iter().flatten().flatten() {
            let Ok(files) = std::fs::read_dir(krate.path().join("tests")) else {
                continue;
            };
            for f in files.flatten() {
                let path = f.path();
                if path.extension().is_some_and(|e| e == "rs") {
                    let source = std::fs::read_to_string(&path).unwrap_or_default();
                    for t in unmarked(&source) {
                        problems.push(format!("{}: {t}", path.display()));
                    }
                }
            }
        }
        assert!(
            problems.is_empty(),
            "these tests use PostgreSQL but pass when it is not configured; put \
             #[ccus_test_macros::postgres_variant] above their #[tokio::test]:\n{}",
            problems.join("\n")
        );
    }

    #[test]
    fn an_unmarked_postgres_test_is_found() {
        let source = "#[tokio::test]\nasync fn on_pg() {\n    let Some(u) = testdb::postgres_url().await else { return; };\n}\n\
                      #[ccus_test_macros::postgres_variant]\n#[tokio::test]\nasync fn marked() {\n    testdb::postgres_url().await;\n}\n\
                      #[tokio::test]\nasync fn on_sqlite() {\n    testdb::sqlite_url();\n}\n";
        assert_eq!(unmarked(source), vec!["async fn on_pg() {".to_owned()]);
    }
}
