//! The external suites: the checks that drive tools outside Rust.
//!
//! - `html_validity`: every page type through the Nu HTML Checker (`vnu-jar` from npm, run
//!   with Java), and every page type of the static export (`certwise export`, without and
//!   with `--live-url`); zero errors allowed.
//! - `browser`: `tests/browser/*.test.mjs` — consent with JavaScript on and off, keyboard use
//!   (`consent`); the static export served by nginx: consent decided in the browser, search
//!   from the static index (`static`); every page type at 1280 and 390 px wide, before and after a consent
//!   decision: no horizontal overflow, no exam code broken over two lines, a banner of at most
//!   a quarter of the phone's screen, full-page screenshots in `artifacts/screenshots/`
//!   (`layout`); axe-core with all its rules on every page type (`axe`) — in the system
//!   Chromium driven by playwright-core under Node's test runner, against the `certwise`
//!   binary cargo just built. The page types are `tests/page_types.rs`'s `PAGES` (read from
//!   that file) and the pages `tests/browser/harness.mjs` adds (`EXTRA_PAGES`).
//!
//! Lighthouse is not run here but by `.ci/run` (`scripts/lighthouse.sh`, on a release build).
//!
//! Its own `main` (`harness = false` in Cargo.toml), not libtest's, so that nothing it says is
//! buried: before the suites it runs `npm ci` when `node_modules` lacks a package they need and
//! npm is there; after them it prints a summary that names each suite that could not run,
//! exactly what it lacks and the command that installs it. Under CI (`CI` set) a skipped suite
//! fails the run, so a check that could not run never passes there.
//!
//! cargo runs integration test targets in name order; this one is named to sort after every
//! other `tests/*.rs`, so its summary is the last thing they print (checked below).
//!
//! Arguments, a subset of libtest's: name filters (substring, or whole name with `--exact`),
//! `--skip NAME`, `--ignored` (there are none), `--list`; other flags are accepted and ignored.
//! Overrides: `VNU_JAR` (the checker's jar), `CHROMIUM` (the browser binary).

mod common;

use std::fmt::Write as _;
use std::fs;
use std::io::{ErrorKind, Write as _};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant, SystemTime};

/// This target's name; no other `tests/*.rs` may sort after it.
const THIS_TARGET: &str = "suites";
const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const CHROMIUM: &str = "/usr/bin/chromium";
const VNU_JAR: &str = "node_modules/vnu-jar/build/dist/vnu.jar";
const NPM_CI: [&str; 3] = ["ci", "--no-audit", "--no-fund"];
const BROWSER_PACKAGES: &[&str] = &["playwright-core", "axe-core"];

const INSTALL_JAVA: &str = "install as root: apt-get install -y default-jre-headless";
const INSTALL_NODE: &str = "install as root: apt-get install -y nodejs npm";
const INSTALL_CHROMIUM: &str = "install as root: apt-get install -y chromium";
const RUN_NPM_CI: &str = "run in the repository root: npm ci";

#[derive(Debug, Clone, Copy)]
enum Suite {
    HtmlValidity,
    Browser,
}

impl Suite {
    const ALL: [Suite; 2] = [Suite::HtmlValidity, Suite::Browser];

    /// The name filters match, as libtest's would match a test's.
    fn name(self) -> &'static str {
        match self {
            Suite::HtmlValidity => "html_validity",
            Suite::Browser => "browser",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Suite::HtmlValidity => "Nu HTML Checker",
            Suite::Browser => "browser suite (Chromium, axe-core)",
        }
    }

    /// The npm packages the suite needs in `node_modules`.
    fn packages(self) -> &'static [&'static str] {
        match self {
            Suite::HtmlValidity if std::env::var_os("VNU_JAR").is_some() => &[],
            Suite::HtmlValidity => &["vnu-jar"],
            Suite::Browser => BROWSER_PACKAGES,
        }
    }

    fn run(self, root: &Path, npm: &Npm) -> Outcome {
        match self {
            Suite::HtmlValidity => html_validity(root, npm),
            Suite::Browser => browser(root, npm),
        }
    }
}

