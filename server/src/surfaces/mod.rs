//! The surfaces: what turns each kind of file into GraphQL documents and flow calls, judging
//! nothing. Code files (`code/`: GraphQL literals, SDK calls and their `variables`), the
//! platform's project layout on disk (`kit/`: `lamatic.config`, flow files, `.env`), and the
//! flow call every surface produces (`call`).

pub mod call;
pub mod code;
pub mod graphql;
pub mod kit;
pub mod places;
