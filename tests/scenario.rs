//! The README's scenario (ec2 instances with a waiter and a collection; an s3 bucket, a
//! paginated listing and a transfer; a dynamodb table, a scan and a query; sqs send and receive)
//! in boto-rs and in boto3: `examples/scenario.rs` and its twin `examples/scenario.py`. The
//! Rust takes at most 1.5x the lines of the Python, and both run against moto and print the same.

use boto_tests::Moto;
use std::path::PathBuf;
use std::process::Command;

/// Lines of code: not blank, not only a comment.
fn code_lines(text: &str, comment: &str) -> usize {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with(comment))
        .count()
}

fn example(name: &str) -> String {
    let path = boto_tests::workspace_root()
        .join("tests/examples")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_rust_scenario_takes_at_most_one_and_a_half_times_the_lines_of_its_boto3_twin() {
    let rust = code_lines(&example("scenario.rs"), "//");
    let python = code_lines(&example("scenario.py"), "#");
    assert!(python > 40, "the boto3 scenario has {python} lines");
    assert!(
        rust as f64 <= 1.5 * python as f64,
        "boto-rs {rust} lines against boto3's {python}: {:.2}x",
        rust as f64 / python as f64
    );
    // No line longer than the formatters' 100 columns makes the count smaller.
    for (name, text) in [
        ("scenario.rs", example("scenario.rs")),
        ("scenario.py", example("scenario.py")),
    ] {
        for line in text.lines() {
            assert!(line.chars().count() <= 100, "{name}: {line}");
        }
    }
}

/// The example's binary: `cargo test` builds a package's examples beside its tests; when only this
/// test was built, it is built here.
fn scenario_binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let debug = exe.parent().and_then(|deps| deps.parent()).unwrap();
    let binary = debug.join("examples").join("scenario");
    if !binary.exists() {
        let status = Command::new(env!("CARGO"))
            .args([
                "build",
                "--quiet",
                "-p",
                "boto-tests",
                "--example",
                "scenario",
            ])
            .current_dir(boto_tests::workspace_root())
            .status()
            .expect("run cargo build --example scenario");
        assert!(status.success(), "cargo build --example scenario failed");
    }
    binary
}

/// What a scenario printed, run in a scratch folder against `moto`.
fn run(mut cmd: Command, moto: &Moto, what: &str) -> Vec<String> {
    let dir = std::env::temp_dir().join(format!("boto-rs-scenario-{what}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = cmd
        .current_dir(&dir)
        .env("AWS_ENDPOINT_URL", &moto.url)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env_remove("AWS_PROFILE")
        .output()
        .unwrap_or_else(|e| panic!("run the {what} scenario: {e}"));
    let copied = std::fs::read_to_string(dir.join("report-copy.txt"));
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        out.status.success(),
        "the {what} scenario failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(copied.ok().as_deref(), Some("quarterly report"), "{what}");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn both_scenarios_run_against_moto_and_print_the_same() {
    let (rs_moto, py_moto) = (Moto::start(), Moto::start());
    let rs = run(Command::new(scenario_binary()), &rs_moto, "boto-rs");
    let mut py = Command::new("python3");
    py.arg(boto_tests::workspace_root().join("tests/examples/scenario.py"));
    let py = run(py, &py_moto, "boto3");
    assert_eq!(rs, py);
    for expected in [
        "instances: 2",
        "object: logs/0.txt 5",
        "object: logs/2.txt 5",
        "scanned: 3",
        "found: 1",
        "found: 2",
        "message: job 1",
    ] {
        assert!(rs.iter().any(|l| l == expected), "{expected} not in {rs:?}");
    }
}
