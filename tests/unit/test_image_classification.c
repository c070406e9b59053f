/* Image classification: the raw upload (bytes and Content-Type exactly), the JSON+base64
 * body for small inputs (base64 computed by hand), refused inputs, 1 MB uploads from memory
 * and from a reader (captured request decoded back by a reference decoder; arena peak the
 * same as for a tiny upload), retries that re-send a reader's bytes, result shapes at every
 * read split, hostile bodies, and the recorded exchange. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fixture.h"
#include "rig.h"

#include "tasks/tasks_priv.h"

#include "hf/hf_image_classification.h"

#define ARENA (1u << 16)

static const char k_model[] = "google/vit-base-patch16-224";
static const uint8_t k_png5[] = {0x89, 0x50, 0x4E, 0x47, 0x0D}; /* base64 "iVBORw0=" (by hand) */

static const char k_two[] = "[{\"label\":\"cheetah, chetah, Acinonyx jubatus\",\"score\":0.9981813430786133},"
                            "{\"label\":\"leopard, Panthera pardus\",\"score\":0.0006633009179495275}]";

static hf_status_t run(const hf_image_classification_input_t *in, hf_image_classification_output_t *out)
{
    return hf_image_classification(&g_client, k_model, in, &g_arena, out);
}

static void png_input(hf_image_classification_input_t *in)
{
    memset(in, 0, sizeof *in);
    in->inputs.data = k_png5;
    in->inputs.data_len = sizeof k_png5;
    in->inputs.content_type = "image/png";
}

/* ------------------------------------------------------------------ requests */

static void test_raw_request(void)
{
    hf_image_classification_input_t in;
    hf_image_classification_output_t out;
    const char *head;
    const uint8_t *body;
    size_t hl, bl;
    hf_rig_setup(0u, 0u, ARENA);
    hf_rig_add_json(k_two);
    png_input(&in);
    CHECK_STATUS(run(&in, &out), HF_OK);
    CHECK_STATUS(hf_rig_request(0u, &head, &hl, &body, &bl), HF_OK);
    CHECK(memcmp(head, "POST /hf-inference/models/google/vit-base-patch16-224 HTTP/1.1\r\n", 64u) == 0);
    CHECK(hf_rig_head_has(head, hl, "Content-Type: image/png"));
    CHECK(hf_rig_head_has(head, hl, "Content-Length: 5"));
    CHECK(!hf_rig_head_has(head, hl, "Content-Type: application/json"));
    CHECK_MEM(body, bl, k_png5, sizeof k_png5);
    CHECK_INT(hf_rig_captured(), hl + 5u);
    CHECK_INT(out.elements_count, 2);
}

static void check_json_body(const hf_image_classification_input_t *in, const char *want)
{
    hf_image_classification_output_t out;
    const char *head;
    const uint8_t *body;
    size_t hl, bl;
    char cl[64];
    hf_rig_setup(0u, 0u, ARENA);
    hf_rig_add_json(k_two);
    CHECK_STATUS(run(in, &out), HF_OK);
    CHECK_STATUS(hf_rig_request(0u, &head, &hl, &body, &bl), HF_OK);
    CHECK(hf_rig_head_has(head, hl, "Content-Type: application/json"));
    snprintf(cl, sizeof cl, "Content-Length: %zu", strlen(want));
    CHECK(hf_rig_head_has(head, hl, cl));
    CHECK_MEM(body, bl, want, strlen(want));
}

