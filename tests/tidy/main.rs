//! The layout's rules, checked on the source text (as rust-analyzer's tidy test does): every
//! module starts with a `//!` line, no source file of the repository is over 600 lines,
//! nothing prints outside `cli/`, the modules' `use crate::` / `super::` paths and their calls
//! of methods that other files add to a type form no cycle, the top-level folders only reach
//! down the layers that docs/ARCHITECTURE.md lists and `lsp/`'s files down the order its map
//! gives, that map of `server/src/` names every module, and the file paths the docs name exist.

mod architecture;
mod cycles;
mod graph;
mod reader;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use cycles::cycles;
use graph::graph;
use reader::{
    code_of, files_under, is_ident, modules, name, named_paths, resolve, src_root,
    test_declarations, Module, TestModule,
};

const MAX_LINES: usize = 600;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace")
        .to_path_buf()
}

/// A file's path from the repository's root, for messages.
fn shown(file: &Path) -> String {
    let root = repo_root();
    file.strip_prefix(&root)
        .unwrap_or(file)
        .display()
        .to_string()
}

#[test]
fn every_module_starts_with_a_doc_line() {
    let missing: Vec<String> = modules()
        .iter()
        .filter(|m| !m.text.trim_start_matches('\u{feff}').starts_with("//!"))
        .map(|m| m.file.display().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "modules without a `//!` first line: {missing:#?}"
    );
}

#[test]
fn no_source_file_is_over_the_size_line() {
    let files = files_under(&repo_root(), &["rs", "ts", "js", "mjs", "lua", "py", "sh"]);
    let long: Vec<String> = files
        .iter()
        .filter_map(|file| {
            let lines = std::fs::read_to_string(file).ok()?.lines().count();
            (lines > MAX_LINES).then(|| format!("{} ({lines} lines)", shown(file)))
        })
        .collect();
    assert!(long.is_empty(), "files over {MAX_LINES} lines: {long:#?}");
    // The walk reads something: the crate, its tests and the editors' code.
    for part in [
        "server/src/lib.rs",
        "tests/tidy/main.rs",
        "editors/vscode/src",
    ] {
        assert!(
            files.iter().any(|f| f.starts_with(repo_root().join(part))),
            "the walk missed {part}"
        );
    }
}

