//! `ccus` — the CCUS Portal binary: `serve`, `demo`, `migrate` and `admin` commands.

mod config;

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
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("CCUS_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    // Colour only on a terminal: logs sent to a file or a collector stay plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .with_writer(std::io::stderr)
        .init();
}

async fn run(cli: Cli) -> Result<()> {
    let config = config::load(cli.config.as_deref())?;
    match cli.command {
        Command::Serve => serve(config).await,
        Command::Demo { data_dir } => demo(config, &data_dir).await,
        Command::Migrate => {
            let store = open_store(&config).await?;
            store.close().await;
            println!("database is up to date");
            Ok(())
        }
        Command::Admin { command } => admin(config, command).await,
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

/// A database URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let userinfo = &url[s + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}{user}:***{}", &url[..s + 3], &url[at..])
        }
        _ => url.to_owned(),
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

async fn demo(mut config: Config, data_dir: &Path) -> Result<()> {
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("cannot create {}", data_dir.display()))?;
    // Nothing of a demo that is still running is touched: first this folder's lock, then the
    // port, and only then are the previous demo's database, mail and attachments removed.
    let lock_path = data_dir.join(".demo.lock");
    let lock = std::fs::File::create(&lock_path)
        .with_context(|| format!("cannot create {}", lock_path.display()))?;
    if lock.try_lock().is_err() {
        anyhow::bail!(
            "another demo is running with {} — stop it first, or give this one its own folder \
             (--data-dir) and port (CCUS_LISTEN=127.0.0.1:8081)",
            data_dir.display()
        );
    }
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| {
            format!(
                "cannot listen on {} (is another portal running? choose another port with \
                 CCUS_LISTEN=127.0.0.1:8081)",
                config.listen
            )
        })?;
    for f in ["ccus.db", "ccus.db-wal", "ccus.db-shm"] {
        let p = data_dir.join(f);
        if p.exists() {
            std::fs::remove_file(&p).with_context(|| format!("cannot remove {}", p.display()))?;
        }
    }
    for d in ["mail", "attachments"] {
        let p = data_dir.join(d);
        if p.exists() {
            std::fs::remove_dir_all(&p)
                .with_context(|| format!("cannot remove {}", p.display()))?;
        }
    }
    config.database_url = format!("sqlite://{}", data_dir.join("ccus.db").display());
    config.mail.url = format!("file://{}", data_dir.join("mail").display());
    config.inquiry.attachments_dir = data_dir.join("attachments").display().to_string();
    if config.staff.totp_key.is_empty() {
        // A fresh demo needs no durable key: its database is made anew each time.
        config.staff.totp_key = ccus_app::tokens::random_key_base64();
    }
    let state = app_state(config.clone()).await?;
    // The business first, so the technician can be linked to it as their employer.
    let business = demo_account(
        &state,
        AccountKind::Business,
        "株式会社 見本建設",
        "office@mihon-kensetsu.example.jp",
        "カブシキガイシャ ミホンケンセツ",
        None,
        None,
    )
    .await?;
    let technician = demo_account(
        &state,
        AccountKind::Technician,
        "建設 太郎",
        "taro.kensetsu@example.jp",
        "ケンセツ タロウ",
        Some("1985-04-01"),
        Some(business.account.login_id.as_str()),
    )
    .await?;
    let base = config.public_url.trim_end_matches('/').to_owned();
    println!("CCUS Portal demo — data in {}", data_dir.display());
    for created in [&technician, &business] {
        let kind = created.account.kind();
        println!();
        println!("  {}: {}", kind.label_ja(), created.account.name);
        println!("    ログイン画面   {base}{}", kind.login_path());
        println!("    ID             {}", created.account.login_id.grouped());
        if let Some(p) = &created.initial_password {
            println!("    パスワード     {}", p.expose());
        }
        if let Some(c) = &created.security_code {
            println!("    本人確認番号   {}", c.expose());
        }
    }
    let (staff_id, staff_pw) = ccus_app::account::provisioning::create_staff(
        &state,
        "窓口 一郎",
        "helpdesk@example.jp",
        ccus_storage::StaffRole::Supervisor,
        None,
    )
    .await
    .map_err(|e| anyhow::anyhow!(e.to_string()))?;
    println!();
    println!("  ヘルプデスク職員（監督者）: {base}/helpdesk");
    println!("    職員ID         {staff_id}");
    println!("    パスワード     {}", staff_pw.unwrap_or_default());
    println!("    初回ログインで認証アプリ（TOTP）とご自分のパスワードを設定します。");
    println!();
    println!("初回ログインでは、本人確認番号を使ってパスワードを変更します。");
    println!(
        "Mail is written as .eml files to {}",
        data_dir.join("mail").display()
    );
    println!(
        "Admin commands for this demo: CCUS_DATABASE_URL={} ccus admin …",
        config.database_url
    );
    println!("Open {base}/ in a browser. Stop with Ctrl+C.");
    // Before the mail worker starts: from here a stop is a clean one.
    let shutdown = shutdown_signal();
    ccus_web::spawn_cleanup(state.clone());
    let mail = state.spawn_mail_delivery()?;
    ccus_web::serve(listener, state, shutdown).await?;
    mail.stop(MAIL_STOP).await;
    drop(lock);
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn demo_account(
    state: &AppState,
    kind: AccountKind,
    name: &str,
    email: &str,
    furigana: &str,
    birth_date: Option<&str>,
    employer: Option<&str>,
) -> Result<ccus_app::account::provisioning::CreatedAccount> {
    create_account(
        state,
        AccountRequest {
            kind,
            name: name.into(),
            email: email.into(),
            password: None,
            security_code: None,
            must_change_password: true,
            profile: ProfileRequest {
                furigana: furigana.into(),
                birth_date: birth_date.map(str::to_owned),
                employer: employer.map(str::to_owned),
            },
        },
    )
    .await
    .map_err(create_error)
}

