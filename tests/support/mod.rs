//! Helpers shared by the end-to-end tests.
#![allow(dead_code)]

pub mod cli;
pub mod fake_platform;
pub mod kit_cli;
pub mod kits;
pub mod lsp_client;
pub mod run_kit;
pub mod tools;
