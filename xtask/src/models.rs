//! Reading model files (plain or gzip) and refreshing `models/` from botocore and boto3.

use crate::SERVICES;
use flate2::read::GzDecoder;
use serde_json::Value;
use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The model files taken from botocore for each service.
const BOTOCORE_FILES: &[&str] = &[
    "service-2.json",
    "paginators-1.json",
    "paginators-1.sdk-extras.json",
    "waiters-2.json",
    "service-2.sdk-extras.json",
    "endpoint-rule-set-1.json",
];

/// The endpoint rule set file.
pub const RULE_SET_FILE: &str = "endpoint-rule-set-1.json";

/// Reads `dir/name` or `dir/name.gz`; `Ok(None)` when neither exists.
pub fn read_model(dir: &Path, name: &str) -> Result<Option<String>, String> {
    let plain = dir.join(name);
    if plain.exists() {
        return std::fs::read_to_string(&plain)
            .map(Some)
            .map_err(|e| format!("{}: {e}", plain.display()));
    }
    let gz = dir.join(format!("{name}.gz"));
    if gz.exists() {
        let f = std::fs::File::open(&gz).map_err(|e| format!("{}: {e}", gz.display()))?;
        let mut s = String::new();
        GzDecoder::new(f)
            .read_to_string(&mut s)
            .map_err(|e| format!("{}: {e}", gz.display()))?;
        return Ok(Some(s));
    }
    Ok(None)
}

/// Reads `dir/name` (or `.gz`) with `dir/<stem>.sdk-extras.json` merged in where it exists, as
/// botocore's loader does for every model file it loads.
fn read_with_extras(dir: &Path, name: &str) -> Result<Option<String>, String> {
    let Some(base) = read_model(dir, name)? else {
        return Ok(None);
    };
    let extras_name = name.replace(".json", ".sdk-extras.json");
    match read_model(dir, &extras_name)? {
        Some(extras) => codegen::merge_extras(&base, &extras)
            .map(Some)
            .map_err(|e| format!("{}: {extras_name}: {e}", dir.display())),
        None => Ok(Some(base)),
    }
}

/// A service folder's `service-2.json` with `service-2.sdk-extras.json` merged in (s3's
/// `Expires` becomes a timestamp there); `Ok(None)` when the folder has no service model.
pub fn read_service_model(dir: &Path) -> Result<Option<String>, String> {
    read_with_extras(dir, "service-2.json")
}

/// The generator's input for the service folder `dir`: every model file it has, each with its
/// `sdk-extras` merged; `Ok(None)` when the folder has no service model.
pub fn read_service_input(
    dir: &Path,
    crate_name: &str,
    runtime_path: String,
) -> Result<Option<codegen::ServiceInput>, String> {
    let Some(service_json) = read_service_model(dir)? else {
        return Ok(None);
    };
    let (paginators_json, waiters_json) = read_paginators_and_waiters(dir)?;
    Ok(Some(codegen::ServiceInput {
        crate_name: crate_name.to_string(),
        service_json,
        protocol: None,
        runtime_path,
        version: crate::project_version(),
        botocore_version: botocore_version(dir.parent().unwrap_or(dir)),
        paginators_json,
        waiters_json,
        resources_json: read_model(dir, "resources-1.json")?,
        endpoint_rules_json: read_model(dir, RULE_SET_FILE)?,
    }))
}

/// The botocore version recorded in `models/README.md` ("- botocore: 1.43.11"); empty when the
/// models folder has no such README (test fixtures).
pub fn botocore_version(models: &Path) -> String {
    std::fs::read_to_string(models.join("README.md"))
        .ok()
        .and_then(|t| {
            t.lines().find_map(|l| {
                l.trim()
                    .strip_prefix("- botocore: ")
                    .map(|v| v.trim().to_string())
            })
        })
        .unwrap_or_default()
}

/// A service folder's `paginators-1.json` (with `paginators-1.sdk-extras.json` merged in) and
/// `waiters-2.json`, each when present.
pub fn read_paginators_and_waiters(dir: &Path) -> Result<(Option<String>, Option<String>), String> {
    Ok((
        read_with_extras(dir, "paginators-1.json")?,
        read_model(dir, "waiters-2.json")?,
    ))
}

fn newest_version_dir(dir: &Path, file: &str) -> Option<PathBuf> {
    let mut versions: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join(file).exists() || p.join(format!("{file}.gz")).exists())
        .collect();
    versions.sort();
    versions.pop()
}

