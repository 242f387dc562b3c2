//! The surfaces: what turns each kind of file into GraphQL documents and flow calls, judging
//! nothing. GraphQL documents (`graphql`: their tokens and the root fields that run a flow),
//! code files (`code/`: GraphQL literals, SDK calls and their `variables`), payload and
//! variables files (`json`), and the platform's project layout on disk (`kit/`:
//! `lamatic.config`, flow files, `.env`). Every surface hands over the same flow call (`call`),
//! with the places of its parts (`places`).

pub mod call;
pub mod code;
pub mod graphql;
pub mod json;
pub mod kit;
pub mod places;
