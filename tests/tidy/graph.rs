//! The crate's import graph: each module's edges to the modules it names by path, and to the
//! modules whose methods it calls on a type that another file declares (`impl ServerState`
//! blocks across `lsp/`), since those calls need no import.

use std::collections::{BTreeMap, BTreeSet};

use crate::reader::{is_ident, named_paths, production_code, resolve, Module};

/// Each module's dependencies on other modules, with a line that shows each: the paths it
/// names, and the methods it calls that another module adds to a type.
pub fn graph(modules: &[Module]) -> BTreeMap<Vec<String>, BTreeMap<Vec<String>, usize>> {
    let known: BTreeSet<Vec<String>> = modules.iter().map(|m| m.path.clone()).collect();
    let methods = extension_methods(modules);
    let mut out: BTreeMap<Vec<String>, BTreeMap<Vec<String>, usize>> = BTreeMap::new();
    for m in modules
        .iter()
        .filter(|m| !m.test_only && m.path != ["<main>"])
    {
        let children: BTreeSet<String> = known
            .iter()
            .filter(|k| k.len() == m.path.len() + 1 && k.starts_with(&m.path))
            .map(|k| k.last().expect("a child").clone())
            .collect();
        let edges = out.entry(m.path.clone()).or_default();
        for (path, line) in named_paths(m, &children) {
            if let Some(target) = resolve(m, &path, &children, &known) {
                let test_target = modules.iter().any(|t| t.path == target && t.test_only);
                if target != m.path && !target.is_empty() && !test_target {
                    edges.entry(target).or_insert(line);
                }
            }
        }
        for (target, line) in method_calls(m, &methods) {
            edges.entry(target).or_insert(line);
        }
    }
    out
}

/// The methods that a module adds to a type it does not declare (an `impl Type {` block in a
/// file without `struct Type` or `enum Type`), by name, with the module that adds each. A name
/// two modules add is left out: a call of it could be either.
pub fn extension_methods(modules: &[Module]) -> BTreeMap<String, Vec<String>> {
    let mut found: BTreeMap<String, Vec<Vec<String>>> = BTreeMap::new();
    for m in modules.iter().filter(|m| !m.test_only) {
        let code = production_code(&m.text);
        let mut in_block = false;
        for line in code.lines() {
            if let Some(rest) = line.strip_prefix("impl ") {
                let ty: String = rest.chars().take_while(|c| is_ident(*c)).collect();
                let declared = [format!("struct {ty}"), format!("enum {ty}")]
                    .iter()
                    .any(|d| code.lines().any(|l| declares(l, d)));
                in_block = !ty.is_empty() && rest[ty.len()..].trim() == "{" && !declared;
            } else if line == "}" {
                in_block = false;
            } else if in_block {
                if let Some(name) = method_name(line) {
                    found.entry(name).or_default().push(m.path.clone());
                }
            }
        }
    }
    found
        .into_iter()
        .filter(|(_, at)| at.len() == 1)
        .map(|(name, mut at)| (name, at.remove(0)))
        .collect()
}

/// Whether a line declares `struct Name` / `enum Name` (with any visibility).
fn declares(line: &str, what: &str) -> bool {
    let line = line.trim_start();
    let line = match line.strip_prefix("pub") {
        Some(rest) if rest.starts_with('(') => rest.split_once(") ").map_or(rest, |(_, r)| r),
        Some(rest) => rest.trim_start(),
        None => line,
    };
    line.strip_prefix(what)
        .is_some_and(|rest| !rest.starts_with(|c: char| is_ident(c)))
}

/// The name of a method declared on a line of an `impl` block (four spaces in).
fn method_name(line: &str) -> Option<String> {
    let rest = line.strip_prefix("    ")?;
    if rest.starts_with(' ') {
        return None;
    }
    let rest = ["pub(super) ", "pub(crate) ", "pub "]
        .iter()
        .find_map(|v| rest.strip_prefix(v))
        .unwrap_or(rest);
    let rest = rest.strip_prefix("async ").unwrap_or(rest);
    let name: String = rest
        .strip_prefix("fn ")?
        .chars()
        .take_while(|c| is_ident(*c))
        .collect();
    (!name.is_empty()).then_some(name)
}

/// The modules whose added methods a module calls, with a line of each call: `.name(` on a
/// receiver named `self` or `…state` (how the server's files hold the shared state), or
/// `Type::name(` on a type's name.
pub fn method_calls(
    m: &Module,
    methods: &BTreeMap<String, Vec<String>>,
) -> Vec<(Vec<String>, usize)> {
    let code = production_code(&m.text);
    let mut out = Vec::new();
    for (n, line) in code.lines().enumerate() {
        let dots = line.match_indices('.').map(|(at, _)| (at, 1));
        let paths = line.match_indices("::").map(|(at, _)| (at, 2));
        for (at, len) in dots.chain(paths) {
            let name: String = line[at + len..]
                .chars()
                .take_while(|c| is_ident(*c))
                .collect();
            let Some(owner) = methods.get(&name) else {
                continue;
            };
            let called = line[at + len + name.len()..].starts_with('(');
            let receiver: String = line[..at]
                .chars()
                .rev()
                .take_while(|c| is_ident(*c))
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let on_state = len == 1 && (receiver == "self" || receiver.ends_with("state"));
            let on_type = len == 2 && receiver.starts_with(|c: char| c.is_ascii_uppercase());
            if called && (on_state || on_type) && *owner != m.path {
                out.push((owner.clone(), n + 1));
            }
        }
    }
    out
}
