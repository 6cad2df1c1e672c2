//! Act: splice text at byte ranges, show what would change, and write it
//! atomically without overwriting what someone else changed meanwhile.

pub mod change_set;
pub mod splice;
pub mod write;
