//! `cargo xtask check-all`: generates every service of `models/` into a scratch workspace and
//! type-checks and packages all of them, so a generator change cannot break a crate that is not
//! committed.

use crate::generate::{self, Job};
use crate::{display_path, models, plural, root};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The options of `cargo xtask check-all`.
pub struct Options {
    /// The scratch workspace (default: `boto-rs-check-all` in the system's temporary folder).
    pub out: PathBuf,
    /// Check only these services (default: every service folder of `models/`).
    pub services: Vec<String>,
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Options, String> {
        let mut o = Options {
            out: std::env::temp_dir().join("boto-rs-check-all"),
            services: Vec::new(),
        };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let mut val = |name: &str| {
                it.next()
                    .cloned()
                    .ok_or_else(|| format!("{name} needs a value"))
            };
            match a.as_str() {
                "--out" => o.out = PathBuf::from(val("--out")?),
                "--service" => o.services.push(val("--service")?),
                other => return Err(format!("check-all: unknown option {other}")),
            }
        }
        Ok(o)
    }
}

/// The scratch workspace's manifest: every generated crate a member, built like the main
/// workspace (its lock file is copied beside it, so the same dependency versions are used).
fn workspace_manifest(crates: &[String]) -> String {
    let members: Vec<String> = crates.iter().map(|c| format!("    \"{c}\",")).collect();
    format!(
        "# Written by `cargo xtask check-all`: every generated crate, type-checked together.\n\
         [workspace]\nresolver = \"2\"\nmembers = [\n{}\n]\n\n\
         [profile.dev]\ndebug = false\nincremental = false\n",
        members.join("\n")
    )
}

/// Generates the crates (writing only what changed since the last run, so a second run reuses
/// the build cache) and runs `cargo check` over all of them.
pub fn check_all(o: &Options) -> Result<(), String> {
    let models_dir = root().join("models");
    let services = if o.services.is_empty() {
        models::service_folders(&models_dir)?
    } else {
        o.services.clone()
    };
    std::fs::create_dir_all(&o.out).map_err(|e| format!("{}: {e}", o.out.display()))?;
    let out = o
        .out
        .canonicalize()
        .map_err(|e| format!("{}: {e}", o.out.display()))?;
    let t = Instant::now();
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| out.join("target"));
    let runtime = packaged_runtime(&out, &target)?;
    let job = Job {
        label: "service",
        models: models_dir,
        services: services.clone(),
        out: out.clone(),
        runtime,
    };
    let crates = generate::generate_jobs(std::slice::from_ref(&job), None, &mut |_| {})?;
    let diffs = generate::differences(&crates);
    generate::apply(&diffs)?;
    let names: Vec<String> = services.iter().map(|s| s.replace('-', "_")).collect();
    remove_other_crates(&out, &names)?;
    let mut members = names.clone();
    members.push(RUNTIME_DIR.to_string());
    write_if_changed(&out.join("Cargo.toml"), &workspace_manifest(&members))?;
    let lock = std::fs::read(root().join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    if !out.join("Cargo.lock").exists() {
        std::fs::write(out.join("Cargo.lock"), lock).map_err(|e| e.to_string())?;
    }
    let generated = t.elapsed();
    eprintln!(
        "generated {} into {} in {:.1} s ({} written); type-checking them",
        plural(services.len(), "service"),
        display_path(&out),
        generated.as_secs_f64(),
        plural(diffs.len(), "file")
    );
    let t = Instant::now();
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(&out)
        .args([
            "check",
            "--workspace",
            // serde's impls too (the `serde` feature of every crate).
            "--all-features",
            "--quiet",
            "--message-format",
            "short",
        ])
        // Generated code is held to the same bar as the committed crates.
        .env("RUSTFLAGS", "-D warnings")
        // 424 crates' incremental caches would take many gigabytes for nothing.
        .env("CARGO_INCREMENTAL", "0");
    c.env("CARGO_TARGET_DIR", &target);
    let status = c
        .status()
        .map_err(|e| format!("cannot run cargo check: {e}"))?;
    let checked = t.elapsed();
    if !status.success() {
        return Err(format!(
            "check-all: `cargo check` failed in {} after {:.0} s (the errors are above)",
            display_path(&out),
            checked.as_secs_f64()
        ));
    }
    // Every crate packages for a registry: complete metadata, a versioned runtime dependency
    // (resolved from the packaged runtime beside them) and every file inside the package.
    let t = Instant::now();
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    // Libraries need no lock file in their package, and resolving one per crate is what takes
    // the time.
    c.current_dir(&out)
        .args([
            "package",
            "--workspace",
            "--no-verify",
            "--allow-dirty",
            "--exclude-lockfile",
            "--quiet",
        ])
        .env("CARGO_TARGET_DIR", &target);
    let status = c
        .status()
        .map_err(|e| format!("cannot run cargo package: {e}"))?;
    if !status.success() {
        return Err(format!(
            "check-all: `cargo package` failed in {} (the errors are above)",
            display_path(&out)
        ));
    }
    let packaged = t.elapsed();
    println!(
        "check-all: {} generated in {:.1} s, type-checked in {:.0} s and packaged (with the runtime) in {:.0} s",
        plural(services.len(), "crate"),
        generated.as_secs_f64(),
        checked.as_secs_f64(),
        packaged.as_secs_f64()
    );
    Ok(())
}

