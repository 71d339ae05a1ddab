//! `cargo xtask`: generate crates from models, check freshness, refresh models, run protocol tests, benchmarks.

mod models;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  generate [--check] [--service NAME]... [--models DIR] [--out DIR] [--protocol P]
      generate crates from models/ into generated/ (only changed files are written,
      stale files removed); --check lists differences and fails instead
  update-models [--version V] [--botocore DIR --boto3 DIR]
      refresh models/ from the installed botocore/boto3, or from wheels of version V
      (pip download), and print what changed per service
  protocol-tests [PATH]...
      run botocore-format protocol test files or folders (default: tests/protocol)
  test
      run the whole test suite (installs moto[server] with pip when it is missing)
  bench [--compare]
      benchmarks: generated size, build time and memory, parse and request speed
  fuzz [CASES]
      fuzz the response parsers of every protocol and the model parser (default 200000 cases
      per target; the test suite runs 400)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("generate") => generate(&args[1..]),
        Some("update-models") => models::update_models(&root(), &args[1..]),
        Some("protocol-tests") => protocol_tests(&args[1..]),
        Some("test") => test(&args[1..]),
        Some("bench") => bench(&args[1..]),
        Some("fuzz") => fuzz(&args[1..]),
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is inside the workspace")
        .to_path_buf()
}

/// The services that `generate` builds by default.
pub const DEFAULT_SERVICES: &[&str] = &[
    "cloudformation",
    "cloudwatch",
    "dynamodb",
    "ec2",
    "glacier",
    "iam",
    "s3",
    "sns",
    "sqs",
    "sts",
];

struct GenArgs {
    check: bool,
    services: Vec<String>,
    models: PathBuf,
    out: PathBuf,
    protocol: Option<String>,
    /// Nothing but `--check` was given: also generate the test fixtures.
    default_set: bool,
}

/// One generation job: a models folder, the services in it, and where their crates go.
struct Job {
    models: PathBuf,
    services: Vec<String>,
    out: PathBuf,
}

fn parse_gen_args(args: &[String]) -> Result<GenArgs, String> {
    let mut g = GenArgs {
        check: false,
        services: Vec::new(),
        models: root().join("models"),
        out: root().join("generated"),
        protocol: None,
        default_set: true,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut val = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value\n\n{USAGE}"))
        };
        match a.as_str() {
            "--check" => g.check = true,
            "--service" => g.services.push(val("--service")?),
            "--models" => g.models = PathBuf::from(val("--models")?),
            "--out" => g.out = PathBuf::from(val("--out")?),
            "--protocol" => g.protocol = Some(val("--protocol")?),
            other => return Err(format!("unknown argument {other}\n\n{USAGE}")),
        }
        if a != "--check" {
            g.default_set = false;
        }
    }
    if g.services.is_empty() {
        g.services = DEFAULT_SERVICES.iter().map(|s| s.to_string()).collect();
    }
    Ok(g)
}

/// The relative path from `from` (a generated crate folder) to the runtime crate.
fn runtime_path_from(from: &Path) -> String {
    let root = root();
    let abs = if from.is_absolute() {
        from.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(from)
    };
    match abs.strip_prefix(&root) {
        Ok(rel) => format!("{}runtime", "../".repeat(rel.components().count())),
        Err(_) => root.join("runtime").to_string_lossy().into_owned(),
    }
}

