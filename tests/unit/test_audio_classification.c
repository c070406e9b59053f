/* Audio classification: raw and JSON+base64 bodies exactly (base64 by hand), and the recorded
 * exchanges replayed: the recorded request bytes (the FLAC file of huggingface_hub's test,
 * decoded from body_base64 by the reference decoder) are the input, sent raw they must be the
 * recorded body byte for byte with the recorded Content-Length, sent with parameters the
 * base64 in our JSON must be the recorded body_base64 text exactly; the same bytes through a
 * reader of 7-byte pieces; labels and scores against the recording at every read split. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fixture.h"
#include "rig.h"

#include "tasks/tasks_priv.h"

#include "hf/hf_audio_classification.h"

#define ARENA (1u << 16)

static const uint8_t k_flac4[] = {'f', 'L', 'a', 'C'}; /* base64 "ZkxhQw==" (by hand) */

static void flac_input(hf_audio_classification_input_t *in)
{
    memset(in, 0, sizeof *in);
    in->inputs.data = k_flac4;
    in->inputs.data_len = sizeof k_flac4;
    in->inputs.content_type = "audio/flac";
}

static const char k_gender[] = "[{\"score\":0.9987353682518005,\"label\":\"male\"},"
                               "{\"score\":0.0012646110262721777,\"label\":\"female\"}]";

static void test_requests(void)
{
    hf_audio_classification_input_t in;
    hf_audio_classification_parameters_t p;
    hf_audio_classification_output_t out;
    const char *head;
    const uint8_t *body;
    size_t hl, bl;
    static const char want[] = "{\"inputs\":\"ZkxhQw==\",\"parameters\":{\"function_to_apply\":\"sigmoid\",\"top_k\":1}}";
    hf_rig_setup(0u, 0u, ARENA);
    hf_rig_add_json(k_gender);
    flac_input(&in);
    CHECK_STATUS(hf_audio_classification(&g_client, "superb/hubert-large-superb-er", &in, &g_arena, &out), HF_OK);
    CHECK_STATUS(hf_rig_request(0u, &head, &hl, &body, &bl), HF_OK);
    CHECK(memcmp(head, "POST /hf-inference/models/superb/hubert-large-superb-er HTTP/1.1\r\n", 66u) == 0);
    CHECK(hf_rig_head_has(head, hl, "Content-Type: audio/flac"));
    CHECK(hf_rig_head_has(head, hl, "Content-Length: 4"));
    CHECK_MEM(body, bl, k_flac4, 4u);
    CHECK_INT(out.elements_count, 2);
    CHECK_STR(out.elements[0].label, "male");
    CHECK(out.elements[0].score == 0.9987353682518005f);
    CHECK_STR(out.elements[1].label, "female");
    CHECK(out.elements[1].score == 0.0012646110262721777f);

    hf_rig_setup(0u, 0u, ARENA);
    hf_rig_add_json(k_gender);
    memset(&p, 0, sizeof p);
    p.function_to_apply = "sigmoid";
    p.has_top_k = true;
    p.top_k = 1;
    in.parameters = &p;
    CHECK_STATUS(hf_audio_classification(&g_client, "superb/hubert-large-superb-er", &in, &g_arena, &out), HF_OK);
    CHECK_STATUS(hf_rig_request(0u, &head, &hl, &body, &bl), HF_OK);
    CHECK(hf_rig_head_has(head, hl, "Content-Type: application/json"));
    CHECK(hf_rig_head_has(head, hl, "Content-Length: 76"));
    CHECK_INT(strlen(want), 76); /* 11 + 8 + 15 + 21 + 9 + 9 + 3, counted by hand */
    CHECK_MEM(body, bl, want, strlen(want));

    /* A raw upload needs its media type. */
    hf_rig_setup(0u, 0u, ARENA);
    flac_input(&in);
    in.inputs.content_type = NULL;
    CHECK_STATUS(hf_audio_classification(&g_client, "m", &in, &g_arena, &out), HF_ERR_INVALID_ARG);
    CHECK_INT(hf_rig_captured(), 0);
}

static void test_results(void)
{
    hf_audio_classification_input_t in;
    hf_audio_classification_output_t out;
    static const char *const bad[] = {"[{\"label\":\"male\"}]", "[{\"score\":1}]", "{}", "[[{\"label\":\"a\",\"score\":1}],[]]",
                                      "[true]"};
    flac_input(&in);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        hf_rig_setup(1u, 0u, ARENA);
        hf_rig_add_json(bad[i]);
        CHECK_STATUS(hf_audio_classification(&g_client, "m", &in, &g_arena, &out), HF_ERR_JSON_SHAPE);
        CHECK(out.elements == NULL && out.elements_count == 0u);
    }
    hf_rig_setup(1u, 0u, ARENA);
    hf_rig_add_json("[[]]");
    CHECK_STATUS(hf_audio_classification(&g_client, "m", &in, &g_arena, &out), HF_ERR_EMPTY_RESULT);
}

/* ------------------------------------------------------------------ recordings */

