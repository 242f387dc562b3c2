//! A problem of a project's own files (config, flow files, env files), for a diagnostic in
//! that file.

use std::ops::Range;
use std::path::PathBuf;

use crate::base::catalog::{Code, Severity};

/// A problem of the project's own files, for a diagnostic in that file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KitProblem {
    pub file: PathBuf,
    pub range: Range<usize>,
    pub code: Code,
    pub severity: Severity,
    pub message: String,
}
