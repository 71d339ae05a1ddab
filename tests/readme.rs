//! The documents stay true: the README's dependency snippet lists every crate its examples use,
//! each path pointing at the crate of that name; ARCHITECTURE.md lists every runtime path the
//! generated code names.

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
            // `collect::<..>` (a turbofish) has nothing after its `::`; a path does.
            if let Some((krate, rest)) = word.split_once("::") {
                if !krate.is_empty()
                    && !rest.is_empty()
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

/// Every runtime path the generated crates name, as `(module, item)`; `module` is empty for the
/// crate root. `use ::boto_runtime::m::{a, b}` groups count item by item.
fn runtime_paths_in(text: &str) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for (at, _) in text.match_indices("::boto_runtime::") {
        let rest = &text[at + "::boto_runtime::".len()..];
        let path: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
            .collect();
        let segs: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
        match segs.as_slice() {
            [] => {}
            [item] => {
                out.insert((String::new(), item.to_string()));
            }
            [m, ..] if m.starts_with(|c: char| c.is_ascii_uppercase()) => {
                out.insert((String::new(), m.to_string()));
            }
            [m, item, ..] => {
                out.insert((m.to_string(), item.to_string()));
            }
        }
        if let (Some(m), Some(group)) = (segs.first(), rest[path.len()..].strip_prefix('{')) {
            for item in group.split('}').next().unwrap_or("").split(',') {
                // `Expr::*` (an enum's variants) is listed as its enum.
                let item = item.trim().split("::").next().unwrap_or("");
                if !item.is_empty() {
                    out.insert((m.to_string(), item.to_string()));
                }
            }
        }
    }
    out
}

#[test]
fn architecture_lists_every_runtime_path_generated_code_names() {
    let root = boto_tests::workspace_root();
    let doc = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    let section = doc
        .split("## What generated code calls in the runtime")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("ARCHITECTURE.md has the section");
    let mut paths = BTreeSet::new();
    for dir in ["generated", "tests/fixtures/generated"] {
        for krate in std::fs::read_dir(root.join(dir)).unwrap().flatten() {
            let Ok(files) = std::fs::read_dir(krate.path().join("src")) else {
                continue;
            };
            for f in files.flatten() {
                paths.extend(runtime_paths_in(
                    &std::fs::read_to_string(f.path()).unwrap(),
                ));
            }
        }
    }
    assert!(paths.len() > 40, "{paths:?}");
    let missing: Vec<String> = paths
        .iter()
        .filter(|(m, item)| {
            let listed_module = m.is_empty() || section.contains(&format!("`{m}::"));
            let listed_item = section
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .any(|w| w == item);
            !(listed_module && listed_item)
        })
        .map(|(m, item)| format!("{m}::{item}"))
        .collect();
    assert!(
        missing.is_empty(),
        "generated code names runtime paths ARCHITECTURE.md does not list: {missing:?}"
    );
}
