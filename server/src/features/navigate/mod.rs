//! Navigation: inside a document (fragments, variables, operations: `in_document`), from a name to
//! its schema definition (`to_schema`), and input fields across files (`fields`).

pub mod fields;
pub mod in_document;
pub mod to_schema;
