//! `cargo xtask`, the command line of the xtask library: generate crates from models, check
//! freshness, refresh models, run the tests, protocol suites, benchmarks and fuzzing.

use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::time::Instant;
use xtask::generate::{self, Job};
use xtask::{display_path, models, plural, root, testrun};

const USAGE: &str = "usage: cargo xtask <command>

commands:
  generate [--check] [--service NAME]... [--all] [--models DIR] [--out DIR] [--protocol P]
      generate crates from models/ into generated/ (only changed files are written,
      stale files removed); --check lists differences and fails instead; without --service,
      the committed default set; --all, every service folder of the models (use with --out)
  check-all [--out DIR] [--service NAME]...
      generate every service of models/ into a scratch workspace (default: boto-rs-check-all
      in the temporary folder, reused by the next run) and type-check them all
  update-models [--version V] [--botocore DIR --boto3 DIR]
      refresh models/ from the installed botocore/boto3, or from wheels of version V
      (pip download), and print what changed per service
  protocol-tests [PATH]...
      run botocore-format protocol test files or folders (default: tests/protocol)
  endpoint-tests [PATH]...
      run botocore-format endpoint tests: folders of <service>/endpoint-tests-1.json against
      models/<service>/'s rule set (default: tests/endpoints); ends with 'N passed, N failed'
  test [ARGS]...
      run the whole test suite: every test binary runs even when one fails, and all
      failures are listed at the end (installs moto[server] with pip when it is missing)
  docs
      build the documentation of the runtime and of every crate in generated/ (all features),
      failing on any rustdoc warning
  bench [--compare]
      benchmarks: generated size, build time and memory, parse and request speed
  fuzz [CASES]
      fuzz the response parsers of every protocol and the model parser (default 200000 cases
      per target; the test suite runs 400)";

/// Runs the command named by the first argument.
fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("generate") => generate(&args[1..]),
        Some("check-all") => {
            xtask::checkall::Options::parse(&args[1..]).and_then(|o| xtask::checkall::check_all(&o))
        }
        Some("update-models") => models::update_models(&root(), &args[1..]),
        Some("protocol-tests") => protocol_tests(&args[1..]),
        Some("endpoint-tests") => run_tests_bin("endpoint-tests", &args[1..]),
        Some("test") => test(&args[1..]),
        Some("bench") => bench(&args[1..]),
        Some("docs") => docs(),
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

/// The options of `cargo xtask generate`.
struct GenArgs {
    check: bool,
    services: Vec<String>,
    models: PathBuf,
    out: PathBuf,
    protocol: Option<String>,
    /// Nothing but `--check` was given: also generate the test fixtures.
    default_set: bool,
}

/// Reads the options of `cargo xtask generate`; without `--service`, all services.
fn parse_gen_args(args: &[String]) -> Result<GenArgs, String> {
    let mut g = GenArgs {
        check: false,
        services: Vec::new(),
        models: root().join("models"),
        out: root().join("generated"),
        protocol: None,
        default_set: true,
    };
    let mut all = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut val = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value\n\n{USAGE}"))
        };
        match a.as_str() {
            "--check" => g.check = true,
            "--all" => all = true,
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
    if all {
        if !g.services.is_empty() {
            return Err(format!("--all and --service do not go together\n\n{USAGE}"));
        }
        g.services = xtask::models::service_folders(&g.models)?;
    }
    if g.services.is_empty() {
        g.services = xtask::SERVICES.iter().map(|s| s.to_string()).collect();
    }
    Ok(g)
}

/// `cargo xtask generate [--check]`: generates in memory, then writes what differs (or, with
/// `--check`, lists it and fails).
fn generate(args: &[String]) -> Result<(), String> {
    let g = parse_gen_args(args)?;
    let t = Instant::now();
    // The default set is exactly what the freshness test compares.
    let jobs = if g.default_set {
        generate::default_jobs()
    } else {
        vec![Job {
            label: "service",
            models: g.models.clone(),
            services: g.services.clone(),
            out: g.out.clone(),
            runtime: root().join("runtime"),
        }]
    };
    let mut crates =
        generate::generate_jobs(&jobs, g.protocol.as_deref(), &mut generate::print_progress)?;
    if g.default_set {
        crates.push(generate::partitions_crate()?);
    }
    let diffs = generate::differences(&crates);
    let counts = generate::count_services(&jobs);
    let out = format!("{}/", display_path(&g.out));
    if g.check {
        if diffs.is_empty() {
            println!("{out} is up to date ({counts})");
            Ok(())
        } else {
            Err(format!(
                "{out} is stale; run `cargo xtask generate`:\n  {}",
                diffs
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n  ")
            ))
        }
    } else {
        generate::apply(&diffs)?;
        let removed = diffs.iter().filter(|d| d.content.is_none()).count();
        let written = diffs.len() - removed;
        let total: usize = crates.iter().map(|c| c.files.len()).sum();
        println!(
            "generated {counts} in {:.1} s: {} written, {} unchanged{}",
            t.elapsed().as_secs_f64(),
            plural(written, "file"),
            total - written,
            if removed > 0 {
                format!(", {} removed", plural(removed, "stale file"))
            } else {
                String::new()
            }
        );
        Ok(())
    }
}