fn create_error(e: CreateError) -> anyhow::Error {
    match e {
        CreateError::Invalid(m) => anyhow::anyhow!(m),
        CreateError::App(e) => anyhow::anyhow!(e.chain()),
    }
}

async fn admin(config: Config, command: AdminCommand) -> Result<()> {
    if let Some(path) = sqlite_file(&config.database_url) {
        if !path.exists() {
            // Most often a command meant for another database (the demo's): say so.
            eprintln!(
                "note: {} does not exist yet and is created now. For the demo's database run \
                 with CCUS_DATABASE_URL=sqlite://./data/demo/ccus.db",
                path.display()
            );
        }
    }
    let mut config = config;
    if matches!(command, AdminCommand::Generate { .. }) {
        // A bulk load writes long statements and checkpoints large files: the per-call limit
        // that protects a serving portal would cut it off.
        let long = std::time::Duration::from_secs(600);
        config.database.query_timeout = config.database.query_timeout.max(long);
    }
    let state = app(config).await?;
    match command {
        AdminCommand::ImportRegistered { file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let rows = ccus_app::registration::parse_import(&text)
                .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            let results = ccus_app::registration::import_registered(&state, &rows)
                .await
                .map_err(|e| anyhow::anyhow!(e.chain()))?;
            println!("login_id,name,initial_password,security_code");
            let (mut created, mut skipped) = (0, 0);
            for (row, r) in rows.iter().zip(results) {
                match r {
                    ccus_app::registration::Imported::Created(c) => {
                        created += 1;
                        println!(
                            "{},{},{},{}",
                            c.account.login_id.as_str(),
                            csv_field(&c.account.name),
                            c.initial_password
                                .map(|p| p.expose().to_owned())
                                .unwrap_or_default(),
                            c.security_code
                                .map(|s| s.expose().to_owned())
                                .unwrap_or_default()
                        );
                    }
                    ccus_app::registration::Imported::Duplicate => {
                        skipped += 1;
                        eprintln!(
                            "line {}: {} is registered already; skipped",
                            row.line, row.name
                        );
                    }
                    ccus_app::registration::Imported::Invalid(why) => {
                        skipped += 1;
                        eprintln!("line {}: {why}; skipped", row.line);
                    }
                }
            }
            eprintln!("{created} accounts created, {skipped} skipped");
        }
        AdminCommand::CreateAccount {
            kind,
            name,
            email,
            password,
            security_code,
            furigana,
            birth_date,
            employer,
            json,
        } => {
            let created = create_account(
                &state,
                AccountRequest {
                    kind: kind.into(),
                    name,
                    email,
                    must_change_password: password.is_none(),
                    profile: ProfileRequest {
                        furigana,
                        birth_date,
                        employer,
                    },
                    password,
                    security_code,
                },
            )
            .await
            .map_err(create_error)?;
            let a = &created.account;
            if json {
                let mut obj = serde_json::json!({
                    "login_id": a.login_id.as_str(),
                    "login_id_display": a.login_id.grouped(),
                    "kind": a.kind().as_str(),
                    "name": a.name,
                    "email": a.email,
                    "login_url": format!("{}{}", state.config().public_url.trim_end_matches('/'), a.kind().login_path()),
                });
                if let Some(p) = &created.initial_password {
                    obj["initial_password"] = p.expose().into();
                }
                if let Some(c) = &created.security_code {
                    obj["security_code"] = c.expose().into();
                }
                println!("{obj}");
            } else {
                println!(
                    "{}IDを発行しました: {}",
                    a.kind().label_ja(),
                    a.login_id.grouped()
                );
                if let Some(p) = &created.initial_password {
                    println!("初期パスワード（この一度だけ表示します）: {}", p.expose());
                }
                if let Some(c) = &created.security_code {
                    println!("本人確認番号（この一度だけ表示します）: {}", c.expose());
                }
            }
        }
        AdminCommand::Mail { command } => mail_admin(&state, command).await?,
        AdminCommand::CreateStaff {
            name,
            email,
            role,
            password,
        } => {
            let role = match role {
                RoleArg::Operator => ccus_storage::StaffRole::Operator,
                RoleArg::Screener => ccus_storage::StaffRole::Screener,
                RoleArg::Supervisor => ccus_storage::StaffRole::Supervisor,
            };
            let (staff_id, generated) = ccus_app::account::provisioning::create_staff(
                &state, &name, &email, role, password,
            )
            .await
            .map_err(create_error)?;
            println!("職員ID: {staff_id}");
            if let Some(p) = generated {
                println!("初期パスワード（この一度だけ表示します）: {p}");
            }
            if state.config().staff.totp_key.is_empty() {
                println!("note: set staff.totp_key (CCUS_STAFF__TOTP_KEY) before staff can log in at /helpdesk");
            }
        }
        AdminCommand::DisableStaff { staff_id } => staff_state(&state, &staff_id, true).await?,
        AdminCommand::EnableStaff { staff_id } => staff_state(&state, &staff_id, false).await?,
        AdminCommand::Maintenance { command } => maintenance_admin(&state, command).await?,
        AdminCommand::Notice {
            command: NoticeCommand::Publish { title, body },
        } => {
            if let OperationOutcome::Published { id } = operate(
                &state,
                Operation::PublishNotice {
                    title,
                    body_md: body,
                },
            )
            .await?
            {
                println!("notice {id} published");
            }
        }
        AdminCommand::Faq {
            command:
                FaqCommand::Add {
                    category,
                    question,
                    answer,
                    lang,
                    translates,
                },
        } => {
            if let OperationOutcome::FaqAdded { id } = operate(
                &state,
                Operation::AddFaq {
                    category,
                    question,
                    answer_md: answer,
                    lang,
                    translates,
                },
            )
            .await?
            {
                println!("FAQ entry {id} added");
            }
        }
        AdminCommand::Generate {
            technicians,
            businesses,
            events_per_account,
            seed,
            password,
        } => {
            let spec = ccus_app::ops::generate::Spec {
                technicians,
                businesses,
                events_per_account,
                seed,
                password: password.clone(),
            };
            let g = ccus_app::ops::generate::generate(&state, &spec)
                .await
                .map_err(|e| anyhow::anyhow!(e.chain()))?;
            println!(
                "generated {} accounts and {} history rows in {:.1} s ({:.0} rows/s)",
                g.accounts,
                g.events,
                g.elapsed.as_secs_f64(),
                g.rows_per_second()
            );
            if let Some(id) = g.sample_technician {
                println!(
                    "for example 技能者ID {} with the password {password:?}",
                    id.grouped()
                );
            }
        }
        AdminCommand::Unlock { id } => {
            let login_id = LoginId::parse(&id)
                .map_err(|e| anyhow::anyhow!("{id:?} is not a login ID: {e}"))?;
            let lifted = ccus_app::auth::unlock::by_operator(&state, &login_id)
                .await
                .map_err(|e| anyhow::anyhow!(e.chain()))?;
            let was_locked = lifted.any();
            if was_locked {
                println!("{} のロックを解除しました", login_id.grouped());
            } else {
                println!(
                    "{} はロックされていませんでした（失敗回数はリセットしました）",
                    login_id.grouped()
                );
            }
        }
    }
    state.store_for_tools().close().await;
    Ok(())
}

