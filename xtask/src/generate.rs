//! Generating crates from models in memory, comparing them with the files on disk, and writing
//! the differences (`cargo xtask generate [--check]` and the freshness test).

use crate::{display_path, models, plural, root, SERVICES};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// One generation job: a models folder, the services in it, and where their crates go.
pub struct Job {
    /// What one of the job's services is called in messages ("service", "test fixture").
    pub label: &'static str,
    pub models: PathBuf,
    pub services: Vec<String>,
    pub out: PathBuf,
    /// The runtime crate the generated crates depend on (by a relative path when they share a
    /// parent folder with it, else by its absolute path).
    pub runtime: PathBuf,
}

impl Job {
    /// The services of `models/` generated into `generated/`: the default set, and any other
    /// service whose crate has been added there (`cargo xtask generate --service NAME`), so a
    /// plain `cargo xtask generate` keeps those fresh too.
    pub fn services() -> Job {
        let models = root().join("models");
        let mut services: Vec<String> = SERVICES.iter().map(|s| s.to_string()).collect();
        for folder in models::service_folders(&models).unwrap_or_default() {
            let added = root()
                .join("generated")
                .join(folder.replace('-', "_"))
                .join("Cargo.toml");
            if !services.contains(&folder) && added.exists() {
                services.push(folder);
            }
        }
        services.sort();
        Job {
            label: "service",
            models,
            services,
            out: root().join("generated"),
            runtime: root().join("runtime"),
        }
    }

    /// The test fixture models (snapshot tests) and where their crates are kept.
    pub fn fixtures() -> Job {
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
            label: "test fixture",
            models,
            services,
            out: root().join("tests/fixtures/generated"),
            runtime: root().join("runtime"),
        }
    }
}

/// What a plain `cargo xtask generate` builds: the services, then the test fixtures.
pub fn default_jobs() -> Vec<Job> {
    vec![Job::services(), Job::fixtures()]
}

/// "10 services and 2 test fixtures": how many services each job has, by label.
pub fn count_services(jobs: &[Job]) -> String {
    jobs.iter()
        .map(|j| plural(j.services.len(), j.label))
        .collect::<Vec<_>>()
        .join(" and ")
}

/// What generation reports as it goes.
pub enum Progress<'a> {
    /// A job starts.
    Job(&'a Job),
    /// One service is generated (in memory), in `elapsed`.
    Service { name: &'a str, elapsed: Duration },
}

/// Prints progress for a person waiting: a line per job and per service, on stderr.
pub fn print_progress(p: Progress) {
    match p {
        Progress::Job(job) => eprintln!(
            "generating {} ({}/ -> {}/)",
            plural(job.services.len(), job.label),
            display_path(&job.models),
            display_path(&job.out)
        ),
        Progress::Service { name, elapsed } => {
            eprintln!("  {name:<16} {:>6.2} s", elapsed.as_secs_f64())
        }
    }
}

/// One generated crate: its folder and its files (path inside the crate -> content).
pub struct Crate {
    pub dir: PathBuf,
    pub files: BTreeMap<String, String>,
    /// The generator owns the whole folder, so files it no longer makes are stale (false for
    /// the runtime's partition table, which sits beside hand-written files).
    pub owns_dir: bool,
}

/// The runtime's partition table, from `models/partitions.json`.
pub fn partitions_crate() -> Result<Crate, String> {
    let path = root().join("models/partitions.json");
    let json = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let text = codegen::generate_partitions(&json)?;
    Ok(Crate {
        dir: root().join("runtime/src/endpoint"),
        files: BTreeMap::from([("partitions_data.rs".to_string(), text)]),
        owns_dir: false,
    })
}

/// Generates the crates of every job in memory.
pub fn generate_jobs(
    jobs: &[Job],
    protocol: Option<&str>,
    progress: &mut dyn FnMut(Progress),
) -> Result<Vec<Crate>, String> {
    let mut crates = Vec::new();
    for job in jobs {
        progress(Progress::Job(job));
        let mut on_service = |name: &str, elapsed| progress(Progress::Service { name, elapsed });
        for (svc, files) in generate_all(
            &job.models,
            &job.services,
            &job.out,
            &job.runtime,
            protocol,
            &mut on_service,
        )? {
            crates.push(Crate {
                dir: job.out.join(svc.replace('-', "_")),
                files,
                owns_dir: true,
            });
        }
    }
    Ok(crates)
}

/// The path from `from` (a generated crate folder) to the runtime crate `runtime`: relative
/// when `from` is inside the folder that holds the runtime, else absolute.
fn runtime_path_from(from: &Path, runtime: &Path) -> String {
    let abs = |p: &Path| {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        }
    };
    let (from, runtime) = (abs(from), abs(runtime));
    let base = runtime.parent().unwrap_or(&runtime);
    match (from.strip_prefix(base), runtime.file_name()) {
        (Ok(rel), Some(name)) => format!(
            "{}{}",
            "../".repeat(rel.components().count()),
            name.to_string_lossy()
        ),
        _ => runtime.to_string_lossy().into_owned(),
    }
}

