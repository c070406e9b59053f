/* libFuzzer target for the SSE framer (core/src/sse.c).
 *
 * Input: [cap selector][abort selector][m][m piece sizes][SSE body]. The body
 * is fed in the fuzzer's pieces (rest whole), one byte at a time, and whole;
 * every way must give the same events and status as the reference below,
 * which reads the whole input line by line straight from PROTOCOL.md 4.4 and
 * shares no code with the framer. The event buffer is malloc'd to its exact
 * size so ASan sees any write past it.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hf_priv.h"

#define MAX_BODY 8192u
#define LOG_CAP (2u * MAX_BODY + 4096u)

typedef struct {
    uint8_t log[LOG_CAP]; /* each event: 4-byte length, then its bytes */
    size_t used;
    size_t events;
    size_t abort_at; /* 1-based event that returns HF_ERR_ABORTED; 0: never */
} out_t;

static hf_status_t out_event(out_t *o, const uint8_t *p, size_t n)
{
    if (n > LOG_CAP - 4u - o->used) {
        abort(); /* cannot happen: events are never longer than the body */
    }
    o->log[o->used++] = (uint8_t)(n >> 24);
    o->log[o->used++] = (uint8_t)(n >> 16);
    o->log[o->used++] = (uint8_t)(n >> 8);
    o->log[o->used++] = (uint8_t)n;
    memcpy(o->log + o->used, p, n);
    o->used += n;
    o->events++;
    return (o->abort_at != 0u && o->events == o->abort_at) ? HF_ERR_ABORTED : HF_OK;
}

/* ------------------------------------------------------------- reference */

typedef struct {
    uint8_t buf[MAX_BODY + 1u];
    size_t len;
    size_t cap;
    bool has_data;
    out_t *out;
} ref_t;

static hf_status_t ref_dispatch(ref_t *r)
{
    size_t n = r->len;

    r->len = 0;
    r->has_data = false;
    return n == 0u ? HF_OK : out_event(r->out, r->buf, n);
}

static hf_status_t ref_append(ref_t *r, const uint8_t *p, size_t n)
{
    memcpy(r->buf + r->len, p, n);
    r->len += n;
    /* An event may hold cap - 1 bytes (the framer adds a NUL). */
    return (r->cap == 0u ? r->len > 0u : r->len > r->cap - 1u) ? HF_ERR_SSE_EVENT_TOO_LARGE : HF_OK;
}

static hf_status_t ref_line(ref_t *r, const uint8_t *line, size_t n)
{
    const uint8_t *colon;
    size_t name_len, v;
    hf_status_t st = HF_OK;

    if (n == 0u) {
        return ref_dispatch(r);
    }
    if (line[0] == ':') {
        return HF_OK;
    }
    colon = (const uint8_t *)memchr(line, ':', n);
    name_len = colon ? (size_t)(colon - line) : n;
    if (name_len != 4u || memcmp(line, "data", 4) != 0) {
        return HF_OK;
    }
    v = colon ? name_len + 1u : n;
    if (v < n && line[v] == ' ') {
        v++;
    }
    if (r->has_data) {
        st = ref_append(r, (const uint8_t *)"\n", 1u);
    }
    r->has_data = true;
    return st == HF_OK ? ref_append(r, line + v, n - v) : st;
}

static hf_status_t ref_run(ref_t *r, const uint8_t *in, size_t n)
{
    size_t i = 0, j;
    hf_status_t st = HF_OK;

    while (i < n && st == HF_OK) {
        for (j = i; j < n && in[j] != '\r' && in[j] != '\n'; j++) {
        }
        st = ref_line(r, in + i, j - i);
        if (j < n && in[j] == '\r' && j + 1u < n && in[j + 1u] == '\n') {
            j++;
        }
        i = j + 1u;
    }
    /* End of stream: a pending event is delivered (Python-like). */
    return st == HF_OK ? ref_dispatch(r) : st;
}

/* ---------------------------------------------------------------- framer */

static hf_status_t on_event(void *user, char *data, size_t len)
{
    out_t *o = (out_t *)user;
    hf_status_t st;

    if (data[len] != '\0') {
        abort();
    }
    st = out_event(o, (const uint8_t *)data, len);
    memset(data, 'Z', len + 1u); /* the caller owns the bytes until the next feed */
    return st;
}

/* pieces: m sizes, then the rest whole; m == SIZE_MAX: one byte at a time. */
static hf_status_t framer_run(out_t *o, const uint8_t *in, size_t n, size_t cap, const uint8_t *sizes,
                              size_t m)
{
    hf_sse_t s;
    char *buf = (char *)malloc(cap ? cap : 1u);
    size_t at = 0, k = 0;
    hf_status_t st = HF_OK, fin;

    hf_priv_sse_init(&s, buf, cap, on_event, o);
    while (at < n && st == HF_OK) {
        size_t piece = n - at;
        if (m == SIZE_MAX) {
            piece = 1u;
        } else if (k < m) {
            piece = sizes[k++] < piece ? sizes[k - 1u] : piece;
        }
        st = hf_priv_sse_feed(&s, in + at, piece);
        at += piece;
    }
    fin = hf_priv_sse_finish(&s);
    if (st != HF_OK && fin != st) {
        abort(); /* a failed framer must stay failed */
    }
    free(buf);
    return fin;
}

static out_t g_ref_out, g_out;
static ref_t g_ref;

static void compare(hf_status_t want, const uint8_t *in, size_t n, size_t cap, size_t abort_at,
                    const uint8_t *sizes, size_t m)
{
    hf_status_t got;

    memset(&g_out, 0, sizeof g_out);
    g_out.abort_at = abort_at;
    got = framer_run(&g_out, in, n, cap, sizes, m);
    if (got != want || g_out.used != g_ref_out.used || memcmp(g_out.log, g_ref_out.log, g_out.used) != 0) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t cap, abort_at, m, n;
    const uint8_t *sizes, *body;
    hf_status_t want;

    if (size < 3u) {
        return 0;
    }
    /* Mostly small buffers so that "too large" is reached often; sometimes the default. */
    cap = data[0] < 240u ? (size_t)(data[0] % 96u) : (size_t)HF_SSE_MAX_EVENT;
    abort_at = (size_t)(data[1] % 8u);
    m = (size_t)(data[2] % 16u);
    if (size < 3u + m) {
        return 0;
    }
    sizes = data + 3;
    body = data + 3 + m;
    n = size - 3u - m;
    if (n > MAX_BODY) {
        return 0;
    }
    memset(&g_ref_out, 0, sizeof g_ref_out);
    g_ref_out.abort_at = abort_at;
    memset(&g_ref, 0, sizeof g_ref);
    g_ref.cap = cap;
    g_ref.out = &g_ref_out;
    want = ref_run(&g_ref, body, n);

    compare(want, body, n, cap, abort_at, sizes, m);
    compare(want, body, n, cap, abort_at, NULL, 0);
    compare(want, body, n, cap, abort_at, NULL, SIZE_MAX);
    return 0;
}
