//! `ccus check-config`: says what is wrong with a configuration before the portal starts on it.
//! Loading it already checks every value's type and range (naming the key); this goes on to
//! what only trying shows: the database answers and its schema, the mail transport and sender,
//! the attachments folder is writable, the staff key, the addresses.

use anyhow::Result;
use ccus_web::Config;

/// One finding: fatal (the portal would not work) or a warning.
struct Finding {
    fatal: bool,
    key: &'static str,
    what: String,
}

fn fatal(key: &'static str, what: impl Into<String>) -> Finding {
    Finding {
        fatal: true,
        key,
        what: what.into(),
    }
}

fn warn(key: &'static str, what: impl Into<String>) -> Finding {
    Finding {
        fatal: false,
        key,
        what: what.into(),
    }
}

async fn findings(config: &Config) -> Vec<Finding> {
    let mut out = Vec::new();
    match ccus_storage::Store::connect_with(&config.database_url, config.database.timeouts()).await
    {
        Ok(store) => {
            if let Err(e) = store.ping().await {
                out.push(fatal(
                    "database_url",
                    format!("the database does not answer: {e}"),
                ));
            }
            store.close().await;
        }
        Err(e) => out.push(fatal(
            "database_url",
            format!("cannot open the database: {e}"),
        )),
    }
    for url in &config.database.replicas {
        use ccus_storage::ReplicaProbe;
        let name = crate::redact(url);
        let problem = match ccus_storage::probe_replica(&config.database_url, url).await {
            Ok(ReplicaProbe::Follows) => continue,
            Ok(ReplicaProbe::NotStandby) => "is not a streaming replica (not in recovery)".into(),
            Ok(ReplicaProbe::OtherCluster) => "is a standby of another cluster".into(),
            Ok(ReplicaProbe::OtherDatabase) => "names another database than database_url's".into(),
            Err(e) => format!("does not answer ({e}), or the primary does not"),
        };
        out.push(warn(
            "database.replicas",
            format!("{name} {problem}: no read goes to it until that changes"),
        ));
    }
    if let Err(e) = ccus_mail::Transport::from_url(&config.mail.url) {
        out.push(fatal("mail.url", e.to_string()));
    }
    if !ccus_mail::valid_sender(&config.mail.from) {
        out.push(fatal(
            "mail.from",
            "not a mail address a message can be sent from",
        ));
    }
    let dir = std::path::Path::new(&config.inquiry.attachments_dir);
    let probe = dir.join(format!(".ccus-check-{}", std::process::id()));
    let writable = std::fs::create_dir_all(dir)
        .and_then(|()| std::fs::write(&probe, b"check"))
        .and_then(|()| std::fs::remove_file(&probe));
    if let Err(e) = writable {
        out.push(fatal(
            "inquiry.attachments_dir",
            format!("{} is not writable: {e}", dir.display()),
        ));
    }
    if config.staff.totp_key.trim().is_empty() {
        out.push(warn(
            "staff.totp_key",
            "not set: the helpdesk console stays closed (make one with `openssl rand -base64 32`)",
        ));
    }
    let local = config.public_url.starts_with("http://localhost")
        || config.public_url.starts_with("http://127.0.0.1");
    if !config.is_https() && !local {
        out.push(warn(
            "public_url",
            "not https: cookies are not marked Secure and passkeys do not work",
        ));
    }
    if config.trust_forwarded_for && config.listen.ip().is_unspecified() {
        out.push(warn(
            "trust_forwarded_for",
            "on while listening on every address: only a proxy may reach the portal, or anyone can forge their address",
        ));
    }
    if config.metrics.listen.is_none() {
        out.push(warn("metrics.listen", "not set: no metrics are served"));
    }
    out
}

/// Prints every finding; fails when one is fatal.
pub async fn check(config: &Config) -> Result<()> {
    let found = findings(config).await;
    for f in &found {
        let mark = if f.fatal {
            "問題 / error"
        } else {
            "注意 / warning"
        };
        println!("{mark}: {}: {}", f.key, f.what);
    }
    let fatal = found.iter().filter(|f| f.fatal).count();
    if fatal > 0 {
        anyhow::bail!("{fatal} problem(s) in the configuration");
    }
    println!("設定に問題はありません / the configuration is usable");
    Ok(())
}
