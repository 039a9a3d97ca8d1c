//! Many offices, random edits and lossy exchanges: all end with the same state digest.
