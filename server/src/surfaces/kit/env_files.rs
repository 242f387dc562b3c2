//! `.env`, `.env.local` and `.env.example` of a project, with the place of every name, so that
//! a problem with a flow's variable can be shown where it is written. dotenvy (which reads the
//! configuration's `.env`) keeps no positions, hence this small reader of the same syntax:
//! `NAME=value`, `export NAME=value`, quotes (double-quoted values may span lines), `#`
//! comments, a bare `NAME`; a line it cannot read is skipped, and noted for a diagnostic.

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
    /// The value's range, quotes included (empty, after the `=`, for an empty value).
    pub value_range: Range<usize>,
}

/// What one env file holds: its entries, and the lines no loader reads as `NAME=value`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedEnv {
    pub entries: Vec<EnvEntry>,
    /// Each line that is neither blank, a comment, nor `NAME=value`.
    pub unreadable: Vec<BadLine>,
}

/// A line of an env file that is not `NAME=value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    pub range: Range<usize>,
    /// It holds bytes that are not text (or control characters).
    pub binary: bool,
}

fn bad_line(text: &str, range: Range<usize>) -> BadLine {
    let binary = text[range.clone()]
        .chars()
        .any(|c| c == '\u{FFFD}' || (c.is_control() && c != '\t'));
    BadLine { range, binary }
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
    /// The lines of each file that could not be read, by file (files that had some).
    pub unreadable: Vec<(PathBuf, Vec<BadLine>)>,
    /// Env files too large to be read.
    pub too_large: Vec<PathBuf>,
}

/// Files whose values count; later ones win.
const VALUE_FILES: &[&str] = &[".env", ".env.local"];
/// Files that only document names.
const EXAMPLE_FILES: &[&str] = &[".env.example", ".env.sample", ".env.template"];

/// Whether a file is one of the env files a project's flow ids and connection are read from.
pub fn is_env_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| VALUE_FILES.contains(&n) || EXAMPLE_FILES.contains(&n))
}

/// Larger env files are not read: no real one is near it.
const MAX_ENV_BYTES: u64 = 1024 * 1024;

