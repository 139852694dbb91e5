//! The partner API and 「CCUSでログイン」 with a second, independent client: Python's Authlib,
//! through `tools/interop/authlib_client.py`. A system with a client secret gets a
//! client-credentials token and reads its grants; a relying party discovers the portal, builds
//! the authorization URL (PKCE S256, a nonce), and — after the technician's browser, driven
//! here, allowed it — exchanges the code, checks the ID token against the published keys,
//! reads userinfo and refreshes once. Every protocol step is Authlib's, not ours: what the
//! `openidconnect` crate accepts in `login_with_ccus.rs`, a client written elsewhere accepts
//! too.
//!
//! Its own runner (`harness = false`, like the browser suites): the tests need a `python3` with
//! Authlib and requests (`CCUS_PYTHON`, else `python3` on PATH, else `/usr/bin/python3`). When
//! none is found they are listed as **ignored** — never as passed — and the run says why,
//! before the tests and after the summary. With `CI` set they fail instead: `.ci/run` installs
//! Debian's `python3-authlib`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use ccus_app::api::grants::{self, GrantOutcome};
use ccus_domain::api::Scopes;
use ccus_domain::AccountKind;
use ccus_testkit::harness::libtest_mimic::{self, Arguments, Failed, FormatSetting, Trial};
use ccus_testkit::sites::{ctx, person, PW};
use ccus_testkit::*;
use serde_json::Value;

const TECH: AccountKind = AccountKind::Technician;
const BIZ: AccountKind = AccountKind::Business;
const REDIRECT: &str = "http://127.0.0.1:9/signed-in";
const SCRIPT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tools/interop/authlib_client.py"
);
/// What the script imports; a Python without it cannot run the tests.
const PROBE: &str = "import authlib, requests; print(authlib.__version__)";

/// A `python3` with Authlib, and Authlib's version; or why none was found.
fn find_python() -> Result<(PathBuf, String), String> {
    let candidates: Vec<(PathBuf, String)> = match std::env::var_os("CCUS_PYTHON") {
        Some(p) if !p.is_empty() => {
            let p = PathBuf::from(p);
            let named = format!("CCUS_PYTHON names {}", p.display());
            vec![(p, named)]
        }
        _ => vec![
            ("python3".into(), "python3 on PATH".into()),
            ("/usr/bin/python3".into(), "/usr/bin/python3".into()),
        ],
    };
    let mut why = Vec::new();
    for (python, named) in candidates {
        match Command::new(&python)
            .args(["-c", PROBE])
            .stdin(Stdio::null())
            .output()
        {
            Ok(o) if o.status.success() => {
                let version = String::from_utf8_lossy(&o.stdout).trim().to_owned();
                return Ok((python, version));
            }
            Ok(o) => {
                let err = String::from_utf8_lossy(&o.stderr);
                let last = err.lines().last().unwrap_or("it failed").trim().to_owned();
                why.push(format!("{named}: {last}"));
            }
            Err(e) => why.push(format!("{named}: {e}")),
        }
    }
    Err(format!(
        "no python3 with Authlib ({}); apt-get install python3-authlib python3-requests",
        why.join("; ")
    ))
}

/// What one run of the script gave: its exit status, its JSON (when it printed one), stderr.
struct Ran {
    ok: bool,
    json: Value,
    stderr: String,
}

