/* Text classification: request bodies, the result shapes of cases 13, 14 and 16 at every
 * read split, hostile bodies, and every recorded text_classification exchange through the
 * full stack with the recorded request's inputs (labels and scores compared with the
 * recording read independently by path). Batches are in test_text_classification_batch.c. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fixture.h"
#include "rig.h"

#include "hf/hf_text_classification.h"
#include "hf_priv.h"
#include "tasks/tasks_priv.h"

#define ARENA (1u << 16)

static hf_status_t classify_raw(const char *raw, size_t len, size_t split, hf_text_classification_output_t *out)
{
    hf_text_classification_input_t in;
    hf_rig_setup(split, 0u, ARENA);
    hf_mock_add(&g_mock, HF_MOCK_DATA, raw, len, 0);
    memset(&in, 0, sizeof in);
    in.inputs = "I like you";
    return hf_text_classification(&g_client, "distilbert/distilbert-base-uncased-finetuned-sst-2-english", &in,
                                  &g_arena, out);
}

static hf_status_t classify(const char *body, size_t split, hf_text_classification_output_t *out)
{
    size_t n = hf_rig_response(200, "application/json", body, strlen(body));
    return classify_raw(g_resp, n, split, out);
}

/* ------------------------------------------------------------------ requests */

static void test_requests(void)
{
    hf_text_classification_input_t in;
    hf_text_classification_parameters_t p;
    hf_text_classification_output_t out;
    CHECK_STATUS(classify("[{\"label\":\"A\",\"score\":1}]", 0u, &out), HF_OK);
    CHECK_STR(hf_rig_sent_body(), "{\"inputs\":\"I like you\",\"parameters\":{}}");
    CHECK(memcmp(g_mock.sent,
                 "POST /hf-inference/models/distilbert/distilbert-base-uncased-finetuned-sst-2-english HTTP/1.1\r\n",
                 95u) == 0);
    hf_rig_setup(0u, 0u, ARENA);
    hf_rig_add_response(200, "application/json", "[{\"label\":\"A\",\"score\":1}]", 25u);
    memset(&in, 0, sizeof in);
    memset(&p, 0, sizeof p);
    p.function_to_apply = "softmax";
    p.has_top_k = true;
    p.top_k = 2;
    in.inputs = "I \"like\" you";
    in.parameters = &p;
    CHECK_STATUS(hf_text_classification(&g_client, "m", &in, &g_arena, &out), HF_OK);
    CHECK_STR(hf_rig_sent_body(), "{\"inputs\":\"I \\\"like\\\" you\",\"parameters\":{\"function_to_apply\":\"softmax\",\"top_k\":2}}");
    in.inputs = NULL;
    CHECK_STATUS(hf_text_classification(&g_client, "m", &in, &g_arena, &out), HF_ERR_INVALID_ARG);
    {
        static const char *two[] = {"a", NULL};
        in.inputs_batch = two;
        in.inputs_batch_count = 0u; /* an empty batch asks nothing */
        CHECK_STATUS(hf_text_classification(&g_client, "m", &in, &g_arena, &out), HF_ERR_INVALID_ARG);
        in.inputs_batch_count = 2u; /* a NULL text */
        CHECK_STATUS(hf_text_classification(&g_client, "m", &in, &g_arena, &out), HF_ERR_INVALID_ARG);
        in.inputs_batch_count = 1u;
        in.inputs = "both";
        CHECK_STATUS(hf_text_classification(&g_client, "m", &in, &g_arena, &out), HF_ERR_INVALID_ARG);
        CHECK_STATUS(hf_client_error(&g_client)->status, HF_ERR_INVALID_ARG);
    }
}

static hf_status_t decode_input(const char *json, hf_text_classification_input_t *in, char *again, size_t cap)
{
    static char text[256];
    static uint8_t buf[64];
    hf_json_doc_t doc;
    hf_out_t o;
    hf_jw_t w;
    hf_status_t st;
    size_t n = strlen(json);
    memcpy(text, json, n + 1u);
    hf_rig_arena(ARENA);
    hf_error_clear(&g_client.err);
    st = hf_json_parse(&doc, text, n, &g_arena);
    if (st == HF_OK) {
        st = hf_codec_decode(&doc, 0, &hf_text_classification_input_type, in, &g_arena, &g_client.err);
    }
    if (st == HF_OK) {
        hf_out_init(&o, buf, sizeof buf, NULL, NULL);
        hf_jw_init(&w, &o);
        CHECK_STATUS(hf_codec_encode(&w, &hf_text_classification_input_type, in), HF_OK);
        CHECK(o.len < cap);
        memcpy(again, buf, o.len);
        again[o.len] = '\0';
    }
    return st;
}

/* The CLI path: request bodies decoded with the input table. The recorded
 * text_classification__py-apiinf-default request sent {"inputs": ["I like you"]}. */