/// An operation from the command line: audited like the console's.
async fn operate(app: &App, op: Operation) -> Result<OperationOutcome> {
    operations::run(app, Operator::CommandLine, op)
        .await
        .map_err(|e| match e {
            OperationError::Invalid(m) | OperationError::NotFound(m) => anyhow::anyhow!(m),
            OperationError::App(e) => anyhow::anyhow!(e.chain()),
        })
}

async fn maintenance_admin(state: &App, command: MaintenanceCommand) -> Result<()> {
    let now = ccus_domain::Clock::now(state.clock());
    match command {
        MaintenanceCommand::Schedule { from, to, message } => {
            let OperationOutcome::Scheduled(w) =
                operate(state, Operation::ScheduleMaintenance { from, to, message }).await?
            else {
                anyhow::bail!("the window was not scheduled");
            };
            println!(
                "maintenance window {} scheduled: {} – {} (JST); notice published",
                w.id,
                w.starts_at.jst(),
                w.ends_at.jst()
            );
        }
        MaintenanceCommand::List => {
            let list = state
                .store_for_tools()
                .public_info()
                .upcoming_maintenance(now)
                .await?;
            if list.is_empty() {
                println!("no maintenance scheduled");
            }
            for w in list {
                println!(
                    "{:>4}  {} – {} (JST){}  {}",
                    w.id,
                    w.starts_at.jst(),
                    w.ends_at.jst(),
                    if w.is_active(now) { "  [active]" } else { "" },
                    w.message
                );
            }
        }
        MaintenanceCommand::Cancel { id } => {
            operate(state, Operation::CancelMaintenance { id }).await?;
            println!("maintenance window {id} cancelled");
        }
    }
    Ok(())
}