/// Generates every requested service in memory: service name -> files. `on_service` hears of
/// each service when it is done.
pub fn generate_all(
    models: &Path,
    services: &[String],
    out_dir: &Path,
    runtime: &Path,
    protocol: Option<&str>,
    on_service: &mut dyn FnMut(&str, Duration),
) -> Result<BTreeMap<String, BTreeMap<String, String>>, String> {
    let mut out = BTreeMap::new();
    let mut errors = Vec::new();
    for svc in services {
        let started = Instant::now();
        let dir = models.join(svc);
        let crate_name = svc.replace('-', "_");
        let runtime_path = runtime_path_from(&out_dir.join(&crate_name), runtime);
        let input = match models::read_service_input(&dir, &crate_name, runtime_path) {
            Ok(Some(input)) => codegen::ServiceInput {
                protocol: protocol.map(str::to_string),
                ..input
            },
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
        match codegen::generate(&input) {
            Ok(files) => {
                out.insert(svc.clone(), files);
                on_service(svc, started.elapsed());
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

/// How a file on disk differs from what the generator makes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Change {
    /// On disk, but no longer generated.
    Stale,
    /// Generated with other content.
    Changed,
    /// Generated, but not on disk.
    Missing,
}

/// One file that is not what the generator makes; `content` is what it should hold (`None`:
/// the file should not exist).
pub struct Difference<'a> {
    pub change: Change,
    pub path: PathBuf,
    pub content: Option<&'a str>,
}

impl std::fmt::Display for Difference<'_> {
    /// "changed: generated/s3/src/types.rs".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.change {
            Change::Stale => "stale",
            Change::Changed => "changed",
            Change::Missing => "missing",
        };
        write!(f, "{kind}: {}", display_path(&self.path))
    }
}

/// The files of `crates` that differ from the disk, and files in their folders that the
/// generator no longer makes.
pub fn differences(crates: &[Crate]) -> Vec<Difference<'_>> {
    let mut diffs = Vec::new();
    for c in crates {
        for rel in list_files(&c.dir).into_iter().filter(|_| c.owns_dir) {
            if !c.files.contains_key(&rel) {
                diffs.push(Difference {
                    change: Change::Stale,
                    path: c.dir.join(rel),
                    content: None,
                });
            }
        }
        for (rel, content) in &c.files {
            let path = c.dir.join(rel);
            let change = match std::fs::read_to_string(&path) {
                Ok(current) if current == *content => continue,
                Ok(_) => Change::Changed,
                Err(_) => Change::Missing,
            };
            diffs.push(Difference {
                change,
                path,
                content: Some(content),
            });
        }
    }
    diffs
}

/// Writes (or removes) each differing file so that the disk matches the generator.
pub fn apply(diffs: &[Difference]) -> Result<(), String> {
    for d in diffs {
        match d.content {
            None => {
                std::fs::remove_file(&d.path).map_err(|e| format!("{}: {e}", d.path.display()))?
            }
            Some(content) => {
                if let Some(p) = d.path.parent() {
                    std::fs::create_dir_all(p).map_err(|e| format!("{}: {e}", p.display()))?;
                }
                std::fs::write(&d.path, content)
                    .map_err(|e| format!("{}: {e}", d.path.display()))?;
            }
        }
    }
    Ok(())
}

/// What `cargo xtask generate --check` would report for the default jobs (the services and the
/// test fixtures): one line per file that is not what the generator makes; empty when fresh.
pub fn stale_files() -> Result<Vec<String>, String> {
    let mut crates = generate_jobs(&default_jobs(), None, &mut |_| {})?;
    crates.push(partitions_crate()?);
    Ok(differences(&crates)
        .iter()
        .map(ToString::to_string)
        .collect())
}

/// Every file under `dir`, as paths relative to it with `/` separators, sorted.
pub fn list_files(dir: &Path) -> Vec<String> {
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
