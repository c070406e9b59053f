/* Feature extraction: request bodies (parameters at the root), the nested-array decoder
 * (1-D to 4-D, {"embeddings": ...}, ragged and non-number input, caller buffers), and every
 * float of every recorded feature_extraction exchange through the full stack. Expected values
 * are written by hand or read from the recordings independently (strtof on the token text). */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mock_transport.h"

#include "hf/hf_feature_extraction.h"
#include "hf_priv.h"
#include "tasks/tasks_priv.h"

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

static size_t http_response(int status, const char *ctype, const char *body, size_t blen)
{
    int n = snprintf(g_resp, sizeof g_resp, "HTTP/1.1 %d X\r\nContent-Type: %s\r\nContent-Length: %zu\r\n\r\n",
                     status, ctype, blen);
    if (n < 0 || (size_t)n + blen > sizeof g_resp) {
        fprintf(stderr, "response too large\n");
        exit(1);
    }
    memcpy(g_resp + n, body, blen);
    return (size_t)n + blen;
}

static const char *sent_body(void)
{
    const char *s = (const char *)g_mock.sent;
    static char body[2048];
    for (size_t i = 0; i + 4u <= g_mock.sent_len; i++) {
        if (memcmp(s + i, "\r\n\r\n", 4u) == 0) {
            size_t n = g_mock.sent_len - i - 4u;
            n = n < sizeof body ? n : sizeof body - 1u;
            memcpy(body, s + i + 4u, n);
            body[n] = '\0';
            return body;
        }
    }
    return "";
}

/* ------------------------------------------------------------------ decoder on hand-written bodies */

static hf_status_t decode(const char *json, hf_feature_extraction_output_t *out)
{
    static char text[512];
    static uint8_t mem[8192];
    hf_arena_t a;
    hf_json_doc_t doc;
    hf_error_t err;
    hf_status_t st;
    size_t n = strlen(json);
    memcpy(text, json, n + 1u);
    hf_arena_init(&a, mem, sizeof mem);
    hf_error_clear(&err);
    st = hf_json_parse(&doc, text, n, &a);
    if (st != HF_OK) {
        return st;
    }
    st = hf_priv_feature_extraction_decode(&doc, &a, out, &err);
    CHECK_STATUS(err.status, st);
    return st;
}

static void test_shapes(void)
{
    hf_feature_extraction_output_t o;
    memset(&o, 0, sizeof o);
    CHECK_STATUS(decode("[0.5,-1.25,3]", &o), HF_OK);
    CHECK_INT(o.ndim, 1);
    CHECK_INT(o.shape[0], 3);
    CHECK_INT(o.count, 3);
    CHECK_NEAR(o.data[0], 0.5, 0.0);
    CHECK_NEAR(o.data[1], -1.25, 0.0);
    CHECK_NEAR(o.data[2], 3.0, 0.0);
    memset(&o, 0, sizeof o);
    CHECK_STATUS(decode(" [[1,2],[3,4],[5,6e-1]] ", &o), HF_OK);
    CHECK_INT(o.ndim, 2);
    CHECK_INT(o.shape[0], 3);
    CHECK_INT(o.shape[1], 2);
    CHECK_INT(o.count, 6);
    CHECK_NEAR(o.data[3], 4.0, 0.0);
    CHECK_NEAR(o.data[5], 0.6, 1e-7);
    memset(&o, 0, sizeof o);
    CHECK_STATUS(decode("[[[1,2,3]],[[4,5,6]]]", &o), HF_OK);
    CHECK_INT(o.ndim, 3);
    CHECK(o.shape[0] == 2 && o.shape[1] == 1 && o.shape[2] == 3 && o.shape[3] == 0);
    CHECK_NEAR(o.data[4], 5.0, 0.0);
    memset(&o, 0, sizeof o);
    /* Row-major: [i][j][k][l] at ((i*1 + j)*2 + k)*2 + l; the last value is [1][0][1][1]. */
    CHECK_STATUS(decode("[[[[1,2],[3,4]]],[[[5,6],[7,-8]]]]", &o), HF_OK);
    CHECK_INT(o.ndim, 4);
    CHECK(o.shape[0] == 2 && o.shape[1] == 1 && o.shape[2] == 2 && o.shape[3] == 2);
    CHECK_INT(o.count, 8);
    CHECK_NEAR(o.data[7], -8.0, 0.0);
    CHECK_NEAR(o.data[6], 7.0, 0.0);
    memset(&o, 0, sizeof o);
    CHECK_STATUS(decode("{\"embeddings\":[[0.25],[0.75]]}", &o), HF_OK);
    CHECK_INT(o.ndim, 2);
    CHECK_INT(o.count, 2);
    CHECK_NEAR(o.data[1], 0.75, 0.0);
}

