/* The unit tests' client rig (see rig.h). */
#include "rig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#define CAP_MAX (3u << 20)

hf_mock_t g_mock;
hf_client_t g_client;
hf_arena_t g_arena;
char g_resp[HF_RIG_RESP_CAP];
size_t hf_rig_io_size = 1024u;

/* Pointer-aligned, so that arena figures a test computes by hand are exact. */
static union {
    uint8_t b[HF_RIG_ARENA_MAX];
    void *align;
} g_mem;
static uint8_t g_io[4096];
static uint8_t g_cap[CAP_MAX];
static size_t g_cap_len;
static hf_transport_t g_inner;

static int cap_send(void *ctx, const uint8_t *buf, size_t len, uint32_t timeout_ms)
{
    int n = g_inner.send(ctx, buf, len, timeout_ms);
    if (n > 0) {
        if (g_cap_len + (size_t)n > sizeof g_cap) {
            fprintf(stderr, "capture buffer full\n");
            exit(1);
        }
        memcpy(g_cap + g_cap_len, buf, (size_t)n);
        g_cap_len += (size_t)n;
    }
    return n;
}

void hf_rig_arena(size_t arena_size)
{
    if (arena_size > sizeof g_mem.b) {
        fprintf(stderr, "rig: arena of %zu bytes asked, %zu available\n", arena_size, sizeof g_mem.b);
        exit(1);
    }
    hf_arena_init(&g_arena, g_mem.b, arena_size);
}

const uint8_t *hf_rig_mem(void)
{
    return g_mem.b;
}

const uint8_t *hf_rig_io(void)
{
    return g_io;
}

void hf_rig_start(const hf_rig_opts_t *o)
{
    hf_client_config_t cfg;
    size_t io = o->io_size != 0u ? o->io_size : 1024u;
    memset(&cfg, 0, sizeof cfg);
    hf_mock_init(&g_mock);
    g_mock.split = o->split;
    g_mock.seed = o->seed;
    g_inner = hf_mock_transport(&g_mock);
    g_cap_len = 0u;
    cfg.base_url = "http://hf.test";
    cfg.transport = g_inner;
    cfg.transport.send = cap_send;
    /* Only a retry sleeps; a single attempt keeps the clock without sleep_ms. */
    cfg.clock = o->attempts > 1u ? hf_mock_clock(&g_mock) : hf_mock_clock_nosleep(&g_mock);
    cfg.io_buf = g_io;
    cfg.io_buf_size = io < sizeof g_io ? io : sizeof g_io;
    cfg.max_attempts = o->attempts != 0u ? o->attempts : 1u;
    if (hf_client_init(&g_client, &cfg) != HF_OK) {
        fprintf(stderr, "client init failed\n");
        exit(1);
    }
    hf_rig_arena(o->arena_size);
}

void hf_rig_setup(size_t split, uint32_t seed, size_t arena_size)
{
    hf_rig_opts_t o;
    memset(&o, 0, sizeof o);
    o.split = split;
    o.seed = seed;
    o.arena_size = arena_size;
    o.io_size = hf_rig_io_size;
    hf_rig_start(&o);
}

size_t hf_rig_response(int status, const char *ctype, const char *body, size_t blen)
{
    /* The client reads no reason phrase. */
    int n = snprintf(g_resp, sizeof g_resp, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n\r\n",
                     status, status == 200 ? "OK" : "X", ctype, blen);
    if (n < 0 || (size_t)n + blen > sizeof g_resp) {
        fprintf(stderr, "response too large\n");
        exit(1);
    }
    memcpy(g_resp + n, body, blen);
    return (size_t)n + blen;
}

void hf_rig_add_response(int status, const char *ctype, const char *body, size_t blen)
{
    hf_mock_add(&g_mock, HF_MOCK_DATA, g_resp, hf_rig_response(status, ctype, body, blen), 0);
}

void hf_rig_add_json(const char *body)
{
    hf_rig_add_response(200, "application/json", body, strlen(body));
}

const char *hf_rig_resp_with(const char *ctype, const char *body)
{
    static char buf[8192];
    int n = snprintf(buf, sizeof buf, "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %zu\r\n\r\n%s", ctype,
                     strlen(body), body);
    if (n < 0 || (size_t)n >= sizeof buf) {
        fprintf(stderr, "response too large\n");
        exit(1);
    }
    return buf;
}

void hf_test_strlcpy(char *dst, size_t cap, const char *s)
{
    size_t n = strlen(s);
    if (n >= cap) {
        n = cap - 1u;
    }
    memcpy(dst, s, n);
    dst[n] = '\0';
}

const char *hf_rig_sent_text(void)
{
    static char buf[8192];
    size_t n = g_mock.sent_len < sizeof buf - 1u ? g_mock.sent_len : sizeof buf - 1u;
    memcpy(buf, g_mock.sent, n);
    buf[n] = '\0';
    return buf;
}

