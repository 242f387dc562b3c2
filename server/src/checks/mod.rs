//! Everything that produces diagnostics, each rule family in its own module with its fixes
//! beside it: GraphQL validation (`graphql/`), the platform's rules, deprecations, payloads
//! against the flows' input schemas (`payloads/`, one checker for every surface), the check of
//! a code file (`code`) and the checks that need a whole project (`project/`). `document` runs
//! them on one GraphQL document, once each, in one order.

pub mod code;
pub mod deprecation;
pub mod document;
pub mod graphql;
pub mod payloads;
pub mod platform_rules;
pub mod project;