static void test_json_request(void)
{
    static const uint8_t ff3[] = {0xFF, 0xFE, 0xFD};
    hf_image_classification_input_t in;
    hf_image_classification_parameters_t p;
    memset(&p, 0, sizeof p);
    png_input(&in);
    in.parameters = &p;
    check_json_body(&in, "{\"inputs\":\"iVBORw0=\",\"parameters\":{}}");
    p.function_to_apply = "softmax";
    p.has_top_k = true;
    p.top_k = 2;
    check_json_body(&in, "{\"inputs\":\"iVBORw0=\",\"parameters\":{\"function_to_apply\":\"softmax\",\"top_k\":2}}");
    /* Content type is not needed (nor sent) in a JSON body; 1, 2 and 3 bytes by hand. */
    in.inputs.content_type = NULL;
    p.function_to_apply = NULL;
    in.inputs.data = ff3;
    in.inputs.data_len = 1u;
    check_json_body(&in, "{\"inputs\":\"/w==\",\"parameters\":{\"top_k\":2}}");
    in.inputs.data_len = 2u;
    check_json_body(&in, "{\"inputs\":\"//4=\",\"parameters\":{\"top_k\":2}}");
    in.inputs.data_len = 3u;
    check_json_body(&in, "{\"inputs\":\"//79\",\"parameters\":{\"top_k\":2}}");
}

static hf_status_t dummy_read(void *user, uint8_t *buf, size_t cap, size_t *got)
{
    (void)user;
    memset(buf, 'x', cap);
    *got = cap;
    return HF_OK;
}

static void expect_refused(const hf_image_classification_input_t *in, const char *why)
{
    hf_image_classification_output_t out;
    hf_rig_setup(0u, 0u, ARENA);
    hf_rig_add_json(k_two);
    CHECK_STATUS(run(in, &out), HF_ERR_INVALID_ARG);
    CHECK_STATUS(hf_client_error(&g_client)->status, HF_ERR_INVALID_ARG);
    CHECK(strstr(hf_client_error(&g_client)->message, why) != NULL);
    CHECK_INT(hf_rig_captured(), 0);
    CHECK(out.elements == NULL && out.elements_count == 0u);
}

static void test_refused(void)
{
    hf_image_classification_input_t in;
    hf_image_classification_output_t out;
    png_input(&in);
    in.inputs.data = NULL;
    expect_refused(&in, "exactly one of data");
    png_input(&in);
    in.inputs.data_len = 0u;
    expect_refused(&in, "exactly one of data");
    png_input(&in);
    in.inputs.read = dummy_read;
    in.inputs.total_len = 5u;
    expect_refused(&in, "exactly one of data");
    png_input(&in);
    in.inputs.data = NULL;
    in.inputs.read = dummy_read;
    expect_refused(&in, "exactly one of data"); /* total_len 0 */
    png_input(&in);
    in.inputs.content_type = NULL;
    expect_refused(&in, "content_type");
    in.inputs.content_type = "";
    expect_refused(&in, "content_type");
    in.inputs.content_type = "image/png\r\nX-Evil: 1";
    expect_refused(&in, "content_type");
    png_input(&in);
    CHECK_STATUS(hf_image_classification(&g_client, k_model, NULL, &g_arena, &out), HF_ERR_INVALID_ARG);
    CHECK_STATUS(hf_image_classification(&g_client, k_model, &in, NULL, &out), HF_ERR_INVALID_ARG);
    CHECK_STATUS(hf_image_classification(&g_client, k_model, &in, &g_arena, NULL), HF_ERR_INVALID_ARG);
    CHECK_STATUS(hf_image_classification(NULL, k_model, &in, &g_arena, &out), HF_ERR_INVALID_ARG);
    CHECK_STATUS(hf_image_classification(&g_client, NULL, &in, &g_arena, &out), HF_ERR_INVALID_ARG);
}

/* ------------------------------------------------------------------ 1 MB uploads */

#define BIG (1u << 20)
static uint8_t g_big[BIG];
static char g_b64[BIG / 3u * 4u + 8u];
static uint8_t g_back[BIG];

typedef hf_rig_reader_t reader_t;

static void reader_input(hf_image_classification_input_t *in, reader_t *r, const uint8_t *src, size_t len,
                         size_t piece)
{
    memset(in, 0, sizeof *in);
    hf_rig_reader_blob(&in->inputs, r, src, len, piece, "image/jpeg");
}

