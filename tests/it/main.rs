//! Every integration test, in one binary: it is built and linked once, and its tests share one
//! pool of threads. One module per area, one file per former test binary; every test builds its
//! world with `support::TestEnv`.

// Tests arrange their worlds directly (files, folders, processes); the lints that keep the
// product's writes in `store` do not apply to them.
#![allow(clippy::disallowed_methods)]

mod support;

mod continuity;
mod docs;
mod foundation;
mod hooks;
mod install;
mod integration;
mod json;
mod mcp;
mod memory;
mod onepassword;
mod recovery;
mod statusline;
mod sync;
mod tasks;
mod tracker;
