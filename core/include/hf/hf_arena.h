/**
 * @file hf_arena.h
 * @brief Bump allocator over a caller-provided buffer. The only "allocator" hfmicro uses.
 */
#ifndef HF_ARENA_H
#define HF_ARENA_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Arena state. Complete type: may be static. The buffer stays the caller's. */
typedef struct hf_arena {
    uint8_t *base;   /**< caller's buffer */
    size_t cap;      /**< its size */
    size_t used;     /**< bytes handed out (including alignment padding) */
    size_t peak;     /**< highest `used` ever seen since init (or hf_arena_reset_peak) */
    size_t needed;   /**< after a failed alloc: `used` + the size that did not fit */
} hf_arena_t;

/** @brief Start an arena over `buf[0..cap)`. */
void hf_arena_init(hf_arena_t *a, void *buf, size_t cap);

/**
 * @brief Allocate `size` bytes aligned to `align` (a power of two, 0 = pointer alignment).
 * @return the memory, or NULL when it does not fit (then `a->needed` says how much would have).
 */
void *hf_arena_alloc(hf_arena_t *a, size_t size, size_t align);

/** @brief Current fill level, to pass to hf_arena_rewind(). */
size_t hf_arena_mark(const hf_arena_t *a);
/** @brief Free everything allocated after `mark`. */
void hf_arena_rewind(hf_arena_t *a, size_t mark);
/** @brief Free everything (peak is kept). */
void hf_arena_reset(hf_arena_t *a);
/** @brief Highest fill level seen. */
size_t hf_arena_peak(const hf_arena_t *a);
/** @brief Bytes still free (before alignment). */
size_t hf_arena_remaining(const hf_arena_t *a);

#ifdef __cplusplus
}
#endif
#endif /* HF_ARENA_H */
