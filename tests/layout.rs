//! The source layout keeps its promise: no two files of the runtime or of the generator import
//! from each other, directly or round a longer circle (a module's `mod.rs` re-exporting its own
//! children is not an import).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A crate's files by module path (`lib.rs` is `[]`, `a/mod.rs` is `[a]`, `a/b.rs` is `[a, b]`).
type Files = BTreeMap<Vec<String>, String>;

fn read_crate(src: &Path) -> Files {
    fn walk(dir: &Path, prefix: &[String], out: &mut Files) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                let mut p = prefix.to_vec();
                p.push(name);
                walk(&path, &p, out);
            } else if let Some(stem) = name.strip_suffix(".rs") {
                let mut module = prefix.to_vec();
                if stem != "mod" && stem != "lib" {
                    module.push(stem.to_string());
                }
                out.insert(module, std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    let mut files = Files::new();
    walk(src, &[], &mut files);
    files
}

/// The file's code without its `#[cfg(test)] mod tests` and without `//` comments.
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => text,
    };
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The paths of a `use` tree: `a::{b, c::{d, e}}` -> `a::b`, `a::c::d`, `a::c::e`.
fn expand(tree: &str) -> Vec<String> {
    let tree: String = tree.split_whitespace().collect();
    let Some(open) = tree.find('{') else {
        return vec![tree.split("as").next().unwrap_or("").to_string()];
    };
    let (head, body) = (
        &tree[..open],
        &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())],
    );
    let (mut parts, mut depth, mut cur) = (Vec::new(), 0, String::new());
    for ch in body.chars() {
        match ch {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        if ch == ',' && depth == 0 {
            parts.push(std::mem::take(&mut cur));
        } else {
            cur.push(ch);
        }
    }
    parts.push(cur);
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .flat_map(|p| expand(&format!("{head}{p}")))
        .collect()
}

/// `use` statements of `code`: (public, path) pairs.
fn uses(code: &str) -> Vec<(bool, String)> {
    let mut out = Vec::new();
    for (at, _) in code.match_indices("use ") {
        let before = code[..at].trim_end();
        let starts_statement = before.is_empty()
            || before.ends_with([';', '{', '}', ']'])
            || before.ends_with("pub")
            || before.ends_with(')');
        if !starts_statement {
            continue;
        }
        let public = before.ends_with("pub") || before.ends_with(')');
        if let Some(end) = code[at..].find(';') {
            for p in expand(&code[at + 4..at + end]) {
                out.push((public, p));
            }
        }
    }
    out
}

struct Resolver<'a> {
    files: &'a Files,
    /// (module, name) -> the path a `lib.rs` / `mod.rs` re-exports under that name.
    reexports: BTreeMap<(Vec<String>, String), String>,
}

impl Resolver<'_> {
    /// The file module a path from `module` lands in, following re-exports.
    fn resolve(&self, module: &[String], path: &str, depth: usize) -> Option<Vec<String>> {
        let segs: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
        let (mut base, rest): (Vec<String>, &[&str]) = match segs.first()? {
            &"crate" | &"$crate" => (Vec::new(), &segs[1..]),
            &"self" => (module.to_vec(), &segs[1..]),
            &"super" => {
                let ups = segs.iter().take_while(|s| **s == "super").count();
                let keep = module.len().checked_sub(ups)?;
                (module[..keep].to_vec(), &segs[ups..])
            }
            _ => return None,
        };
        let mut used = 0;
        for (k, seg) in rest.iter().enumerate() {
            let mut cand = base.clone();
            cand.push(seg.to_string());
            if self.files.contains_key(&cand) {
                base = cand;
                used = k + 1;
            } else {
                break;
            }
        }
        if depth < 8 {
            if let Some(name) = rest.get(used) {
                if let Some(target) = self.reexports.get(&(base.clone(), name.to_string())) {
                    return self.resolve(&base, target, depth + 1);
                }
            }
        }
        Some(base)
    }
}

