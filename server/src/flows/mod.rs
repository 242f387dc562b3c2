//! Flows and their input schemas: the dialects compiled to JSON Schema, and payload validation.
//! Pure: reading exports and the REST API happen at the edges.

pub mod dialect;
pub mod export;
pub mod registry;
pub mod validate;
