//! `endpoint-tests [PATH ...]`: runs botocore-format endpoint rule-set tests through the
//! generator's lowering and the runtime's rules engine.
//!
//! Each PATH is a folder of `<service>/endpoint-tests-1.json` (the rule set is taken from
//! `models/<service>/`), and may hold `_engine/` (the engine's own cases). Without PATH it runs
//! `tests/endpoints`. Prints each failure (service, the case's documentation, expected and actual
//! results) and finally `N passed, N failed`; exits non-zero when a case failed.

use boto_tests::endpoints;
use boto_tests::workspace_root;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("usage: endpoint-tests [PATH ...]  (default: tests/endpoints)");
        return ExitCode::SUCCESS;
    }
    let paths = if args.is_empty() {
        vec![workspace_root().join("tests").join("endpoints")]
    } else {
        args
    };
    let started = std::time::Instant::now();
    let report = match endpoints::run(&paths) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("endpoint-tests: {e}");
            return ExitCode::from(2);
        }
    };
    for f in &report.failures {
        println!("FAIL {f}");
    }
    println!(
        "{} passed, {} failed ({:.1} s)",
        report.passed,
        report.failures.len(),
        started.elapsed().as_secs_f64()
    );
    if report.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
