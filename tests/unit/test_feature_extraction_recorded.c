/* Feature extraction against every recorded feature_extraction exchange, through the full
 * stack (mock transport, client, runner, decoder). Expected values are read from the
 * recordings independently of the library's JSON reader: a small recursive scanner in this
 * file walks the body text, takes every number with strtof and every array's length in
 * pre-order. The ragged 2-input bart-base batch (e6b5e4) is also checked against the
 * structure stated for it by hand: [2][1][3 or 7][768]. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mock_transport.h"

#include "hf/hf_feature_extraction.h"
#include "hf_priv.h"

#ifndef HF_FIXTURES_DIR
#define HF_FIXTURES_DIR "../shared/fixtures/recorded"
#endif

static hf_mock_t g_mock;
static hf_client_t g_client;
static uint8_t g_io[1024];
static uint8_t g_mem[1u << 20];
static hf_arena_t g_arena;
static char g_resp[1u << 19];

static void setup(size_t split, uint32_t seed, size_t arena_size)
{
    hf_client_config_t cfg;
    memset(&cfg, 0, sizeof cfg);
    hf_mock_init(&g_mock);
    g_mock.split = split;
    g_mock.seed = seed;
    cfg.base_url = "http://hf.test";
    cfg.transport = hf_mock_transport(&g_mock);
    cfg.clock = hf_mock_clock_nosleep(&g_mock);
    cfg.io_buf = g_io;
    cfg.io_buf_size = sizeof g_io;
    cfg.max_attempts = 1u;
    if (hf_client_init(&g_client, &cfg) != HF_OK) {
        fprintf(stderr, "client init failed\n");
        exit(1);
    }
    hf_arena_init(&g_arena, g_mem, arena_size);
}

static size_t http_response(const char *body, size_t blen)
{
    int n = snprintf(g_resp, sizeof g_resp,
                     "HTTP/1.1 200 X\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n", blen);
    if (n < 0 || (size_t)n + blen > sizeof g_resp) {
        fprintf(stderr, "response too large\n");
        exit(1);
    }
    memcpy(g_resp + n, body, blen);
    return (size_t)n + blen;
}

/* ------------------------------------------------------------------ independent scanner */

#define MAX_VALS 16384u
#define MAX_LENS 64u

typedef struct expect {
    float vals[MAX_VALS];
    size_t nvals;
    uint32_t lens[MAX_LENS];
    size_t nlens;
    int leaf_depth;             /* depth of the numbers; -1 until the first one */
    size_t level_len[8];        /* common length per level, 0 when they differ */
    bool level_seen[8];
    bool ragged, ok;
} expect_t;

static expect_t g_want;

static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t') {
        p++;
    }
    return p;
}

static void note_level(expect_t *e, int depth, uint32_t n)
{
    if (!e->level_seen[depth]) {
        e->level_seen[depth] = true;
        e->level_len[depth] = n;
    } else if (e->level_len[depth] != n) {
        e->level_len[depth] = 0u;
        e->ragged = true;
    }
}

/* One array at `p` (pointing at '['); returns the text after it, or NULL. */
static const char *scan_array(expect_t *e, const char *p, int depth)
{
    size_t slot = e->nlens++;
    uint32_t n = 0u;
    if (*p != '[' || slot >= MAX_LENS || depth >= 8) {
        return NULL;
    }
    p = skip_ws(p + 1);
    while (*p != ']') {
        if (*p == '[') {
            p = scan_array(e, p, depth + 1);
        } else {
            char *end;
            float v = strtof(p, &end);
            if (end == p || e->nvals >= MAX_VALS || (e->leaf_depth >= 0 && e->leaf_depth != depth + 1)) {
                return NULL;
            }
            e->leaf_depth = depth + 1;
            e->vals[e->nvals++] = v;
            p = end;
        }
        if (p == NULL) {
            return NULL;
        }
        n++;
        p = skip_ws(p);
        if (*p == ',') {
            p = skip_ws(p + 1);
        } else if (*p != ']') {
            return NULL;
        }
    }
    e->lens[slot] = n;
    note_level(e, depth, n);
    return p + 1;
}

static void scan_body(expect_t *e, const char *body)
{
    const char *p;
    memset(e, 0, sizeof *e);
    e->leaf_depth = -1;
    p = scan_array(e, skip_ws(body), 0);
    e->ok = p != NULL && *skip_ws(p) == '\0';
}

/* ------------------------------------------------------------------ recordings */

static char g_file[1u << 19];
static char g_body[1u << 19];
static uint8_t g_fixmem[1u << 16];

/* response.body_text of a 200 recording, copied NUL-terminated into g_body. */
static int load_body(const char *name, size_t *len)
{
    char path[1024];
    const char *body;
    FILE *f;
    size_t n;
    hf_json_doc_t d;
    hf_arena_t a;
    int64_t status = 0;
    int resp;
    snprintf(path, sizeof path, "%s/%s", HF_FIXTURES_DIR, name);
    f = fopen(path, "rb");
    if (f == NULL) {
        return -1;
    }
    n = fread(g_file, 1u, sizeof g_file - 1u, f);
    fclose(f);
    hf_arena_init(&a, g_fixmem, sizeof g_fixmem);
    if (hf_json_parse(&d, g_file, n, &a) != HF_OK) {
        return -1;
    }
    resp = hf_json_get(&d, 0, "response");
    if (hf_json_i64(&d, hf_json_get(&d, resp, "status"), &status) != HF_OK || status != 200 ||
        hf_json_str(&d, hf_json_get(&d, resp, "body_text"), &body, len) != HF_OK || *len >= sizeof g_body) {
        return -1;
    }
    memcpy(g_body, body, *len + 1u);
    return 0;
}

