/* Test helpers shared by the binary-input task tests (test_image_classification.c,
 * test_audio_classification.c, test_object_detection.c): a client over the scripted mock
 * whose every sent byte is also captured here without a size limit (the mock keeps 256 KB;
 * the 1 MB uploads need more), the request split into head and body, a reference base64
 * written independently of core/src/base64.c (bit accumulator, no tables shared), and the
 * loader of a recorded exchange. Header-only: each test includes it once. */
#ifndef HF_BINARY_TASK_UTIL_H
#define HF_BINARY_TASK_UTIL_H

#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mock_transport.h"

#include "hf_priv.h"
#include "tasks/tasks_priv.h"

#ifndef HF_FIXTURES_DIR
#define HF_FIXTURES_DIR "../shared/fixtures/recorded"
#endif

#define BT_CAP_MAX (3u << 20)

static hf_mock_t g_mock;
static hf_client_t g_client;
static uint8_t g_io[1024];
static uint8_t g_mem[1u << 16];
static hf_arena_t g_arena;
static char g_resp[1u << 15];
static uint8_t g_cap[BT_CAP_MAX];
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

/* A fresh client: every recv piece at most `split` bytes (0 = as asked), `attempts` tries. */
static void bt_setup_attempts(size_t split, uint8_t attempts)
{
    hf_client_config_t cfg;
    memset(&cfg, 0, sizeof cfg);
    hf_mock_init(&g_mock);
    g_mock.split = split;
    g_inner = hf_mock_transport(&g_mock);
    cfg.base_url = "http://hf.test";
    cfg.transport = g_inner;
    cfg.transport.send = cap_send;
    cfg.clock = hf_mock_clock(&g_mock);
    cfg.io_buf = g_io;
    cfg.io_buf_size = sizeof g_io;
    cfg.max_attempts = attempts;
    g_cap_len = 0u;
    if (hf_client_init(&g_client, &cfg) != HF_OK) {
        fprintf(stderr, "client init failed\n");
        exit(1);
    }
    hf_arena_init(&g_arena, g_mem, sizeof g_mem);
}

static void bt_setup(size_t split)
{
    bt_setup_attempts(split, 1u);
}

/* A JSON response of `status` with Content-Length, in g_resp. */
static size_t bt_response(int status, const char *body, size_t blen)
{
    int n = snprintf(g_resp, sizeof g_resp,
                     "HTTP/1.1 %d X\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n", status, blen);
    if (n < 0 || (size_t)n + blen > sizeof g_resp) {
        fprintf(stderr, "response too large\n");
        exit(1);
    }
    memcpy(g_resp + n, body, blen);
    return (size_t)n + blen;
}

static void bt_add_response(const char *body)
{
    hf_mock_add(&g_mock, HF_MOCK_DATA, g_resp, bt_response(200, body, strlen(body)), 0);
}

/* The n-th request captured (0-based): its head (up to the blank line) and its body. */
static int bt_request(size_t nth, const char **head, size_t *head_len, const uint8_t **body, size_t *body_len)
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

/* True when the request head has exactly this header line ("Name: value"). */
static int bt_head_has(const char *head, size_t head_len, const char *line)
{
    size_t n = strlen(line);
    for (size_t i = 0; i + n + 2u <= head_len; i++) {
        if ((i == 0u || head[i - 1u] == '\n') && memcmp(head + i, line, n) == 0 && head[i + n] == '\r') {
            return 1;
        }
    }
    return 0;
}

/* ------------------------------------------------------------------ reference base64 */

static int ref_val(int c)
{
    const char *al = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *p = strchr(al, c);
    return c != 0 && p != NULL ? (int)(p - al) : -1;
}

/* Bit accumulator; '=' ends the text. Returns the byte count, or -1 on a foreign byte. */
static long ref_b64_decode(const char *s, size_t n, uint8_t *out)
{
    unsigned long acc = 0u;
    int bits = 0;
    long w = 0;
    for (size_t i = 0; i < n && s[i] != '='; i++) {
        int v = ref_val((unsigned char)s[i]);
        if (v < 0) {
            return -1;
        }
        acc = (acc << 6) | (unsigned long)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[w++] = (uint8_t)((acc >> bits) & 0xFFu);
        }
    }
    return w;
}

/* ------------------------------------------------------------------ recordings */

typedef struct bt_rec {
    char name[256];
    const char *req_b64;     /* request.body_base64, or NULL when the recorder kept none */
    size_t req_b64_len;
    uint8_t *req;            /* its bytes (reference decoder), or NULL */
    size_t req_len;
    char path[512];          /* path of request.url (after scheme and host) */
    long long req_clen;      /* the recorded request Content-Length header, -1 when absent */
    int status;
    const char *resp;        /* response.body_text */
    size_t resp_len;
} bt_rec_t;