/// Something a suite needs that is not there, and how to get it.
#[derive(Debug)]
struct Missing {
    what: String,
    fix: String,
}

impl Missing {
    fn new(what: impl Into<String>, fix: impl Into<String>) -> Self {
        Missing { what: what.into(), fix: fix.into() }
    }
}

#[derive(Debug)]
enum Outcome {
    Ran(String),
    Skipped(Vec<Missing>),
    Failed(String),
}

// ---------------------------------------------------------------------------------------------
// Arguments

/// What of libtest's command line this target honours.
#[derive(Debug, Default)]
struct Args {
    list: bool,
    exact: bool,
    ignored_only: bool,
    filters: Vec<String>,
    skips: Vec<String>,
}

impl Args {
    fn parse(mut args: impl Iterator<Item = String>) -> Self {
        let mut parsed = Args::default();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--list" => parsed.list = true,
                "--exact" => parsed.exact = true,
                "--ignored" => parsed.ignored_only = true,
                "--skip" => parsed.skips.extend(args.next()),
                // libtest options that take a value: the value is not a filter
                "--color" | "--format" | "--logfile" | "--test-threads" | "--shuffle-seed" | "-Z" => {
                    args.next();
                }
                _ if arg.starts_with("--skip=") => parsed.skips.push(arg["--skip=".len()..].to_owned()),
                _ if arg.starts_with('-') => {}
                _ => parsed.filters.push(arg),
            }
        }
        parsed
    }

    fn matches(&self, pattern: &str, name: &str) -> bool {
        if self.exact { name == pattern } else { name.contains(pattern) }
    }

    fn selects(&self, name: &str) -> bool {
        !self.ignored_only
            && (self.filters.is_empty() || self.filters.iter().any(|f| self.matches(f, name)))
            && !self.skips.iter().any(|s| self.matches(s, name))
    }
}

// ---------------------------------------------------------------------------------------------
// Main

fn main() -> ExitCode {
    let args = Args::parse(std::env::args().skip(1));
    let selected: Vec<Suite> = Suite::ALL.into_iter().filter(|s| args.selects(s.name())).collect();
    if args.list {
        for suite in &selected {
            println!("{}: test", suite.name());
        }
        return ExitCode::SUCCESS;
    }
    if selected.is_empty() {
        println!("\nrunning 0 external suites ({} filtered out)\n", Suite::ALL.len());
        return ExitCode::SUCCESS;
    }
    let root = Path::new(ROOT);
    let names: Vec<&str> = selected.iter().map(|s| s.name()).collect();
    println!("\nrunning {} external suite(s): {}", selected.len(), names.join(", "));

    let mut results: Vec<(&str, Outcome, Duration)> = Vec::new();
    if let Err(why) = check_sorts_last(root) {
        println!("\n{why}");
        results.push(("test target order", Outcome::Failed(why), Duration::ZERO));
    }

    let needed: Vec<&str> = selected.iter().flat_map(|s| s.packages()).copied().collect();
    let npm = provision(root, &needed);

    for suite in selected {
        println!("\n--- {}: {}", suite.name(), suite.title());
        flush();
        let started = Instant::now();
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| suite.run(root, &npm)))
            .unwrap_or_else(|payload| Outcome::Failed(format!("panicked: {}", panic_message(&*payload))));
        let took = started.elapsed();
        match &outcome {
            Outcome::Ran(detail) => {
                println!("--- {}: ok ({detail}), {:.1} s", suite.name(), took.as_secs_f64());
            }
            Outcome::Failed(detail) => println!("--- {}: FAILED: {detail}", suite.name()),
            Outcome::Skipped(missing) => {
                let what: Vec<&str> = missing.iter().map(|m| m.what.as_str()).collect();
                println!("--- {}: SKIPPED: {}", suite.name(), what.join("; "));
            }
        }
        results.push((suite.title(), outcome, took));
    }
    summary(&results, std::env::var_os("CI").is_some())
}