static void check_output(const hf_fixture_t *r, const hf_audio_classification_output_t *out)
{
    hf_json_doc_t d;
    CHECK(hf_fixture_indep(r, &d) == 0 && d.tok[0].type == JSMN_ARRAY);
    CHECK_INT(out->elements_count, d.tok[0].size);
    for (int i = 0; i < d.tok[0].size && (size_t)i < out->elements_count; i++) {
        hf_fx_check_label(&d, hf_json_at(&d, 0, i), out->elements[i].label, out->elements[i].score);
    }
}

static hf_status_t replay(const hf_fixture_t *r, const hf_audio_classification_input_t *in, size_t split,
                          hf_audio_classification_output_t *out)
{
    char model[600];
    hf_rig_setup(split, 0u, ARENA);
    hf_rig_add_response(200, "application/json", r->resp, r->resp_len);
    snprintf(model, sizeof model, "http://hf.test%s", r->path);
    return hf_audio_classification(&g_client, model, in, &g_arena, out);
}

static void check_head(const hf_fixture_t *r, const char *head, size_t hl, size_t body_len)
{
    char line[600];
    snprintf(line, sizeof line, "POST %s HTTP/1.1\r\n", r->path);
    CHECK(strncmp(head, line, strlen(line)) == 0);
    if (r->req_clen >= 0 && (size_t)r->req_clen == r->req_len) {
        snprintf(line, sizeof line, "Content-Length: %lld", r->req_clen);
        CHECK(hf_rig_head_has(head, hl, line));
    }
    CHECK_INT(body_len, r->req != NULL ? r->req_len : sizeof k_flac4);
}

static void with_body(const hf_fixture_t *r)
{
    hf_audio_classification_input_t in;
    hf_audio_classification_parameters_t p;
    hf_audio_classification_output_t out;
    hf_rig_reader_t rr;
    const char *head;
    const uint8_t *body;
    size_t hl, bl;
    memset(&in, 0, sizeof in);
    in.inputs.data = r->req;
    in.inputs.data_len = r->req_len;
    in.inputs.content_type = "audio/flac";
    /* The recorded file is a FLAC stream (magic "fLaC"); the recorder kept no Content-Type. */
    CHECK(r->req_len > 4u && memcmp(r->req, "fLaC", 4u) == 0);
    CHECK_STATUS(replay(r, &in, 0u, &out), HF_OK);
    check_output(r, &out);
    CHECK_STATUS(hf_rig_request(0u, &head, &hl, &body, &bl), HF_OK);
    check_head(r, head, hl, bl);
    CHECK(hf_rig_head_has(head, hl, "Content-Type: audio/flac"));
    CHECK_MEM(body, bl, r->req, r->req_len);
    /* With parameters: our base64 is the recorder's text, character for character. */
    memset(&p, 0, sizeof p);
    in.parameters = &p;
    CHECK_STATUS(replay(r, &in, 0u, &out), HF_OK);
    CHECK_STATUS(hf_rig_request(0u, &head, &hl, &body, &bl), HF_OK);
    CHECK_INT(bl, 11u + r->req_b64_len + 18u);
    CHECK(bl > 29u && memcmp(body, "{\"inputs\":\"", 11u) == 0);
    CHECK_MEM(body + 11, bl - 29u, r->req_b64, r->req_b64_len);
    CHECK(bl > 29u && memcmp(body + bl - 18u, "\",\"parameters\":{}}", 18u) == 0);
    /* The same bytes from a reader in 7-byte pieces. */
    memset(&in, 0, sizeof in);
    hf_rig_reader_blob(&in.inputs, &rr, r->req, r->req_len, 7u, "audio/flac");
    CHECK_STATUS(replay(r, &in, 0u, &out), HF_OK);
    CHECK_STATUS(hf_rig_request(0u, &head, &hl, &body, &bl), HF_OK);
    CHECK_MEM(body, bl, r->req, r->req_len);
    check_output(r, &out);
}

static int g_recordings, g_with_body;

static void one_recording(const hf_fixture_t *r)
{
    hf_audio_classification_input_t in;
    hf_audio_classification_output_t out;
    g_recordings++;
    CHECK_INT(r->status, 200);
    if (r->req != NULL) {
        g_with_body++;
        with_body(r);
    } else {
        printf("note: %s has no request body (recorder dropped it); a stand-in is sent\n", r->name);
    }
    flac_input(&in);
    if (r->req != NULL) {
        in.inputs.data = r->req;
        in.inputs.data_len = r->req_len;
    }
    for (size_t k = 1; k <= r->resp_len + 150u; k++) {
        const char *head;
        const uint8_t *body;
        size_t hl, bl;
        CHECK_STATUS(replay(r, &in, k, &out), HF_OK);
        check_output(r, &out);
        if (k == 1u) {
            CHECK_STATUS(hf_rig_request(0u, &head, &hl, &body, &bl), HF_OK);
            check_head(r, head, hl, bl);
        }
    }
}

static void test_recordings(void)
{
    int n = hf_fixture_each("audio_classification__", one_recording);
    if (n >= 0) {
        CHECK_INT(n, 2);
        CHECK_INT(g_with_body, 1); /* py-hfinf-default kept its 94321-byte FLAC upload */
        CHECK_INT(g_recordings, 2);
    }
}

int main(void)
{
    test_requests();
    test_results();
    test_recordings();
    return CHECK_DONE();
}
