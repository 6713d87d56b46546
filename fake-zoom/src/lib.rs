//! fake-zoom (skeleton)