/// The block that ends the run, and the exit code: failure if a suite failed, or if one was
/// skipped under CI.
fn summary(results: &[(&str, Outcome, Duration)], ci: bool) -> ExitCode {
    let mut out = String::from("\nexternal suites\n");
    let (mut ran, mut skipped, mut failed) = (0, 0, 0);
    for (title, outcome, took) in results {
        let secs = took.as_secs_f64();
        match outcome {
            Outcome::Ran(detail) => {
                ran += 1;
                let _ = writeln!(out, "  ran      {title} ({detail}, {secs:.1} s)");
            }
            Outcome::Failed(detail) => {
                failed += 1;
                let _ = writeln!(out, "  FAILED   {title}: {detail}");
            }
            Outcome::Skipped(missing) => {
                skipped += 1;
                if let [only] = missing.as_slice() {
                    let _ = writeln!(out, "  SKIPPED  {title}: {} — {}", only.what, only.fix);
                } else {
                    let _ = writeln!(out, "  SKIPPED  {title}:");
                    for m in missing {
                        let _ = writeln!(out, "             {} — {}", m.what, m.fix);
                    }
                }
            }
        }
    }
    let counts = format!("{ran} ran, {skipped} skipped, {failed} failed");
    let code = if failed > 0 {
        let _ = writeln!(out, "result: FAILED. {counts}");
        ExitCode::FAILURE
    } else if skipped > 0 && ci {
        let _ =
            writeln!(out, "result: FAILED. {counts} — CI is set, so a suite that cannot run fails the run");
        ExitCode::FAILURE
    } else if skipped > 0 {
        let _ = writeln!(
            out,
            "result: ok, but what the SKIPPED suites check was NOT checked. {counts}\n        \
             (install what they lack, above; under CI, with `CI` set, a skip fails)"
        );
        ExitCode::SUCCESS
    } else {
        let _ = writeln!(out, "result: ok. {counts}");
        ExitCode::SUCCESS
    };
    println!("{out}");
    flush();
    code
}

fn flush() {
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".to_owned())
}

/// Fails when another integration test target sorts after this one: cargo runs them in name
/// order, and this target must run last so that its summary of skipped suites is the last
/// thing `cargo test`'s integration tests print, not buried under another target's output.
fn check_sorts_last(root: &Path) -> Result<(), String> {
    let dir = root.join("tests");
    let entries = fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut later: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let path = entry.path();
            // A target is `tests/NAME.rs` or `tests/NAME/main.rs`.
            let (name, file) = if path.is_dir() && path.join("main.rs").is_file() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let file = format!("tests/{name}/main.rs");
                (name, file)
            } else if path.is_file() && path.extension()? == "rs" {
                let name = path.file_stem()?.to_string_lossy().into_owned();
                let file = format!("tests/{name}.rs");
                (name, file)
            } else {
                return None;
            };
            (name.as_str() > THIS_TARGET).then_some(file)
        })
        .collect();
    later.sort();
    if later.is_empty() {
        return Ok(());
    }
    Err(format!(
        "tests/{THIS_TARGET}.rs must sort last among the integration tests, but {} sort(s) after it: cargo \
         runs test targets in name order, and this target prints the summary of the external suites \
         (which of them were SKIPPED and how to install what they lack), which must be the last thing \
         the integration tests print. Rename {} to sort before \"{THIS_TARGET}\".",
        later.join(", "),
        if later.len() == 1 { "it" } else { "them" },
    ))
}

// ---------------------------------------------------------------------------------------------
// Tools and npm packages

/// Runs `program args` to see that it is there; the reason in words if it is not.
fn probe(program: &str, args: &[&str]) -> Result<(), String> {
    match Command::new(program).args(args).stdin(Stdio::null()).output() {
        Ok(out) if out.status.success() => Ok(()),
        Ok(out) => Err(format!("`{program} {}` failed ({})", args.join(" "), out.status)),
        Err(e) if e.kind() == ErrorKind::NotFound => Err(format!("`{program}` not found on PATH")),
        Err(e) => Err(format!("`{program}` does not start: {e}")),
    }
}

/// The state of `node_modules` after provisioning.
#[derive(Debug)]
enum Npm {
    /// Nothing was missing, or `npm ci` ran and succeeded.
    Ok,
    /// Something was missing and `npm` cannot run (the reason).
    Absent(String),
    /// `npm ci` failed (the reason, from its output).
    Failed(String),
}

