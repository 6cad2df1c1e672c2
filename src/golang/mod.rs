//! Go resolver index and skeleton generation.
