//! The layout's rules, checked on the source text (as rust-analyzer's tidy test does): every
//! module starts with a `//!` line, no file is over 600 lines, nothing prints outside `cli/`,
//! the modules' `use crate::` / `super::` paths form no cycle, and the top-level folders only
//! reach down the layers that docs/ARCHITECTURE.md lists.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

const MAX_LINES: usize = 600;

/// A module of the crate: its path (`checks::graphql::validate`) and file.
struct Module {
    path: Vec<String>,
    file: PathBuf,
    text: String,
    /// Declared under `#[cfg(test)]`: test code may reach any module.
    test_only: bool,
}

fn src_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rs_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("read src")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rs_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn module_path(file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src_root()).expect("under src");
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    if parts == ["main"] {
        parts = vec!["<main>".to_string()];
    }
    parts
}

fn modules() -> Vec<Module> {
    let mut files = Vec::new();
    rs_files(&src_root(), &mut files);
    let mut modules: Vec<Module> = files
        .into_iter()
        .map(|file| Module {
            path: module_path(&file),
            text: std::fs::read_to_string(&file).expect("read module"),
            file,
            test_only: false,
        })
        .collect();
    // A child declared under `#[cfg(test)]` is test code, and so are its own children; one
    // declared with `#[path = "..."]` is that file.
    let mut test_paths: Vec<Vec<String>> = Vec::new();
    let mut test_files: Vec<PathBuf> = Vec::new();
    for m in &modules {
        for decl in test_declarations(&m.text) {
            match decl {
                TestModule::Child(name) => {
                    let mut child = m.path.clone();
                    child.push(name);
                    test_paths.push(child);
                }
                TestModule::File(file) => {
                    test_files.push(m.file.parent().expect("a folder").join(file));
                }
            }
        }
    }
    for m in &mut modules {
        m.test_only =
            test_paths.iter().any(|t| m.path.starts_with(t)) || test_files.contains(&m.file);
    }
    modules
}

/// A module declared under `#[cfg(test)]` in its own file.
#[derive(Debug, PartialEq)]
enum TestModule {
    /// `mod name;`: the child module's usual file.
    Child(String),
    /// `#[path = "file.rs"] mod name;`: that file, beside the declaring one.
    File(String),
}

