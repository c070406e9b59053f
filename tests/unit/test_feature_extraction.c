/* Feature extraction: request bodies (parameters at the root), the nested-array decoder
 * (1-D to 4-D, {"embeddings": ...}, ragged results with their array lengths, mixed depths and
 * non-number input, caller buffers for floats and lengths). Expected values are written by
 * hand next to each body. The recorded exchanges are in test_feature_extraction_recorded.c. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "rig.h"

#include "hf/hf_feature_extraction.h"
#include "hf_priv.h"
#include "tasks/tasks_priv.h"

#define ARENA HF_RIG_ARENA_MAX

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
    CHECK(!o.ragged && o.lengths_count == 1u && o.lengths[0] == 3u);
    memset(&o, 0, sizeof o);
    CHECK_STATUS(decode(" [[1,2],[3,4],[5,6e-1]] ", &o), HF_OK);
    CHECK(!o.ragged && o.lengths_count == 4u);
    CHECK(o.lengths[0] == 3u && o.lengths[1] == 2u && o.lengths[2] == 2u && o.lengths[3] == 2u);
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
    /* Pre-order: root 2, [0] 1, [0][0] 2, its two rows 2 2, [1] 1, [1][0] 2, its two rows 2 2. */
    CHECK_INT(o.lengths_count, 9);
    for (size_t i = 0; i < 9u && o.lengths_count == 9u; i++) {
        static const uint32_t want[9] = {2, 1, 2, 2, 2, 1, 2, 2, 2};
        CHECK_INT(o.lengths[i], want[i]);
    }
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
        "[[1,2],3]", "[1,[2]]", "[[[1]],[2]]", "[[1],[[2]]]", "[1,\"2\"]", "[[1],[2,[3]]]", "[[[1],[2]],[3]]",
        "[true]", "[null]", "[{}]", "[[[[[1]]]]]", "{\"x\":[1]}", "\"str\"", "{\"embeddings\":{}}", "3",
        "{\"embeddings\":5}", "[[1,2],[3,4],[5,false]]", "[[[[1,[2]]]]]", "[[1e39]]", "[-]",
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
        CHECK(o.lengths_count == 0u && !o.ragged && o.lengths == NULL);
    }
    /* An empty array anywhere is an empty result, ragged or not (documented rule). */
    memset(&o, 0, sizeof o);
    CHECK_STATUS(decode("[]", &o), HF_ERR_EMPTY_RESULT);
    CHECK_STATUS(decode("[[]]", &o), HF_ERR_EMPTY_RESULT);
    CHECK_STATUS(decode("{\"embeddings\":[]}", &o), HF_ERR_EMPTY_RESULT);
    CHECK_STATUS(decode("[[1],[]]", &o), HF_ERR_EMPTY_RESULT);
    CHECK_STATUS(decode("[[],[1]]", &o), HF_ERR_EMPTY_RESULT);
    CHECK_STATUS(decode("[[[1,2]],[]]", &o), HF_ERR_EMPTY_RESULT);
    CHECK(o.count == 0u && o.lengths_count == 0u && o.ndim == 0u);
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

/* Lengths in a caller buffer; a too-small one fails with the bytes it needs, and the floats
 * already taken from the arena are given back. */
