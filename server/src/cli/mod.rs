//! The command-line commands other than the server: `check`, `run`, `explain`, `schema`,
//! `status` and `settings`.

pub mod check;
pub mod checked;
pub mod explain;
mod findings;
mod project_checks;
pub mod report;
pub mod report_ci;
pub mod run;
pub mod schema;
pub mod status;
