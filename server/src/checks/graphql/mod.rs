//! GraphQL's own rules: parsing and validation against the schema (with the fragments other
//! files define), the narrowing of their ranges, "did you mean" suggestions, variable values
//! and the quick fixes of what they find.

pub mod fixes;
pub mod fragments;
pub mod refine;
pub mod suggest;
pub mod validate;
pub mod variable_values;
