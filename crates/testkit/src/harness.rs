//! The test runner of the browser suites (`crates/web/tests/journeys.rs` and `browser.rs`,
//! targets with `harness = false`). It looks and behaves like `cargo test`'s own runner
//! (through `libtest-mimic`: filters, `--exact`, `--skip`, `--ignored`, `--list`, so also
//! `cargo nextest`), and adds what that runner cannot do: decide at run time whether a test can
//! run at all.
//!
//! Every test runs once per browser, named `<browser>::<test>` (`chromium::…`, `firefox::…`).
//! When this machine lacks the browser or its driver, that browser's tests are listed as
//! **ignored** — never as passed — and the run says, before the tests and again after the
//! summary, how many did not run and why (`22 journeys not run in Firefox ESR: no geckodriver
//! …`). With `CI` set they fail instead: CI installs everything. A test may also be meant for
//! one browser only ([`Case::not_in`]); it is then listed as ignored in the other, with the
//! reason. After the run, the time the tests took in each browser is printed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use libtest_mimic::{Arguments, Failed, FormatSetting, Trial};

use crate::browser::{Browser, Engine, Tools};

/// The runner library itself, for a suite that decides at run time whether another program it
/// needs is there (`crates/web/tests/interop_python.rs`: Python with Authlib), the same way.
pub use libtest_mimic;

type Run = Arc<dyn Fn(Tools) -> Pin<Box<dyn Future<Output = ()>>> + Send + Sync>;

/// One browser test, to be run in each browser it is meant for.
pub struct Case {
    name: String,
    run: Run,
    not_in: Vec<(Engine, String)>,
}

impl Case {
    /// A test given the browser and driver to use.
    pub fn new<F, Fut>(name: &str, f: F) -> Case
    where
        F: Fn(Tools) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + 'static,
    {
        Case {
            name: name.to_owned(),
            run: Arc::new(move |tools| Box::pin(f(tools))),
            not_in: Vec::new(),
        }
    }

    /// A journey: a story told in a [`Browser`] that checks and photographs every page.
    pub fn journey<F, Fut>(story: &'static str, name: &str, f: F) -> Case
    where
        F: Fn(Browser) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + 'static,
    {
        let f = Arc::new(f);
        Case::new(name, move |tools| {
            let f = f.clone();
            async move { f(Browser::for_story(&tools, story).await).await }
        })
    }

    /// Not run in `engine`, for the reason given (listed there as ignored, with the reason).
    pub fn not_in(mut self, engine: Engine, why: &str) -> Case {
        self.not_in.push((engine, why.to_owned()));
        self
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

/// A journey: `journey!("01-story", function_name)`, the test named after the function.
#[macro_export]
macro_rules! journey {
    ($story:literal, $f:ident) => {
        $crate::harness::Case::journey($story, stringify!($f), $f)
    };
}

static VERBOSE: AtomicBool = AtomicBool::new(false);
static IN_SUITE: AtomicBool = AtomicBool::new(false);

/// Whether this process is a browser suite (its test apps are more patient with the database).
pub fn in_browser_suite() -> bool {
    IN_SUITE.load(Ordering::Relaxed)
}

/// Whether the run was asked to show what tests print (`--nocapture`).
pub fn verbose() -> bool {
    VERBOSE.load(Ordering::Relaxed)
}

thread_local! {
    /// The panic messages of the test running on this thread.
    static CAPTURED: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Panic messages of a test go into its failure report, as with `cargo test`'s own runner.
fn capture_panics(echo: bool) {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let kept = CAPTURED
            .try_with(|c| match c.borrow_mut().as_mut() {
                Some(buf) => {
                    buf.push_str(&info.to_string());
                    buf.push('\n');
                    true
                }
                None => false,
            })
            .unwrap_or(false);
        if !kept || echo {
            default(info);
        }
    }));
}

/// How long each browser's tests took (added up).
static TIMES: Mutex<Vec<(Engine, Duration)>> = Mutex::new(Vec::new());

/// Runs one test in its own Tokio runtime (as `#[tokio::test(flavor = "multi_thread")]`).
fn execute(run: Run, tools: Tools) -> Result<(), Failed> {
    let engine = tools.engine;
    let started = Instant::now();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Failed::from(format!("no Tokio runtime: {e}")))?;
    CAPTURED.with(|c| *c.borrow_mut() = Some(String::new()));
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| rt.block_on(run(tools))));
    let panics = CAPTURED.with(|c| c.borrow_mut().take()).unwrap_or_default();
    rt.shutdown_timeout(Duration::from_secs(10));
    TIMES.lock().unwrap().push((engine, started.elapsed()));
    match outcome {
        Ok(()) => Ok(()),
        Err(_) if panics.is_empty() => Err("the test panicked".into()),
        Err(_) => Err(panics.into()),
    }
}

/// Whether `--exact`, the filter and `--skip` leave `name` in the run.
fn selected(args: &Arguments, name: &str) -> bool {
    let hit = |f: &str| {
        if args.exact {
            name == f
        } else {
            name.contains(f)
        }
    };
    args.filter.as_deref().is_none_or(hit) && !args.skip.iter().any(|s| hit(s))
}

