//! The editor's features, each named for the request it answers and built on a document's
//! check (`checks::document::Analysis`): completion, hover, navigation (definition,
//! references, rename), symbols, highlighting, formatting, code lenses and inlay hints. Byte
//! offsets in, byte ranges out; the protocol is `lsp/`'s.

pub mod completion;
pub mod format;
pub mod highlight;
pub mod hints;
pub mod hover;
pub mod lenses;
pub mod navigate;
pub mod symbols;