/// Every file -> the files it imports from.
fn import_graph(files: &Files) -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let mut reexports = BTreeMap::new();
    for (module, text) in files {
        for (public, path) in uses(&code_of(text)) {
            if public {
                let name = path.rsplit("::").next().unwrap_or("").to_string();
                let full = if path.starts_with("crate") || path.starts_with("super") {
                    path
                } else {
                    format!("self::{}", path.trim_start_matches("self::"))
                };
                reexports.insert((module.clone(), name), full);
            }
        }
    }
    let resolver = Resolver { files, reexports };
    let mut graph = BTreeMap::new();
    for (module, text) in files {
        let code = code_of(text);
        let mut targets = BTreeSet::new();
        let mut paths: Vec<(bool, String)> = uses(&code);
        // Paths written inline (`crate::wire::json::write(..)`), outside `use` statements.
        for prefix in ["crate::", "super::"] {
            for (at, _) in code.match_indices(prefix) {
                let path: String = code[at..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':' || *c == '$')
                    .collect();
                paths.push((false, path));
            }
        }
        for (public, path) in paths {
            let Some(target) = resolver.resolve(module, &path, 0) else {
                continue;
            };
            // A module re-exporting its own children depends on nothing.
            if target == *module || (public && target.starts_with(module)) {
                continue;
            }
            targets.insert(target);
        }
        graph.insert(module.clone(), targets);
    }
    graph
}

/// The import circles between files, each as the chain of files round it.
fn circles(graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<String> {
    fn visit(
        node: &Vec<String>,
        graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        stack: &mut Vec<Vec<String>>,
        done: &mut BTreeSet<Vec<String>>,
        found: &mut Vec<String>,
    ) {
        if let Some(i) = stack.iter().position(|n| n == node) {
            let chain: Vec<String> = stack[i..]
                .iter()
                .chain(std::iter::once(node))
                .map(|m| format!("[{}]", m.join("::")))
                .collect();
            found.push(chain.join(" -> "));
            return;
        }
        if !done.insert(node.clone()) {
            return;
        }
        stack.push(node.clone());
        for next in graph.get(node).into_iter().flatten() {
            visit(next, graph, stack, done, found);
        }
        stack.pop();
    }
    let mut found = Vec::new();
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        visit(node, graph, &mut Vec::new(), &mut done, &mut found);
    }
    found
}

fn check(krate: &str) {
    let files = read_crate(&boto_tests::workspace_root().join(krate).join("src"));
    let graph = import_graph(&files);
    let edges: usize = graph.values().map(BTreeSet::len).sum();
    assert!(
        edges > files.len(),
        "{krate}: too few imports found ({edges})"
    );
    let found = circles(&graph);
    assert!(
        found.is_empty(),
        "{krate}: import circles between files:\n  {}",
        found.join("\n  ")
    );
}

#[test]
fn the_runtime_has_no_import_circles() {
    check("runtime");
}

#[test]
fn the_generator_has_no_import_circles() {
    check("codegen");
}

#[test]
fn a_circle_is_found() {
    let mut files = Files::new();
    files.insert(
        vec![],
        "pub mod a;\npub mod b;\npub mod c;\npub use a::Thing;\n".into(),
    );
    files.insert(
        vec!["a".into()],
        "use crate::b::{x, y};\npub struct Thing;\n".into(),
    );
    files.insert(
        vec!["b".into()],
        "pub fn x() { crate::c::z() }\npub fn y() {}\n".into(),
    );
    files.insert(
        vec!["c".into()],
        "use crate::Thing;\npub fn z() {}\n".into(),
    );
    let found = circles(&import_graph(&files));
    assert_eq!(found, vec!["[a] -> [b] -> [c] -> [a]".to_string()]);
    files.insert(vec!["c".into()], "pub fn z() {}\n".into());
    assert!(circles(&import_graph(&files)).is_empty());
}