static void test_input_table(void)
{
    static char again[64];
    hf_text_classification_input_t in;
    memset(&in, 0, sizeof in);
    CHECK_STATUS(decode_input("{\"inputs\": [\"I like you\"]}", &in, again, sizeof again), HF_OK);
    CHECK(in.inputs == NULL && in.inputs_batch_count == 1u);
    CHECK_STR(in.inputs_batch[0], "I like you");
    CHECK_STR(again, "{\"inputs\":[\"I like you\"]}");
    memset(&in, 0, sizeof in);
    CHECK_STATUS(decode_input("{\"inputs\":\"x\",\"parameters\":{\"top_k\":3}}", &in, again, sizeof again), HF_OK);
    CHECK_STR(again, "{\"inputs\":\"x\",\"parameters\":{\"top_k\":3}}");
    memset(&in, 0, sizeof in);
    CHECK_STATUS(decode_input("{\"inputs\":[\"a\",\"b\\u00e9\"]}", &in, again, sizeof again), HF_OK);
    CHECK(in.inputs == NULL && in.inputs_batch_count == 2u);
    CHECK_STR(in.inputs_batch[1], "b\xc3\xa9");
    CHECK_STR(again, "{\"inputs\":[\"a\",\"b\xc3\xa9\"]}");
    CHECK_STATUS(decode_input("{\"inputs\":[]}", &in, again, sizeof again), HF_ERR_JSON_SHAPE);
    CHECK_STATUS(decode_input("{\"inputs\":[\"a\",5]}", &in, again, sizeof again), HF_ERR_JSON_SHAPE);
    CHECK_STATUS(decode_input("{\"inputs\":[[\"a\"]]}", &in, again, sizeof again), HF_ERR_JSON_SHAPE);
    CHECK_STATUS(decode_input("{\"inputs\":[5]}", &in, again, sizeof again), HF_ERR_JSON_SHAPE);
    CHECK_STATUS(decode_input("{\"inputs\":5}", &in, again, sizeof again), HF_ERR_JSON_SHAPE);
    CHECK_STATUS(decode_input("{\"parameters\":{}}", &in, again, sizeof again), HF_ERR_JSON_SHAPE);
}

/* ------------------------------------------------------------------ cases */

static void check_two(const hf_text_classification_output_t *out)
{
    CHECK_INT(out->lists_count, 1);
    CHECK(out->lists != NULL && out->lists[0].elements == out->elements &&
          out->lists[0].elements_count == out->elements_count);
    CHECK_INT(out->elements_count, 2);
    if (out->elements_count == 2u) {
        CHECK_STR(out->elements[0].label, "POSITIVE");
        CHECK_NEAR(out->elements[0].score, 0.9998, 1e-7);
        CHECK_STR(out->elements[1].label, "NEGATIVE");
        CHECK_NEAR(out->elements[1].score, 0.0002, 1e-10);
    }
}

/* Case 13: the label list comes flat or nested one level deeper; [] and [[]] are empty. */
static void test_case13(void)
{
    static const char nested[] = "[[{\"label\":\"POSITIVE\",\"score\":0.9998},{\"label\":\"NEGATIVE\",\"score\":0.0002}]]";
    static const char flat[] = "[{\"label\":\"POSITIVE\",\"score\":0.9998},{\"label\":\"NEGATIVE\",\"score\":0.0002}]";
    hf_text_classification_output_t out;
    for (size_t k = 1; k <= sizeof nested + 70u; k++) {
        CHECK_STATUS(classify(nested, k, &out), HF_OK);
        check_two(&out);
        CHECK_STATUS(classify(flat, k, &out), HF_OK);
        check_two(&out);
    }
    CHECK_STATUS(classify("[]", 1u, &out), HF_ERR_EMPTY_RESULT);
    CHECK_STATUS(hf_client_error(&g_client)->status, HF_ERR_EMPTY_RESULT);
    CHECK_STATUS(classify("[[]]", 1u, &out), HF_ERR_EMPTY_RESULT);
    CHECK_INT(out.elements_count, 0);
    CHECK(out.lists == NULL && out.lists_count == 0u);
}

/* Case 14: chunk extension and trailer; the body is exactly 37 bytes. */
#define C14_HEAD "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n"
#define C14_BODY "a\r\n[{\"label\":\r\n11;note=x\r\n\"POSITIVE\",\"score\r\na\r\n\":0.9998}]\r\n"
#define C14_TAIL "0\r\nX-Compute-Time: 0.021\r\n\r\n"

