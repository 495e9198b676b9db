//! The library's integration harness: the embedding contract and
//! data-driven rule tests.

mod api;
mod context;
mod linear;
mod precision;
mod props;
mod regressions;
mod rules;