const char *hf_rig_sent_body(void)
{
    const char *s = hf_rig_sent_text();
    const char *b = strstr(s, "\r\n\r\n");
    return b != NULL ? b + 4 : "";
}

size_t hf_rig_captured(void)
{
    return g_cap_len;
}

int hf_rig_request(size_t nth, const char **head, size_t *head_len, const uint8_t **body, size_t *body_len)
{
    size_t start = 0u;
    for (size_t k = 0; k <= nth; k++) {
        size_t i = start;
        long long clen = -1;
        const char *cl;
        while (i + 4u <= g_cap_len && memcmp(g_cap + i, "\r\n\r\n", 4u) != 0) {
            i++;
        }
        if (i + 4u > g_cap_len) {
            return -1;
        }
        *head = (const char *)g_cap + start;
        *head_len = i + 4u - start;
        cl = strstr(*head, "Content-Length: ");
        if (cl != NULL && cl < *head + *head_len) {
            clen = atoll(cl + 16);
        }
        *body = g_cap + i + 4u;
        *body_len = clen < 0 ? g_cap_len - i - 4u : (size_t)clen;
        if (*body + *body_len > g_cap + g_cap_len) {
            return -1;
        }
        start = i + 4u + *body_len;
    }
    return 0;
}

bool hf_rig_head_has(const char *head, size_t head_len, const char *line)
{
    size_t n = strlen(line);
    for (size_t i = 0; i + n + 2u <= head_len; i++) {
        if ((i == 0u || head[i - 1u] == '\n') && memcmp(head + i, line, n) == 0 && head[i + n] == '\r') {
            return true;
        }
    }
    return false;
}

/* ------------------------------------------------------------------ media from a reader */

static hf_status_t reader_read(void *user, uint8_t *buf, size_t cap, size_t *got)
{
    hf_rig_reader_t *r = (hf_rig_reader_t *)user;
    size_t n = r->len - r->off;
    n = n < cap ? n : cap;
    n = n < r->piece ? n : r->piece;
    memcpy(buf, r->src + r->off, n);
    r->off += n;
    r->calls++;
    *got = n;
    return HF_OK;
}

static hf_status_t reader_rewind(void *user)
{
    hf_rig_reader_t *r = (hf_rig_reader_t *)user;
    r->off = 0u;
    r->rewinds++;
    return HF_OK;
}

void hf_rig_reader_blob(hf_blob_t *b, hf_rig_reader_t *r, const uint8_t *src, size_t len, size_t piece,
                        const char *ctype)
{
    memset(r, 0, sizeof *r);
    r->src = src;
    r->len = len;
    r->piece = piece;
    memset(b, 0, sizeof *b);
    b->read = reader_read;
    b->rewind = reader_rewind;
    b->user = r;
    b->total_len = len;
    b->content_type = ctype;
}

/* ------------------------------------------------------------------ deliveries */

void hf_rig_script(const char *resp, size_t len, hf_rig_delivery_t mode, size_t param, const size_t *splits,
                   size_t nsplits, size_t arena_size)
{
    size_t from = 0;
    hf_rig_setup(mode == HF_RIG_ONE_BYTE ? 1u : mode == HF_RIG_RANDOM ? 97u : 0u,
                 mode == HF_RIG_RANDOM ? (uint32_t)param : 0u, arena_size);
    if (mode == HF_RIG_TWO_READS) {
        hf_mock_add(&g_mock, HF_MOCK_DATA, resp, param, 0);
        hf_mock_add(&g_mock, HF_MOCK_DATA, resp + param, len - param, 0);
        return;
    }
    for (size_t i = 0; mode == HF_RIG_CASE_READS && i < nsplits; i++) {
        hf_mock_add(&g_mock, HF_MOCK_DATA, resp + from, splits[i] - from, 0);
        from = splits[i];
    }
    hf_mock_add(&g_mock, HF_MOCK_DATA, resp + from, len - from, 0);
}

void hf_rig_every_delivery(const char *resp, size_t len, const size_t *splits, size_t nsplits, size_t arena_size,
                           void (*check)(void))
{
    static const char *names[] = {"case reads", "two reads at", "1-byte reads", "random reads seed"};
    size_t nat = len < 1200u ? len - 1u : 64u;
    for (int m = HF_RIG_CASE_READS; m <= HF_RIG_RANDOM; m++) {
        hf_rig_delivery_t mode = (hf_rig_delivery_t)m;
        size_t reps = mode == HF_RIG_TWO_READS ? nat : mode == HF_RIG_RANDOM ? 8u : 1u;
        for (size_t r = 0; r < reps; r++) {
            int before = hf_check_fail;
            size_t param = mode == HF_RIG_TWO_READS ? (len < 1200u ? r + 1u : 1u + (r * 7919u) % (len - 1u)) : r + 1u;
            hf_rig_script(resp, len, mode, param, splits, nsplits, arena_size);
            check();
            if (hf_check_fail > before) {
                fprintf(stderr, "  ^ delivery: %s %zu\n", names[m], param);
                return;
            }
        }
    }
}
