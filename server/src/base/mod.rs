//! The vocabulary every layer shares, depending on no other module of the crate: a document's
//! text and positions, diagnostics and their fixes, the catalog of codes behind them, and the
//! small helpers of every layer (GraphQL spans, the closest name, an age in words).

pub mod age;
pub mod catalog;
pub mod diagnostic;
pub mod document;
pub mod span;
pub mod spelling;