static void test_case14(void)
{
    hf_text_classification_output_t out;
    CHECK_INT(strlen("[{\"label\":\"POSITIVE\",\"score\":0.9998}]"), 37);
    for (size_t k = 0; k <= 40u; k++) {
        hf_text_classification_input_t in;
        hf_rig_setup(k, 0u, ARENA);
        if (k == 0u) {
            /* The case's own read splits. */
            hf_mock_add_str(&g_mock, C14_HEAD);
            hf_mock_add_str(&g_mock, C14_BODY);
            hf_mock_add_str(&g_mock, C14_TAIL);
        } else {
            hf_mock_add_str(&g_mock, C14_HEAD C14_BODY C14_TAIL);
        }
        memset(&in, 0, sizeof in);
        in.inputs = "x";
        CHECK_STATUS(hf_text_classification(&g_client, "m", &in, &g_arena, &out), HF_OK);
        CHECK_INT(out.elements_count, 1);
        CHECK_STR(out.elements[0].label, "POSITIVE");
        CHECK_NEAR(out.elements[0].score, 0.9998, 1e-7);
        CHECK_INT(g_mock.reads_past_end, 0);
    }
}

/* Case 16: a bare object body is one label. Variant B may also be rejected as malformed. */
static void test_case16(void)
{
    static const char a[] = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: Chunked\r\n\r\n"
                            "21\r\n{\"label\":\"NEGATIVE\",\"score\":0.51}\r\n0\r\n\r\n";
    static const char b[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n"
                            "Transfer-Encoding: chunked\r\n\r\n21\r\n{\"label\":\"NEGATIVE\",\"score\":0.51}\r\n0\r\n\r\n";
    hf_text_classification_output_t out;
    CHECK_INT(strlen("{\"label\":\"NEGATIVE\",\"score\":0.51}"), 0x21);
    for (size_t k = 1; k <= sizeof a; k++) {
        hf_status_t st;
        CHECK_STATUS(classify_raw(a, sizeof a - 1u, k, &out), HF_OK);
        CHECK_INT(out.elements_count, 1);
        CHECK_STR(out.elements[0].label, "NEGATIVE");
        CHECK_NEAR(out.elements[0].score, 0.51, 1e-7);
        st = classify_raw(b, sizeof b - 1u, k, &out);
        CHECK(st == HF_OK || st == HF_ERR_PROTOCOL);
        if (st == HF_OK) {
            CHECK(out.elements_count == 1u && strcmp(out.elements[0].label, "NEGATIVE") == 0);
            CHECK_NEAR(out.elements[0].score, 0.51, 1e-7);
        }
    }
}

static void test_hostile(void)
{
    static const char *const bad[] = {
        "[1]", "[[1]]", "[\"a\"]", "[{\"label\":1,\"score\":0.5}]", "[{\"label\":\"a\"}]", "[{\"score\":0.5}]",
        "[{\"label\":\"a\",\"score\":\"x\"}]", "\"x\"", "[{\"label\":\"a\",\"score\":1},2]", "[[{\"label\":\"a\",\"score\":1},[]]]",
        "{\"labels\":[\"a\"]}", "null", "7", "[{\"label\":\"a\",\"score\":null}]", "[[[{\"label\":\"a\",\"score\":1}]]]",
    };
    hf_text_classification_output_t out;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        hf_status_t st = classify(bad[i], 3u, &out);
        CHECK_STATUS(st, HF_ERR_JSON_SHAPE);
        if (st != HF_ERR_JSON_SHAPE) {
            fprintf(stderr, "  body: %s -> %s\n", bad[i], hf_status_str(st));
        }
        CHECK_STATUS(hf_client_error(&g_client)->status, HF_ERR_JSON_SHAPE);
    }
    CHECK_STATUS(classify("[{\"label\":\"a\",\"score\":1}", 3u, &out), HF_ERR_JSON_SYNTAX);
    /* Unknown keys are skipped with their whole subtree. */
    CHECK_STATUS(classify("[{\"x\":{\"label\":\"no\"},\"label\":\"yes\",\"score\":1e-3,\"y\":[1,[2]]}]", 1u, &out), HF_OK);
    CHECK_STR(out.elements[0].label, "yes");
    CHECK_NEAR(out.elements[0].score, 0.001, 1e-10);
}

/* ------------------------------------------------------------------ recordings */

/* The recorded request's texts: `inputs` of request.body_text (a string or a list of
 * strings), or the README's default text when the recorder kept no body. */
typedef struct rec_inputs {
    const char *texts[4];
    size_t count;
    bool batch;
} rec_inputs_t;

