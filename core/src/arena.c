/* Bump allocator over a caller buffer; the only allocator in core/. */
#include "hf/hf_arena.h"

#include "hf_priv.h"

void hf_arena_init(hf_arena_t *a, void *buf, size_t cap)
{
    a->base = (uint8_t *)buf;
    a->cap = buf ? cap : 0u;
    a->used = 0u;
    a->peak = 0u;
    a->needed = 0u;
}

static void note_peak(hf_arena_t *a)
{
    if (a->used > a->peak) {
        a->peak = a->used;
    }
}

void *hf_arena_alloc(hf_arena_t *a, size_t size, size_t align)
{
    uintptr_t addr;
    size_t pad;

    if (a == NULL || a->base == NULL) {
        return NULL;
    }
    if (align == 0u) {
        align = sizeof(void *);
    }
    if ((align & (align - 1u)) != 0u) {
        return NULL;
    }
    addr = (uintptr_t)(a->base + a->used);
    pad = (size_t)((align - (addr & (align - 1u))) & (align - 1u));
    if (pad > a->cap - a->used || size > a->cap - a->used - pad) {
        /* Saturating: a hostile length must not wrap the figure we report. */
        a->needed = (size > (size_t)-1 - a->used - pad) ? (size_t)-1 : a->used + pad + size;
        return NULL;
    }
    a->used += pad;
    {
        void *p = a->base + a->used;
        a->used += size;
        note_peak(a);
        return p;
    }
}

size_t hf_arena_mark(const hf_arena_t *a) { return a->used; }

void hf_arena_rewind(hf_arena_t *a, size_t mark)
{
    if (mark <= a->used) {
        a->used = mark;
    }
}

void hf_arena_reset(hf_arena_t *a) { a->used = 0u; }

size_t hf_arena_peak(const hf_arena_t *a) { return a->peak; }

size_t hf_arena_remaining(const hf_arena_t *a) { return a->cap - a->used; }

uint8_t *hf_priv_arena_top(hf_arena_t *a, size_t *avail)
{
    *avail = a->cap - a->used;
    return a->base ? a->base + a->used : NULL;
}

void hf_priv_arena_commit(hf_arena_t *a, size_t n)
{
    if (n <= a->cap - a->used) {
        a->used += n;
        note_peak(a);
    }
}