static size_t peak_of_upload(const hf_image_classification_input_t *in)
{
    hf_image_classification_output_t out;
    hf_rig_setup(0u, 0u, ARENA);
    hf_rig_add_json(k_two);
    CHECK_STATUS(run(in, &out), HF_OK);
    CHECK_INT(out.elements_count, 2);
    return hf_arena_peak(&g_arena);
}

static void check_big_b64_body(void)
{
    static const char pre[] = "{\"inputs\":\"", post[] = "\",\"parameters\":{\"top_k\":1}}";
    const char *head;
    const uint8_t *body;
    size_t hl, bl;
    CHECK_STATUS(hf_rig_request(0u, &head, &hl, &body, &bl), HF_OK);
    /* 1048576 bytes = 349525 groups of 3 and 1 byte: 349526 * 4 = 1398104 base64 characters. */
    CHECK_INT(bl, 11u + 1398104u + 27u);
    CHECK(hf_rig_head_has(head, hl, "Content-Length: 1398142"));
    CHECK(bl > 40u && memcmp(body, pre, 11u) == 0 && memcmp(body + bl - 27u, post, 27u) == 0);
    CHECK(memcmp(body + bl - 27u - 2u, "==", 2u) == 0);
    if (bl == 1398142u) {
        memcpy(g_b64, body + 11u, 1398104u);
        CHECK_INT(hf_ref_b64_decode(g_b64, 1398104u, g_back), BIG);
        CHECK(memcmp(g_back, g_big, BIG) == 0);
    }
}

static void test_big_uploads(void)
{
    hf_image_classification_input_t in;
    hf_image_classification_parameters_t p;
    reader_t r;
    const char *head;
    const uint8_t *body;
    size_t hl, bl, small_peak, peak;
    uint32_t x = 12345u;
    for (size_t i = 0; i < BIG; i++) {
        x = x * 1103515245u + 12345u;
        g_big[i] = (uint8_t)(x >> 23);
    }
    png_input(&in);
    small_peak = peak_of_upload(&in);
    /* Raw, from a reader handing out 4093 bytes at most per call. */
    reader_input(&in, &r, g_big, BIG, 4093u);
    peak = peak_of_upload(&in);
    CHECK_INT(peak, small_peak);
    CHECK_STATUS(hf_rig_request(0u, &head, &hl, &body, &bl), HF_OK);
    CHECK(hf_rig_head_has(head, hl, "Content-Type: image/jpeg"));
    CHECK(hf_rig_head_has(head, hl, "Content-Length: 1048576"));
    CHECK_MEM(body, bl, g_big, BIG);
    CHECK_INT(r.rewinds, 1);
    /* JSON+base64 from memory, then from a reader of 1000-byte pieces. */
    memset(&p, 0, sizeof p);
    p.has_top_k = true;
    p.top_k = 1;
    memset(&in, 0, sizeof in);
    in.inputs.data = g_big;
    in.inputs.data_len = BIG;
    in.parameters = &p;
    CHECK_INT(peak_of_upload(&in), small_peak);
    check_big_b64_body();
    reader_input(&in, &r, g_big, BIG, 1000u);
    in.parameters = &p;
    CHECK_INT(peak_of_upload(&in), small_peak);
    check_big_b64_body();
}

/* ------------------------------------------------------------------ retries */

/* Two attempts: the first answer is 503 loading. */
static void setup_retry(void)
{
    hf_rig_opts_t o;
    memset(&o, 0, sizeof o);
    o.arena_size = ARENA;
    o.attempts = 2u;
    hf_rig_start(&o);
}

static const char k_loading[] = "{\"error\":\"Model google/vit-base-patch16-224 is currently loading\",\"estimated_time\":2.0}";

