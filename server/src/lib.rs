//! flowql: checks GraphQL operations and Flow payloads for the platform's project API.
//!
//! The modules are layers, each using only those below it (docs/ARCHITECTURE.md, "Layers";
//! `tests/tidy/` checks it): `base` (text, diagnostics, the catalog), the schemas (`schema`,
//! `flows`), `config` and `platform`, the `surfaces` that turn files into documents and flow
//! calls, the `checks` that judge them, `workspace` (which project and schema apply), the
//! editor `features`, then `run` and the edges, `cli` and `lsp`.

pub mod base;
pub mod checks;
pub mod cli;
pub mod config;
pub mod features;
pub mod flows;
pub mod lsp;
pub mod platform;
pub mod run;
pub mod schema;
pub mod surfaces;
pub mod workspace;