fn python_package_dir(pkg: &str) -> Result<PathBuf, String> {
    let out = Command::new("python3")
        .args([
            "-c",
            &format!("import {pkg}, os; print(os.path.dirname({pkg}.__file__))"),
        ])
        .output()
        .map_err(|e| format!("cannot run python3: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{pkg} is not installed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
}

fn package_version(pkg_dir: &Path) -> String {
    std::fs::read_to_string(pkg_dir.join("__init__.py"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("__version__"))
                .and_then(|l| l.split(['\'', '"']).nth(1).map(str::to_string))
        })
        .unwrap_or_else(|| "unknown".into())
}

fn download_wheels(version: &str) -> Result<(PathBuf, PathBuf), String> {
    let tmp = std::env::temp_dir().join(format!("boto-rs-models-{version}"));
    std::fs::create_dir_all(&tmp).map_err(|e| e.to_string())?;
    let status = Command::new("python3")
        .args(["-m", "pip", "download", "--quiet", "--no-deps", "-d"])
        .arg(&tmp)
        .arg(format!("botocore=={version}"))
        .arg(format!("boto3=={version}"))
        .status()
        .map_err(|e| format!("cannot run pip: {e}"))?;
    if !status.success() {
        return Err(format!("pip download of botocore/boto3 {version} failed"));
    }
    let script = "import sys, zipfile, glob\nfor w in glob.glob(sys.argv[1] + '/*.whl'):\n    zipfile.ZipFile(w).extractall(sys.argv[1] + '/x')\n";
    let status = Command::new("python3")
        .args(["-c", script])
        .arg(&tmp)
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err("cannot unpack the wheels".into());
    }
    Ok((tmp.join("x/botocore"), tmp.join("x/boto3")))
}

/// `cargo xtask update-models`: copies the newest API version of every botocore service's
/// models (and boto3's resource model where there is one) into `models/<service>/` and prints
/// what changed.
pub fn update_models(root: &Path, args: &[String]) -> Result<(), String> {
    let mut version = None;
    let mut botocore = None;
    let mut boto3 = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--version" => version = it.next().cloned(),
            "--botocore" => botocore = it.next().map(PathBuf::from),
            "--boto3" => boto3 = it.next().map(PathBuf::from),
            o => return Err(format!("unknown argument {o}")),
        }
    }
    let (botocore, boto3) = match (version, botocore, boto3) {
        (Some(v), _, _) => download_wheels(&v)?,
        (None, Some(b), Some(b3)) => (b, b3),
        (None, b, b3) => (
            b.map(Ok)
                .unwrap_or_else(|| python_package_dir("botocore"))?,
            b3.map(Ok).unwrap_or_else(|| python_package_dir("boto3"))?,
        ),
    };
    let bc_version = package_version(&botocore);
    let b3_version = package_version(&boto3);
    let models = root.join("models");
    let services = botocore_services(&botocore.join("data"))?;
    for svc in SERVICES {
        if !services.iter().any(|(s, _)| s == svc) {
            return Err(format!(
                "botocore at {} has no model for {svc}",
                botocore.display()
            ));
        }
    }
    let mut report = Vec::new();
    let mut unchanged = 0;
    for (svc, src) in &services {
        let dst = models.join(svc);
        let old = read_model(&dst, "service-2.json")?;
        let _ = std::fs::remove_dir_all(&dst);
        std::fs::create_dir_all(&dst).map_err(|e| e.to_string())?;
        for f in BOTOCORE_FILES {
            for name in [f.to_string(), format!("{f}.gz")] {
                if src.join(&name).exists() {
                    std::fs::copy(src.join(&name), dst.join(&name))
                        .map_err(|e| format!("{svc}/{name}: {e}"))?;
                }
            }
        }
        if let Some(rsrc) = newest_version_dir(&boto3.join("data").join(svc), "resources-1.json") {
            std::fs::copy(rsrc.join("resources-1.json"), dst.join("resources-1.json"))
                .map_err(|e| e.to_string())?;
        }
        let new = read_model(&dst, "service-2.json")?.unwrap_or_default();
        let line = describe_change(svc, old.as_deref(), &new);
        if line.ends_with(": unchanged") {
            unchanged += 1;
        } else {
            report.push(line);
        }
    }
    // Folders of services botocore no longer has.
    for entry in std::fs::read_dir(&models)
        .map_err(|e| e.to_string())?
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_dir() && !services.iter().any(|(s, _)| *s == name) {
            std::fs::remove_dir_all(entry.path()).map_err(|e| e.to_string())?;
            report.push(format!("  {name}: removed (botocore no longer has it)"));
        }
    }
    std::fs::copy(
        botocore.join("data/partitions.json"),
        models.join("partitions.json"),
    )
    .map_err(|e| format!("partitions.json: {e}"))?;
    let readme = models.join("README.md");
    let text = std::fs::read_to_string(&readme).unwrap_or_default();
    let updated = replace_versions(&text, &bc_version, &b3_version);
    std::fs::write(&readme, updated).map_err(|e| e.to_string())?;
    println!(
        "models from botocore {bc_version} and boto3 {b3_version}: {} services ({unchanged} unchanged), and partitions.json",
        services.len()
    );
    for r in report {
        println!("{r}");
    }
    Ok(())
}