fn missing_packages<'a>(root: &Path, packages: &[&'a str]) -> Vec<&'a str> {
    packages
        .iter()
        .filter(|p| !root.join("node_modules").join(p).join("package.json").is_file())
        .copied()
        .collect()
}

/// Runs `npm ci` when `node_modules` lacks one of `needed` and npm is there.
fn provision(root: &Path, needed: &[&str]) -> Npm {
    let missing = missing_packages(root, needed);
    if missing.is_empty() {
        return Npm::Ok;
    }
    if let Err(why) = probe("npm", &["--version"]) {
        println!("\nprovisioning: node_modules lacks {}, and {why}: cannot run `npm ci`", missing.join(", "));
        return Npm::Absent(why);
    }
    let _lock = NpmLock::acquire();
    let missing = missing_packages(root, needed);
    if missing.is_empty() {
        println!("provisioning: another run has installed the npm packages meanwhile");
        return Npm::Ok;
    }
    println!(
        "\nprovisioning: node_modules lacks {}; running `npm {}` in {}",
        missing.join(", "),
        NPM_CI.join(" "),
        root.display()
    );
    flush();
    let started = Instant::now();
    let out = match Command::new("npm").args(NPM_CI).current_dir(root).stdin(Stdio::null()).output() {
        Ok(out) => out,
        Err(e) => {
            println!("provisioning: npm does not start: {e}");
            return Npm::Failed(format!("npm does not start: {e}"));
        }
    };
    for line in
        String::from_utf8_lossy(&out.stdout).lines().chain(String::from_utf8_lossy(&out.stderr).lines())
    {
        // npm's JavaScript stack frames say nothing about what is missing
        let frame = line.trim_start_matches("npm error").trim_start().starts_with("at ");
        if !line.trim().is_empty() && !frame {
            println!("  | {line}");
        }
    }
    if out.status.success() {
        println!("provisioning: `npm ci` done in {:.1} s", started.elapsed().as_secs_f64());
        Npm::Ok
    } else {
        let why = npm_error(&String::from_utf8_lossy(&out.stderr))
            .unwrap_or_else(|| format!("npm exited with {}", out.status));
        println!("provisioning: `npm ci` FAILED: {why}");
        Npm::Failed(why)
    }
}

/// The line of npm's error output that says what went wrong: npm's very last line only
/// points at its log file, and the ones before it are often generic advice, so this takes the
/// first message after the `code`/`syscall`/`errno` lines (e.g. "request to … failed, reason:
/// getaddrinfo ENOTFOUND registry.npmjs.org"), prefixed with the code.
fn npm_error(stderr: &str) -> Option<String> {
    let lines: Vec<&str> = stderr
        .lines()
        .map(|l| l.strip_prefix("npm error").or_else(|| l.strip_prefix("npm ERR!")).unwrap_or(l).trim())
        .filter(|l| !l.is_empty() && !l.contains("A complete log of this run"))
        .collect();
    let code = lines.iter().find_map(|l| l.strip_prefix("code "));
    let message = lines
        .iter()
        .find(|l| !["code ", "syscall ", "errno "].iter().any(|p| l.starts_with(p)))
        .or(lines.last())?;
    Some(match code {
        Some(code) if !message.contains(code) => format!("{code}: {message}"),
        _ => (*message).to_owned(),
    })
}

/// What a suite lacks of the npm packages `packages`, after provisioning.
fn package_gap(root: &Path, packages: &[&str], npm: &Npm) -> Option<Missing> {
    let missing = missing_packages(root, packages);
    if missing.is_empty() {
        return None;
    }
    let list = missing.iter().map(|p| format!("node_modules/{p}")).collect::<Vec<_>>().join(", ");
    Some(match npm {
        Npm::Absent(why) => Missing::new(
            format!("{list} not installed, and {why} to install it"),
            format!("{INSTALL_NODE}, then {RUN_NPM_CI}"),
        ),
        Npm::Failed(why) => Missing::new(
            format!("{list} not installed: `npm ci` failed: {why}"),
            format!("{RUN_NPM_CI} (it needs the npm registry)"),
        ),
        Npm::Ok => Missing::new(
            format!("{list} not installed even by `npm ci`"),
            format!("list it in package.json and package-lock.json, then {RUN_NPM_CI}"),
        ),
    })
}

