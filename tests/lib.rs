//! Test-only package: see tests/README in tests/lib.rs