static char g_file[1u << 20];
static uint8_t g_fixmem[1u << 16];
static uint8_t g_req_bytes[1u << 20];

/* URL path and Content-Length of the recorded request (header names compared case-insensitively). */
static int bt_load_head(hf_json_doc_t *d, int req, bt_rec_t *r)
{
    const char *url, *p;
    size_t n;
    int h = hf_json_get(d, req, "headers");
    r->req_clen = -1;
    if (hf_json_str(d, hf_json_get(d, req, "url"), &url, &n) != HF_OK || strstr(url, "://") == NULL) {
        return -1;
    }
    p = strchr(strstr(url, "://") + 3, '/');
    snprintf(r->path, sizeof r->path, "%s", p != NULL ? p : "/");
    for (int i = 0; h >= 0 && i < d->tok[h].size; i++) {
        int k = h + 1;
        for (int j = 0; j < i; j++) {
            k = hf_json_next(d, hf_json_next(d, k));
        }
        if (d->tok[k].end - d->tok[k].start == 14 && hf_priv_ieq(d->text + d->tok[k].start, "content-length", 14u)) {
            const char *v;
            if (hf_json_str(d, k + 1, &v, &n) != HF_OK) {
                return -1;
            }
            r->req_clen = atoll(v);
        }
    }
    return 0;
}

/* Read recording `name` with the JSON reader (the code under test is the task, not this). */
static int bt_load(const char *name, bt_rec_t *r)
{
    char path[1024];
    FILE *f;
    size_t n;
    hf_json_doc_t d;
    hf_arena_t a;
    int64_t status = 0;
    int req, resp, b64;
    memset(r, 0, sizeof *r);
    snprintf(r->name, sizeof r->name, "%s", name);
    snprintf(path, sizeof path, "%s/%s", HF_FIXTURES_DIR, name);
    f = fopen(path, "rb");
    if (f == NULL) {
        return -1;
    }
    n = fread(g_file, 1u, sizeof g_file - 1u, f);
    fclose(f);
    hf_arena_init(&a, g_fixmem, sizeof g_fixmem);
    if (n == sizeof g_file - 1u || hf_json_parse(&d, g_file, n, &a) != HF_OK) {
        return -1;
    }
    req = hf_json_get(&d, 0, "request");
    resp = hf_json_get(&d, 0, "response");
    if (bt_load_head(&d, req, r) != 0) {
        return -1;
    }
    b64 = hf_json_get(&d, req, "body_base64");
    if (b64 >= 0) {
        long got;
        if (hf_json_str(&d, b64, &r->req_b64, &r->req_b64_len) != HF_OK) {
            return -1;
        }
        got = ref_b64_decode(r->req_b64, r->req_b64_len, g_req_bytes);
        if (got < 0) {
            return -1;
        }
        r->req = g_req_bytes;
        r->req_len = (size_t)got;
    }
    if (hf_json_i64(&d, hf_json_get(&d, resp, "status"), &status) != HF_OK) {
        return -1;
    }
    r->status = (int)status;
    return hf_json_str(&d, hf_json_get(&d, resp, "body_text"), &r->resp, &r->resp_len) == HF_OK ? 0 : -1;
}

/* Calls fn for every recording whose name starts with `prefix`; returns how many. */
static int bt_each_recording(const char *prefix, void (*fn)(const bt_rec_t *r))
{
    DIR *dir = opendir(HF_FIXTURES_DIR);
    struct dirent *de;
    static char names[16][256];
    int count = 0;
    if (dir == NULL) {
        printf("SKIP recorded exchanges: %s not found (set HF_FIXTURES_DIR)\n", HF_FIXTURES_DIR);
        return -1;
    }
    while ((de = readdir(dir)) != NULL && count < 16) {
        if (strncmp(de->d_name, prefix, strlen(prefix)) == 0) {
            snprintf(names[count++], sizeof names[0], "%s", de->d_name);
        }
    }
    closedir(dir);
    for (int i = 0; i < count; i++) {
        static bt_rec_t r;
        if (bt_load(names[i], &r) != 0) {
            fprintf(stderr, "cannot read fixture %s\n", names[i]);
            CHECK(0);
            continue;
        }
        fn(&r);
    }
    return count;
}

/* The recorded response as an independent document (a copy: strings are decoded in place). */
static int bt_indep(const bt_rec_t *r, hf_json_doc_t *d)
{
    static char text[1u << 16];
    static uint8_t mem[1u << 16];
    hf_arena_t a;
    if (r->resp_len >= sizeof text) {
        return -1;
    }
    memcpy(text, r->resp, r->resp_len);
    text[r->resp_len] = '\0';
    hf_arena_init(&a, mem, sizeof mem);
    return hf_json_parse(d, text, r->resp_len, &a) == HF_OK ? 0 : -1;
}

#endif /* HF_BINARY_TASK_UTIL_H */
