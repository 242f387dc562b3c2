//! Finds where a setting is written in a configuration file's text, so that problems can be
//! reported at the offending key. The parsers used for YAML and TOML keep no positions; config
//! files are small and keys are written in a few known forms, so a scan along the key path is
//! exact in practice and falls back to the start of the file when a key cannot be found.

use std::ops::Range;

/// The range of the last key of a dotted path (`projects.app.extensions.flowql.apiKey`),
/// searching each segment after the previous one. Array indexes (`[0]`) are skipped.
pub fn key(text: &str, path: &str) -> Range<usize> {
    let mut from = 0;
    let mut found = 0..0;
    for segment in path.split('.') {
        let segment = segment.split('[').next().unwrap_or(segment);
        if segment.is_empty() {
            continue;
        }
        match find_key(text, segment, from) {
            Some(range) => {
                from = range.end;
                found = range;
            }
            None => return found,
        }
    }
    found
}

/// The range of `needle` at or after the key at `path` (a value written after its key).
pub fn value(text: &str, path: &str, needle: &str) -> Range<usize> {
    let start = key(text, path).end;
    match text[start..].find(needle) {
        Some(i) if !needle.is_empty() => start + i..start + i + needle.len(),
        _ => key(text, path),
    }
}

/// The first occurrence of `needle` anywhere (for placeholders such as `${NAME`).
pub fn text_range(text: &str, needle: &str) -> Option<Range<usize>> {
    text.find(needle).map(|i| i..i + needle.len())
}

/// A key written as `"key"` (JSON), `key:` (YAML, also quoted) or `key =` / `[key]` (TOML).
fn find_key(text: &str, key: &str, from: usize) -> Option<Range<usize>> {
    let mut search = from;
    while let Some(i) = text.get(search..)?.find(key) {
        let start = search + i;
        let end = start + key.len();
        let before = text[..start].chars().next_back();
        let after = &text[end..];
        let quoted = matches!(before, Some('"' | '\'')) && after.starts_with(['"', '\'']);
        let (start, end) = if quoted {
            (start - 1, end + 1)
        } else {
            (start, end)
        };
        let rest = text[end..].trim_start_matches([' ', '\t']);
        let boundary_before = text[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '-'));
        let looks_like_key = rest.starts_with(':')
            || rest.starts_with('=')
            || (text[..start].ends_with('[') || text[..start].ends_with('.'))
                && (rest.starts_with(']') || rest.starts_with('.'));
        if boundary_before && looks_like_key {
            return Some(start..end);
        }
        search = start + key.len().max(1);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice<'a>(text: &'a str, range: &Range<usize>) -> &'a str {
        &text[range.clone()]
    }

    #[test]
    fn yaml_keys_along_a_path() {
        let text = "schema: a.graphql\nprojects:\n  app:\n    schema: b.graphql\n    extensions:\n      flowql:\n        apiKey: lt-123\n";
        let r = key(text, "projects.app.schema");
        assert_eq!(slice(text, &r), "schema");
        assert!(r.start > text.find("app:").unwrap());
        let r = key(text, "projects.app.extensions.flowql.apiKey");
        assert_eq!(slice(text, &r), "apiKey");
        let v = value(text, "projects.app.extensions.flowql.apiKey", "lt-123");
        assert_eq!(slice(text, &v), "lt-123");
    }

    #[test]
    fn json_and_toml_keys() {
        let json = r#"{"extensions": {"flowql": {"endpoint": "x", "apiKey": "lt-1"}}}"#;
        assert_eq!(
            slice(json, &key(json, "extensions.flowql.apiKey")),
            "\"apiKey\""
        );
        let toml = "[extensions.flowql]\nendpoint = \"x\"\napiKey = \"lt-1\"\n";
        assert_eq!(
            slice(toml, &key(toml, "extensions.flowql.apiKey")),
            "apiKey"
        );
    }

    #[test]
    fn a_key_inside_a_value_is_not_a_key() {
        let text = "documents: endpoint.graphql\nendpoint: https://x\n";
        let r = key(text, "endpoint");
        assert_eq!(r.start, text.find("\nendpoint").unwrap() + 1);
    }

    #[test]
    fn missing_keys_fall_back_to_the_deepest_found() {
        let text = "extensions:\n  flowql: {}\n";
        assert_eq!(
            slice(text, &key(text, "extensions.flowql.apiKey")),
            "flowql"
        );
        assert_eq!(key("", "a.b"), 0..0);
    }
}
