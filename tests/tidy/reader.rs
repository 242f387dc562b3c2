//! How the tidy test reads the crate: its modules and files, which of them are test code, the
//! code with comments and strings blanked, and the `use crate::` / `crate::` / `super::` paths
//! each module names, resolved to modules.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// A module of the crate: its path (`checks::graphql::validate`) and file.
pub struct Module {
    pub path: Vec<String>,
    pub file: PathBuf,
    pub text: String,
    /// Declared under `#[cfg(test)]`: test code may reach any module.
    pub test_only: bool,
}

pub fn src_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The files below `dir` whose names end in one of `extensions`, in path order, without what
/// builds and installs write (`target/`, `node_modules/`, `dist/`, `out/`, fuzzing's
/// `corpus/` and `artifacts/`) or hidden folders.
pub fn files_under(dir: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let skipped = name.starts_with('.')
            || [
                "target",
                "node_modules",
                "dist",
                "out",
                "corpus",
                "artifacts",
            ]
            .contains(&name.as_ref());
        if path.is_dir() && !skipped {
            out.extend(files_under(&path, extensions));
        } else if extensions
            .iter()
            .any(|e| path.extension().is_some_and(|x| x == *e))
        {
            out.push(path);
        }
    }
    out
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

pub fn modules() -> Vec<Module> {
    let files = files_under(&src_root(), &["rs"]);
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
pub enum TestModule {
    /// `mod name;`: the child module's usual file.
    Child(String),
    /// `#[path = "file.rs"] mod name;`: that file, beside the declaring one.
    File(String),
}

/// The test modules a module's text declares, read line by line (strings matter here).
pub fn test_declarations(text: &str) -> Vec<TestModule> {
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

pub fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The text with comments, string and char literals blanked, so paths in them are not read.
pub fn code_of(text: &str) -> String {
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
pub fn production_code(text: &str) -> String {
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
pub fn named_paths(m: &Module, children: &BTreeSet<String>) -> Vec<(String, usize)> {
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
pub fn resolve(
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

pub fn name(path: &[String]) -> String {
    path.join("::")
}
