//! The command-line commands other than the server: `check` and `explain`.

pub mod check;
pub mod explain;
pub mod report;
