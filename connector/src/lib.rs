//! zoom-connector (skeleton)

pub mod template;
pub mod alerts;
