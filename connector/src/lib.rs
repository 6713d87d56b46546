//! zoom-connector (skeleton)