static void test_retry_resends(void)
{
    static uint8_t src[3000];
    hf_image_classification_input_t in;
    hf_image_classification_output_t out;
    reader_t r;
    const char *head;
    const uint8_t *body;
    size_t hl, bl, n;
    for (size_t i = 0; i < sizeof src; i++) {
        src[i] = (uint8_t)(i * 7u + 3u);
    }
    setup_retry();
    {
        static char both[4096];
        size_t a = hf_rig_response(503, "application/json", k_loading, strlen(k_loading));
        memcpy(both, g_resp, a);
        n = hf_rig_response(200, "application/json", k_two, strlen(k_two));
        memcpy(both + a, g_resp, n);
        hf_mock_add(&g_mock, HF_MOCK_DATA, both, a, 0);
        hf_mock_add(&g_mock, HF_MOCK_DATA, both + a, n, 0);
        reader_input(&in, &r, src, sizeof src, 512u);
        r.off = 100u; /* wherever the caller left it */
        CHECK_STATUS(run(&in, &out), HF_OK);
        CHECK_INT(out.elements_count, 2);
        CHECK_INT(r.rewinds, 2);
        for (size_t k = 0; k < 2u; k++) {
            CHECK_STATUS(hf_rig_request(k, &head, &hl, &body, &bl), HF_OK);
            CHECK_MEM(body, bl, src, sizeof src);
        }
        /* Without rewind the second attempt cannot know where the media starts. */
        setup_retry();
        hf_mock_add(&g_mock, HF_MOCK_DATA, both, a, 0);
        hf_mock_add(&g_mock, HF_MOCK_DATA, both + a, n, 0);
        reader_input(&in, &r, src, sizeof src, 512u);
        in.inputs.rewind = NULL;
        CHECK_STATUS(run(&in, &out), HF_ERR_UNSUPPORTED);
        CHECK_STATUS(hf_client_error(&g_client)->status, HF_ERR_UNSUPPORTED);
        CHECK_STATUS(hf_rig_request(0u, &head, &hl, &body, &bl), HF_OK);
        CHECK_MEM(body, bl, src, sizeof src);
        CHECK(out.elements == NULL);
    }
}

/* ------------------------------------------------------------------ responses */

static hf_status_t classify(const char *body, size_t split, hf_image_classification_output_t *out)
{
    hf_image_classification_input_t in;
    hf_rig_setup(split, 0u, ARENA);
    hf_rig_add_json(body);
    png_input(&in);
    return run(&in, out);
}

static void check_two(const hf_image_classification_output_t *out)
{
    CHECK_INT(out->elements_count, 2);
    if (out->elements_count == 2u) {
        CHECK_STR(out->elements[0].label, "cheetah, chetah, Acinonyx jubatus");
        CHECK(out->elements[0].score == 0.9981813430786133f);
        CHECK_STR(out->elements[1].label, "leopard, Panthera pardus");
        CHECK(out->elements[1].score == 0.0006633009179495275f);
    }
}

static void test_shapes_every_split(void)
{
    static char nested[512];
    hf_image_classification_output_t out;
    size_t total = hf_rig_response(200, "application/json", k_two, strlen(k_two));
    snprintf(nested, sizeof nested, "[%s]", k_two);
    for (size_t k = 1; k <= total; k++) {
        CHECK_STATUS(classify(k_two, k, &out), HF_OK);
        check_two(&out);
        CHECK_STATUS(classify(nested, k, &out), HF_OK);
        check_two(&out);
    }
    CHECK_STATUS(classify("{\"label\":\"tabby\",\"score\":0.5}", 3u, &out), HF_OK);
    CHECK_INT(out.elements_count, 1);
    CHECK_STR(out.elements[0].label, "tabby");
    CHECK(out.elements[0].score == 0.5f);
    CHECK_STATUS(classify("[]", 1u, &out), HF_ERR_EMPTY_RESULT);
    CHECK_STATUS(hf_client_error(&g_client)->status, HF_ERR_EMPTY_RESULT);
    CHECK_STATUS(classify("[[]]", 1u, &out), HF_ERR_EMPTY_RESULT);
    CHECK(out.elements == NULL && out.elements_count == 0u);
}

