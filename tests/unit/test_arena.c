/* Arena: alignment, mark/rewind, peak, overflow with the bytes that were needed. Expected
 * values are hand computations written next to each check. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "hf/hf_arena.h"
#include "hf_priv.h"

/* 16-aligned storage without C11 _Alignas: the union's double/pointer members and the
 * explicit offset below give a known base. */
static union {
    uint8_t b[64 + 16];
    double d;
    void *p;
} g_mem;
static uint8_t *g_buf;

int main(void)
{
    hf_arena_t a;
    uint8_t *p, *q;
    size_t m, avail;

    g_buf = g_mem.b + ((16u - ((uintptr_t)g_mem.b & 15u)) & 15u);
    hf_arena_init(&a, g_buf, 64);
    CHECK_INT(hf_arena_remaining(&a), 64);

    p = hf_arena_alloc(&a, 3, 1);          /* bytes 0..2 */
    CHECK(p == g_buf);
    q = hf_arena_alloc(&a, 4, 4);          /* aligned up to 4: bytes 4..7 */
    CHECK(q == g_buf + 4);
    CHECK_INT(a.used, 8);
    q = hf_arena_alloc(&a, 1, 16);         /* aligned up to 16 */
    CHECK(q == g_buf + 16);
    CHECK_INT(a.used, 17);
    CHECK_INT(hf_arena_peak(&a), 17);

    m = hf_arena_mark(&a);
    CHECK(hf_arena_alloc(&a, 40, 1) != NULL); /* 17 + 40 = 57 */
    CHECK_INT(hf_arena_peak(&a), 57);
    hf_arena_rewind(&a, m);
    CHECK_INT(a.used, 17);
    CHECK_INT(hf_arena_peak(&a), 57);      /* the peak remembers */

    /* Overflow: 17 used + 48 asked = 65 > 64; nothing changes, `needed` says 65. */
    CHECK(hf_arena_alloc(&a, 48, 1) == NULL);
    CHECK_INT(a.used, 17);
    CHECK_INT(a.needed, 65);
    /* With padding: 17 -> 24 (align 8) + 41 = 65. */
    CHECK(hf_arena_alloc(&a, 41, 8) == NULL);
    CHECK_INT(a.needed, 65);
    /* A hostile size never wraps the figure. */
    CHECK(hf_arena_alloc(&a, (size_t)-1, 1) == NULL);
    CHECK(a.needed == (size_t)-1);
    /* Exactly the rest fits. */
    CHECK(hf_arena_alloc(&a, 47, 1) == g_buf + 17);
    CHECK_INT(hf_arena_remaining(&a), 0);
    CHECK(hf_arena_alloc(&a, 1, 1) == NULL);
    CHECK(hf_arena_alloc(&a, 0, 1) != NULL); /* zero bytes fit even when full */

    /* Non power-of-two alignment is refused. */
    hf_arena_reset(&a);
    CHECK_INT(a.used, 0);
    CHECK(hf_arena_alloc(&a, 1, 3) == NULL);

    /* Growable top region, used for response bodies of unknown length. */
    p = hf_priv_arena_top(&a, &avail);
    CHECK(p == g_buf);
    CHECK_INT(avail, 64);
    memcpy(p, "abc", 3);
    hf_priv_arena_commit(&a, 3);
    CHECK_INT(a.used, 3);
    hf_priv_arena_commit(&a, 100);         /* more than is free: ignored */
    CHECK_INT(a.used, 3);

    /* A NULL buffer is an empty arena. */
    hf_arena_init(&a, NULL, 100);
    CHECK(hf_arena_alloc(&a, 1, 1) == NULL);
    CHECK_INT(hf_arena_remaining(&a), 0);
    return CHECK_DONE();
}
