//! tree-sitter's C library allocates with the C library's `malloc`
//! unless told otherwise; ferry hands it mimalloc, the allocator the rest
//! of ferry uses (`main.rs`), which is cheaper for its many small nodes.

use std::ffi::c_void;

/// `calloc` on mimalloc: tree-sitter needs all four of one family.
unsafe extern "C" fn zeroed(count: usize, size: usize) -> *mut c_void {
    match count.checked_mul(size) {
        // SAFETY: mi_zalloc takes any size.
        Some(bytes) => unsafe { libmimalloc_sys::mi_zalloc(bytes) },
        None => std::ptr::null_mut(),
    }
}

/// Makes tree-sitter allocate with mimalloc.
///
/// # Safety
///
/// Call it before any other tree-sitter call of the process, on one
/// thread: memory tree-sitter allocated before it would be freed by the
/// wrong allocator.
pub unsafe fn tree_sitter_uses_mimalloc() {
    let allocator = tree_sitter::Allocator {
        malloc: libmimalloc_sys::mi_malloc,
        calloc: zeroed,
        realloc: libmimalloc_sys::mi_realloc,
        free: libmimalloc_sys::mi_free,
    };
    // SAFETY: the four functions are mimalloc's, which aligns as malloc
    // does and fails only when memory runs out; the caller promises no
    // tree-sitter object exists yet.
    unsafe { tree_sitter::set_allocator(Some(allocator)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zeroed_memory_is_zero_and_an_overflowing_size_is_refused() {
        // SAFETY: the block is read within its size and freed once.
        unsafe {
            let block = zeroed(16, 8).cast::<u8>();
            assert!(!block.is_null());
            assert!(
                std::slice::from_raw_parts(block, 128)
                    .iter()
                    .all(|&b| b == 0)
            );
            libmimalloc_sys::mi_free(block.cast());
            assert!(zeroed(usize::MAX, 2).is_null());
        }
    }
}