/// The service folders of `models` (those holding a `service-2.json`), sorted.
pub fn service_folders(models: &Path) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = std::fs::read_dir(models)
        .map_err(|e| format!("{}: {e}", models.display()))?
        .flatten()
        .filter(|e| {
            let p = e.path();
            p.join("service-2.json").exists() || p.join("service-2.json.gz").exists()
        })
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    out.sort();
    Ok(out)
}

/// Every service folder of botocore's `data/` with its newest API version that has a service
/// model, sorted by name.
fn botocore_services(data: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(data)
        .map_err(|e| format!("{}: {e}", data.display()))?
        .flatten()
    {
        let dir = entry.path();
        if !dir.is_dir() {
            continue;
        }
        let Some(src) = newest_version_dir(&dir, "service-2.json") else {
            continue;
        };
        out.push((entry.file_name().to_string_lossy().into_owned(), src));
    }
    out.sort();
    Ok(out)
}

fn replace_versions(text: &str, botocore: &str, boto3: &str) -> String {
    text.lines()
        .map(|l| {
            if l.starts_with("- botocore: ") {
                format!("- botocore: {botocore}")
            } else if l.starts_with("- boto3: ") {
                format!("- boto3: {boto3}")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// One line per service: unchanged, new, or the operations and shapes added, removed and changed.
pub fn describe_change(svc: &str, old: Option<&str>, new: &str) -> String {
    let Some(old) = old else {
        return format!("  {svc}: new");
    };
    let (Ok(o), Ok(n)) = (
        serde_json::from_str::<Value>(old),
        serde_json::from_str::<Value>(new),
    ) else {
        return format!("  {svc}: changed (unparseable)");
    };
    let diff = |key: &str| -> (Vec<String>, Vec<String>, Vec<String>) {
        let empty = serde_json::Map::new();
        let a = o.get(key).and_then(Value::as_object).unwrap_or(&empty);
        let b = n.get(key).and_then(Value::as_object).unwrap_or(&empty);
        let ka: BTreeSet<&String> = a.keys().collect();
        let kb: BTreeSet<&String> = b.keys().collect();
        let added = kb.difference(&ka).map(|s| s.to_string()).collect();
        let removed = ka.difference(&kb).map(|s| s.to_string()).collect();
        let changed = ka
            .intersection(&kb)
            .filter(|k| a[**k] != b[**k])
            .map(|s| s.to_string())
            .collect();
        (added, removed, changed)
    };
    let (oa, or, oc) = diff("operations");
    let (sa, sr, sc) = diff("shapes");
    if oa.is_empty()
        && or.is_empty()
        && oc.is_empty()
        && sa.is_empty()
        && sr.is_empty()
        && sc.is_empty()
        && o == n
    {
        return format!("  {svc}: unchanged");
    }
    let list = |v: &[String]| {
        if v.len() <= 8 {
            v.join(", ")
        } else {
            format!("{}, ... ({} in all)", v[..8].join(", "), v.len())
        }
    };
    let mut parts = vec![format!("  {svc}: changed")];
    for (label, v) in [
        ("operations added", &oa),
        ("operations removed", &or),
        ("operations changed", &oc),
        ("shapes added", &sa),
        ("shapes removed", &sr),
        ("shapes changed", &sc),
    ] {
        if !v.is_empty() {
            parts.push(format!("    {label}: {}", list(v)));
        }
    }
    parts.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_report_names_operations_and_shapes() {
        let old = r#"{"operations": {"A": {"name": "A"}, "B": {"name": "B"}}, "shapes": {"X": {"type": "string"}, "Y": {"type": "integer"}}}"#;
        let new = r#"{"operations": {"A": {"name": "A", "documentation": "new"}, "C": {"name": "C"}}, "shapes": {"X": {"type": "string"}, "Z": {"type": "long"}}}"#;
        let r = describe_change("svc", Some(old), new);
        assert!(r.contains("svc: changed"), "{r}");
        assert!(r.contains("operations added: C"), "{r}");
        assert!(r.contains("operations removed: B"), "{r}");
        assert!(r.contains("operations changed: A"), "{r}");
        assert!(r.contains("shapes added: Z"), "{r}");
        assert!(r.contains("shapes removed: Y"), "{r}");
        assert!(!r.contains("shapes changed"), "{r}");
        assert_eq!(describe_change("svc", Some(old), old), "  svc: unchanged");
        assert_eq!(describe_change("svc", None, new), "  svc: new");
    }

    #[test]
    fn reads_plain_and_gzip_models() {
        let dir = std::env::temp_dir().join(format!("boto-rs-xtask-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("a.json"), "{\"plain\": 1}").unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, b"{\"gz\": 2}").unwrap();
        std::fs::write(dir.join("b.json.gz"), gz.finish().unwrap()).unwrap();
        assert_eq!(
            read_model(&dir, "a.json").unwrap().as_deref(),
            Some("{\"plain\": 1}")
        );
        assert_eq!(
            read_model(&dir, "b.json").unwrap().as_deref(),
            Some("{\"gz\": 2}")
        );
        assert_eq!(read_model(&dir, "c.json").unwrap(), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
