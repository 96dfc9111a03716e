//! The shape of the code, checked: the module import graph of `src/` read from the source
//! (every `crate::…` and `super::…` path), so a change that breaks one of these rules fails
//! here with the offending edge named.
//!
//! - `src/domain` imports no other module of the crate: it is the product's knowledge,
//!   pure, and every surface calls it.
//! - The modules of `src/web` form no import loop: each has one job, and what it needs
//!   lies below it.
//! - No template or handler compares a lifecycle or level word: those rules live in the
//!   domain (`Lifecycle::status`, `Lifecycle::badge`, the `Vocabulary` of each enum).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// The module a file is, as a path from the crate root: `src/web/cache.rs` → `web::cache`,
/// `src/domain/mod.rs` → `domain`.
fn module_of(file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(root().join("src")).unwrap();
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let last = parts.pop().unwrap();
    let stem = last.trim_end_matches(".rs");
    if !matches!(stem, "mod" | "lib" | "main") {
        parts.push(stem.to_owned());
    }
    parts
}

/// Code without comments and string literals, so a path in a doc comment or a message
/// is not an import.
fn code_only(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '"' => {
                let mut escaped = false;
                for c in chars.by_ref() {
                    if escaped {
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == '"' {
                        break;
                    }
                }
                out.push_str("\"\"");
            }
            _ => out.push(c),
        }
    }
    out
}

/// The crate modules a file refers to, resolved to absolute module paths (as deep as the
/// path goes; the caller truncates to the level it compares).
fn references(file: &Path) -> Vec<Vec<String>> {
    let code = code_only(&std::fs::read_to_string(file).unwrap());
    let here = module_of(file);
    let mut found = Vec::new();
    let bytes = code.as_bytes();
    for (start, _) in code.match_indices("crate::").chain(code.match_indices("super::")) {
        // `crate::` inside a longer identifier (`$crate::`) is the macro's own path.
        if start > 0
            && (bytes[start - 1].is_ascii_alphanumeric()
                || bytes[start - 1] == b'_'
                || bytes[start - 1] == b'$')
        {
            continue;
        }
        let rest = &code[start..];
        let path: String =
            rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':').collect();
        let mut segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
        let mut resolved: Vec<String> = if segments.first() == Some(&"crate") {
            segments.remove(0);
            Vec::new()
        } else {
            // `super::` from a file's own `mod tests` is the file itself.
            let mut base = here.clone();
            while segments.first() == Some(&"super") {
                segments.remove(0);
                base.pop();
            }
            base
        };
        resolved.extend(segments.iter().map(|s| (*s).to_owned()));
        found.push(resolved);
    }
    // `use super::{a, b}` and `use crate::web::{x, y}` groups.
    for (start, _) in code.match_indices("::{") {
        let head_start = code[..start]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
            .map_or(0, |i| i + 1);
        let head = &code[head_start..start];
        if !(head.starts_with("crate") || head.starts_with("super")) {
            continue;
        }
        let Some(end) = code[start..].find('}') else { continue };
        let mut base: Vec<String> = Vec::new();
        let mut segments: Vec<&str> = head.split("::").collect();
        if segments.first() == Some(&"crate") {
            segments.remove(0);
        } else {
            base.clone_from(&here);
            while segments.first() == Some(&"super") {
                segments.remove(0);
                base.pop();
            }
        }
        base.extend(segments.iter().map(|s| (*s).to_owned()));
        for item in code[start + 3..start + end].split(',') {
            let first = item.trim().split("::").next().unwrap_or_default().trim();
            if first.is_empty() || first == "self" {
                continue;
            }
            let mut path = base.clone();
            path.push(first.to_owned());
            found.push(path);
        }
    }
    found
}

#[test]
fn the_domain_imports_nothing_else_of_the_crate() {
    let mut offending = Vec::new();
    for file in rust_files(&root().join("src/domain")) {
        for path in references(&file) {
            if path.first().map(String::as_str) != Some("domain") {
                offending.push(format!("{} → {}", file.display(), path.join("::")));
            }
        }
    }
    assert!(offending.is_empty(), "the domain must stay pure:\n{}", offending.join("\n"));
}

/// Depth-first search from `node`: the first cycle found, as a path that ends where it
/// began.
fn visit(
    node: &str,
    graph: &BTreeMap<String, BTreeSet<String>>,
    stack: &mut Vec<String>,
    done: &mut BTreeSet<String>,
) -> Option<Vec<String>> {
    if let Some(at) = stack.iter().position(|n| n == node) {
        let mut cycle = stack[at..].to_vec();
        cycle.push(node.to_owned());
        return Some(cycle);
    }
    if done.contains(node) {
        return None;
    }
    stack.push(node.to_owned());
    for next in graph.get(node).into_iter().flatten() {
        if let Some(cycle) = visit(next, graph, stack, done) {
            return Some(cycle);
        }
    }
    stack.pop();
    done.insert(node.to_owned());
    None
}

#[test]
fn web_modules_form_no_import_loop() {
    let web = root().join("src/web");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in rust_files(&web) {
        let module = module_of(&file);
        let Some(name) = module.get(1).cloned() else { continue }; // web/mod.rs: the root
        let edges = graph.entry(name.clone()).or_default();
        for path in references(&file) {
            if path.first().map(String::as_str) == Some("web") {
                if let Some(target) = path.get(1).filter(|t| **t != name) {
                    edges.insert(target.clone());
                }
            }
        }
    }
    let modules: BTreeSet<String> = graph.keys().cloned().collect();
    for edges in graph.values_mut() {
        edges.retain(|t| modules.contains(t)); // items of web/mod.rs (AppState, …) are the root
    }
    assert!(graph.len() >= 10, "the graph was read: {graph:?}");
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        if let Some(cycle) = visit(node, &graph, &mut Vec::new(), &mut done) {
            panic!("an import loop in web/: {}\n\nthe graph: {graph:#?}", cycle.join(" → "));
        }
    }
}

#[test]
fn comments_and_strings_are_not_imports() {
    // A path in a comment or a message must not count as an edge of the graph.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("probe.rs");
    std::fs::write(
        &file,
        "use super::{cache, error::PageError};\nuse crate::i18n::Lang;\nfn f() { crate::web::layout::x(); }\n// crate::ignored\nconst S: &str = \"crate::also_ignored\";\n",
    )
    .unwrap();
    let code = code_only(&std::fs::read_to_string(&file).unwrap());
    assert!(!code.contains("ignored"), "{code}");
    assert!(code.contains("crate::i18n::Lang") && code.contains("super::{cache"));
}

#[test]
fn no_template_or_handler_compares_lifecycle_or_level_words() {
    let words = [
        "beta",
        "active",
        "retiring",
        "retired",
        "fundamentals",
        "associate",
        "professional",
        "expert",
        "specialty",
    ];
    let mut files: Vec<PathBuf> = rust_files(&root().join("src/web"));
    // Templates, those of subfolders (`templates/admin/`) included.
    let mut folders = vec![root().join("templates")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() { folders.push(path) } else { files.push(path) }
        }
    }
    let mut offending = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            for word in words {
                for op in ["==", "!="] {
                    for form in [format!("{op} \"{word}\""), format!("\"{word}\" {op}")] {
                        if line.contains(&form) {
                            offending.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                        }
                    }
                }
            }
        }
    }
    assert!(offending.is_empty(), "compare the domain's values, not words:\n{}", offending.join("\n"));
}
