//! A flow's input fields and the payload keys that send them, across every surface: the key at
//! a position, the keys of a call that send a field, and whether a call's payload can be renamed
//! safely. The editor's definition, references and rename of input fields are built on these.

use std::ops::Range;
use std::sync::Arc;

use crate::flows::registry::Flow;
use crate::flows::validate::Segment;
use crate::surfaces::call::CallSummary;

/// A payload key at a position: the flow it is sent to, the field's path and the key's range.
pub struct KeyAt {
    pub flow: Arc<Flow>,
    pub path: Vec<Segment>,
    pub range: Range<usize>,
}

/// The payload key of a resolved call at `offset`, when the call's tree has its range.
pub fn key_at(calls: &[CallSummary], offset: usize) -> Option<KeyAt> {
    calls.iter().find_map(|call| {
        let (flow, _) = call.target.as_ref()?;
        let payload = call.payload.as_ref()?;
        let (path, range) = payload
            .keys
            .iter()
            .filter(|(_, r)| r.start <= offset && offset <= r.end)
            .min_by_key(|(_, r)| r.len())?;
        Some(KeyAt {
            flow: flow.clone(),
            path: path.clone(),
            range: range.clone(),
        })
    })
}

/// Whether two payload paths name the same field: list indexes all stand for the list's
/// element.
pub fn same_field(a: &[Segment], b: &[Segment]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|pair| match pair {
            (Segment::Key(x), Segment::Key(y)) => x == y,
            (Segment::Index(_), Segment::Index(_)) => true,
            _ => false,
        })
}

/// The calls of `calls` that run `flow`.
pub fn calls_of<'a>(
    calls: &'a [CallSummary],
    flow: &'a str,
) -> impl Iterator<Item = &'a CallSummary> {
    calls
        .iter()
        .filter(move |c| c.target.as_ref().is_some_and(|(f, _)| f.id == flow))
}

/// A key that sends a field: its range, and whether it is a shorthand property (`{ topic }`,
/// the key also the value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPlace {
    pub range: Range<usize>,
    pub shorthand: bool,
}

/// The keys of a call's payload that send the field at `path`, as the call's tree knows them
/// (a payload file's tree keeps only the ranges of its problems: see
/// `surfaces::json::key_ranges`).
pub fn keys_of_field(call: &CallSummary, path: &[Segment]) -> Vec<KeyPlace> {
    let Some(payload) = &call.payload else {
        return Vec::new();
    };
    let mut places: Vec<KeyPlace> = payload
        .keys
        .iter()
        .filter(|(p, _)| same_field(p, path))
        .map(|(p, r)| KeyPlace {
            range: r.clone(),
            shorthand: payload.values.get(p) == Some(r),
        })
        .collect();
    places.sort_by_key(|p| p.range.start);
    places
}

/// Why renaming the field at `path` in this call's payload could miss a key, if it could: the
/// payload is not written out, or the object holding the field spreads another object into
/// itself or computes its keys.
pub fn rename_blocker(call: &CallSummary, path: &[Segment]) -> Option<String> {
    // A JSON file's keys are all written out; its summary does not keep the value.
    if matches!(call.method.as_str(), "payload file" | "variables file") {
        return None;
    }
    let Some(payload) = &call.payload else {
        return Some(format!(
            "the payload of this `{}` is not written out in the call, so its keys cannot be seen",
            call.method
        ));
    };
    let parent = &path[..path.len().saturating_sub(1)];
    // Anything above the field only known at run time may hold the key too.
    let unknown =
        (0..=parent.len()).any(|n| payload.unknown.iter().any(|u| same_field(u, &parent[..n])));
    if payload.open.iter().any(|o| same_field(o, parent)) {
        return Some("the object that holds the key spreads another object into itself (or computes a key), so the key may come from elsewhere".into());
    }
    if unknown {
        return Some("the object that holds the key is only known when the app runs".into());
    }
    None
}

/// Whether `name` is a name every surface can take as a key unquoted (GraphQL's rule, which
/// JavaScript identifiers and JSON keys accept as they are).
pub fn is_field_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The text that replaces a key written as `written` when its field is renamed to `name`: the
/// quotes kept, a shorthand property (`{ topic }`) kept as the value.
pub fn renamed_key(written: &str, name: &str, shorthand: bool) -> String {
    match written.chars().next() {
        Some(q @ ('"' | '\'')) => format!("{q}{name}{q}"),
        _ if shorthand => format!("{name}: {written}"),
        _ => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(k: &str) -> Segment {
        Segment::Key(k.into())
    }

    #[test]
    fn list_indexes_name_one_field() {
        assert!(same_field(
            &[key("a"), Segment::Index(2), key("b")],
            &[key("a"), Segment::Index(0), key("b")]
        ));
        assert!(!same_field(&[key("a")], &[key("b")]));
        assert!(!same_field(&[key("a"), key("b")], &[key("a")]));
    }

    #[test]
    fn renamed_keys_keep_how_they_were_written() {
        assert_eq!(renamed_key("\"topic\"", "subject", false), "\"subject\"");
        assert_eq!(renamed_key("'topic'", "subject", false), "'subject'");
        assert_eq!(renamed_key("topic", "subject", true), "subject: topic");
        assert_eq!(renamed_key("topic", "subject", false), "subject");
        assert!(
            is_field_name("max_words2")
                && !is_field_name("2x")
                && !is_field_name("a-b")
                && !is_field_name("")
        );
    }
}