fn seconds(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 60 {
        format!("{} min {} s", s / 60, s % 60)
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// The `main` of a browser suite: runs `cases` in every browser (and `plain`, tests that need
/// none), reports what could not run, and returns the exit code. `what` names one test and
/// several in the report (`["journey", "journeys"]`).
pub fn run(what: [&str; 2], cases: Vec<Case>, plain: Vec<Trial>) -> ExitCode {
    let what = move |n: usize| if n == 1 { what[0] } else { what[1] };
    let args = Arguments::from_args();
    VERBOSE.store(args.nocapture, Ordering::Relaxed);
    IN_SUITE.store(true, Ordering::Relaxed);
    capture_panics(args.nocapture);
    let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty());
    let found: Vec<(Engine, Result<Tools, String>)> =
        Engine::ALL.iter().map(|&e| (e, Tools::find(e))).collect();

    let mut trials = plain;
    // (browser, why) → how many selected tests do not run for that reason.
    let mut not_run: BTreeMap<(&'static str, String), usize> = BTreeMap::new();
    for (engine, tools) in &found {
        for case in &cases {
            let name = format!("{}::{}", engine.key(), case.name);
            let unsupported = case.not_in.iter().find(|(e, _)| e == engine);
            let why = match (unsupported, tools) {
                (Some((_, why)), _) => why.clone(),
                (None, Ok(tools)) => {
                    let (run, tools) = (case.run.clone(), tools.clone());
                    trials.push(Trial::test(name, move || execute(run, tools)));
                    continue;
                }
                (None, Err(missing)) if ci => {
                    let why = format!(
                        "{missing} — CI is set, so the browser tests must run; .ci/run installs what they need"
                    );
                    trials.push(Trial::test(name, move || Err(why.into())));
                    continue;
                }
                (None, Err(missing)) => missing.clone(),
            };
            if selected(&args, &name) {
                *not_run.entry((engine.title(), why.clone())).or_default() += 1;
            }
            let reason = format!("not run in {}: {why}", engine.title());
            trials.push(Trial::test(name, move || Err(reason.into())).with_ignored_flag(true));
        }
    }

    let report = !args.list && args.format != Some(FormatSetting::Json);
    let say_not_run = || {
        for ((browser, why), n) in &not_run {
            println!("{n} {} not run in {browser}: {why}", what(*n));
        }
    };
    if report && !not_run.is_empty() {
        println!();
        say_not_run();
    }
    let conclusion = libtest_mimic::run(&args, trials);
    if report {
        let times = TIMES.lock().unwrap().clone();
        for engine in Engine::ALL {
            let mine: Vec<Duration> = times
                .iter()
                .filter(|(e, _)| *e == engine)
                .map(|(_, d)| *d)
                .collect();
            if !mine.is_empty() {
                let total: Duration = mine.iter().sum();
                let slowest = mine.iter().max().copied().unwrap_or_default();
                println!(
                    "{} {} run in {}: {} in all (the slowest {})",
                    mine.len(),
                    what(mine.len()),
                    engine.title(),
                    seconds(total),
                    seconds(slowest)
                );
            }
        }
        say_not_run();
    }
    conclusion.exit_code()
}

/// A check that every journey function in `source` (an `async fn …(b: Browser)`) is among
/// `names`, and that no test in it is written for `cargo test`'s own runner — such a test
/// would never run in a `harness = false` target.
pub fn all_registered(source: &'static str, names: Vec<String>) -> Trial {
    Trial::test("every_journey_is_registered", move || {
        let mut problems = Vec::new();
        for line in source.lines() {
            let t = line.trim_start();
            if t.starts_with("#[tokio::test") || t.starts_with("#[test]") {
                problems.push(format!(
                    "`{t}` is never run here: write an `async fn …(b: Browser)` and list it in main"
                ));
            }
            if let Some(rest) = t.strip_prefix("async fn ") {
                if let Some((name, args)) = rest.split_once('(') {
                    if args.starts_with("b: Browser)") && !names.iter().any(|n| n == name) {
                        problems.push(format!("{name} is not listed in main"));
                    }
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("\n").into())
        }
    })
}

/// A check of this runner itself: the suite's own binary, run for the test `one` with neither
/// browser to be found, lists it as ignored in each browser and says why — never as passed —
/// and with `CI` set fails instead.
pub fn missing_browsers_are_not_run(one: &str) -> Trial {
    let one = one.to_owned();
    Trial::test("a_missing_browser_is_reported_as_not_run", move || {
        let me = std::env::current_exe().map_err(|e| format!("own binary: {e}"))?;
        let run = |ci: bool| {
            let mut c = std::process::Command::new(&me);
            // The name without its browser selects the test in every browser, and nothing else.
            c.arg(&one)
                .arg("--test-threads=1")
                .env("CCUS_CHROMIUM", "/nonexistent/chromium")
                .env("CCUS_FIREFOX", "/nonexistent/firefox-esr")
                .env_remove("CI");
            if ci {
                c.env("CI", "true");
            }
            c.output()
                .map(|o| {
                    (
                        o.status.success(),
                        String::from_utf8_lossy(&o.stdout).into_owned(),
                    )
                })
                .map_err(|e| format!("running {}: {e}", me.display()))
        };
        let n = Engine::ALL.len();
        let (ok, out) = run(false)?;
        let expected = [
            format!("0 passed; 0 failed; {n} ignored"),
            "not run in Chromium: no Chromium: CCUS_CHROMIUM names /nonexistent/chromium".into(),
            "not run in Firefox ESR: no Firefox ESR: CCUS_FIREFOX names /nonexistent/firefox-esr"
                .into(),
        ];
        let missing: Vec<&String> = expected.iter().filter(|e| !out.contains(*e)).collect();
        if !ok || !missing.is_empty() {
            return Err(
                format!("without browsers, expected {missing:?} and success in:\n{out}").into(),
            );
        }
        let (ok, out) = run(true)?;
        if ok || !out.contains(&format!("0 passed; {n} failed")) {
            return Err(format!("with CI set, the run must fail:\n{out}").into());
        }
        Ok(())
    })
}
