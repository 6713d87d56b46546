//! zoom-connector (skeleton)

pub mod template;