static void test_hostile(void)
{
    static const char *const shape[] = {
        "[[1,2],[3]]", "[[1],[2,3]]", "[[1,2],3]", "[1,[2]]", "[[[1]],[2]]", "[[1],[[2]]]", "[1,\"2\"]",
        "[true]", "[null]", "[{}]", "[[[[[1]]]]]", "{\"x\":[1]}", "\"str\"", "{\"embeddings\":{}}", "3",
        "{\"embeddings\":5}", "[[1,2],[3,4],[5]]", "[[1,2],[3,4],[5,6,7]]", "[-]",
    };
    hf_feature_extraction_output_t o;
    for (size_t i = 0; i < sizeof shape / sizeof shape[0]; i++) {
        hf_status_t st;
        bool ok;
        memset(&o, 0, sizeof o);
        st = decode(shape[i], &o);
        /* "[-]" is invalid JSON for the reader; the others are valid but of the wrong shape. */
        ok = st == HF_ERR_JSON_SHAPE || (i + 1u == sizeof shape / sizeof shape[0] && st == HF_ERR_JSON_SYNTAX);
        CHECK(ok);
        if (!ok) {
            fprintf(stderr, "  body: %s -> %s\n", shape[i], hf_status_str(st));
        }
        CHECK_INT(o.count, 0);
        CHECK_INT(o.ndim, 0);
    }
    memset(&o, 0, sizeof o);
    CHECK_STATUS(decode("[]", &o), HF_ERR_EMPTY_RESULT);
    CHECK_STATUS(decode("[[]]", &o), HF_ERR_EMPTY_RESULT);
    CHECK_STATUS(decode("{\"embeddings\":[]}", &o), HF_ERR_EMPTY_RESULT);
}

static void test_caller_buffer(void)
{
    static const char json[] = "[[1,2,3],[4,5,6]]";
    static char text[64];
    static uint8_t mem[2048];
    float buf[6] = {0};
    hf_feature_extraction_output_t o;
    hf_arena_t a;
    hf_json_doc_t doc;
    hf_error_t err;
    size_t mark;
    memset(&o, 0, sizeof o);
    o.data = buf;
    o.capacity = 6u;
    CHECK_STATUS(decode(json, &o), HF_OK);
    CHECK(o.data == buf);
    CHECK_NEAR(buf[5], 6.0, 0.0);
    memset(&o, 0, sizeof o);
    o.data = buf;
    o.capacity = 5u;
    memcpy(text, json, sizeof json);
    hf_arena_init(&a, mem, sizeof mem);
    hf_error_clear(&err);
    CHECK_STATUS(hf_json_parse(&doc, text, sizeof json - 1u, &a), HF_OK);
    mark = hf_arena_mark(&a);
    CHECK_STATUS(hf_priv_feature_extraction_decode(&doc, &a, &o, &err), HF_ERR_NO_MEMORY);
    CHECK_INT(err.needed, 6u * sizeof(float));
    CHECK(o.data == buf);
    CHECK_INT(o.count, 0);
    CHECK_INT(hf_arena_mark(&a), mark);
    /* capacity 0: a stale data pointer (e.g. from an arena-backed call) is ignored. */
    memset(&o, 0, sizeof o);
    o.data = buf;
    CHECK_STATUS(hf_priv_feature_extraction_decode(&doc, &a, &o, &err), HF_OK);
    CHECK(o.data != buf && o.count == 6u && o.data[5] == 6.0f);
    hf_arena_rewind(&a, mark);
    /* Arena without room for the 6 floats. */
    memset(&o, 0, sizeof o);
    a.cap = a.used + 8u;
    CHECK_STATUS(hf_priv_feature_extraction_decode(&doc, &a, &o, &err), HF_ERR_NO_MEMORY);
    CHECK(err.needed >= a.used + 6u * sizeof(float));
    CHECK(o.data == NULL);
}

