//! zoom-connector (skeleton)

pub mod alerts;
pub mod bot;
pub mod template;
pub mod webhook;
mod zz_stub;
pub use zz_stub::*;
pub mod runbook;
