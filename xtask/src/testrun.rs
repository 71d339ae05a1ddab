//! Running the workspace's tests so that one failing test binary does not hide the others: every
//! binary runs (`--no-fail-fast`), the output is shown as it comes, and all failures are listed
//! again at the end.

use std::io::{BufRead, IsTerminal, Write};
use std::process::Command;
use std::sync::mpsc;
use std::time::Duration;

/// A test binary (or a crate's doc tests) that failed, and the tests in it that failed.
#[derive(Debug, PartialEq, Eq)]
pub struct Failure {
    /// The binary as cargo announces it ("tests/ec2_offline.rs", "doc tests of codegen").
    pub binary: String,
    /// The arguments that rerun only this binary ("-p boto-tests --test ec2_offline").
    pub rerun: Option<String>,
    /// The failing tests; empty when the binary failed without reporting one (a crash).
    pub tests: Vec<String>,
}

/// Reads `cargo test` output line by line (cargo's messages and the binaries' output as they
/// interleave) and notes which binary each failing test is in.
#[derive(Default)]
pub struct FailureLog {
    /// The binary that is running now.
    current: Option<String>,
    failures: Vec<Failure>,
    /// Tests passed, failed and ignored, summed over every binary's `test result:` line.
    totals: [u64; 3],
}

impl FailureLog {
    /// Notes one line of output.
    pub fn line(&mut self, line: &str) {
        let line = strip_ansi(line);
        let t = line.trim();
        if let Some(counts) = t.strip_prefix("test result: ") {
            // "ok. 3 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.1s"
            for part in counts.split(';') {
                let mut words = part.split_whitespace().rev();
                let (Some(what), Some(n)) = (words.next(), words.next()) else {
                    continue;
                };
                let slot = ["passed", "failed", "ignored"]
                    .iter()
                    .position(|w| *w == what);
                if let (Some(i), Ok(n)) = (slot, n.parse::<u64>()) {
                    self.totals[i] += n;
                }
            }
        } else if let Some(rest) = t.strip_prefix("Running ") {
            self.current = Some(binary_name(rest));
        } else if let Some(krate) = t.strip_prefix("Doc-tests ") {
            self.current = Some(format!("doc tests of {krate}"));
        } else if let Some(test) = t
            .strip_prefix("test ")
            .and_then(|r| r.strip_suffix(" ... FAILED"))
            // A quiet run (`-q`) names failing tests only in the headers of their output.
            .or_else(|| {
                t.strip_prefix("---- ")
                    .and_then(|r| r.strip_suffix(" stdout ----"))
            })
        {
            let failure = self.failure();
            if !failure.tests.iter().any(|x| x == test) {
                failure.tests.push(test.to_string());
            }
        } else if let Some(rest) = t
            .strip_prefix("error: test failed, to rerun pass ")
            .or_else(|| t.strip_prefix("error: doctest failed, to rerun pass "))
        {
            self.failure().rerun = Some(rest.trim_matches('`').to_string());
            // The next failure, if any, belongs to another binary.
            self.current = None;
        }
    }

    /// The failure entry of the current binary, added when it is the first failure noted in it.
    fn failure(&mut self) -> &mut Failure {
        let binary = self
            .current
            .clone()
            .unwrap_or_else(|| "an unnamed test binary".to_string());
        let same = self
            .failures
            .last()
            .is_some_and(|f| f.binary == binary && f.rerun.is_none());
        if !same {
            self.failures.push(Failure {
                binary,
                rerun: None,
                tests: Vec::new(),
            });
        }
        self.failures.last_mut().expect("just pushed")
    }

    /// The failures noted, in the order they happened.
    pub fn failures(self) -> Vec<Failure> {
        self.failures
    }

    /// The closing tally over every binary: `tests: N passed, N failed` (and `, N ignored` when
    /// some were).
    pub fn tally(&self) -> String {
        let [passed, failed, ignored] = self.totals;
        let mut line = format!("tests: {passed} passed, {failed} failed");
        if ignored > 0 {
            line.push_str(&format!(", {ignored} ignored"));
        }
        line
    }
}

/// The binary of cargo's "Running" line: "tests/x.rs (target/debug/deps/x-1234)" gives
/// "tests/x.rs"; "unittests src/lib.rs (target/debug/deps/codegen-1234)" gives
/// "unit tests of codegen (src/lib.rs)".
fn binary_name(running: &str) -> String {
    let (source, exe) = match running.rfind(" (") {
        Some(i) if running.ends_with(')') => (&running[..i], &running[i + 2..running.len() - 1]),
        _ => (running, ""),
    };
    match source.strip_prefix("unittests ") {
        Some(src) => {
            let file = exe.rsplit(['/', '\\']).next().unwrap_or(exe);
            let krate = file.rsplit_once('-').map_or(file, |(k, _)| k);
            format!("unit tests of {krate} ({src})")
        }
        None => source.to_string(),
    }
}

/// Removes terminal colour sequences (`ESC [ ... letter`).
fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The report printed after the run: every failing binary with its failing tests.
pub fn report(failures: &[Failure]) -> String {
    let tests: usize = failures.iter().map(|f| f.tests.len()).sum();
    let mut out = format!(
        "{tests} failed test{} in {} test binar{}:",
        if tests == 1 { "" } else { "s" },
        failures.len(),
        if failures.len() == 1 { "y" } else { "ies" }
    );
    for f in failures {
        out.push_str(&format!("\n  {}", f.binary));
        if let Some(r) = &f.rerun {
            out.push_str(&format!(" (rerun: cargo test {r})"));
        }
        if f.tests.is_empty() {
            out.push_str("\n    (no failing test named: the binary itself failed; see above)");
        }
        for t in &f.tests {
            out.push_str(&format!("\n    {t}"));
        }
    }
    out
}