static void check_against_scan(const char *name, const expect_t *e, const hf_feature_extraction_output_t *o)
{
    size_t bad = 0u;
    CHECK(e->ok);
    CHECK_INT(o->count, e->nvals);
    CHECK_INT(o->ndim, e->leaf_depth);
    CHECK(o->ragged == e->ragged);
    for (size_t d = 0; d < HF_FEATURE_EXTRACTION_MAX_DIMS; d++) {
        CHECK_INT(o->shape[d], e->level_len[d]);
    }
    CHECK_INT(o->lengths_count, e->nlens);
    for (size_t i = 0; i < o->lengths_count && i < e->nlens; i++) {
        bad += o->lengths[i] != e->lens[i];
    }
    for (size_t i = 0; i < o->count && i < e->nvals; i++) {
        bad += o->data[i] != e->vals[i];
    }
    CHECK_INT(bad, 0);
    if (bad != 0u) {
        fprintf(stderr, "  %s: %zu values or lengths differ\n", name, bad);
    }
}

/* The README-stated structure of the ragged batch, written out by hand: 2 inputs, each one
 * sequence, of 3 ("hello" with its special tokens) and 7 token vectors of 768. */
static void check_e6b5e4(const hf_feature_extraction_output_t *o)
{
    uint32_t want[15] = {2, 1, 3, 768, 768, 768, 1, 7, 768, 768, 768, 768, 768, 768, 768};
    CHECK_INT(o->ndim, 4);
    CHECK(o->ragged);
    CHECK(o->shape[0] == 2u && o->shape[1] == 1u && o->shape[2] == 0u && o->shape[3] == 768u);
    CHECK_INT(o->count, 10u * 768u);
    CHECK_INT(o->lengths_count, 15);
    for (size_t i = 0; i < 15u && o->lengths_count == 15u; i++) {
        CHECK_INT(o->lengths[i], want[i]);
    }
    /* First and last numbers of the body, copied from the recording's text. */
    CHECK(o->count > 0u && o->data[0] == strtof("2.672325611114502", NULL));
    CHECK(o->count > 0u && o->data[o->count - 1u] == strtof("0.12179253250360489", NULL));
}

/* The arena is sized with HF_FEATURE_EXTRACTION_ARENA_BYTES from the scanned counts (less
 * what the caller buffers hold), so the documented sizing is tested too. */
static void run_recording(const char *name, size_t len, size_t split, uint32_t seed, bool own_buf)
{
    static float fbuf[MAX_VALS];
    static uint32_t lbuf[MAX_LENS];
    hf_feature_extraction_input_t in;
    hf_feature_extraction_output_t o;
    size_t arena = HF_FEATURE_EXTRACTION_ARENA_BYTES(len, g_want.nvals, g_want.nlens);
    if (own_buf) {
        arena -= g_want.nvals * sizeof(float) + g_want.nlens * sizeof(uint32_t);
    }
    if (arena > sizeof g_mem) {
        CHECK(0);
        return;
    }
    setup(split, seed, arena);
    hf_mock_add(&g_mock, HF_MOCK_DATA, g_resp, http_response(g_body, len), 0);
    memset(&in, 0, sizeof in);
    in.inputs = "That is a happy person";
    memset(&o, 0, sizeof o);
    if (own_buf) {
        o.data = fbuf;
        o.capacity = MAX_VALS;
        o.lengths = lbuf;
        o.lengths_capacity = MAX_LENS;
    }
    CHECK_STATUS(hf_feature_extraction(&g_client, "facebook/bart-base", &in, &g_arena, &o), HF_OK);
    if (o.count == 0u) {
        fprintf(stderr, "  %s failed: %s (needed %zu, arena %zu)\n", name, g_client.err.message,
                g_client.err.needed, arena);
        return;
    }
    CHECK(!own_buf || (o.data == fbuf && o.lengths == lbuf));
    check_against_scan(name, &g_want, &o);
    if (strstr(name, "-e6b5e4.json") != NULL) {
        check_e6b5e4(&o);
    } else {
        /* Token-level bart-base answers are [1][tokens][768]; the sentence-transformers ones [768]. */
        bool bart = strstr(name, "bart-base") != NULL || strstr(name, "with-transformers") != NULL;
        CHECK_INT(o.ndim, bart ? 3 : 1);
        CHECK(!o.ragged);
    }
}

static void test_recordings(void)
{
    DIR *dir = opendir(HF_FIXTURES_DIR);
    struct dirent *de;
    int seen = 0, ragged = 0;
    if (dir == NULL) {
        printf("SKIP recorded exchanges: %s not found (set HF_FIXTURES_DIR)\n", HF_FIXTURES_DIR);
        return;
    }
    while ((de = readdir(dir)) != NULL) {
        size_t len;
        if (strncmp(de->d_name, "feature_extraction__", 20u) != 0) {
            continue;
        }
        if (load_body(de->d_name, &len) != 0) {
            fprintf(stderr, "cannot read fixture %s\n", de->d_name);
            CHECK(0);
            continue;
        }
        seen++;
        scan_body(&g_want, g_body);
        ragged += g_want.ragged;
        run_recording(de->d_name, len, 1500u, 0x9e37u + (uint32_t)seen, false);
        run_recording(de->d_name, len, 0u, 0u, true);
        if (len < 20000u) {
            run_recording(de->d_name, len, 1u, 0u, false);
        }
    }
    closedir(dir);
    CHECK_INT(seen, 13);
    CHECK_INT(ragged, 1); /* feature_extraction__js-hfinf-bart-base-e6b5e4 */
}

int main(void)
{
    test_recordings();
    return CHECK_DONE();
}