/// A lock file in target/ so that two test runs do not run `npm ci` over each other. It holds
/// the owner's process id; a lock whose owner is gone is taken over.
#[derive(Debug)]
struct NpmLock(PathBuf);

impl NpmLock {
    /// The lock, once no other live run holds it; `None` if the lock file cannot be made (then
    /// run unguarded rather than not at all).
    fn acquire() -> Option<NpmLock> {
        let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("certwise-npm-ci.lock");
        fs::create_dir_all(path.parent()?).ok()?;
        let mut said = false;
        loop {
            match fs::OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut file) => {
                    let _ = write!(file, "{}", std::process::id());
                    return Some(NpmLock(path));
                }
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                    if lock_is_stale(&path) {
                        let _ = fs::remove_file(&path);
                        continue;
                    }
                    if !said {
                        println!("\nprovisioning: waiting for another run's `npm ci` ({})", path.display());
                        said = true;
                    }
                    std::thread::sleep(Duration::from_millis(250));
                }
                Err(_) => return None,
            }
        }
    }
}

impl Drop for NpmLock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

/// Whether the process that holds the lock is gone (or, where that cannot be seen, whether the
/// lock is older than any `npm ci` takes).
fn lock_is_stale(path: &Path) -> bool {
    let pid = fs::read_to_string(path).ok().and_then(|s| s.trim().parse::<u32>().ok());
    match pid {
        Some(pid) if Path::new("/proc/self").exists() => !Path::new(&format!("/proc/{pid}")).exists(),
        _ => fs::metadata(path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| SystemTime::now().duration_since(t).ok())
            .is_some_and(|age| age > Duration::from_secs(15 * 60)),
    }
}

// ---------------------------------------------------------------------------------------------
// The Nu HTML Checker over every page type

fn html_validity(root: &Path, npm: &Npm) -> Outcome {
    let mut missing = Vec::new();
    if let Err(why) = probe("java", &["-version"]) {
        missing.push(Missing::new(why, INSTALL_JAVA));
    }
    let jar = if let Some(jar) = std::env::var_os("VNU_JAR") {
        let jar = PathBuf::from(jar);
        if !jar.is_file() {
            missing.push(Missing::new(
                format!("VNU_JAR={} is not a file", jar.display()),
                format!("point VNU_JAR at vnu.jar, or unset it and {RUN_NPM_CI}"),
            ));
        }
        jar
    } else {
        if let Some(gap) = package_gap(root, &["vnu-jar"], npm) {
            missing.push(gap);
        } else if !root.join(VNU_JAR).is_file() {
            missing.push(Missing::new(format!("{VNU_JAR} not found"), RUN_NPM_CI));
        }
        root.join(VNU_JAR)
    };
    if !missing.is_empty() {
        return Outcome::Skipped(missing);
    }

    let dir = tempfile::tempdir().expect("a temporary directory");
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime");
    let (files, wrong_status) = runtime.block_on(render_pages(dir.path()));
    for line in &wrong_status {
        println!("wrong status: {line}");
    }
    println!("checking {} pages with the Nu HTML Checker", files.len());
    flush();

    let out = match Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--format", "json"])
        .args(files.iter().map(|(f, _)| f))
        .output()
    {
        Ok(out) => out,
        Err(e) => return Outcome::Failed(format!("`java -jar {}` does not start: {e}", jar.display())),
    };
    let report: serde_json::Value =
        match serde_json::from_slice(&out.stderr).or_else(|_| serde_json::from_slice(&out.stdout)) {
            Ok(report) => report,
            Err(e) => {
                println!("vnu output:\n{}", String::from_utf8_lossy(&out.stderr));
                return Outcome::Failed(format!("vnu output is not JSON ({e}); it is printed above"));
            }
        };
    let Some(messages) = report["messages"].as_array() else {
        return Outcome::Failed(format!("vnu's JSON has no \"messages\" array: {report}"));
    };
    let errors: Vec<String> = messages
        .iter()
        .filter(|m| m["type"] == "error" || m["subType"] == "fatal")
        .map(|m| {
            let url = m["url"].as_str().unwrap_or_default();
            let page = files
                .iter()
                .find(|(f, _)| url.ends_with(&*f.file_name().unwrap_or_default().to_string_lossy()))
                .map_or(url, |(_, p)| p);
            format!("{page}:{}: {}", m["lastLine"], m["message"].as_str().unwrap_or_default())
        })
        .collect();
    if !errors.is_empty() {
        println!("Nu HTML Checker errors:\n{}", errors.join("\n"));
    }
    if errors.is_empty() && wrong_status.is_empty() {
        Outcome::Ran(format!("{} pages, 0 errors", files.len()))
    } else {
        Outcome::Failed(format!(
            "{} errors in {} pages, {} pages with the wrong status (listed above)",
            errors.len(),
            files.len(),
            wrong_status.len()
        ))
    }
}

