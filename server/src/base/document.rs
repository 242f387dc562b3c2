//! An open document: its text as a rope, its version, incremental edits and the conversion
//! between byte offsets (used inside) and line/character positions (UTF-8 or UTF-16 units).

use ropey::Rope;

/// Documents larger than this are not parsed: no real operation is near it, and a generated
/// or mistaken file must not stall the server.
pub const MAX_DOCUMENT_BYTES: usize = 8 * 1024 * 1024;

/// How the `character` of a position counts: the client and server agree on it at start-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
}

/// A zero-based line and character, counted in the negotiated [`Encoding`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Position {
    pub line: u32,
    pub character: u32,
}

impl Position {
    pub fn new(line: u32, character: u32) -> Self {
        Position { line, character }
    }
}

/// One edit as the client sends it: a range to replace, or the whole text when `range` is `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub range: Option<(Position, Position)>,
    pub text: String,
}

/// Why an edit was skipped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("edit range starts on line {line}, but the document has {lines} lines")]
    LineOutOfRange { line: u32, lines: usize },
    #[error("edit range ends before it starts ({start:?} > {end:?})")]
    Reversed { start: Position, end: Position },
}

/// What one change did to a text's bytes: the range `start_byte..old_end_byte` became
/// `start_byte..new_end_byte`; points are (line, byte column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteEdit {
    pub start_byte: usize,
    pub old_end_byte: usize,
    pub new_end_byte: usize,
    pub start: (usize, usize),
    pub old_end: (usize, usize),
    pub new_end: (usize, usize),
}

/// The text of one document and the version the client gave it.
#[derive(Debug, Clone)]
pub struct Document {
    rope: Rope,
    version: i32,
}

impl Document {
    pub fn new(text: &str, version: i32) -> Self {
        Document {
            rope: Rope::from_str(text),
            version,
        }
    }

    pub fn version(&self) -> i32 {
        self.version
    }

    pub fn rope(&self) -> &Rope {
        &self.rope
    }

    pub fn text(&self) -> String {
        self.rope.to_string()
    }

    /// Applies the edits of one `didChange` in order. An edit with a bad range is skipped and
    /// reported; the rest still apply. The version only moves forward.
    pub fn apply_changes(
        &mut self,
        version: i32,
        changes: &[Change],
        encoding: Encoding,
    ) -> Vec<EditError> {
        self.apply_changes_tracked(version, changes, encoding).0
    }

    /// [`apply_changes`](Self::apply_changes), also saying what each applied change did to
    /// the bytes (for an incremental re-parse of the text).
    pub fn apply_changes_tracked(
        &mut self,
        version: i32,
        changes: &[Change],
        encoding: Encoding,
    ) -> (Vec<EditError>, Vec<ByteEdit>) {
        let mut errors = Vec::new();
        let mut edits = Vec::new();
        for change in changes {
            let range = match change.range {
                None => Ok((0, self.rope.len_bytes())),
                Some((start, end)) => self.edit_range(start, end, encoding),
            };
            match range {
                Ok((from, to)) => {
                    let start = self.point(from);
                    let old_end = self.point(to);
                    let from_char = self.rope.byte_to_char(from);
                    let to_char = self.rope.byte_to_char(to);
                    self.rope.remove(from_char..to_char);
                    self.rope.insert(from_char, &change.text);
                    let new_end_byte = from + change.text.len();
                    edits.push(ByteEdit {
                        start_byte: from,
                        old_end_byte: to,
                        new_end_byte,
                        start,
                        old_end,
                        new_end: self.point(new_end_byte),
                    });
                }
                Err(e) => errors.push(e),
            }
        }
        self.version = self.version.max(version);
        (errors, edits)
    }

    /// The line and the byte column of a byte offset.
    fn point(&self, byte: usize) -> (usize, usize) {
        let byte = byte.min(self.rope.len_bytes());
        let line = self.rope.byte_to_line(byte);
        (line, byte - self.rope.line_to_byte(line))
    }

    fn edit_range(
        &self,
        start: Position,
        end: Position,
        encoding: Encoding,
    ) -> Result<(usize, usize), EditError> {
        if end < start {
            return Err(EditError::Reversed { start, end });
        }
        let from = self.offset_at(start, encoding)?;
        let to = self.offset_at(end, encoding)?;
        Ok((from, to))
    }

    fn offset_at(&self, pos: Position, encoding: Encoding) -> Result<usize, EditError> {
        self.position_to_offset(pos, encoding)
            .ok_or(EditError::LineOutOfRange {
                line: pos.line,
                lines: self.rope.len_lines(),
            })
    }

    /// The byte offset of a position. A character past the end of its line means the line's end
    /// (as the LSP says); a line past the last one is `None`, except the position just after the
    /// last line break, which some clients use for "end of document".
    pub fn position_to_offset(&self, pos: Position, encoding: Encoding) -> Option<usize> {
        let line = pos.line as usize;
        let lines = self.rope.len_lines();
        if line >= lines {
            return (line == lines && pos.character == 0).then(|| self.rope.len_bytes());
        }
        let (start_char, end_char) = self.line_chars(line);
        let char_idx = match encoding {
            Encoding::Utf16 => {
                let start_cu = self.rope.char_to_utf16_cu(start_char);
                let end_cu = self.rope.char_to_utf16_cu(end_char);
                let target = (start_cu + pos.character as usize).min(end_cu);
                self.rope.utf16_cu_to_char(target)
            }
            Encoding::Utf8 => {
                let start_byte = self.rope.char_to_byte(start_char);
                let end_byte = self.rope.char_to_byte(end_char);
                let target = (start_byte + pos.character as usize).min(end_byte);
                // A byte inside a multi-byte character rounds down to its start.
                self.rope.byte_to_char(target)
            }
        };
        Some(self.rope.char_to_byte(char_idx))
    }

