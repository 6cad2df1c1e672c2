//! Act: splice text at byte ranges, and write a command's files all or
//! nothing, under the workspace lock, without overwriting what someone
//! else changed meanwhile.

pub mod change_set;
pub mod created_files;
pub mod interrupt;
pub mod journal;
pub mod lock;
pub mod splice;
pub mod transaction;
pub mod write;
