/* Object detection: raw and JSON+base64 bodies exactly (base64 by hand), detections and boxes
 * at every read split, `[]` as "nothing detected", hostile boxes, and the recorded exchange
 * (labels, scores and boxes compared with the recording read independently). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fixture.h"
#include "rig.h"

#include "tasks/tasks_priv.h"

#include "hf/hf_object_detection.h"

#define ARENA (1u << 16)

static const uint8_t k_jpeg4[] = {0xFF, 0xD8, 0xFF, 0xE0}; /* base64 "/9j/4A==" (by hand) */

static void jpeg_input(hf_object_detection_input_t *in)
{
    memset(in, 0, sizeof *in);
    in->inputs.data = k_jpeg4;
    in->inputs.data_len = sizeof k_jpeg4;
    in->inputs.content_type = "image/jpeg";
}

static const char k_cats[] = "[{\"score\":0.9957960844039917,\"label\":\"cat\",\"box\":{\"xmin\":506,\"ymin\":233,\"xmax\":629,"
                             "\"ymax\":405}},{\"score\":0.9948529601097107,\"label\":\"remote\",\"box\":{\"xmin\":-1,"
                             "\"ymin\":0,\"xmax\":2147483647,\"ymax\":7}}]";

static hf_status_t detect(const char *body, size_t split, hf_object_detection_output_t *out)
{
    hf_object_detection_input_t in;
    hf_rig_setup(split, 0u, ARENA);
    hf_rig_add_json(body);
    jpeg_input(&in);
    return hf_object_detection(&g_client, "facebook/detr-resnet-50", &in, &g_arena, out);
}

static void test_requests(void)
{
    hf_object_detection_input_t in;
    hf_object_detection_parameters_t p;
    hf_object_detection_output_t out;
    const char *head;
    const uint8_t *body;
    size_t hl, bl;
    static const char want[] = "{\"inputs\":\"/9j/4A==\",\"parameters\":{\"threshold\":0.9}}";
    CHECK_STATUS(detect(k_cats, 0u, &out), HF_OK);
    CHECK_STATUS(hf_rig_request(0u, &head, &hl, &body, &bl), HF_OK);
    CHECK(memcmp(head, "POST /hf-inference/models/facebook/detr-resnet-50 HTTP/1.1\r\n", 60u) == 0);
    CHECK(hf_rig_head_has(head, hl, "Content-Type: image/jpeg"));
    CHECK(hf_rig_head_has(head, hl, "Content-Length: 4"));
    CHECK_MEM(body, bl, k_jpeg4, 4u);

    hf_rig_setup(0u, 0u, ARENA);
    hf_rig_add_json(k_cats);
    jpeg_input(&in);
    memset(&p, 0, sizeof p);
    p.has_threshold = true;
    p.threshold = 0.9f;
    in.parameters = &p;
    CHECK_STATUS(hf_object_detection(&g_client, "facebook/detr-resnet-50", &in, &g_arena, &out), HF_OK);
    CHECK_STATUS(hf_rig_request(0u, &head, &hl, &body, &bl), HF_OK);
    CHECK(hf_rig_head_has(head, hl, "Content-Type: application/json"));
    CHECK(hf_rig_head_has(head, hl, "Content-Length: 52"));
    CHECK_INT(strlen(want), 52); /* 11 + 8 + 15 + 13 + 3 + 2, counted by hand */
    CHECK_MEM(body, bl, want, strlen(want));
}

static void check_cats(const hf_object_detection_output_t *out)
{
    CHECK_INT(out->elements_count, 2);
    if (out->elements_count != 2u || out->elements[0].box == NULL || out->elements[1].box == NULL) {
        CHECK(0);
        return;
    }
    CHECK_STR(out->elements[0].label, "cat");
    CHECK(out->elements[0].score == 0.9957960844039917f);
    CHECK_INT(out->elements[0].box->xmin, 506);
    CHECK_INT(out->elements[0].box->ymin, 233);
    CHECK_INT(out->elements[0].box->xmax, 629);
    CHECK_INT(out->elements[0].box->ymax, 405);
    CHECK_STR(out->elements[1].label, "remote");
    CHECK(out->elements[1].score == 0.9948529601097107f);
    CHECK_INT(out->elements[1].box->xmin, -1);
    CHECK_INT(out->elements[1].box->ymin, 0);
    CHECK_INT(out->elements[1].box->xmax, 2147483647);
    CHECK_INT(out->elements[1].box->ymax, 7);
}

static void test_every_split(void)
{
    static char nested[512];
    hf_object_detection_output_t out;
    size_t total = hf_rig_response(200, "application/json", k_cats, strlen(k_cats));
    snprintf(nested, sizeof nested, "[%s]", k_cats);
    for (size_t k = 1; k <= total; k++) {
        CHECK_STATUS(detect(k_cats, k, &out), HF_OK);
        check_cats(&out);
        CHECK_STATUS(detect(nested, k, &out), HF_OK);
        check_cats(&out);
    }
    /* Nothing above the threshold is an answer. */
    CHECK_STATUS(detect("[]", 1u, &out), HF_OK);
    CHECK(out.elements == NULL && out.elements_count == 0u);
    CHECK_STATUS(detect("[[]]", 1u, &out), HF_OK);
    CHECK_INT(out.elements_count, 0);
}