    /// The position of a byte offset; offsets past the end clamp to the end, and an offset
    /// inside a multi-byte character rounds down to its start.
    pub fn offset_to_position(&self, offset: usize, encoding: Encoding) -> Position {
        let offset = offset.min(self.rope.len_bytes());
        let char_idx = self.rope.byte_to_char(offset);
        let line = self.rope.char_to_line(char_idx);
        let line_start = self.rope.line_to_char(line);
        let character = match encoding {
            Encoding::Utf16 => {
                self.rope.char_to_utf16_cu(char_idx) - self.rope.char_to_utf16_cu(line_start)
            }
            Encoding::Utf8 => self.rope.char_to_byte(char_idx) - self.rope.char_to_byte(line_start),
        };
        Position::new(line as u32, character as u32)
    }

    /// The char range of a line's content, without its line break.
    fn line_chars(&self, line: usize) -> (usize, usize) {
        let start = self.rope.line_to_char(line);
        let slice = self.rope.line(line);
        let mut len = slice.len_chars();
        if len > 0 && slice.char(len - 1) == '\n' {
            len -= 1;
        }
        if len > 0 && slice.char(len - 1) == '\r' {
            len -= 1;
        }
        (start, start + len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        Document::new(text, 1)
    }

    fn edit(l1: u32, c1: u32, l2: u32, c2: u32, text: &str) -> Change {
        Change {
            range: Some((Position::new(l1, c1), Position::new(l2, c2))),
            text: text.to_string(),
        }
    }

    #[test]
    fn emoji_counts_two_utf16_units_and_four_bytes() {
        let d = doc("a😀b\n");
        let b_offset = "a😀".len();
        assert_eq!(
            d.offset_to_position(b_offset, Encoding::Utf16),
            Position::new(0, 3)
        );
        assert_eq!(
            d.offset_to_position(b_offset, Encoding::Utf8),
            Position::new(0, 5)
        );
        assert_eq!(
            d.position_to_offset(Position::new(0, 3), Encoding::Utf16),
            Some(b_offset)
        );
        // Inside the surrogate pair rounds down to the emoji's start.
        assert_eq!(
            d.position_to_offset(Position::new(0, 2), Encoding::Utf16),
            Some(1)
        );
        // Inside the UTF-8 sequence rounds down too.
        assert_eq!(
            d.position_to_offset(Position::new(0, 3), Encoding::Utf8),
            Some(1)
        );
    }

    #[test]
    fn crlf_is_one_line_break_and_not_part_of_the_line() {
        let d = doc("ab\r\ncd\r\n");
        assert_eq!(
            d.offset_to_position(4, Encoding::Utf16),
            Position::new(1, 0)
        );
        // A character past the line's end stops before the \r.
        assert_eq!(
            d.position_to_offset(Position::new(0, 99), Encoding::Utf16),
            Some(2)
        );
        assert_eq!(
            d.position_to_offset(Position::new(2, 0), Encoding::Utf16),
            Some(8)
        );
    }

    #[test]
    fn lone_cr_also_breaks_lines() {
        let d = doc("a\rb");
        assert_eq!(
            d.offset_to_position(2, Encoding::Utf16),
            Position::new(1, 0)
        );
    }

    #[test]
    fn tabs_are_one_unit() {
        let d = doc("\tx");
        assert_eq!(
            d.offset_to_position(1, Encoding::Utf16),
            Position::new(0, 1)
        );
    }

    #[test]
    fn edit_at_line_end_and_insert_line_break() {
        let mut d = doc("query {\n  a\n}\n");
        let errors = d.apply_changes(2, &[edit(1, 3, 1, 3, "\n  b")], Encoding::Utf16);
        assert!(errors.is_empty());
        assert_eq!(d.text(), "query {\n  a\n  b\n}\n");
        assert_eq!(d.version(), 2);
    }

    #[test]
    fn out_of_range_edit_is_skipped_and_others_apply() {
        let mut d = doc("abc\n");
        let errors = d.apply_changes(
            3,
            &[edit(9, 0, 9, 1, "x"), edit(0, 0, 0, 1, "Z")],
            Encoding::Utf16,
        );
        assert_eq!(errors.len(), 1);
        assert!(matches!(
            errors[0],
            EditError::LineOutOfRange { line: 9, .. }
        ));
        assert_eq!(d.text(), "Zbc\n");
    }

    #[test]
    fn reversed_range_is_skipped() {
        let mut d = doc("abc");
        let errors = d.apply_changes(2, &[edit(0, 2, 0, 1, "x")], Encoding::Utf16);
        assert!(matches!(errors[0], EditError::Reversed { .. }));
        assert_eq!(d.text(), "abc");
    }

    #[test]
    fn end_of_document_after_last_break_is_accepted() {
        let mut d = doc("a\n");
        let errors = d.apply_changes(2, &[edit(2, 0, 2, 0, "b")], Encoding::Utf16);
        assert!(errors.is_empty());
        assert_eq!(d.text(), "a\nb");
    }

    #[test]
    fn version_never_goes_backwards() {
        let mut d = doc("a");
        d.apply_changes(5, &[], Encoding::Utf16);
        d.apply_changes(4, &[], Encoding::Utf16);
        assert_eq!(d.version(), 5);
    }

    #[test]
    fn full_replacement() {
        let mut d = doc("abc");
        d.apply_changes(
            2,
            &[Change {
                range: None,
                text: "x😀".into(),
            }],
            Encoding::Utf8,
        );
        assert_eq!(d.text(), "x😀");
    }
}