static int load_inputs(const hf_fixture_t *fx, rec_inputs_t *ri)
{
    static char req[1024];
    static uint8_t mem[4096];
    hf_json_doc_t r;
    hf_arena_t a;
    size_t n = fx->req_text_len;
    int inputs;
    memset(ri, 0, sizeof *ri);
    ri->texts[0] = "I like you. I love you.";
    ri->count = 1u;
    if (fx->req_text == NULL) {
        return 0;
    }
    if (n >= sizeof req) {
        return -1;
    }
    memcpy(req, fx->req_text, n + 1u);
    hf_arena_init(&a, mem, sizeof mem);
    if (hf_json_parse(&r, req, n, &a) != HF_OK) {
        return -1;
    }
    inputs = hf_json_get(&r, 0, "inputs");
    if (inputs >= 0 && r.tok[inputs].type == JSMN_ARRAY) {
        ri->batch = true;
        ri->count = 0u;
        for (int i = 0; i < r.tok[inputs].size && i < 4; i++) {
            if (hf_json_str(&r, hf_json_at(&r, inputs, i), &ri->texts[ri->count++], &n) != HF_OK) {
                return -1;
            }
        }
        return 0;
    }
    return hf_json_str(&r, inputs, &ri->texts[0], &n) == HF_OK ? 0 : -1;
}

static void check_list(hf_json_doc_t *d, int list, const hf_text_classification_output_list_t *got)
{
    CHECK(list >= 0 && d->tok[list].type == JSMN_ARRAY);
    CHECK_INT(got->elements_count, d->tok[list].size);
    for (size_t i = 0; i < got->elements_count && (int)i < d->tok[list].size; i++) {
        int el = hf_json_at(d, list, (int)i);
        double score = -1.0;
        hf_fx_check_label(d, el, got->elements[i].label, got->elements[i].score);
        CHECK_STATUS(hf_json_f64(d, hf_json_get(d, el, "score"), &score), HF_OK);
        CHECK_NEAR(got->elements[i].score, score, score * 1.2e-7);
    }
}

static void check_recording(const hf_fixture_t *fx, const hf_text_classification_output_t *out)
{
    hf_json_doc_t d;
    if (hf_fixture_indep(fx, &d) != 0) {
        CHECK(0);
        return;
    }
    /* Every recording is [[...]] (README): one list per input, one input each. */
    CHECK_INT(out->lists_count, d.tok[0].size);
    CHECK_INT(out->lists_count, 1);
    for (size_t i = 0; i < out->lists_count && (int)i < d.tok[0].size; i++) {
        check_list(&d, hf_json_at(&d, 0, (int)i), &out->lists[i]);
    }
    CHECK(out->elements == out->lists[0].elements && out->elements_count == out->lists[0].elements_count);
}

/* What the request must carry: the recorded texts, as a string or as a list. */
static void check_sent(const rec_inputs_t *ri)
{
    char want[256];
    int n = snprintf(want, sizeof want, "{\"inputs\":%s", ri->batch ? "[" : "");
    for (size_t i = 0; i < ri->count; i++) {
        n += snprintf(want + n, sizeof want - (size_t)n, "%s\"%s\"", i ? "," : "", ri->texts[i]);
    }
    snprintf(want + n, sizeof want - (size_t)n, "%s,\"parameters\":{}}", ri->batch ? "]" : "");
    CHECK_STR(hf_rig_sent_body(), want);
}

static void run_recording(const hf_fixture_t *fx, rec_inputs_t *ri, size_t split)
{
    hf_text_classification_input_t in;
    hf_text_classification_output_t out;
    hf_rig_setup(split, 0u, ARENA);
    hf_rig_add_response(200, "application/json", fx->resp, fx->resp_len);
    memset(&in, 0, sizeof in);
    if (ri->batch) {
        in.inputs_batch = ri->texts;
        in.inputs_batch_count = ri->count;
    } else {
        in.inputs = ri->texts[0];
    }
    CHECK_STATUS(hf_text_classification(&g_client, "distilbert/distilbert-base-uncased-finetuned-sst-2-english", &in,
                                        &g_arena, &out),
                 HF_OK);
    check_recording(fx, &out);
    if (split == 1u) {
        check_sent(ri);
    }
}

static int g_seen, g_batches;

static void one_recording(const hf_fixture_t *fx)
{
    rec_inputs_t ri;
    if (fx->status != 200 || load_inputs(fx, &ri) != 0) {
        fprintf(stderr, "cannot read fixture %s\n", fx->name);
        CHECK(0);
        return;
    }
    g_seen++;
    g_batches += ri.batch;
    for (size_t k = 1; k <= fx->resp_len + 80u; k += 1u) {
        run_recording(fx, &ri, k);
    }
}

static void test_recordings(void)
{
    if (hf_fixture_each("text_classification__", one_recording) >= 0) {
        CHECK_INT(g_seen, 5);
        CHECK_INT(g_batches, 1); /* text_classification__py-apiinf-default sent {"inputs": ["I like you"]} */
    }
}

int main(void)
{
    test_requests();
    test_input_table();
    test_case13();
    test_case14();
    test_case16();
    test_hostile();
    test_recordings();
    return CHECK_DONE();
}
