//! The README's dependency snippet: every crate its examples use is listed, and each path points
//! at the crate of that name in this repository.

use std::collections::BTreeSet;

/// The `[dependencies]` block of the README's first TOML snippet: (name, path) pairs, path empty
/// for registry crates.
fn snippet_dependencies(readme: &str) -> Vec<(String, String)> {
    let block = readme
        .split("```toml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("README has a toml snippet");
    block
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with('['))
        .map(|l| {
            let (name, value) = l.split_once('=').expect("name = value");
            let path = value
                .split("path = \"")
                .nth(1)
                .and_then(|p| p.split('"').next())
                .unwrap_or("");
            (name.trim().to_string(), path.to_string())
        })
        .collect()
}

#[test]
fn the_dependency_snippet_lists_what_the_examples_use() {
    let root = boto_tests::workspace_root();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let deps = snippet_dependencies(&readme);
    let names: BTreeSet<String> = deps.iter().map(|(n, _)| n.replace('-', "_")).collect();

    // Paths are written from a clone at /path/to/boto-rs; each names the crate it points at.
    for (name, path) in &deps {
        if path.is_empty() {
            continue;
        }
        let rel = path
            .strip_prefix("/path/to/boto-rs/")
            .unwrap_or_else(|| panic!("{name}: {path} is not under the clone's placeholder path"));
        let manifest = std::fs::read_to_string(root.join(rel).join("Cargo.toml"))
            .unwrap_or_else(|e| panic!("{name}: {path}: {e}"));
        assert!(
            manifest.contains(&format!("name = \"{name}\"")),
            "{path} is not the crate {name}"
        );
    }

    // Every crate a README example names at the start of a path is a dependency (or std).
    let mut used = BTreeSet::new();
    for block in readme.split("```rust").skip(1) {
        let code = block.split("```").next().unwrap_or("");
        for word in code.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')) {
            if let Some((krate, _)) = word.split_once("::") {
                if !krate.is_empty()
                    && krate
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit())
                {
                    used.insert(krate.to_string());
                }
            }
        }
    }
    for krate in &used {
        if ["std", "crate", "self", "super"].contains(&krate.as_str()) {
            continue;
        }
        assert!(
            names.contains(krate),
            "README examples use `{krate}::` but the dependency snippet does not list it (has {names:?})"
        );
    }
    assert!(
        used.contains("futures") && used.contains("s3") && used.contains("ec2"),
        "{used:?}"
    );
}