/* ------------------------------------------------------------------ full stack */

static void test_requests(void)
{
    static const char *batch[] = {"hello", "That is a happy person"};
    static const char body[] = "[[0.5,-1.25],[3,0.001]]";
    hf_feature_extraction_input_t in;
    hf_feature_extraction_output_t o;
    memset(&in, 0, sizeof in);
    in.inputs = "That is a happy person";
    in.has_normalize = true;
    in.normalize = true;
    for (size_t k = 1; k <= sizeof body + 80u; k++) {
        setup(k, 0u, sizeof g_mem);
        hf_mock_add(&g_mock, HF_MOCK_DATA, g_resp, http_response(200, "application/json", body, sizeof body - 1u), 0);
        memset(&o, 0, sizeof o);
        CHECK_STATUS(hf_feature_extraction(&g_client, "facebook/bart-base", &in, &g_arena, &o), HF_OK);
        CHECK(o.ndim == 2 && o.shape[0] == 2 && o.shape[1] == 2 && o.count == 4);
        CHECK_NEAR(o.data[1], -1.25, 0.0);
        CHECK_NEAR(o.data[3], 0.001, 1e-10);
    }
    CHECK(memcmp(g_mock.sent, "POST /hf-inference/models/facebook/bart-base/pipeline/feature-extraction HTTP/1.1\r\n",
                 83u) == 0);
    CHECK_STR(sent_body(), "{\"inputs\":\"That is a happy person\",\"normalize\":true}");
    memset(&in, 0, sizeof in);
    in.inputs_batch = batch;
    in.inputs_batch_count = 2u;
    in.prompt_name = "query";
    in.has_truncate = true;
    in.truncation_direction = "left";
    setup(0u, 0u, sizeof g_mem);
    hf_mock_add(&g_mock, HF_MOCK_DATA, g_resp, http_response(200, "application/json", "{\"embeddings\":[1]}", 18u), 0);
    memset(&o, 0, sizeof o);
    CHECK_STATUS(hf_feature_extraction(&g_client, "m", &in, &g_arena, &o), HF_OK);
    CHECK_STR(sent_body(), "{\"inputs\":[\"hello\",\"That is a happy person\"],\"prompt_name\":\"query\","
                           "\"truncate\":false,\"truncation_direction\":\"left\"}");
    CHECK(o.ndim == 1 && o.count == 1 && o.data[0] == 1.0f);
    in.inputs = "both";
    CHECK_STATUS(hf_feature_extraction(&g_client, "m", &in, &g_arena, &o), HF_ERR_INVALID_ARG);
    in.inputs = NULL;
    in.inputs_batch = NULL;
    CHECK_STATUS(hf_feature_extraction(&g_client, "m", &in, &g_arena, &o), HF_ERR_INVALID_ARG);
    /* A ragged body through the stack: the failure is in c->err. */
    in.inputs = "x";
    setup(0u, 0u, sizeof g_mem);
    hf_mock_add(&g_mock, HF_MOCK_DATA, g_resp, http_response(200, "application/json", "[[1],[2,3]]", 11u), 0);
    CHECK_STATUS(hf_feature_extraction(&g_client, "m", &in, &g_arena, &o), HF_ERR_JSON_SHAPE);
    CHECK_STATUS(hf_client_error(&g_client)->status, HF_ERR_JSON_SHAPE);
}

