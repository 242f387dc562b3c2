//! The vocabulary every layer shares, depending on no other module of the crate: a document's
//! text and positions, diagnostics and their fixes, and the catalog of codes behind them.

pub mod age;
pub mod catalog;
pub mod diagnostic;
pub mod document;
pub mod span;
pub mod spelling;