impl EnvFiles {
    /// Reads the env files of each folder in `dirs` (the project root first, then app folders).
    pub fn load(dirs: &[PathBuf]) -> EnvFiles {
        let mut env = EnvFiles::default();
        for dir in dirs {
            for name in VALUE_FILES {
                for entry in env.read(&dir.join(name)) {
                    env.values.insert(entry.name.clone(), entry);
                }
            }
            for name in EXAMPLE_FILES {
                for entry in env.read(&dir.join(name)) {
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

impl EnvFiles {
    /// The entries of one env file, noting it (and its unreadable lines) as read.
    fn read(&mut self, path: &Path) -> Vec<EnvEntry> {
        let Ok(meta) = std::fs::metadata(path) else {
            return Vec::new();
        };
        if !meta.is_file() {
            return Vec::new();
        }
        self.files.push(path.to_path_buf());
        if meta.len() > MAX_ENV_BYTES {
            self.too_large.push(path.to_path_buf());
            return Vec::new();
        }
        let Ok(text) = read_lossy(path) else {
            return Vec::new();
        };
        let parsed = parse(&text, path);
        if !parsed.unreadable.is_empty() {
            self.unreadable
                .push((path.to_path_buf(), parsed.unreadable));
        }
        parsed.entries
    }
}

/// An env file's text, bytes that are not UTF-8 replaced: binary junk is not fatal, the lines
/// that read as `NAME=value` still count (offsets are this text's, as the problems' are).
pub fn read_lossy(path: &Path) -> std::io::Result<String> {
    let bytes = std::fs::read(path)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Whether `name` is valid as a variable's name.
fn is_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
}

/// Every `NAME=value` of an env file's text, and the lines that are not one.
pub fn parse(text: &str, file: &Path) -> ParsedEnv {
    let mut out = ParsedEnv::default();
    let mut offset = 0;
    let mut lines = text.split_inclusive('\n');
    while let Some(line) = lines.next() {
        let start = offset;
        offset += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let lead = body.len() - body.trim_start().len();
        let mut rest = &body[lead..];
        let mut at = start + lead;
        if rest.is_empty() || rest.starts_with('#') {
            continue;
        }
        if let Some(after) = rest.strip_prefix("export ") {
            let spaces = after.len() - after.trim_start().len();
            at += "export ".len() + spaces;
            rest = after.trim_start();
        }
        let Some(eq) = rest.find('=') else {
            // A bare name (`NAME`, `export NAME`) is read as unset by the loaders that accept it.
            if !is_name(rest.trim_end()) {
                out.unreadable
                    .push(bad_line(text, start + lead..start + body.len()));
            }
            continue;
        };
        let name = rest[..eq].trim_end();
        if !is_name(name) {
            out.unreadable
                .push(bad_line(text, start + lead..start + body.len()));
            continue;
        }
        let after_eq = at + eq + 1;
        let raw = &rest[eq + 1..];
        let spaces = raw.len() - raw.trim_start().len();
        let value_start = after_eq + spaces;
        let (value, value_end) = match raw.trim_start().chars().next() {
            Some(quote @ ('"' | '\'')) => {
                let inner_start = value_start + 1;
                match text[inner_start..start + body.len()].find(quote) {
                    Some(close) => (
                        text[inner_start..inner_start + close].to_string(),
                        inner_start + close + 1,
                    ),
                    // A double-quoted value may go on over the next lines, to its closing quote.
                    None if quote == '"' => {
                        let mut end = None;
                        let mut scanned = offset;
                        for next in lines.by_ref() {
                            let line_start = scanned;
                            scanned += next.len();
                            if let Some(close) = next.find('"') {
                                end = Some(line_start + close);
                                break;
                            }
                        }
                        offset = scanned;
                        let close = end.unwrap_or(offset);
                        (
                            text[inner_start..close].to_string(),
                            end.map_or(offset, |e| e + 1),
                        )
                    }
                    None => (
                        text[inner_start..start + body.len()].to_string(),
                        start + body.len(),
                    ),
                }
            }
            _ => {
                let bare = raw.trim_start();
                let bare = match bare.find(" #") {
                    Some(i) => &bare[..i],
                    None => bare,
                };
                let bare = bare.trim_end();
                (bare.to_string(), value_start + bare.len())
            }
        };
        out.entries.push(EnvEntry {
            name: name.to_string(),
            value,
            file: file.to_path_buf(),
            range: at..at + name.len(),
            value_range: value_start..value_end,
        });
    }
    out
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
    #[test]
    fn an_unclosed_quote_ends_with_the_file() {
        let text = "A=\"open\nB=1\n";
        let parsed = parse(text, Path::new(".env"));
        assert_eq!(parsed.entries.len(), 1);
        assert_eq!(parsed.entries[0].value, "open\nB=1\n");
        assert_eq!(parsed.entries[0].value_range, 2..text.len());
        let single = parse("A='open\nB=1\n", Path::new(".env"));
        assert_eq!(single.entries[1].name, "B");
    }

    use super::*;

    #[test]
    fn names_values_and_their_places() {
        let text = "# flows\nexport SETUP_FLOW_ID=\"abc-1\" \r\nJUDGE_FLOW_ID = 'def' # judge\nBARE=x #c\n1BAD=no\nnot a line\n\u{0}\u{1}junk=\nEMPTY=\nKEY=\"-----BEGIN\nline two\n-----END\"\nUNSET\nAFTER=1";
        let parsed = parse(text, Path::new(".env"));
        let found: Vec<(&str, &str, &str, &str)> = parsed
            .entries
            .iter()
            .map(|e| {
                (
                    e.name.as_str(),
                    e.value.as_str(),
                    &text[e.range.clone()],
                    &text[e.value_range.clone()],
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("SETUP_FLOW_ID", "abc-1", "SETUP_FLOW_ID", "\"abc-1\""),
                ("JUDGE_FLOW_ID", "def", "JUDGE_FLOW_ID", "'def'"),
                ("BARE", "x", "BARE", "x"),
                ("EMPTY", "", "EMPTY", ""),
                (
                    "KEY",
                    "-----BEGIN\nline two\n-----END",
                    "KEY",
                    "\"-----BEGIN\nline two\n-----END\""
                ),
                ("AFTER", "1", "AFTER", "1"),
            ]
        );
        let unreadable: Vec<(&str, bool)> = parsed
            .unreadable
            .iter()
            .map(|l| (&text[l.range.clone()], l.binary))
            .collect();
        assert_eq!(
            unreadable,
            [
                ("1BAD=no", false),
                ("not a line", false),
                ("\u{0}\u{1}junk=", true)
            ]
        );
    }

    proptest::proptest! {
        /// Whatever the text, every range is the text's own: names where they are written,
        /// values and unreadable lines on character boundaries, a bad line within its line.
        #[test]
        fn ranges_are_always_the_texts_own(text in "(([A-Z_]{1,4}|[a-z -]{1,4}|export )(=|==| = )?([\"'][a-z\\n =#\"']{0,6}|[a-zé #]{0,5})?(\r?\n)?){0,8}") {
            let parsed = parse(&text, Path::new(".env"));
            for entry in &parsed.entries {
                proptest::prop_assert_eq!(&text[entry.range.clone()], entry.name.as_str());
                let value = text.get(entry.value_range.clone());
                proptest::prop_assert!(value.is_some(), "{:?}", entry.value_range);
                proptest::prop_assert!(entry.value_range.start >= entry.range.end);
            }
            for line in &parsed.unreadable {
                let text = text.get(line.range.clone());
                proptest::prop_assert!(text.is_some_and(|l| !l.contains('\n')));
            }
        }
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