/// Renders every page type into `dir`, one file per page: the files with the path each came
/// from, and the pages whose status was not the expected one.
async fn render_pages(dir: &Path) -> (Vec<(PathBuf, String)>, Vec<String>) {
    let sample = common::sample().await;
    let other = common::app(&common::fixture("other-vendor"), "2026-11-26").await;
    // After MS-102's retirement: the retired and staleness notices.
    let later = common::app(&common::sample_content(), "2026-12-01").await;
    let mut pages: Vec<(&certwise::web::App, String, u16)> = [
        ("/en/", 200),
        ("/en/answers/", 200),
        ("/en/answers/?topic=microsoft-365", 200),
        ("/en/answers/md-102-vs-ms-102-difference", 200),
        ("/en/certifications/", 200),
        ("/en/certifications/?level=expert", 200),
        ("/en/certifications/?vendor=Nobody-Else", 400),
        ("/en/certifications/md-102", 200),
        ("/en/certifications/ms-102", 200),
        ("/en/courses/md-102-endpoint-administrator", 200),
        ("/en/topics/md-102", 200),
        ("/en/topics/certification", 200),
        ("/en/experts/andrea-keller", 200),
        ("/en/topics/", 200),
        ("/en/courses/", 200),
        ("/en/courses/?upcoming=1&delivery=virtual", 200),
        ("/en/courses/md-102-endpoint-administrator?session=2027-02-online", 200),
        ("/en/courses/ms-102-microsoft-365-administrator", 200),
        ("/en/courses/md-102-endpoint-administrator/thanks", 200),
        ("/en/imprint", 200),
        ("/en/privacy", 200),
        ("/en/about", 200),
        ("/en/cookies", 200),
        ("/en/cookies?return_to=%2Fen%2Fanswers%2F", 200),
        ("/en/compare/md-102-vs-ms-102", 200),
        ("/en/compare/az-900-vs-az-104-vs-az-305-vs-az-700", 200),
        ("/en/compare/md-102-vs-zz-999", 404),
        ("/en/advisor", 200),
        ("/en/advisor?device-fleet=3&endpoint-security=3", 200),
        ("/en/advisor?identity-access=2&tenant-administration=3&compliance-data-protection=2", 200),
        ("/en/advisor?device-fleet=3&bogus=2&held=ZZ-1", 200),
        ("/en/plan", 200),
        ("/en/search", 200),
        ("/en/search?q=md102", 200),
        ("/en/search?q=intnue&kind=answer", 200),
        ("/en/no-such-page", 404),
        ("/en/answers/?page=x", 400),
        // German and French: translated catalog fields, English stand-ins in `lang="en"`.
        ("/de/answers/md-102-vs-ms-102-unterschied", 200),
        ("/fr/answers/ms-102-retrait-que-faire", 200),
        ("/de/certifications/", 200),
        ("/de/certifications/md-102", 200),
        ("/de/certifications/sc-200", 200),
        ("/de/courses/md-102-endpoint-administrator", 200),
        ("/fr/topics/", 200),
        ("/fr/topics/security", 200),
        ("/fr/compare/md-102-vs-ms-102", 200),
        ("/de/advisor?device-fleet=3&endpoint-security=3", 200),
        ("/fr/plan", 200),
    ]
    .into_iter()
    .map(|(p, s)| (&sample, p.to_owned(), s))
    .collect();
    for path in ["/en/answers/md-102-vs-ms-102-difference", "/en/certifications/ms-102", "/en/"] {
        pages.push((&later, path.to_owned(), 200));
    }
    // every answer of both content sets: hostile Markdown included
    for (app, name) in [(&sample, "sample"), (&other, "other")] {
        let list = common::get(app, "/api/v1/answers?locale=en").await.json();
        for item in list["items"].as_array().expect("items") {
            pages.push((app, format!("/en/answers/{}", item["slug"].as_str().expect("slug")), 200));
        }
        let certs = common::get(app, "/api/v1/certifications").await.json();
        for c in certs["items"].as_array().expect("items").iter().take(if name == "sample" { 3 } else { 10 })
        {
            pages.push((
                app,
                format!("/en/certifications/{}", c["code"].as_str().expect("code").to_ascii_lowercase()),
                200,
            ));
        }
    }
    let mut files = Vec::new();
    let mut wrong_status = Vec::new();
    for (i, (app, path, status)) in pages.iter().enumerate() {
        let r = common::get(app, path).await;
        if r.status.as_u16() != *status {
            wrong_status.push(format!("{path}: {} (expected {status})", r.status));
        }
        let file = dir.join(format!("page-{i:03}.html"));
        fs::write(&file, &r.body).unwrap_or_else(|e| panic!("cannot write {}: {e}", file.display()));
        files.push((file, path.clone()));
    }
    let (posted, refused) = posted_pages(&sample, dir).await;
    files.extend(posted);
    wrong_status.extend(refused);
    files.extend(exported_pages(dir).await);
    (files, wrong_status)
}

