//! Property test: random edit sequences applied to a `Document` (rope, positions in UTF-16 or
//! UTF-8 units) give the same text as a plain string model, and positions round-trip.

use flowql::base::document::{Change, Document, Encoding, Position};
use proptest::prelude::*;

/// Text made of the characters that break position code: line breaks of all kinds, tabs,
/// two-byte and four-byte (two UTF-16 units) characters.
fn text_strategy() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just('a'),
            Just('z'),
            Just(' '),
            Just('\t'),
            Just('\n'),
            Just('\r'),
            Just('é'),
            Just('😀'),
            Just('{'),
        ],
        0..40,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

/// The position of char index `i` in `text`, computed naively; `i` must not split a CRLF.
fn model_position(text: &str, i: usize, encoding: Encoding) -> Position {
    let chars: Vec<char> = text.chars().collect();
    let (mut line, mut col) = (0u32, 0u32);
    let mut k = 0;
    while k < i {
        match chars[k] {
            '\r' if chars.get(k + 1) == Some(&'\n') && k + 1 < i => {
                line += 1;
                col = 0;
                k += 2;
                continue;
            }
            '\r' | '\n' => {
                line += 1;
                col = 0;
            }
            c => {
                col += match encoding {
                    Encoding::Utf16 => c.len_utf16() as u32,
                    Encoding::Utf8 => c.len_utf8() as u32,
                }
            }
        }
        k += 1;
    }
    Position::new(line, col)
}

/// Moves a char index off the middle of a CRLF pair.
fn snap(text: &str, i: usize) -> usize {
    let chars: Vec<char> = text.chars().collect();
    if i > 0 && i < chars.len() && chars[i - 1] == '\r' && chars[i] == '\n' {
        i - 1
    } else {
        i
    }
}

fn byte_index(text: &str, char_index: usize) -> usize {
    text.char_indices()
        .nth(char_index)
        .map_or(text.len(), |(b, _)| b)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn edits_match_a_string_model(
        initial in text_strategy(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>(), text_strategy()), 1..12),
        utf8 in any::<bool>(),
    ) {
        let encoding = if utf8 { Encoding::Utf8 } else { Encoding::Utf16 };
        let mut model = initial.clone();
        let mut doc = Document::new(&initial, 0);
        for (version, (a, b, insert)) in edits.into_iter().enumerate() {
            let len = model.chars().count();
            let (mut from, mut to) = (a.index(len + 1), b.index(len + 1));
            if from > to { std::mem::swap(&mut from, &mut to); }
            let (from, to) = (snap(&model, from), snap(&model, to));
            let change = Change {
                range: Some((model_position(&model, from, encoding), model_position(&model, to, encoding))),
                text: insert.clone(),
            };
            let errors = doc.apply_changes(version as i32 + 1, &[change], encoding);
            prop_assert!(errors.is_empty(), "{errors:?}");
            let (bf, bt) = (byte_index(&model, from), byte_index(&model, to));
            model.replace_range(bf..bt, &insert);
            prop_assert_eq!(doc.text(), model.clone());
        }
        // Every char boundary that does not split a CRLF round-trips through its position.
        for i in 0..=model.chars().count() {
            let i = snap(&model, i);
            let offset = byte_index(&model, i);
            let position = doc.offset_to_position(offset, encoding);
            prop_assert_eq!(position, model_position(&model, i, encoding));
            prop_assert_eq!(doc.position_to_offset(position, encoding), Some(offset));
        }
    }

    #[test]
    fn out_of_range_lines_are_skipped_never_panic(
        initial in text_strategy(),
        line in 0u32..100,
        character in 0u32..100,
    ) {
        let mut doc = Document::new(&initial, 0);
        let change = Change { range: Some((Position::new(line, character), Position::new(line, character + 1))), text: "x".into() };
        let errors = doc.apply_changes(1, &[change], Encoding::Utf16);
        let lines = initial.split("\r\n").flat_map(|s| s.split(['\n', '\r'])).count() as u32;
        if line >= lines {
            prop_assert_eq!(errors.len(), 1);
            prop_assert_eq!(doc.text(), initial);
        } else {
            prop_assert!(errors.is_empty());
        }
    }
}
