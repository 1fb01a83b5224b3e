//! Property tests of calendar arithmetic (proptest).
