//! `ccus demo`: the portal with demo data, for trying it out.

use super::*;

pub(crate) async fn demo(mut config: Config, data_dir: &Path) -> Result<()> {
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
    // The demo is the partner API's sandbox: clients still in the sandbox get tokens here.
    config.api.sandbox = true;
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
    let site = demo_site(&state, &business.account, &technician.account).await?;
    let (client_id, secret) = demo_client(&state, &business.account).await?;
    let (rp_id, rp_secret) = demo_relying_party(&state).await?;
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
    println!("  現場: 見本ビル新築工事（元請 株式会社 見本建設、建設 太郎が作業員名簿に）");
    println!("    現場ID         {}", site.grouped());
    println!();
    println!("  連携システム（サンドボックス）: 見本ゲート — 株式会社 見本建設が利用を許可済み");
    println!("    client_id      {client_id}");
    println!("    client_secret  {secret}");
    println!(
        "    curl -u {client_id}:{secret} -d grant_type=client_credentials {base}/oauth/token"
    );
    println!("    API の説明     {base}/api/v1/openapi.json（docs/api.md）");
    println!();
    println!("  「CCUSでログイン」の見本サービス: 見本アプリ（技能者が許可すると氏名・技能者ID・所属・レベル）");
    println!("    client_id      {rp_id}");
    println!("    client_secret  {rp_secret}");
    println!("    redirect_uri   {DEMO_RP_REDIRECT}");
    println!(
        "    discovery      {base}/.well-known/openid-configuration（docs/login-with-ccus.md）"
    );
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

/// A sandbox client of the partner API with a secret, which the demo business lets use all
/// of its data: its client_id and secret.
async fn demo_client(
    state: &AppState,
    business: &ccus_storage::Account,
) -> Result<(String, String)> {
    use ccus_app::api::clients::{self, ClientKeys, ClientOutcome, NewClient};
    use ccus_app::api::grants::{self, GrantOutcome};
    let fail = |e: ccus_app::AppError| anyhow::anyhow!(e.to_string());
    let all = ccus_domain::api::Scopes::api();
    let new = NewClient {
        name: "見本ゲート".into(),
        vendor: "見本システム 株式会社".into(),
        contact: "api@mihon-system.example.jp".into(),
        scopes: all.to_string(),
        keys: ClientKeys::Secret,
        redirect_uris: String::new(),
    };
    let ClientOutcome::Done {
        client,
        secret: Some(secret),
    } = clients::register(state, &ccus_app::audit::Actor::Operator, &new)
        .await
        .map_err(fail)?
    else {
        anyhow::bail!("the demo client was not registered");
    };
    let ctx = ccus_app::org::context(state, business)
        .await
        .map_err(fail)?
        .context("the demo business has no organisation")?;
    match grants::grant(state, &ctx, &client.client_id, &all)
        .await
        .map_err(fail)?
    {
        GrantOutcome::Granted(_) => Ok((client.client_id, secret)),
        other => anyhow::bail!("the demo grant was refused: {other:?}"),
    }
}

/// Where the demo relying party's logins come back to (a service the person runs themselves).
const DEMO_RP_REDIRECT: &str = "http://localhost:8400/callback";

/// A sandbox relying party of 「CCUSでログイン」 with a secret: its client_id and secret.
async fn demo_relying_party(state: &AppState) -> Result<(String, String)> {
    use ccus_app::api::clients::{self, ClientKeys, ClientOutcome, NewClient};
    let fail = |e: ccus_app::AppError| anyhow::anyhow!(e.to_string());
    let new = NewClient {
        name: "見本アプリ".into(),
        vendor: "見本システム 株式会社".into(),
        contact: "login@mihon-system.example.jp".into(),
        scopes: ccus_domain::api::Scopes::login().to_string(),
        keys: ClientKeys::Secret,
        redirect_uris: DEMO_RP_REDIRECT.into(),
    };
    match clients::register(state, &ccus_app::audit::Actor::Operator, &new)
        .await
        .map_err(fail)?
    {
        ClientOutcome::Done {
            client,
            secret: Some(secret),
        } => Ok((client.client_id, secret)),
        other => anyhow::bail!("the demo relying party was not registered: {other:?}"),
    }
}

/// A site of the demo business, with the demo technician on its 作業員名簿.
async fn demo_site(
    state: &AppState,
    business: &ccus_storage::Account,
    technician: &ccus_storage::Account,
) -> Result<ccus_domain::SiteId> {
    use ccus_app::sites::{self, roster, SiteForm, SiteOutcome};
    let fail = |e: ccus_app::AppError| anyhow::anyhow!(e.to_string());
    let ctx = ccus_app::org::context(state, business)
        .await
        .map_err(fail)?
        .context("the demo business has no organisation")?;
    let form = SiteForm {
        name: "見本ビル新築工事".into(),
        order_kind: "private".into(),
        records_from: "2026-04-01".into(),
        records_to: "2027-09-30".into(),
        hazardous: "no".into(),
        manager: ctx.me.id.to_string(),
        contracts: vec![sites::ContractForm {
            address: "東京都千代田区霞が関1-1".into(),
            client_name: "見本不動産 株式会社".into(),
            work_kind: "building".into(),
            ..sites::ContractForm::default()
        }],
    };
    let site_id = match sites::register(state, &ctx, &form).await.map_err(fail)? {
        SiteOutcome::Done(id) => id,
        other => anyhow::bail!("the demo site was not registered: {other:?}"),
    };
    let view = sites::view(state, &ctx, &site_id)
        .await
        .map_err(fail)?
        .context("the demo site cannot be read")?;
    let place = view.my_place.context("the demo site has no 元請")?;
    let worker = roster::WorkerForm {
        login_id: technician.login_id.as_str().to_owned(),
        trade: "carpenter".into(),
        position: "foreman".into(),
        work: "型枠の組立".into(),
        ..roster::WorkerForm::default()
    };
    roster::add_worker(state, &ctx, &site_id, place, &worker)
        .await
        .map_err(fail)?;
    Ok(site_id)
}
