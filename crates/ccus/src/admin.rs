//! `ccus admin …`: the operator's commands, each a call to the application layer.

use super::*;

pub(crate) async fn admin(config: Config, command: AdminCommand) -> Result<()> {
    // An HTTP client of a portal, which may be anywhere: no database of its own.
    if let AdminCommand::ApiConformance(args) = command {
        return crate::conformance::run(args).await;
    }
    // Neither opens the application (nor migrates the database it copies).
    let command = match command {
        AdminCommand::Backup(args) => return crate::backup::backup(&config, args).await,
        AdminCommand::Restore(args) => return crate::backup::restore(&config, args).await,
        other => other,
    };
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
    if matches!(
        command,
        AdminCommand::Generate { .. }
            | AdminCommand::GenerateSites { .. }
            | AdminCommand::GenerateRecords { .. }
    ) {
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
        AdminCommand::ApiClient { command } => api_client_admin(&state, command).await?,
        AdminCommand::LoginKeys { command } => login_keys_admin(&state, command).await?,
        // Answered above, before the database is opened.
        AdminCommand::ApiConformance(_) | AdminCommand::Backup(_) | AdminCommand::Restore(_) => {}
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
        AdminCommand::GenerateSites { sites, open, seed } => {
            let spec = ccus_app::ops::generate_sites::SiteSpec { sites, open, seed };
            let g = ccus_app::ops::generate_sites::generate_sites(&state, &spec)
                .await
                .map_err(|e| anyhow::anyhow!(e.chain()))?;
            println!(
                "generated {} sites, {} places in their trees and {} 名簿 lines in {:.1} s ({:.0} rows/s)",
                g.sites,
                g.placements,
                g.listings,
                g.elapsed.as_secs_f64(),
                g.rows_per_second()
            );
        }
        AdminCommand::GenerateRecords {
            records,
            years,
            seed,
        } => {
            let spec = ccus_app::ops::generate_records::RecordSpec {
                records,
                years,
                seed,
            };
            let g = ccus_app::ops::generate_records::generate_records(&state, &spec)
                .await
                .map_err(|e| anyhow::anyhow!(e.chain()))?;
            println!(
                "generated {} records over {} work days in {:.1} s ({:.0} rows/s; loading {:.1} s at {:.0} rows/s, then the indexes)",
                g.records,
                g.days,
                g.elapsed.as_secs_f64(),
                g.rows_per_second(),
                g.loading.as_secs_f64(),
                g.loading_rows_per_second()
            );
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

async fn login_keys_admin(state: &App, command: LoginKeysCommand) -> Result<()> {
    use ccus_app::api::login::keys;
    let fail = |e: ccus_app::AppError| anyhow::anyhow!(e.to_string());
    match command {
        LoginKeysCommand::Rotate => {
            let kid = keys::rotate(state).await.map_err(fail)?;
            println!("新しい署名鍵: {kid} / new signing key: {kid}");
        }
        LoginKeysCommand::List => {
            let set = keys::jwks(state).await.map_err(fail)?;
            for k in set["keys"].as_array().into_iter().flatten() {
                println!(
                    "{}\t{}",
                    k["kid"].as_str().unwrap_or_default(),
                    k["alg"].as_str().unwrap_or_default()
                );
            }
        }
    }
    Ok(())
}

async fn api_client_admin(state: &App, command: ApiClientCommand) -> Result<()> {
    use ccus_app::api::clients::{self, ClientChange, ClientKeys, ClientOutcome, NewClient};
    use ccus_app::audit::Actor;
    use ccus_domain::api::ClientState;
    let read = |path: &std::path::Path| {
        std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))
    };
    let outcome = match command {
        ApiClientCommand::Add {
            name,
            vendor,
            contact,
            scopes,
            jwks_file,
            jwks_url,
            secret,
            redirect_uris,
        } => {
            let keys = match (jwks_file, jwks_url, secret) {
                (Some(path), None, false) => ClientKeys::Jwks(read(&path)?),
                (None, Some(url), false) => ClientKeys::JwksUrl(url),
                (None, None, true) => ClientKeys::Secret,
                _ => anyhow::bail!("give one of --jwks-file FILE, --jwks-url URL or --secret"),
            };
            let new = NewClient {
                name,
                vendor,
                contact,
                scopes,
                keys,
                redirect_uris: redirect_uris.unwrap_or_default(),
            };
            clients::register(state, &Actor::Operator, &new).await?
        }
        ApiClientCommand::List => {
            let list = clients::list(state).await?;
            if list.is_empty() {
                println!("no client is registered");
            }
            for c in list {
                println!(
                    "{}  {:<9}  {:<15}  {} ({})  scopes: {}",
                    c.client_id, c.state, c.auth_method, c.name, c.vendor, c.scopes
                );
            }
            return Ok(());
        }
        ApiClientCommand::State {
            client_id,
            state: to,
        } => {
            let Some(to) = ClientState::parse(to.trim()) else {
                anyhow::bail!("the state is one of sandbox, certified, suspended");
            };
            clients::change(
                state,
                &Actor::Operator,
                &client_id,
                &ClientChange::State(to),
            )
            .await?
        }
        ApiClientCommand::RedirectUris {
            client_id,
            redirect_uris,
        } => {
            let change = ClientChange::RedirectUris(redirect_uris);
            clients::change(state, &Actor::Operator, &client_id, &change).await?
        }
        ApiClientCommand::Scopes { client_id, scopes } => {
            clients::change(
                state,
                &Actor::Operator,
                &client_id,
                &ClientChange::Scopes(scopes),
            )
            .await?
        }
        ApiClientCommand::Keys {
            client_id,
            jwks_file,
            jwks_url,
        } => {
            let keys = match (jwks_file, jwks_url) {
                (Some(path), _) => ClientKeys::Jwks(read(&path)?),
                (None, Some(url)) => ClientKeys::JwksUrl(url),
                (None, None) => anyhow::bail!("give --jwks-file FILE or --jwks-url URL"),
            };
            clients::change(
                state,
                &Actor::Operator,
                &client_id,
                &ClientChange::Keys(keys),
            )
            .await?
        }
        ApiClientCommand::Secret { client_id } => {
            let keys = ClientChange::Keys(ClientKeys::Secret);
            clients::change(state, &Actor::Operator, &client_id, &keys).await?
        }
    };
    match outcome {
        ClientOutcome::Done { client, secret } => {
            println!("client_id: {}", client.client_id);
            println!("name: {} ({})", client.name, client.vendor);
            println!("state: {}", client.state);
            println!("auth: {}", client.auth_method);
            if !client.jwks_url.is_empty() {
                println!("jwks_url: {}", client.jwks_url);
            }
            println!("scopes: {}", client.scopes);
            if !client.redirect_uris.is_empty() {
                println!("redirect_uris: {}", client.redirect_uris);
            }
            if let Some(secret) = secret {
                println!("client_secret (shown this once): {secret}");
            }
            Ok(())
        }
        ClientOutcome::Refused(problem) => anyhow::bail!("{problem}"),
    }
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