/// Runs the script with `args`, the client secret (if any) in its environment. Off the
/// runtime's threads: the portal answers the script from them.
async fn script(python: &Path, args: &[&str], secret: Option<&str>) -> Ran {
    let mut c = Command::new(python);
    c.arg(SCRIPT)
        .args(args)
        .stdin(Stdio::null())
        // Authlib's own rules for the transport hold: the portal is on http://localhost.
        .env_remove("AUTHLIB_INSECURE_TRANSPORT")
        .env_remove("CCUS_BASE_URL")
        .env_remove("CCUS_CLIENT_ID")
        .env_remove("CCUS_CLIENT_SECRET")
        .env("NO_PROXY", "localhost,127.0.0.1")
        .env("no_proxy", "localhost,127.0.0.1");
    if let Some(s) = secret {
        c.env("CCUS_CLIENT_SECRET", s);
    }
    let out = tokio::task::spawn_blocking(move || c.output())
        .await
        .unwrap()
        .expect("running the script");
    let stdout = String::from_utf8_lossy(&out.stdout);
    Ran {
        ok: out.status.success(),
        json: serde_json::from_str(&stdout).unwrap_or(Value::Null),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The script's JSON, which must have come from a successful run.
async fn script_ok(python: &Path, args: &[&str], secret: Option<&str>) -> Value {
    let ran = script(python, args, secret).await;
    assert!(ran.ok, "the script failed: {}", ran.stderr);
    ran.json
}

/// Registers and certifies a system with a secret; its client_id and secret.
async fn client_with_secret(app: &TestApp, name: &str, scopes: &str) -> (String, String) {
    ccus_testkit::api::client_with_secret(app, name, scopes, REDIRECT).await
}

/// The query parameters of a URL.
fn query(url: &str) -> Vec<(String, String)> {
    let q = url.split_once('?').map_or("", |(_, q)| q);
    serde_urlencoded::from_str(q).unwrap()
}

fn param(url: &str, name: &str) -> Option<String> {
    query(url)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// The portal as Authlib accepts it without switches: on `http://localhost`.
async fn portal() -> TestApp {
    TestApp::builder().system_clock().localhost().start().await
}

/// A gate system with a client secret: a client-credentials token (client_secret_basic, then
/// client_secret_post with a narrower scope), and its grants read with it.
async fn a_partner_system_calls_the_api_with_authlib(python: PathBuf) {
    let app = portal().await;
    let (client_id, secret) =
        client_with_secret(&app, "ゲート花子", "sites:read roster:read").await;
    let prime_id = person(&app, BIZ, "株式会社 連携建設", "prime@example.jp", None).await;
    let prime = ctx(&app, &prime_id).await;
    let scopes = Scopes::parse("sites:read").unwrap();
    let outcome = grants::grant(&app.state, &prime, &client_id, &scopes)
        .await
        .unwrap();
    assert!(matches!(outcome, GrantOutcome::Granted(_)), "{outcome:?}");

    let base = [
        "--base-url",
        app.base.as_str(),
        "--client-id",
        client_id.as_str(),
    ];
    let mut args = vec!["partner"];
    args.extend(base);
    let v = script_ok(&python, &args, Some(&secret)).await;
    assert_eq!(v["token"]["token_type"], "Bearer", "{v}");
    assert_eq!(v["token"]["scope"], "sites:read roster:read", "{v}");
    assert_eq!(
        v["grants"]["grants"][0]["business_id"],
        prime_id.as_str(),
        "{v}"
    );

    let mut args = vec![
        "partner",
        "--auth-method",
        "client_secret_post",
        "--scope",
        "sites:read",
    ];
    args.extend(base);
    let v = script_ok(&python, &args, Some(&secret)).await;
    assert_eq!(v["token"]["scope"], "sites:read", "{v}");
    assert_eq!(
        v["grants"]["grants"].as_array().map(Vec::len),
        Some(1),
        "{v}"
    );

    // A wrong secret: the portal's invalid_client, reported by Authlib, and a failed run.
    let mut args = vec!["partner"];
    args.extend(base);
    let ran = script(&python, &args, Some("ccuss_not-the-secret")).await;
    assert!(!ran.ok && ran.json.is_null());
    assert!(ran.stderr.contains("invalid_client"), "{}", ran.stderr);
}

/// A relying party of 「CCUSでログイン」 in Authlib; the technician's consent driven here.
async fn authlib_logs_a_technician_in_with_ccus(python: PathBuf) {
    let app = portal().await;
    let (client_id, secret) = client_with_secret(
        &app,
        "安全書類サービス",
        "openid profile ccus_id affiliation level",
    )
    .await;
    let employer = person(&app, BIZ, "株式会社 見本建設", "biz@example.jp", None).await;
    let worker = person(
        &app,
        TECH,
        "建設 花子",
        "hanako@example.jp",
        Some(&employer),
    )
    .await;
    let b = app.browser();
    let r = app.login(&b, TECH, worker.as_str(), PW).await;
    assert_eq!(r.status(), 303);

    // Authlib discovers the portal and builds the authorization URL.
    let dir = tempfile::tempdir().unwrap();
    let kept = dir.path().join("login.json");
    let kept = kept.to_str().unwrap();
    let start = script_ok(
        &python,
        &[
            "login-start",
            "--base-url",
            &app.base,
            "--client-id",
            &client_id,
            "--redirect-uri",
            REDIRECT,
            "--scope",
            "openid profile ccus_id affiliation",
            "--state-file",
            kept,
        ],
        None,
    )
    .await;
    let auth_url = start["authorization_url"]
        .as_str()
        .expect("a URL")
        .to_owned();
    let page_path = auth_url
        .strip_prefix(&app.base)
        .unwrap_or_else(|| panic!("{auth_url} is not on {}", app.base))
        .to_owned();
    assert!(
        page_path.starts_with("/ccus_skill/oauth/authorize?"),
        "{page_path}"
    );
    assert_eq!(
        param(&page_path, "code_challenge_method").as_deref(),
        Some("S256")
    );
    assert_eq!(
        param(&page_path, "code_challenge").map(|c| c.len()),
        Some(43)
    );
    let nonce = param(&page_path, "nonce").expect("a nonce");
    let state = param(&page_path, "state").expect("a state");
    assert_eq!(start["state"], state.as_str());

    // The technician's browser opens it, sees the service, and allows it.
    let page = app.get(&b, &page_path).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("安全書類サービス"), "{html}");
    let mut fields = query(&page_path);
    fields.push(("decision".into(), "allow".into()));
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = app
        .submit(&b, &page_path, "/ccus_skill/oauth/authorize", &fields)
        .await;
    assert_eq!(r.status(), 303);
    let back = location(&r);
    assert!(back.starts_with(REDIRECT), "{back}");

    // Another state than the one it sent: Authlib stops before the exchange (the code stays
    // unspent).
    let forged = back.replace(&format!("state={state}"), "state=forged");
    let finish = |callback: &str| {
        [
            "login-finish",
            "--state-file",
            kept,
            "--callback",
            callback,
            "--auth-method",
            "client_secret_post",
        ]
        .map(str::to_owned)
    };
    let args = finish(&forged);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let ran = script(&python, &args, Some(&secret)).await;
    assert!(!ran.ok, "a forged state was accepted");
    assert!(ran.stderr.contains("MismatchingState"), "{}", ran.stderr);

    // The code exchanged, the ID token checked, userinfo read, the tokens refreshed.
    let args = finish(&back);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let v = script_ok(&python, &args, Some(&secret)).await;
    assert_eq!(v["issuer"], app.base.as_str(), "{v}");
    let header = &v["id_token"]["header"];
    assert_eq!(header["alg"], "RS256", "{v}");
    assert!(header["kid"].is_string(), "{v}");
    let claims = &v["id_token"]["claims"];
    assert_eq!(claims["iss"], app.base.as_str());
    assert_eq!(claims["aud"], client_id.as_str());
    assert_eq!(claims["nonce"], nonce.as_str());
    assert_eq!(claims["name"], "建設 花子");
    let sub = claims["sub"].as_str().expect("a subject");
    assert_ne!(sub, worker.as_str(), "a pairwise subject");
    let info = &v["userinfo"];
    assert_eq!(info["sub"], sub);
    assert_eq!(info["ccus_technician_id"], worker.as_str());
    assert_eq!(info["name"], "建設 花子");
    assert_eq!(
        info["ccus_affiliation"]["business_id"],
        employer.as_str(),
        "{info}"
    );
    assert!(info.get("ccus_levels").is_none(), "not asked for: {info}");
    let refresh = &v["refresh"];
    assert_eq!(refresh["rotated"], true, "{v}");
    assert_eq!(refresh["id_token_claims"]["sub"], sub, "{v}");
    assert_eq!(refresh["userinfo_sub"], sub, "{v}");

    // The same code again: the portal refuses it, and the script says so.
    let ran = script(&python, &args, Some(&secret)).await;
    assert!(!ran.ok, "a spent code was exchanged");
    assert!(ran.stderr.contains("invalid_grant"), "{}", ran.stderr);
}

/// Runs an async test on its own runtime (as `#[tokio::test(flavor = "multi_thread")]`).
fn block_on(test: impl Future<Output = ()>) -> Result<(), Failed> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Failed::from(format!("no Tokio runtime: {e}")))?;
    rt.block_on(test);
    Ok(())
}