/// Each page type of the static export (`certwise export`) of the sample site, without and
/// with a live site: the files a static server sends, copied under names of their own.
async fn exported_pages(dir: &Path) -> Vec<(PathBuf, String)> {
    const PAGES: &[&str] = &[
        "index.html",
        "404.html",
        "en/index.html",
        "en/answers/index.html",
        "en/answers/md-102-vs-ms-102-difference.html",
        "de/answers/md-102-vs-ms-102-unterschied.html",
        "en/certifications/index.html",
        "en/certifications/md-102.html",
        "en/courses/index.html",
        "en/courses/md-102-endpoint-administrator.html",
        "en/topics/index.html",
        "en/topics/md-102.html",
        "en/experts/andrea-keller.html",
        "en/compare/md-102-vs-ms-102.html",
        "en/cookies.html",
        "en/search.html",
        "en/imprint.html",
        "fr/404.html",
    ];
    let mut files = Vec::new();
    for (name, live) in [("export", None), ("export-live", Some("https://live.example.ch"))] {
        let state = common::state(&common::sample_content(), "2026-11-26").await;
        let out = dir.join(name);
        let options = certwise::static_site::Options { out: out.clone(), live: live.map(str::to_owned) };
        certwise::static_site::export(&state, &options).await.expect("the sample site exports");
        for (i, page) in PAGES.iter().enumerate() {
            let file = dir.join(format!("{name}-{i:03}.html"));
            fs::copy(out.join(page), &file).unwrap_or_else(|e| panic!("{name}/{page}: {e}"));
            files.push((file, format!("{name}: /{page}")));
        }
    }
    files
}