static void test_hostile(void)
{
    static const char *const bad[] = {
        "[1]", "[[1]]", "[\"a\"]", "[{\"label\":1,\"score\":0.5}]", "[{\"label\":\"a\"}]", "[{\"score\":0.5}]",
        "[{\"label\":\"a\",\"score\":\"x\"}]", "\"x\"", "[{\"label\":\"a\",\"score\":1},2]", "null", "7",
        "[{\"label\":\"a\",\"score\":null}]", "[[[{\"label\":\"a\",\"score\":1}]]]",
        "[[{\"label\":\"a\",\"score\":1}],[{\"label\":\"b\",\"score\":1}]]",
    };
    hf_image_classification_output_t out;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        hf_status_t st = classify(bad[i], 2u, &out);
        CHECK_STATUS(st, HF_ERR_JSON_SHAPE);
        if (st != HF_ERR_JSON_SHAPE) {
            fprintf(stderr, "  body: %s -> %s\n", bad[i], hf_status_str(st));
        }
        CHECK_STATUS(hf_client_error(&g_client)->status, HF_ERR_JSON_SHAPE);
        CHECK(out.elements == NULL && out.elements_count == 0u);
    }
    CHECK_STATUS(classify("[{\"label\":\"a\",\"score\":1}", 2u, &out), HF_ERR_JSON_SYNTAX);
    /* Case 12 for a binary task: a JSON error instead of a result. */
    {
        static const char err[] = "{\"error\":\"pipeline failed: unexpected keyword argument 'scale'\"}";
        hf_image_classification_input_t in;
        hf_rig_setup(1u, 0u, ARENA);
        hf_rig_add_response(500, "application/json", err, strlen(err));
        png_input(&in);
        CHECK_STATUS(run(&in, &out), HF_ERR_HTTP_STATUS);
        CHECK_INT(hf_client_error(&g_client)->http_status, 500);
        CHECK_STR(hf_client_error(&g_client)->message, "pipeline failed: unexpected keyword argument 'scale'");
    }
}

/* ------------------------------------------------------------------ recordings */

static void one_recording(const hf_fixture_t *r)
{
    hf_json_doc_t d;
    hf_image_classification_input_t in;
    hf_image_classification_output_t out;
    const char *head;
    const uint8_t *body;
    size_t hl, bl;
    CHECK_INT(r->status, 200);
    CHECK(hf_fixture_indep(r, &d) == 0 && d.tok[0].type == JSMN_ARRAY);
    for (size_t k = 1; k <= r->resp_len + 150u; k++) {
        hf_rig_setup(k, 0u, ARENA);
        hf_rig_add_response(200, "application/json", r->resp, r->resp_len);
        png_input(&in);
        if (r->req != NULL) {
            in.inputs.data = r->req;
            in.inputs.data_len = r->req_len;
            in.inputs.content_type = "image/jpeg";
        }
        CHECK_STATUS(run(&in, &out), HF_OK);
        CHECK_INT(out.elements_count, d.tok[0].size);
        for (int i = 0; i < d.tok[0].size && (size_t)i < out.elements_count; i++) {
            hf_fx_check_label(&d, hf_json_at(&d, 0, i), out.elements[i].label, out.elements[i].score);
        }
        CHECK_STATUS(hf_rig_request(0u, &head, &hl, &body, &bl), HF_OK);
        if (r->req != NULL) {
            CHECK_MEM(body, bl, r->req, r->req_len);
        } else {
            CHECK_MEM(body, bl, k_png5, sizeof k_png5); /* no recorded request body: a stand-in */
        }
    }
    if (r->req == NULL) {
        printf("note: %s has no request body (recorder dropped it); compared the response only\n", r->name);
    }
}

static void test_recordings(void)
{
    int n = hf_fixture_each("image_classification__", one_recording);
    if (n >= 0) {
        CHECK_INT(n, 1);
    }
}

int main(void)
{
    test_raw_request();
    test_json_request();
    test_refused();
    test_big_uploads();
    test_retry_resends();
    test_shapes_every_split();
    test_hostile();
    test_recordings();
    return CHECK_DONE();
}