/// Runs `cargo test --workspace --no-fail-fast` with `args`, showing its output as it comes, and
/// fails with a list of every failing test at the end.
pub fn run_workspace_tests(mut cargo: Command, args: &[String]) -> Result<(), String> {
    cargo
        .args(["test", "--workspace", "--no-fail-fast"])
        .args(args);
    if std::io::stdout().is_terminal() && std::env::var_os("CARGO_TERM_COLOR").is_none() {
        cargo.env("CARGO_TERM_COLOR", "always");
    }
    // cargo's messages (stderr) and the test binaries' output (stdout) in one pipe, so that the
    // order in which they were written is kept.
    let (reader, writer) = std::io::pipe().map_err(|e| format!("cannot make a pipe: {e}"))?;
    let writer2 = writer
        .try_clone()
        .map_err(|e| format!("cannot make a pipe: {e}"))?;
    cargo.stdout(writer).stderr(writer2);
    let mut child = cargo
        .spawn()
        .map_err(|e| format!("cannot run {cargo:?}: {e}"))?;
    // The command keeps copies of the pipe's write end; without them, the reader ends when
    // cargo and everything it started have closed theirs.
    drop(cargo);
    let (tx, rx) = mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(reader).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut log = FailureLog::default();
    let mut out = std::io::stdout();
    let mut show = |line: String, log: &mut FailureLog| {
        let _ = writeln!(out, "{line}");
        log.line(&line);
    };
    let status = loop {
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(line) => show(line, &mut log),
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                break child.wait().map_err(|e| e.to_string())?
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
                    // A process a test started may still hold the pipe open: take what is
                    // left and stop when it goes quiet.
                    while let Ok(line) = rx.recv_timeout(Duration::from_secs(2)) {
                        show(line, &mut log);
                    }
                    break status;
                }
            }
        }
    };
    let _ = writeln!(out, "\n{}", log.tally());
    let failures = log.failures();
    if status.success() && failures.is_empty() {
        return Ok(());
    }
    if failures.is_empty() {
        return Err(format!(
            "cargo test failed ({status}) before any test failed; see above"
        ));
    }
    Err(format!("\n{}", report(&failures)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tally_sums_every_binary() {
        let mut log = FailureLog::default();
        log.line("test result: ok. 3 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.10s");
        log.line("\u{1b}[32mtest result: ok. 4 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out\u{1b}[0m");
        assert_eq!(log.tally(), "tests: 7 passed, 0 failed, 1 ignored");
    }

    #[test]
    fn failures_are_listed_by_binary() {
        let output = "\
   Compiling boto-tests v0.1.0
     Running unittests src/lib.rs (target/debug/deps/codegen-0123abcd)
test docs::tests::paragraphs ... ok
test docs::tests::lists ... FAILED
---- docs::tests::lists stdout ----
test result: FAILED. 1 passed; 1 failed
error: test failed, to rerun pass `-p codegen --lib`
     Running tests/ec2_offline.rs (target/debug/deps/ec2_offline-89ab)
test parses_small ... ok
test \u{1b}[1mlarge_describe_instances_parses_every_instance\u{1b}[0m ... FAILED
test another ... FAILED
failures:
test result: FAILED. 1 passed; 2 failed
error: test failed, to rerun pass `-p boto-tests --test ec2_offline`
     Running tests/freshness.rs (target/debug/deps/freshness-77)
error: test failed, to rerun pass `-p boto-tests --test freshness`
   Doc-tests codegen
test codegen/src/lib.rs - generate (line 3) ... FAILED
error: doctest failed, to rerun pass `-p codegen --doc`
     Running tests/quiet.rs (target/debug/deps/quiet-55)
---- quiet_one stdout ----
error: test failed, to rerun pass `-p boto-tests --test quiet`
";
        let mut log = FailureLog::default();
        for l in output.lines() {
            log.line(l);
        }
        assert_eq!(log.tally(), "tests: 2 passed, 3 failed");
        let f = log.failures();
        assert_eq!(
            f,
            vec![
                Failure {
                    binary: "unit tests of codegen (src/lib.rs)".into(),
                    rerun: Some("-p codegen --lib".into()),
                    tests: vec!["docs::tests::lists".into()],
                },
                Failure {
                    binary: "tests/ec2_offline.rs".into(),
                    rerun: Some("-p boto-tests --test ec2_offline".into()),
                    tests: vec![
                        "large_describe_instances_parses_every_instance".into(),
                        "another".into()
                    ],
                },
                Failure {
                    binary: "tests/freshness.rs".into(),
                    rerun: Some("-p boto-tests --test freshness".into()),
                    tests: vec![],
                },
                Failure {
                    binary: "doc tests of codegen".into(),
                    rerun: Some("-p codegen --doc".into()),
                    tests: vec!["codegen/src/lib.rs - generate (line 3)".into()],
                },
                Failure {
                    binary: "tests/quiet.rs".into(),
                    rerun: Some("-p boto-tests --test quiet".into()),
                    tests: vec!["quiet_one".into()],
                },
            ]
        );
        let r = report(&f);
        assert!(r.starts_with("5 failed tests in 5 test binaries:"), "{r}");
        assert!(r.contains(
            "\n  tests/ec2_offline.rs (rerun: cargo test -p boto-tests --test ec2_offline)\n    large_describe_instances_parses_every_instance\n    another"
        ), "{r}");
        assert!(r.contains("the binary itself failed"), "{r}");
    }
}