static void test_hostile(void)
{
    static const char *const bad[] = {
        "[{\"label\":\"cat\",\"score\":0.5}]",
        "[{\"label\":\"cat\",\"score\":0.5,\"box\":null}]",
        "[{\"label\":\"cat\",\"score\":0.5,\"box\":[1,2,3,4]}]",
        "[{\"label\":\"cat\",\"score\":0.5,\"box\":{\"xmin\":1,\"ymin\":2,\"xmax\":3}}]",
        "[{\"label\":\"cat\",\"score\":0.5,\"box\":{\"xmin\":1.5,\"ymin\":2,\"xmax\":3,\"ymax\":4}}]",
        "[{\"label\":\"cat\",\"score\":0.5,\"box\":{\"xmin\":1e2,\"ymin\":2,\"xmax\":3,\"ymax\":4}}]",
        "[{\"label\":\"cat\",\"score\":0.5,\"box\":{\"xmin\":2147483648,\"ymin\":2,\"xmax\":3,\"ymax\":4}}]",
        "[{\"label\":\"cat\",\"score\":0.5,\"box\":{\"xmin\":\"1\",\"ymin\":2,\"xmax\":3,\"ymax\":4}}]",
        "[{\"score\":0.5,\"box\":{\"xmin\":1,\"ymin\":2,\"xmax\":3,\"ymax\":4}}]",
        "[{\"label\":\"cat\",\"box\":{\"xmin\":1,\"ymin\":2,\"xmax\":3,\"ymax\":4}}]",
        "[[{\"label\":\"cat\",\"score\":0.5,\"box\":{\"xmin\":1,\"ymin\":2,\"xmax\":3,\"ymax\":4}}],[]]",
        "[5]", "\"cat\"", "null",
    };
    hf_object_detection_output_t out;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        hf_status_t st = detect(bad[i], 5u, &out);
        CHECK_STATUS(st, HF_ERR_JSON_SHAPE);
        if (st != HF_ERR_JSON_SHAPE) {
            fprintf(stderr, "  body: %s -> %s\n", bad[i], hf_status_str(st));
        }
        CHECK(out.elements == NULL && out.elements_count == 0u);
        CHECK_STATUS(hf_client_error(&g_client)->status, HF_ERR_JSON_SHAPE);
    }
    /* Unknown keys (e.g. a mask some models add) are skipped. */
    CHECK_STATUS(detect("[{\"mask\":{\"a\":[1]},\"label\":\"cat\",\"score\":0.25,\"box\":{\"ymax\":4,\"xmin\":1,"
                        "\"ymin\":2,\"xmax\":3,\"extra\":0}}]",
                        2u, &out),
                 HF_OK);
    CHECK_INT(out.elements_count, 1);
    CHECK(out.elements[0].score == 0.25f);
    CHECK(out.elements[0].box != NULL && out.elements[0].box->xmin == 1 && out.elements[0].box->ymax == 4);
}

/* ------------------------------------------------------------------ recordings */

static int box_value(hf_json_doc_t *d, int el, const char *k)
{
    int64_t v = -99999;
    CHECK_STATUS(hf_json_i64(d, hf_json_get(d, hf_json_get(d, el, "box"), k), &v), HF_OK);
    return (int)v;
}

static void one_recording(const hf_fixture_t *r)
{
    hf_json_doc_t d;
    hf_object_detection_input_t in;
    hf_object_detection_output_t out;
    char model[600];
    CHECK_INT(r->status, 200);
    CHECK(hf_fixture_indep(r, &d) == 0 && d.tok[0].type == JSMN_ARRAY);
    snprintf(model, sizeof model, "http://hf.test%s", r->path);
    for (size_t k = 1; k <= r->resp_len + 150u; k++) {
        hf_rig_setup(k, 0u, ARENA);
        hf_rig_add_response(200, "application/json", r->resp, r->resp_len);
        jpeg_input(&in);
        if (r->req != NULL) {
            in.inputs.data = r->req;
            in.inputs.data_len = r->req_len;
        }
        CHECK_STATUS(hf_object_detection(&g_client, model, &in, &g_arena, &out), HF_OK);
        CHECK_INT(out.elements_count, d.tok[0].size);
        for (int i = 0; i < d.tok[0].size && (size_t)i < out.elements_count; i++) {
            const hf_object_detection_output_element_t *e = &out.elements[i];
            int el = hf_json_at(&d, 0, i);
            hf_fx_check_label(&d, el, e->label, e->score);
            CHECK(e->box != NULL);
            if (e->box != NULL) {
                CHECK_INT(e->box->xmin, box_value(&d, el, "xmin"));
                CHECK_INT(e->box->ymin, box_value(&d, el, "ymin"));
                CHECK_INT(e->box->xmax, box_value(&d, el, "xmax"));
                CHECK_INT(e->box->ymax, box_value(&d, el, "ymax"));
            }
        }
    }
    if (r->req == NULL) {
        printf("note: %s has no request body (recorder dropped it); compared the response only\n", r->name);
    } else {
        const char *head;
        const uint8_t *body;
        size_t hl, bl;
        CHECK_STATUS(hf_rig_request(0u, &head, &hl, &body, &bl), HF_OK);
        CHECK_MEM(body, bl, r->req, r->req_len);
    }
}

static void test_recordings(void)
{
    int n = hf_fixture_each("object_detection__", one_recording);
    if (n >= 0) {
        CHECK_INT(n, 1);
    }
}

int main(void)
{
    test_requests();
    test_every_split();
    test_hostile();
    test_recordings();
    return CHECK_DONE();
}
