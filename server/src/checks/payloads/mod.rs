//! Payloads against the flows' input schemas: one checker (`checker`) for the flow calls every
//! surface produces, the placing of its problems on keys and values with their fixes
//! (`locate`), and the calls of GraphQL documents and of payload and variables files, as
//! `surfaces::graphql` and `surfaces::json` read them.

pub mod checker;
pub mod files;
pub mod graphql;
pub mod locate;