/* ------------------------------------------------------------------ recordings */

static char g_file[1u << 19];
static char g_indep[1u << 19];
static uint8_t g_fixmem[1u << 16];
static uint8_t g_indepmem[1u << 21];

/* response.body_text of a 200 recording, and whether its request went to facebook/bart-base. */
static int load_body(const char *name, const char **body, size_t *len, bool *bart)
{
    const char *url = "";
    size_t ul;
    char path[1024];
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
    if (hf_json_i64(&d, hf_json_get(&d, resp, "status"), &status) != HF_OK || status != 200) {
        return -1;
    }
    if (hf_json_str(&d, hf_json_get(&d, hf_json_get(&d, 0, "request"), "url"), &url, &ul) != HF_OK) {
        return -1;
    }
    *bart = strstr(url, "facebook/bart-base") != NULL;
    return hf_json_str(&d, hf_json_get(&d, resp, "body_text"), body, len) == HF_OK ? 0 : -1;
}

/* Shape of the recording, following element 0 down, and the dimension the README states
 * (3-D for facebook/bart-base, 1-D for the sentence-transformers models). */
static void check_recording_shape(bool bart, const hf_json_doc_t *d, const hf_feature_extraction_output_t *o)
{
    int t = 0, ndim = 0;
    size_t want_ndim = bart ? 3u : 1u;
    while (t >= 0 && d->tok[t].type == JSMN_ARRAY && ndim < 8) {
        CHECK_INT(o->shape[ndim], d->tok[t].size);
        ndim++;
        t = hf_json_at(d, t, 0);
    }
    CHECK_INT(o->ndim, ndim);
    CHECK_INT(o->ndim, want_ndim);
}

/* Every value, addressed by its index path in the independently parsed recording. */
static void check_recording_values(const hf_json_doc_t *d, const hf_feature_extraction_output_t *o)
{
    size_t idx[4] = {0, 0, 0, 0};
    int bad = 0;
    for (size_t k = 0; k < o->count; k++) {
        int t = 0;
        float want;
        for (size_t dim = 0; dim < o->ndim; dim++) {
            t = hf_json_at(d, t, (int)idx[dim]);
        }
        want = t >= 0 ? strtof(d->text + d->tok[t].start, NULL) : -1e30f;
        if (o->data[k] != want) {
            bad++;
        }
        for (size_t dim = o->ndim; dim-- > 0u;) {
            if (++idx[dim] < o->shape[dim]) {
                break;
            }
            idx[dim] = 0u;
        }
    }
    CHECK_INT(bad, 0);
}

static int g_ragged;

/* Test-side recursive check: do all arrays at one depth have the same length? */
static bool uniform(const hf_json_doc_t *d, int t, int depth, int *sizes)
{
    if (d->tok[t].type != JSMN_ARRAY) {
        return sizes[depth] == -1 || sizes[depth] == -2 ? (sizes[depth] = -2, true) : false;
    }
    if (sizes[depth] == -1) {
        sizes[depth] = d->tok[t].size;
    }
    if (sizes[depth] != d->tok[t].size) {
        return false;
    }
    for (int i = 0; i < d->tok[t].size; i++) {
        if (!uniform(d, hf_json_at(d, t, i), depth + 1, sizes)) {
            return false;
        }
    }
    return true;
}

static bool is_ragged(const hf_json_doc_t *d)
{
    int sizes[8] = {-1, -1, -1, -1, -1, -1, -1, -1};
    return !uniform(d, 0, 0, sizes);
}

/* The arena is sized with HF_FEATURE_EXTRACTION_ARENA_BYTES from counts taken from the
 * independently parsed recording, so the documented sizing is tested too. */