type Test = fn(PathBuf) -> std::pin::Pin<Box<dyn Future<Output = ()>>>;

fn tests() -> Vec<(&'static str, Test)> {
    vec![
        ("a_partner_system_calls_the_api_with_authlib", |p| {
            Box::pin(a_partner_system_calls_the_api_with_authlib(p))
        }),
        ("authlib_logs_a_technician_in_with_ccus", |p| {
            Box::pin(authlib_logs_a_technician_in_with_ccus(p))
        }),
    ]
}

/// A check of this runner: its own binary, run with no Python to be found, lists a test as
/// ignored and says why — never as passed — and with `CI` set fails instead.
fn missing_python_is_not_run() -> Trial {
    Trial::test("a_missing_python_is_reported_as_not_run", || {
        let me = std::env::current_exe().map_err(|e| format!("own binary: {e}"))?;
        let run = |ci: bool| {
            let mut c = Command::new(&me);
            c.args(["--exact", tests()[0].0, "--test-threads=1"])
                .env("CCUS_PYTHON", "/nonexistent/python3")
                .env_remove("CI");
            if ci {
                c.env("CI", "true");
            }
            c.output()
                .map(|o| {
                    let out = String::from_utf8_lossy(&o.stdout).into_owned();
                    (o.status.success(), out)
                })
                .map_err(|e| format!("running {}: {e}", me.display()))
        };
        let (ok, out) = run(false)?;
        let said = "1 interop test not run: no python3 with Authlib (CCUS_PYTHON names \
                    /nonexistent/python3";
        if !ok || !out.contains("0 passed; 0 failed; 1 ignored") || !out.contains(said) {
            return Err(
                format!("without Python, expected one ignored test and why:\n{out}").into(),
            );
        }
        let (ok, out) = run(true)?;
        if ok || !out.contains("0 passed; 1 failed") {
            return Err(format!("with CI set, the run must fail:\n{out}").into());
        }
        Ok(())
    })
}