/// The test modules a module's text declares, read line by line (strings matter here).
fn test_declarations(text: &str) -> Vec<TestModule> {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if *line != "#[cfg(test)]" {
            continue;
        }
        let mut path = None;
        let mut next = i + 1;
        while let Some(attribute) = lines.get(next).filter(|l| l.starts_with("#[")) {
            if let Some(file) = attribute.strip_prefix("#[path = \"") {
                path = file.strip_suffix("\"]").map(str::to_string);
            }
            next += 1;
        }
        let Some(decl) = lines
            .get(next)
            .map(|l| l.strip_prefix("pub(crate) ").unwrap_or(l))
        else {
            continue;
        };
        if let Some(name) = decl.strip_prefix("mod ").and_then(|d| d.strip_suffix(';')) {
            found.push(match path {
                Some(file) => TestModule::File(file),
                None => TestModule::Child(name.trim().to_string()),
            });
        }
    }
    found
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The text with comments, string and char literals blanked, so paths in them are not read.
fn code_of(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        let rest = &text[i..];
        if rest.starts_with("//") {
            let end = rest.find('\n').map_or(text.len(), |n| i + n);
            i = end;
        } else if rest.starts_with("/*") {
            let end = rest.find("*/").map_or(text.len(), |n| i + n + 2);
            i = end;
        } else if let Some((open, hashes)) = raw_string_start(rest, out.chars().last()) {
            let close = format!("\"{}", "#".repeat(hashes));
            let end = rest[open..]
                .find(&close)
                .map_or(text.len(), |n| i + open + n + close.len());
            out.push_str("\"\"");
            i = end;
        } else if rest.starts_with('"') {
            let mut j = i + 1;
            while j < bytes.len() && bytes[j] != b'"' {
                j += if bytes[j] == b'\\' { 2 } else { 1 };
            }
            out.push_str("\"\"");
            i = (j + 1).min(bytes.len());
        } else if let Some(len) = char_literal_len(rest) {
            out.push_str("' '");
            i += len;
        } else {
            let c = rest.chars().next().expect("a char");
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// A raw string's opening (`r"`, `r#"`, `br"`): its length and how many `#` close it.
fn raw_string_start(rest: &str, before: Option<char>) -> Option<(usize, usize)> {
    if before.is_some_and(is_ident) {
        return None;
    }
    let after = rest.strip_prefix("br").or_else(|| rest.strip_prefix('r'))?;
    let hashes = after.chars().take_while(|c| *c == '#').count();
    let prefix = rest.len() - after.len();
    after[hashes..]
        .starts_with('"')
        .then_some((prefix + hashes + 1, hashes))
}

/// The length of a char literal (`'x'`, `'\n'`, `'\''`) starting `rest`; a lifetime is none.
fn char_literal_len(rest: &str) -> Option<usize> {
    let body = rest.strip_prefix('\'')?;
    if let Some(escaped) = body.strip_prefix('\\') {
        let skip = escaped.chars().next()?.len_utf8();
        return escaped[skip..].find('\'').map(|n| 1 + 1 + skip + n + 1);
    }
    let c = body.chars().next()?;
    body[c.len_utf8()..]
        .starts_with('\'')
        .then_some(1 + c.len_utf8() + 1)
}

/// The production part of a module's code: what comes before its inline `#[cfg(test)] mod`.
fn production_code(text: &str) -> String {
    let code = code_of(text);
    let mut cut = code.len();
    for (i, _) in code.match_indices("#[cfg(test)]") {
        let rest = code[i + "#[cfg(test)]".len()..].trim_start();
        let rest = rest.strip_prefix("pub(crate) ").unwrap_or(rest);
        if let Some(decl) = rest.strip_prefix("mod ") {
            let name_len = decl.chars().take_while(|c| is_ident(*c)).count();
            if decl[name_len..].trim_start().starts_with('{') {
                cut = i;
                break;
            }
        }
    }
    code[..cut].to_string()
}

/// Expands `a::{b, c::{d, e}}` into `a::b`, `a::c::d`, `a::c::e`.
fn expand(path: &str) -> Vec<String> {
    let path: String = path.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(open) = path.find('{') else {
        return vec![path];
    };
    let (prefix, body) = (
        &path[..open],
        &path[open + 1..path.rfind('}').unwrap_or(path.len())],
    );
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in body.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&body[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&body[start..]);
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .flat_map(|p| expand(p).into_iter().map(move |e| format!("{prefix}{e}")))
        .collect()
}

/// The paths a module's code names: `use` items and paths written inline, each with its line.
fn named_paths(m: &Module, children: &BTreeSet<String>) -> Vec<(String, usize)> {
    let code = production_code(&m.text);
    let line_of = |at: usize| code[..at].matches('\n').count() + 1;
    let mut out = Vec::new();
    let mut rest = 0;
    while let Some(found) = code[rest..].find("use ") {
        let at = rest + found;
        rest = at + 4;
        if at > 0 && is_ident(code[..at].chars().last().unwrap_or(' ')) {
            continue;
        }
        let Some(end) = code[at..].find(';') else {
            break;
        };
        for path in expand(&code[at + 4..at + end]) {
            out.push((path, line_of(at)));
        }
    }
    let bytes = code.as_bytes();
    for start in 0..bytes.len() {
        let before = start.checked_sub(1).map(|b| bytes[b] as char);
        if before.is_some_and(|c| is_ident(c) || c == ':') {
            continue;
        }
        let word: String = code[start..].chars().take_while(|c| is_ident(*c)).collect();
        let is_root = word == "crate" || word == "super" || children.contains(&word);
        if !is_root || !code[start + word.len()..].starts_with("::") {
            continue;
        }
        let path: String = code[start..]
            .chars()
            .take_while(|c| is_ident(*c) || *c == ':')
            .collect();
        if code[start + path.len()..].starts_with('{') {
            // `crate::a::{b, c}`: a `use` item, read whole above.
            continue;
        }
        out.push((path.trim_end_matches(':').to_string(), line_of(start)));
    }
    out
}

/// Where a path leads: the longest prefix of it that is a module of the crate.
fn resolve(
    from: &Module,
    path: &str,
    children: &BTreeSet<String>,
    known: &BTreeSet<Vec<String>>,
) -> Option<Vec<String>> {
    let mut segments: Vec<&str> = path.split("::").collect();
    let mut absolute: Vec<String> = match segments.first().copied() {
        Some("crate") => {
            segments.remove(0);
            Vec::new()
        }
        Some("super") => {
            let mut base = from.path.clone();
            while segments.first() == Some(&"super") {
                segments.remove(0);
                base.pop();
            }
            base
        }
        Some("self") => {
            segments.remove(0);
            from.path.clone()
        }
        Some(first) if children.contains(first) => from.path.clone(),
        _ => return None,
    };
    absolute.extend(segments.iter().map(|s| s.to_string()));
    (1..=absolute.len())
        .rev()
        .map(|n| absolute[..n].to_vec())
        .find(|p| known.contains(p))
}

/// Each module's dependencies on other modules, with a line that shows each.
fn graph(modules: &[Module]) -> BTreeMap<Vec<String>, BTreeMap<Vec<String>, usize>> {
    let known: BTreeSet<Vec<String>> = modules.iter().map(|m| m.path.clone()).collect();
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
    }
    out
}

fn name(path: &[String]) -> String {
    path.join("::")
}

/// The graph's cycles: its strongly connected components of more than one module (Tarjan).
fn cycles(graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<BTreeSet<Vec<String>>> {
    struct Search<'a> {
        graph: &'a BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        index: HashMap<&'a Vec<String>, usize>,
        low: HashMap<&'a Vec<String>, usize>,
        stack: Vec<&'a Vec<String>>,
        found: Vec<BTreeSet<Vec<String>>>,
    }
    impl<'a> Search<'a> {
        fn visit(&mut self, node: &'a Vec<String>) {
            let n = self.index.len();
            self.index.insert(node, n);
            self.low.insert(node, n);
            self.stack.push(node);
            for next in self.graph.get(node).into_iter().flatten() {
                if !self.index.contains_key(next) {
                    self.visit(next);
                    let low = self.low[node].min(self.low[next]);
                    self.low.insert(node, low);
                } else if self.stack.contains(&next) {
                    let low = self.low[node].min(self.index[next]);
                    self.low.insert(node, low);
                }
            }
            if self.low[node] == self.index[node] {
                let mut component = BTreeSet::new();
                while let Some(top) = self.stack.pop() {
                    component.insert(top.clone());
                    if top == node {
                        break;
                    }
                }
                if component.len() > 1 {
                    self.found.push(component);
                }
            }
        }
    }
    let mut search = Search {
        graph,
        index: HashMap::new(),
        low: HashMap::new(),
        stack: Vec::new(),
        found: Vec::new(),
    };
    for node in graph.keys() {
        if !search.index.contains_key(node) {
            search.visit(node);
        }
    }
    search.found
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
fn no_file_is_over_the_size_line() {
    let long: Vec<String> = modules()
        .iter()
        .filter(|m| m.text.lines().count() > MAX_LINES)
        .map(|m| format!("{} ({} lines)", m.file.display(), m.text.lines().count()))
        .collect();
    assert!(long.is_empty(), "files over {MAX_LINES} lines: {long:#?}");
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
        "{} modules ({} of them test code), {imports} imports between them, no cycle",
        modules.len(),
        modules.iter().filter(|m| m.test_only).count()
    );
}

/// The layers docs/ARCHITECTURE.md lists: each top-level module with its rank (0 lowest).
fn documented_layers() -> BTreeMap<String, usize> {
    let doc = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/ARCHITECTURE.md"),
    )
    .expect("docs/ARCHITECTURE.md");
    let section = doc
        .split("\n## Layers")
        .nth(1)
        .expect("a `## Layers` section");
    let section = section.split("\n## ").next().unwrap_or(section);
    let mut layers = BTreeMap::new();
    for row in section.lines().filter(|l| l.starts_with('|')) {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let Some(Ok(rank)) = cells.get(1).map(|c| c.parse::<usize>()) else {
            continue;
        };
        for folder in cells[2].split(',') {
            layers.insert(
                folder
                    .trim()
                    .trim_matches('`')
                    .trim_end_matches('/')
                    .to_string(),
                rank,
            );
        }
    }
    layers
}

#[test]
fn top_level_modules_only_reach_down_the_documented_layers() {
    let modules = modules();
    let layers = documented_layers();
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
