//! `protocol-tests [PATH ...]`: runs botocore's protocol compliance suites through the runtime
//! codecs and compares the results as botocore's own runner does.
//!
//! Each PATH is a test file or a folder (walked for `*.json`); a folder's
//! `protocol-tests-ignore-list.json` applies to the files below it. Without PATH it runs
//! `tests/protocol`. Prints one `FAIL file | suite | case | difference` line per failure, totals
//! per protocol, and finally `N passed, N failed, N skipped`; exits non-zero when a case failed.

use boto_tests::conformance;
use boto_tests::workspace_root;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("usage: protocol-tests [PATH ...]  (default: tests/protocol)");
        return ExitCode::SUCCESS;
    }
    let paths = if args.is_empty() {
        vec![workspace_root().join("tests").join("protocol")]
    } else {
        args
    };
    if let Some(missing) = paths.iter().find(|p| !p.exists()) {
        eprintln!("protocol-tests: {} does not exist", missing.display());
        return ExitCode::from(2);
    }
    // A codec panic is reported as that case's failure; keep the default hook's noise out.
    std::panic::set_hook(Box::new(|_| {}));
    let report = conformance::run(&paths);
    let cwd = std::env::current_dir().ok();
    for r in report.failures() {
        if let Some(line) = r.fail_line(cwd.as_deref()) {
            println!("{line}");
        }
    }
    for (protocol, counts) in report.counts_by_protocol() {
        let name = if protocol.is_empty() {
            "(unreadable files)"
        } else {
            &protocol
        };
        println!("{name}: {counts}");
    }
    let total = report.counts();
    println!("{total}");
    if total.failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