static void test_caller_lengths(void)
{
    static const char json[] = "[[1,2],[3]]";
    static char text[64];
    static uint8_t mem[2048];
    uint32_t lens[3] = {0, 0, 0};
    float buf[3] = {0};
    hf_feature_extraction_output_t o;
    hf_arena_t a;
    hf_json_doc_t doc;
    hf_error_t err;
    size_t mark;
    memcpy(text, json, sizeof json);
    hf_arena_init(&a, mem, sizeof mem);
    hf_error_clear(&err);
    CHECK_STATUS(hf_json_parse(&doc, text, sizeof json - 1u, &a), HF_OK);
    mark = hf_arena_mark(&a);
    memset(&o, 0, sizeof o);
    o.lengths = lens;
    o.lengths_capacity = 3u;
    o.data = buf;
    o.capacity = 3u;
    CHECK_STATUS(hf_priv_feature_extraction_decode(&doc, &a, &o, &err), HF_OK);
    CHECK(o.lengths == lens && o.data == buf && o.lengths_count == 3u && o.count == 3u);
    CHECK(lens[0] == 2u && lens[1] == 2u && lens[2] == 1u);
    CHECK(buf[0] == 1.0f && buf[1] == 2.0f && buf[2] == 3.0f);
    CHECK_INT(hf_arena_mark(&a), mark);
    memset(&o, 0, sizeof o);
    o.lengths = lens;
    o.lengths_capacity = 2u;
    CHECK_STATUS(hf_priv_feature_extraction_decode(&doc, &a, &o, &err), HF_ERR_NO_MEMORY);
    CHECK_INT(err.needed, 3u * sizeof(uint32_t));
    CHECK(o.lengths == lens && o.lengths_capacity == 2u && o.data == NULL);
    CHECK(o.count == 0u && o.lengths_count == 0u && o.ndim == 0u && !o.ragged);
    CHECK_INT(hf_arena_mark(&a), mark);
    /* Arena with room for the 3 floats but not for the 3 lengths. */
    memset(&o, 0, sizeof o);
    a.cap = a.used + 3u * sizeof(float) + 4u;
    CHECK_STATUS(hf_priv_feature_extraction_decode(&doc, &a, &o, &err), HF_ERR_NO_MEMORY);
    CHECK(err.needed >= mark + 3u * sizeof(float) + 3u * sizeof(uint32_t));
    CHECK(o.data == NULL && o.lengths == NULL);
    CHECK_INT(hf_arena_mark(&a), mark);
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
        hf_rig_setup(k, 0u, ARENA);
        hf_rig_add_response(200, "application/json", body, sizeof body - 1u);
        memset(&o, 0, sizeof o);
        CHECK_STATUS(hf_feature_extraction(&g_client, "facebook/bart-base", &in, &g_arena, &o), HF_OK);
        CHECK(o.ndim == 2 && o.shape[0] == 2 && o.shape[1] == 2 && o.count == 4);
        CHECK_NEAR(o.data[1], -1.25, 0.0);
        CHECK_NEAR(o.data[3], 0.001, 1e-10);
    }
    CHECK(memcmp(g_mock.sent, "POST /hf-inference/models/facebook/bart-base/pipeline/feature-extraction HTTP/1.1\r\n",
                 83u) == 0);
    CHECK_STR(hf_rig_sent_body(), "{\"inputs\":\"That is a happy person\",\"normalize\":true}");
    memset(&in, 0, sizeof in);
    in.inputs_batch = batch;
    in.inputs_batch_count = 2u;
    in.prompt_name = "query";
    in.has_truncate = true;
    in.truncation_direction = "left";
    hf_rig_setup(0u, 0u, ARENA);
    hf_rig_add_response(200, "application/json", "{\"embeddings\":[1]}", 18u);
    memset(&o, 0, sizeof o);
    CHECK_STATUS(hf_feature_extraction(&g_client, "m", &in, &g_arena, &o), HF_OK);
    CHECK_STR(hf_rig_sent_body(), "{\"inputs\":[\"hello\",\"That is a happy person\"],\"prompt_name\":\"query\","
                           "\"truncate\":false,\"truncation_direction\":\"left\"}");
    CHECK(o.ndim == 1 && o.count == 1 && o.data[0] == 1.0f);
    in.inputs = "both";
    CHECK_STATUS(hf_feature_extraction(&g_client, "m", &in, &g_arena, &o), HF_ERR_INVALID_ARG);
    in.inputs = NULL;
    in.inputs_batch = NULL;
    CHECK_STATUS(hf_feature_extraction(&g_client, "m", &in, &g_arena, &o), HF_ERR_INVALID_ARG);
    /* Mixed depths through the stack: the failure is in c->err. */
    in.inputs = "x";
    hf_rig_setup(0u, 0u, ARENA);
    hf_rig_add_response(200, "application/json", "[[1],[[2]]]", 11u);
    CHECK_STATUS(hf_feature_extraction(&g_client, "m", &in, &g_arena, &o), HF_ERR_JSON_SHAPE);
    CHECK_STATUS(hf_client_error(&g_client)->status, HF_ERR_JSON_SHAPE);
}

/* ------------------------------------------------------------------ ragged results */

typedef struct ragged_case {
    const char *body;        /* compact; numbers written as %.9g prints them */
    uint8_t ndim;
    size_t shape[4];
    size_t count;
    size_t nlen;
    uint32_t lengths[12];
} ragged_case_t;

/* Each expectation worked out by hand from the body. */
static const ragged_case_t k_ragged[] = {
    {"[[1,2],[3]]", 2u, {2, 0, 0, 0}, 3u, 3u, {2, 2, 1}},
    {"[[1,2],[3,4],[5]]", 2u, {3, 0, 0, 0}, 5u, 4u, {3, 2, 2, 1}},
    {"[[[1,2],[3,4],[5,6]],[[7,8]]]", 3u, {2, 0, 2, 0}, 8u, 7u, {2, 3, 2, 2, 2, 1, 2}},
    {"[[[0.5]],[[1.5,2.5],[-3.5]]]", 3u, {2, 0, 0, 0}, 4u, 6u, {2, 1, 1, 2, 2, 1}},
    {"[[[[1]]],[[[2,3]],[[4]]]]", 4u, {2, 0, 1, 0}, 4u, 9u, {2, 1, 1, 1, 2, 1, 2, 1, 1}},
    {"[[[0.25,-1],[2,3],[4,5]]],[[6,7],[8,9]]]]", 0u, {0}, 0u, 0u, {0}}, /* syntax: one ] too many */
    {"[[[0.25,-1],[2,3],[4,5]],[[6,7],[8,9]]]", 3u, {2, 0, 2, 0}, 10u, 8u, {2, 3, 2, 2, 2, 2, 2, 2}},
};