static void run_recording(const char *name, const char *body, size_t len, size_t split, uint32_t seed, bool own_buf,
                          bool bart)
{
    static float buf[8192];
    hf_feature_extraction_input_t in;
    hf_feature_extraction_output_t o;
    hf_json_doc_t d;
    hf_arena_t a;
    size_t nvals = 0u, narrays = 0u, arena;
    memcpy(g_indep, body, len);
    hf_arena_init(&a, g_indepmem, sizeof g_indepmem);
    CHECK_STATUS(hf_json_parse(&d, g_indep, len, &a), HF_OK);
    for (int t = 0; t < d.ntok; t++) {
        nvals += d.tok[t].type == JSMN_PRIMITIVE;
        narrays += d.tok[t].type == JSMN_ARRAY;
    }
    arena = HF_FEATURE_EXTRACTION_ARENA_BYTES(len, nvals, narrays) - (own_buf ? nvals * sizeof(float) : 0u);
    if (arena > sizeof g_mem) {
        CHECK(0);
        return;
    }
    setup(split, seed, arena);
    hf_mock_add(&g_mock, HF_MOCK_DATA, g_resp, http_response(200, "application/json", body, len), 0);
    memset(&in, 0, sizeof in);
    in.inputs = "That is a happy person";
    memset(&o, 0, sizeof o);
    if (own_buf) {
        o.data = buf;
        o.capacity = sizeof buf / sizeof buf[0];
    }
    if (is_ragged(&d)) {
        /* The 2-input bart-base batch: 3 and 7 token vectors, no dense tensor. */
        CHECK_STATUS(hf_feature_extraction(&g_client, "facebook/bart-base", &in, &g_arena, &o), HF_ERR_JSON_SHAPE);
        CHECK(strstr(g_client.err.message, "ragged") != NULL);
        CHECK_INT(o.count, 0);
        g_ragged++;
        return;
    }
    CHECK_STATUS(hf_feature_extraction(&g_client, "facebook/bart-base", &in, &g_arena, &o), HF_OK);
    if (o.count == 0u) {
        fprintf(stderr, "  %s failed: %s (needed %zu, arena %zu)\n", name, g_client.err.message,
                g_client.err.needed, arena);
        return;
    }
    CHECK_INT(o.count, nvals);
    CHECK(o.data == (own_buf ? buf : o.data));
    check_recording_shape(bart, &d, &o);
    check_recording_values(&d, &o);
}

static void test_recordings(void)
{
    DIR *dir = opendir(HF_FIXTURES_DIR);
    struct dirent *de;
    int seen = 0;
    if (dir == NULL) {
        printf("SKIP recorded exchanges: %s not found (set HF_FIXTURES_DIR)\n", HF_FIXTURES_DIR);
        return;
    }
    while ((de = readdir(dir)) != NULL) {
        const char *body;
        size_t len;
        bool bart = false;
        if (strncmp(de->d_name, "feature_extraction__", 20u) != 0) {
            continue;
        }
        if (load_body(de->d_name, &body, &len, &bart) != 0) {
            fprintf(stderr, "cannot read fixture %s\n", de->d_name);
            CHECK(0);
            continue;
        }
        seen++;
        run_recording(de->d_name, body, len, 1500u, 0x9e37u + (uint32_t)seen, false, bart);
        run_recording(de->d_name, body, len, 0u, 0u, true, bart);
        if (len < 20000u) {
            run_recording(de->d_name, body, len, 1u, 0u, false, bart);
        }
    }
    closedir(dir);
    CHECK_INT(seen, 13);
    CHECK_INT(g_ragged, 2); /* feature_extraction__js-hfinf-bart-base-e6b5e4, twice */
}

int main(void)
{
    test_shapes();
    test_hostile();
    test_caller_buffer();
    test_requests();
    test_recordings();
    return CHECK_DONE();
}
