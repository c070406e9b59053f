/* libFuzzer target for the HTTP response parser.
 * Input: byte 0 = flags (bit 0: HEAD request) and number of piece sizes (bits 1-3, +1);
 * then that many piece sizes (0 = 256); the rest is the response, fed in pieces of those
 * sizes (cycled), each copied into an exact-size heap buffer so ASan sees any over-read.
 * Invariants: no crash; body bytes delivered == body_received; for LENGTH framing never
 * more than Content-Length (exactly it when complete); on_headers at most once and before
 * any body byte; body pointers inside the piece; *used == piece unless complete or failed;
 * nothing consumed after completion; detail always NUL-terminated. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hf_priv.h"

typedef struct fuzz_state {
    const uint8_t *lo, *hi; /* current piece */
    uint64_t delivered;
    int header_calls;
} fuzz_state_t;

static hf_status_t on_headers(void *user, const hf_http_resp_t *r)
{
    fuzz_state_t *s = (fuzz_state_t *)user;
    if (s->header_calls++ != 0 || s->delivered != 0u || r->status < 200 || r->status == 101) {
        abort();
    }
    return HF_OK;
}

static hf_status_t on_body(void *user, const uint8_t *data, size_t len)
{
    fuzz_state_t *s = (fuzz_state_t *)user;
    if (s->header_calls != 1 || len == 0u || data < s->lo || data + len > s->hi) {
        abort();
    }
    s->delivered += len;
    return HF_OK;
}

static void check_resp(const hf_http_resp_t *r, const fuzz_state_t *s)
{
    if (s->delivered != r->body_received || memchr(r->detail, '\0', sizeof r->detail) == NULL ||
        memchr(r->content_type, '\0', sizeof r->content_type) == NULL ||
        memchr(r->request_id, '\0', sizeof r->request_id) == NULL) {
        abort();
    }
    if (r->framing == HF_HTTP_FRAMING_LENGTH && s->header_calls == 1 &&
        (r->body_received > r->content_length || (r->complete && r->body_received != r->content_length))) {
        abort();
    }
    if (r->complete && s->header_calls != 1) {
        abort();
    }
}

/* Returns false once feeding must stop (complete or failed). */
static bool feed_piece(hf_http_resp_t *r, const uint8_t *src, size_t n, fuzz_state_t *s,
                       const hf_http_cb_t *cb)
{
    uint8_t *piece = (uint8_t *)malloc(n);
    size_t used = 0;
    bool was_complete = r->complete;
    hf_status_t st;
    if (piece == NULL) {
        return false;
    }
    memcpy(piece, src, n);
    s->lo = piece;
    s->hi = piece + n;
    st = hf_priv_http_resp_feed(r, piece, n, &used, cb);
    free(piece);
    if (used > n || (was_complete && used != 0u) || (st == HF_OK && !r->complete && used != n)) {
        abort();
    }
    check_resp(r, s);
    return st == HF_OK && !r->complete;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static hf_http_resp_t r;
    fuzz_state_t s = {NULL, NULL, 0u, 0};
    hf_http_cb_t cb = {on_headers, on_body, NULL};
    size_t nsizes, off, k = 0;
    hf_status_t st;

    if (size < 2u) {
        return 0;
    }
    nsizes = (size_t)((data[0] >> 1) & 7u) + 1u;
    if (size < 1u + nsizes) {
        return 0;
    }
    cb.user = &s;
    hf_priv_http_resp_init(&r, (data[0] & 1u) != 0u);
    off = 1u + nsizes;
    while (off < size) {
        size_t n = data[1u + (k++ % nsizes)];
        n = n == 0u ? 256u : n;
        n = n < size - off ? n : size - off;
        if (!feed_piece(&r, data + off, n, &s, &cb)) {
            break;
        }
        off += n;
    }
    if (r.complete) {
        /* a complete message never needs more bytes or an EOF */
        if (!feed_piece(&r, data, 1u, &s, &cb) && r.complete) {
            return 0;
        }
        abort();
    }
    st = hf_priv_http_resp_eof(&r, (size & 1u) == 0u); /* either kind of close */
    if (st != HF_OK && st != HF_ERR_TRUNCATED && st != HF_ERR_CLOSED && st != HF_ERR_PROTOCOL &&
        st != HF_ERR_UNSUPPORTED) {
        abort();
    }
    if (st == HF_OK && (!r.complete || r.framing != HF_HTTP_FRAMING_CLOSE ||
                        ((size & 1u) != 0u && r.version_minor != 0))) {
        abort();
    }
    check_resp(&r, &s);
    return 0;
}
