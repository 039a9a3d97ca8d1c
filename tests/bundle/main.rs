//! The bundle file format, as `docs/bundle-format.md` specifies it: the golden files of format
//! version 1 keep importing and the writer still writes them byte for byte ([`golden`]); every
//! single-byte change of a signed bundle is refused ([`tamper`]); OpenSSL verifies the signature by
//! the document's own instructions ([`openssl`]); and the document and the JSON Schema say what the
//! code does ([`spec`]).
//!
//! Golden files are written only with `RIGHTSDESK_BLESS=1`, only when missing, and never rewritten
//! (tests/fixtures/README.md).
mod golden;
mod markdown;
mod openssl;
mod scenario;
mod spec;
mod tamper;
