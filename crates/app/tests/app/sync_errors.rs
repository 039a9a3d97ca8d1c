//! Every kind of bad bundle is refused with its own code and changes nothing.
