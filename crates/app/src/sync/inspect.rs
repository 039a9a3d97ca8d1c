//! Reading a bundle without importing it: `bundle verify` and `bundle inspect`.