/// A `cargo` command (the one running xtask) in the workspace root.
fn cargo() -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(root());
    c
}

/// Runs `c` to the end; an error when it fails.
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

/// `cargo xtask protocol-tests`: the botocore-format protocol suites.
fn protocol_tests(args: &[String]) -> Result<(), String> {
    run_tests_bin("protocol-tests", args)
}

/// Makes sure `moto_server` can run, installing `moto[server]` with pip when it is missing.
fn ensure_moto() -> Result<(), String> {
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

/// `cargo xtask test`: the whole suite, every test binary, failures listed at the end.
fn test(args: &[String]) -> Result<(), String> {
    ensure_moto()?;
    testrun::run_workspace_tests(cargo(), args)
}

/// `cargo xtask bench`: sizes, build, parse and request speed.
/// `cargo xtask docs`: rustdoc over the runtime and every generated crate, warnings as errors.
fn docs() -> Result<(), String> {
    let root = root();
    let mut crates = vec!["boto-runtime".to_string()];
    let dir = root.join("generated");
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", display_path(&dir)))?;
    let mut generated: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("Cargo.toml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    generated.sort();
    crates.extend(generated);
    let t = Instant::now();
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(&root)
        .args(["doc", "--no-deps", "--quiet", "--features", "serde"])
        .env("RUSTDOCFLAGS", "-D warnings");
    for name in &crates[1..] {
        c.args(["-p", name]);
    }
    // The runtime has no `serde` feature: it is documented in a second run.
    let status = c
        .status()
        .map_err(|e| format!("cannot run cargo doc: {e}"))?;
    let runtime = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(&root)
        .args(["doc", "--no-deps", "--quiet", "-p", "boto-runtime"])
        .env("RUSTDOCFLAGS", "-D warnings")
        .status()
        .map_err(|e| format!("cannot run cargo doc: {e}"))?;
    if !status.success() || !runtime.success() {
        return Err("docs: rustdoc warned (the warnings are above)".into());
    }
    // The runtime traits generated types implement stay out of their pages' trait lists; the
    // traits a user calls (serde's, Debug, Clone) are there: a structure's, a string enum's and
    // a union's pages.
    for (page, name) in [
        ("ec2/types/struct.Instance.html", "Instance"),
        ("ec2/types/enum.InstanceStateName.html", "InstanceStateName"),
        ("dynamodb/types/enum.AttributeValue.html", "AttributeValue"),
    ] {
        let page = root.join("target/doc").join(page);
        let html =
            std::fs::read_to_string(&page).map_err(|e| format!("{}: {e}", display_path(&page)))?;
        for hidden in [
            "impl-Structure-for",
            "impl-Value-for",
            "impl-FieldFrom",
            "impl-EnumSlot",
            "impl-StringEnum",
            "impl-Output-for",
            "impl-IntoInput-for",
            "impl-Sink-for",
            "impl-AttributeValueType-for",
            "impl-Operand-for",
        ] {
            if html.contains(hidden) {
                return Err(format!("docs: {} lists `{hidden}`", display_path(&page)));
            }
        }
        for shown in [
            format!("impl-Serialize-for-{name}"),
            format!("impl-Debug-for-{name}"),
            format!("impl-Clone-for-{name}"),
        ] {
            if !html.contains(&shown) {
                return Err(format!(
                    "docs: {} does not list `{shown}`",
                    display_path(&page)
                ));
            }
        }
    }
    println!(
        "docs: {} documented without a warning in {:.0} s",
        plural(crates.len(), "crate"),
        t.elapsed().as_secs_f64()
    );
    Ok(())
}

fn bench(args: &[String]) -> Result<(), String> {
    run_tests_bin("bench", args)
}