#[test]
fn only_the_cli_prints() {
    let mut found = Vec::new();
    for m in modules() {
        if m.path.first().is_some_and(|p| p == "cli") {
            continue;
        }
        let code = code_of(&m.text);
        for (n, line) in code.lines().enumerate() {
            for mac in ["println!", "print!", "eprintln!", "eprint!", "dbg!"] {
                let hit = line
                    .match_indices(mac)
                    .any(|(i, _)| i == 0 || !is_ident(line[..i].chars().last().unwrap_or(' ')));
                if hit {
                    found.push(format!("{}:{} {mac}", m.file.display(), n + 1));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "printing outside cli/ (the server's stdout is the protocol): {found:#?}"
    );
}

#[test]
fn modules_import_each_other_in_one_direction() {
    let modules = modules();
    let graph = graph(&modules);
    let plain: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = graph
        .iter()
        .map(|(k, v)| (k.clone(), v.keys().cloned().collect()))
        .collect();
    let mut report = Vec::new();
    for component in cycles(&plain) {
        report.push(format!("a cycle of {} modules:", component.len()));
        for from in &component {
            let file = &modules
                .iter()
                .find(|m| m.path == *from)
                .expect("module")
                .file;
            for (to, line) in graph[from].iter().filter(|(to, _)| component.contains(*to)) {
                report.push(format!(
                    "  {} -> {} ({}:{line})",
                    name(from),
                    name(to),
                    file.display()
                ));
            }
        }
    }
    assert!(report.is_empty(), "import cycles:\n{}", report.join("\n"));
    // The test reads something: the crate's modules do import each other.
    let imports: usize = plain.values().map(BTreeSet::len).sum();
    assert!(imports > 100, "too few imports read: {imports}");
    eprintln!(
        "{} modules ({} of them test code), {imports} edges between them (imports and calls of methods added across files), no cycle",
        modules.len(),
        modules.iter().filter(|m| m.test_only).count()
    );
}

#[test]
fn top_level_modules_only_reach_down_the_documented_layers() {
    let modules = modules();
    let layers = architecture::documented_layers(&architecture::text());
    let top: BTreeSet<String> = modules
        .iter()
        .filter(|m| m.path.len() == 1 && m.path[0] != "<main>")
        .map(|m| m.path[0].clone())
        .collect();
    let undocumented: Vec<&String> = top.iter().filter(|t| !layers.contains_key(*t)).collect();
    assert!(
        undocumented.is_empty(),
        "top-level modules docs/ARCHITECTURE.md's layers do not list: {undocumented:?}"
    );
    let mut wrong = Vec::new();
    for (from, targets) in graph(&modules) {
        let file = &modules
            .iter()
            .find(|m| m.path == from)
            .expect("module")
            .file;
        for (to, line) in targets {
            let (a, b) = (&from[0], &to[0]);
            if a != b && layers[a] <= layers[b] {
                wrong.push(format!(
                    "{a} (layer {}) uses {b} (layer {}): {}:{line}",
                    layers[a],
                    layers[b],
                    file.display()
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layers' direction: {wrong:#?}"
    );
    assert!(
        layers.len() >= 8,
        "the layers table was not read: {layers:?}"
    );
}

#[test]
fn the_architecture_map_names_every_module() {
    let map = architecture::map(&architecture::text());
    let mut missing = Vec::new();
    for m in modules().iter().filter(|m| !m.test_only) {
        let rel: Vec<String> = m
            .file
            .strip_prefix(src_root())
            .expect("under src")
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        if matches!(rel.as_slice(), [root] if root == "lib.rs" || root == "main.rs") {
            continue;
        }
        match architecture::unmapped(&map, &rel) {
            None => {}
            Some(why) => missing.push(format!("{}: {why}", rel.join("/"))),
        }
        if !map.iter().any(|e| e.path[0] == rel[0]) {
            missing.push(format!("{}: no entry for `{}/`", rel.join("/"), rel[0]));
        }
    }
    assert!(
        missing.is_empty(),
        "files the map of server/src/ in docs/ARCHITECTURE.md does not account for: {missing:#?}"
    );
    assert!(map.len() > 20, "the map was not read: {map:#?}");
}

#[test]
fn paths_the_docs_name_exist() {
    let mut texts = vec![("docs/ARCHITECTURE.md".to_string(), architecture::text())];
    texts.extend(modules().into_iter().map(|m| (shown(&m.file), m.text)));
    let mut missing = Vec::new();
    let mut read = 0;
    for (file, text) in &texts {
        for path in text.split('`').skip(1).step_by(2) {
            let looks_like_ours = path.ends_with(".rs")
                && path.contains('/')
                && path.chars().all(|c| is_ident(c) || c == '/' || c == '.');
            if !looks_like_ours {
                continue;
            }
            read += 1;
            let found = [src_root().join(path), repo_root().join(path)];
            if !found.iter().any(|p| p.exists()) {
                missing.push(format!("{file}: `{path}`"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "paths named in docs that no file has: {missing:#?}"
    );
    assert!(read > 20, "too few paths read: {read}");
}

#[test]
fn the_server_files_call_only_files_listed_before_them() {
    let map = architecture::map(&architecture::text());
    let entry = map
        .iter()
        .find(|e| e.path == ["lsp"])
        .expect("an entry for lsp/");
    let order: Vec<String> = entry
        .text
        .split(|c: char| !is_ident(c) && c != '.')
        .filter_map(|w| w.strip_suffix(".rs"))
        .map(str::to_string)
        .fold(Vec::new(), |mut seen, w| {
            if !seen.contains(&w) {
                seen.push(w);
            }
            seen
        });
    let rank = |path: &[String]| order.iter().position(|o| path.get(1) == Some(o));
    let modules = modules();
    let mut wrong = Vec::new();
    let mut checked = 0;
    for (from, targets) in graph(&modules) {
        let Some(a) = rank(&from).filter(|_| from.len() == 2 && from[0] == "lsp") else {
            continue;
        };
        for (to, line) in targets
            .iter()
            .filter(|(to, _)| to[0] == "lsp" && to.len() == 2)
        {
            checked += 1;
            match rank(to) {
                Some(b) if b < a => {}
                _ => wrong.push(format!(
                    "lsp/{}.rs uses lsp/{}.rs (line {line}), named after it",
                    from[1], to[1]
                )),
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "against the order of lsp/ in docs/ARCHITECTURE.md's map: {wrong:#?}"
    );
    assert!(checked > 40, "too few edges inside lsp/ read: {checked}");
}

// The reader's own checks: each rule above only means something if its reading is right.

#[test]
fn the_reader_skips_comments_strings_and_test_code() {
    let text = "//! doc\nuse crate::a::{b, c::{d, e}};\n// crate::in_comment::x\nfn f() { let s = \"crate::in_string\"; let r = r#\"crate::raw\"#; let c = '\\''; crate::inline::g(); super::sib::h(); }\n#[cfg(test)]\nmod tests {\n    use crate::only_in_tests;\n}\n";
    let module = Module {
        path: vec!["top".into(), "here".into()],
        file: src_root().join("top/here.rs"),
        text: text.to_string(),
        test_only: false,
    };
    let mut paths: Vec<String> = named_paths(&module, &BTreeSet::new())
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    paths.sort();
    paths.dedup();
    assert_eq!(
        paths,
        [
            "crate::a::b",
            "crate::a::c::d",
            "crate::a::c::e",
            "crate::inline::g",
            "super::sib::h"
        ]
    );
    let known: BTreeSet<Vec<String>> = [
        vec!["top".to_string()],
        vec!["top".to_string(), "sib".to_string()],
    ]
    .into();
    assert_eq!(
        resolve(&module, "super::sib::h", &BTreeSet::new(), &known),
        Some(vec!["top".to_string(), "sib".to_string()])
    );
    assert_eq!(
        resolve(&module, "crate::nowhere::x", &BTreeSet::new(), &known),
        None
    );
}

#[test]
fn the_reader_finds_test_modules_and_cycles() {
    let text = "#[cfg(test)]\nmod tests;\n#[cfg(test)]\n#[path = \"x_tests.rs\"]\nmod tests;\n#[cfg(test)]\nmod inline {\n}\n";
    assert_eq!(
        test_declarations(text),
        [
            TestModule::Child("tests".into()),
            TestModule::File("x_tests.rs".into())
        ]
    );
    let node = |n: &str| vec![n.to_string()];
    let mut graph: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    graph.insert(node("a"), [node("b")].into());
    graph.insert(node("b"), [node("c")].into());
    graph.insert(node("c"), [node("a")].into());
    graph.insert(node("d"), [node("a")].into());
    assert_eq!(
        cycles(&graph),
        vec![BTreeSet::from([node("a"), node("b"), node("c")])]
    );
    graph.insert(node("c"), BTreeSet::new());
    assert!(cycles(&graph).is_empty());
}

#[test]
fn the_map_reader_nests_entries_and_reads_whole_words() {
    let doc = "# A\n```\nserver/src/\n  top/      holds a.rs and b.rs,\n            report_ci.rs\n    sub/      the sub folder\n    one.rs    a file\n  next/     more\n```\n";
    let map = architecture::map(doc);
    let paths: Vec<String> = map.iter().map(|e| e.path.join("/")).collect();
    assert_eq!(paths, ["top", "top/sub", "top/one.rs", "next"]);
    assert!(map[0].text.contains("report_ci.rs"));
    let file = |p: &str| p.split('/').map(str::to_string).collect::<Vec<_>>();
    assert_eq!(architecture::unmapped(&map, &file("top/a.rs")), None);
    assert_eq!(architecture::unmapped(&map, &file("top/one.rs")), None);
    assert_eq!(architecture::unmapped(&map, &file("top/sub/mod.rs")), None);
    assert!(architecture::unmapped(&map, &file("top/ci.rs")).is_some());
    assert!(architecture::unmapped(&map, &file("top/sub/c.rs")).is_some());
    assert!(architecture::unmapped(&map, &file("next/deep/x.rs")).is_some());
}

#[test]
fn the_reader_sees_calls_of_methods_added_across_files() {
    let module = |path: &str, text: &str| Module {
        path: path.split("::").map(str::to_string).collect(),
        file: src_root().join(format!("{}.rs", path.replace("::", "/"))),
        text: text.to_string(),
        test_only: false,
    };
    let modules = [
        module(
            "s::state",
            "//! s\npub struct State;\nimpl State {\n    pub fn base(&self) {}\n}\n",
        ),
        module(
            "s::extra",
            "//! e\nimpl State {\n    pub(super) async fn helper(&self) { self.base(); }\n}\n",
        ),
        module(
            "s::user",
            "//! u\nfn f(state: &State, list: &L) { state.helper(); list.base(); }\n",
        ),
        module("s::caller", "//! c\nfn g() { State::helper(); }\n"),
    ];
    let methods = graph::extension_methods(&modules);
    assert_eq!(methods.keys().collect::<Vec<_>>(), ["helper"]);
    let edges = graph(&modules);
    let to = |from: &str| -> Vec<String> {
        let from: Vec<String> = from.split("::").map(str::to_string).collect();
        edges[&from].keys().map(|k| name(k)).collect()
    };
    assert_eq!(to("s::user"), ["s::extra"]);
    assert_eq!(to("s::caller"), ["s::extra"]);
    // `base` is declared with its type: a call of it is no edge the reader adds.
    assert!(to("s::extra").is_empty());
}
