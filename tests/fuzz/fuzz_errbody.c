/* libFuzzer target: hostile error bodies into hf_priv_error_from_body.
 * First byte: bit 0 = declared JSON, bits 1-2 pick the arena size (tiny arenas force the
 * text fallback). The rest is the body (at most HF_ERROR_BODY_MAX bytes, as the client keeps). */
#include <stdint.h>
#include <string.h>

#include "hf_priv.h"

static char body[HF_ERROR_BODY_MAX + 1];
static uint8_t arena_mem[16384];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const size_t arena_caps[4] = {0u, 64u, 1024u, sizeof arena_mem};
    hf_error_t err;
    hf_arena_t a;
    size_t n, k;
    bool loading;

    if (size == 0u) {
        return 0;
    }
    n = size - 1u > HF_ERROR_BODY_MAX ? HF_ERROR_BODY_MAX : size - 1u;
    memcpy(body, data + 1, n);
    hf_arena_init(&a, arena_mem, arena_caps[(data[0] >> 1) & 3u]);
    hf_error_clear(&err);
    err.http_status = 503;
    loading = hf_priv_error_from_body(&err, body, n, (data[0] & 1u) != 0u, &a);
    /* Invariants: terminated fields, an estimate only with "loading", arena given back, some message. */
    k = strlen(err.message);
    if (k >= sizeof err.message || strlen(err.error_type) >= sizeof err.error_type ||
        (!loading && err.estimated_time_s != 0.0) || !(err.estimated_time_s >= 0.0) ||
        hf_arena_mark(&a) != 0u || k == 0u) {
        __builtin_trap();
    }
    return 0;
}