/// The pages a POST answers: the inquiry form with every field's message, the team plan.
async fn posted_pages(sample: &certwise::web::App, dir: &Path) -> (Vec<(PathBuf, String)>, Vec<String>) {
    let mut files = Vec::new();
    let mut wrong_status = Vec::new();
    // The inquiry form shown again with every field's message (a POST, so not above).
    let course = "/en/courses/md-102-endpoint-administrator";
    let page = common::get(sample, course).await.body;
    let at = page.find("name=\"token\" value=\"").expect("a form token") + 20;
    let token = &page[at..at + page[at..].find('"').expect("the token ends")];
    let form = format!(
        "token={token}&name=&email=mia%40localhost&company={}&message=%3Cb%3E&website=",
        "x".repeat(121)
    );
    let req = axum::http::Request::post(format!("{course}/inquiry"))
        .header("host", "127.0.0.1:8080")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(form))
        .expect("a request");
    let r = common::request(sample, req).await;
    let label = format!("POST {course}/inquiry (with mistakes)");
    if r.status.as_u16() != 422 {
        wrong_status.push(format!("{label}: {} (expected 422)", r.status));
    }
    let file = dir.join("page-post-inquiry.html");
    fs::write(&file, &r.body).unwrap_or_else(|e| panic!("cannot write {}: {e}", file.display()));
    files.push((file, label));
    // The team plan (a POST): people with mismatches, a row that could not be planned.
    let team = "name,responsibilities,held,assigned\nAlex Muster,device-fleet:3;endpoint-security:2,,MS-102\n\
                Sam Beispiel,tenant-administration:3;identity-access:2,MD-102,\nBad Row,nonsense:3,,\n";
    let req = axum::http::Request::post("/en/plan")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(format!(
            "csv={}",
            form_urlencoded::byte_serialize(team.as_bytes()).collect::<String>()
        )))
        .expect("a request");
    let r = common::request(sample, req).await;
    let label = "POST /en/plan (a team with mismatches and a bad row)".to_owned();
    if r.status.as_u16() != 200 {
        wrong_status.push(format!("{label}: {} (expected 200)", r.status));
    }
    let file = dir.join("page-post-plan.html");
    fs::write(&file, &r.body).unwrap_or_else(|e| panic!("cannot write {}: {e}", file.display()));
    files.push((file, label));
    (files, wrong_status)
}

// ---------------------------------------------------------------------------------------------
// The browser suite

fn browser(root: &Path, npm: &Npm) -> Outcome {
    let mut missing = Vec::new();
    if let Err(why) = probe("node", &["--version"]) {
        missing.push(Missing::new(why, INSTALL_NODE));
    }
    missing.extend(package_gap(root, BROWSER_PACKAGES, npm));
    match std::env::var_os("CHROMIUM") {
        Some(chromium) if !Path::new(&chromium).is_file() => missing.push(Missing::new(
            format!("CHROMIUM={} is not a file", Path::new(&chromium).display()),
            format!("point CHROMIUM at a Chromium binary, or unset it and {INSTALL_CHROMIUM}"),
        )),
        None if !Path::new(CHROMIUM).is_file() => {
            missing.push(Missing::new(format!("{CHROMIUM} not found"), INSTALL_CHROMIUM));
        }
        _ => {}
    }
    if !missing.is_empty() {
        return Outcome::Skipped(missing);
    }
    let files = match test_files(root) {
        Ok(files) if files.is_empty() => return Outcome::Failed("no tests/browser/*.test.mjs".to_owned()),
        Ok(files) => files,
        Err(why) => return Outcome::Failed(why),
    };
    flush();
    // stdout and stderr are inherited: the runner's report streams as it goes.
    let status = Command::new("node")
        .args(["--test", "--test-reporter=spec"])
        .args(&files)
        .current_dir(root)
        .env("CERTWISE_BIN", env!("CARGO_BIN_EXE_certwise"))
        .stdin(Stdio::null())
        .status();
    match status {
        Ok(status) if status.success() => {
            let plural = if files.len() == 1 { "" } else { "s" };
            Outcome::Ran(format!("{} test file{plural}, all passed", files.len()))
        }
        Ok(status) => Outcome::Failed(format!("`node --test` failed ({status}); see its report above")),
        Err(e) => Outcome::Failed(format!("`node` does not start: {e}")),
    }
}

/// The suite's files, in a stable order. Passed by name, because how `node --test` treats a
/// directory argument differs between Node versions.
fn test_files(root: &Path) -> Result<Vec<PathBuf>, String> {
    let dir = root.join("tests/browser");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.ends_with(".test.mjs")))
        .collect();
    files.sort();
    Ok(files)
}