/// The runtime's folder inside the scratch workspace.
const RUNTIME_DIR: &str = "boto-runtime";

/// Packages the runtime (`cargo package`, which resolves its workspace-inherited settings) and
/// unpacks it into the scratch workspace, so the generated crates there depend on it by a
/// relative path and the whole workspace packages on its own. Returns its folder.
fn packaged_runtime(out: &Path, target: &Path) -> Result<PathBuf, String> {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(root())
        .args([
            "package",
            "--no-verify",
            "--allow-dirty",
            "--quiet",
            "-p",
            "boto-runtime",
        ])
        .env("CARGO_TARGET_DIR", target);
    let status = c
        .status()
        .map_err(|e| format!("cannot run cargo package: {e}"))?;
    if !status.success() {
        return Err("check-all: `cargo package -p boto-runtime` failed".into());
    }
    let version = crate::project_version();
    let file = target.join(format!("package/boto-runtime-{version}.crate"));
    let dir = out.join(RUNTIME_DIR);
    let unpacked = out.join(format!("boto-runtime-{version}"));
    let _ = std::fs::remove_dir_all(&unpacked);
    let status = Command::new("tar")
        .arg("xzf")
        .arg(&file)
        .arg("-C")
        .arg(out)
        .status()
        .map_err(|e| format!("cannot run tar: {e}"))?;
    if !status.success() {
        return Err(format!("cannot unpack {}", file.display()));
    }
    // What `cargo package` adds beside the sources may not be packaged again.
    for extra in ["Cargo.toml.orig", ".cargo_vcs_info.json"] {
        let _ = std::fs::remove_file(unpacked.join(extra));
    }
    // Replace the folder only when the runtime changed, so the build cache stays valid.
    if dir_files(&dir) != dir_files(&unpacked) {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::rename(&unpacked, &dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        // The package's files carry a fixed old time; cargo decides what to rebuild by times,
        // so the new sources are dated now.
        let now = std::time::SystemTime::now();
        for (rel, _) in dir_files(&dir) {
            let path = dir.join(rel);
            std::fs::File::options()
                .write(true)
                .open(&path)
                .and_then(|f| f.set_modified(now))
                .map_err(|e| format!("{}: {e}", path.display()))?;
        }
    } else {
        let _ = std::fs::remove_dir_all(&unpacked);
    }
    Ok(dir)
}

/// Every file under `dir` with its content (empty when `dir` does not exist).
fn dir_files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let bytes = std::fs::read(&p).unwrap_or_default();
                out.push((p.strip_prefix(dir).unwrap_or(&p).to_path_buf(), bytes));
            }
        }
    }
    out.sort();
    out
}

/// Removes crate folders of an earlier run that are no longer generated (a service botocore
/// dropped), so the workspace does not try to build them.
fn remove_other_crates(out: &Path, names: &[String]) -> Result<(), String> {
    for entry in std::fs::read_dir(out).map_err(|e| e.to_string())?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let p = entry.path();
        if p.join("Cargo.toml").exists() && !names.contains(&name) && name != RUNTIME_DIR {
            std::fs::remove_dir_all(&p).map_err(|e| format!("{}: {e}", p.display()))?;
        }
    }
    Ok(())
}

fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).ok().as_deref() != Some(text) {
        std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}
