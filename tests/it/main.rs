//! integration tests
mod template_spec;