async fn mail_admin(state: &App, command: MailCommand) -> Result<()> {
    match command {
        MailCommand::List { status, limit } => {
            let status = status.map(|s| match s {
                MailStatusArg::Pending => MailStatus::Pending,
                MailStatusArg::HandedOver => MailStatus::HandedOver,
                MailStatusArg::Sent => MailStatus::Sent,
                MailStatusArg::Failed => MailStatus::Failed,
            });
            let rows = state
                .store_for_tools()
                .outbox()
                .list_mail(status, limit)
                .await?;
            if rows.is_empty() {
                println!("the outbox is empty");
            }
            for r in rows {
                println!(
                    "{:>6}  {:<11}  attempts {:<2}  {}  to {}  「{}」{}",
                    r.id,
                    r.status.as_str(),
                    r.attempts,
                    r.created_at.jst(),
                    r.to,
                    r.subject,
                    r.last_error
                        .map(|e| format!("  last error: {e}"))
                        .unwrap_or_default()
                );
            }
        }
        MailCommand::Resend { id } => {
            let now = ccus_domain::Clock::now(state.clock());
            if state
                .store_for_tools()
                .outbox()
                .requeue_mail(MailId::new(id), now)
                .await?
            {
                println!("mail {id} is queued again; a running `ccus serve` sends it");
            } else {
                anyhow::bail!("there is no mail {id}");
            }
        }
    }
    Ok(())
}

/// `ccus admin disable-staff` / `enable-staff`.
async fn staff_state(app: &ccus_app::App, staff_id: &str, disabled: bool) -> anyhow::Result<()> {
    let changed = ccus_app::auth::staff::set_disabled(app, staff_id, disabled)
        .await
        .map_err(|e| anyhow::anyhow!(e.chain()))?;
    let id = ccus_app::auth::staff::normalise_staff_id(staff_id);
    match (changed, disabled) {
        (None, _) => anyhow::bail!("職員ID {id} はありません / no staff member has the ID {id}"),
        (Some(true), true) => println!(
            "職員 {id} の利用を停止しました。ログイン中の画面も終了しました。\n\
             Staff member {id} is stopped; their sessions have ended."
        ),
        (Some(true), false) => {
            println!("職員 {id} の利用を再開しました。\nStaff member {id} may sign in again.")
        }
        (Some(false), true) => {
            println!("職員 {id} はすでに利用停止中です。\nStaff member {id} was already stopped.")
        }
        (Some(false), false) => {
            println!("職員 {id} は利用停止されていません。\nStaff member {id} was not stopped.")
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn database_passwords_are_not_printed() {
        assert_eq!(redact("postgres://u:secret@db/x"), "postgres://u:***@db/x");
        assert_eq!(redact("sqlite://./data/ccus.db"), "sqlite://./data/ccus.db");
    }
}
