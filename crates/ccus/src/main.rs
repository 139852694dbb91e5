//! `ccus` — the CCUS Portal binary: `serve`, `demo`, `migrate` and `admin` commands.

mod admin;
mod backup;
mod check;
mod config;
mod conformance;
mod demo;

use ccus_domain::{AccountKind, LoginId, MailId, SystemClock};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use ccus_app::account::provisioning::{
    create_account, AccountRequest, CreateError, ProfileRequest,
};
use ccus_app::ops::operations::{self, Operation, OperationError, OperationOutcome, Operator};
use ccus_app::{App, Config};
use ccus_storage::{MailStatus, Store};
use ccus_web::AppState;
use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "ccus",
    version,
    about = "CCUS Portal — login and account support for the Construction Career Up System"
)]
struct Cli {
    /// TOML configuration file (environment variables CCUS_* override it).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the portal.
    Serve,
    /// Run the portal on a fresh data directory with one 技能者 and one 事業者 demo account.
    Demo {
        /// Folder for the demo's database (its previous contents are replaced).
        #[arg(long, default_value = "./data/demo")]
        data_dir: PathBuf,
    },
    /// Bring the database schema up to date.
    Migrate,
    /// Check a configuration before starting on it: every value, the database, the mail
    /// transport, the attachments folder, the staff key; non-zero exit when it cannot work.
    CheckConfig,
    /// Operator tasks.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Fill the database with generated accounts and access history, for measurements at
    /// CCUS size (every generated account gets the same password).
    Generate {
        #[arg(long, default_value_t = 1000)]
        technicians: u64,
        #[arg(long, default_value_t = 100)]
        businesses: u64,
        #[arg(long, default_value_t = 10)]
        events_per_account: u32,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The password of every generated account.
        #[arg(long, default_value = "generated accounts 2026")]
        password: String,
    },
    /// Fill the database with sites, their 施工体制 and 作業員名簿 at CCUS size, over the
    /// businesses and technicians `generate` made (the newest `--open` sites are open).
    GenerateSites {
        #[arg(long, default_value_t = 1000)]
        sites: u64,
        #[arg(long, default_value_t = 250)]
        open: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Fill an empty work_records with 就業履歴 at CCUS size over the technicians, businesses
    /// and sites `generate` and `generate-sites` made: `--records` over the last `--years`.
    GenerateRecords {
        #[arg(long, default_value_t = 100_000)]
        records: u64,
        #[arg(long, default_value_t = 10)]
        years: u32,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Create an account; prints its login ID and any generated secrets once.
    CreateAccount {
        #[arg(long)]
        kind: Kind,
        /// 氏名 or company name.
        #[arg(long)]
        name: String,
        /// Registered email address.
        #[arg(long)]
        email: String,
        /// Initial password (generated when omitted).
        #[arg(long)]
        password: Option<String>,
        /// 4-digit 本人確認番号 (generated when omitted).
        #[arg(long, value_name = "NNNN")]
        security_code: Option<String>,
        /// フリガナ (kana), for helpdesk look-up.
        #[arg(long, default_value = "")]
        furigana: String,
        /// 生年月日, YYYY-MM-DD.
        #[arg(long)]
        birth_date: Option<String>,
        /// For a technician: the 事業者ID of their employer.
        #[arg(long)]
        employer: Option<String>,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Create technician accounts for people registered elsewhere (e.g. on paper), from a CSV
    /// file with the header `name,furigana,birth_date,email,employer`. Prints CSV for printing
    /// their cards: login_id, name, initial_password, security_code (shown this once). A
    /// person registered already is skipped.
    ImportRegistered {
        /// The CSV file (UTF-8).
        #[arg(long)]
        file: std::path::PathBuf,
    },
    /// Create a helpdesk staff account; prints its staff ID (and generated password) once.
    /// The second factor (TOTP) is enrolled at the first login at /helpdesk.
    CreateStaff {
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        role: RoleArg,
        /// Initial password (generated when omitted).
        #[arg(long)]
        password: Option<String>,
    },
    /// Stop (利用停止) a helpdesk staff member: they cannot sign in, and every session of
    /// theirs ends at once. Audited.
    DisableStaff {
        /// The staff ID, e.g. S1234567.
        staff_id: String,
    },
    /// Let a stopped staff member sign in again. Audited.
    EnableStaff {
        /// The staff ID, e.g. S1234567.
        staff_id: String,
    },
    /// Lift the lock on a login ID.
    Unlock {
        /// The login ID (any spacing or width).
        id: String,
    },
    /// The mail outbox.
    Mail {
        #[command(subcommand)]
        command: MailCommand,
    },
    /// Maintenance windows (every instance honours them).
    Maintenance {
        #[command(subcommand)]
        command: MaintenanceCommand,
    },
    /// Systems registered as clients of the partner API (every change audited).
    ApiClient {
        #[command(subcommand)]
        command: ApiClientCommand,
    },
    /// The keys 「CCUSでログイン」 signs ID tokens with.
    LoginKeys {
        #[command(subcommand)]
        command: LoginKeysCommand,
    },
    /// Run the partner API's conformance suite against a portal (normally the sandbox, `ccus
    /// demo`) as a client: one PASS/FAIL/SKIP line per item; fails when any item fails.
    ApiConformance(conformance::ConformanceArgs),
    /// A consistent copy of the database and its attachments, taken while the portal serves:
    /// a folder with a manifest (docs/operations.md, "Backups and restore").
    Backup(backup::BackupArgs),
    /// Restore a backup into a fresh database and attachments folder, then migrate.
    Restore(backup::RestoreArgs),
    /// お知らせ.
    Notice {
        #[command(subcommand)]
        command: NoticeCommand,
    },
    /// よくある質問.
    Faq {
        #[command(subcommand)]
        command: FaqCommand,
    },
}

#[derive(Subcommand)]
enum MaintenanceCommand {
    /// Schedule a window; a notice is published and the login pages show a banner beforehand.
    Schedule {
        /// Start, JST: "2026-12-01 22:00".
        #[arg(long)]
        from: String,
        /// End, JST: "2026-12-02 06:00".
        #[arg(long)]
        to: String,
        /// What users are told.
        #[arg(long, default_value = "")]
        message: String,
    },
    /// Windows that have not ended.
    List,
    /// Cancel a window (its notice is withdrawn).
    Cancel { id: i64 },
}

#[derive(Subcommand)]
enum ApiClientCommand {
    /// Register a system (it starts in the sandbox state); prints its client_id, and its
    /// secret once when it has one.
    Add {
        /// The system's name, as businesses will see it.
        #[arg(long)]
        name: String,
        /// The company that makes it.
        #[arg(long)]
        vendor: String,
        /// The vendor's contact mail address.
        #[arg(long)]
        contact: String,
        /// The scopes it may ask for, space-separated ("sites:read records:read").
        #[arg(long)]
        scopes: String,
        /// A file holding its public keys as a JWK Set (private_key_jwt).
        #[arg(long, conflicts_with_all = ["secret", "jwks_url"])]
        jwks_file: Option<std::path::PathBuf>,
        /// The https address it publishes its JWK Set at (private_key_jwt; fetched when needed).
        #[arg(long, conflicts_with = "secret")]
        jwks_url: Option<String>,
        /// Give it a client secret instead (for a system that cannot sign).
        #[arg(long)]
        secret: bool,
        /// Where a business's consent may send it back (space-separated https:// addresses).
        #[arg(long)]
        redirect_uris: Option<String>,
    },
    /// Replace the addresses a business's consent may send a system back to.
    RedirectUris {
        client_id: String,
        redirect_uris: String,
    },
    /// Every registered system.
    List,
    /// Move a system to sandbox, certified or suspended (suspending ends its tokens at once).
    State { client_id: String, state: String },
    /// Replace the scopes a system may ask for.
    Scopes { client_id: String, scopes: String },
    /// Replace a system's public keys (to rotate: register the old and the new key together,
    /// then the new one alone). Its tokens end.
    Keys {
        client_id: String,
        #[arg(
            long,
            required_unless_present = "jwks_url",
            conflicts_with = "jwks_url"
        )]
        jwks_file: Option<std::path::PathBuf>,
        /// The https address it publishes its JWK Set at, instead of a file.
        #[arg(long)]
        jwks_url: Option<String>,
    },
    /// Give a system a new client secret (the old one stops at once); printed once.
    Secret { client_id: String },
}

#[derive(Subcommand)]
enum LoginKeysCommand {
    /// The keys published now (the one in use first).
    List,
    /// Sign with a new key from now on; the old one stays published until the ID tokens it
    /// signed have expired.
    Rotate,
}

#[derive(Subcommand)]
enum NoticeCommand {
    /// Publish a notice now (the body is Markdown).
    Publish {
        #[arg(long)]
        title: String,
        #[arg(long)]
        body: String,
    },
}

#[derive(Subcommand)]
enum FaqCommand {
    /// Add an entry at the end (the answer is Markdown), or with `--lang en|easy --translates N`
    /// the translation of the Japanese entry N, shown in its place to readers of that language.
    Add {
        #[arg(long)]
        category: String,
        #[arg(long)]
        question: String,
        #[arg(long)]
        answer: String,
        #[arg(long, default_value = "ja")]
        lang: String,
        #[arg(long)]
        translates: Option<i64>,
    },
}

#[derive(Subcommand)]
enum MailCommand {
    /// List the newest mails in the outbox, with their status and last error.
    List {
        /// Only mails with this status.
        #[arg(long)]
        status: Option<MailStatusArg>,
        /// How many to show.
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Queue a mail again (for example after fixing the SMTP settings).
    Resend {
        /// The mail's number, as `list` shows it.
        id: i64,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum RoleArg {
    Operator,
    /// Also screens registration applications.
    Screener,
    Supervisor,
}

#[derive(Clone, Copy, ValueEnum)]
enum MailStatusArg {
    Pending,
    /// Handed over to the transport, not confirmed: the delivering process stopped between
    /// the hand-over and the SMTP server's answer. Resend one if its recipient did not get it.
    HandedOver,
    Sent,
    Failed,
}

#[derive(Clone, Copy, ValueEnum)]
enum Kind {
    Technician,
    Business,
}

impl From<Kind> for AccountKind {
    fn from(k: Kind) -> Self {
        match k {
            Kind::Technician => AccountKind::Technician,
            Kind::Business => AccountKind::Business,
        }
    }
}

fn main() -> std::process::ExitCode {
    init_logging();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn init_logging() {
    use ccus_web::logging::{subscriber, LogFormat};
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("CCUS_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    // Colour only on a terminal: logs sent to a file or a collector stay plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let format = LogFormat::from_env().unwrap_or_else(|why| {
        eprintln!("{why}; logging as text");
        LogFormat::Text
    });
    let _ =
        tracing::subscriber::set_global_default(subscriber(format, filter, std::io::stderr, ansi));
}

async fn run(cli: Cli) -> Result<()> {
    let config = config::load(cli.config.as_deref())?;
    match cli.command {
        Command::Serve => serve(config).await,
        Command::Demo { data_dir } => demo::demo(config, &data_dir).await,
        Command::Migrate => {
            let store = open_store(&config).await?;
            store.close().await;
            println!("database is up to date");
            Ok(())
        }
        Command::Admin { command } => admin::admin(config, command).await,
        Command::CheckConfig => check::check(&config).await,
    }
}

async fn open_store(config: &Config) -> Result<Store> {
    let store = Store::connect_with(&config.database_url, config.database.timeouts())
        .await
        .with_context(|| {
            format!(
                "cannot open the database ({})",
                redact(&config.database_url)
            )
        })?;
    store
        .migrate()
        .await
        .context("cannot migrate the database")?;
    Ok(store)
}

/// The file of a `sqlite://` database URL.
fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty()).then(|| std::path::PathBuf::from(path))
}

/// A CSV field, quoted when it holds a comma, a quote or a line break.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// A database URL without its password, for messages: the user part keeps its name, and a
/// query (which may carry `password=`) is left out.
fn redact(url: &str) -> String {
    let (url, query) = match url.split_once('?') {
        Some((base, _)) => (base, "?…"),
        None => (url, ""),
    };
    let authority_end = url
        .find("://")
        .map(|s| s + 3 + url[s + 3..].find('/').unwrap_or(url.len() - s - 3));
    match (
        url.find("://"),
        authority_end.and_then(|e| url[..e].rfind('@')),
    ) {
        (Some(s), Some(at)) if at > s => {
            let userinfo = &url[s + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}{user}:***{}{query}", &url[..s + 3], &url[at..])
        }
        _ => format!("{url}{query}"),
    }
}

/// The application for an admin command: no web state (anti-forgery key, FAQ seeding).
async fn app(config: Config) -> Result<App> {
    let store = open_store(&config).await?;
    Ok(App::new(config, store, Arc::new(SystemClock)).await?)
}

/// The application with its web front end, for serving.
async fn app_state(config: Config) -> Result<AppState> {
    Ok(AppState::serving(app(config).await?).await?)
}

async fn serve(config: Config) -> Result<()> {
    let listen = config.listen;
    let public_url = config.public_url.clone();
    let state = app_state(config).await?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let local = listener.local_addr()?;
    tracing::info!(%local, %public_url, "CCUS Portal listening");
    println!("CCUS Portal listening on http://{local}/");
    if let Some(at) = state.config().metrics.listen {
        let metrics = tokio::net::TcpListener::bind(at)
            .await
            .with_context(|| format!("cannot listen on {at} (metrics.listen)"))?;
        tracing::info!(local = %metrics.local_addr()?, "metrics at /metrics");
        tokio::spawn(ccus_web::serve_metrics(metrics, state.clone()));
    }
    // Before the mail worker starts: from here a stop is a clean one.
    let shutdown = shutdown_signal();
    ccus_web::spawn_cleanup(state.clone());
    let mail = state.spawn_mail_delivery()?;
    ccus_web::serve(listener, state, shutdown).await?;
    mail.stop(MAIL_STOP).await;
    Ok(())
}

/// How long a stopping process waits for the mail in flight (an SMTP answer, a file put in
/// place) before it ends anyway.
const MAIL_STOP: std::time::Duration = std::time::Duration::from_secs(15);

#[cfg(unix)]
async fn received(signal: Option<tokio::signal::unix::Signal>) {
    match signal {
        Some(mut s) => {
            s.recv().await;
        }
        None => std::future::pending().await,
    }
}

/// Completes on SIGTERM or Ctrl+C. The handlers are installed when this is called, not when
/// the future is first polled: called before the mail worker starts, a stop that comes while
/// the web server is still being built (the worker may already be sending) is a clean stop,
/// not the default action's sudden end.
fn shutdown_signal() -> impl std::future::Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let signals = {
        use tokio::signal::unix::{signal, SignalKind};
        (
            signal(SignalKind::terminate()).ok(),
            signal(SignalKind::interrupt()).ok(),
        )
    };
    async move {
        #[cfg(unix)]
        {
            let (term, int) = signals;
            tokio::select! { () = received(term) => {}, () = received(int) => {} }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
        tracing::info!("shutting down");
    }
}

fn create_error(e: CreateError) -> anyhow::Error {
    match e {
        CreateError::Invalid(m) => anyhow::anyhow!(m),
        CreateError::App(e) => anyhow::anyhow!(e.chain()),
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn database_passwords_are_not_printed() {
        assert_eq!(redact("postgres://u:secret@db/x"), "postgres://u:***@db/x");
        assert_eq!(redact("sqlite://./data/ccus.db"), "sqlite://./data/ccus.db");
        assert_eq!(
            redact("postgres://db/x?user=u&password=a@b"),
            "postgres://db/x?…"
        );
    }
}