/// The test fixture models (snapshot tests) and where their crates are kept.
fn fixture_job() -> Job {
    let models = root().join("tests/fixtures/models");
    let mut services: Vec<String> = std::fs::read_dir(&models)
        .map(|rd| {
            rd.flatten()
                .filter(|e| e.path().is_dir())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    services.sort();
    Job {
        models,
        services,
        out: root().join("tests/fixtures/generated"),
    }
}

/// Generates every requested service in memory: crate folder name -> files.
pub fn generate_all(
    models: &Path,
    services: &[String],
    out_dir: &Path,
    protocol: Option<&str>,
) -> Result<BTreeMap<String, BTreeMap<String, String>>, String> {
    let mut out = BTreeMap::new();
    let mut errors = Vec::new();
    for svc in services {
        let dir = models.join(svc);
        let text = match models::read_service_model(&dir) {
            Ok(Some(t)) => t,
            Ok(None) => {
                errors.push(format!(
                    "{}: no service-2.json (or .json.gz)",
                    dir.display()
                ));
                continue;
            }
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let crate_name = svc.replace('-', "_");
        let (paginators_json, waiters_json) = match models::read_paginators_and_waiters(&dir) {
            Ok(pw) => pw,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let input = codegen::ServiceInput {
            crate_name: crate_name.clone(),
            service_json: text,
            protocol: protocol.map(str::to_string),
            runtime_path: runtime_path_from(&out_dir.join(&crate_name)),
            paginators_json,
            waiters_json,
            resources_json: match models::read_model(&dir, "resources-1.json") {
                Ok(r) => r,
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            },
        };
        match codegen::generate(&input) {
            Ok(files) => {
                out.insert(svc.clone(), files);
            }
            Err(errs) => errors.extend(errs),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(format!("generation failed:\n  {}", errors.join("\n  ")))
    }
}

fn generate(args: &[String]) -> Result<(), String> {
    let g = parse_gen_args(args)?;
    let t = Instant::now();
    let mut jobs = vec![Job {
        models: g.models.clone(),
        services: g.services.clone(),
        out: g.out.clone(),
    }];
    if g.default_set {
        jobs.push(fixture_job());
    }
    let mut crates = Vec::new();
    for job in &jobs {
        for (svc, files) in
            generate_all(&job.models, &job.services, &job.out, g.protocol.as_deref())?
        {
            crates.push((job.out.join(svc.replace('-', "_")), files));
        }
    }
    let mut diffs = Vec::new();
    let mut written = 0;
    for (dir, files) in &crates {
        // Stale files: anything in the crate folder the generator no longer produces.
        let existing = list_files(dir);
        for rel in &existing {
            if !files.contains_key(rel) {
                diffs.push(format!("stale: {}", dir.join(rel).display()));
                if !g.check {
                    std::fs::remove_file(dir.join(rel))
                        .map_err(|e| format!("{}: {e}", dir.join(rel).display()))?;
                }
            }
        }
        for (rel, content) in files {
            let path = dir.join(rel);
            let current = std::fs::read_to_string(&path).ok();
            if current.as_deref() != Some(content.as_str()) {
                diffs.push(format!(
                    "{}: {}",
                    if current.is_some() {
                        "changed"
                    } else {
                        "missing"
                    },
                    path.display()
                ));
                if !g.check {
                    if let Some(p) = path.parent() {
                        std::fs::create_dir_all(p).map_err(|e| format!("{}: {e}", p.display()))?;
                    }
                    std::fs::write(&path, content)
                        .map_err(|e| format!("{}: {e}", path.display()))?;
                    written += 1;
                }
            }
        }
    }
    if g.check {
        if diffs.is_empty() {
            println!("generated/ is up to date ({} services)", crates.len());
            Ok(())
        } else {
            Err(format!(
                "generated/ is stale; run `cargo xtask generate`:\n  {}",
                diffs.join("\n  ")
            ))
        }
    } else {
        println!(
            "generated {} services in {:.2?}: {} files written, {} unchanged",
            crates.len(),
            t.elapsed(),
            written,
            crates.iter().map(|(_, f)| f.len()).sum::<usize>() - written
        );
        Ok(())
    }
}

fn list_files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(rel) = p.strip_prefix(dir) {
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    out
}

fn cargo() -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(root());
    c
}

fn run(mut c: Command) -> Result<(), String> {
    let status = c.status().map_err(|e| format!("cannot run {c:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{c:?} failed with {status}"))
    }
}

/// Runs one of the test crate's binaries in release mode.
fn run_tests_bin(bin: &str, args: &[String]) -> Result<(), String> {
    let mut c = cargo();
    c.args([
        "run",
        "--quiet",
        "--release",
        "-p",
        "boto-tests",
        "--bin",
        bin,
        "--",
    ]);
    c.args(args);
    run(c)
}

/// The fuzz targets of `tests/fuzz.rs`, optimised, with many more cases than the suite runs.
fn fuzz(args: &[String]) -> Result<(), String> {
    let cases = match args.first() {
        Some(n) => n
            .parse::<u64>()
            .map_err(|_| format!("fuzz: CASES must be a number, got {n:?}"))?,
        None => 200_000,
    };
    let started = std::time::Instant::now();
    let mut c = cargo();
    c.args([
        "test",
        "--release",
        "-p",
        "boto-tests",
        "--test",
        "fuzz",
        "--",
        "--nocapture",
    ])
    .env("FUZZ_CASES", cases.to_string());
    run(c)?;
    println!(
        "fuzz: {cases} cases for each of 3 targets, no panic, in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn protocol_tests(args: &[String]) -> Result<(), String> {
    run_tests_bin("protocol-tests", args)
}

/// Makes sure `moto_server` can run, installing `moto[server]` with pip when it is missing.
pub fn ensure_moto() -> Result<(), String> {
    let ok = Command::new("python3")
        .args(["-c", "import moto.server, flask, flask_cors"])
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if ok {
        return Ok(());
    }
    eprintln!("moto[server] is missing; installing it with pip");
    let mut c = Command::new("python3");
    c.args(["-m", "pip", "install", "--quiet", "moto[server]==5.2.1"]);
    run(c)
}

fn test(args: &[String]) -> Result<(), String> {
    ensure_moto()?;
    let mut c = cargo();
    c.args(["test", "--workspace"]);
    c.args(args);
    run(c)
}

fn bench(args: &[String]) -> Result<(), String> {
    run_tests_bin("bench", args)
}