/* Rebuilds the JSON text from numbers, lengths and depth, as a user of the output would. */
static size_t rebuild(const hf_feature_extraction_output_t *o, char *dst, size_t cap)
{
    size_t left[4], n = 0u, k = 1u, v = 0u;
    int depth = 0;
    if (o->lengths_count == 0u) {
        return 0u;
    }
    left[0] = o->lengths[0];
    n += (size_t)snprintf(dst + n, cap - n, "[");
    while (depth >= 0 && n < cap) {
        if (left[depth] == 0u) {
            n += (size_t)snprintf(dst + n, cap - n, "]");
            depth--;
            continue;
        }
        if (dst[n - 1u] != '[') {
            n += (size_t)snprintf(dst + n, cap - n, ",");
        }
        left[depth]--;
        if (depth + 1 < (int)o->ndim && k < o->lengths_count) {
            left[++depth] = o->lengths[k++];
            n += (size_t)snprintf(dst + n, cap - n, "[");
        } else if (v < o->count) {
            n += (size_t)snprintf(dst + n, cap - n, "%.9g", (double)o->data[v++]);
        } else {
            return 0u;
        }
    }
    return n;
}

static void check_ragged(const ragged_case_t *c, const hf_feature_extraction_output_t *o)
{
    char text[256];
    size_t n;
    CHECK_INT(o->ndim, c->ndim);
    CHECK(o->ragged);
    CHECK_INT(o->count, c->count);
    CHECK_INT(o->lengths_count, c->nlen);
    for (size_t d = 0; d < 4u; d++) {
        CHECK_INT(o->shape[d], c->shape[d]);
    }
    for (size_t i = 0; i < c->nlen && i < o->lengths_count; i++) {
        CHECK_INT(o->lengths[i], c->lengths[i]);
    }
    n = rebuild(o, text, sizeof text);
    CHECK_MEM(text, n, c->body, strlen(c->body));
}

static void test_ragged(void)
{
    for (size_t i = 0; i < sizeof k_ragged / sizeof k_ragged[0]; i++) {
        hf_feature_extraction_output_t o;
        memset(&o, 0, sizeof o);
        if (k_ragged[i].nlen == 0u) {
            CHECK_STATUS(decode(k_ragged[i].body, &o), HF_ERR_JSON_SYNTAX);
            continue;
        }
        CHECK_STATUS(decode(k_ragged[i].body, &o), HF_OK);
        check_ragged(&k_ragged[i], &o);
    }
}

/* Through the client at every read split, with the floats and lengths in the arena and in
 * caller buffers, and wrapped as {"embeddings": ...}. */
static void run_ragged_stack(const ragged_case_t *c, const char *body, size_t k, bool own)
{
    static float fbuf[16];
    static uint32_t lbuf[16];
    hf_feature_extraction_input_t in;
    hf_feature_extraction_output_t o;
    hf_rig_setup(k, 0u, ARENA);
    hf_rig_add_response(200, "application/json", body, strlen(body));
    memset(&in, 0, sizeof in);
    in.inputs = "x";
    memset(&o, 0, sizeof o);
    if (own) {
        o.data = fbuf;
        o.capacity = 16u;
        o.lengths = lbuf;
        o.lengths_capacity = 16u;
    }
    CHECK_STATUS(hf_feature_extraction(&g_client, "facebook/bart-base", &in, &g_arena, &o), HF_OK);
    CHECK(!own || (o.data == fbuf && o.lengths == lbuf));
    check_ragged(c, &o);
}

static void test_ragged_stack(void)
{
    static char wrapped[128];
    for (size_t i = 0; i < sizeof k_ragged / sizeof k_ragged[0]; i++) {
        const ragged_case_t *c = &k_ragged[i];
        size_t len = strlen(c->body);
        if (c->nlen == 0u) {
            continue;
        }
        snprintf(wrapped, sizeof wrapped, "{\"embeddings\":%s}", c->body);
        for (size_t k = 1; k <= len + 80u; k++) {
            run_ragged_stack(c, c->body, k, (k & 1u) != 0u);
        }
        run_ragged_stack(c, wrapped, 1u, false);
        run_ragged_stack(c, wrapped, 0u, true);
    }
}

int main(void)
{
    test_shapes();
    test_hostile();
    test_caller_buffer();
    test_caller_lengths();
    test_requests();
    test_ragged();
    test_ragged_stack();
    return CHECK_DONE();
}
