//! Edits applied to a document in UTF-8 and UTF-16 positions agree with the same edits applied
//! to a plain string; positions and offsets convert back and forth.
#![no_main]
use flowql::base::document::{Change, Document, Encoding, Position};
use libfuzzer_sys::fuzz_target;

/// The byte offset of an LSP position in `text`, as the specification defines it (a character
/// past the line's end is the end; lines end at `\n`, `\r\n` or `\r`).
fn reference_offset(text: &str, pos: Position, encoding: Encoding) -> Option<usize> {
    let mut starts = vec![0];
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            starts.push(i + 2);
            i += 2;
            continue;
        }
        if bytes[i] == b'\r' || bytes[i] == b'\n' {
            starts.push(i + 1);
        }
        i += 1;
    }
    let line = pos.line as usize;
    if line >= starts.len() {
        return None;
    }
    let start = starts[line];
    let end = starts.get(line + 1).map_or(text.len(), |next| {
        let mut e = *next;
        while e > start && matches!(bytes[e - 1], b'\n' | b'\r') {
            e -= 1;
        }
        e
    });
    let mut units = 0usize;
    for (at, c) in text[start..end].char_indices() {
        if units >= pos.character as usize {
            return Some(start + at);
        }
        units += match encoding {
            Encoding::Utf16 => c.len_utf16(),
            Encoding::Utf8 => c.len_utf8(),
        };
        if units > pos.character as usize {
            // Inside a character: the specification leaves it open; not compared.
            return None;
        }
    }
    Some(end)
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let encoding = if data[0] & 1 == 0 {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    };
    let text = String::from_utf8_lossy(&data[1..]).into_owned();
    let (initial, edits) = text.split_once('\0').unwrap_or((&text, ""));
    let mut model = initial.to_string();
    let mut doc = Document::new(initial, 1);
    for (n, edit) in edits.split('\0').enumerate() {
        let mut chars = edit.chars();
        let (Some(a), Some(b), Some(c)) = (chars.next(), chars.next(), chars.next()) else {
            continue;
        };
        let line = (a as u32) % 8;
        let character = (b as u32) % 40;
        let length = (c as u32) % 6;
        let inserted: String = chars.collect();
        let start = Position::new(line, character);
        let end = Position::new(line, character + length);
        let (from, to) = match (
            reference_offset(&model, start, encoding),
            reference_offset(&model, end, encoding),
        ) {
            (Some(f), Some(t)) if f <= t => (f, t),
            _ => {
                // Past the last line, inside a character, or reversed: whatever the document
                // does, it must not panic and must stay text.
                let _ = doc.apply_changes(
                    n as i32 + 2,
                    &[Change {
                        range: Some((start, end)),
                        text: inserted,
                    }],
                    encoding,
                );
                model = doc.text();
                continue;
            }
        };
        let errors = doc.apply_changes(
            n as i32 + 2,
            &[Change {
                range: Some((start, end)),
                text: inserted.clone(),
            }],
            encoding,
        );
        assert!(errors.is_empty(), "{errors:?}");
        model.replace_range(from..to, &inserted);
        assert_eq!(doc.text(), model);
    }
    for offset in (0..=model.len())
        .filter(|i| model.is_char_boundary(*i))
        .take(200)
    {
        let pos = doc.offset_to_position(offset, encoding);
        assert!(doc.position_to_offset(pos, encoding).is_some());
    }
});
