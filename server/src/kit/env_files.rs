//! `.env`, `.env.local` and `.env.example` of a project, with the place of every name, so that
//! a problem with a flow's variable can be shown where it is written. dotenvy (which reads the
//! configuration's `.env`) keeps no positions, hence this small reader of the same syntax:
//! `NAME=value`, `export NAME=value`, quotes, `#` comments; a line it cannot read is skipped.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// One `NAME=value` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvEntry {
    pub name: String,
    pub value: String,
    pub file: PathBuf,
    /// The name's range in the file.
    pub range: Range<usize>,
}

/// What a project's env files say.
#[derive(Debug, Clone, Default)]
pub struct EnvFiles {
    /// Values from `.env` and `.env.local` (the latter wins), by name.
    pub values: HashMap<String, EnvEntry>,
    /// Names from `.env.example` (their values are placeholders).
    pub documented: HashMap<String, EnvEntry>,
    /// Every env file read.
    pub files: Vec<PathBuf>,
}

/// Files whose values count; later ones win.
const VALUE_FILES: &[&str] = &[".env", ".env.local"];
/// Files that only document names.
const EXAMPLE_FILES: &[&str] = &[".env.example", ".env.sample", ".env.template"];

/// Larger env files are not read: no real one is near it.
const MAX_ENV_BYTES: u64 = 1024 * 1024;

impl EnvFiles {
    /// Reads the env files of each folder in `dirs` (the project root first, then app folders).
    pub fn load(dirs: &[PathBuf]) -> EnvFiles {
        let mut env = EnvFiles::default();
        for dir in dirs {
            for name in VALUE_FILES {
                let path = dir.join(name);
                for entry in read(&path, &mut env.files) {
                    env.values.insert(entry.name.clone(), entry);
                }
            }
            for name in EXAMPLE_FILES {
                let path = dir.join(name);
                for entry in read(&path, &mut env.files) {
                    env.documented.entry(entry.name.clone()).or_insert(entry);
                }
            }
        }
        env
    }

    /// A real value of `name` (not a placeholder), from `.env` or `.env.local`.
    pub fn real_value(&self, name: &str) -> Option<&str> {
        self.values
            .get(name)
            .map(|e| e.value.as_str())
            .filter(|v| !is_placeholder(v))
    }
}

fn read(path: &Path, files: &mut Vec<PathBuf>) -> Vec<EnvEntry> {
    let Ok(meta) = std::fs::metadata(path) else {
        return Vec::new();
    };
    if !meta.is_file() {
        return Vec::new();
    }
    files.push(path.to_path_buf());
    if meta.len() > MAX_ENV_BYTES {
        return Vec::new();
    }
    let Ok(bytes) = std::fs::read(path) else {
        return Vec::new();
    };
    // Binary junk is not fatal: the lines that read as `NAME=value` still count.
    let text = String::from_utf8_lossy(&bytes);
    parse(&text, path)
}

/// Every `NAME=value` line of an env file's text.
pub fn parse(text: &str, file: &Path) -> Vec<EnvEntry> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let lead = body.len() - body.trim_start().len();
        let mut rest = &body[lead..];
        let mut at = start + lead;
        if let Some(after) = rest.strip_prefix("export ") {
            let spaces = after.len() - after.trim_start().len();
            at += "export ".len() + spaces;
            rest = after.trim_start();
        }
        let Some(eq) = rest.find('=') else { continue };
        let name = rest[..eq].trim_end();
        let valid = !name.is_empty()
            && !name.starts_with(|c: char| c.is_ascii_digit())
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
        if !valid {
            continue;
        }
        out.push(EnvEntry {
            name: name.to_string(),
            value: value_of(&rest[eq + 1..]),
            file: file.to_path_buf(),
            range: at..at + name.len(),
        });
    }
    out
}

/// A value as written after `=`: quoted (up to the closing quote) or bare (up to a ` #`).
fn value_of(raw: &str) -> String {
    let raw = raw.trim_start();
    for quote in ['"', '\''] {
        if let Some(inner) = raw.strip_prefix(quote) {
            return inner.split(quote).next().unwrap_or("").to_string();
        }
    }
    let bare = match raw.find(" #") {
        Some(i) => &raw[..i],
        None => raw,
    };
    bare.trim().to_string()
}

/// Whether a value is a stand-in for the real one (`YOUR_FLOW_ID`, `<flow id>`, `xxx`, empty).
pub fn is_placeholder(value: &str) -> bool {
    let lower = value.trim().to_ascii_lowercase();
    lower.is_empty()
        || lower.contains("your")
        || lower.contains('<')
        || lower.contains("xxx")
        || lower.contains("...")
        || lower.contains("replace")
        || lower.contains("change")
        || lower.contains("example")
        || lower.contains("placeholder")
        || lower.contains(' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_values_and_their_places() {
        let text = "# flows\nexport SETUP_FLOW_ID=\"abc-1\" \r\nJUDGE_FLOW_ID = 'def' # judge\nBARE=x #c\n1BAD=no\nnot a line\n\u{0}\u{1}junk=\nEMPTY=\n";
        let entries = parse(text, Path::new(".env"));
        let found: Vec<(&str, &str, &str)> = entries
            .iter()
            .map(|e| (e.name.as_str(), e.value.as_str(), &text[e.range.clone()]))
            .collect();
        assert_eq!(
            found,
            [
                ("SETUP_FLOW_ID", "abc-1", "SETUP_FLOW_ID"),
                ("JUDGE_FLOW_ID", "def", "JUDGE_FLOW_ID"),
                ("BARE", "x", "BARE"),
                ("EMPTY", "", "EMPTY"),
            ]
        );
    }

    #[test]
    fn placeholders_are_not_ids() {
        for value in [
            "",
            "YOUR_FLOW_ID",
            "<flow-id>",
            "xxxx",
            "replace-me",
            "your flow id",
        ] {
            assert!(is_placeholder(value), "{value}");
        }
        assert!(!is_placeholder("3f1c2a9e-0b7d-4c55-9a51-2a7f0c1d9e44"));
    }
}
