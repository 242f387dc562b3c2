//! What the tidy test reads in docs/ARCHITECTURE.md: the layers table, and the map of
//! `server/src/` (the first code block) with what each folder and file entry says.

use std::collections::BTreeMap;
use std::path::Path;

use crate::reader::is_ident;

pub fn text() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/ARCHITECTURE.md"))
        .expect("docs/ARCHITECTURE.md")
}

/// The layers docs/ARCHITECTURE.md lists: each top-level module with its rank (0 lowest).
pub fn documented_layers(doc: &str) -> BTreeMap<String, usize> {
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

/// One entry of the map: a folder (`checks/graphql`) or a file (`checks/code.rs`), with its
/// text (the entry's line and the lines that continue it, the entries under it excluded).
#[derive(Debug, PartialEq)]
pub struct Entry {
    pub path: Vec<String>,
    pub text: String,
}

/// The map of `server/src/`: the first code block of the doc. An entry is a line indented by
/// less than eight spaces whose first word is `name/` or `name.rs`; two spaces more than its
/// folder's entry put it inside that folder; more indented lines continue the entry above.
pub fn map(doc: &str) -> Vec<Entry> {
    let block = doc
        .split("```")
        .nth(1)
        .expect("a code block with the map of server/src/");
    let mut entries: Vec<Entry> = Vec::new();
    // The folders that enclose the next entry, with their indents.
    let mut open: Vec<(usize, String)> = Vec::new();
    for line in block.lines().skip(1) {
        let indent = line.len() - line.trim_start().len();
        let word = line
            .split_whitespace()
            .next()
            .unwrap_or("")
            .trim_end_matches(',');
        let is_entry = indent > 0 && indent < 8 && (word.ends_with('/') || word.ends_with(".rs"));
        if !is_entry {
            if let Some(last) = entries.last_mut() {
                last.text.push('\n');
                last.text.push_str(line);
            }
            continue;
        }
        while open.last().is_some_and(|(at, _)| *at >= indent) {
            open.pop();
        }
        let mut path: Vec<String> = open.iter().map(|(_, name)| name.clone()).collect();
        let name = word.trim_end_matches('/').to_string();
        path.push(name.clone());
        if word.ends_with('/') {
            open.push((indent, name));
        }
        entries.push(Entry {
            path,
            text: line.to_string(),
        });
    }
    entries
}

/// Whether `text` names `word` (`check.rs`, `completion/`) as a whole word: not the tail of
/// a longer name (`report_ci.rs` does not name `ci.rs`).
pub fn names(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().last();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(is_ident) && !after.is_some_and(|c| is_ident(c) || c == '.')
    })
}

/// Why the map does not account for a file (its path under `server/src/`), if it does not:
/// the deepest entry on the file's path must name each folder below it and the file itself.
pub fn unmapped(map: &[Entry], file: &[String]) -> Option<String> {
    let deepest = map
        .iter()
        .filter(|e| file.starts_with(&e.path[..]))
        .max_by_key(|e| e.path.len())?;
    if deepest.path == file {
        return None;
    }
    let below = &file[deepest.path.len()..];
    for (i, part) in below.iter().enumerate() {
        let is_file = i + 1 == below.len();
        if is_file && part == "mod.rs" {
            continue;
        }
        let word = if is_file {
            part.clone()
        } else {
            format!("{part}/")
        };
        if !names(&deepest.text, &word) {
            return Some(format!(
                "the entry `{}` does not name `{word}`",
                deepest.path.join("/")
            ));
        }
    }
    None
}
