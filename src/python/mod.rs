//! Python resolver index.
