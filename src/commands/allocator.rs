//! How ferry's memory is allocated, set up once at the start of the
//! process ([`set_up`]).
//!
//! tree-sitter's C library allocates with the C library's `malloc`
//! unless told otherwise; ferry hands it mimalloc, the allocator the rest
//! of ferry uses (`main.rs`), which is cheaper for its many small nodes.
//!
//! And ferry asks the kernel for no transparent huge pages. mimalloc
//! advises them on its arenas, so the first touch of each 2 MB region
//! faults in a whole huge page for the kernel to find and zero. On the
//! 2-core virtual machines ferry is measured on, free page reporting
//! gives free 2 MB blocks back to the host, so a huge page is often
//! memory the host must back again: a cold scan of a 500,000-line Python
//! codebase spent 0.5–1.1 s of system time in 105–170 such faults, and a
//! warm status run a few seconds after the last took 0.33 s against
//! 0.11 s with 4 KB pages (see docs/benchmarks.md).

use std::ffi::c_void;

/// Both settings this module makes: the first thing a ferry process does.
///
/// # Safety
///
/// As for [`tree_sitter_uses_mimalloc`]: before any other tree-sitter
/// call of the process, on one thread.
pub unsafe fn set_up() {
    no_transparent_huge_pages();
    // SAFETY: the caller's promise is this function's.
    unsafe { tree_sitter_uses_mimalloc() };
}

/// Turns transparent huge pages off for the whole process: the flag is
/// read at each page fault, so it holds for memory mapped before it too.
/// Where the kernel refuses (an old kernel), ferry runs as before.
#[cfg(target_os = "linux")]
pub fn no_transparent_huge_pages() {
    // SAFETY: PR_SET_THP_DISABLE takes one integer argument and the rest
    // zero; it changes only how later page faults are served.
    unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
}

/// Elsewhere there is no such switch.
#[cfg(not(target_os = "linux"))]
pub fn no_transparent_huge_pages() {}

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

    #[cfg(target_os = "linux")]
    #[test]
    fn huge_pages_are_turned_off_for_the_process() {
        no_transparent_huge_pages();
        // The kernel's own answer: PR_GET_THP_DISABLE reads the flag.
        // SAFETY: it takes no arguments.
        assert_eq!(
            unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) },
            1
        );
    }

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