fn main() -> ExitCode {
    let args = Arguments::from_args();
    let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty());
    let python = find_python();
    let mut trials = vec![missing_python_is_not_run()];
    let mut not_run = 0;
    for (name, test) in tests() {
        match &python {
            Ok((python, _)) => {
                let python = python.clone();
                trials.push(Trial::test(name, move || block_on(test(python))));
            }
            Err(why) if ci => {
                let why = format!(
                    "{why} — CI is set, so the interop tests must run; .ci/run installs Authlib"
                );
                trials.push(Trial::test(name, move || Err(why.into())));
            }
            Err(why) => {
                let selected = args.filter.as_deref().is_none_or(|f| {
                    if args.exact {
                        name == f
                    } else {
                        name.contains(f)
                    }
                });
                if selected && !args.skip.iter().any(|s| name.contains(s.as_str())) {
                    not_run += 1;
                }
                let reason = format!("not run: {why}");
                trials.push(Trial::test(name, move || Err(reason.into())).with_ignored_flag(true));
            }
        }
    }
    let report = !args.list && args.format != Some(FormatSetting::Json);
    let say = || {
        if let (Err(why), true) = (&python, not_run > 0) {
            let what = if not_run == 1 { "test" } else { "tests" };
            println!("{not_run} interop {what} not run: {why}");
        }
    };
    if report {
        match &python {
            Ok((p, version)) => println!("\nAuthlib {version} in {}", p.display()),
            Err(_) => {
                println!();
                say();
            }
        }
    }
    let conclusion = libtest_mimic::run(&args, trials);
    if report {
        say();
    }
    conclusion.exit_code()
}
