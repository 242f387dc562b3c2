//! The command-line commands other than the server: `check`, `explain` and `schema`.

pub mod check;
pub mod explain;
pub mod report;
pub mod schema;
