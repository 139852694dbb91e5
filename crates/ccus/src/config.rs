//! Loading configuration: defaults, then an optional TOML file, then `CCUS_*` environment
//! variables (nested keys joined by `__`, e.g. `CCUS_SESSION__IDLE_TIMEOUT=30m`).

use std::path::Path;

use anyhow::{Context, Result};
use ccus_app::Config;
use figment::providers::{Env, Format, Toml};
use figment::Figment;

/// Top-level keys; other `CCUS_*` variables (such as `CCUS_LOG`) are not configuration.
const KEYS: &[&str] = &[
    "listen",
    "database_url",
    "database",
    "public_url",
    "trust_forwarded_for",
    "session",
    "lockout",
    "hashing",
    "mail",
    "recovery",
    "maintenance",
    "support",
    "staff",
    "inquiry",
    "server",
    "history",
    "registration",
    "api",
    "metrics",
    "records",
];

pub fn load(file: Option<&Path>) -> Result<Config> {
    let mut fig = Figment::new();
    if let Some(path) = file {
        if !path.exists() {
            anyhow::bail!("configuration file {} does not exist", path.display());
        }
        fig = fig.merge(Toml::file(path));
    }
    fig = fig.merge(
        Env::prefixed("CCUS_")
            .filter(|k| {
                let key = k.as_str().to_ascii_lowercase();
                let top = key.split("__").next().unwrap_or("");
                KEYS.contains(&top)
            })
            .split("__"),
    );
    let config: Config = fig
        .extract()
        .map_err(|e| anyhow::anyhow!(describe(e)))
        .context("configuration is not valid")?;
    config.validate()?;
    Ok(config)
}

/// One line per problem, each naming its key.
fn describe(e: figment::Error) -> String {
    e.into_iter()
        .map(|e| {
            let key = e.path.join(".");
            if key.is_empty() {
                e.to_string()
            } else {
                format!("`{key}`: {}", e.kind)
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}
